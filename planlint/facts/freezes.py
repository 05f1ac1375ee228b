"""Freeze periods, in the forms teams keep them, each asked one thing: where does a window
first run into it?

- ``WeeklyFreeze``: a weekly period on a wall clock (Friday from 12:00), read in the window's
  own zone and in each team zone: what is Thursday evening for the author is Friday afternoon
  for an on-call engineer on another continent.
- ``CronFreeze``: a GitLab deploy freeze, from each ``freeze_start`` to the next
  ``freeze_end``, both cron expressions in ``cron_timezone``.
- ``FixedFreeze``: one period with a start and an end.
- ``IcsFreeze``: the events of an iCalendar file (``planlint.facts.icsfreeze`` reads it),
  recurring ones expanded only over the window asked about.

Only the first overlap is looked for, so the work is bounded by the window, never by how often
a period recurs.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta, timezone
from typing import TYPE_CHECKING, Literal, NamedTuple, Protocol

from planlint.facts.calendar import zone_of
from planlint.facts.windows import DAYS, MAX_DAYS, Window, weekly_overlaps

if TYPE_CHECKING:
    from planlint.facts.icsfreeze import IcsEvents


class FreezeHit(NamedTuple):
    """Where a window first runs into a freeze."""

    freeze: str  # the freeze's name
    event: str | None  # the calendar event ("Christmas Day"), when the freeze has several
    start: datetime  # the freeze period that is hit, aware
    end: datetime
    zone: str  # the zone the period is read in
    overlap_start: datetime  # the time the window and the period share, UTC
    overlap_end: datetime


class Freeze(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def environments(self) -> tuple[str, ...]: ...

    @property
    def form(self) -> Literal["ics", "cron", "weekly", "window"]: ...

    def first_hit(self, start: datetime, end: datetime, zones: Sequence[str]) -> FreezeHit | None:
        """The first overlap of the window [start, end) with the freeze; ``zones`` are the
        wall clocks a period without its own zone is read on, the window's own first."""
        ...


def first_hit(
    freeze: Freeze, start: datetime, end: datetime, zones: Sequence[str]
) -> FreezeHit | None:
    """``freeze.first_hit``, and none for a window at the very edge of the calendar (the last
    hours of year 9999 or the first of year 1), where the date arithmetic of any freeze form
    overflows: such a window cannot be judged against a calendar, and must not end the lint."""
    try:
        return freeze.first_hit(start, end, zones)
    except OverflowError:
        return None


def _hit(
    name: str,
    event: str | None,
    period: tuple[datetime, datetime],
    zone: str,
    start: datetime,
    end: datetime,
) -> FreezeHit | None:
    low = max(period[0].astimezone(timezone.utc), start)
    high = min(period[1].astimezone(timezone.utc), end)
    if low < high or (period[0] == period[1] and start <= period[0] < end):
        return FreezeHit(name, event, period[0], period[1], zone, low, max(low, high))
    return None


class WeeklyFreeze(NamedTuple):
    name: str
    environments: tuple[str, ...]
    days: tuple[str, ...]
    start: time
    end: time | None  # None: midnight at the end of the day
    form: Literal["weekly"] = "weekly"

    def label(self, zone: str | None = None) -> str:
        days = ", ".join(day.capitalize() for day in self.days)
        until = f"{self.end:%H:%M}" if self.end else "24:00"
        return f"{days} {self.start:%H:%M}–{until}" + (f" in {zone}" if zone else "")

    def first_hit(self, start: datetime, end: datetime, zones: Sequence[str]) -> FreezeHit | None:
        days = [DAYS.index(day) for day in self.days]
        for zone in dict.fromkeys(zones):
            window = Window(start.astimezone(zone_of(zone)), end, zone, True, "")
            try:
                found = weekly_overlaps(window, days, self.start, self.end)
            except OverflowError:  # the very edge of the calendar (year 9999)
                continue
            if found:
                low, high = found[0]
                day = low.date()
                until = self.end or time(0)
                slot_end = day + timedelta(days=1 if until <= self.start else 0)
                period = (
                    datetime.combine(day, self.start, zone_of(zone)),
                    datetime.combine(slot_end, until, zone_of(zone)),
                )
                utc = timezone.utc
                return FreezeHit(
                    self.name, None, *period, zone, low.astimezone(utc), high.astimezone(utc)
                )
        return None


class FixedFreeze(NamedTuple):
    name: str
    environments: tuple[str, ...]
    start: datetime  # aware
    end: datetime
    zone: str
    form: Literal["window"] = "window"

    def first_hit(self, start: datetime, end: datetime, zones: Sequence[str]) -> FreezeHit | None:
        return _hit(self.name, None, (self.start, self.end), self.zone, start, end)


class CronFreeze(NamedTuple):
    """GitLab's deploy freeze: active from each ``freeze_start`` until the next
    ``freeze_end``. An expression that never fires (``0 0 30 2 *``) freezes nothing."""

    name: str
    environments: tuple[str, ...]
    freeze_start: str
    freeze_end: str
    zone: str  # cron_timezone
    form: Literal["cron"] = "cron"

    def first_hit(self, start: datetime, end: datetime, zones: Sequence[str]) -> FreezeHit | None:
        from croniter import CroniterError, croniter

        tz = zone_of(self.zone)
        low, high = start.astimezone(tz), min(end, start + timedelta(days=MAX_DAYS)).astimezone(tz)
        try:
            # The freeze in force when the window opens: the last start at or before it…
            began = croniter(self.freeze_start, low + timedelta(seconds=1)).get_prev(datetime)
            ended = croniter(self.freeze_end, began).get_next(datetime)
            if ended > low:
                return _hit(self.name, None, (began, ended), self.zone, start, end)
            # …or the next one to start while it is open.
            began = croniter(self.freeze_start, low).get_next(datetime)
            if began >= high:
                return None
            ended = croniter(self.freeze_end, began).get_next(datetime)
            return _hit(self.name, None, (began, ended), self.zone, start, end)
        except (CroniterError, ValueError, OverflowError):  # never fires, or past year 9999
            return None


class IcsFreeze(NamedTuple):
    name: str
    environments: tuple[str, ...]
    events: IcsEvents
    zone: str | None  # where all-day and floating events are; None: on every wall clock
    form: Literal["ics"] = "ics"

    def first_hit(self, start: datetime, end: datetime, zones: Sequence[str]) -> FreezeHit | None:
        end = min(end, start + timedelta(days=MAX_DAYS))
        clocks = [self.zone] if self.zone else list(dict.fromkeys(zones))
        if not self.events.floating:
            clocks = clocks[:1]  # every event has its own zone: one look is enough
        for zone in clocks:
            # Slice by slice, earliest first: the first slice with a hit holds the first hit.
            for found in self.events.slices(start, end, zone_of(zone)):
                hits = [_hit(self.name, event, period, zone, start, end) for event, period in found]
                earliest = min((h for h in hits if h), key=lambda h: h.overlap_start, default=None)
                if earliest is not None:
                    return earliest
        return None
