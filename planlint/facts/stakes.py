"""Where a change goes and how risky it is, from wherever the plan says so.

Front matter and the context block say it in planlint's words; plans written without planlint
say it anywhere: ``| Risk level | **High** — all traffic … |``, ``**How risky?** High.``,
``Change STREAM-1630 · production · medium risk``, ``# Development cluster: …``, "Staging
only (`aws-staging`)". A development plan read as production gets the full set of production
rules, and a high-risk plan read as unknown misses the high-risk gates, so both facts are
looked for in labels, key/value tables, the title and the opening prose, in that order.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence

from planlint.core.frozen import lazy_pattern
from planlint.facts.fields import Field
from planlint.markdown.nodes import Block, Document, Line, Section
from planlint.prose.text import is_negated, lines_with, mask_code, wrapped_sentences

LEVELS = ("low", "medium", "moderate", "high", "critical")
ENVIRONMENTS = {
    "production": ("production", "prod", "prd", "live"),
    "staging": ("staging", "stage", "stg", "preprod", "pre-production", "preproduction", "uat"),
    "development": ("development", "dev", "local", "sandbox", "test", "testing", "qa"),
}
_RISK_LABEL = lazy_pattern(r"^(?:overall\s+|change\s+)?risk(?:y|iness)?\b|^how\s+risky\b")
_ENVIRONMENT_LABEL = lazy_pattern(
    r"^(?:target\s+)?(?:environment|env)s?\b|^(?:deploy(?:ment)?\s+)?target$|^where$"
)
_LEVEL = lazy_pattern(r"\b(low|medium|moderate|high|critical)\b", re.IGNORECASE)
# "medium risk", "high-risk change", "risk is high", "Risk: **High**", "How risky? High."
_RISK_IN_PROSE = lazy_pattern(
    r"\b(?P<before>low|medium|moderate|high|critical)[- ]risk\b"
    r"|\brisk(?:y|iness)?(?:\s+(?:level|rating|class|category|assessment))?"
    r"(?:\W{0,6}|\s+(?:is|was|rated|assessed\s+as)\s+)(?P<after>low|medium|moderate|high|critical)\b",
    re.IGNORECASE,
)
_SPELLINGS = "|".join(
    re.escape(spelling) for spellings in ENVIRONMENTS.values() for spelling in spellings
)
# Cues in prose, strongest first: "environment: production"; "to production", "the staging
# cluster"; an identifier such as `prod-eu-west-1` or `infra/edge/prod`.
_ENVIRONMENT_CUES = (
    (3, lazy_pattern(rf"\benv(?:ironment)?s?\W{{0,3}}(?:is\s+)?(?P<word>{_SPELLINGS})\b", re.I)),
    (
        2,
        lazy_pattern(
            rf"\b(?:to|in|on|into|for|against|targets?)\s+(?:the\s+)?(?P<word>{_SPELLINGS})\b"
            rf"(?![-_/.]\w)|\b(?P<word2>{_SPELLINGS})\s+(?:environment|cluster|only|env|"
            rf"deploy\w*|rollout|release|change|account|project|stack|database|db|fleet)\b",
            re.I,
        ),
    ),
    (
        1,
        lazy_pattern(
            rf"(?<![\w-])(?P<word>{_SPELLINGS})[-_/]\w|\w[-_/](?P<word2>{_SPELLINGS})\b", re.I
        ),
    ),
)


# Staging and development are often where a production change was tried first.
_REHEARSAL = lazy_pattern(
    r"\b(?:test\w*|soak\w*|rehears\w*|benchmark\w*|tried|validated|verified|ran|been\s+run|"
    r"dry[- ]?run|already|since|before|first|drill\w*|proven)\b",
    re.IGNORECASE,
)


OPENING_SENTENCES = 15  # the title and summary say where a change goes, or nothing does
_ANY_SPELLING = lazy_pattern(
    "|".join(re.escape(s) for spellings in ENVIRONMENTS.values() for s in spellings), re.IGNORECASE
)


_SPELLED = {
    name: lazy_pattern(rf"\b(?:{'|'.join(map(re.escape, spellings))})\b", re.IGNORECASE)
    for name, spellings in ENVIRONMENTS.items()
}


def level_of(value: str) -> str | None:
    """The first risk level a value names ("High — every write goes through it")."""
    found = _LEVEL.search(value)
    if found is None:
        return None
    level = found.group(1).lower()
    return "medium" if level == "moderate" else level


def environment_of(value: str) -> str | None:
    """The environment a value names ("production (GKE prod-euw4)"), by its usual spellings."""
    for name, spelled in _SPELLED.items():
        if spelled.search(value):
            return name
    return None


def risk_in_text(lines: Sequence[Line], labelled: Iterable[Field]) -> Field | None:
    """The plan's risk level from a label or table row, else from its prose lines."""
    for field in labelled:
        if _RISK_LABEL.match(field.key) and level_of(field.value):
            return field
    for index in lines_with(lines, ("risk",)):  # "risk", "Risk", "risky": most lines never say it
        line = lines[index]
        text = mask_code(line.text)
        for match in _RISK_IN_PROSE.finditer(text):
            if is_negated(text, match.start(), match.end()):
                continue  # "not a high-risk change"
            level = match.group("before") or match.group("after")
            column = line.column + match.start()
            return Field("risk", level, line.number, column, column + len(match[0]), "text")
    return None


def environment_in_text(document: Document, labelled: Iterable[Field]) -> Field | None:
    """The target environment from a label or table row, else from the title and the opening
    prose (before the first section and in the first one)."""
    for field in labelled:
        if _ENVIRONMENT_LABEL.match(field.key) and environment_of(field.value):
            return field
    votes: dict[str, int] = {}
    first: dict[str, Field] = {}
    for sentence in itertools.islice(wrapped_sentences(_opening(document)), OPENING_SENTENCES):
        if _ANY_SPELLING.search(sentence.raw) is None:
            continue
        text = sentence.raw.replace("*", " ").replace("_", " ").replace("`", " ")
        for weight, cue in _ENVIRONMENT_CUES:
            for match in cue.finditer(text):
                if weight > 1 and is_negated(text, match.start(), match.end()):
                    continue
                groups = match.groupdict()
                name = environment_of(groups.get("word") or groups.get("word2") or "")
                if name is None or (name != "production" and _REHEARSAL.search(text)):
                    continue  # "14 ms in the staging soak test": where it was tried, not the target
                votes[name] = votes.get(name, 0) + weight
                line = sentence.line
                column = line.column + sentence.start + match.start()
                first.setdefault(
                    name, Field("environment", name, line.number, column, column + 1, "text")
                )
    if not votes:
        return None
    return first[max(votes, key=lambda name: votes[name])]  # ties: the first counted wins


_FLAG_LABEL = lazy_pattern(r"^(?:feature\s+)?(?:flag|toggle)s?(?:\s+name)?$")
# "behind the LaunchDarkly flag `pricing-v2`", "gated by feature flag `x`", "`x` feature flag":
# a flag that guards the change, not any "flag" ("the `aa` flag" of a DNS answer).
_FLAG_IN_PROSE = lazy_pattern(
    r"\b(?:behind|gated\s+by|guarded\s+by|under|toggled\s+by|controlled\s+by)\s+(?:the\s+|a\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:feature\s+)?(?:flag|toggle)\s+`(?P<name>[^`\s=]{2,80})`"
    r"|\bfeature\s+(?:flag|toggle)\s+`(?P<named>[^`\s=]{2,80})`"
    r"|`(?P<before>[^`\s=]{2,80})`\s+feature\s+(?:flag|toggle)\b"
    r"|\bbehind\s+`(?P<behind>[^`\s=]{2,80})`",
    re.IGNORECASE,
)


def flag_in_text(lines: Sequence[Line], labelled: Iterable[Field]) -> Field | None:
    """The feature flag from a label or table row ("| Feature flag | `rich-push-v2` |"), else
    from prose lines that name one in code ("behind the LaunchDarkly flag `pricing-v2`")."""
    for field in labelled:
        if _FLAG_LABEL.match(field.key) and field.value.strip():
            return field
    for index in lines_with(lines, ("flag", "toggle", "behind `")):
        line = lines[index]
        if "`" not in line.text:
            continue
        match = _FLAG_IN_PROSE.search(line.text)
        if match is not None:
            name = next(group for group in match.groups() if group)
            column = line.column + match.start()
            return Field("flag", name, line.number, column, column + len(match[0]), "text")
    return None


def _opening(document: Document) -> Iterable[Block]:
    """The title, the text before the first section, and the first section's own text."""
    blocks: list[Block] = list(document.blocks)
    sections: list[Section] = list(document.sections)
    if len(sections) == 1 and sections[0].level == 1:  # a title over the whole plan
        blocks.append(sections[0].heading)
        blocks += sections[0].blocks
        sections = list(sections[0].subsections)
    elif sections and sections[0].level == 1:
        blocks.append(sections[0].heading)
    if sections:
        blocks.append(sections[0].heading)
        blocks += sections[0].blocks
    return blocks
