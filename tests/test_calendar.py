"""The change calendar: freeze calendars from real iCalendar files and GitLab-style cron periods,
team zones, plans checked against each other, and ``planlint calendar`` with its JSON and
iCalendar output, all through the real command line. Hostile calendars end in a clear config
error, never a hang or a traceback."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import icalendar
import pytest
import vobject

from tests.helpers import first_fast, read_cache, run_and_list_imports, run_planlint, write_cache

CALENDAR_RULES = "PL401,PL404,PL405,PL406"
WINDOW_LINE = 7


def plan_text(window: str, environment: str = "production", systems: str = "checkout-api") -> str:
    return (
        "---\nprofile: deploy-plan\n---\n# Deployment plan\n\n"
        f"- ENVIRONMENT: {environment}\n- WINDOW: {window}\n- SYSTEMS: {systems}\n\n"
        "## Deployment Summary\n\nShips the change.\n"
    )


def ics(*events: str, zones: str = "") -> str:
    body = "".join(f"BEGIN:VEVENT\r\n{event.strip()}\r\nEND:VEVENT\r\n" for event in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{zones}{body}END:VCALENDAR\r\n"


def event(uid: str, summary: str, *lines: str) -> str:
    return "\r\n".join([f"UID:{uid}", "DTSTAMP:20260101T000000Z", f"SUMMARY:{summary}", *lines])


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "plans").mkdir()
    (tmp_path / "calendars").mkdir()
    return tmp_path


def write(repo: Path, name: str, text: str) -> Path:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="")
    return path


def config(repo: Path, text: str) -> None:
    write(repo, ".planlint.yaml", text)


def findings(repo: Path, *paths: str, rules: str = CALENDAR_RULES) -> list[dict[str, Any]]:
    """The violations of ``planlint check`` on ``paths``, as JSON rows with their file."""
    result = run_planlint("check", "--format", "json", "--select", rules, *paths, cwd=repo)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    return [
        {**violation, "path": entry["path"]}
        for entry in json.loads(result.stdout)["files"]
        for violation in entry["violations"]
    ]


def config_error(repo: Path, *args: str) -> str:
    started = time.monotonic()
    result = run_planlint(*(args or ("check", "plans")), cwd=repo, timeout=60)
    assert time.monotonic() - started < 30, "a hostile calendar must not make planlint crawl"
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


# -- iCalendar freezes ----------------------------------------------------------------------------

HOLIDAYS = ics(
    # Christmas, every year since 2020: the recurrence, not a dated copy, freezes 2027.
    event(
        "christmas@example.com",
        "Christmas Day",
        "DTSTART;VALUE=DATE:20201225",
        "DTEND;VALUE=DATE:20201226",
        "RRULE:FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25",
    ),
    # A release freeze every second Friday, except the one on 2026-12-11 (EXDATE).
    event(
        "release-freeze@example.com",
        "Release freeze",
        "DTSTART;TZID=America/New_York:20261127T080000",
        "DTEND;TZID=America/New_York:20261127T200000",
        "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;COUNT=10",
        "EXDATE;TZID=America/New_York:20261211T080000",
    ),
)


def test_recurring_holidays_and_exdate_from_an_ics_file(repo: Path) -> None:
    write(repo, "calendars/holidays.ics", HOLIDAYS)
    config(
        repo,
        "calendar:\n  freezes:\n    - name: company calendar\n"
        "      ics: calendars/holidays.ics\n      timezone: Europe/Berlin\n",
    )
    write(repo, "plans/christmas.md", plan_text("Saturday 2027-12-25 09:00–10:00 Europe/Berlin"))
    write(repo, "plans/excluded.md", plan_text("Friday 2026-12-11 10:00–11:00 America/New_York"))
    write(repo, "plans/frozen.md", plan_text("Friday 2026-12-25 10:00–11:00 America/New_York"))
    write(repo, "plans/boxing-day.md", plan_text("Sunday 2027-12-26 09:00–10:00 Europe/Berlin"))
    found = {v["path"]: v for v in findings(repo, "plans", rules="PL404")}
    assert set(found) == {"plans/christmas.md", "plans/frozen.md"}
    christmas = found["plans/christmas.md"]
    assert christmas["line"] == WINDOW_LINE and christmas["severity"] == "error"
    assert (
        "freeze company calendar (Christmas Day, Sat 2027-12-25 00:00–24:00 Europe/Berlin"
        in (christmas["message"])
    )
    # 2026-12-25 is both Christmas and a release-freeze Friday: the earliest overlap is named,
    # in the window's zone and the freeze's.
    frozen = found["plans/frozen.md"]["message"]
    assert "Release freeze" in frozen or "Christmas Day" in frozen
    assert "America/New_York = " in frozen


def test_an_all_day_freeze_across_the_end_of_daylight_saving_time(repo: Path) -> None:
    # 24–26 October 2026 in Berlin: 73 hours, since the clocks go back on the 25th. The freeze
    # ends at midnight CET, 23:00 UTC on the 26th; reading it as +02:00 would end it at 22:00.
    write(
        repo,
        "calendars/freeze.ics",
        ics(
            event(
                "autumn@example.com",
                "Autumn release freeze",
                "DTSTART;VALUE=DATE:20261024",
                "DTEND;VALUE=DATE:20261027",
            )
        ),
    )
    config(
        repo,
        "calendar:\n  freezes:\n    - name: autumn\n      ics: calendars/freeze.ics\n"
        "      timezone: Europe/Berlin\n",
    )
    write(repo, "plans/last-hour.md", plan_text("2026-10-26 22:30–22:50 UTC"))
    write(repo, "plans/after.md", plan_text("2026-10-26 23:10–23:40 UTC"))
    write(repo, "plans/first-minutes.md", plan_text("2026-10-23 22:10–22:30 UTC"))
    write(repo, "plans/before.md", plan_text("2026-10-23 21:30–21:50 UTC"))
    found = {v["path"]: v["message"] for v in findings(repo, "plans", rules="PL404")}
    assert set(found) == {"plans/last-hour.md", "plans/first-minutes.md"}
    assert (
        "Sat 2026-10-24 00:00 – Tue 2026-10-27 00:00 Europe/Berlin; overlap "
        "Mon 2026-10-26 22:30–22:50 UTC = Mon 2026-10-26 23:30–23:50 Europe/Berlin"
    ) in found["plans/last-hour.md"]


def test_an_all_day_event_without_a_zone_is_judged_on_each_team_clock(repo: Path) -> None:
    write(
        repo,
        "calendars/holidays.ics",
        ics(
            event(
                "new-year@example.com",
                "New Year",
                "DTSTART;VALUE=DATE:20270101",
                "DTEND;VALUE=DATE:20270102",
            )
        ),
    )
    base = "calendar:\n  freezes:\n    - {name: holidays, ics: calendars/holidays.ics}\n"
    # 31 December 20:00 in New York is already New Year's Day in Tokyo.
    write(repo, "plans/eve.md", plan_text("2026-12-31 20:00–21:00 America/New_York"))
    config(repo, base)
    assert findings(repo, "plans", rules="PL404") == []
    config(repo, base + "  team_zones: [Asia/Tokyo]\n")
    (message,) = [v["message"] for v in findings(repo, "plans", rules="PL404")]
    assert "New Year, Fri 2027-01-01 00:00–24:00 Asia/Tokyo" in message
    assert (
        "Thu 2026-12-31 20:00–21:00 America/New_York = Fri 2027-01-01 10:00–11:00 Asia/Tokyo"
        in (message)
    )


# -- GitLab-style cron periods -------------------------------------------------------------------


CRON = """\
calendar:
  freezes:
    - name: weekend freeze
      cron: {freeze_start: "0 18 * * 5", freeze_end: "0 8 * * 1", cron_timezone: Europe/Berlin}
      environments: [production]
    - name: US nightly batch
      cron: {freeze_start: "0 22 * * *", freeze_end: "0 2 * * *", cron_timezone: America/New_York}
    - name: UTC month end
      cron: {freeze_start: "0 0 28 * *", freeze_end: "0 0 1 * *"}
"""


@pytest.mark.parametrize(
    ("window", "freeze"),
    [
        # 13:00 in New York is 19:00 in Berlin on a Friday: the weekend freeze has begun.
        ("Friday 2026-12-04 13:00–14:00 America/New_York", "weekend freeze"),
        # Monday 03:00 in Berlin, still frozen (Sunday 21:00 in New York: no batch yet).
        ("Monday 2026-12-07 03:00–03:30 Europe/Berlin", "weekend freeze"),
        # 23:00 in New York is 13:00 in Tokyo the next day: the nightly batch runs.
        ("Thursday 2026-12-10 13:00–13:30 Asia/Tokyo", "US nightly batch"),
        # The freeze started at midnight UTC on the 28th: 12:00 in Sydney is 01:00 UTC.
        ("Tuesday 2026-12-29 12:00–13:00 Australia/Sydney", "UTC month end"),
        # New York in summer time (EDT): 22:00 EDT is 02:00 UTC.
        ("2026-07-15 02:30–03:00 UTC", "US nightly batch"),
    ],
)
def test_gitlab_cron_periods_in_several_zones(repo: Path, window: str, freeze: str) -> None:
    config(repo, CRON)
    write(repo, "plans/p.md", plan_text(window))
    (found,) = findings(repo, "plans", rules="PL404")
    assert f"in the freeze {freeze} (" in found["message"]


@pytest.mark.parametrize(
    ("window", "environment"),
    [
        ("Monday 2026-12-07 08:00–09:00 Europe/Berlin", "production"),  # the freeze just ended
        ("Saturday 2026-12-05 10:00–11:00 Europe/Berlin", "staging"),  # production only
        ("2026-07-15 01:30–02:00 UTC", "production"),  # 21:30 EDT: before the nightly batch
        ("Sunday 2026-12-27 22:00–23:00 Asia/Tokyo", "staging"),  # 13:00 UTC on the 27th
    ],
)
def test_outside_the_cron_periods(repo: Path, window: str, environment: str) -> None:
    config(repo, CRON)
    write(repo, "plans/p.md", plan_text(window, environment))
    assert findings(repo, "plans", rules="PL404") == []


# -- team zones ---------------------------------------------------------------------------------


def test_a_window_only_in_the_friday_freeze_in_the_teams_zone(repo: Path) -> None:
    # Thursday 22:00 in Los Angeles is Friday 15:00 in Tokyo, where the on-call team works.
    write(repo, "plans/p.md", plan_text("Thursday 2026-12-03 22:00–23:30 America/Los_Angeles"))
    assert findings(repo, "plans", rules="PL401") == []
    config(repo, "calendar:\n  team_zones: [Europe/London, Asia/Tokyo]\n")
    (found,) = findings(repo, "plans", rules="PL401")
    assert found["severity"] == "error" and found["line"] == WINDOW_LINE
    assert found["message"].endswith(
        "overlaps the freeze Friday 12:00–24:00 in the team zone Asia/Tokyo "
        "(Fri 2026-12-04 15:00–16:30 Asia/Tokyo = Thu 2026-12-03 22:00–23:30 America/Los_Angeles)"
    )


def test_the_weekly_freeze_as_a_calendar_period_and_not_twice(repo: Path) -> None:
    config(
        repo,
        "calendar:\n  freezes:\n    - name: Friday afternoon\n"
        "      weekly: {days: [friday], start: '14:00'}\n      environments: [production]\n",
    )
    write(repo, "plans/early.md", plan_text("Friday 2026-12-04 12:30–13:30 UTC"))
    write(repo, "plans/late.md", plan_text("Friday 2026-12-04 14:30–15:30 UTC"))
    write(repo, "plans/staging.md", plan_text("Friday 2026-12-04 14:30–15:30 UTC", "staging"))
    found = findings(repo, "plans", rules="PL401,PL404")
    assert [(v["path"], v["code"]) for v in found] == [("plans/late.md", "PL401")]
    assert "the freeze Friday afternoon (Friday 14:00–24:00)" in found[0]["message"]
    write(
        repo,
        ".planlint.yaml",
        (repo / ".planlint.yaml").read_text(encoding="utf-8")
        + "rules:\n  friday-afternoon-window:\n    options: {start: '15:00'}\n",
    )
    assert "start and a weekly period in calendar.freezes" in config_error(repo)


# -- across plans ---------------------------------------------------------------------------------

THREE_PLANS = "calendar:\n  plans: plans/**/*.md\n  max_concurrent_production: 2\n"


def three_plans(repo: Path) -> None:
    config(repo, THREE_PLANS)
    write(
        repo,
        "plans/checkout.md",
        plan_text("Wednesday 2026-12-09 10:00–11:30 Europe/Berlin", systems="checkout-api"),
    )
    write(
        repo,
        "plans/team/tax.md",
        "---\nprofile: deploy-plan\nenvironment: production\n"
        "window: Wednesday 2026-12-09 05:00–06:00 America/New_York\n"
        "service: Checkout API\n---\n# Tax engine\n\n## Deployment Summary\n\nShips tax.\n",
    )
    write(
        repo,
        "plans/ledger.md",
        plan_text("Wednesday 2026-12-09 10:15–10:45 UTC", systems="ledger-workers"),
    )


def test_three_plans_one_conflict_seen_from_a_single_file(repo: Path) -> None:
    three_plans(repo)
    # A pre-commit hook lints the one file that changed; the others come from the glob.
    (found,) = findings(repo, "plans/checkout.md", rules="PL405")
    assert (found["code"], found["severity"], found["line"]) == ("PL405", "warning", WINDOW_LINE)
    assert found["message"] == (
        "change window 'Wednesday 2026-12-09 10:00–11:30 Europe/Berlin' overlaps "
        "plans/team/tax.md ('Tax engine') on checkout-api in production: "
        "Wed 2026-12-09 11:00–11:30 Europe/Berlin = Wed 2026-12-09 05:00–05:30 America/New_York"
    )
    everything = findings(repo, "plans")
    # 10:15–10:30 UTC all three run: one more production change than the cap allows.
    assert sorted((v["path"], v["code"]) for v in everything) == [
        ("plans/checkout.md", "PL405"),
        ("plans/checkout.md", "PL406"),
        ("plans/ledger.md", "PL406"),
        ("plans/team/tax.md", "PL405"),
        ("plans/team/tax.md", "PL406"),
    ]
    crowded = next(
        v for v in everything if v["path"] == "plans/team/tax.md" and v["code"] == "PL406"
    )
    assert crowded["message"] == (
        "3 production changes at once, more than the 2 allowed: this one and plans/checkout.md, "
        "plans/ledger.md (Wed 2026-12-09 05:15–05:30 America/New_York = "
        "Wed 2026-12-09 10:15–10:30 UTC)"
    )


def test_another_plans_new_window_is_seen_through_the_result_cache(repo: Path) -> None:
    three_plans(repo)
    assert [v["code"] for v in findings(repo, "plans/checkout.md")] == ["PL405", "PL406"]
    assert [v["code"] for v in findings(repo, "plans/checkout.md")] == ["PL405", "PL406"]
    tax = repo / "plans/team/tax.md"
    tax.write_text(tax.read_text().replace("05:00–06:00", "08:00–09:00"), encoding="utf-8")
    assert findings(repo, "plans/checkout.md") == []
    (repo / "plans/late.md").write_text(
        plan_text("Wednesday 2026-12-09 11:00–12:00 Europe/Berlin"), encoding="utf-8"
    )
    (late,) = findings(repo, "plans/checkout.md", rules="PL405")
    assert " overlaps plans/late.md " in late["message"]
    cache = read_cache(repo / ".planlint_cache" / "calendar-v1.json")
    assert len(cache["entries"]) == 4  # one per plan, by content


def test_a_damaged_or_linked_calendar_cache_is_not_trusted(
    repo: Path, tmp_path_factory: Any
) -> None:
    three_plans(repo)
    cold = findings(repo, "plans")
    cache = repo / ".planlint_cache" / "calendar-v1.json"
    data = read_cache(cache)
    for row in data["entries"].values():  # windows moved, systems dropped, junk in fields
        row["window"] = ["2026-12-09T00:00:00", "bad", "../../etc/passwd", 1, 2, -5]
        row["systems"] = "checkout-api"
    write_cache(cache, data)
    assert findings(repo, "plans") == cold
    cache.write_text("{not json")
    assert findings(repo, "plans") == cold
    outside = tmp_path_factory.mktemp("elsewhere") / "calendar-v1.json"
    outside.write_text("{}")
    cache.unlink()
    cache.symlink_to(outside)
    assert findings(repo, "plans", rules="PL405,PL406") == cold
    assert outside.read_text() == "{}"  # never written through the link


def test_a_linked_plan_is_left_off_the_calendar(repo: Path, tmp_path_factory: Any) -> None:
    three_plans(repo)
    secret = tmp_path_factory.mktemp("home") / "notes.md"
    secret.write_text(plan_text("Wednesday 2026-12-09 10:00–11:00 Europe/Berlin"))
    (repo / "plans/linked.md").symlink_to(secret)
    (repo / "plans/elsewhere").symlink_to(secret.parent, target_is_directory=True)
    result = run_planlint("calendar", "--format", "json", cwd=repo)
    shown = json.loads(result.stdout)
    assert {"path": "plans/linked.md", "problem": "not read: a symbolic link"} in shown["unplaced"]
    listed = [plan["path"] for plan in [*shown["plans"], *shown["unplaced"]]]
    assert not any(path.startswith("plans/elsewhere") for path in listed)
    assert "notes.md" not in result.stdout


# -- planlint calendar ----------------------------------------------------------------------------


def test_calendar_json_in_time_order_with_conflicts(repo: Path) -> None:
    three_plans(repo)
    write(repo, "plans/draft.md", "# Draft\n\nNo window yet.\n")
    result = run_planlint("calendar", "--format", "json", cwd=repo)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert set(document) == {
        "from",
        "to",
        "team_zones",
        "max_concurrent_production",
        "plans",
        "unplaced",
    }
    plans = document["plans"]
    assert [p["path"] for p in plans] == [
        "plans/checkout.md",
        "plans/team/tax.md",
        "plans/ledger.md",
    ]
    assert set(plans[0]) == {
        "path", "title", "environment", "risk", "systems", "start", "end", "zone",
        "has_timezone", "local", "window", "line", "conflicts", "concurrent", "freezes",
    }  # fmt: skip
    assert (plans[0]["start"], plans[0]["end"]) == ("2026-12-09T09:00:00Z", "2026-12-09T10:30:00Z")
    assert plans[1]["systems"] == ["checkout-api"]
    assert [c["plan"] for c in plans[0]["conflicts"]] == ["plans/team/tax.md"]
    assert plans[1]["concurrent"]["count"] == 3
    assert document["unplaced"] == [
        {"path": "plans/draft.md", "problem": "the plan states no change window"}
    ]


def test_calendar_table_when_piped_and_the_date_range(repo: Path) -> None:
    three_plans(repo)
    write(repo, "plans/later.md", plan_text("2027-01-12 10:00–11:00 UTC", systems="dns"))
    write(repo, "plans/broken.md", plan_text("next friday after lunch"))
    result = run_planlint("calendar", "--from", "2027-01-01", "--to", "2027-01-31", cwd=repo)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["when", "plan", "environment", "risk", "systems", "conflicts"]
    assert "plans/later.md" in lines[1] and "Tue 2027-01-12 10:00–11:00 UTC" in lines[1]
    assert not any("checkout" in line for line in lines)
    assert any(
        line.startswith("not on the calendar: plans/broken.md: its window cannot be read")
        for line in lines
    )
    everything = run_planlint("calendar", "plans/checkout.md", cwd=repo).stdout
    assert "conflicts with plans/team/tax.md on checkout-api" in everything
    assert "plans/ledger.md  " not in everything  # only the plans asked for are listed


def _read_back_strictly(text: str) -> list[dict[str, str]]:
    """Each VEVENT's properties, read with vobject (an independent parser)."""
    events = []
    for component in vobject.readComponents(text, validate=True):
        for item in component.vevent_list:
            events.append(
                {
                    "uid": item.uid.value,
                    "start": item.dtstart.value.isoformat(),
                    "end": item.dtend.value.isoformat(),
                    "summary": item.summary.value,
                    "url": item.url.value,
                    "description": item.description.value,
                }
            )
    return events


def test_calendar_ics_is_read_back_by_icalendar_and_vobject(repo: Path) -> None:
    three_plans(repo)
    args = (
        "calendar",
        "--format",
        "ics",
        "--link-base",
        "https://git.example.com/ops/-/blob/main/",
    )
    result = run_planlint(*args, cwd=repo)
    assert result.returncode == 0, result.stderr
    raw = result.stdout
    assert "\r\n" not in raw or raw.count("\r\n") == raw.count("\n")
    parsed = icalendar.Calendar.from_ical(raw)
    events = list(parsed.walk("VEVENT"))
    assert len(events) == 3
    first = events[0]
    assert isinstance(first, icalendar.Event)
    assert first.start.isoformat() == "2026-12-09T09:00:00+00:00"
    assert str(first["URL"]) == "https://git.example.com/ops/-/blob/main/plans/checkout.md"
    assert "Plan: plans/checkout.md" in str(first["DESCRIPTION"])
    strict = _read_back_strictly(raw)
    assert [e["uid"] for e in strict] == [str(e["UID"]) for e in events]
    assert strict[1]["start"] == "2026-12-09T10:00:00+00:00"
    assert strict[1]["summary"] == "Tax engine [production]"
    assert "conflicts with plans/checkout.md on checkout-api" in strict[1]["description"]
    # The UID is the plan's: a subscribed calendar updates the event when the window moves.
    tax = repo / "plans/team/tax.md"
    tax.write_text(tax.read_text().replace("05:00–06:00", "07:00–08:00"), encoding="utf-8")
    again = _read_back_strictly(run_planlint(*args, cwd=repo).stdout)
    assert {e["uid"] for e in again} == {e["uid"] for e in strict}
    assert len({e["uid"] for e in strict}) == 3
    local = _read_back_strictly(run_planlint("calendar", "--format", "ics", cwd=repo).stdout)
    assert local[0]["url"].startswith("file://") and local[0]["url"].endswith("/plans/checkout.md")


# -- hostile calendars and bad config -------------------------------------------------------------


def _ics_config(repo: Path, path: str) -> None:
    config(repo, f"calendar:\n  freezes:\n    - name: holidays\n      ics: {path}\n")
    write(repo, "plans/p.md", plan_text("2026-12-09 10:00–11:00 UTC"))


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("FREQ=SECONDLY", "FREQ=SECONDLY; a freeze recurs at most daily"),
        ("FREQ=DAILY;BYHOUR=1,2,3", "BYHOUR is not supported"),
        pytest.param(  # half a second of expansion, by design: the whole suite runs it
            "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "takes too long to expand", marks=pytest.mark.slow
        ),
        ("FREQ=YEARLY;UNTIL=notadate", "RRULE: Wrong date format notadate"),
    ],
)
def test_a_calendar_that_would_expand_forever_is_refused(
    repo: Path, rule: str, expected: str
) -> None:
    write(
        repo,
        "calendars/bad.ics",
        ics(
            event(
                "bad@example.com",
                "Trap",
                "DTSTART:20260101T000000Z",
                "DTEND:20260101T010000Z",
                f"RRULE:{rule}",
            )
        ),
    )
    _ics_config(repo, "calendars/bad.ics")
    message = config_error(repo)
    assert ".planlint.yaml:3: calendar freeze 'holidays': calendars/bad.ics:5: " in message
    assert expected in message and "'Trap'" in message


@pytest.mark.parametrize(
    ("setup", "expected"),
    first_fast(
        [
            ("garbage", "not an iCalendar file"),
            ("no-dtstart", "has no DTSTART"),
            ("broken-date", "DTSTART"),
            ("large", "larger than 1000000 bytes"),
            ("absolute", "must be a path relative to the config's folder"),
            ("outside", "leads outside the repository"),
            ("missing", "does not exist"),
            ("folder", "is not a regular file"),
        ]
    ),
)
def test_a_bad_calendar_file_is_a_config_error_naming_it(
    repo: Path, tmp_path_factory: Any, setup: str, expected: str
) -> None:
    name = "calendars/holidays.ics"
    target = repo / name
    if setup == "garbage":
        target.write_bytes(b"\x00\xff not a calendar\n" * 10)
    elif setup == "no-dtstart":
        target.write_text(ics(event("x@example.com", "Floating")))
    elif setup == "broken-date":
        target.write_text(ics(event("x@example.com", "Bad", "DTSTART:2026XXXX")))
    elif setup == "large":
        big = event("x@example.com", "Big", "DTSTART:20260101T000000Z", "X-PAD:" + "a" * 70)
        target.write_text(ics(*[big] * 15_000))
    elif setup == "absolute":
        name = str(tmp_path_factory.mktemp("abs") / "holidays.ics")
        Path(name).write_text(HOLIDAYS)
    elif setup == "outside":
        elsewhere = tmp_path_factory.mktemp("outside") / "holidays.ics"
        elsewhere.write_text(HOLIDAYS)
        target.symlink_to(elsewhere)
    elif setup == "folder":
        target.mkdir()
    _ics_config(repo, name)
    message = config_error(repo)
    assert message.startswith("planlint: error: ") and "Traceback" not in message
    assert ".planlint.yaml:3: calendar freeze 'holidays': " in message
    assert expected in message
    assert config_error(repo, "calendar").strip() == message.strip()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("calendar:\n  team_zones: [Mars/Olympus]\n", "unknown time zone 'Mars/Olympus'"),
        (
            "calendar:\n  freezes:\n    - name: x\n      cron: {freeze_start: '61 * * * *', "
            "freeze_end: '0 8 * * 1'}\n",
            "'61 * * * *' is not a valid cron expression",
        ),
        (
            "calendar:\n  freezes:\n    - name: x\n      ics: a.ics\n"
            "      weekly: {days: [friday]}\n",
            "a freeze has exactly one of ics, cron, weekly, window; 'x' has ics and weekly",
        ),
        ("calendar:\n  plans: ../elsewhere/*.md\n", "must be a glob relative to the config"),
        ("calendar:\n  max_concurrent_production: 0\n", "greater than or equal to 1"),
        (
            "calendar:\n  freezes:\n    - {name: x, weekly: {days: [caturday]}}\n",
            "unknown day 'caturday'",
        ),
    ],
)
def test_a_bad_calendar_config_is_located(repo: Path, text: str, expected: str) -> None:
    config(repo, text)
    write(repo, "plans/p.md", plan_text("2026-12-09 10:00–11:00 UTC"))
    message = config_error(repo)
    assert re.search(r"\.planlint\.yaml:[2-5]: calendar\.", message), message
    assert expected in message


def test_a_plain_check_loads_no_calendar_library(repo: Path) -> None:
    write(repo, "plans/p.md", plan_text("Friday 2026-12-04 15:00–16:00 UTC"))
    watched = ("icalendar", "recurring_ical_events", "croniter", "vobject")
    code, _, imported = run_and_list_imports(["check", "plans"], repo, watched)
    assert (code, imported) == (1, [])
    config(
        repo,
        "calendar:\n  freezes:\n    - name: x\n"
        "      cron: {freeze_start: '0 0 * * 6', freeze_end: '0 0 * * 1'}\n",
    )
    code, _, imported = run_and_list_imports(["check", "plans"], repo, watched)
    assert imported == ["croniter"]  # the calendar's own, only when it has one


def test_other_plans_are_read_from_the_calendar_cache_by_content(repo: Path) -> None:
    config(repo, "calendar:\n  plans: plans/*.md\n")
    for number in range(120):
        window = f"2026-11-{1 + number % 28:02} 10:00–11:00 UTC"
        write(repo, f"plans/p{number:03}.md", plan_text(window, systems=f"s{number}"))
    assert findings(repo, "plans/p000.md") == []
    path = repo / ".planlint_cache" / "calendar-v1.json"
    cache = read_cache(path)
    assert len(cache["entries"]) == 120
    assert all(re.fullmatch(r"[0-9a-f]{64}", digest) for digest in cache["entries"])
    assert (repo / ".planlint_cache" / ".gitignore").read_text().endswith("*\n")
    # A row changed in the cache shows: the plan was not parsed again (its text is the same).
    for row in cache["entries"].values():
        row["title"] = "read from the cache"
    write_cache(path, cache)
    shown = json.loads(run_planlint("calendar", "--format", "json", cwd=repo).stdout)
    assert {plan["title"] for plan in shown["plans"]} == {"read from the cache"}
    fresh = run_planlint("calendar", "--format", "json", "--no-cache", cwd=repo).stdout
    assert {plan["title"] for plan in json.loads(fresh)["plans"]} == {"Deployment plan"}


def test_the_language_server_sees_the_other_plans_and_a_bad_calendar(repo: Path) -> None:
    from planlint.lsp.linting import DocumentLinter

    three_plans(repo)
    path = repo / "plans/checkout.md"
    text = plan_text("Wednesday 2026-12-09 10:30–11:30 Europe/Berlin")  # the unsaved buffer
    outcome = DocumentLinter().lint(text, path, "plans/checkout.md", repo)
    assert outcome.result is not None and outcome.problem is None
    assert [v.code for v in outcome.result.violations if v.code == "PL405"] == ["PL405"]
    config(repo, THREE_PLANS + "  freezes:\n    - {name: holidays, ics: missing.ics}\n")
    outcome = DocumentLinter().lint(text, path, "plans/checkout.md", repo)
    assert outcome.result is None and outcome.problem is not None
    assert "missing.ics does not exist" in outcome.problem.message


@pytest.mark.parametrize(
    "window",
    first_fast(
        [
            "Friday 9999-12-31 23:00–23:59 UTC",
            "Friday 9999-12-31 23:00–23:59 Pacific/Kiritimati",  # already year 10000 in UTC
            "0001-01-01 00:00–01:00 Etc/GMT+12",
        ]
    ),
)
def test_a_window_at_the_edge_of_the_calendar_never_ends_the_lint(repo: Path, window: str) -> None:
    """Every freeze form does date arithmetic past the window; at year 9999 or year 1 that
    overflows. The window is not judged against the calendar, and planlint goes on."""
    write(repo, "calendars/holidays.ics", HOLIDAYS)
    config(
        repo,
        "calendar:\n  plans: 'plans/*.md'\n  team_zones: [Pacific/Kiritimati, Etc/GMT+12]\n"
        "  max_concurrent_production: 1\n  freezes:\n"
        "    - name: weekend\n      cron: {freeze_start: '0 18 * * 5', freeze_end: '0 8 * * 1'}\n"
        "    - name: holidays\n      ics: calendars/holidays.ics\n"
        "    - name: Friday afternoon\n      weekly: {days: [friday], start: '12:00'}\n",
    )
    write(repo, "plans/edge.md", plan_text(window))
    write(repo, "plans/other.md", plan_text(window))
    found = findings(repo, "plans/edge.md", rules=f"{CALENDAR_RULES},internal-error")
    assert "internal-error" not in {row["rule"] for row in found}
    assert {row["rule"] for row in found} >= {"window-conflict"}  # still placed beside the other
    for form in ("table", "json", "ics"):
        shown = run_planlint("calendar", "--format", form, cwd=repo)
        assert shown.returncode == 0 and "Traceback" not in shown.stderr, shown.stderr
