"""The calendar as ``planlint calendar`` shows it: each placed plan in time order, with the
plans it collides with, the freezes it falls in and how crowded production is then; and the
plans that cannot be placed, with why."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timezone
from typing import NamedTuple

from planlint.facts.calendar import (
    Calendar,
    Conflict,
    Crowd,
    PlanEntry,
    applies,
    busiest,
    conflicts,
)
from planlint.facts.freezes import FreezeHit, first_hit


class AgendaRow(NamedTuple):
    entry: PlanEntry  # its window is set
    conflicts: tuple[Conflict, ...]
    crowd: Crowd | None  # only when over the cap
    freezes: tuple[FreezeHit, ...]


class Agenda(NamedTuple):
    rows: tuple[AgendaRow, ...]
    unplaced: tuple[PlanEntry, ...]
    team_zones: tuple[str, ...]
    cap: int | None


def agenda(
    calendar: Calendar,
    shown: Collection[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Agenda:
    """The rows of the plans named by ``shown`` (their keys; None: every plan) whose window
    meets [since, until); conflicts are found among all the calendar's plans."""
    rows: list[AgendaRow] = []
    unplaced: list[PlanEntry] = []
    for entry in calendar.plans:
        if shown is not None and entry.path not in shown:
            continue
        window = entry.window
        if window is None:
            unplaced.append(entry)
            continue
        if (since is not None and window.end <= since) or (
            until is not None and window.start >= until
        ):
            continue
        others = [other for other in calendar.plans if other.path != entry.path]
        crowd = busiest(entry, others)
        cap = calendar.max_concurrent_production
        over = crowd if cap is not None and crowd is not None and crowd.size > cap else None
        zones = (window.zone, *calendar.team_zones)
        hits = []
        for freeze in calendar.freezes:
            if applies(freeze, entry.environment) is False:
                continue
            hit = first_hit(freeze, window.start, window.end, zones)
            if hit is not None:
                hits.append(hit)
        rows.append(AgendaRow(entry, tuple(conflicts(entry, others)), over, tuple(hits)))
    rows.sort(key=lambda row: (_start(row.entry), row.entry.path))
    return Agenda(
        tuple(rows), tuple(unplaced), calendar.team_zones, calendar.max_concurrent_production
    )


def _start(entry: PlanEntry) -> datetime:
    return entry.window.start if entry.window else datetime.max.replace(tzinfo=timezone.utc)
