"""What the cache files of ``planlint.app`` share: a folder never reached through a link, a
file created without following one, and the stamp of planlint's own code."""

from __future__ import annotations

import os
from pathlib import Path

IGNORE_ALL = b"# written by planlint: nothing here belongs in git\n*\n"


def linked(directory: Path, path: Path) -> bool:
    """Is the cache folder, a folder inside it on the way to ``path``, or ``path`` itself a
    symbolic link? A repository could ship one to make planlint write (or read) elsewhere."""
    try:
        relative = path.relative_to(directory)
    except ValueError:
        return True
    current = directory
    for part in ("", *relative.parts):
        current = current / part if part else current
        if current.is_symlink():
            return True
    return False


def create_new(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet, without following a link at its name."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        handle = os.open(path, flags, 0o644)
    except FileExistsError:
        return  # there already (or a link is: left alone, never followed)
    with os.fdopen(handle, "wb") as out:
        out.write(data)


def code_stamp() -> list[list[object]]:
    package = Path(__file__).parent.parent  # the whole planlint package, not just app/
    stamps: list[list[object]] = []
    for folder, _, names in sorted(os.walk(package)):
        for name in sorted(names):
            if name.endswith((".py", ".lark")):
                path = Path(folder, name)
                info = path.stat()
                stamps.append(
                    [path.relative_to(package).as_posix(), info.st_mtime_ns, info.st_size]
                )
    return stamps
