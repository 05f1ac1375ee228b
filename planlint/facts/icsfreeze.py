"""Freeze calendars from iCalendar files (RFC 5545), read with ``icalendar`` and expanded with
``recurring-ical-events``.

The file comes from the repository, so from whoever opened the pull request: everything that
could make expanding it hang is refused with a message naming the event. Events recur at most
daily (no ``FREQ=SECONDLY``, no ``BYHOUR``), the numbers of events, recurring series and extra
dates are capped, and each recurring series is expanded once when the file is read, timed: a
rule that never or almost never occurs (``FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30``) makes the
library search to year 9999, and is refused instead of being searched again for every plan.
Later queries are bounded by the window asked about, a month at a time.
"""

from __future__ import annotations

import time as clock
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any

import icalendar
import recurring_ical_events

MAX_EVENTS = 5_000
MAX_SERIES = 200  # recurring events (RRULE, RDATE or overrides), grouped by UID
MAX_DATES = 5_000  # RDATE and EXDATE values, all events together
SERIES_BUDGET = 0.5  # seconds to expand one series once; a sane one takes a millisecond
TOTAL_BUDGET = 3.0
SLICE = timedelta(days=31)
HORIZON = timedelta(days=3660)  # windows further from today than this are not expanded
_DAILY_OR_SLOWER = frozenset({"DAILY", "WEEKLY", "MONTHLY", "YEARLY"})
_CHECKED = ("DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID")


class IcsError(ValueError):
    """What is wrong with a calendar file, at a line when one can be named."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message, self.line = message, line


Occurrence = tuple[str | None, tuple[datetime, datetime]]  # the event's name, its period


class IcsEvents:
    """The events of one calendar, ready to be asked about a window."""

    def __init__(self, queries: list[Any], floating: bool) -> None:
        self._queries = queries
        self.floating = floating  # some event has no zone (all-day, or a floating time)

    def slices(self, start: datetime, end: datetime, tz: tzinfo) -> Iterator[list[Occurrence]]:
        """The occurrences overlapping [start, end), a month at a time, earliest month first;
        all-day and floating events are placed on the wall clock of ``tz``."""
        today = datetime.now(timezone.utc)
        if abs(start - today) > HORIZON:
            return  # a window decades away: expanding every series up to it is not worth it
        low = start
        while low < end:
            high = min(end, low + SLICE)
            found: list[Occurrence] = []
            for query in self._queries:
                for component in query.between(low.astimezone(tz), high.astimezone(tz)):
                    found.append((_summary(component), _period(component, tz)))
            yield found
            low = high


def _summary(component: Any) -> str | None:
    summary = component.get("SUMMARY")
    return str(summary).strip() or None if summary is not None else None


def _placed(value: date | datetime, tz: tzinfo) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=tz)
    return datetime.combine(value, time(0), tz)  # midnight on that clock, DST or not


def _period(component: Any, tz: tzinfo) -> tuple[datetime, datetime]:
    return _placed(component.start, tz), _placed(component.end, tz)


def _line(text: str, *needles: str) -> int | None:
    """The first line holding every needle (an event's UID, a property), to point at."""
    for number, line in enumerate(text.splitlines(), start=1):
        if all(needle in line for needle in needles):
            return number
    return None


def read_ics(data: bytes) -> IcsEvents:
    """The events of an iCalendar file; ``IcsError`` says what is wrong, and where."""
    text = data.decode("utf-8", errors="replace")
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except (ValueError, KeyError, IndexError, TypeError, RecursionError) as error:
        raise IcsError(f"not an iCalendar file: {error}") from None
    if not isinstance(calendar, icalendar.Calendar) or calendar.name != "VCALENDAR":
        raise IcsError("not an iCalendar file: it must be one BEGIN:VCALENDAR … END:VCALENDAR")
    zones = [c for c in calendar.subcomponents if c.name == "VTIMEZONE"]
    events = [c for c in calendar.subcomponents if c.name == "VEVENT"]
    if len(events) > MAX_EVENTS:
        raise IcsError(f"{len(events)} events; a freeze calendar may hold at most {MAX_EVENTS}")
    plain: list[Any] = []
    series: dict[str, list[Any]] = {}
    dates = 0
    floating = False
    for event in events:
        dates += _check(event, text)
        if dates > MAX_DATES:
            raise IcsError(f"more than {MAX_DATES} RDATE and EXDATE values; split the calendar")
        start = event.get("DTSTART").dt
        floating = floating or not isinstance(start, datetime) or start.tzinfo is None
        if any(key in event for key in ("RRULE", "RDATE", "RECURRENCE-ID")):
            series.setdefault(str(event.get("UID", "")), []).append(event)
        else:
            plain.append(event)
    if len(series) > MAX_SERIES:
        raise IcsError(f"{len(series)} recurring events; at most {MAX_SERIES}")
    queries = [_query(zones, plain, text)] if plain else []
    spent = 0.0
    for members in series.values():
        began = clock.monotonic()
        queries.append(_query(zones, members, text))
        took = clock.monotonic() - began
        spent += took
        if took > SERIES_BUDGET or spent > TOTAL_BUDGET:
            name = _summary(members[0]) or str(members[0].get("UID", "?"))
            raise IcsError(
                f"the recurring event {name!r} takes too long to expand ({took:.1f} s): its "
                "RRULE never or almost never occurs, or starts centuries ago; simplify it",
                _line(text, "UID:", str(members[0].get("UID", "\0"))),
            )
    return IcsEvents(queries, floating)


def _check(event: Any, text: str) -> int:
    """Refuse what cannot be read or would recur more than daily; the event's extra dates."""
    uid = str(event.get("UID", ""))
    name = _summary(event) or uid or "an event"
    where = _line(text, "UID:", uid) if uid else None
    for prop, problem in getattr(event, "errors", []):
        if prop in _CHECKED:
            raise IcsError(f"event {name!r}: {prop}: {problem}", where)
    if "DTSTART" not in event:
        raise IcsError(f"event {name!r} has no DTSTART", where)
    rules = event.get("RRULE")
    for rule in rules if isinstance(rules, list) else [rules] if rules is not None else []:
        frequency = "".join(rule.get("FREQ", []))
        if frequency not in _DAILY_OR_SLOWER:
            raise IcsError(
                f"event {name!r}: RRULE FREQ={frequency or '(none)'}; a freeze recurs at most "
                "daily (DAILY, WEEKLY, MONTHLY or YEARLY)",
                where,
            )
        for part in ("BYHOUR", "BYMINUTE", "BYSECOND"):
            if part in rule:
                raise IcsError(
                    f"event {name!r}: RRULE {part} is not supported in a freeze calendar; "
                    "give the hours with DTSTART and DTEND",
                    where,
                )
    count = 0
    for key in ("RDATE", "EXDATE"):
        values = event.get(key)
        for value in values if isinstance(values, list) else [values] if values else []:
            count += len(getattr(value, "dts", [value]))
    return count


def _query(zones: list[Any], members: list[Any], text: str) -> Any:
    """A query over some events, expanded once (which fills the library's caches)."""
    calendar = icalendar.Calendar()
    for component in (*zones, *members):
        calendar.add_component(component)
    try:
        query = recurring_ical_events.of(calendar)
        probe = datetime.now(timezone.utc).replace(microsecond=0)
        query.between(probe, probe + timedelta(days=1))
    except Exception as error:  # the library's own errors, and a value it chokes on
        name = _summary(members[0]) or str(members[0].get("UID", "?"))
        uid = str(members[0].get("UID", "\0"))
        raise IcsError(
            f"event {name!r} cannot be expanded: {error}", _line(text, "UID:", uid)
        ) from None
    return query
