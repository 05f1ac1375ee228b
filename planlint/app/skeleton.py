"""``planlint new``: a plan skeleton generated from a profile and the rules that check it.

The skeleton has the profile's sections in order under their canonical titles, the context
block for profiles recognised by one (deploy-plan), and front matter naming the profile. Under
each section, one ``TODO`` line per rule scoped to that section says what the section must
contain, taken from the rule's documentation, so the skeleton follows the packs as they change.
Every ``TODO`` and ``<…>`` is a placeholder that ``unfilled-placeholder`` (PL201) reports until
someone, or an AI agent, fills it in.

Sections and hints that a ``when:`` condition ties to an environment appear or not according to
``--environment``. Without it, and for facts the skeleton cannot know yet (risk, a feature
flag), they are kept and say in words when they apply: "only in production", "only when the
plan declares a feature flag".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from planlint.engine.conditions import Condition, condition_holds
from planlint.engine.packs import ProfileSpec, RuleSpec
from planlint.facts.plan import CONTEXT_LABELS, normalize_environment
from planlint.facts.stakes import ENVIRONMENTS  # production, staging, development

if TYPE_CHECKING:
    from planlint.engine.runner import Linter

# Lower-case words in angle brackets: what unfilled-placeholder recognises as a placeholder.
CONTEXT_HINTS = {
    "NOTES": "<what is deployed - version and link to the release notes>",
    "ENVIRONMENT": "<target environment>",
    "WINDOW": "<change window - weekday date times and time zone>",
    "FLAG": "<feature flag name or none>",
}
_FLAG_WORDS = {
    "declared": "the plan declares a feature flag",
    "none": "the plan has no feature flag",
}


@dataclass(frozen=True, slots=True)
class Hint:
    rule: str
    text: str
    applies_when: str | None  # the condition still open, in words: "only when …"

    def line(self) -> str:
        """The hint as a to-do line: "TODO (rule; only when …): what to write"."""
        condition = f"; {self.applies_when}" if self.applies_when else ""
        return f"TODO ({self.rule}{condition}): {self.text}"


def known_facts(profile: str, environment: str | None) -> dict[str, str]:
    """The facts a skeleton knows when it is written: its profile, and its environment when
    --environment gives one. Every other fact is not decided yet, and a condition on it is
    written out in words."""
    known = {"profile": profile}
    if environment is not None:
        known["environment"] = normalize_environment(environment)
    return known


def _split_condition(
    condition: Condition | None, known: dict[str, str]
) -> tuple[bool, Condition | None]:
    """Does the part of ``condition`` about known facts hold, and what part is left open?"""
    if not condition:
        return True, None
    decided = {key: value for key, value in condition.items() if key in known}
    open_part = {key: value for key, value in condition.items() if key not in known}
    return condition_holds(decided, known), open_part or None


def describe(condition: Condition) -> str:
    """An open condition in words, for a reader who has never seen a pack: "only when the
    plan declares a feature flag", "only in production", "except in development"."""
    cases = [
        _fact_in_words(fact, values) for fact, values in condition.items() if fact != "environment"
    ]
    said = [f"only when {' and '.join(cases)}"] if cases else []
    if "environment" in condition:  # where, not when: said last
        said.append(_environments(condition["environment"]))
    return ", ".join(said)


def _environments(values: list[str]) -> str:
    """Where an `environment:` condition applies, in the shorter of its two readings:
    ["!staging", "!development"] is "only in production", ["!development"] is "except in
    development". A plan that names no environment is linted like production."""
    holds = {
        name: condition_holds({"environment": values}, {"environment": name})
        for name in ENVIRONMENTS
    }
    allowed = [name for name, applies in holds.items() if applies]
    excluded = [name for name, applies in holds.items() if not applies]
    if excluded and len(excluded) < len(allowed):
        return f"except in {_or(excluded)}"
    return f"only in {_or(allowed or values)}"


def _fact_in_words(fact: str, values: list[str]) -> str:
    wanted = [value for value in values if not value.startswith("!")]
    excluded = [value[1:] for value in values if value.startswith("!")]
    if fact == "flag" and len(wanted) == 1 and wanted[0] in _FLAG_WORDS and not excluded:
        return _FLAG_WORDS[wanted[0]]
    noun = fact.replace("_", " ")
    if wanted:
        return f"the {noun} is {_or(wanted)}"
    return f"the {noun} is not {_or(excluded)}"


def _or(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def section_hints(section_id: str, rules: Iterable[RuleSpec], known: dict[str, str]) -> list[Hint]:
    hints = []
    for rule in rules:
        if rule.scope != section_id:
            continue
        holds, open_part = _split_condition(rule.when, known)
        if holds:
            described = describe(open_part) if open_part else None
            hints.append(Hint(rule.name, _one_line(rule.docs.fix), described))
    return hints


def numbered_sections(rules: Iterable[RuleSpec]) -> set[str]:
    """Sections where the packs allow (and expect) a numbered list: the steps."""
    allowed: set[str] = set()
    for rule in rules:
        if rule.check == "ordered-list-scope":
            allowed.update(rule.options.get("allowed_in", []))
    return allowed


def build_skeleton(
    profile: ProfileSpec, rules: Sequence[RuleSpec], environment: str | None = None
) -> str:
    """The skeleton of a ``profile`` plan, with hints from ``rules`` (those of the profile)."""
    known = known_facts(profile.name, environment)
    out: list[str] = ["---", f"profile: {profile.name}"]
    context_keys = list(CONTEXT_LABELS.values())
    has_context = bool(profile.detect.context)
    if not has_context:
        out.append(f"environment: {environment or '<environment>'}")
    out += ["---", f"# {profile.title}: <change name>", ""]
    if has_context:
        for key in context_keys:
            value = environment if key == "ENVIRONMENT" and environment else CONTEXT_HINTS[key]
            out.append(f"- {key}: {value}")
        out.append("")
    numbered = numbered_sections(rules)
    for section in profile.sections:
        holds, open_part = _split_condition(section.when, known)
        if not section.required or not holds:
            continue
        out += [f"## {section.title}", ""]
        if open_part:
            out += [f"<!-- Required {describe(open_part)}. -->", ""]
        lines = [hint.line() for hint in section_hints(section.id, rules, known)]
        if not lines:
            lines = [f"TODO: write the {section.title} section."]
        for number, line in enumerate(lines, start=1):
            marker = f"{number}." if section.id in numbered else "-"
            out.append(f"{marker} {line}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


class UnknownProfile(ValueError):
    """``planlint new --profile`` named a profile no pack defines."""


def skeleton_for(linter: Linter, profile: str, environment: str | None = None) -> str:
    """The skeleton of ``profile`` with hints from the rules the linter has active for it."""
    spec = linter.profiles.get(profile)
    if spec is None:
        known = ", ".join(sorted(linter.profiles))
        raise UnknownProfile(f"unknown profile {profile!r}; known: {known}")
    rules = [rule.spec for rule in linter.rules if rule.applies_to(profile)]
    return build_skeleton(spec, rules, environment)
