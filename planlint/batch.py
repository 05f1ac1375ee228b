"""Linting many files: through the result cache, and in parallel worker processes.

Whatever the route, the results come out in the order of the files given, and each one is
exactly what ``Linter.lint_file`` gives for that file: a cached or parallel run reports the
same bytes as a cold serial one.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from planlint import __version__
from planlint.engine.runner import Linter
from planlint.model import Edit, FileResult, Fix, Severity, Violation
from planlint.paths import display_path
from planlint.source import ReadError, Source, read_source, split_lines, strip_eol

CACHE_DIR_NAME = ".planlint_cache"
CACHE_FORMAT = 1  # bump when the entry layout changes
_SMALL_BATCH = 8  # below this many files per worker, process start-up costs more than it saves


# -- the result cache ----------------------------------------------------------------------------


class ResultCache:
    """Results of earlier runs, one JSON file per set of settings (version, packs, config…).

    An entry is used when the file's text hashes the same and every other file the checks
    consulted (``broken-reference`` reads the files a plan names) still has the same size and
    modification time. A cache that cannot be read is treated as empty; one that cannot be
    written is skipped: the cache may make planlint faster, never make it fail.
    """

    def __init__(self, directory: Path, settings: str) -> None:
        self.directory = directory
        self.path = directory / f"v{CACHE_FORMAT}" / f"{settings}.json"
        self._entries: dict[str, Any] = self._load()
        self._changed = False

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            return {}
        entries = data.get("files") if isinstance(data, dict) else None
        return entries if isinstance(entries, dict) else {}

    def get(self, display: str, digest: str) -> FileResult | None:
        entry = self._entries.get(display)
        try:
            if entry is None or entry["sha256"] != digest or not _unchanged(entry["consulted"]):
                return None
            violations = [_violation(item) for item in entry["violations"]]
            return FileResult(display, entry["profile"], violations)
        except (KeyError, TypeError, ValueError, IndexError):
            return None  # a damaged entry: lint the file again

    def put(self, result: FileResult, digest: str) -> None:
        self._entries[result.path] = {
            "sha256": digest,
            "profile": result.profile,
            "violations": [_plain(violation) for violation in result.violations],
            "consulted": [_stamp(Path(path)) for path in result.consulted],
        }
        self._changed = True

    def save(self) -> None:
        if not self._changed:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            ignore = self.directory / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# written by planlint: nothing here belongs in git\n*\n")
            # Others may have saved entries for other files meanwhile (pre-commit runs
            # batches in parallel): keep theirs, ours win for the files linted here.
            merged = {**self._load(), **self._entries}
            temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            body = {"planlint": __version__, "files": merged}
            temporary.write_text(json.dumps(body, separators=(",", ":")), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError:
            pass  # a read-only checkout or a full disk: run uncached rather than fail


def settings_digest(linter: Linter) -> str:
    """A digest of everything besides the file itself that decides a file's result."""
    settings = {
        "planlint": __version__,
        "format": CACHE_FORMAT,
        "profiles": [profile.model_dump(mode="json") for profile in linter.profiles.values()],
        "rules": [
            [
                rule.spec.model_dump(mode="json"),
                rule.severity.label,
                rule.options.model_dump(mode="json"),
            ]
            for rule in linter.rules
        ],
        "all_rules": sorted(linter.specs),  # suppressions naming unknown rules are reported
        "config": linter.config.config.model_dump(mode="json"),
        "root": str(linter.config.root),
        "profile": linter.forced_profile,
    }
    text = json.dumps(settings, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def default_cache_dir(linter: Linter) -> Path:
    """Beside the config file when there is one, else at the top of the repository (or here).

    ``PLANLINT_CACHE_DIR`` overrides it, as ``--cache-dir`` does.
    """
    from planlint.paths import repository_root

    if os.environ.get("PLANLINT_CACHE_DIR"):
        return Path(os.environ["PLANLINT_CACHE_DIR"])
    if linter.config.path is not None:
        return linter.config.root / CACHE_DIR_NAME
    return (repository_root(Path.cwd()) or Path.cwd()) / CACHE_DIR_NAME


def _digest(source: Source) -> str:
    data = source.bom + source.text.encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


def _stamp(path: Path) -> list[object]:
    try:
        info = path.stat()
    except OSError:
        return [str(path), None, None]
    return [str(path), info.st_mtime_ns, info.st_size]


def _unchanged(stamps: list[list[object]]) -> bool:
    return all(_stamp(Path(str(stamp[0]))) == stamp for stamp in stamps)


def _plain(violation: Violation) -> dict[str, Any]:
    data = asdict(violation)
    data["severity"] = violation.severity.label
    return data


def _violation(data: dict[str, Any]) -> Violation:
    fix = data.pop("fix")
    if fix is not None:
        edits = tuple(Edit(**edit) for edit in fix.pop("edits"))
        fix = Fix(edits=edits, **fix)
    return Violation(severity=Severity.parse(data.pop("severity")), fix=fix, **data)


# -- running -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Pending:
    index: int
    path: Path
    display: str
    digest: str | None  # None: the file could not be read (no caching)


def lint_files(
    linter: Linter,
    files: Sequence[Path],
    jobs: int = 1,
    cache: ResultCache | None = None,
    keep_lines: bool = True,
) -> Iterator[FileResult]:
    """Each file's result, in the order of ``files``.

    Without ``keep_lines`` the results carry no source lines (``lines`` is empty): most
    formats never read them, and splitting and shipping them back costs time and memory.
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
        digest = _digest(source)
        found = cache.get(display, digest)
        if found is not None:
            if keep_lines:
                found.lines = [strip_eol(line) for line in split_lines(source.text)]
            ready[index] = found
        else:
            pending.append(_Pending(index, path, display, digest))
    fresh = _run(linter, pending, jobs, keep_lines)
    for index in range(len(files)):
        result = ready.pop(index, None)
        if result is None:
            item, result = next(fresh)
            if cache is not None and item.digest is not None:
                cache.put(result, item.digest)
        yield result
    if cache is not None:
        cache.save()


def _run(
    linter: Linter, pending: list[_Pending], jobs: int, keep_lines: bool
) -> Iterator[tuple[_Pending, FileResult]]:
    workers = min(jobs, len(pending) // _SMALL_BATCH)
    if workers <= 1 or not _can_fork():
        for item in pending:
            yield item, _lint(linter, item.path, item.display, keep_lines)
        return
    import concurrent.futures  # only here: a one-file run should not pay for the imports
    import multiprocessing

    global _WORKER_LINTER
    _WORKER_LINTER = linter  # forked workers inherit it: no pack loading per worker
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
        chunk = max(1, min(16, len(pending) // (workers * 8)))
        work = [(i.path, i.display, keep_lines) for i in pending]
        results = pool.map(_lint_in_worker, work, chunksize=chunk)
        yield from zip(pending, results, strict=True)


_WORKER_LINTER: Linter | None = None


def _lint_in_worker(item: tuple[Path, str, bool]) -> FileResult:
    assert _WORKER_LINTER is not None
    return _lint(_WORKER_LINTER, *item)


def _lint(linter: Linter, path: Path, display: str, keep_lines: bool) -> FileResult:
    result = linter.lint_file(path, display)
    if not keep_lines:
        result.lines = ()
    return result


def _can_fork() -> bool:
    import multiprocessing

    # Forking keeps the loaded packs and the built grammar; where it is unavailable or
    # unsafe (Windows, macOS), one process is still correct, only slower.
    return sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()


def cpu_count() -> int:
    counter = getattr(os, "process_cpu_count", None) or os.cpu_count
    return counter() or 1
