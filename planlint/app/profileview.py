"""What a profile asks of a plan, for people and tools: ``planlint profile [NAME]`` and
``planlint rules --profile NAME``.

A profile (a kind of plan) comes from a pack, bundled or a team's: its sections in order, each
with its canonical title, the other headings accepted for it, whether it is required (always,
or only when a ``when:`` condition holds) and the sections nested in it; and how detection
recognises a plan as it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from planlint.core.results import RuleInfo
from planlint.engine.conditions import Condition, condition_holds
from planlint.engine.packs import ProfileSpec, SectionSpec


class UnknownProfile(ValueError):
    """A profile name no pack defines; the message names the known ones."""


def find_profile(profiles: Mapping[str, ProfileSpec], name: str) -> ProfileSpec:
    """The profile called ``name``, or ``UnknownProfile`` saying which there are."""
    if name in profiles:
        return profiles[name]
    close = difflib.get_close_matches(name, list(profiles), n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    raise UnknownProfile(
        f"unknown profile {name!r}{hint}; known: {', '.join(profiles)} "
        "(`planlint profile` lists them)"
    )


# -- in words -------------------------------------------------------------------------------------


def condition_words(condition: Condition) -> str:
    """A ``when:`` condition in words: "environment is not staging or development"."""
    parts = []
    for fact, values in condition.items():
        wanted = [value for value in values if not value.startswith("!")]
        excluded = [value[1:] for value in values if value.startswith("!")]
        words = []
        if wanted:
            words.append(f"{fact} is {' or '.join(wanted)}")
        if excluded:
            words.append(f"{fact} is not {' or '.join(excluded)}")
        parts.append(" and ".join(words))
    return " and ".join(parts)


def requirement(spec: SectionSpec) -> str:
    """ "required", "required when environment is not development", or "optional"."""
    if not spec.required:
        return "optional"
    return f"required when {condition_words(spec.when)}" if spec.when else "required"


def detection_words(profile: ProfileSpec) -> str:
    """How a plan is recognised as ``profile`` when nothing names its profile."""
    total = len(profile.sections)
    least = profile.detect.min_sections
    by_headings = (
        f"when at least {least} of its {total} sections match the plan's headings "
        "(of the profiles that qualify, the one with the largest share of its sections matched)"
    )
    if not profile.detect.context:
        return f"Detected {by_headings}."
    keys = " and ".join(profile.detect.context)
    return f"Detected by a context block naming {keys}, or {by_headings}."


def naming_words(profile: ProfileSpec) -> str:
    return (
        f"A plan is linted as it, whatever its headings, with `profile: {profile.name}` in its "
        f"front matter, a `profiles:` glob in the config, or --profile {profile.name}."
    )


# -- as data --------------------------------------------------------------------------------------


def section_json(spec: SectionSpec) -> dict[str, Any]:
    return {
        "id": spec.id,
        "title": spec.title,
        "aliases": list(spec.aliases),
        "required": spec.required,
        "when": {fact: list(values) for fact, values in spec.when.items()} if spec.when else None,
        "requirement": requirement(spec),
        "sections": [section_json(child) for child in spec.sections],
    }


def profile_json(profile: ProfileSpec) -> dict[str, Any]:
    """``planlint profile NAME --format json``: a contract for tools (add fields, never rename)."""
    return {
        "name": profile.name,
        "title": profile.title,
        "description": profile.description,
        "detect": {
            "context": list(profile.detect.context),
            "min_sections": profile.detect.min_sections,
            "text": detection_words(profile),
        },
        "sections": [section_json(spec) for spec in profile.sections],
    }


# -- as plain text --------------------------------------------------------------------------------


def profile_lines(profile: ProfileSpec) -> list[str]:
    """The profile as plain text, one fact a line, for pipes and logs."""
    lines = [f"{profile.name}: {profile.title}"]
    if profile.description:
        lines.append(profile.description)
    lines += ["", detection_words(profile), naming_words(profile), "", "Sections, in order:"]
    for number, spec in _numbered(profile.sections):
        indent = "  " * number.count(".")
        lines.append(f"  {indent}{number}. {spec.id}: {spec.title} ({requirement(spec)})")
        if spec.aliases:
            lines.append(f"  {indent}{' ' * len(number)}  also: {', '.join(spec.aliases)}")
    return lines


def listing_lines(profiles: Iterable[ProfileSpec]) -> list[str]:
    """One line per profile: name, title, sections, how it is recognised."""
    rows = [
        (profile.name, profile.title, f"{len(profile.sections)} sections", _recognised(profile))
        for profile in profiles
    ]
    widths = [max((len(row[column]) for row in rows), default=0) for column in range(3)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
        + f"  {row[3]}"
        for row in rows
    ]
    return [*lines, "", "`planlint profile NAME` shows one profile's sections."]


def _recognised(profile: ProfileSpec) -> str:
    least = profile.detect.min_sections
    if profile.detect.context:
        return f"context block {'+'.join(profile.detect.context)}, or {least}+ sections"
    return f"{least}+ sections"


def _numbered(specs: Sequence[SectionSpec], prefix: str = "") -> list[tuple[str, SectionSpec]]:
    """Every section with its number in the outline, nested ones after their parent: "2",
    "2.1". Profiles nest a few levels at most, so the recursion is shallow."""
    found: list[tuple[str, SectionSpec]] = []
    for index, spec in enumerate(specs, start=1):
        number = f"{prefix}{index}"
        found.append((number, spec))
        found += _numbered(spec.sections, f"{number}.")
    return found


# -- on a terminal --------------------------------------------------------------------------------


def print_profile(profile: ProfileSpec, console: Console) -> None:
    console.print(f"[bold]{escape(profile.name)}[/]: {escape(profile.title)}")
    if profile.description:
        console.print(escape(profile.description))
    console.print()
    console.print(escape(detection_words(profile)))
    console.print(f"[dim]{escape(naming_words(profile))}[/]")
    console.print()
    table = Table(header_style="bold", title="Sections, in order", title_justify="left")
    for column in ("#", "id", "title", "required"):
        table.add_column(column, no_wrap=True)
    table.add_column("also accepted", overflow="fold")
    for number, spec in _numbered(profile.sections):
        indent = "  " * number.count(".")
        table.add_row(
            number,
            f"{indent}[cyan]{escape(spec.id)}[/]",
            escape(spec.title),
            escape(requirement(spec)),
            escape(", ".join(spec.aliases)),
        )
    console.print(table)


def print_listing(profiles: Iterable[ProfileSpec], console: Console) -> None:
    table = Table(header_style="bold")
    for column in ("profile", "title", "sections", "recognised by"):
        table.add_column(column, no_wrap=column != "recognised by")
    for profile in profiles:
        table.add_row(
            f"[cyan]{escape(profile.name)}[/]",
            escape(profile.title),
            str(len(profile.sections)),
            escape(_recognised(profile)),
        )
    console.print(table)
    console.print("[dim]`planlint profile NAME` shows one profile's sections.[/]")


# -- rules ----------------------------------------------------------------------------------------


def applies_to_profile(info: RuleInfo, profile: str) -> bool:
    """Does the rule run on plans of ``profile``? Its pack's profiles (``applies_to``, or the
    pack's own profile) and a ``when: {profile: …}`` condition both say; other conditions
    (environment, risk) depend on the plan and are shown, not applied."""
    if info.profiles and profile not in info.profiles:
        return False
    wanted = dict(info.when).get("profile")
    return wanted is None or condition_holds({"profile": list(wanted)}, {"profile": profile})


def rules_for_profile(catalogue: Iterable[RuleInfo], profile: str) -> list[RuleInfo]:
    return [info for info in catalogue if applies_to_profile(info, profile)]
