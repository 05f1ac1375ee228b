"""``planlint calendar``: the change calendar as a table, as JSON or as an iCalendar feed.

The JSON fields are a contract (README, "The change calendar"); the iCalendar feed is RFC 5545
written by ``icalendar``: one event per plan, in UTC, with a UID that stays the same for a
plan's path, so that a calendar app subscribed to it updates events instead of duplicating them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from planlint.facts.agenda import Agenda, AgendaRow
from planlint.facts.calendar import in_zones, names, span_text
from planlint.facts.freezes import FreezeHit

PRODID = "-//planlint//change calendar//EN"


def _utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _freeze(hit: FreezeHit, zone: str) -> dict[str, Any]:
    return {
        "freeze": hit.freeze,
        "event": hit.event,
        "start": _utc(hit.start),
        "end": _utc(hit.end),
        "zone": hit.zone,
        "overlap": in_zones(hit.overlap_start, hit.overlap_end, (zone, hit.zone)),
    }


def _row(row: AgendaRow) -> dict[str, Any]:
    entry, window = row.entry, row.entry.window
    assert window is not None
    crowd = row.crowd
    return {
        "path": entry.path,
        "title": entry.title,
        "environment": entry.environment,
        "risk": entry.risk,
        "systems": list(entry.systems),
        "start": _utc(window.start),
        "end": _utc(window.end),
        "zone": window.zone,
        "has_timezone": window.has_timezone,
        "local": span_text(window.start, window.end, window.zone),
        "window": window.text,
        "line": window.line,
        "conflicts": [
            {
                "plan": conflict.other.path,
                "title": conflict.other.title,
                "systems": list(conflict.systems),
                "start": _utc(conflict.start),
                "end": _utc(conflict.end),
                "overlap": in_zones(
                    conflict.start,
                    conflict.end,
                    (window.zone, conflict.other.window.zone if conflict.other.window else "UTC"),
                ),
            }
            for conflict in row.conflicts
        ],
        "concurrent": None
        if crowd is None
        else {
            "count": crowd.size,
            "plans": [other.path for other in crowd.others],
            "start": _utc(crowd.start),
            "end": _utc(crowd.end),
        },
        "freezes": [_freeze(hit, window.zone) for hit in row.freezes],
    }


def calendar_json(agenda: Agenda, since: str | None, until: str | None) -> dict[str, Any]:
    return {
        "from": since,
        "to": until,
        "team_zones": list(agenda.team_zones),
        "max_concurrent_production": agenda.cap,
        "plans": [_row(row) for row in agenda.rows],
        "unplaced": [{"path": e.path, "problem": e.problem} for e in agenda.unplaced],
    }


def _notes(row: AgendaRow) -> list[str]:
    """What collides with the row's plan, one short line each."""
    notes = [f"conflicts with {c.other.path} on {', '.join(c.systems)}" for c in row.conflicts]
    if row.crowd is not None:
        notes.append(
            f"{row.crowd.size} production changes at once (with {names(row.crowd.others)})"
        )
    for hit in row.freezes:
        notes.append(f"in freeze {hit.freeze}" + (f": {hit.event}" if hit.event else ""))
    return notes


def table_rows(agenda: Agenda) -> list[list[str]]:
    """The cells of the table: when, plan, environment, risk, systems, conflicts."""
    rows = []
    for row in agenda.rows:
        window = row.entry.window
        assert window is not None
        when = span_text(window.start, window.end, window.zone)
        if not window.has_timezone:
            when += " (no zone: read as UTC)"
        entry = row.entry
        systems = ", ".join(entry.systems) or "-"
        notes = "; ".join(_notes(row)) or "-"
        rows.append([when, entry.path, entry.environment, entry.risk, systems, notes])
    return rows


HEADERS = ["when", "plan", "environment", "risk", "systems", "conflicts"]


def calendar_text(agenda: Agenda) -> str:
    """Plain text for a pipe: aligned columns, then the plans without a place."""
    rows = table_rows(agenda)
    lines = []
    if rows:
        widths = [max(len(cells[i]) for cells in [HEADERS, *rows]) for i in range(len(HEADERS) - 1)]
        for cells in [HEADERS, *rows]:
            lines.append(
                "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=False))
                + "  "
                + cells[-1]
            )
    else:
        lines.append("no plan has a window in this range")
    lines += [f"not on the calendar: {e.path}: {e.problem}" for e in agenda.unplaced]
    return "\n".join(lines) + "\n"


def calendar_ics(agenda: Agenda, link: Callable[[str], str]) -> bytes:
    """RFC 5545: one VEVENT per placed plan, DTSTART/DTEND in UTC, its file as URL and in the
    DESCRIPTION; ``link`` turns a plan's path into its URL."""
    import icalendar  # only this format needs it

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Change calendar (planlint)")
    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    for row in agenda.rows:
        entry, window = row.entry, row.entry.window
        assert window is not None
        event = icalendar.Event()
        uid = hashlib.sha256(entry.path.encode("utf-8")).hexdigest()[:32]
        event.add("uid", f"{uid}@planlint")
        event.add("dtstamp", stamp)
        event.add("dtstart", window.start.astimezone(timezone.utc))
        event.add("dtend", window.end.astimezone(timezone.utc))
        event.add("summary", f"{entry.title} [{entry.environment}]")
        details = [
            f"Plan: {entry.path}",
            f"Window: {window.text}",
            f"Environment: {entry.environment}",
            f"Risk: {entry.risk}",
            f"Systems: {', '.join(entry.systems) or '-'}",
            *_notes(row),
        ]
        event.add("description", "\n".join(details))
        event.add("url", link(entry.path))
        event.add("categories", [entry.environment])
        calendar.add_component(event)
    return bytes(calendar.to_ical())
