"""Turning command-line arguments into plan files: directories, globs (``**`` too), excludes."""

from __future__ import annotations

import functools
import glob
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

MARKDOWN_SUFFIXES = (".md",)
SKIPPED_DIRECTORIES = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        "node_modules",
        "__pycache__",
        ".tox",
        ".nox",
        ".planlint_cache",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        "build",
        "dist",
    }
)
_GLOB_CHARS = re.compile(r"[*?\[]")


class Missing(NamedTuple):
    """An argument that named nothing (a missing path, a glob that matched no file), or a
    folder that could not be searched: the run fails, since plans may have gone unlinted."""

    argument: str
    reason: str


class Glob:
    """A glob over '/'-separated relative paths: ``**`` spans folders, ``*`` and ``?`` stay
    within one, ``**/`` is any number of whole folders (none too).

    Globs come from a repository's config (``exclude:``, ``profiles:``). As a regex, a glob of
    many ``**`` is many ``.*``, which Python's engine backtracks over without end; here the
    pattern is run as an automaton over the set of places it can be in, one step per
    character of the path: time in proportion to the path times the glob, always.
    """

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        # One token per step: a literal character, "?", "*", "**" or "**/".
        self.tokens: list[str] = []
        index = 0
        while index < len(pattern):
            for token in ("**/", "**", "*", "?"):
                if pattern.startswith(token, index):
                    break
            else:
                token = pattern[index]
            self.tokens.append(token)
            index += len(token)

        # The automaton made deterministic as it runs: a set of places and a character class
        # (a character the glob names, or any other) lead to one next set, worked out once.
        self._named = frozenset(t for t in self.tokens if len(t) == 1 and t not in "*?") | {"/"}
        self._start = frozenset(self._closure({(0, False)}))
        self._next: dict[tuple[frozenset[tuple[int, bool]], str], frozenset[tuple[int, bool]]] = {}

    def match(self, path: str) -> bool:
        places = self._start
        known, named = self._next, self._named
        for character in path:
            kind = character if character in named else ""  # "": a character the glob never names
            after = known.get((places, kind))
            if after is None:
                after = frozenset(self._closure(self._step(places, character)))
                if len(known) < _MAX_STATES:  # a bound on memory; past it, still correct
                    known[places, kind] = after
            places = after
            if not places:
                return False
        return any(index == len(self.tokens) and not inside for index, inside in places)

    def _step(self, places: frozenset[tuple[int, bool]], character: str) -> set[tuple[int, bool]]:
        """Where each place goes on ``character``. ``inside`` marks a place part-way through
        a ``**/``: it has read some of a folder's name and waits for its '/'."""
        after: set[tuple[int, bool]] = set()
        for index, _ in places:
            if index == len(self.tokens):
                continue
            token = self.tokens[index]
            if token == "**/":
                after.add((index, True))  # any character, this folder name goes on
                if character == "/":
                    after.add((index + 1, False))  # … or it ends here
            elif token == "**" or (token == "*" and character != "/"):
                after.add((index, False))
            elif (token == "?" and character != "/") or token == character:
                after.add((index + 1, False))
        return after

    def _closure(self, places: set[tuple[int, bool]]) -> set[tuple[int, bool]]:
        """``places`` and where they go on no character: past a star, or a ``**/`` of none."""
        found = set(places)
        for index, inside in places:
            while (
                not inside and index < len(self.tokens) and self.tokens[index] in ("*", "**", "**/")
            ):
                index += 1
                found.add((index, False))
        return found


_MAX_STATES = 10_000


@functools.cache
def glob_pattern(pattern: str) -> Glob:
    return Glob(pattern)


def matches(path: Path, patterns: Iterable[str], root: Path) -> bool:
    """Does ``path`` (relative to ``root``, or by its name) match any of the globs?"""
    try:
        relative = path.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        relative = path.as_posix()
    return any(glob_pattern(p.removeprefix("./")).match(relative) for p in patterns)


def expand(arguments: list[str]) -> tuple[list[Path], list[Missing]]:
    """Files to lint, in a stable order without repeats, and the arguments that named nothing."""
    files: list[Path] = []
    missing: list[Missing] = []
    for argument in arguments:
        try:
            found, unsearched = _expand_one(argument)
        except OSError as error:  # a path inside a folder we may not search (EACCES)
            missing.append(Missing(argument, f"cannot be read ({error.strerror or error})"))
            continue
        files.extend(found)
        missing.extend(unsearched)
    seen: set[str] = set()
    unique = []
    for file in files:
        key = os.path.normpath(file)
        if key not in seen:
            seen.add(key)
            unique.append(file)
    return unique, missing


def _expand_one(argument: str) -> tuple[list[Path], list[Missing]]:
    path = Path(argument)
    unsearched: list[Missing] = []
    if path.is_dir():
        return list(_walk(path, unsearched)), unsearched
    if path.exists() or path.is_symlink():
        return [path], []
    if not _GLOB_CHARS.search(argument):
        return [], [Missing(argument, "no such file or directory")]
    found = sorted(glob.glob(argument, recursive=True))
    matched = [Path(item) for item in found if _is_markdown_file(Path(item))]
    for item in found:
        if Path(item).is_dir():
            matched.extend(_walk(Path(item), unsearched))
    if not matched and not unsearched:
        unsearched.append(Missing(argument, "the pattern matched no Markdown file"))
    return matched, unsearched


def _is_markdown_file(path: Path) -> bool:
    return path.suffix.lower() in MARKDOWN_SUFFIXES and not path.is_dir()


def _walk(folder: Path, unsearched: list[Missing]) -> Iterator[Path]:
    """Markdown files below ``folder``; symlinked folders are not followed (no loops). A folder
    that cannot be listed goes into ``unsearched``, never silently skipped."""

    def cannot_list(error: OSError) -> None:
        where = error.filename if error.filename is not None else folder
        reason = f"cannot list this folder ({error.strerror or error}): its plans were not linted"
        unsearched.append(Missing(os.fspath(where), reason))

    for current, directories, names in os.walk(folder, onerror=cannot_list, followlinks=False):
        directories[:] = sorted(d for d in directories if d not in SKIPPED_DIRECTORIES)
        for name in sorted(names):
            path = Path(current) / name
            if path.suffix.lower() in MARKDOWN_SUFFIXES:
                yield path


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the working directory when inside it."""
    try:
        # Resolve the folder but not the file itself: a symlinked file keeps the name the user
        # gave it (a dangling link is reported as itself, not as its missing target), and a
        # link that loops onto itself cannot make resolving fail.
        absolute = path.parent.resolve() / path.name
        return absolute.relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        return path.as_posix()


def is_repository_root(folder: Path) -> bool:
    """A Git work tree's top: ``.git`` is a directory, or a file in worktrees and submodules."""
    return (folder / ".git").exists()


def repository_root(start: Path) -> Path | None:
    """The repository that contains ``start`` (a file or folder), or None outside any."""
    try:
        folder = start.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        return None
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        if is_repository_root(candidate):
            return candidate
    return None


# -- the config file: found before anything is loaded (a fully cached run loads nothing) --

CONFIG_NAMES = (".planlint.yaml", ".planlint.yml")


def find_config(start: Path) -> Path | None:
    """The nearest config from ``start`` upwards, not beyond the repository root: a stray
    ``.planlint.yaml`` in a home folder must not change how a repository is linted. Outside
    any repository only ``start`` itself is looked in: a config planted in ``/tmp`` must not
    govern every folder below it."""
    inside = repository_root(start) is not None
    for folder in (start, *start.parents) if inside else (start,):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
        if is_repository_root(folder):
            return None
    return None


# Every way TOML can open [tool.planlint]: its header, a dotted `tool.planlint…` key, a
# `planlint = {…}` or `planlint.… =` key under [tool], or an inline `tool = {…}` table. Only
# a file with one of these is parsed (a project's own pyproject names planlint elsewhere).
_TOOL = r"""(?:tool|"tool"|'tool')"""
_PLANLINT = r"""(?:planlint|"planlint"|'planlint')"""
_MAYBE_OUR_TABLE = re.compile(
    rf"""(?mx)^[ \t]*(?:
        \[[ \t]*{_TOOL}[ \t]*\.[ \t]*{_PLANLINT}
      | {_TOOL}[ \t]*\.[ \t]*{_PLANLINT}
      | {_PLANLINT}[ \t]*(?:=[ \t]*\{{|\.)
      | {_TOOL}[ \t]*=[ \t]*\{{
    )"""
)


def _has_tool_table(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if "planlint" not in text or not _MAYBE_OUR_TABLE.search(text):
        return False  # no way of writing [tool.planlint] is there: skip importing tomllib
    if sys.version_info >= (3, 11):  # imported here: most repositories have no pyproject
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        return "planlint" in tomllib.loads(text).get("tool", {})
    except (tomllib.TOMLDecodeError, ValueError, RecursionError):  # a 5,000-digit integer too
        return "[tool.planlint" in text  # broken, but meant for us: load_config reports it


def user_cache_dir() -> Path | None:
    """planlint's folder in the user's cache (``$XDG_CACHE_HOME/planlint``, usually
    ``~/.cache/planlint``), made if needed; None where it cannot be made or is not private.

    Lark's grammar tables and the rules cache are pickles loaded from here, and the key that
    seals the result cache is kept here: whoever can write this folder can run code as the
    user. So it is used only when it is a real folder (not a link), owned by this user, and
    closed to everyone else (mode 0700; a folder of ours made with a wider mode is closed).
    """
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    folder = Path(base) / "planlint"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.lstat()
        if not stat.S_ISDIR(info.st_mode):
            return None  # a link (to a folder someone else controls) or a file
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            return None  # another user's folder: their pickles are not ours to load
        if info.st_mode & 0o077:
            os.chmod(folder, 0o700)
    except OSError:
        return None
    return folder


def replace_cache_file(path: Path, data: bytes) -> None:
    """Put ``data`` at ``path`` in one rename (``_replace``). No fsync: a cache a crash leaves
    torn is ignored and written again."""
    _replace(path, data, durable=False)


def replace_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` all at once, keeping its mode, so that a full disk or a kill
    leaves the old file whole, never a truncated one."""
    _replace(path, text.encode("utf-8"), durable=True, mode=_mode_of(path))


def _replace(path: Path, data: bytes, *, durable: bool, mode: int | None = None) -> None:
    """Write ``data`` to a fresh, unpredictable name in ``path``'s folder, created by us alone
    (a link planted at a name planlint would use cannot be written through), then rename it
    over ``path``. ``durable``: on disk before the rename."""
    import tempfile

    handle, temporary = tempfile.mkstemp(dir=path.parent or Path("."), prefix=".", suffix=".tmp")
    try:
        if mode is not None:  # mkstemp makes the file 0600
            os.chmod(temporary, mode)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            if durable:
                out.flush()
                os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _mode_of(path: Path) -> int:
    """The mode of the file ``path`` replaces, or the one a new file gets (a report or a
    baseline others read must stay readable)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)  # read the process's umask: the only way is to set it
        os.umask(umask)
        return 0o666 & ~umask
