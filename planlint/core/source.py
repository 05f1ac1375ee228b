"""Reading plan files: bytes → text, with every failure turned into a clear ``ReadError``."""

from __future__ import annotations

import codecs
import re
import stat
from pathlib import Path
from typing import NamedTuple, NoReturn

from planlint.core.errors import LocatedError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")


def split_lines(text: str) -> list[str]:
    """Physical lines with their endings; CR, LF and CRLF all end a line, nothing else does."""
    lines = _LINE.findall(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def strip_eol(line: str) -> str:
    return line.rstrip("\r\n")


class ReadError(LocatedError):
    """A file that cannot be linted, with a message that says why and what to do."""


class Source(NamedTuple):
    text: str  # decoded, without the byte order mark; line endings as in the file
    bom: bytes  # the byte order mark the file started with, or b""
    encoding: str


def decode(data: bytes) -> Source:
    bom, encoding = b"", "utf-8"
    for mark, name in _BOMS:
        if data.startswith(mark):
            bom, encoding = mark, name
            break
    body = data[len(bom) :]
    if encoding == "utf-8" and b"\x00" in body:
        _binary(body, body.index(b"\x00"), bom, encoding)
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as error:
        offset = error.start + len(bom)
        raise ReadError(
            f"is not valid {encoding.upper()}: byte 0x{body[error.start]:02x} at byte offset "
            f"{offset} cannot be decoded; save the file as UTF-8",
            *_position(body[: error.start], encoding),
        ) from None
    if "\x00" in text:
        # UTF-16/32 text hides its NUL characters from the byte check above; a U+0000 is no
        # more Markdown there than in UTF-8 (and would end up verbatim in the reports).
        index = text.index("\x00")
        _binary(body, len(text[:index].encode(encoding)), bom, encoding)
    return Source(text=text, bom=bom, encoding=encoding)


def _binary(body: bytes, start: int, bom: bytes, encoding: str) -> NoReturn:
    raise ReadError(
        f"looks like a binary file (a NUL byte at byte offset {start + len(bom)}); "
        "planlint reads Markdown text: exclude this file or fix its contents",
        *_position(body[:start], encoding),
    )


_LINE_END = re.compile(r"\r\n|\r|\n")


def _position(prefix: bytes, encoding: str) -> tuple[int, int]:
    """1-based line and column of the character after ``prefix`` (for pointing at a bad byte).

    Decoded in the file's own encoding (a UTF-16 byte count is not a column) and split on CR,
    LF and CRLF alike, as the Markdown parser splits lines: counting LF alone would put every
    problem of a CR-only file on line 1.
    """
    lines = _LINE_END.split(prefix.decode(encoding, errors="replace"))
    return len(lines), len(lines[-1]) + 1


def _inside_its_repository(link: Path) -> None:
    """A plan that is a link must lead to a file in the same repository: a repository can
    ship `docs/rollouts/notes.md -> ~/.ssh/config`, and what planlint reads it may print."""
    from planlint.core.paths import repository_root

    root = repository_root(link.parent)
    if root is None:
        return  # outside any repository: the user's own files, named by the user
    try:
        target = link.resolve(strict=True)
    except FileNotFoundError:
        return  # a dangling link: reading it says so
    except RuntimeError:  # a loop, before Python 3.13 (later, an OSError the reader words)
        raise ReadError("cannot be read: too many levels of symbolic links") from None
    if not target.is_relative_to(root):
        raise ReadError(
            "is a symbolic link to a file outside the repository: not read "
            "(lint the file where it is, or copy it in)"
        )


def read_source(path: Path) -> Source:
    return read_source_bytes(path)[0]


def read_source_bytes(path: Path) -> tuple[Source, bytes]:
    """The file decoded, and the bytes it was decoded from (``--fix`` writes only over the
    very bytes it read)."""
    try:
        if path.is_symlink():
            _inside_its_repository(path)
        # A named pipe, socket or device found under a folder would block the read forever
        # (or never end): only regular files (and symlinks to them) are read.
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):  # a folder: IsADirectoryError below
            raise ReadError(
                "is not a regular file (a named pipe, socket or device); "
                "planlint reads Markdown files: exclude it"
            )
        data = path.read_bytes()
    except IsADirectoryError:
        raise ReadError("is a directory, not a file") from None
    except FileNotFoundError:
        raise ReadError("does not exist (was it moved or deleted?)") from None
    except PermissionError:
        raise ReadError("cannot be read: permission denied") from None
    except OSError as error:
        raise ReadError(f"cannot be read: {error.strerror or error}") from None
    return decode(data), data
