"""References to files in the repository: ``deploy/prod/deploy.sh``, ``config/prod.yaml (line 12)``.

A reference is resolved against the repository root (and, failing that, the plan's own folder,
as a Markdown link would be). Inline code counts, since that is how plans write paths; fenced
and indented code does not (it holds commands and output, not claims about this repository).
Nothing outside the repository is ever opened, and a referenced file is read only to count its
lines, in bounded chunks.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from planlint.core.frozen import lazy_pattern
from planlint.core.paths import repository_root
from planlint.engine.check_api import CheckContext, CheckKind, Finding
from planlint.markdown.nodes import Line
from planlint.prose.text import prose_lines

if TYPE_CHECKING:  # the models validate packs; a check reads their fields
    from planlint.engine.options.references import ReferenceOptions

# A relative path with at least one folder, ending in a file name with an extension that has a
# letter (``api/v1.2`` is a version, not a file), optionally followed by "(line N)" or
# "(lines N–M)". It may not start inside a URL, an absolute path, ``~/`` or ``$VAR/``.
_SEGMENT = r"[A-Za-z0-9_@+-](?:[\w.@+-]*[\w@+-])?"  # "e.g." is no folder
# Extensions are lower case: `core/v1.Pod` and `batch/v1.JobSpec` are Go types, not files.
_FILE = (
    r"[\w@+-][\w.@+-]*\.(?!(?:com|org|net|io|local|internal)\b)"
    r"(?P<ext>[a-z0-9]*[a-z][a-z0-9]*)(?![A-Za-z0-9])"
)
_LINES = r"`?\s*\(lines?\s+(?P<first>\d{1,9})(?:\s*[-–—]\s*(?P<last>\d{1,9}))?\)"
_REFERENCE = lazy_pattern(
    rf"""(?<![\w./\\:@~$%{{}}*?\[-])
    (?P<path>(?:\./|(?:\.\./)+)?(?:{_SEGMENT}/)+{_FILE})
    (?![\w/*?\[{{}}@-]|\.[\w/]|:(?![\d\s]|$))
    (?::(?P<colon>\d{{1,9}})(?::\d{{1,9}})?(?![\d:]|\.\d)|(?P<lines>{_LINES}))?""",
    re.VERBOSE,
)
# A file at the top of the repository needs the "(line N)" to read as a reference: on its own,
# ``node.js`` or ``example.com`` is a word, not a file.
_ROOT_FILE = lazy_pattern(
    rf"""(?<![\w./\\:@~$%{{}}*?\[-])(?P<path>{_FILE})(?P<lines>{_LINES})""",
    re.VERBOSE,
)
# ``git.example.com/x.yaml`` and ``registry.k8s.io/pause.tar`` name hosts, not folders.
_HOST = lazy_pattern(r"^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
CHUNK = 1 << 16
LONGEST_LINE = 100_000  # a longer line is a pasted blob: its start is enough, and stays fast


class Reference(NamedTuple):
    path: str
    first: int | None  # the line it points at, if any
    last: int | None
    line: Line
    start: int  # index into line.text
    end: int


def find_references(line: Line) -> Iterator[Reference]:
    """The file references written on one line of prose, inline code included."""
    found: list[Reference] = []
    text = line.text[:LONGEST_LINE]
    for pattern in (_REFERENCE, _ROOT_FILE):
        taken = [(ref.start, ref.end) for ref in found]  # sorted, and not overlapping
        for match in pattern.finditer(text):
            before = bisect.bisect_right(taken, (match.start(), len(text)))
            if before and taken[before - 1][1] > match.start():
                continue  # inside a longer reference already found
            if before < len(taken) and taken[before][0] < match.end():
                continue
            path = match.group("path").removeprefix("./")
            if _HOST.match(path.split("/")[0]) and "/" in path:
                continue
            first, last = match.group("first"), match.group("last")
            if pattern is _REFERENCE and match.group("colon"):
                first = match.group("colon")
            found.append(
                Reference(
                    path,
                    int(first) if first else None,
                    int(last) if last else None,
                    line,
                    match.start(),
                    match.end(),
                )
            )
    yield from sorted(found, key=lambda ref: ref.start)


def count_lines(path: Path, wanted: int, limit: int) -> int | None:
    """How many lines ``path`` has, counting no further than ``wanted``; None when it cannot
    tell (unreadable, binary, or longer than ``limit`` bytes before reaching ``wanted``)."""
    lines = 0
    read = 0
    last = b""
    try:
        with path.open("rb") as stream:
            while lines < wanted:
                if read >= limit:
                    return None
                chunk = stream.read(min(CHUNK, limit - read))
                if not chunk:
                    break
                if b"\0" in chunk:
                    return None  # binary: "line N" means nothing
                read += len(chunk)
                lines += chunk.count(b"\n")
                last = chunk
    except OSError:
        return None
    if lines < wanted and last and not last.endswith(b"\n"):
        lines += 1  # the last line has no newline
    return lines


def _inside(root: Path, candidate: str) -> Path | None:
    """``candidate`` as a path in ``root``, or None when it would leave the repository
    (``../../etc/passwd``, or a symlink pointing out)."""
    joined = Path(os.path.normpath(root / candidate))
    if not joined.is_relative_to(root):
        return None
    try:
        if not joined.resolve().is_relative_to(root):
            return None
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        return None
    return joined


def broken_references(ctx: CheckContext, options: ReferenceOptions) -> Iterator[Finding]:
    """Every file a plan names must exist in its repository, and a line it names must too."""
    if ctx.path is None:
        return  # text without a file has no repository to look in
    root = repository_root(ctx.path)
    if root is None:
        return
    folder = ctx.path.resolve().parent
    # A file named many times is looked up and read once.
    located: dict[str, tuple[bool, Path | None]] = {}
    counted: dict[tuple[Path, int], int | None] = {}
    for line in prose_lines(ctx.scope_blocks()):
        for reference in find_references(line):
            if reference.path not in located:
                located[reference.path] = _locate(
                    root, folder, reference.path, options.known_folders_only, ctx.consulted
                )
            judged, found = located[reference.path]
            if not judged:
                continue  # outside the repository, or about another repository
            if found is None:
                detail: str | None = "does not exist in the repository"
            else:
                detail = _line_problem(found, reference, options.max_bytes, counted)
            if detail is None:
                continue
            yield Finding(
                line.number,
                line.column + reference.start,
                line.number,
                line.column + reference.end,
                {"path": reference.path, "detail": detail},
            )


def _locate(
    root: Path, folder: Path, reference: str, known_only: bool, consulted: set[Path]
) -> tuple[bool, Path | None]:
    """Whether the reference can be judged, and the file it names (None when missing).

    It cannot be judged when every reading of it leaves the repository, or when its top
    folder is unknown here and ``known_only`` says that means another repository. Every path
    looked at goes into ``consulted``: a cached result holds only while they stay as they are.
    """
    bases = [folder] if reference.startswith("../") else [root, folder]
    inside = [
        (base, path)
        for base in dict.fromkeys(bases)
        if (path := _inside(root, os.path.relpath(base / reference, root))) is not None
    ]
    if not inside:
        return False, None
    top = reference.split("/")[0]
    consulted.update(path for _, path in inside)
    consulted.update(base / top for base, _ in inside)
    for _, path in inside:
        if path.exists():
            return True, path
    if known_only and "/" in reference and not any((base / top).is_dir() for base, _ in inside):
        return False, None
    return True, None


def _line_problem(
    path: Path, reference: Reference, limit: int, counted: dict[tuple[Path, int], int | None]
) -> str | None:
    if reference.first is None:
        return None
    wanted = max(reference.first, reference.last or 0)
    if not path.is_file():
        return None  # a folder, a pipe or a device has no lines to count
    if (path, wanted) not in counted:
        counted[path, wanted] = count_lines(path, wanted, limit)
    count = counted[path, wanted]
    if count is None or count >= wanted:
        return None
    noun = "line" if count == 1 else "lines"
    return f"has {count} {noun}, so line {wanted} does not exist"


# The check kinds this module provides: the table in planlint.engine.kinds lists them.
KINDS = (
    CheckKind("file-references", broken_references, "references.ReferenceOptions", scoped=False),
)
