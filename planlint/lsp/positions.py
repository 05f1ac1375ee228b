"""planlint positions (1-based lines, 1-based character columns) → LSP positions (0-based lines,
0-based columns in the code units the client and server agreed on: UTF-16 unless told otherwise).

An emoji is one character to planlint but two UTF-16 code units to an editor, so a column after
it must move right by one; getting this wrong underlines the wrong word on every such line.
"""

from __future__ import annotations

from dataclasses import dataclass

from planlint.core.frozen import lazy_pattern

# The LSP's line breaks, and the Markdown parser's: not str.splitlines, which also breaks at
# U+2028, form feeds and other characters that editors keep inside a line.
LINE_BREAK = lazy_pattern(r"\r\n|\r|\n")
BOM = "\ufeff"

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


def code_units(text: str, encoding: str = UTF16) -> int:
    """The length of ``text`` in the encoding's code units."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", errors="surrogatepass"))
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


@dataclass(frozen=True, slots=True, order=True)
class Point:
    """An LSP position: 0-based line, 0-based column in code units."""

    line: int
    character: int


class PositionMap:
    """Positions in one version of a document, as the client sent it.

    planlint lints the text without a leading byte order mark (as it does files), so columns on
    the first line are one character short of the client's when the text starts with one.
    """

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.lines = LINE_BREAK.split(text)
        self.encoding = encoding
        self.bom = text.startswith(BOM)
        found = LINE_BREAK.search(text)
        self.newline = found.group() if found else "\n"

    @staticmethod
    def lintable(text: str) -> str:
        """The text planlint lints: the client's, without a byte order mark."""
        return text.removeprefix(BOM)

    def point(self, line: int, column: int) -> Point:
        """The LSP position of planlint's ``line``:``column``, clamped into the document: a
        position past the end of a line is its end, one past the last line the document's end."""
        if line > len(self.lines):
            last = len(self.lines) - 1
            return Point(last, code_units(self.lines[last], self.encoding))
        index = max(line, 1) - 1
        text = self.lines[index]
        offset = max(column, 1) - 1 + (1 if self.bom and index == 0 else 0)
        return Point(index, code_units(text[: min(offset, len(text))], self.encoding))

    def span(self, line: int, column: int, end_line: int, end_column: int) -> tuple[Point, Point]:
        start = self.point(line, column)
        end = self.point(end_line, end_column)
        return start, max(start, end)

    def with_newlines(self, text: str) -> str:
        """Inserted text with the document's own line ending (planlint's fixes use ``\\n``)."""
        return LINE_BREAK.sub(lambda _: self.newline, text)
