"""Which headings of a plan are which sections of a profile, and which profile a plan is."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, NamedTuple

from planlint.markdown.headings import normalize_title, numbering_prefix
from planlint.markdown.nodes import Document, Section

if TYPE_CHECKING:  # linting reads frozen copies of these models (planlint.core.frozen)
    from planlint.engine.packs import ProfileSpec, SectionSpec


class Outline:
    """The plan-level sections that match the profile, in document order."""

    __slots__ = ("level", "matched", "profile")

    def __init__(self, profile: ProfileSpec) -> None:
        self.profile = profile
        self.level: int | None = None
        self.matched: list[tuple[SectionSpec, Section]] = []

    def sections(self, section_id: str) -> list[Section]:
        return [section for spec, section in self.matched if spec.id == section_id]


_NAMES: dict[int, tuple[ProfileSpec, list[tuple[SectionSpec, list[str]]]]] = {}


def _names(profile: ProfileSpec) -> list[tuple[SectionSpec, list[str]]]:
    """Each section with its normalised title and aliases, computed once per profile."""
    cached = _NAMES.get(id(profile))
    if cached is None or cached[0] is not profile:
        names = [
            (spec, [normalize_title(n) for n in (spec.title, *spec.aliases)])
            for spec in profile.sections
        ]
        cached = _NAMES[id(profile)] = (profile, names)
    return cached[1]


# Where "Rollback (automated)" or "approvals / prereqs" qualifies its title.
_QUALIFIER = re.compile(r"\(|[:—–]\s|\s-\s|\s/\s")


def match_section(profile: ProfileSpec, section: Section) -> SectionSpec | None:
    """Exact match on the title or an alias, also once a qualifier is cut off ("Rollback
    (automated)", "Contacts: escalation"); a longer heading also matches a multi-word name it
    starts with ("Rollback Procedure for the database")."""
    title = section.normalized
    rest = numbering_prefix(section.title)[1]
    qualifier = _QUALIFIER.search(rest)
    short = normalize_title(rest[: qualifier.start()] if qualifier else rest)
    sections = _names(profile)
    for spec, names in sections:
        if title in names or (short and short in names):
            return spec
    for spec, prefixes in _prefixes(profile):
        if title.startswith(prefixes):
            return spec
    return None


_PREFIXES: dict[int, tuple[ProfileSpec, list[tuple[SectionSpec, tuple[str, ...]]]]] = {}


def _prefixes(profile: ProfileSpec) -> list[tuple[SectionSpec, tuple[str, ...]]]:
    """What a longer heading may start with to name each section: "Rollback Procedure for the
    database" (a multi-word name), "Contacts & Escalation" (any name, then "and"; a single
    word alone would make "Rollback Readiness" the rollback)."""
    cached = _PREFIXES.get(id(profile))
    if cached is None or cached[0] is not profile:
        found = [
            (spec, (*(f"{n} " for n in names if " " in n), *(f"{n} and " for n in names)))
            for spec, names in _names(profile)
        ]
        cached = _PREFIXES[id(profile)] = (profile, found)
    return cached[1]


def name_span(spec: SectionSpec, title: str) -> tuple[int, int] | None:
    """Where in ``title`` (a heading's plain text) the words naming ``spec`` are, by the rules
    of ``match_section``: everything after the numbering, the part before a qualifier, or the
    leading words of a longer heading. None when the title does not name the section."""
    names = [normalize_title(name) for name in (spec.title, *spec.aliases)]
    rest = numbering_prefix(title)[1]
    start = len(title.rstrip()) - len(rest)
    if normalize_title(rest) in names:
        return start, start + len(rest)
    qualifier = _QUALIFIER.search(rest)
    if qualifier is not None:
        short = rest[: qualifier.start()].rstrip()
        if short and normalize_title(short) in names:
            return start, start + len(short)
    multi_word = [name for name in names if " " in name]
    for word in re.finditer(r"\S+", rest):
        if normalize_title(rest[: word.end()]) in multi_word:
            # "Rollback Procedure, for the database": the comma is not part of the name
            return start, start + len(rest[: word.end()].rstrip(",.;:!?"))
    return None


def build_outline(document: Document, profile: ProfileSpec) -> Outline:
    found = [
        (spec, section)
        for section in document.walk_sections()
        if (spec := match_section(profile, section)) is not None
    ]
    outline = Outline(profile)
    if not found:
        return outline
    # The plan's sections sit at the level most of the matching headings use; a "Rollback"
    # subheading inside "Contingency Plans" is not the rollback section.
    levels = Counter(section.level for _, section in found)
    outline.level = min(levels, key=lambda level: (-levels[level], level))
    outline.matched = [(spec, section) for spec, section in found if section.level == outline.level]
    return outline


class Detection(NamedTuple):
    profile: ProfileSpec | None
    score: int
    runners_up: tuple[str, ...] = ()


def detect_profile(
    document: Document, profiles: Sequence[ProfileSpec], context_keys: Collection[str] = ()
) -> Detection:
    """The profile whose context block is there, else whose sections the headings match best
    (by the share of its sections matched)."""
    by_context = [
        profile
        for profile in profiles
        if profile.detect.context and all(key in context_keys for key in profile.detect.context)
    ]
    if len(by_context) == 1:
        return Detection(by_context[0], len(by_context[0].detect.context))
    scored: list[tuple[float, int, ProfileSpec]] = []
    for profile in profiles:
        ids = {spec.id for spec, _ in build_outline(document, profile).matched}
        if len(ids) >= profile.detect.min_sections:
            scored.append((len(ids) / len(profile.sections), len(ids), profile))
    if not scored:
        return Detection(None, 0)
    scored.sort(key=lambda item: (-item[0], -item[1]))
    best = scored[0]
    ties = tuple(p.name for share, _, p in scored[1:] if share == best[0])
    if ties:
        return Detection(None, best[1], (best[2].name, *ties))
    return Detection(best[2], best[1])
