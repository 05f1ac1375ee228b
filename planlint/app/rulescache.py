"""The rules cache: packs and config validated and compiled once, loaded by later runs.

Validating the packs (pydantic models, YAML, hundreds of patterns) costs several times more
than linting a plan. A run that had to do it saves the result, the ``CompiledLinter`` and the
``RunSettings``, in the user's cache folder, named by the settings key
(``planlint.app.batch.settings_key``: planlint's version and code, the bytes of the config and
packs, the working directory, the command-line selection). A later run with the same key loads
it instead, and so imports neither pydantic nor ruamel.yaml. The packs the config names are
not in the key; the stored settings keep their digests and a changed one makes the entry stale.

Like Lark's grammar cache beside it, entries are pickles in a folder only the user writes.
A damaged, stale or unreadable entry is rebuilt; an unwritable folder is skipped.
``PLANLINT_NO_RULES_CACHE=1`` turns the cache off.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from planlint.app.batch import RunSettings
from planlint.core.paths import user_cache_dir
from planlint.engine.compiled import CompiledLinter

if TYPE_CHECKING:
    from planlint.engine.runner import Linter

KEEP = 16  # entries kept: one per project, config and selection in use, and then some


def _entry(key: str) -> Path | None:
    if os.environ.get("PLANLINT_NO_RULES_CACHE"):
        return None
    folder = user_cache_dir()
    return folder / f"rules-{key}.pickle" if folder is not None else None


def load(key: str) -> tuple[CompiledLinter, RunSettings] | None:
    entry = _entry(key)
    if entry is None:
        return None
    try:
        with entry.open("rb") as handle:
            found = pickle.load(handle)
    except Exception:  # missing, truncated, from another planlint: any of a dozen errors
        return None
    if not (isinstance(found, tuple) and len(found) == 2):
        return None
    compiled, settings = found
    if not (isinstance(compiled, CompiledLinter) and isinstance(settings, RunSettings)):
        return None
    return (compiled, settings) if settings.current() else None


def save(key: str, compiled: CompiledLinter, settings: RunSettings) -> None:
    entry = _entry(key)
    if entry is None:
        return
    temporary = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(pickle.dumps((compiled, settings), pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, entry)
        _prune(entry.parent)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):  # unpicklable: a test check
        temporary.unlink(missing_ok=True)


def load_or_build(key: str, build: Callable[[], Linter]) -> tuple[CompiledLinter, RunSettings]:
    """The rules for ``key`` from the rules cache; else ``build()`` validates them from the packs
    and config (importing pydantic), and they are saved for the next run."""
    found = load(key)
    if found is not None:
        return found
    linter = build()
    compiled = (linter.compiled, RunSettings.of(linter))
    save(key, *compiled)
    return compiled


def _prune(folder: Path) -> None:
    """Keep the ``KEEP`` most recently written entries: every edit of a development checkout
    (and every new working directory) makes a new key."""
    entries = sorted(folder.glob("rules-*.pickle"), key=_modified, reverse=True)
    for stale in entries[KEEP:]:
        stale.unlink(missing_ok=True)


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
