"""Linting many files: through the result cache, and in parallel worker processes.

Whatever the route, the results come out in the order of the files given, and each one is
exactly what ``Linter.lint_file`` gives for that file: a cached or parallel run reports the
same bytes as a cold serial one.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import stat
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from planlint import __version__
from planlint.app.cachefiles import code_stamp, read_cache_file, save_cache_file
from planlint.core import regexcache
from planlint.core.paths import display_path
from planlint.core.resources import bundled_packs
from planlint.core.results import (
    PROFILE_SOURCES,
    Edit,
    FileResult,
    Fix,
    RuleInfo,
    Severity,
    Violation,
    mask_spans,
)
from planlint.core.source import ReadError, Source, read_source, split_lines, strip_eol

if TYPE_CHECKING:  # only a run with files to lint loads the packs and builds a linter
    from planlint.app.calendar import CalendarSettings
    from planlint.engine.compiled import FileLinter
    from planlint.engine.runner import Linter

CACHE_DIR_NAME = ".planlint_cache"
CACHE_FORMAT = 6  # bump when the entry layout changes
_SMALL_BATCH = 8  # below this many files per worker, process start-up costs more than it saves


# -- the result cache ----------------------------------------------------------------------------


class ResultCache:
    """Results of earlier runs, one JSON file per set of settings (version, packs, config…).

    An entry is used when the file's text hashes the same and every other file the checks
    consulted (``broken-reference`` reads the files a plan names) still has the same size and
    modification time. A cache that cannot be read is treated as empty; one that cannot be
    written is skipped: the cache may make planlint faster, never make it fail.

    ``settings`` are the run settings stored with the results. They are None when there are
    none yet, or when a pack the config names has changed since: the results stored with them
    are then dropped too, since that pack may have decided them.
    """

    def __init__(self, directory: Path, key: str) -> None:
        self.directory = directory
        self.path = directory / f"v{CACHE_FORMAT}" / f"{key}.json"
        document = self._load()
        self.settings = _settings(document.get("settings"))
        entries = document.get("files") if self.settings is not None else None
        self._entries: dict[str, Any] = entries if isinstance(entries, dict) else {}
        self._changed = False

    def _load(self) -> dict[str, Any]:
        return read_cache_file(self.directory, self.path)

    def keep_settings(self, settings: RunSettings) -> None:
        self.settings = settings
        self._changed = True

    def get(self, display: str, digest: str) -> FileResult | None:
        entry = self._entries.get(display)
        try:
            if entry is None or entry["sha256"] != digest or not _unchanged(entry["consulted"]):
                return None
            violations = [_violation(item) for item in entry["violations"]]
            masked = tuple(_span(span) for span in entry.get("masked", []))
            profile, source, reason = _profile_fields(entry)
            return FileResult(
                display,
                profile,
                violations,
                masked=masked,
                profile_source=source,
                profile_reason=reason,
            )
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            return None  # a damaged entry: lint the file again

    def put(self, result: FileResult, digest: str) -> None:
        self._entries[result.path] = {
            "sha256": digest,
            "profile": result.profile,
            "profile_source": result.profile_source,
            "profile_reason": result.profile_reason,
            "violations": [_plain(violation) for violation in result.violations],
            "consulted": [_stamp(Path(path)) for path in result.consulted],
            "masked": [list(span) for span in result.masked],
        }
        self._changed = True

    def save(self) -> None:
        if self._changed:
            save_cache_file(self.directory, self.path, self._merged)

    def _merged(self) -> dict[str, Any]:
        """The entries to save: others may have saved entries for other files meanwhile
        (pre-commit runs batches in parallel); theirs are kept, ours win for the files linted
        here."""
        document = self._load()
        theirs = document.get("files") if _settings(document.get("settings")) else None
        merged = {**(theirs if isinstance(theirs, dict) else {}), **self._entries}
        settings = self.settings.plain() if self.settings is not None else None
        return {"planlint": __version__, "settings": settings, "files": merged}


def settings_key(config: Path | None, packs: Sequence[Path], options: Mapping[str, Any]) -> str:
    """A digest of everything besides the plans that decides their results.

    It is taken from the bytes of the config and of the packs, and from the command-line
    options, so computing it loads nothing: a run whose files are all cached never reads a
    pack with YAML or validates a model. Packs the config itself names are only known once it
    is read; ``RunSettings.packs`` covers them. The modification times of planlint's own code
    and bundled packs are in too (stamped, not read: they are planlint's, like its code), so an
    edited check or pack (an editable install, a development checkout) is never answered from
    an older run.
    """
    inputs = [config] if config is not None else []
    inputs += packs
    settings = {
        "planlint": __version__,
        "format": CACHE_FORMAT,
        "code": code_stamp(),
        "bundled": [_stamp(path) for path in bundled_packs()],
        "cwd": os.getcwd(),
        "options": options,
        "config": str(config.absolute()) if config is not None else None,
        "files": [[str(path.absolute()), _file_digest(path)] for path in inputs],
    }
    text = json.dumps(settings, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _file_digest(path: Path) -> str | None:
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None  # a pipe or a device (`--pack /dev/zero`): never read; loading refuses it
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None  # loading it reports the problem; this key is then never stored


class RunSettings(NamedTuple):
    """What a run needs from the loaded config and packs besides the linter: the rules the
    formatters describe, the files to skip and the failing severity. Kept with the cached
    results, so a fully cached run needs neither the packs nor the config model."""

    rules: Mapping[str, RuleInfo]
    exclude: tuple[str, ...]
    fail_on: str | None
    packs: tuple[tuple[str, str | None], ...]  # the packs the config names, with their digests
    # The config's change calendar: a cached run reads the plans and freeze calendars it names
    # again, since the results depend on them (``planlint.app.calendar``).
    calendar: CalendarSettings | None = None

    @classmethod
    def of(cls, linter: Linter) -> RunSettings:
        from planlint.app.calendar import CalendarSettings

        config = linter.config
        named = [config.root / pack for pack in config.config.packs]
        return cls(
            rules=linter.rule_infos(),
            exclude=tuple(config.config.exclude),
            fail_on=config.config.fail_on,
            packs=tuple((str(path), _file_digest(path)) for path in named),
            calendar=CalendarSettings.of(config),
        )

    def current(self) -> bool:
        """Do the packs the config names still hold what they held when these were stored?"""
        return all(_file_digest(Path(path)) == digest for path, digest in self.packs)

    def plain(self) -> dict[str, Any]:
        rules = {name: _plain_info(info) for name, info in self.rules.items()}
        return {
            "rules": rules,
            "exclude": list(self.exclude),
            "fail_on": self.fail_on,
            "packs": [list(pack) for pack in self.packs],
            "calendar": self.calendar.plain() if self.calendar is not None else None,
        }

    @classmethod
    def from_plain(cls, data: dict[str, Any]) -> RunSettings:
        rules = {name: _rule_info(info) for name, info in data["rules"].items()}
        fail_on = data["fail_on"]
        if fail_on is not None and not isinstance(fail_on, str):
            raise TypeError("fail_on")
        packs = tuple((str(path), digest) for path, digest in data["packs"])
        calendar = None
        if data.get("calendar") is not None:
            from planlint.app.calendar import CalendarSettings

            calendar = CalendarSettings.from_plain(data["calendar"])
        return cls(rules, tuple(str(glob) for glob in data["exclude"]), fail_on, packs, calendar)


def _settings(data: object) -> RunSettings | None:
    if not isinstance(data, dict):
        return None
    try:
        settings = RunSettings.from_plain(data)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None  # damaged: the run loads the packs and stores them again
    return settings if settings.current() else None


def _plain_info(info: RuleInfo) -> dict[str, Any]:
    data = info._asdict()
    data["severity"] = info.severity.label
    return data


def _rule_info(data: dict[str, Any]) -> RuleInfo:
    data = dict(data)
    severity = Severity.parse(data.pop("severity"))
    profiles = _strings(data.pop("profiles"))
    when = tuple((str(fact), _strings(values)) for fact, values in data.pop("when"))
    if not all(isinstance(value, str) for value in data.values()):
        raise TypeError("rule texts")  # a formatter must never meet a damaged entry
    return RuleInfo(severity=severity, profiles=profiles, when=when, **data)


def _strings(values: object) -> tuple[str, ...]:
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        raise TypeError("a list of strings")
    return tuple(values)


def default_cache_dir(config: Path | None) -> Path:
    """Beside the config file when there is one, else at the top of the repository (or here).

    ``PLANLINT_CACHE_DIR`` overrides it, as ``--cache-dir`` does.
    """
    from planlint.core.paths import repository_root

    if os.environ.get("PLANLINT_CACHE_DIR"):
        return Path(os.environ["PLANLINT_CACHE_DIR"])
    if config is not None:
        return config.parent / CACHE_DIR_NAME
    return (repository_root(Path.cwd()) or Path.cwd()) / CACHE_DIR_NAME


def _digest(source: Source, salt: str = "") -> str:
    """The text's digest; with a calendar's ``salt``, of the text and the calendar it was
    linted against (another plan's window changes this plan's result)."""
    data = source.bom + source.text.encode("utf-8", "surrogatepass") + salt.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def _stamp(path: Path) -> list[object]:
    try:
        info = path.stat()
    except OSError:
        return [str(path), None, None]
    return [str(path), info.st_mtime_ns, info.st_size]


def _unchanged(stamps: list[list[object]]) -> bool:
    return all(_stamp(Path(str(stamp[0]))) == stamp for stamp in stamps)


def _plain(violation: Violation) -> list[Any]:
    """A violation as a JSON row, its fields in order: a fully cached run reads thousands."""
    row: list[Any] = list(violation)
    row[2] = violation.severity.label
    if violation.fix is not None:
        fix = violation.fix
        row[-1] = [fix.description, [list(edit) for edit in fix.edits], fix.safe]
    return row


_MAX_POSITION = 10**9  # lines and columns beyond any file planlint would read


def _profile_fields(entry: dict[str, Any]) -> tuple[str | None, str | None, str]:
    """The cached profile, its source and reason, each checked: a formatter prints them."""
    profile, source, reason = entry["profile"], entry["profile_source"], entry["profile_reason"]
    if not (profile is None or isinstance(profile, str)) or not isinstance(reason, str):
        raise TypeError("a cached profile or reason that is no text")
    if source is not None and source not in PROFILE_SOURCES:
        raise ValueError("a cached profile source of another kind")
    return profile, source, reason


def _span(row: object) -> tuple[int, int, int]:
    if not isinstance(row, list) or len(row) != 3:
        raise ValueError("a masked span of another layout")
    line, start, end = row
    if not all(type(n) is int and 0 <= n <= _MAX_POSITION for n in row) or end < start:
        raise ValueError("a masked span out of range")
    return line, start, end


def _violation(row: list[Any]) -> Violation:
    """A cached row back as a violation, every field checked: a cache is a file anyone with
    the workspace could have written, and a formatter must never meet a damaged row."""
    *fields, fix = row
    if len(fields) != len(Violation._fields) - 1:
        raise ValueError("a violation row of another layout")
    rule, code, severity, message, line, column, end_line, end_column, section, hint = fields
    if not all(isinstance(text, str) for text in (rule, code, message)):
        raise TypeError("rule, code and message are text")
    if not all(text is None or isinstance(text, str) for text in (section, hint)):
        raise TypeError("section and hint are text")
    positions = (line, column, end_line, end_column)
    if not all(type(n) is int and 1 <= n <= _MAX_POSITION for n in positions):
        raise ValueError("a position out of range")
    if (end_line, end_column) < (line, column):
        raise ValueError("a span that ends before it starts")
    fields[2] = Severity.parse(severity)
    if fix is not None:
        description, edits, safe = fix
        checked = []
        for edit in edits:
            if len(edit) != 5 or not all(type(n) is int and n >= 1 for n in edit[:4]):
                raise ValueError("a damaged edit")
            if not isinstance(edit[4], str):
                raise TypeError("an edit's text")
            checked.append(Edit(*edit))
        if not isinstance(description, str) or not isinstance(safe, bool):
            raise TypeError("a damaged fix")
        fix = Fix(description, tuple(checked), safe)
    return Violation._make([*fields, fix])


# -- running -------------------------------------------------------------------------------------


class _Pending(NamedTuple):
    position: int  # in the files given
    path: Path
    display: str
    digest: str | None  # None: the file could not be read (no caching)


def lint_files(
    make_linter: Callable[[], FileLinter],
    files: Sequence[Path],
    jobs: int = 1,
    cache: ResultCache | None = None,
    keep_lines: bool = True,
    salt: str = "",
) -> Iterator[FileResult]:
    """Each file's result, in the order of ``files``.

    ``make_linter`` is called once, when the first file the cache cannot answer comes up, and
    never when it answers them all: loading the packs is most of a small run's cost.

    Without ``keep_lines`` the results carry no source lines (``lines`` is empty): most
    formats never read them, and splitting and shipping them back costs time and memory.

    ``salt`` is the digest of the run's change calendar: results are cached under it too.
    """
    ready: dict[int, FileResult] = {}
    pending: list[_Pending] = []
    for index, path in enumerate(files):
        display = display_path(path)
        if cache is None:
            pending.append(_Pending(index, path, display, None))
            continue
        try:
            source = read_source(path)
        except ReadError:
            pending.append(_Pending(index, path, display, None))
            continue
        digest = _digest(source, salt)
        found = cache.get(display, digest)
        if found is not None:
            if keep_lines:
                lines = [strip_eol(line) for line in split_lines(source.text)]
                found.lines = mask_spans(lines, found.masked) if found.masked else lines
            ready[index] = found
        else:
            pending.append(_Pending(index, path, display, digest))
    fresh = _run(make_linter, pending, jobs, keep_lines, salt)
    for index in range(len(files)):
        result = ready.pop(index, None)
        if result is None:
            item, (result, linted) = next(fresh)
            # Stored under the digest of the text that was linted, not of the one read
            # above: a file saved in between must not get the new text's verdict for the old.
            if cache is not None and item.digest is not None and linted is not None:
                cache.put(result, linted)
        yield result
    if cache is not None:
        cache.save()
    if pending:
        regexcache.save()  # the code of the patterns this run compiled, for the next one


def _run(
    make_linter: Callable[[], FileLinter],
    pending: list[_Pending],
    jobs: int,
    keep_lines: bool,
    salt: str = "",
) -> Iterator[tuple[_Pending, tuple[FileResult, str | None]]]:
    linter = make_linter()  # a generator: this runs on the first uncached file, if any
    workers = min(jobs, len(pending) // _SMALL_BATCH)
    if workers <= 1 or not _can_fork():
        for item in pending:
            yield item, _lint(linter, item.path, item.display, keep_lines, salt)
        return
    import concurrent.futures  # only here: a one-file run should not pay for the imports
    import multiprocessing
    from concurrent.futures.process import BrokenProcessPool

    # The first file is linted here, before forking: it compiles the patterns the checks
    # compile on first use and fills their caches, which every worker then inherits instead
    # of doing that work again, each on its own.
    first, rest = pending[0], pending[1:]
    yield first, _lint(linter, first.path, first.display, keep_lines, salt)
    global _WORKER_LINTER
    _WORKER_LINTER = linter  # forked workers inherit it: no pack loading per worker
    context = multiprocessing.get_context("fork")
    # Frozen, the inherited objects are never scanned by the workers' collector, which
    # would otherwise touch (and so copy) every page of the parent's memory in each worker.
    gc.freeze()
    pool = concurrent.futures.ProcessPoolExecutor(
        workers, mp_context=context, initializer=_worker_signals
    )
    finished = False
    done = 0
    try:
        # Small chunks: the last ones decide when the run ends, so they should be short.
        chunk = max(1, min(16, len(rest) // (workers * 32)))
        work = [(i.path, i.display, keep_lines, salt) for i in rest]
        try:
            results = pool.map(_lint_in_worker, work, chunksize=chunk)
            for item, result in zip(rest, results, strict=False):  # cut short if a worker dies
                yield item, result
                done += 1
        except BrokenProcessPool:
            # A worker died (the out-of-memory killer, a signal): the files it and the others
            # had not finished are not judged, so each fails; the rest keep their results.
            for item in rest[done:]:
                yield item, (linter.unfinished(item.display, WORKER_DIED), None)
        finished = True
    finally:
        _stop(pool, finished)
        gc.unfreeze()


WORKER_DIED = (
    "planlint could not finish this file: a worker process of --jobs ended abruptly "
    "(killed by a signal, perhaps by the out-of-memory killer); run again with --jobs 1"
)


def _stop(pool: Any, finished: bool) -> None:
    """Shut the pool down; after an interruption (SIGTERM, Ctrl-C, a closed generator), end its
    workers at once rather than letting them finish the queue: a CI step must not outlive its
    run, and a worker left alive would keep the step's stdout open."""
    import multiprocessing

    if finished:
        pool.shutdown(wait=True)
        return
    pool.shutdown(wait=False, cancel_futures=True)
    workers = multiprocessing.active_children()
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.join(timeout=5)
        if worker.is_alive():  # pragma: no cover - a worker ignoring SIGTERM
            worker.kill()
            worker.join(timeout=5)


def _worker_signals() -> None:
    """A worker ends at the first SIGTERM (the parent sends it when the run is interrupted)
    and leaves Ctrl-C to the parent, which stops the run and the workers with it."""
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


_WORKER_LINTER: FileLinter | None = None


def _lint_in_worker(item: tuple[Path, str, bool, str]) -> tuple[FileResult, str | None]:
    assert _WORKER_LINTER is not None
    return _lint(_WORKER_LINTER, *item)


def _lint(
    linter: FileLinter, path: Path, display: str, keep_lines: bool, salt: str = ""
) -> tuple[FileResult, str | None]:
    """The file's result, and the digest of exactly the text it was linted from (None when
    it could not be read: nothing to cache)."""
    try:
        source = read_source(path)
    except ReadError:
        result, digest = linter.lint_file(path, display), None  # reports the read error
    else:
        result, digest = linter.lint_text(source.text, display, path), _digest(source, salt)
    if not keep_lines:
        result.lines = ()
    return result, digest


def _can_fork() -> bool:
    import multiprocessing

    # Forking keeps the loaded packs and the built grammar; where it is unavailable or
    # unsafe (Windows, macOS), one process is still correct, only slower.
    return sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()


def cpu_count() -> int:
    counter = getattr(os, "process_cpu_count", None) or os.cpu_count
    return counter() or 1
