"""Regular expressions on a linear-time engine (RE2, from ``google-re2``) for untrusted patterns.

A pack or config in a repository is written by whoever opened the pull request. Python's
engine backtracks: ``^(a+)+$`` against a line of forty ``a``s and a ``b`` takes longer than
any CI job. RE2 never backtracks; its time grows with the text, whatever the pattern. It has
no lookaround and no backreferences, so a pattern using them is refused when its pack or
config loads (``linear_problem``), with what to change, rather than run slowly later.

RE2's ``\\w``, ``\\d``, ``\\s`` and ``\\b`` are ASCII-only (Python's are Unicode); ``\\pL``
matches any letter. Case-insensitive matching folds Unicode case as Python's does.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Callable, Iterator
from typing import Any, cast


@functools.cache
def _engine() -> Any:
    """The ``re2`` module, imported on first use (15–25 ms, which a run with no pattern from
    the repository should not pay); None where google-re2 is not installed."""
    try:
        return importlib.import_module("re2")
    except ImportError:  # pragma: no cover - a platform without a google-re2 wheel
        return None


ENGINE_MISSING = (
    "patterns from a repository's packs and config run on the linear-time engine RE2, which "
    "is not installed: pip install google-re2"
)
_SYNTAX = "https://github.com/google/re2/wiki/Syntax"
# What Python's syntax has and RE2 lacks, with what to write instead.
_UNSUPPORTED = (
    (re.compile(r"\(\?<[=!]"), "lookbehind ((?<=…), (?<!…)): match the text before instead"),
    (re.compile(r"\(\?[=!]"), "lookahead ((?=…), (?!…)): match the text after, or split it"),
    (re.compile(r"\\[1-9]|\(\?P="), "backreferences (\\1, (?P=name))"),
    (re.compile(r"\(\?>|[*+?}][+]"), "atomic groups and possessive repeats (not needed in RE2)"),
    (re.compile(r"\\Z"), "\\Z: write \\z for the end of the text"),
)


def linear_problem(pattern: str) -> str | None:
    """Why ``pattern`` cannot run on RE2, in words that say what to change; None if it can."""
    engine = _engine()
    if engine is None:
        return ENGINE_MISSING
    try:
        engine.compile(pattern, _options(re.IGNORECASE))
    except Exception as error:  # re2.error; a pattern RE2 cannot take, for any reason
        shown = pattern if len(pattern) <= 60 else pattern[:57] + "..."
        found = [advice for construct, advice in _UNSUPPORTED if construct.search(pattern)]
        detail = found[0] if found else _engine_message(error)
        return (
            f"the pattern {shown!r} cannot run on RE2, the linear-time engine for patterns from "
            f"a repository's packs and config: {detail} (RE2's syntax: {_SYNTAX})"
        )
    return None


def _engine_message(error: Exception) -> str:
    text = error.args[0] if error.args else error
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)


def _options(flags: int) -> Any:
    options = _engine().Options()
    options.log_errors = False  # RE2 would print its own line on stderr for every refusal
    options.case_sensitive = not flags & re.IGNORECASE
    return options


def compile_linear(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``pattern`` compiled by RE2, behind the few methods of ``re.Pattern`` checks call."""
    engine = _engine()
    if engine is None:  # pragma: no cover - refused earlier, when the pack loaded
        raise re.error(ENGINE_MISSING)
    prefix = ("(?m)" if flags & re.MULTILINE else "") + ("(?s)" if flags & re.DOTALL else "")
    compiled = engine.compile(prefix + pattern, _options(flags))
    return cast("re.Pattern[str]", LinearPattern(compiled, pattern, flags))


class LinearPattern:
    """An RE2 pattern that reads like ``re.Pattern``: same methods, same match positions (in
    characters), and group names accepted wherever numbers are."""

    def __init__(self, compiled: Any, pattern: str, flags: int) -> None:
        self._compiled = compiled
        self.pattern = pattern
        self.flags = flags
        self.groups: int = compiled.groups
        self.groupindex: dict[str, int] = dict(compiled.groupindex)

    def search(self, text: str, *bounds: int) -> LinearMatch | None:
        return self._wrap(self._compiled.search(text, *bounds))

    def match(self, text: str, *bounds: int) -> LinearMatch | None:
        return self._wrap(self._compiled.match(text, *bounds))

    def fullmatch(self, text: str, *bounds: int) -> LinearMatch | None:
        return self._wrap(self._compiled.fullmatch(text, *bounds))

    def finditer(self, text: str, *bounds: int) -> Iterator[LinearMatch]:
        for found in self._compiled.finditer(text, *bounds):
            yield LinearMatch(found, self.groupindex)

    def findall(self, text: str, *bounds: int) -> list[Any]:
        return cast("list[Any]", self._compiled.findall(text, *bounds))

    def split(self, text: str, maxsplit: int = 0) -> list[str]:
        return cast("list[str]", self._compiled.split(text, maxsplit))

    def sub(self, replacement: str | Callable[[Any], str], text: str, count: int = 0) -> str:
        return self.subn(replacement, text, count)[0]

    def subn(
        self, replacement: str | Callable[[Any], str], text: str, count: int = 0
    ) -> tuple[str, int]:
        if callable(replacement):
            call = replacement
            return cast(
                "tuple[str, int]",
                self._compiled.subn(lambda m: call(LinearMatch(m, self.groupindex)), text, count),
            )
        return cast("tuple[str, int]", self._compiled.subn(replacement, text, count))

    def _wrap(self, found: Any) -> LinearMatch | None:
        return LinearMatch(found, self.groupindex) if found is not None else None

    def __repr__(self) -> str:
        return f"LinearPattern({self.pattern!r}, {self.flags})"


class LinearMatch:
    """RE2's match, with ``start``/``end``/``span`` taking a group's name as ``re`` does."""

    def __init__(self, found: Any, names: dict[str, int]) -> None:
        self._found = found
        self._names = names

    def _number(self, group: int | str) -> int:
        return self._names[group] if isinstance(group, str) else group

    def start(self, group: int | str = 0) -> int:
        return cast(int, self._found.start(self._number(group)))

    def end(self, group: int | str = 0) -> int:
        return cast(int, self._found.end(self._number(group)))

    def span(self, group: int | str = 0) -> tuple[int, int]:
        return cast("tuple[int, int]", self._found.span(self._number(group)))

    def __getitem__(self, group: int | str) -> Any:
        return self._found[group]

    def __getattr__(self, name: str) -> Any:  # group, groups, groupdict, string, lastindex…
        return getattr(self._found, name)
