"""Reading plan files: bytes → text, with every failure turned into a clear ``ReadError``."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class ReadError(Exception):
    """A file that cannot be linted, with a message that says why and what to do."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True, slots=True)
class Source:
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
        offset = body.index(b"\x00") + len(bom)
        raise ReadError(
            f"looks like a binary file (a NUL byte at byte offset {offset}); "
            "planlint reads Markdown text: exclude this file or fix its contents",
            *_position(data[:offset]),
        )
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as error:
        offset = error.start + len(bom)
        raise ReadError(
            f"is not valid {encoding.upper()}: byte 0x{body[error.start]:02x} at byte offset "
            f"{offset} cannot be decoded; save the file as UTF-8",
            *_position(data[:offset]),
        ) from None
    return Source(text=text, bom=bom, encoding=encoding)


def _position(prefix: bytes) -> tuple[int, int]:
    """1-based line and column of the byte after ``prefix`` (for pointing at a bad byte)."""
    line = prefix.count(b"\n") + 1
    last = prefix[prefix.rfind(b"\n") + 1 :]
    return line, len(last.decode("utf-8", errors="replace")) + 1


def read_source(path: Path) -> Source:
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise ReadError("is a directory, not a file") from None
    except FileNotFoundError:
        raise ReadError("does not exist (was it moved or deleted?)") from None
    except PermissionError:
        raise ReadError("cannot be read: permission denied") from None
    except OSError as error:
        raise ReadError(f"cannot be read: {error.strerror or error}") from None
    return decode(data)
