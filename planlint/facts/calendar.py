"""The change calendar: every plan's window with what it touches, and how plans collide.

A plan's place on the calendar (``PlanEntry``) is plain data: the application reads the other
plans once (``planlint.app.calendar``), keeps their entries in a small cache, and hands the
``Calendar`` to the engine, whose checks compare the plan being linted with it. Nothing here
imports the parser: entries read back from the cache are placed without it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone, tzinfo
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from planlint.facts.freezes import Freeze

_OFFSET = re.compile(r"([+-])([0-9]{2}):([0-9]{2})")


@cache
def zone_of(name: str) -> tzinfo:
    """A zone as windows name them: "UTC", an offset such as "+05:30", or an IANA key."""
    if name == "UTC":
        return timezone.utc
    if match := _OFFSET.fullmatch(name):
        delta = timedelta(hours=int(match[2]), minutes=int(match[3]))
        return timezone(-delta if match[1] == "-" else delta)
    return ZoneInfo(name)


class PlannedWindow(NamedTuple):
    start: datetime  # aware, UTC
    end: datetime  # aware, UTC, after start
    zone: str  # the zone the plan wrote it in
    has_timezone: bool
    text: str
    line: int


class PlanEntry(NamedTuple):
    """A plan on the calendar: its window (or why it has none) and what it touches."""

    path: str  # relative to the calendar's root, with "/"
    title: str
    environment: str  # normalised, "unknown" when the plan does not say
    risk: str  # low, medium, high, critical or unknown
    systems: tuple[str, ...]  # normalised names (``system_key``)
    window: PlannedWindow | None
    problem: str | None = None  # why it cannot be placed, when window is None


def system_key(name: str) -> str:
    """ "Checkout API", "checkout-api" and "`checkout_api`" are one system."""
    words = re.sub(r"[^0-9a-z]+", " ", name.casefold()).split()
    while words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return "-".join(words)


def span_text(start: datetime, end: datetime, zone: str) -> str:
    """ "Wed 2026-12-09 10:00–11:30 Europe/Berlin" in ``zone``; the end's day is repeated when
    the span crosses midnight, and a span ending at midnight ends at 24:00."""
    tz = zone_of(zone)
    low, high = start.astimezone(tz), end.astimezone(tz)
    if high.date() == low.date():
        return f"{low:%a %Y-%m-%d %H:%M}–{high:%H:%M} {zone}"
    if high.time() == time(0) and high.date() - low.date() == timedelta(days=1):
        return f"{low:%a %Y-%m-%d %H:%M}–24:00 {zone}"
    return f"{low:%a %Y-%m-%d %H:%M} – {high:%a %Y-%m-%d %H:%M} {zone}"


def in_zones(start: datetime, end: datetime, zones: Iterable[str]) -> str:
    """The span in each of ``zones`` (each once), joined by " = "."""
    return " = ".join(span_text(start, end, zone) for zone in dict.fromkeys(zones))


def overlap(
    a: PlannedWindow | tuple[datetime, datetime], b: PlannedWindow | tuple[datetime, datetime]
) -> tuple[datetime, datetime] | None:
    """The time two windows share, in UTC, or None."""
    low, high = max(a[0], b[0]), min(a[1], b[1])
    return (low, high) if low < high else None


class Conflict(NamedTuple):
    other: PlanEntry
    start: datetime  # the overlap, UTC
    end: datetime
    systems: tuple[str, ...]  # the systems both plans touch


def conflicts(entry: PlanEntry, others: Iterable[PlanEntry]) -> list[Conflict]:
    """Plans for the same (known) environment whose windows overlap ``entry``'s and that touch
    a system it touches, earliest first."""
    if entry.window is None or entry.environment == "unknown" or not entry.systems:
        return []
    found = []
    for other in others:
        if other.window is None or other.environment != entry.environment:
            continue
        shared = tuple(system for system in entry.systems if system in other.systems)
        both = overlap(entry.window, other.window) if shared else None
        if both is not None:
            found.append(Conflict(other, *both, shared))
    return sorted(found, key=lambda conflict: (conflict.start, conflict.other.path))


class Crowd(NamedTuple):
    """The busiest moment of a production window: how many production changes run then."""

    size: int  # this plan included
    others: tuple[PlanEntry, ...]
    start: datetime  # UTC
    end: datetime


def busiest(entry: PlanEntry, others: Iterable[PlanEntry]) -> Crowd | None:
    """The moment in ``entry``'s window when the most production changes run at once."""
    if entry.window is None or entry.environment != "production":
        return None
    window = entry.window
    during = [
        other
        for other in others
        if other.window is not None
        and other.environment == "production"
        and overlap(window, other.window) is not None
    ]
    if not during:
        return Crowd(1, (), window.start, window.end)
    # Every moment a window starts or ends inside this one; the count holds between them.
    moments = sorted(
        {window.start, window.end}
        | {t for o in during for t in (o.window.start, o.window.end) if o.window}  # type: ignore[union-attr]
    )
    best: Crowd | None = None
    for low, high in pairwise(moments):
        if low < window.start or high > window.end:
            continue
        running = tuple(o for o in during if o.window and o.window.start <= low < o.window.end)
        if best is None or len(running) + 1 > best.size:
            best = Crowd(len(running) + 1, running, low, high)
        elif best.end == low and running == best.others:
            best = best._replace(end=high)
    return best


@dataclass(frozen=True)
class Calendar:
    """What the engine's calendar checks read: the plans on the calendar, the freezes, the team
    zones and the cap on concurrent production changes."""

    root: Path
    plans: tuple[PlanEntry, ...] = ()
    freezes: tuple[Freeze, ...] = ()
    team_zones: tuple[str, ...] = ()
    max_concurrent_production: int | None = None
    digest: str = ""  # of everything above: results linted against it are cached under it

    def relative(self, path: Path | None) -> str | None:
        """``path`` as the entries name it: relative to the root, absolute outside it."""
        if path is None:
            return None
        try:  # the folder resolved, not the file: a link is named where it is
            absolute = path.parent.resolve() / path.name
            return absolute.relative_to(self.root.resolve()).as_posix()
        except (ValueError, OSError, RuntimeError):
            return path.absolute().as_posix()

    def others(self, path: Path | None) -> list[PlanEntry]:
        """Every plan but the one at ``path``."""
        own = self.relative(path)
        return [entry for entry in self.plans if entry.path != own]

    def weekly(self) -> list[Freeze]:
        return [freeze for freeze in self.freezes if freeze.form == "weekly"]

    def dated(self) -> list[Freeze]:
        return [freeze for freeze in self.freezes if freeze.form != "weekly"]


def applies(freeze: Freeze, environment: str) -> bool | None:
    """Whether a freeze holds for a plan: True, False, or None when the freeze names
    environments and the plan states none (it may well be one of them)."""
    if not freeze.environments:
        return True
    if environment == "unknown":
        return None
    return environment in freeze.environments


def names(entries: Sequence[PlanEntry]) -> str:
    return ", ".join(entry.path for entry in entries)
