"""Which headings of a plan are which sections of a profile, and which profile a plan is."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, NamedTuple, TypeAlias

from planlint.core.frozen import lazy_pattern
from planlint.markdown.headings import normalize_title, numbering_prefix
from planlint.markdown.nodes import Document, Section
from planlint.markdown.pseudo_headings import bold_lead_sections

if TYPE_CHECKING:  # linting reads frozen copies of these models (planlint.core.frozen)
    from planlint.engine.packs import ProfileSpec, SectionSpec


class Outline:
    """The plan-level sections that match the profile, in document order (``matched``), and
    the sections they declare, found below them (``nested``)."""

    __slots__ = ("_at", "_every", "level", "matched", "nested", "profile")

    def __init__(self, profile: ProfileSpec) -> None:
        self.profile = profile
        self.level: int | None = None
        self.matched: list[tuple[SectionSpec, Section]] = []
        self.nested: list[tuple[SectionSpec, Section]] = []
        self._every: list[tuple[SectionSpec, Section]] | None = None
        self._at: tuple[list[int], list[str | None]] | None = None

    @property
    def every(self) -> list[tuple[SectionSpec, Section]]:
        """Plan-level and nested sections together, in document order (sorted once: every
        scoped rule and every finding asks)."""
        if not self.nested:
            return self.matched
        if self._every is None:
            found = [*self.matched, *self.nested]
            self._every = sorted(found, key=lambda pair: (pair[1].start_line, -pair[1].end_line))
        return self._every

    def section_at(self, line: int) -> str | None:
        """The id of the innermost section holding ``line`` (the narrowest; of two as narrow,
        the later in ``every``), or None. Each finding asks, so the answer is worked out once
        for each run of lines between section boundaries: a plan of thousands of sections with
        a finding in each is not quadratic."""
        if self._at is None:
            every = self.every
            bounds = sorted(
                {found.start_line for _, found in every}
                | {found.end_line + 1 for _, found in every}
            )
            ids: list[str | None] = [None] * len(bounds)  # the run from bounds[i] on
            # Widest first, so that a narrower section paints over the sections holding it.
            order = sorted(
                range(len(every)),
                key=lambda i: (every[i][1].start_line - every[i][1].end_line, i),
            )
            for i in order:
                spec, found = every[i]
                if found.start_line <= found.end_line:
                    first = bisect.bisect_left(bounds, found.start_line)
                    last = bisect.bisect_left(bounds, found.end_line + 1)
                    ids[first:last] = [spec.id] * (last - first)
            self._at = (bounds, ids)
        bounds, ids = self._at
        index = bisect.bisect_right(bounds, line) - 1
        return ids[index] if index >= 0 else None

    def sections(self, section_id: str) -> list[Section]:
        return [section for spec, section in self.every if spec.id == section_id]

    def scope(self, ids: Sequence[str]) -> list[Section]:
        """The sections a rule's scope names, in document order: an id, ``id/*`` (the section
        and every section nested in it), or ``*`` (every matched section)."""
        wanted: set[str] = set()
        for scope in ids:
            if scope == "*":
                return [section for _, section in self.every]
            if scope.endswith("/*"):
                parent = _find(self.profile.sections, scope[:-2])
                wanted.update(spec.id for spec in _walk(parent) if parent is not None)
            else:
                wanted.add(scope)
        found = [section for spec, section in self.every if spec.id in wanted]
        return sorted(found, key=lambda section: section.start_line) if len(ids) > 1 else found


def _walk(spec: SectionSpec | None) -> list[SectionSpec]:
    """``spec`` and every section nested in it (the frozen models linting reads have fields,
    not the pack models' methods)."""
    if spec is None:
        return []
    return [spec, *(nested for child in spec.sections for nested in _walk(child))]


def _find(specs: Sequence[SectionSpec], section_id: str) -> SectionSpec | None:
    for spec in (nested for top in specs for nested in _walk(top)):
        if spec.id == section_id:
            return spec
    return None


# Keyed by the sections' identities, not the list's: a caller may pass a new list each time
# (``[spec]``), and a cache keyed by ``id(list)`` kept every such list alive, one per call.
_SpecsKey: TypeAlias = tuple[int, ...]
_Named: TypeAlias = "list[tuple[SectionSpec, list[str]]]"
_Prefixed: TypeAlias = "list[tuple[SectionSpec, tuple[str, ...]]]"
_NAMES: dict[_SpecsKey, tuple[tuple[SectionSpec, ...], _Named]] = {}


def _key(specs: Sequence[SectionSpec]) -> _SpecsKey:
    return tuple(map(id, specs))


def _same(cached: Sequence[SectionSpec], specs: Sequence[SectionSpec]) -> bool:
    return all(a is b for a, b in zip(cached, specs, strict=True))


def _names(specs: Sequence[SectionSpec]) -> _Named:
    """Each section with its normalised title and aliases, computed once per set of them."""
    key = _key(specs)
    cached = _NAMES.get(key)
    if cached is None or not _same(cached[0], specs):
        names = [
            (spec, [normalize_title(n) for n in (spec.title, *spec.aliases)]) for spec in specs
        ]
        cached = _NAMES[key] = (tuple(specs), names)
    return cached[1]


# Where "Rollback (automated)" or "approvals / prereqs" qualifies its title.
_QUALIFIER = lazy_pattern(r"\(|[:—–]\s|\s-\s|\s/\s")


def match_section(profile: ProfileSpec, section: Section) -> SectionSpec | None:
    """Which of the profile's top-level sections ``section`` is (see ``match_spec``)."""
    return match_spec(profile.sections, section)


def match_spec(specs: Sequence[SectionSpec], section: Section) -> SectionSpec | None:
    """Exact match on the title or an alias, also once a qualifier is cut off ("Rollback
    (automated)", "Contacts: escalation"); a longer heading also matches a multi-word name it
    starts with ("Rollback Procedure for the database")."""
    title = section.normalized
    rest = numbering_prefix(section.title)[1]
    qualifier = _QUALIFIER.search(rest)
    short = normalize_title(rest[: qualifier.start()] if qualifier else rest)
    for spec, names in _names(specs):
        if title in names or (short and short in names):
            return spec
    for spec, prefixes in _prefixes(specs):
        if title.startswith(prefixes):
            return spec
    return None


_PREFIXES: dict[_SpecsKey, tuple[tuple[SectionSpec, ...], _Prefixed]] = {}


def _prefixes(specs: Sequence[SectionSpec]) -> _Prefixed:
    """What a longer heading may start with to name each section: "Rollback Procedure for the
    database" (a multi-word name), "Contacts & Escalation" (any name, then "and"; a single
    word alone would make "Rollback Readiness" the rollback)."""
    key = _key(specs)
    cached = _PREFIXES.get(key)
    if cached is None or not _same(cached[0], specs):
        found = [
            (spec, (*(f"{n} " for n in names if " " in n), *(f"{n} and " for n in names)))
            for spec, names in _names(specs)
        ]
        cached = _PREFIXES[key] = (tuple(specs), found)
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
    if any(spec.sections for spec in profile.sections):
        outline.nested = [
            pair for spec, section in outline.matched for pair in _nested(spec, section)
        ]
    return outline


def _nested(parent: SectionSpec, section: Section) -> list[tuple[SectionSpec, Section]]:
    """The sections ``parent`` declares, found below ``section`` at any depth: headings, and
    list items or paragraphs that open with bold text (older KEPs write their questions as
    ``* **Were upgrade and rollback tested?**``). The first match of each wins."""
    if not parent.sections:
        return []
    found: list[tuple[SectionSpec, Section]] = []
    seen: set[str] = set()
    candidates = [s for s in section.walk_sections() if s is not section]
    candidates += bold_lead_sections(section)
    for candidate in sorted(candidates, key=lambda s: s.start_line):
        spec = match_spec(parent.sections, candidate)
        if spec is not None and spec.id not in seen:
            seen.add(spec.id)
            found.append((spec, candidate))
            found += _nested(spec, candidate)
    return found


class Detection(NamedTuple):
    profile: ProfileSpec | None
    score: int  # context keys found, or sections matched
    runners_up: tuple[str, ...] = ()
    by_context: bool = False  # found by its context block, not by its headings


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
        return Detection(by_context[0], len(by_context[0].detect.context), by_context=True)
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
