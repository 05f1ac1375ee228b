"""The change calendar of a run: the config's freeze calendars read, every plan placed.

``CalendarSettings`` is the config's ``calendar:`` as plain data; it is kept with the run
settings, so that a run answered from the result cache still knows which plans and files its
results depend on. ``build_calendar`` reads them: the plans the glob names and the files of the
run (each through the calendar cache, by the digest of its text), and the freeze calendars,
an ``.ics`` file only from inside the repository. Its digest covers all of it, and the result
cache keeps results under it: editing another plan's window, or the holiday calendar, lints
again the plans it could change.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from datetime import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from planlint.core.paths import SKIPPED_DIRECTORIES, glob_pattern
from planlint.facts.calendar import Calendar, PlanEntry

if TYPE_CHECKING:
    from datetime import datetime

    from planlint.engine.config import LoadedConfig
    from planlint.facts.agenda import Agenda
    from planlint.facts.freezes import Freeze

MAX_ICS_BYTES = 1_000_000
MAX_PLAN_BYTES = 2_000_000
MAX_PLANS = 5_000


class CalendarError(Exception):
    """A calendar that cannot be used: ``path:line: message``, like a config error."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


class FreezeSetting(NamedTuple):
    name: str
    environments: tuple[str, ...]
    form: str  # ics, cron, weekly or window
    values: tuple[str, ...]  # ics: path; cron: start, end, zone; weekly: days, start, end
    timezone: str | None
    line: int  # in the config, for messages


class CalendarSettings(NamedTuple):
    config: str  # the config file, for messages
    root: str  # the folder the globs and files are relative to
    plans: tuple[str, ...]
    team_zones: tuple[str, ...]
    max_concurrent_production: int | None
    freezes: tuple[FreezeSetting, ...]

    @classmethod
    def of(cls, loaded: LoadedConfig, root: Path | None = None) -> CalendarSettings | None:
        from planlint.facts.plan import normalize_environment

        calendar = loaded.config.calendar
        if calendar is None:
            return None
        freezes = []
        for index, freeze in enumerate(calendar.freezes):
            values: tuple[str, ...]
            if freeze.cron is not None:
                cron = freeze.cron
                values = (cron.freeze_start, cron.freeze_end, cron.cron_timezone)
            elif freeze.weekly is not None:
                weekly = freeze.weekly
                end = weekly.end.isoformat() if weekly.end else ""
                values = (",".join(weekly.days), weekly.start.isoformat(), end)
            else:
                values = (freeze.ics or freeze.window or "",)
            environments = tuple(normalize_environment(e) for e in freeze.environments)
            line = loaded.line_of("calendar", "freezes", index) if loaded.path else 1
            freezes.append(
                FreezeSetting(freeze.name, environments, freeze.form, values, freeze.timezone, line)
            )
        return cls(
            str(loaded.path or "config"),
            str((root or loaded.root).absolute()),
            tuple(calendar.plan_globs()),
            tuple(calendar.team_zones),
            calendar.max_concurrent_production,
            tuple(freezes),
        )

    def plain(self) -> dict[str, Any]:
        return {**self._asdict(), "freezes": [list(freeze) for freeze in self.freezes]}

    @classmethod
    def from_plain(cls, data: Any) -> CalendarSettings:
        """Back from the result cache, every field checked; TypeError when one is wrong."""
        freezes = []
        for row in data["freezes"]:
            name, environments, form, values, zone, line = row
            freezes.append(
                FreezeSetting(
                    _str(name), _strs(environments), _str(form), _strs(values),
                    None if zone is None else _str(zone), _int(line),
                )
            )  # fmt: skip
        cap = data["max_concurrent_production"]
        return cls(
            _str(data["config"]),
            _str(data["root"]),
            _strs(data["plans"]),
            _strs(data["team_zones"]),
            None if cap is None else _int(cap),
            tuple(freezes),
        )


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("text")
    return value


def _strs(values: object) -> tuple[str, ...]:
    if not isinstance(values, list | tuple):
        raise TypeError("a list of texts")
    return tuple(_str(value) for value in values)


def _int(value: object) -> int:
    if type(value) is not int:
        raise TypeError("a number")
    return value


# -- the plans -------------------------------------------------------------------------------


def plan_key(root: Path, path: Path) -> str:
    """How the calendar names a plan: relative to the root, or absolute outside it."""
    return Calendar(root).relative(path) or path.absolute().as_posix()


def plan_files(root: Path, globs: Sequence[str]) -> Iterator[Path]:
    """The files under ``root`` the globs match, links neither followed nor listed."""
    for pattern in globs:
        pattern = pattern.removeprefix("./")
        fixed = []
        for part in pattern.split("/")[:-1]:
            if any(char in part for char in "*?["):
                break
            fixed.append(part)
        top = root.joinpath(*fixed)
        try:  # a folder reached through a link may lead anywhere: not walked
            inside = top.resolve().is_relative_to(root.resolve()) and not top.is_symlink()
        except (OSError, RuntimeError):
            inside = False
        if not inside or not top.is_dir():
            continue
        glob = glob_pattern(pattern)
        for folder, folders, names in os.walk(top, followlinks=False):
            folders[:] = sorted(name for name in folders if name not in SKIPPED_DIRECTORIES)
            for name in sorted(names):
                path = Path(folder, name)
                if glob.match(path.relative_to(root).as_posix()):
                    yield path


class _Reader:
    """Reads plans into entries through the calendar cache."""

    def __init__(self, root: Path, cache_dir: Path | None) -> None:
        from planlint.app.cachefiles import code_stamp
        from planlint.app.plancache import EntryCache

        self.root = root
        stamp = json.dumps(code_stamp()).encode("utf-8")
        self.cache = EntryCache(cache_dir, hashlib.sha256(stamp).hexdigest()[:32])

    def entry(self, path: Path) -> PlanEntry:
        key = plan_key(self.root, path)
        try:
            if path.is_symlink():
                return _unplaced(key, "not read: a symbolic link")
            info = path.stat()
            if not stat.S_ISREG(info.st_mode):
                return _unplaced(key, "not read: not a regular file")
            if info.st_size > MAX_PLAN_BYTES:
                return _unplaced(key, f"not read: larger than {MAX_PLAN_BYTES} bytes")
            data = path.read_bytes()
        except OSError as error:
            return _unplaced(key, f"not read: {error.strerror or error}")
        digest = hashlib.sha256(data).hexdigest()
        found = self.cache.get(digest, key)
        if found is None:
            found = _read_entry(data, key)
            self.cache.put(digest, found)
        return found


def _unplaced(path: str, problem: str) -> PlanEntry:
    return PlanEntry(path, path, "unknown", "unknown", (), None, problem)


def _read_entry(data: bytes, key: str) -> PlanEntry:
    from planlint.core.source import ReadError, decode
    from planlint.facts.plan import extract_facts
    from planlint.facts.planentry import plan_entry
    from planlint.markdown.parser import parse
    from planlint.markdown.pseudo_headings import promote_pseudo_headings

    try:
        document = parse(decode(data).text)
        promote_pseudo_headings(document)
        return plan_entry(document, extract_facts(document), key)
    except ReadError as error:
        return _unplaced(key, f"not read: {error.message}")
    except Exception as error:  # a bug must not stop the run: the plan is left off the calendar
        return _unplaced(key, f"planlint failed to read it ({type(error).__name__})")


def read_plans(
    root: Path, globs: Sequence[str], extra: Iterable[Path], cache_dir: Path | None, where: str
) -> list[PlanEntry]:
    """Every plan on the calendar, by key, each once, in the order of their keys."""
    files: dict[str, Path] = {}
    for path in [*plan_files(root, globs), *extra]:
        files.setdefault(plan_key(root, path), path)
        if len(files) > MAX_PLANS:
            raise CalendarError(
                where, 1, f"calendar.plans: more than {MAX_PLANS} plans; narrow the globs"
            )
    reader = _Reader(root, cache_dir)
    entries = [reader.entry(files[key]) for key in sorted(files)]
    reader.cache.save()
    return entries


# -- the freezes -----------------------------------------------------------------------------


def _ics_bytes(root: Path, name: str) -> bytes:
    """The calendar file, only from inside the repository: no absolute path, no link that
    leads out, no device, nothing over ``MAX_ICS_BYTES``. ValueError says what is wrong."""
    if Path(name).is_absolute() or name.startswith("~"):
        raise ValueError("must be a path relative to the config's folder")
    path = root / name
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        raise ValueError("does not exist") from None
    except (OSError, RuntimeError) as error:
        raise ValueError(f"cannot be read: {error}") from None
    if not real.is_relative_to(root.resolve()):
        raise ValueError("leads outside the repository (a symbolic link or '..'): not read")
    info = real.stat()
    if not stat.S_ISREG(info.st_mode):
        raise ValueError("is not a regular file")
    if info.st_size > MAX_ICS_BYTES:
        raise ValueError(f"is larger than {MAX_ICS_BYTES} bytes")
    return real.read_bytes()


_ICS_MEMO: dict[str, Any] = {}  # digest -> IcsEvents: an editor lints again on every change


def _freeze(settings: CalendarSettings, setting: FreezeSetting, digests: list[str]) -> Freeze:
    from planlint.facts.freezes import CronFreeze, FixedFreeze, IcsFreeze, WeeklyFreeze

    name, environments = setting.name, setting.environments
    if setting.form == "cron":
        start, end, zone = setting.values
        return CronFreeze(name, environments, start, end, zone)
    if setting.form == "weekly":
        days, start, end = setting.values
        until = time.fromisoformat(end) if end else None
        return WeeklyFreeze(
            name, environments, tuple(days.split(",")), time.fromisoformat(start), until
        )
    if setting.form == "window":
        from planlint.facts.windows import parse_window

        window = parse_window(setting.values[0])
        return FixedFreeze(name, environments, window.start, window.end, window.zone)
    (file,) = setting.values
    where = f"calendar freeze {name!r}: {file}"
    try:
        data = _ics_bytes(Path(settings.root), file)
    except (ValueError, OSError) as error:
        raise CalendarError(settings.config, setting.line, f"{where} {error}") from None
    digest = hashlib.sha256(data).hexdigest()
    digests.append(digest)
    events = _ICS_MEMO.get(digest)
    if events is None:
        from planlint.facts.icsfreeze import IcsError, read_ics

        try:
            events = read_ics(data)
        except IcsError as error:
            line = f":{error.line}" if error.line else ""
            raise CalendarError(
                settings.config, setting.line, f"{where}{line}: {error.message}"
            ) from None
        if len(_ICS_MEMO) > 16:
            _ICS_MEMO.clear()
        _ICS_MEMO[digest] = events
    return IcsFreeze(name, environments, events, setting.timezone)


def build_calendar(
    settings: CalendarSettings, extra: Iterable[Path] = (), cache_dir: Path | None = None
) -> Calendar:
    """The run's calendar: freezes read and plans placed. Raises ``CalendarError``."""
    digests: list[str] = []
    freezes = tuple(_freeze(settings, setting, digests) for setting in settings.freezes)
    root = Path(settings.root)
    plans = read_plans(root, settings.plans, extra, cache_dir, settings.config)
    from planlint.app.plancache import row_of

    document = [settings.plain(), digests, [[p.path, row_of(p)] for p in plans]]
    digest = hashlib.sha256(json.dumps(document, default=str).encode("utf-8")).hexdigest()
    return Calendar(
        root,
        tuple(plans),
        freezes,
        settings.team_zones,
        settings.max_concurrent_production,
        digest[:32],
    )


def calendar_view(
    config_path: Path | None,
    files: Sequence[Path],
    explicit: bool,
    since: datetime | None,
    until: datetime | None,
    cache_dir: Path | None,
) -> Agenda:
    """What ``planlint calendar`` shows: the plans named (``explicit``), else those of the
    config's ``calendar.plans`` (else every plan here), placed among all of them. Raises
    ``PackError`` for a config and ``CalendarError`` for a calendar that cannot be used."""
    from planlint.core.paths import expand, matches
    from planlint.engine.config import load_config
    from planlint.facts.agenda import agenda

    loaded = load_config(config_path)
    settings = CalendarSettings.of(loaded) or CalendarSettings(
        str(config_path or "config"), str(loaded.root.absolute()), (), (), None, ()
    )
    if not explicit and not settings.plans:
        files = expand(["."])[0]
    excluded = loaded.config.exclude
    files = [file for file in files if not (excluded and matches(file, excluded, loaded.root))]
    calendar = build_calendar(settings, files, cache_dir)
    root = Path(settings.root)
    shown = {plan_key(root, file) for file in files} if explicit else None
    return agenda(calendar, shown, since, until)
