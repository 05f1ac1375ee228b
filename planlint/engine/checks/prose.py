"""Prose: placeholders, leaked prompts, and what the rollback and verification sections claim."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from re import Pattern
from typing import TYPE_CHECKING

from planlint.engine.check_api import CheckContext, CheckKind, Finding, at_block
from planlint.markdown.nodes import HtmlBlock, Line, walk_blocks
from planlint.prose.literals import leading_literal
from planlint.prose.text import is_negated, is_unrealised, placeholders, prose_lines, sentences

if TYPE_CHECKING:  # the models validate packs; a check reads their fields
    from planlint.engine.options import NoOptions
    from planlint.engine.options.prose import CriterionOptions, EvidenceOptions, PatternOptions


def _at(line: Line, start: int, end: int, **args: object) -> Finding:
    return Finding(line.number, line.column + start, line.number, line.column + end, args)


def unfilled_placeholders(ctx: CheckContext, options: NoOptions) -> Iterator[Finding]:
    lines = list(prose_lines(ctx.scope_blocks()))
    if ctx.document.front_matter is not None:
        lines = ctx.document.front_matter.lines + lines
    for line in lines:
        for match in placeholders(line.text):
            yield _at(line, match.start, match.end, placeholder=match.text)


@functools.lru_cache(maxsize=64)
def _compiled(patterns: tuple[str, ...]) -> list[tuple[Pattern[str], str]]:
    """Each pattern, case-insensitive, with the lower-case text every match of it starts with.

    A case-insensitive regex that opens with ``\b`` is tried at every character of every line;
    ``"you are" in line.lower()`` is not, and rules out nearly every line first.
    """
    return [(re.compile(p, re.IGNORECASE), leading_literal(p)) for p in patterns]


def prompt_leak(ctx: CheckContext, options: PatternOptions) -> Iterator[Finding]:
    """Generated plans sometimes carry the prompt that made them; HTML comments count too."""
    compiled = _compiled(tuple(p.pattern for p in options.patterns))
    roots = ctx.scope_blocks()
    lines = list(prose_lines(roots))
    lines += [
        line for block in walk_blocks(roots) if isinstance(block, HtmlBlock) for line in block.lines
    ]
    lines.sort(key=lambda item: item.number)
    lowered = [line.text.lower() for line in lines]
    # Only the patterns whose words occur somewhere are tried line by line ("" always does).
    everything = "\n".join(lowered)
    live = [(pattern, literal) for pattern, literal in compiled if literal in everything]
    if not live:
        return
    for line, lowered_line in zip(lines, lowered, strict=True):
        for pattern, literal in live:
            if literal not in lowered_line:
                continue
            match = pattern.search(line.text)
            if match:
                yield _at(line, match.start(), match.end(), text=match.group(0))
                break


def evidence(ctx: CheckContext, options: EvidenceOptions) -> Iterator[Finding]:
    """The scope section must claim something was done, and no claim may be negated.

    "Rollback was rehearsed in staging" counts; "has not been tested", "will be tested" and an
    unchecked "[ ] rollback tested" box do not.
    """
    evidence_re = re.compile(options.evidence.pattern, re.IGNORECASE)
    subject_re = re.compile(options.subject.pattern, re.IGNORECASE)
    label_re = re.compile(options.label.pattern, re.IGNORECASE) if options.label else None
    denial: Finding | None = None
    for sentence in sentences(ctx.scope_blocks()):
        text = sentence.text
        for match in evidence_re.finditer(text):
            labelled = label_re is not None and label_re.match(text) is not None
            if not labelled and not subject_re.search(text):
                continue
            denied = match.group(0).lower().startswith("un")  # "untested", "unrehearsed"
            if denied or sentence.checked is False or is_negated(text, match.start(), match.end()):
                if denial is None:
                    quote = text.strip()
                    lead = len(text) - len(text.lstrip())
                    end = sentence.start + len(text.rstrip())
                    denial = _at(
                        sentence.line, sentence.start + lead, end, detail=f"it says {quote!r}"
                    )
                continue
            if is_unrealised(text, match.start()):
                continue
            return
    if denial is not None:
        yield denial
    else:
        for section in ctx.scope[:1]:
            yield at_block(ctx.document, section, detail="nothing says it was done")


def measurable_criterion(ctx: CheckContext, options: CriterionOptions) -> Iterator[Finding]:
    """At least one sentence (or table row) names a metric, a comparator and a quantity."""
    metric = re.compile(options.metric.pattern, re.IGNORECASE)
    quantity = re.compile(options.quantity.pattern, re.IGNORECASE)
    before = re.compile(rf"(?:{options.comparator.pattern})\s*$", re.IGNORECASE)
    after = re.compile(options.comparator_after.pattern, re.IGNORECASE)
    durations = re.compile(options.durations.pattern, re.IGNORECASE)
    for sentence in sentences(ctx.scope_blocks()):
        text = sentence.text
        if not metric.search(text):
            continue
        for amount in quantity.finditer(text):
            comparator = before.search(text[max(0, amount.start() - 30) : amount.start()])
            deadline = comparator and comparator.group(0).strip().lower() == "within"
            if deadline and durations.search(amount.group(0)):
                continue  # "within 5 minutes of the deploy" is when to look, not a limit
            if comparator or after.match(text[amount.end() :]):
                return
    for section in ctx.scope[:1]:
        yield at_block(ctx.document, section, title=section.title)


_ON = re.compile(r"\b(?:on|enabled?|true|activated?)\b|\b100\s*%", re.IGNORECASE)
_OFF = re.compile(r"\b(?:off|disabled?|false|deactivated?)\b|(?<![\d.])0\s*%", re.IGNORECASE)
_BOTH = re.compile(
    r"\b(?:both\s+(?:states|ways|settings|values|positions)|on\s*(?:and|/|&)\s*off|"
    r"off\s*(?:and|/|&)\s*on|enabled\s*(?:and|/|&)\s*disabled|disabled\s*(?:and|/|&)\s*enabled|"
    r"either\s+state)\b",
    re.IGNORECASE,
)
_FLAG_WORDS = r"\b(?:flag|toggle|feature\s+gate|kill\s*switch)\b"
FLAG_DISTANCE = 4  # words between a state and the flag it is about ("with the flag on")


def _word_index(text: str) -> list[int]:
    """For each character of ``text``, the index of the word it belongs to (or follows)."""
    index = [0] * (len(text) + 1)
    word = -1
    in_word = False
    for position, char in enumerate(text):
        if not char.isspace() and not in_word:
            word += 1
        in_word = not char.isspace()
        index[position] = max(word, 0)
    index[len(text)] = max(word, 0)
    return index


def flag_states(ctx: CheckContext, options: NoOptions) -> Iterator[Finding]:
    """With a feature flag declared, verification must cover it both on and off; a state
    counts only near a mention of the flag ("relies on pricing-v3" is not "flag on")."""
    flag = ctx.facts.flag
    if flag is None:
        return
    name = re.escape(flag.value.strip("`"))
    mention = re.compile(rf"(?<![\w-]){name}(?![\w-])|{_FLAG_WORDS}", re.IGNORECASE)
    states: set[str] = set()
    for sentence in sentences(ctx.scope_blocks()):
        raw = sentence.raw
        mentions = [m.start() for m in mention.finditer(raw)]
        if sentence.checked is False or not mentions:
            continue
        words = _word_index(raw)
        near = {words[m] for m in mentions}
        for state, pattern in (("on", _ON), ("off", _OFF), ("on", _BOTH), ("off", _BOTH)):
            for match in pattern.finditer(raw):
                if min(abs(words[match.start()] - w) for w in near) > FLAG_DISTANCE:
                    continue
                if not is_negated(raw, match.start(), match.end()):
                    states.add(state)
    missing = {"on", "off"} - states
    if not missing:
        return
    detail = "on or off" if len(missing) == 2 else f"with it {missing.pop()}"
    for section in ctx.scope[:1]:
        yield at_block(ctx.document, section, flag=flag.value, detail=detail)


# The check kinds this module provides: the table in planlint.engine.kinds lists them.
KINDS = (
    CheckKind("placeholders", unfilled_placeholders, None, scoped=False),
    CheckKind("prompt-leak", prompt_leak, "prose.PatternOptions", scoped=False),
    CheckKind("evidence", evidence, "prose.EvidenceOptions", scoped=True),
    CheckKind("measurable-criterion", measurable_criterion, "prose.CriterionOptions", scoped=True),
    CheckKind("flag-states", flag_states, None, scoped=True),
)
