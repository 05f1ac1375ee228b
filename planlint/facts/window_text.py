"""Change windows as people actually write them, read leniently.

``windows.parse_window`` reads the forms planlint recommends, exactly, and explains what is
wrong with anything else. Plans written without planlint in mind say the same thing in many
more ways: "Fri Dec 11, 1:00–3:00 PM PT", "Tuesday 19 January 2027 · 13:00 → 15:00
Europe/Berlin; ~70 minutes", "2027-01-12T22:00Z/PT3H", "Thursdays 10:00–12:00 CET",
"Window: Fri 2027-02-05 15:00–18:00 CET. The restart takes 2.5 h". This module finds the
window's parts wherever they stand in such text — a date or a weekday, a start and an end time
(or a duration), a zone — and builds the same ``Window``. It is what a freeze is judged on when
the exact reading fails, so a Friday-afternoon window never escapes because of how it is spelled.

A weekday with no date ("Tuesdays 06:00–07:00 UTC") is a recurring slot: it is placed on that
weekday of a fixed reference week, which is all a weekly freeze needs. A date with no time is
the whole day.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo
from typing import NamedTuple

from planlint.core.frozen import lazy_pattern
from planlint.facts.windows import (
    ABBREVIATIONS,
    DAYS,
    MONTHS,
    Window,
    WindowError,
    resolve_zone,
)

REFERENCE_MONDAY = date(2027, 1, 4)  # where a weekday-only slot is placed
# Zone words: the abbreviations the exact reader knows, and the names of UTC.
_ZONE_WORDS = {**ABBREVIATIONS, "GMT": "UTC", "UTC": "UTC", "Z": "UTC"}

_MONTH_WORD = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY_OF_MONTH = r"(?:[0-3]?[0-9])(?:st|nd|rd|th)?"
_TOKEN = lazy_pattern(
    rf"""
    (?P<iso>\d{{4}}-\d{{2}}-\d{{2}}[Tt]\d{{1,2}}:\d{{2}}(?::\d{{2}}(?:\.\d+)?)?
        (?P<iso_zone>[Zz]|[+-]\d{{2}}(?::?\d{{2}})?)?)
    |(?P<duration_iso>\bP(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?)?\b(?<!P)(?<!T))
    |(?P<ymd>\b\d{{4}}-\d{{1,2}}-\d{{1,2}}\b)
    |(?P<dmy>\b{_DAY_OF_MONTH}\s+{_MONTH_WORD}(?:,?\s+(?P<dmy_year>\d{{4}}))?(?![\w:]))
    |(?P<mdy>\b{_MONTH_WORD}\s+{_DAY_OF_MONTH}(?:,?\s+(?P<mdy_year>\d{{4}}))?(?![\w:]))
    |(?P<weekday>\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|
        thu(?:rs?)?|fri|sat|sun)s?\.?(?![\w]))
    |(?P<clock12>\b\d{{1,2}}(?::\d{{2}})?\s*(?P<meridiem>[ap])\.?\s?m\.?(?![\w]))
    |(?P<clock>\b\d{{1,2}}[:.h]\d{{2}}(?::\d{{2}})?\b(?!\s*%))
    |(?P<noon>\bnoon\b|\bmidday\b|\bmidnight\b)
    |(?P<part>\b(?:morning|afternoon|evening|night|overnight)s?\b)
    |(?P<duration>(?:~|≈|about\s+|approx\.?\s+|for\s+)?\b\d+(?:[.,]\d+)?\s*
        (?P<unit>h|hrs?|hours?|m|mins?|minutes?)\b)
    |(?P<iana>\b[A-Z][A-Za-z_]+/[A-Z][A-Za-z_]+(?:/[A-Z][A-Za-z_]+)?\b)
    |(?P<offset>\b(?:UTC|GMT)\s?[+-]\s?\d{{1,2}}(?::?\d{{2}})?\b)
    |(?P<zone>\b[A-Z]{{1,5}}\b)
    |(?P<range>[-–—→]|->|\bto\b|\buntil\b|\btill\b|\bthrough\b)
    |(?P<stop>;|\.\s+(?=[A-Z])|\s\((?=[a-z]))
    """,
    re.IGNORECASE | re.VERBOSE,
)


_PARTS_OF_DAY = {
    "morning": (time(6), time(12)),
    "afternoon": (time(12), time(18)),
    "evening": (time(18), time(22)),
    "night": (time(22), time(6)),
    "overnight": (time(22), time(6)),
}


class _Found(NamedTuple):
    kind: str  # the token group that matched: "ymd", "weekday", "clock12", "zone", …
    match: re.Match[str]

    @property
    def start(self) -> int:
        return self.match.start()

    @property
    def text(self) -> str:
        return self.match.group(0)


def _follows_a_day(part: _Found, items: list[_Found], text: str) -> bool:
    """ "Friday afternoon", "Fri 2026-12-11 afternoon": a part of the day right after its day,
    not "Tuesday, after the morning batch"."""
    for item in items:
        if item.kind in ("weekday", "ymd", "dmy", "mdy"):
            between = text[item.match.end() : part.start]
            if item.start < part.start and not between.strip(" ,"):
                return True
    return False


def _weekday(word: str) -> int:
    """Monday 0 … Sunday 6, from any spelling the token pattern lets through ("Thurs.")."""
    return next(index for index, day in enumerate(DAYS) if day[:3] == word[:3].lower())


def _year_for(month: int, day: int, weekday: int | None, today: date) -> int:
    """The year of a date written without one: the one whose weekday matches, nearest first."""
    candidates = sorted(range(today.year - 1, today.year + 3), key=lambda y: abs(y - today.year))
    for year in candidates:
        try:
            if weekday is None or date(year, month, day).weekday() == weekday:
                return year
        except ValueError:
            continue
    return today.year


def _scan(text: str) -> list[_Found]:
    found: list[_Found] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or ""
        if kind in ("iso_zone", "dmy_year", "mdy_year", "meridiem", "unit"):
            kind = next(k for k in ("iso", "dmy", "mdy", "clock12", "duration") if match[k])
        if kind == "zone" and match.group(0).upper() not in _ZONE_WORDS:
            continue
        if kind == "stop":
            if any(item.kind in ("clock", "clock12", "iso", "noon") for item in found):
                break  # the window is over; what follows is a note
            continue
        found.append(_Found(kind, match))
    return found


def _clock(item: _Found) -> tuple[int, int, str | None]:
    match, kind, raw = item.match, item.kind, item.text
    if kind == "noon":
        return (12, 0, None) if raw.lower() in ("noon", "midday") else (24, 0, None)
    digits = re.findall(r"\d+", raw)
    hour, minute = int(digits[0]), int(digits[1]) if len(digits) > 1 else 0
    meridiem = match.group("meridiem").lower() if kind == "clock12" else None
    return hour, minute, meridiem


def _to_24(hour: int, meridiem: str | None) -> int:
    if meridiem is None:
        return hour
    return hour % 12 + (12 if meridiem == "p" else 0)


def _duration(item: _Found) -> timedelta:
    raw = item.text.upper()
    if item.kind == "duration_iso":
        days = re.search(r"(\d+)D", raw)
        hours = re.search(r"(\d+)H", raw)
        minutes = re.search(r"(\d+)M", raw.partition("T")[2])
        return timedelta(
            days=int(days[1]) if days else 0,
            hours=int(hours[1]) if hours else 0,
            minutes=int(minutes[1]) if minutes else 0,
        )
    amount = float(re.findall(r"\d+(?:[.,]\d+)?", raw)[0].replace(",", "."))
    unit = item.match.group("unit").lower()
    return timedelta(hours=amount) if unit.startswith("h") else timedelta(minutes=amount)


def _date_of(item: _Found, weekday: int | None, today: date) -> date:
    match = item.match
    if item.kind == "ymd":
        year, month, day = map(int, match.group(0).split("-"))
        return date(year, month, day)
    words = re.findall(r"[A-Za-z]+", match.group(0))
    month = next(MONTHS[w[:3].lower()] for w in words if len(w) >= 3 and w[:3].lower() in MONTHS)
    day = int(re.findall(r"\d+", match.group(0))[0])
    year_group = match.group("dmy_year" if item.kind == "dmy" else "mdy_year")
    year = int(year_group) if year_group else _year_for(month, day, weekday, today)
    return date(year, month, day)


def scan_window(text: str, default_zone: str = "UTC", today: date | None = None) -> Window:
    """The window in free text, or ``WindowError`` when it names no day or date to place it."""
    today = today or date.today()
    cleaned = text.replace("*", " ").replace("`", " ").replace("·", " ")
    items = _scan(cleaned)
    named = [item.text for item in items if item.kind in ("iana", "offset")]
    words = [_ZONE_WORDS[item.text.upper()] for item in items if item.kind == "zone"]
    zone = next(iter(named + words), None)
    zone_name = zone if zone is not None else default_zone
    try:
        tz = resolve_zone(zone_name)
    except WindowError:
        zone_name, tz = default_zone, resolve_zone(default_zone)
    isos = [item for item in items if item.kind == "iso"]
    if isos:
        return _iso_window(isos, items, tz, zone_name, zone is not None, text)
    weekday = next((_weekday(item.text) for item in items if item.kind == "weekday"), None)
    dates = [item for item in items if item.kind in ("ymd", "dmy", "mdy")]
    clocks = [item for item in items if item.kind in ("clock", "clock12", "noon")]
    try:
        days = [_date_of(item, weekday, today) for item in dates[:2]]
    except (ValueError, StopIteration):
        raise WindowError("the window names no valid date") from None
    if not days:
        if weekday is None:
            raise WindowError("the window names no day or date")
        days = [REFERENCE_MONDAY + timedelta(days=weekday)]
    start_day = days[0]
    parts = [item for item in items if item.kind == "part" and _follows_a_day(item, items, cleaned)]
    if not clocks and parts:  # "Friday afternoon"
        first, last = _PARTS_OF_DAY[parts[0].text.lower().rstrip("s")]
        start = datetime.combine(start_day, first, tz)
        end = datetime.combine(start_day + timedelta(days=1 if last <= first else 0), last, tz)
        return Window(start, end, zone_name, zone is not None, text)
    if not clocks and not dates:
        raise WindowError("the window names a weekday but no time or part of the day")
    if not clocks:  # a date alone: the whole day (or through the second date)
        start = datetime.combine(start_day, time(0), tz)
        end = datetime.combine(days[-1] + timedelta(days=1), time(0), tz)
        return Window(start, end, zone_name, zone is not None, text)
    times = [_clock(item) for item in clocks[:2]]
    (start_hour, start_minute, start_meridiem) = times[0]
    end_time = times[1] if len(times) > 1 else None
    if start_meridiem is None and end_time is not None and end_time[2] is not None:
        # "1:00–3:00 PM": the first time shares the second's meridiem when that keeps it first
        shared = _to_24(start_hour, end_time[2])
        start_meridiem = (
            end_time[2]
            if shared <= _to_24(end_time[0], end_time[2])
            else ("a" if end_time[2] == "p" else "p")
        )
        if start_hour == 12 and end_time[2] == "p" and end_time[0] != 12:
            start_meridiem = "p"
    start = _at(start_day, _to_24(start_hour, start_meridiem), start_minute, tz)
    if end_time is not None:
        end_day = days[1] if len(days) > 1 and dates[1].start > clocks[0].start else start_day
        end = _at(end_day, _to_24(end_time[0], end_time[2]), end_time[1], tz)
        if end <= start:
            end += timedelta(days=1)  # "22:00–01:00": past midnight
    else:
        end = start + max(_lasting(items), timedelta(minutes=1))
    return Window(start, end, zone_name, zone is not None, text)


def _lasting(items: list[_Found]) -> timedelta:
    """The duration the text gives ("for 90 minutes", "PT3H"); an hour, the usual change, when
    it gives none."""
    durations = [_duration(item) for item in items if item.kind in ("duration", "duration_iso")]
    return durations[0] if durations else timedelta(hours=1)


def _at(day: date, hour: int, minute: int, tz: tzinfo) -> datetime:
    if hour > 24 or minute > 59:
        raise WindowError(f"{hour:02d}:{minute:02d} is not a time of day")
    extra = timedelta(days=1) if hour == 24 else timedelta(0)
    return datetime.combine(day, time(hour % 24, minute), tz) + extra


def _iso_window(
    isos: list[_Found], items: list[_Found], tz: tzinfo, zone_name: str, explicit: bool, text: str
) -> Window:
    def point(item: _Found) -> datetime:
        parsed = datetime.fromisoformat(item.text.replace("z", "Z").replace("Z", "+00:00"))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)

    try:
        start = point(isos[0])
        end = point(isos[1]) if len(isos) > 1 else start + _lasting(items)
    except ValueError as error:
        raise WindowError(f"the window has an invalid date or time: {error}") from None
    has_zone = explicit or bool(isos[0].match.group("iso_zone"))
    offset = start.utcoffset()
    name = zone_name
    if not explicit and offset is not None:
        name = "UTC" if not offset else start.strftime("%z")
    if end <= start:
        raise WindowError("the window must end after it starts")
    return Window(start, end, name, has_zone, text)
