"""Linting a document an editor holds, with the config ``planlint check`` would use for it.

The config is found from the document's own folder (an editor's working directory says nothing
about the file), one ``Linter`` is kept per config file and rebuilt when that file or a pack it
loads changes on disk. A config that cannot be used is an outcome to show, not an exception.

Importing this module loads none of the engine (packs, grammar, rules, pydantic models): the
server imports it before answering ``initialize``, which must not wait for them. They are
imported on the first lint, or by ``warm_up`` in the background once the session is set up.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planlint.app.calendar import CalendarSettings
    from planlint.core.results import FileResult, RuleInfo
    from planlint.engine.runner import Linter

Stamp = tuple[tuple[str, int, int] | None, ...]


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    """A config or pack that cannot be used, located like ``planlint check`` reports it."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What linting one document gave: a result, or nothing (excluded, or a config problem)."""

    result: FileResult | None
    rules: Mapping[str, RuleInfo] = field(default_factory=dict)  # by name, for hovers
    problem: ConfigProblem | None = None


@dataclass(frozen=True, slots=True)
class _Loaded:
    linter: Linter
    rules: Mapping[str, RuleInfo]
    watched: tuple[Path, ...]  # the files it was built from
    stamp: Stamp
    calendar: CalendarSettings | None  # the config's change calendar


def _stamp(paths: Sequence[Path]) -> Stamp:
    stamps: list[tuple[str, int, int] | None] = []
    for path in paths:
        try:
            status = os.stat(path)
        except OSError:
            stamps.append(None)
        else:
            stamps.append((str(path), status.st_mtime_ns, status.st_size))
    return tuple(stamps)


class DocumentLinter:
    """Lints documents by path; not thread-safe (the server runs one lint at a time)."""

    def __init__(self, config: Path | None = None, packs: Sequence[Path] = ()) -> None:
        self.config = config  # --config: used for every document instead of searching
        self.packs = tuple(packs)  # --pack: loaded on top of each config's
        self._loaded: dict[Path | None, _Loaded] = {}

    def lint(self, text: str, path: Path | None, display: str, fallback: Path) -> Outcome:
        """Lint ``text``, the contents of ``path`` (None for an unsaved document, whose config
        is searched from ``fallback``, the workspace folder)."""
        from planlint.app.calendar import CalendarError, build_calendar
        from planlint.core.paths import find_config, matches
        from planlint.engine.packs import PackError
        from planlint.engine.runner import UsageError

        config_path = self.config or find_config(path.parent if path is not None else fallback)
        try:
            loaded = self._linter(config_path)
        except PackError as error:
            return Outcome(None, problem=ConfigProblem(error.path, error.line, error.message))
        except UsageError as error:
            where = str(config_path or "planlint lsp")
            return Outcome(None, problem=ConfigProblem(where, 1, str(error)))
        config = loaded.linter.config
        excluded = config.config.exclude
        if path is not None and excluded and matches(path, excluded, config.root):
            return Outcome(None, loaded.rules)  # `planlint check` would skip it: say nothing
        if loaded.calendar is not None:
            # The other plans and the freeze calendars are read again on every lint: another
            # plan may have been saved meanwhile (their entries are cached by content).
            from planlint.app.batch import default_cache_dir

            try:
                calendar = build_calendar(loaded.calendar, (), default_cache_dir(config.path))
            except CalendarError as error:
                problem = ConfigProblem(error.path, error.line, error.message)
                return Outcome(None, loaded.rules, problem)
            loaded.linter.compiled.calendar = calendar
        return Outcome(loaded.linter.lint_text(text, display, path), loaded.rules)

    def warm_up(self, folder: Path) -> None:
        """Load the engine and the rules of the config that governs ``folder`` (the workspace),
        so that the first document opened is linted without that wait. A config that cannot
        be used is left for the lint to report."""
        from planlint.core.paths import find_config
        from planlint.engine.packs import PackError
        from planlint.engine.runner import UsageError

        with contextlib.suppress(PackError, UsageError):
            self._linter(self.config or find_config(folder))

    def _linter(self, config_path: Path | None) -> _Loaded:
        from planlint.app.calendar import CalendarSettings
        from planlint.app.linter import build_linter

        cached = self._loaded.get(config_path)
        if cached is not None and _stamp(cached.watched) == cached.stamp:
            return cached
        configs = (config_path,) if config_path is not None else ()
        before = _stamp(configs)  # taken first: an edit made while loading is seen next time
        linter = build_linter(config_path, self.packs)
        packs = (*(linter.config.root / pack for pack in linter.config.config.packs), *self.packs)
        rules = {info.name: info for info in linter.catalogue()}
        calendar = CalendarSettings.of(linter.config)
        loaded = _Loaded(linter, rules, (*configs, *packs), before + _stamp(packs), calendar)
        self._loaded[config_path] = loaded
        return loaded
