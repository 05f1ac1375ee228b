"""Tests for planlint.facts.windows: change-window parsing and overlap checks."""

# En and em dashes are the point of several cases here, not typos.

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from planlint.facts.windows import (
    ABBREVIATIONS,
    Window,
    WindowError,
    interval_overlaps,
    parse_window,
    resolve_zone,
    weekly_overlaps,
    window_from_bounds,
)

UTC = timezone.utc
NY, BERLIN = ZoneInfo("America/New_York"), ZoneInfo("Europe/Berlin")


def utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, us: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, us, tzinfo=UTC)


def off(hours: float) -> timezone:
    return timezone(timedelta(hours=hours))


# text, start, end, zone, UTC offset of the parsed start (checks it is shown in its own zone)
ACCEPTED = [
    ("Friday 2026-12-04 15:00–16:30 UTC", utc(2026, 12, 4, 15), utc(2026, 12, 4, 16, 30), "UTC", 0),
    ("Friday 2026-12-04 15:00—16:30 UTC", utc(2026, 12, 4, 15), utc(2026, 12, 4, 16, 30), "UTC", 0),
    ("2026-12-04 15:00 to 16:30 UTC", utc(2026, 12, 4, 15), utc(2026, 12, 4, 16, 30), "UTC", 0),
    ("2026-12-04 15:00 until 16:30 GMT", utc(2026, 12, 4, 15), utc(2026, 12, 4, 16, 30), "UTC", 0),
    ("2026-12-04 15:00 - 16:30 Z", utc(2026, 12, 4, 15), utc(2026, 12, 4, 16, 30), "UTC", 0),
    ("fri, 2026-12-04 15:00-16:30 (UTC)", utc(2026, 12, 4, 15), utc(2026, 12, 4, 16, 30), "UTC", 0),
    ("  FRIDAY 2026-12-04 15:00-16:30 utc \n", utc(2026, 12, 4, 15), utc(2026, 12, 4, 16, 30),
     "UTC", 0),
    ("2026-12-04 13:30-15:00 America/New_York", utc(2026, 12, 4, 18, 30), utc(2026, 12, 4, 20),
     "America/New_York", -5),
    ("2026-12-04 13:30-15:00 america/new_york", utc(2026, 12, 4, 18, 30), utc(2026, 12, 4, 20),
     "America/New_York", -5),
    ("2025-11-14 03:00–04:00 UTC", utc(2025, 11, 14, 3), utc(2025, 11, 14, 4), "UTC", 0),
    ("2026-12-03 22:00 UTC to 2026-12-04 18:00 UTC", utc(2026, 12, 3, 22), utc(2026, 12, 4, 18),
     "UTC", 0),
    ("Thursday 2026-12-03 22:00 to Friday 2026-12-04 18:00 Europe/Berlin",
     utc(2026, 12, 3, 21), utc(2026, 12, 4, 17), "Europe/Berlin", 1),
    ("2026-12-03 22:00 Europe/Berlin to 2026-12-04 18:00 UTC", utc(2026, 12, 3, 21),
     utc(2026, 12, 4, 18), "Europe/Berlin", 1),
    ("2026-12-04T15:00:00+01:00/2026-12-04T16:30:00+01:00", utc(2026, 12, 4, 14),
     utc(2026, 12, 4, 15, 30), "+01:00", 1),
    ("2026-12-04T15:00Z/2026-12-04T16:30Z", utc(2026, 12, 4, 15), utc(2026, 12, 4, 16, 30),
     "UTC", 0),
    ("2026-12-04T15:00:00.5-0500/2026-12-04T16:30:00-0500",
     utc(2026, 12, 4, 20, 0, 0, 500000), utc(2026, 12, 4, 21, 30), "-05:00", -5),
    ("2026-12-04T15:00Z/16:30", utc(2026, 12, 4, 15), utc(2026, 12, 4, 16, 30), "UTC", 0),
    ("2026-12-04 15:00-16:30 +02:00", utc(2026, 12, 4, 13), utc(2026, 12, 4, 14, 30),
     "+02:00", 2),
    ("2026-12-04 15:00-16:30 -0500", utc(2026, 12, 4, 20), utc(2026, 12, 4, 21, 30),
     "-05:00", -5),
    ("2026-12-04 15:00-16:30 UTC+2", utc(2026, 12, 4, 13), utc(2026, 12, 4, 14, 30), "+02:00", 2),
    ("2026-12-04 15:00-16:30 UTC-05:00", utc(2026, 12, 4, 20), utc(2026, 12, 4, 21, 30),
     "-05:00", -5),
    ("2026-12-04 15:00-16:30 UTC+5:30", utc(2026, 12, 4, 9, 30), utc(2026, 12, 4, 11),
     "+05:30", 5.5),
    ("2026-12-04 15:00 -05:00 to 2026-12-04 16:00 -05:00", utc(2026, 12, 4, 20),
     utc(2026, 12, 4, 21), "-05:00", -5),
    ("2026-12-04 15:00-16:30 (Europe/Berlin)", utc(2026, 12, 4, 14), utc(2026, 12, 4, 15, 30),
     "Europe/Berlin", 1),
    ("2026-12-04 3pm-4:30 PM UTC", utc(2026, 12, 4, 15), utc(2026, 12, 4, 16, 30), "UTC", 0),
    ("2026-12-04 11 a.m. to 12pm UTC", utc(2026, 12, 4, 11), utc(2026, 12, 4, 12), "UTC", 0),
    ("2026-12-04 12am-1am UTC", utc(2026, 12, 4, 0), utc(2026, 12, 4, 1), "UTC", 0),
    ("2026-12-04 22:00-24:00 UTC", utc(2026, 12, 4, 22), utc(2026, 12, 5), "UTC", 0),
    ("2026-05-05 10am-11am -0500", utc(2026, 5, 5, 15), utc(2026, 5, 5, 16), "-05:00", -5),
    # Month names.
    ("Wednesday 9 December 2026, 10:00–11:30 Europe/Berlin", utc(2026, 12, 9, 9),
     utc(2026, 12, 9, 10, 30), "Europe/Berlin", 1),
    ("9 Dec 2026 10:00-11:30 UTC", utc(2026, 12, 9, 10), utc(2026, 12, 9, 11, 30), "UTC", 0),
    ("December 9, 2026 10:00–11:30 UTC", utc(2026, 12, 9, 10), utc(2026, 12, 9, 11, 30), "UTC", 0),
    ("Dec 9 2026, 10:00 to 11:30 CET", utc(2026, 12, 9, 9), utc(2026, 12, 9, 10, 30),
     "Europe/Berlin", 1),
    ("SEPT 9th 2026 10:00-11:30 UTC", utc(2026, 9, 9, 10), utc(2026, 9, 9, 11, 30), "UTC", 0),
    ("wed. dec. 9, 2026 22:00 to Thu 10 december 2026 01:00 Asia/Tokyo", utc(2026, 12, 9, 13),
     utc(2026, 12, 9, 16), "Asia/Tokyo", 9),
    # Commas.
    ("Wednesday, 2026-12-09, 10:00–11:30 (Europe/Berlin)", utc(2026, 12, 9, 9),
     utc(2026, 12, 9, 10, 30), "Europe/Berlin", 1),
    ("2026-12-09 10:00–11:30, UTC", utc(2026, 12, 9, 10), utc(2026, 12, 9, 11, 30), "UTC", 0),
    # Notes after a whole window.
    ("2026-12-09 10:00–11:30 Europe/Berlin (90 minutes)", utc(2026, 12, 9, 9),
     utc(2026, 12, 9, 10, 30), "Europe/Berlin", 1),
    ("2026-12-09 10:00–11:30 UTC (maintenance)", utc(2026, 12, 9, 10), utc(2026, 12, 9, 11, 30),
     "UTC", 0),
    ("2026-12-09 10:00–11:30 UTC; fallback Thursday 10:00–11:30", utc(2026, 12, 9, 10),
     utc(2026, 12, 9, 11, 30), "UTC", 0),
    ("2026-12-09 10:00–11:30 UTC — expected to take 45 min", utc(2026, 12, 9, 10),
     utc(2026, 12, 9, 11, 30), "UTC", 0),
    ("2026-12-09 10:00 - 11:30 UTC - 45 min (blue/green); see runbook", utc(2026, 12, 9, 10),
     utc(2026, 12, 9, 11, 30), "UTC", 0),
    ("2026-12-09 10:00–11:30 (CET) (maintenance) – owner: ops", utc(2026, 12, 9, 9),
     utc(2026, 12, 9, 10, 30), "Europe/Berlin", 1),
    ("2026-12-09 22:00 UTC - 10 Dec 2026 02:00 UTC (overnight)", utc(2026, 12, 9, 22),
     utc(2026, 12, 10, 2), "UTC", 0),
]  # fmt: skip


@pytest.mark.parametrize(("text", "start", "end", "zone", "offset"), ACCEPTED)
def test_accepted_forms(text: str, start: datetime, end: datetime, zone: str, offset: float):
    window = parse_window(text)
    assert (window.start, window.end, window.zone) == (start, end, zone)
    assert window.start.utcoffset() == timedelta(hours=offset)
    assert window.has_timezone
    assert window.text == text


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        # Spring forward in New York: 02:00 EST becomes 03:00 EDT, so this is two hours long.
        ("2026-03-08 01:00-04:00 America/New_York", utc(2026, 3, 8, 6), utc(2026, 3, 8, 8)),
        # Fall back: 01:00 happens twice; the first (EDT) is meant.
        ("2026-11-01 00:30-03:00 America/New_York", utc(2026, 11, 1, 4, 30), utc(2026, 11, 1, 8)),
        ("2026-07-03 15:00-16:00 America/New_York", utc(2026, 7, 3, 19), utc(2026, 7, 3, 20)),
        ("2026-03-29 01:00-04:00 Europe/Berlin", utc(2026, 3, 29, 0), utc(2026, 3, 29, 2)),
        ("2026-10-25 01:00-04:00 Europe/Berlin", utc(2026, 10, 24, 23), utc(2026, 10, 25, 3)),
        ("2026-10-24 12:00 to 2026-10-25 12:00 CET", utc(2026, 10, 24, 10), utc(2026, 10, 25, 11)),
        ("2026-07-03 15:00-16:00 CET", utc(2026, 7, 3, 13), utc(2026, 7, 3, 14)),
    ],
)
def test_dst(text: str, start: datetime, end: datetime):
    window = parse_window(text)
    assert (window.start, window.end) == (start, end)


def test_time_skipped_by_dst_is_an_error():
    with pytest.raises(WindowError, match="does not exist in America/New_York"):
        parse_window("2026-03-08 02:30-04:00 America/New_York")


@pytest.mark.parametrize(("abbreviation", "iana"), sorted(ABBREVIATIONS.items()))
def test_abbreviations(abbreviation: str, iana: str):
    assert resolve_zone(abbreviation) == ZoneInfo(iana)
    assert resolve_zone(abbreviation.lower()) == ZoneInfo(iana)
    assert parse_window(f"2026-12-04 15:00-16:30 {abbreviation}").zone == iana


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("UTC", UTC), ("GMT", UTC), ("Z", UTC), ("+00:00", UTC), ("Europe/Berlin", BERLIN),
        ("+02:00", off(2)), ("-0500", off(-5)), ("UTC+2", off(2)), ("UTC-05:00", off(-5)),
        ("(PST)", ZoneInfo("America/Los_Angeles")),
    ],
)  # fmt: skip
def test_resolve_zone(name: str, expected: object):
    assert resolve_zone(name) == expected


@pytest.mark.parametrize("name", ["europe/berlin", "EUROPE/BERLIN", "Europe/Berlin"])
def test_zone_spelling_comes_from_tzdata_without_listing_the_system(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Listing the system's zones opens every file in its zone folder: tens of milliseconds on
    # a one-plan run, for a name that tzdata's own list already spells.
    import planlint.facts.windows as windows

    def listing_the_system() -> set[str]:
        raise AssertionError("the system's zone folder was listed")

    monkeypatch.setattr(windows, "available_timezones", listing_the_system)
    windows._system_keys.cache_clear()
    assert parse_window(f"2026-12-04 15:00-16:30 {name}").zone == "Europe/Berlin"


def test_zone_spelling_without_tzdata_falls_back_to_the_system(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import planlint.facts.windows as windows

    monkeypatch.setattr(windows, "_listed_keys", dict)  # as if tzdata listed nothing
    assert parse_window("2026-12-04 15:00-16:30 europe/berlin").zone == "Europe/Berlin"


@pytest.mark.parametrize("name", ["XYZ", "Mars/Olympus", "America", "+15:00", "", "../etc"])
def test_unknown_zone(name: str):
    with pytest.raises(WindowError, match=r"unknown time zone|out of range"):
        resolve_zone(name)


def test_unknown_zone_message_and_column():
    with pytest.raises(WindowError) as caught:
        parse_window("2026-12-04 15:00-16:30 XYZ")
    assert "unknown time zone 'XYZ'; use an IANA name such as Europe/Berlin" in caught.value.message
    assert caught.value.column == 24


def test_day_must_match_date():
    with pytest.raises(WindowError, match="2026-12-04 is a Friday, not a Thursday") as caught:
        parse_window("Thursday 2026-12-04 15:00-16:30 UTC")
    assert caught.value.column == 1
    with pytest.raises(WindowError, match="is a Friday, not a Sat"):
        parse_window("2026-12-03 22:00 UTC to Sat 2026-12-04 18:00 UTC")
    with pytest.raises(WindowError, match="2026-12-09 is a Wednesday, not a Thu") as caught:
        parse_window("Thu. 9 Dec 2026 10:00-11:00 UTC")
    assert caught.value.column == 1


def test_invalid_month_name_date():
    with pytest.raises(WindowError, match="February 30 2026 is not a valid date") as caught:
        parse_window("Mon February 30, 2026 10:00-11:00 UTC")
    assert caught.value.column == 5


def test_parenthesis_that_is_not_a_zone_is_a_note():
    # Not a zone, so not the window's zone either: the window-timezone check will say so.
    window = parse_window("2026-12-09 10:00–11:30 (Europe/Berln)")
    assert (window.start, window.zone, window.has_timezone) == (utc(2026, 12, 9, 10), "UTC", False)


def test_crossing_midnight():
    window = parse_window("2026-12-04 23:00-01:00 UTC")
    assert (window.start, window.end) == (utc(2026, 12, 4, 23), utc(2026, 12, 5, 1))


def test_no_timezone_uses_default():
    window = parse_window("2026-12-04 15:00-16:30")
    expected = (utc(2026, 12, 4, 15), utc(2026, 12, 4, 16, 30), "UTC")
    assert (window.start, window.end, window.zone) == expected
    assert not window.has_timezone
    berlin = parse_window("2026-12-04 15:00-16:30", default_tz="Europe/Berlin")
    assert berlin.start == datetime(2026, 12, 4, 15, tzinfo=BERLIN)
    assert (berlin.zone, berlin.has_timezone) == ("Europe/Berlin", False)


def test_friendly_syntax_error():
    with pytest.raises(WindowError) as caught:
        parse_window("next friday afternoon")
    assert caught.value.message == (
        "could not read the window 'next friday afternoon': expected a date such as 2026-12-04"
        " at column 1; write it like 'Friday 2026-12-04 15:00–16:30 UTC'"
    )
    assert caught.value.column == 1


@pytest.mark.parametrize(
    "text",
    [
        "", "   ", "next friday afternoon", "TBD", "2026-12-04", "2026-12-04 15:00",
        "2026-12-04 15:00-", "2026-02-30 15:00-16:00 UTC", "2026-12-04 25:00-26:00 UTC",
        "2026-12-04 15:00-15:00 UTC", "2026-12-04 13pm-2pm", "2026-12-04 15:00-16:30 UTC UTC",
        "2026-12-04T15:00Z (UTC)/2026-12-04T16:00Z", "2026-12-04 18:00 to 2026-12-04 15:00",
        "9999-12-31 23:00-01:00", "0001-01-01 00:00-01:00 +05:00", "2026-12-04 15:00-16:30 UTC+15",
        "Frday 2026-12-04 15:00-16:30", "\x00", "9 Dec 10:00-11:00 UTC", "Dec 10:00-11:00",
        "32 Dec 2026 10:00-11:00", "Foo 9 2026 10:00-11:00", "2026-12-04 15:00-16:30 UTC 45 min",
        "2026-12-04 15:00–16:30 (maintenance) UTC", "2026-12-04 15:00–16:30 UTC (CET)",
        "2026-12-04 15:00 (maintenance) - 16:30", "2026-12-04 15:00; 16:30", "; 2026-12-04",
        "2026-12-04 15:00–16:30 UTC (+15:00)", "2026-12-04 15:00–16:30 UTC (maintenance",
    ],
)  # fmt: skip
def test_garbage_raises_window_error(text: str):
    with pytest.raises(WindowError) as caught:
        parse_window(text)
    assert caught.value.message.startswith(("could not read", "the window"))


def test_window_from_bounds_with_yaml_values():
    from ruamel.yaml import YAML

    data = YAML().load("start: 2026-12-04T15:00:00+01:00\nend: 2026-12-04T16:30:00+01:00\n")
    window = window_from_bounds(data["start"], data["end"])
    expected = (utc(2026, 12, 4, 14), utc(2026, 12, 4, 15, 30), "+01:00")
    assert (window.start, window.end, window.zone) == expected
    assert window.has_timezone


@pytest.mark.parametrize(
    ("start", "end", "zone", "expected_start", "expected_zone", "explicit"),
    [
        (datetime(2026, 12, 4, 15), datetime(2026, 12, 4, 16), "Europe/Berlin",
         utc(2026, 12, 4, 14), "Europe/Berlin", True),
        (datetime(2026, 12, 4, 15), datetime(2026, 12, 4, 16), None, utc(2026, 12, 4, 15),
         "UTC", False),
        ("2026-12-04 15:00", "2026-12-04 16:00", "EST", utc(2026, 12, 4, 20),
         "America/New_York", True),
        ("Friday 2026-12-04 15:00 UTC", "2026-12-04 16:00 UTC", "Europe/Berlin",
         utc(2026, 12, 4, 15), "UTC", True),
        ("2026-12-04T15:00Z", datetime(2026, 12, 4, 16, tzinfo=NY), None, utc(2026, 12, 4, 15),
         "UTC", True),
        (datetime(2026, 12, 4, 15, tzinfo=NY), "2026-12-04 3:30 pm", None, utc(2026, 12, 4, 20),
         "America/New_York", True),
    ],
)  # fmt: skip
def test_window_from_bounds(start, end, zone, expected_start, expected_zone, explicit):
    window = window_from_bounds(start, end, zone, text="window: ...")
    assert (window.start, window.zone, window.has_timezone) == (
        expected_start,
        expected_zone,
        explicit,
    )
    assert window.text == "window: ..."


@pytest.mark.parametrize(
    ("start", "end", "zone", "message"),
    [
        (date(2026, 12, 4), "2026-12-04 16:00", None, "has no time of day"),
        (990, "2026-12-04 16:00", None, "is not a date and time"),
        ("soon", "2026-12-04 16:00", None, "could not read the window start 'soon'"),
        ("2026-12-04 17:00", "2026-12-04 16:00", None, "must end after it starts"),
        ("2026-12-04 15:00", "2026-12-04 16:00", "XYZ", "unknown time zone 'XYZ'"),
        ("Monday 2026-12-04 15:00", "2026-12-04 16:00", None, "is a Friday, not a Monday"),
    ],
)
def test_window_from_bounds_errors(start, end, zone, message):
    with pytest.raises(WindowError, match=message):
        window_from_bounds(start, end, zone)


FRIDAY_AFTERNOON = ([4], time(12), None)


def test_weekly_overlap_inside():
    window = parse_window("Friday 2026-12-04 15:00–16:30 UTC")
    assert weekly_overlaps(window, *FRIDAY_AFTERNOON) == [(window.start, window.end)]
    assert weekly_overlaps(window, [4], time(12), time(0)) == [(window.start, window.end)]


@pytest.mark.parametrize(
    "text",
    [
        "Friday 9999-12-31 15:00–16:00 UTC",  # the last day there is: no next day to step to
        "Friday 9999-12-31 14:00–23:59 Europe/Berlin",
        "Friday 0001-01-05 15:00–16:00 UTC",  # the first week: no day before to start from
    ],
)
def test_a_friday_at_the_edge_of_the_calendar_is_still_judged(text: str):
    window = parse_window(text)
    assert weekly_overlaps(window, *FRIDAY_AFTERNOON) == [(window.start, window.end)]
    assert weekly_overlaps(window, [0], time(0), None) == []  # and Monday is not Friday


def test_an_overnight_slot_on_the_last_day_runs_to_the_windows_end():
    window = parse_window("Friday 9999-12-31 23:00–23:59 UTC")
    assert weekly_overlaps(window, [4], time(22), time(2)) == [(window.start, window.end)]


def test_weekly_overlap_none():
    window = parse_window("Friday 2026-12-04 09:00-11:00 UTC")
    assert weekly_overlaps(window, *FRIDAY_AFTERNOON) == []
    assert weekly_overlaps(window, [0, 1, 2, 3, 5, 6], time(0), None) == []


def test_weekly_overlap_partial():
    window = parse_window("2026-12-03 22:00 UTC to 2026-12-04 13:00 UTC")
    assert weekly_overlaps(window, *FRIDAY_AFTERNOON) == [(utc(2026, 12, 4, 12), window.end)]


def test_weekly_overlap_uses_the_windows_own_zone():
    # Friday 14:00-16:00 in Tokyo is Friday 05:00-07:00 UTC: still a Friday afternoon deploy.
    window = parse_window("Friday 2026-12-04 14:00-16:00 +09:00")
    (part,) = weekly_overlaps(window, *FRIDAY_AFTERNOON)
    assert part == (window.start, window.end)
    assert part[0].utcoffset() == timedelta(hours=9)


def test_weekly_overlap_multi_week():
    window = parse_window("2026-11-30 00:00 UTC to 2026-12-21 00:00 UTC")
    parts = weekly_overlaps(window, [4], time(12), time(18))
    assert parts == [(utc(2026, 12, d, 12), utc(2026, 12, d, 18)) for d in (4, 11, 18)]


def test_weekly_overlap_overnight_slot_from_the_day_before():
    window = parse_window("Friday 2026-12-04 01:00-03:00 UTC")
    assert weekly_overlaps(window, [3], time(22), time(2)) == [(window.start, utc(2026, 12, 4, 2))]


def test_weekly_overlap_merges_touching_days():
    window = parse_window("2026-12-04 12:00 UTC to 2026-12-06 12:00 UTC")
    assert weekly_overlaps(window, [4, 5], time(0), None) == [(window.start, utc(2026, 12, 6))]


def test_weekly_overlap_across_dst():
    window = parse_window("2026-03-07 12:00 to 2026-03-09 12:00 America/New_York")
    (part,) = weekly_overlaps(window, [6], time(0), None)
    assert part == (datetime(2026, 3, 8, tzinfo=NY), datetime(2026, 3, 9, tzinfo=NY))
    # Subtract in UTC: Python subtracts wall clocks when both sides share one tzinfo.
    assert part[1].astimezone(UTC) - part[0].astimezone(UTC) == timedelta(hours=23)


def test_weekly_overlap_long_window_is_capped():
    window = Window(utc(2026, 1, 1), utc(2036, 1, 1), "UTC", True, "ten years")
    parts = weekly_overlaps(window, [4], time(12), None)
    assert 50 <= len(parts) <= 54


def test_interval_overlaps():
    window = parse_window("2026-12-24 10:00-12:00 Europe/Berlin")
    assert interval_overlaps(window, utc(2026, 12, 20), utc(2027, 1, 2))
    assert interval_overlaps(window, utc(2026, 12, 24, 10, 59), utc(2026, 12, 24, 11))
    assert not interval_overlaps(window, utc(2026, 12, 24, 11), utc(2026, 12, 25))  # touching
    assert not interval_overlaps(window, utc(2026, 12, 1), utc(2026, 12, 24, 9))
    # Naive bounds are read in the window's own zone.
    assert interval_overlaps(window, datetime(2026, 12, 24, 11, 30), datetime(2026, 12, 25))


@given(st.text())
def test_any_text_parses_or_raises_window_error(text: str):
    try:
        window = parse_window(text)
    except WindowError as error:
        assert error.column is None or error.column >= 1
    else:
        assert window.start < window.end


FRAGMENTS = [
    "Friday ", "Thu ", "2026-12-04", "9999-12-31", "0001-01-01", "2026-02-29", " ", "T",
    "15:00", "24:00", "3pm", "12 am", "–", "-", " to ", "/", "UTC", "Z", "+01:00", "-0500",
    "UTC+2", "Europe/Berlin", "America/Argentina", "(", ")", "PST", "T23:59:59.999999+14:00",
    "Dec", "september ", "9", "31st", "2026", ", ", ";", " — ", "(90 min)",
]  # fmt: skip


@given(st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join))
def test_grammar_shaped_text_parses_or_raises_window_error(text: str):
    try:
        window = parse_window(text, default_tz="America/New_York")
    except WindowError:
        return
    assert window.start < window.end


MONTHS = "January February March April May June July August September October November December"
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@st.composite
def window_texts(draw: st.DrawFn) -> str:
    """Valid same-day windows in the written forms, in zones without DST gaps."""
    day = draw(st.dates(date(1990, 1, 1), date(2099, 12, 31)))
    month = MONTHS.split()[day.month - 1]
    forms = [
        f"{day:%Y-%m-%d}",
        f"{day.day} {month} {day.year}",
        f"{month[:3]} {day.day}, {day.year}",
    ]
    written = draw(st.sampled_from(forms))
    if draw(st.booleans()):
        written = f"{DAY_NAMES[day.weekday()]}, {written}"
    start, minute = draw(st.integers(0, 22)), draw(st.integers(0, 59))
    end = draw(st.integers(start + 1, 23))
    sep = draw(st.sampled_from(["-", " - ", "–", " to "]))
    zone = draw(st.sampled_from(["", " UTC", " +05:30", " Asia/Tokyo", " (JST)"]))
    return f"{written} {start}:{minute:02d}{sep}{end}:00{zone}"


def names_zone(text: str) -> bool:
    try:
        resolve_zone(text)
    except WindowError:
        return False
    return True


@given(window_texts(), st.sampled_from([" ({})", "; {}", " — {}", " – {}", " - {}"]), st.text())
def test_a_note_does_not_change_the_window(text: str, wrapper: str, note: str):
    if wrapper.startswith(" ("):  # a parenthesis is a note only if it is not a zone
        note = note.translate(str.maketrans("", "", "()+-"))
        assume(not names_zone(note))
    noted = parse_window(text + wrapper.format(note))
    assert noted.text == text + wrapper.format(note)
    assert noted._replace(text=text) == parse_window(text)
