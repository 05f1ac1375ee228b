"""``planlint new``: a plan skeleton generated from a profile and the rules that check it.

The skeleton has the profile's sections in order under their canonical titles, the context
block for profiles recognised by one (deploy-plan), and front matter naming the profile. Under
each section, one ``TODO`` line per rule scoped to that section says what the section must
contain, taken from the rule's documentation, so the skeleton follows the packs as they change.
Every ``TODO`` and ``<…>`` is a placeholder that ``unfilled-placeholder`` (PL201) reports until
someone, or an AI agent, fills it in.

Sections and hints that a ``when:`` condition ties to an environment appear or not according to
``--environment``; conditions on facts the skeleton cannot know yet (risk, a feature flag) are
kept and say when they apply.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from planlint.engine.conditions import Condition, condition_holds
from planlint.engine.packs import ProfileSpec, RuleSpec
from planlint.facts.plan import CONTEXT_LABELS, normalize_environment

if TYPE_CHECKING:
    from planlint.engine.runner import Linter

# The facts a skeleton knows when it is written; every other fact is "not decided yet".
KNOWN_FACTS = ("environment", "profile")
# Lower-case words in angle brackets: what unfilled-placeholder recognises as a placeholder.
CONTEXT_HINTS = {
    "NOTES": "<what is deployed - version and link to the release notes>",
    "ENVIRONMENT": "<target environment>",
    "WINDOW": "<change window - weekday date times and time zone>",
    "FLAG": "<feature flag name or none>",
}
_FACT_WORDS = {
    "flag": {"declared": "the plan declares a feature flag", "none": "there is no feature flag"},
}


@dataclass(frozen=True, slots=True)
class Hint:
    rule: str
    text: str
    applies_when: str | None  # the condition still open, in words


def _split_condition(
    condition: Condition | None, known: dict[str, str]
) -> tuple[bool, Condition | None]:
    """Does the part of ``condition`` about known facts hold, and what part is left open?"""
    if not condition:
        return True, None
    decided = {key: value for key, value in condition.items() if key in KNOWN_FACTS}
    open_part = {key: value for key, value in condition.items() if key not in KNOWN_FACTS}
    return condition_holds(decided, known), open_part or None


def _describe(condition: Condition) -> str:
    parts = []
    for fact, values in condition.items():
        words = _FACT_WORDS.get(fact, {})
        wanted = [words.get(v, f"{fact} is {v}") for v in values if not v.startswith("!")]
        excluded = [f"{fact} is not {v[1:]}" for v in values if v.startswith("!")]
        parts.append(" or ".join(wanted) if wanted else " and ".join(excluded))
    return " and ".join(parts)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def section_hints(section_id: str, rules: Iterable[RuleSpec], known: dict[str, str]) -> list[Hint]:
    hints = []
    for rule in rules:
        if rule.scope != section_id:
            continue
        holds, open_part = _split_condition(rule.when, known)
        if holds:
            described = _describe(open_part) if open_part else None
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
    known = {
        "environment": normalize_environment(environment),
        "profile": profile.name,
    }
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
            out += [f"<!-- Required only when {_describe(open_part)}. -->", ""]
        hints = section_hints(section.id, rules, known)
        lines = [f"TODO ({hint.rule}): {hint.text}" for hint in hints]
        lines = [
            line + (f" Only when {hint.applies_when}." if hint.applies_when else "")
            for line, hint in zip(lines, hints, strict=True)
        ]
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
