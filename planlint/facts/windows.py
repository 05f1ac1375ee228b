"""Change windows: read the free-text forms people write in plans into time-zone-aware intervals.

The grammar (window.lark) only says how the text is shaped; this module checks the values
(real dates, named day matching the date, known zones, wall-clock times that exist) so that
errors can say what is wrong, not merely where reading stopped.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from lark import Lark, Token, Tree
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from planlint.core.frozen import lazy_pattern
from planlint.core.larkcache import cached_lark

EXAMPLE = "Friday 2026-12-04 15:00–16:30 UTC"
POINT_EXAMPLE = "2026-12-04 15:00 UTC"
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MAX_DAYS = 366  # weekly_overlaps looks no further than this into a window
ZERO = timedelta(0)

# Abbreviations name a region, not a fixed offset: "PST" in July means Los Angeles time (PDT).
# People mix up the standard and daylight spellings so often that taking the letter literally
# would move windows by an hour more often than it would catch a real mistake.
ABBREVIATIONS: dict[str, str] = {
    "ET": "America/New_York",  # US generic zones ("2 PM ET") follow daylight saving time
    "EST": "America/New_York",
    "EDT": "America/New_York",
    "CT": "America/Chicago",
    "CST": "America/Chicago",
    "CDT": "America/Chicago",
    "MT": "America/Denver",
    "MST": "America/Denver",
    "MDT": "America/Denver",
    "PT": "America/Los_Angeles",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "CET": "Europe/Berlin",
    "CEST": "Europe/Berlin",
    "MEZ": "Europe/Berlin",
    "WET": "Europe/Lisbon",
    "EET": "Europe/Helsinki",
    "EEST": "Europe/Helsinki",
    "BST": "Europe/London",
    "IST": "Asia/Kolkata",
    "JST": "Asia/Tokyo",
    "KST": "Asia/Seoul",
    "SGT": "Asia/Singapore",
    "HKT": "Asia/Hong_Kong",
    "AEST": "Australia/Sydney",
    "AEDT": "Australia/Sydney",
    "AET": "Australia/Sydney",
    "NZST": "Pacific/Auckland",
    "NZDT": "Pacific/Auckland",
    "BRT": "America/Sao_Paulo",
}
_UTC_NAMES = {"UTC", "GMT", "Z", "UT", "ZULU"}
_OFFSET_RE = lazy_pattern(r"(?:UTC|GMT)?\s*([+-])\s*([0-9]{1,2})(?::?([0-9]{2}))?", re.I)
_ISO_RE = lazy_pattern(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2})"
    r"(?::([0-9]{2})(?:\.([0-9]+))?)?([Zz]|[+-][0-9:]+)?"
)
_TIME12_RE = lazy_pattern(r"([0-9]{1,2})(?::([0-9]{2}))?\s*([AaPp])")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = {m: n for n, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
# Where a note may start: "; ...", a dash with spaces on both sides, or a parenthesis that
# ends the text or is followed by another note. Only a note if a whole window comes before it.
_NOTE = lazy_pattern(r";|\s[-–—]\s|\((?P<paren>[^()]*)\)(?=\s*(?:$|;|\()|\s+[-–—]\s)")
# Token type -> role; every token in a point has a distinct role, so a flat dict describes it.
_KIND = {
    "DAYNAME": "day",
    "DATE": "date",
    "MDAY": "mday",
    "MONTH": "month",
    "YEAR": "year",
    "CLOCK": "time",
    "TIME12": "time",
    "ISO_DATETIME": "iso",
    "ZONE_WORD": "zone",
    "IANA": "zone",
    "OFFSET": "zone",
    "UTC_OFFSET": "zone",
}
_DATE, _TIME, _SEP, _ZONE = (
    "a date such as 2026-12-04",
    "a time such as 15:00",
    "'-' or 'to' before the end time",
    "a time zone such as UTC or Europe/Berlin",
)
_DESCRIBE = {
    "DATE": _DATE,
    "ISO_DATETIME": _DATE,
    "DAYNAME": _DATE,
    "MDAY": _DATE,
    "MONTH": _DATE,
    "YEAR": "a year such as 2026",
    "CLOCK": _TIME,
    "TIME12": _TIME,
    "_DASH": _SEP,
    "_TO": _SEP,
    "SLASH": _SEP,
    "ZONE_WORD": _ZONE,
    "IANA": _ZONE,
    "OFFSET": _ZONE,
    "UTC_OFFSET": _ZONE,
    "LPAR": _ZONE,
    "RPAR": "')'",
    "$END": "the end of the window",
}

Zone = tuple[tzinfo, str]  # the tzinfo and its display name


class Window(NamedTuple):
    start: datetime  # aware
    end: datetime  # aware, > start
    zone: str  # IANA key, "UTC" or an offset such as "+01:00"; resolve_zone() accepts it
    has_timezone: bool  # False when the text named no zone and the default was used
    text: str


class WindowError(ValueError):
    def __init__(self, message: str, column: int | None = None, *, shape: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.column = column  # 1-based offset into the text, when known
        # The text is not shaped like a window planlint reads exactly (a wrong date or an
        # unknown zone in a well-shaped window is not a shape problem).
        self.shape = shape


class _Point(NamedTuple):
    naive: datetime
    zone: Zone | None
    column: int


@cache
def _parser() -> Lark:
    grammar = (Path(__file__).parent / "window.lark").read_text(encoding="utf-8")
    return cached_lark(grammar, parser="lalr", lexer="basic", start=["window", "point"])


def _iana_key(name: str) -> str:
    """The zone's name as the zone database spells it: zone files are case-sensitive on disk,
    people's spelling is not ("europe/berlin"). A name the database lacks comes back as given."""
    folded = name.casefold()
    return _listed_keys().get(folded) or _system_keys().get(folded, name)


@cache
def _listed_keys() -> dict[str, str]:
    """tzdata's list of its zones: one small file, which zoneinfo itself reads first."""
    try:
        listing = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8")
    except (ImportError, OSError):
        return {}
    return {key.casefold(): key for key in listing.split()}


@cache
def _system_keys() -> dict[str, str]:
    """Every zone, the system's included. Listing them opens every file in the system's zone
    folder (tens of milliseconds), so only a name tzdata does not list gets here."""
    return {key.casefold(): key for key in available_timezones()}


def _offset_name(delta: timedelta) -> str:
    minutes = int(delta.total_seconds()) // 60
    return f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _zone(name: str, column: int | None = None) -> Zone:
    name = str(name)  # a lark Token is a str whose repr would leak into messages
    key = name.strip().strip("()").strip()
    if key.upper() in _UTC_NAMES:
        return timezone.utc, "UTC"
    key = ABBREVIATIONS.get(key.upper(), key)
    if match := _OFFSET_RE.fullmatch(key):
        sign, hours, minutes = match.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
        if delta > timedelta(hours=14) or int(minutes or 0) >= 60:
            raise WindowError(f"time zone offset {name!r} is out of range (at most ±14:00)", column)
        if not delta:
            return timezone.utc, "UTC"
        delta = -delta if sign == "-" else delta
        return timezone(delta), _offset_name(delta)
    key = _iana_key(key)
    try:
        return ZoneInfo(key), key
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "America" is a directory
        raise WindowError(
            f"unknown time zone {name!r}; use an IANA name such as Europe/Berlin"
            " or an offset such as +02:00",
            column,
        ) from None


def resolve_zone(name: str) -> tzinfo:
    """An IANA name, UTC/GMT/Z, an offset (+02:00, -0500, UTC+2) or a known abbreviation."""
    return _zone(name)[0]


def zone_name(name: str) -> str:
    """The name windows give a zone: "PST" is America/Los_Angeles, "GMT" is UTC, "+2" is
    +02:00. Raises WindowError for a zone it does not know."""
    return _zone(name)[1]


def _column(token: Token) -> int:
    return (token.start_pos or 0) + 1


def _clock(hour: int, minute: int, second: int, column: int) -> tuple[time, int]:
    """The time of day and whether it is "24:00", i.e. midnight at the end of the day."""
    if (hour, minute, second) == (24, 0, 0):
        return time(0), 1
    if hour > 23 or minute > 59 or second > 59:
        raise WindowError(f"{hour:02d}:{minute:02d} is not a valid time of day", column)
    return time(hour, minute, second), 0


def _time(token: Token) -> tuple[time, int]:
    if token.type == "CLOCK":
        hour, minute, second, *_ = [*map(int, token.split(":")), 0]
        return _clock(hour, minute, second, _column(token))
    match = _TIME12_RE.match(token)
    assert match, "the grammar only lets 12-hour times through"
    hour, minute = int(match[1]), int(match[2] or 0)
    if not 1 <= hour <= 12:
        raise WindowError(f"{token.strip()!r} is not a valid 12-hour time", _column(token))
    return _clock(hour % 12 + (12 if match[3] in "Pp" else 0), minute, 0, _column(token))


def _date(year: int, month: int, day: int, written: str, column: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise WindowError(f"{written} is not a valid date", column) from None


def _written_date(fields: dict[str, Token]) -> tuple[date, int]:
    """The date and its column, from "2026-12-09" or the parts of "9 Dec 2026"."""
    if text := fields.get("date"):
        year, month, day = map(int, text.split("-"))
        parts = [text]
    else:
        parts = sorted((fields["mday"], fields["month"], fields["year"]), key=_column)
        year, month = int(fields["year"]), MONTHS[fields["month"][:3].casefold()]
        day = int("".join(filter(str.isdigit, fields["mday"])))  # "9th"
    column = _column(parts[0])
    return _date(year, month, day, " ".join(parts), column), column


def _point(fields: dict[str, Token]) -> _Point:
    zone: Zone | None = None
    if iso := fields.get("iso"):
        column = _column(iso)
        match = _ISO_RE.fullmatch(iso)
        assert match, "the grammar only lets ISO date-times through"
        day = _date(int(match[1]), int(match[2]), int(match[3]), iso[:10], column)
        clock, extra = _clock(int(match[4]), int(match[5]), int(match[6] or 0), column)
        clock = clock.replace(microsecond=int((match[7] or "0").ljust(6, "0")[:6]))
        if match[8]:
            zone = _zone(match[8], column)
            if "zone" in fields:
                raise WindowError(f"{iso} already has an offset", _column(fields["zone"]))
    else:
        day, column = _written_date(fields)
        clock, extra = _time(fields["time"])
    if name := fields.get("day"):
        written = {d[:3].casefold(): d for d in _DAYS}.get(name.casefold()[:3])
        if written != _DAYS[day.weekday()]:
            actual = _DAYS[day.weekday()]
            raise WindowError(f"{day} is a {actual}, not a {name.rstrip('.')}", _column(name))
    if "zone" in fields:
        zone = _zone(fields["zone"], _column(fields["zone"]))
    return _Point(datetime.combine(day, clock) + timedelta(days=extra), zone, column)


def _fields(nodes: Iterable[Tree[Token] | Token]) -> dict[str, Token]:
    tokens: list[Token] = []
    for node in nodes:
        tokens += [node] if isinstance(node, Token) else node.scan_values(lambda _: True)
    return {_KIND[token.type]: token for token in tokens}


def _localize(naive: datetime, zone: Zone, column: int | None) -> datetime:
    aware = naive.replace(tzinfo=zone[0])
    # zoneinfo quietly shifts a wall-clock time that a DST jump skips; a window starting at a
    # time that never happens is almost certainly a mistake, so say so.
    if aware.astimezone(timezone.utc).astimezone(zone[0]).replace(tzinfo=None) != naive:
        raise WindowError(f"{naive:%Y-%m-%d %H:%M} does not exist in {zone[1]}", column)
    return aware


def _window(start: datetime, end: datetime, zone: str, explicit: bool, text: str) -> Window:
    # Compare in UTC: aware datetimes sharing one tzinfo object compare by wall clock.
    if end.astimezone(timezone.utc) <= start.astimezone(timezone.utc):
        raise WindowError(
            f"the window must end after it starts; it runs from "
            f"{start.isoformat()} to {end.isoformat()}"
        )
    return Window(start, end, zone, explicit, text)


def _shown(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _parse(text: str, start: str, what: str, example: str) -> Tree[Token]:
    try:
        return _parser().parse(text, start=start)
    except UnexpectedInput as error:
        expected: Iterable[str] = ()
        where, column = "", (error.pos_in_stream or 0) + 1
        if isinstance(error, UnexpectedCharacters):
            expected = error.allowed
        elif isinstance(error, UnexpectedToken):
            # `accepts` replays the parse, so unlike `expected` it is not blurred by LALR merging.
            expected = error.accepts or error.expected
            column = _column(error.token)
            if error.token.type == "$END":
                where, column = " at the end", len(text.rstrip()) + 1
        wanted = list(dict.fromkeys(_DESCRIBE[n] for n in sorted(expected) if n in _DESCRIBE))
        where = where or f" at column {column}"
        message = f"expected {' or '.join(wanted) or 'something else'}{where}"
    except LarkError as error:  # not expected from LALR, but never let it escape as-is
        message, column = str(error), 1
    raise WindowError(
        f"could not read {what} {_shown(text)}: {message}; write it like {example!r}",
        column,
        shape=True,
    )


def _names_zone(text: str) -> bool:
    """Whether text is a known zone or an offset (which may be out of range, an error)."""
    try:
        _zone(text)
    except WindowError:
        return _OFFSET_RE.fullmatch(text.strip()) is not None
    return True


def _without_note(text: str) -> str:
    """The text up to a note that follows a whole window, e.g. "...UTC (90 minutes)".

    Cutting only after a whole window keeps "15:00 - 16:30" a range; a parenthesis that names
    a zone is never a note, so "(Europe/Berlin)" stays the window's zone and "UTC (CET)" an error.
    """
    for match in _NOTE.finditer(text):
        if match["paren"] is not None and _names_zone(match["paren"]):
            continue
        try:
            _parser().parse(text[: match.start()], start="window")
        except LarkError:
            continue
        return text[: match.start()]
    return text


def parse_window(text: str, default_tz: str = "UTC") -> Window:
    """Read a change window such as 'Friday 2026-12-04 15:00-16:30 UTC'. Raises WindowError."""
    if not isinstance(text, str):
        raise WindowError(f"a window must be text, not {type(text).__name__}")
    tree = _parse(_without_note(text), "window", "the window", EXAMPLE)
    try:
        start = _point(_fields([tree.children[0]]))
        if tree.data == "two_points":
            end = _point(_fields(tree.children[1:]))
        else:  # same day: only a time, perhaps a zone; an earlier time means after midnight
            rest = _fields(tree.children[1:])
            clock, extra = _time(rest["time"])
            naive = datetime.combine(start.naive.date(), clock) + timedelta(days=extra)
            if not extra and clock < start.naive.time():
                naive += timedelta(days=1)
            zone = _zone(rest["zone"], _column(rest["zone"])) if "zone" in rest else None
            end = _Point(naive, zone, _column(rest["time"]))
        fallback = start.zone or end.zone
        default = fallback or _zone(default_tz)
        start_at = _localize(start.naive, start.zone or default, start.column)
        end_at = _localize(end.naive, end.zone or default, end.column)
        return _window(start_at, end_at, (start.zone or default)[1], bool(fallback), text)
    except WindowError as error:
        message = f"could not read the window {_shown(text)}: {error.message}"
        raise WindowError(message, error.column) from None
    except (ValueError, OverflowError):  # dates at the very edge of datetime's range
        raise WindowError(f"the window {_shown(text)} is outside the supported dates") from None


def _bound(value: object, what: str) -> tuple[datetime, Zone | None]:
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            return value, None
        # A ZoneInfo keeps its name; anything else (e.g. ruamel.yaml's fixed offsets) is shown
        # as the offset it has at that instant.
        name = getattr(value.tzinfo, "key", None) or _offset_name(value.utcoffset() or ZERO)
        return value, (value.tzinfo, "UTC" if name in {"+00:00", "UTC"} else name)
    if isinstance(value, str):
        point = _point(_fields([_parse(value, "point", f"the window {what}", POINT_EXAMPLE)]))
        if point.zone is None:
            return point.naive, None
        return _localize(point.naive, point.zone, None), point.zone
    hint = "has no time of day" if isinstance(value, date) else "is not a date and time"
    raise WindowError(f"the window {what} {value!r} {hint}; write it like {POINT_EXAMPLE!r}")


def window_from_bounds(
    start: object, end: object, zone: str | None = None, text: str = ""
) -> Window:
    """A window from front matter `start:`/`end:` values; `zone` applies to those without one."""
    (start_at, start_zone), (end_at, end_zone) = _bound(start, "start"), _bound(end, "end")
    explicit = start_zone or end_zone or (_zone(zone) if zone else None)
    default = explicit or (timezone.utc, "UTC")
    text = text or f"{start}/{end}"
    try:
        start_at = start_at if start_zone else _localize(start_at, default, None)
        end_at = end_at if end_zone else _localize(end_at, default, None)
        name = (start_zone or default)[1]
        return _window(start_at, end_at, name, explicit is not None, text)
    except OverflowError:
        raise WindowError(f"the window {_shown(text)} is outside the supported dates") from None


def weekly_overlaps(
    window: Window, days: Collection[int], start: time, end: time | None
) -> list[tuple[datetime, datetime]]:
    """The parts of `window` on `days` (0=Monday) between `start` and `end`, in its own zone.

    `end` None or 00:00 means midnight at the end of the day; an `end` earlier than `start`
    runs past midnight into the next day. Touching parts are merged.
    """
    tz = resolve_zone(window.zone)
    low, high = window.start.astimezone(timezone.utc), window.end.astimezone(timezone.utc)
    # Start a day early: an overnight slot from the day before may reach into the window.
    first = window.start.astimezone(tz).date()
    day = first - timedelta(days=1) if first > date.min else first
    last = window.end.astimezone(tz).date()
    if (last - day).days > MAX_DAYS:
        last = day + timedelta(days=MAX_DAYS)
    until = end or time(0)
    length = timedelta(days=1 if until == time(0) or until <= start else 0)  # to the slot's end
    wanted, found = set(days), list[tuple[datetime, datetime]]()
    while day <= last:
        if day.weekday() in wanted:
            # The last day of year 9999 has no next day: its slot runs to the end of time.
            slot_end = (
                datetime.combine(day + length, until, tz)
                if day < date.max or not length
                else window.end
            )
            # Intersect in UTC so that DST days are measured, not read off the wall clock.
            lo = max(low, datetime.combine(day, start, tz).astimezone(timezone.utc))
            hi = min(high, slot_end.astimezone(timezone.utc))
            if lo < hi and found and found[-1][1] >= lo:
                found[-1] = (found[-1][0], max(hi, found[-1][1]))
            elif lo < hi:
                found.append((lo, hi))
        if day == date.max:
            break
        day += timedelta(days=1)
    return [(lo.astimezone(tz), hi.astimezone(tz)) for lo, hi in found]


def interval_overlaps(window: Window, start: datetime, end: datetime) -> bool:
    """Whether `window` shares any time with [start, end); naive bounds are in its zone."""
    tz = resolve_zone(window.zone)
    lo, hi = (d if d.utcoffset() is not None else d.replace(tzinfo=tz) for d in (start, end))
    return window.start.astimezone(timezone.utc) < hi.astimezone(timezone.utc) and (
        lo.astimezone(timezone.utc) < window.end.astimezone(timezone.utc)
    )
