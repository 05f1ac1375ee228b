"""Compiled regular expressions kept between runs.

``re.compile`` parses a pattern and generates the regex engine's code for it: about 150 µs for
one of the packs' phrase patterns, and an edited plan's run compiles a hundred or more of them,
a fifth of its time. The engine's own constructor (``_sre.compile``) builds the same pattern
from that code in about 1 µs. So the code of every pattern a run compiles is kept in the user's
cache folder (``regex-<python>.json``, beside the rules cache) and a later run builds its
patterns from it.

The code is the standard library's private format, so the file is named by the Python version
and the engine's ``MAGIC``, and every entry is checked before use: the engine validates the
code it is given ("invalid SRE code"), and anything wrong — a damaged file, an entry of another
shape, a Python without these internals — means compiling as ``re.compile`` does. The file is
JSON, never pickle: reading it runs no code. ``PLANLINT_NO_RULES_CACHE=1`` turns it off with
the rules cache.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from planlint.core.paths import replace_cache_file, user_cache_dir


def _internals() -> tuple[Any, Any, Any] | None:
    """The standard library's regex compiler as re.compile runs it (CPython 3.11 and later);
    None on a Python without it, which then compiles as usual."""
    try:
        engine = importlib.import_module("_sre")
        compiler = importlib.import_module("re._compiler")
        parser = importlib.import_module("re._parser")
    except ImportError:  # pragma: no cover - another Python
        return None
    if not all(
        hasattr(m, n) for m, n in ((engine, "compile"), (compiler, "_code"), (parser, "parse"))
    ):
        return None  # pragma: no cover
    return engine, compiler, parser


_INTERNALS = _internals()

MAX_ENTRIES = 4000  # a pack's patterns and ours, many times over; new ones beyond are not kept
MAX_BYTES = 16 * 1024 * 1024  # a larger file is not ours to read

_Entry = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]
_table: dict[str, Any] | None = None  # rows by key, read on the first compile
_changed = False
# Built once per process, as re.compile's own cache does: checks ask again for every plan.
_built: dict[str, re.Pattern[str]] = {}


def compile_pattern(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, from the kept code when there is some; on the
    linear-time engine when the pattern came from a repository (``use_linear``)."""
    flags = int(flags)  # re.IGNORECASE and 2 are one key
    key = f"{flags}:{pattern}"
    built = _built.get(key)
    if built is None:
        if len(_built) >= MAX_ENTRIES:  # a long-lived process (the language server)
            _built.clear()
        if pattern in _linear:
            from planlint.core.linear import compile_linear

            built = compile_linear(pattern, flags)
        elif _INTERNALS is None:
            built = re.compile(pattern, flags)
        else:
            built = _compile_kept(pattern, flags, key)
        _built[key] = built
    return built


# Patterns from packs and configs a repository ships: they run on RE2, whose time is linear in
# the text, so that no plan can make them backtrack for hours. planlint's own packs use
# lookbehind, which RE2 lacks, and stay on Python's engine.
_linear: set[str] = set()


def use_linear(patterns: Iterable[str]) -> None:
    """Run ``patterns`` on the linear-time engine from now on (``planlint.core.linear``)."""
    new = set(patterns) - _linear
    if new:
        _linear.update(new)
        _built.clear()  # a pattern built before on Python's engine is built again


def is_linear(pattern: str) -> bool:
    return pattern in _linear


def _compile_kept(pattern: str, flags: int, key: str) -> re.Pattern[str]:
    table = _loaded()
    row = table.get(key)
    entry = _entry(row) if row is not None else None  # checked now: a run uses few of them
    if entry is not None:
        try:
            return _build(pattern, entry)
        except (RuntimeError, TypeError, ValueError, OverflowError, IndexError):
            pass  # invalid code: compiled again below
    if row is not None:
        del table[key]
    try:
        entry = _compile(pattern, flags)
        built = _build(pattern, entry)
    except Exception:  # re.compile raises the error a caller expects (re.error, …)
        return re.compile(pattern, flags)
    if len(table) < MAX_ENTRIES:
        global _changed
        table[key] = _row(entry)
        _changed = True
    return built


def _compile(pattern: str, flags: int) -> _Entry:
    _, compiler, parser = _INTERNALS  # type: ignore[misc]  # checked by the caller
    parsed = parser.parse(pattern, flags)
    code = compiler._code(parsed, flags)
    state = parsed.state
    indexgroup: list[str | None] = [None] * state.groups
    for name, index in state.groupdict.items():
        indexgroup[index] = name
    return (
        flags | state.flags,
        list(code),
        state.groups - 1,
        dict(state.groupdict),
        tuple(indexgroup),
    )


def _build(pattern: str, entry: _Entry) -> re.Pattern[str]:
    flags, code, groups, groupindex, indexgroup = entry
    engine = _INTERNALS[0]  # type: ignore[index]  # checked by the caller
    built: re.Pattern[str] = engine.compile(pattern, flags, code, groups, groupindex, indexgroup)
    return built


def save() -> None:
    """Write the table when this run compiled something new; quietly not where it cannot."""
    global _changed
    path = _path()
    if not _changed or _table is None or path is None:
        return
    import json  # only a run that compiled something new writes

    try:
        replace_cache_file(path, json.dumps(_table, separators=(",", ":")).encode("utf-8"))
    except (OSError, ValueError):
        return
    _changed = False


def _path() -> Path | None:
    if os.environ.get("PLANLINT_NO_RULES_CACHE") or _INTERNALS is None:
        return None
    folder = user_cache_dir()
    if folder is None:
        return None
    version = f"{sys.implementation.name}{sys.version_info[0]}.{sys.version_info[1]}"
    return folder / f"regex-{version}-{_INTERNALS[0].MAGIC}.json"


def _row(entry: _Entry) -> list[Any]:
    flags, code, groups, index, names = entry
    return [flags, code, groups, index, list(names)]


def _loaded() -> dict[str, Any]:
    global _table
    if _table is None:
        _table = _read(_path())
    return _table


def _read(path: Path | None) -> dict[str, Any]:
    """The kept rows by key, as read: each is checked when a run first asks for its pattern
    (``_entry``), and its code again by the engine when built."""
    if path is None:
        return {}
    import json  # only a run that compiles a pattern reads

    try:
        if path.stat().st_size > MAX_BYTES:
            return {}
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict):
        return {}
    return dict(list(data.items())[:MAX_ENTRIES])


def _entry(row: Any) -> _Entry | None:
    if not (isinstance(row, list) and len(row) == 5):
        return None
    flags, code, groups, index, names = row
    if not (type(flags) is int and type(groups) is int and isinstance(code, list)):
        return None
    if not all(type(word) is int for word in code):
        return None
    if not (
        isinstance(index, dict)
        and all(isinstance(k, str) and type(v) is int for k, v in index.items())
    ):
        return None
    if not (
        isinstance(names, list) and all(name is None or isinstance(name, str) for name in names)
    ):
        return None
    return flags, code, groups, index, tuple(names)


def forget() -> None:
    """Drop the table read from disk (tests; a new cache folder)."""
    global _table, _changed
    _table, _changed = None, False
    _built.clear()
