"""The calendar cache: each plan's place on the change calendar, by the digest of its text.

A run with a change calendar reads every plan the calendar's glob names, so that linting one
file (a pre-commit hook) still sees the others; parsing them all on every run would cost more
than linting the one. Their entries are kept here, in ``calendar-v1.json`` in the result
cache's folder, under the SHA-256 of their text, and stamped with planlint's code: an edited
reader never answers from an older one's entries.

The file is anyone's to write who can write the workspace: every row is checked before use
(a bad one is read again from the plan), it is never read or written through a symbolic link,
and a cache that cannot be read or written only makes the run slower.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from planlint import __version__
from planlint.app.cachefiles import read_cache_file, save_cache_file
from planlint.facts.calendar import PlanEntry, PlannedWindow, zone_of

NAME = "calendar-v1.json"
MAX_TEXT = 500


class EntryCache:
    def __init__(self, directory: Path | None, code: str) -> None:
        self.directory = directory
        self.code = code  # a digest of planlint's code: entries of other code are dropped
        self.path = directory / NAME if directory is not None else None
        self._rows: dict[str, Any] = self._load()
        self._used: dict[str, Any] = {}
        self._changed = False

    def _load(self) -> dict[str, Any]:
        if self.directory is None or self.path is None:
            return {}
        data = read_cache_file(self.directory, self.path)
        if data.get("code") != self.code:
            return {}
        rows = data.get("entries")
        return rows if isinstance(rows, dict) else {}

    def get(self, digest: str, path: str) -> PlanEntry | None:
        row = self._rows.get(digest)
        if row is None:
            return None
        try:
            entry = entry_from_row(row, path)
        except (KeyError, TypeError, ValueError, OverflowError, AttributeError):
            return None  # damaged: read the plan again
        self._used[digest] = row
        return entry

    def put(self, digest: str, entry: PlanEntry) -> None:
        self._used[digest] = row_of(entry)
        self._changed = True

    def save(self) -> None:
        """Keep the entries this run used (a plan deleted or edited leaves nothing behind)."""
        if not self._changed or self.directory is None or self.path is None:
            return
        body = {"planlint": __version__, "code": self.code, "entries": self._used}
        save_cache_file(self.directory, self.path, lambda: body)


def row_of(entry: PlanEntry) -> dict[str, Any]:
    window = entry.window
    return {
        "title": entry.title,
        "environment": entry.environment,
        "risk": entry.risk,
        "systems": list(entry.systems),
        "window": None
        if window is None
        else [
            window.start.isoformat(),
            window.end.isoformat(),
            window.zone,
            window.has_timezone,
            window.text,
            window.line,
        ],
        "problem": entry.problem,
    }


def _text(value: object, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise TypeError("a text of the wrong type or length")
    return value


def _moment(value: object) -> datetime:
    moment = datetime.fromisoformat(_text(value, 40))
    if moment.utcoffset() is None:
        raise ValueError("a time without a zone")
    return moment.astimezone(timezone.utc)


def entry_from_row(row: Any, path: str) -> PlanEntry:
    """A cached row back as an entry, every field checked (the cache is not trusted)."""
    systems = row["systems"]
    if not isinstance(systems, list) or len(systems) > 20:
        raise TypeError("systems")
    window = row["window"]
    placed = None
    if window is not None:
        start, end, zone, explicit, text, line = window
        placed = PlannedWindow(
            _moment(start), _moment(end), _text(zone, 64), explicit, _text(text), line
        )
        if not isinstance(explicit, bool) or type(line) is not int or not 1 <= line <= 10**9:
            raise TypeError("a window's flag or line")
        if placed.end <= placed.start:
            raise ValueError("a window that ends before it starts")
        zone_of(placed.zone)  # a zone name zoneinfo cannot load is a damaged row
    problem = row["problem"]
    return PlanEntry(
        path,
        _text(row["title"], 200),
        _text(row["environment"], 100),
        _text(row["risk"], 20),
        tuple(_text(system, 60) for system in systems),
        placed,
        None if problem is None else _text(problem),
    )
