"""The line lexer: Markdown's context-sensitive block rules, turned into a token stream.

Markdown's block structure cannot be described by a context-free grammar alone: whether a line
continues a list item depends on the column its marker left, a fence closes only on a run at
least as long as the one that opened it, ``---`` is a setext underline after a paragraph and a
thematic break elsewhere. This module resolves those decisions line by line, following the
CommonMark block-parsing strategy (match open containers, open new ones, then add the line to a
leaf), and emits tokens for the Lark grammar in ``grammar.lark``:

* one token per leaf block (paragraph, heading, code, HTML, table, thematic break, blank line),
  carrying the finished node;
* OPEN/CLOSE tokens for block quotes, lists and list items;
* SECTION_OPEN/SECTION_CLOSE around top-level headings, inserted by ``sections()`` the way Lark's
  ``Indenter`` inserts INDENT/DEDENT for Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from lark.lexer import Token
from mypy_extensions import mypyc_attr

from planlint.core.source import strip_eol
from planlint.markdown.inline import plain_text
from planlint.markdown.nodes import (
    Blank,
    BlockQuote,
    Code,
    FrontMatter,
    Heading,
    HtmlBlock,
    Leaf,
    Line,
    ListBlock,
    ListItem,
    Paragraph,
    Span,
    Table,
    TableCell,
    ThematicBreak,
)

TAB_STOP = 4
CODE_INDENT = 4

_ATX = re.compile(r"(#{1,6})(?:[ \t]+|$)")
_ATX_CLOSING = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
_FENCE = re.compile(r"`{3,}(?!.*`)|~{3,}")
_CLOSING_FENCE = re.compile(r"(`{3,}|~{3,})[ \t]*$")
_THEMATIC = re.compile(r"(?:\*[ \t]*){3,}$|(?:-[ \t]*){3,}$|(?:_[ \t]*){3,}$")
_SETEXT = re.compile(r"(?:=+|-+)[ \t]*$")
_BULLET = re.compile(r"[-+*](?=[ \t]|$)")
_ORDERED = re.compile(r"(\d{1,9})([.)])(?=[ \t]|$)")
_TASK = re.compile(r"\[([ xX])\](?=[ \t]|$)")
_LINK_DEFINITION = re.compile(
    r"""\[(?P<label>[^\]]+)\]:[ \t]*<?\S+>?(?:[ \t]+(?:"[^"]*"|'[^']*'|\([^)]*\)))?[ \t]*$"""
)
_TABLE_DELIMITER = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")

_HTML_BLOCK_TAGS = frozenset(
    """address article aside base basefont blockquote body caption center col colgroup dd
    details dialog dir div dl dt fieldset figcaption figure footer form frame frameset h1 h2
    h3 h4 h5 h6 head header hr html iframe legend li link main menu menuitem nav noframes ol
    optgroup option p param search section summary table tbody td tfoot th thead title tr
    track ul""".split()
)
_HTML_RAW = re.compile(r"<(?:script|pre|style|textarea)(?:[ \t>]|$)", re.IGNORECASE)
_HTML_RAW_END = re.compile(r"</(?:script|pre|style|textarea)>", re.IGNORECASE)
_HTML_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:[ \t>]|/>|$)")
_ATTRIBUTE = (
    r"""(?:[ \t]+[A-Za-z_:][\w.:-]*(?:[ \t]*=[ \t]*(?:[^"'=<>`\x00-\x20]+|'[^']*'|"[^"]*"))?)"""
)
_HTML_COMPLETE_TAG = re.compile(
    rf"(?:<[A-Za-z][A-Za-z0-9-]*{_ATTRIBUTE}*[ \t]*/?>|</[A-Za-z][A-Za-z0-9-]*[ \t]*>)[ \t]*$"
)
# (start test, end test) for HTML block kinds 1-5; kinds 6 and 7 end at a blank line.
_HTML_DELIMITED = (
    (_HTML_RAW, _HTML_RAW_END),
    (re.compile(r"<!--"), re.compile(r"-->")),
    (re.compile(r"<\?"), re.compile(r"\?>")),
    (re.compile(r"<![A-Za-z]"), re.compile(r">")),
    (re.compile(r"<!\[CDATA\["), re.compile(r"\]\]>")),
)


# A plain Python class even in the compiled build (mypyc cannot compile a subclass of ``str``).
@mypyc_attr(native_class=False)
class BlockToken(Token):
    """A Lark token that carries the node (or container data) it stands for."""

    __slots__ = ("node",)  # Token has slots: without these, every token would carry a dict
    # Quoted: mypyc evaluates a plain class's annotations when the module loads, and looks
    # ``object`` up among the module's globals, where it is not.
    node: "object"  # noqa: UP037


class Lexeme:
    """A block the lexer found: a leaf (its kind is the node's class, upper-cased), or a
    container's opening or closing (``LIST_OPEN`` … ``ITEM_CLOSE``), with the line it is on.

    Not a Lark token: Lark is handed only the headings and one token per run of blocks
    (``planlint.markdown.parser``), and a Lark token, a ``str`` subclass, costs several times
    more to make than this.
    """

    __slots__ = ("line", "node", "type")

    def __init__(self, kind: str, node: Any, line: int) -> None:
        self.type = kind
        self.node = node
        self.line = line


class _Cursor:
    """A position in a line, tracking the visual column so that tabs expand to tab stops."""

    __slots__ = ("_nonspace", "column", "line", "offset", "partial_tab")

    def __init__(self, line: str) -> None:
        self.line = line
        self.offset = 0
        self.column = 0
        self.partial_tab = False  # part of the tab at ``offset`` is already consumed
        self._nonspace = (-1, 0)  # (offset, absolute column) of the next non-space character

    def next_nonspace(self) -> tuple[int, int]:
        """(offset, indent in columns) of the next character that is not a space or tab.

        Remembered until the cursor passes it: every open list item asks again on each line,
        and rescanning the indentation each time would make deep nesting cubic.
        """
        found, found_column = self._nonspace
        if self.offset > found:
            offset, column = self.offset, self.column
            while offset < len(self.line) and self.line[offset] in " \t":
                column += TAB_STOP - column % TAB_STOP if self.line[offset] == "\t" else 1
                offset += 1
            self._nonspace = found, found_column = offset, column
        return found, found_column - self.column

    @classmethod
    def at(cls, line: str, offset: int) -> _Cursor:
        cursor = cls(line)
        cursor.offset = offset
        return cursor

    def rest_is_blank(self) -> bool:
        return self.next_nonspace()[0] >= len(self.line)

    def advance(self, count: int, columns: bool) -> None:
        """Consume ``count`` characters, or ``count`` columns when ``columns`` (a tab may split)."""
        while count > 0 and self.offset < len(self.line):
            char = self.line[self.offset]
            if char == "\t" and columns:
                to_tab = TAB_STOP - self.column % TAB_STOP
                if count < to_tab:
                    self.partial_tab = True
                    self.column += count
                    return
                self.partial_tab = False
                self.column += to_tab
                count -= to_tab
            else:
                self.partial_tab = False
                self.column += 1
                count -= 1
            self.offset += 1

    def advance_to_nonspace(self) -> None:
        offset, indent = self.next_nonspace()
        self.offset, self.column, self.partial_tab = offset, self.column + indent, False

    def rest(self) -> str:
        """The remaining text; a partly consumed tab shows as the spaces left of it."""
        if self.partial_tab:
            left = TAB_STOP - self.column % TAB_STOP
            return " " * left + self.line[self.offset + 1 :]
        return self.line[self.offset :]

    def rest_after_columns(self, columns: int) -> str:
        """The rest after removing up to ``columns`` columns of indentation (for code content)."""
        self.advance(self._leading_columns(columns), columns=True)
        return self.rest()

    def _leading_columns(self, limit: int) -> int:
        return min(limit, self.next_nonspace()[1])


class _Container:
    """A block quote, list or list item still open (plain class: see planlint.markdown.nodes)."""

    __slots__ = (
        "blank_start",
        "content_indent",
        "end_column",
        "has_content",
        "kind",
        "last_line",
        "list_type",
        "marker_column",
        "node",
        "ordered",
        "start_column",
        "start_line",
    )

    def __init__(
        self,
        kind: str,
        start_line: int,
        start_column: int,
        *,
        content_indent: int = 0,
        list_type: str = "",
        marker_column: int = 0,
        ordered: bool = False,
        node: BlockQuote | ListBlock | ListItem | None = None,
        blank_start: bool = False,
        has_content: bool = False,
    ) -> None:
        self.kind = kind  # "quote", "list" or "item"
        self.start_line = start_line
        self.start_column = start_column
        self.content_indent = content_indent  # items: columns a line needs to continue it
        self.list_type = list_type  # lists: bullet character or ordered delimiter
        self.marker_column = marker_column  # lists and items: column of the (first) marker
        self.ordered = ordered
        self.node = node
        self.blank_start = blank_start  # items: began with an empty line
        self.has_content = has_content  # items: anything other than the marker line seen
        self.last_line = 0
        self.end_column = 1


class _OpenLeaf:
    """A leaf block still taking lines."""

    __slots__ = (
        "fence",
        "fence_indent",
        "html_end",
        "info",
        "kind",
        "lines",
        "table",
        "trailing_blanks",
    )

    def __init__(
        self,
        kind: str,
        lines: list[Line] | None = None,
        *,
        fence: str = "",
        fence_indent: int = 0,
        info: str = "",
        html_end: re.Pattern[str] | None = None,
    ) -> None:
        self.kind = kind  # "paragraph", "fence", "indented", "html", "table"
        self.lines: list[Line] = [] if lines is None else lines
        self.fence = fence
        self.fence_indent = fence_indent
        self.info = info
        self.html_end = html_end
        self.trailing_blanks: list[Line] = []  # indented code: maybe not code
        self.table: Table | None = None


class BlockLexer:
    """Turns a document's lines into block tokens (see the module docstring)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.containers: list[_Container] = []
        self.leaf: _OpenLeaf | None = None
        self.out: list[Lexeme] = []
        self.line_number = 0
        self.references: set[str] = set()  # link reference labels, case-folded
        self._thematic_line: str | None = None
        self._thematic_blockers: dict[str, int] = {}

    # -- token helpers -------------------------------------------------------------------------

    def _thematic(self, line: str, offset: int) -> bool:
        """Is the rest of ``line`` from ``offset`` a thematic break (``* * *``, ``---``)?

        Asked once per list marker, so "- - - - … x" would rescan the line for every marker;
        instead remember, per line and marker, where the last character that rules it out is
        (``rstrip`` finds it in C).
        """
        if offset >= len(line) or line[offset] not in "*-_":
            return False
        if self._thematic_line is not line:
            self._thematic_line = line
            self._thematic_blockers = {}
        char = line[offset]
        blocker = self._thematic_blockers.get(char)
        if blocker is None:
            blocker = self._thematic_blockers[char] = len(line.rstrip(char + " \t")) - 1
        if blocker >= offset:
            return False
        return _THEMATIC.match(line, offset) is not None

    def _emit(self, kind: str, node: object, line: int) -> None:
        self.out.append(Lexeme(kind, node, line))

    def _emit_leaf(self, node: Leaf) -> None:
        self._emit(type(node).__name__.upper(), node, node.start_line)

    def _line_span(self, lines: list[Line]) -> Span:
        first, last = lines[0], lines[-1]
        return {
            "start_line": first.number,
            "start_column": first.column,
            "end_line": last.number,
            "end_column": len(self.lines[last.number - 1]) + 1,
        }

    # -- containers ----------------------------------------------------------------------------

    def _open_container(self, container: _Container) -> None:
        self._close_leaf()  # a new container always ends the paragraph (or code) before it
        self.containers.append(container)
        kind = {"quote": "QUOTE_OPEN", "list": "LIST_OPEN", "item": "ITEM_OPEN"}[container.kind]
        self._emit(kind, container, container.start_line)

    def _close_containers(self, keep: int) -> None:
        """Close every container above the first ``keep`` (and the open leaf first)."""
        if len(self.containers) > keep:
            self._close_leaf()
        while len(self.containers) > keep:
            container = self.containers.pop()
            container.last_line = max(container.last_line, container.start_line)
            container.end_column = len(self.lines[container.last_line - 1]) + 1
            kind = {"quote": "QUOTE_CLOSE", "list": "LIST_CLOSE", "item": "ITEM_CLOSE"}
            self._emit(kind[container.kind], container, container.last_line)

    def _touch_containers(self, line_number: int) -> None:
        for container in self.containers:
            container.last_line = line_number

    # -- leaves --------------------------------------------------------------------------------

    def _close_leaf(self) -> None:
        leaf, self.leaf = self.leaf, None
        if leaf is None:
            return
        if leaf.kind == "paragraph":
            self._collect_references(leaf.lines)
            self._emit_leaf(Paragraph(lines=leaf.lines, **self._line_span(leaf.lines)))
        elif leaf.kind == "fence":
            content = leaf.lines[1:]
            if len(leaf.lines) > 1 and leaf.fence == "":  # closed: last line is the fence
                content = leaf.lines[1:-1]
            self._emit_leaf(
                Code(fenced=True, info=leaf.info, lines=content, **self._line_span(leaf.lines))
            )
        elif leaf.kind == "indented":
            self._emit_leaf(Code(fenced=False, lines=leaf.lines, **self._line_span(leaf.lines)))
            for blank in leaf.trailing_blanks:
                self._emit_leaf(Blank(lines=[blank], **self._line_span([blank])))
        elif leaf.kind == "html":
            self._emit_leaf(HtmlBlock(lines=leaf.lines, **self._line_span(leaf.lines)))
        elif leaf.kind == "table" and leaf.table is not None:
            leaf.table.end_line = leaf.lines[-1].number
            leaf.table.end_column = len(self.lines[leaf.lines[-1].number - 1]) + 1
            leaf.table.lines = leaf.lines
            self._emit_leaf(leaf.table)

    def _collect_references(self, lines: list[Line]) -> None:
        """Link reference definitions open a paragraph; their labels make "[label]" a link."""
        for line in lines:
            definition = _LINK_DEFINITION.match(line.text)
            if definition is None:
                break
            self.references.add(" ".join(definition.group("label").casefold().split()))

    @staticmethod
    def _code_line(cursor: _Cursor, number: int, indent: int) -> Line:
        """A code line without up to ``indent`` columns of indentation, positioned after it."""
        text = cursor.rest_after_columns(indent)
        return Line(number, cursor.offset + 1, text)

    def _single(self, node_type: type[Leaf], cursor: _Cursor, number: int) -> None:
        line = Line(number, cursor.offset + 1, cursor.rest())
        self._emit_leaf(node_type(lines=[line], **self._line_span([line])))

    # -- the main loop -------------------------------------------------------------------------

    def run(self, first_line: int = 0) -> list[Lexeme]:
        for index in range(first_line, len(self.lines)):
            self.line_number = index + 1
            self._line(self.lines[index])
        self._close_containers(0)
        self._close_leaf()
        return self.out

    def _match_containers(self, cursor: _Cursor) -> int:
        matched = 0
        for container in self.containers:
            if container.kind == "quote":
                offset, indent = cursor.next_nonspace()
                if indent > 3 or offset >= len(cursor.line) or cursor.line[offset] != ">":
                    break
                cursor.advance_to_nonspace()
                cursor.advance(1, columns=False)
                if cursor.offset < len(cursor.line) and cursor.line[cursor.offset] in " \t":
                    cursor.advance(1, columns=True)
            elif container.kind == "item":
                if cursor.rest_is_blank():
                    if container.blank_start and not container.has_content:
                        break  # an item can begin with at most one blank line
                    cursor.advance_to_nonspace()
                elif cursor.next_nonspace()[1] >= container.content_indent:
                    cursor.advance(container.content_indent, columns=True)
                    container.has_content = True
                else:
                    break
            matched += 1
        return matched

    def _line(self, raw: str) -> None:
        number = self.line_number
        leaf = self.leaf
        if (
            not self.containers
            and raw[:1].isalpha()
            and raw[0].isascii()
            and (leaf is None or leaf.kind == "paragraph")
        ):
            # The commonest line of all: prose at the margin, outside any container. A letter
            # starts no block (headings, fences, HTML, quotes, lists, tables and breaks all
            # start with punctuation or a digit), so it opens or continues a paragraph.
            text = raw.strip()
            if leaf is None:
                self.leaf = _OpenLeaf("paragraph", [Line(number, 1, text)])
            else:
                leaf.lines.append(Line(number, 1, text))
            return
        cursor = _Cursor(raw)
        matched = self._match_containers(cursor)
        all_matched = matched == len(self.containers)
        leaf = self.leaf

        if leaf is not None and leaf.kind in ("fence", "html"):
            if all_matched:
                self._continue_verbatim(leaf, cursor, number)
                return
            self._close_containers(matched)

        opened = self._open_new_containers(cursor, matched, all_matched)
        if opened is None:  # lazy continuation of a paragraph
            assert self.leaf is not None
            start = cursor.next_nonspace()[0]
            self.leaf.lines.append(Line(number, start + 1, cursor.line[start:].strip()))
            self._touch_containers(number)
            return
        self._touch_containers(number)
        self._leaf_line(cursor, number)

    def _continue_verbatim(self, leaf: _OpenLeaf, cursor: _Cursor, number: int) -> None:
        self._touch_containers(number)
        if leaf.kind == "fence":
            offset, indent = cursor.next_nonspace()
            closing = _CLOSING_FENCE.match(cursor.line, offset)
            if (
                indent <= 3
                and closing
                and closing.group(1)[0] == leaf.fence[0]
                and len(closing.group(1)) >= len(leaf.fence)
            ):
                leaf.lines.append(Line(number, offset + 1, cursor.line[offset:]))
                leaf.fence = ""  # marks the fence as closed
                self._close_leaf()
                return
            leaf.lines.append(self._code_line(cursor, number, leaf.fence_indent))
            return
        leaf.lines.append(Line(number, cursor.offset + 1, cursor.rest()))
        if leaf.html_end is None:
            if cursor.rest_is_blank():  # kinds 6 and 7 end at (and exclude) a blank line
                leaf.lines.pop()
                self._close_leaf()
                self._single(Blank, cursor, number)
        elif leaf.html_end.search(cursor.rest()):
            self._close_leaf()

    def _open_new_containers(self, cursor: _Cursor, matched: int, all_matched: bool) -> int | None:
        """Open block quotes and list items that start on this line.

        Returns the number of containers now open, or None when the line is a lazy
        continuation of the open paragraph (unmatched containers then stay open).
        """
        in_paragraph = self.leaf is not None and self.leaf.kind == "paragraph"
        depth = matched
        opened_any = False
        while True:
            offset, indent = cursor.next_nonspace()
            if indent >= CODE_INDENT or offset >= len(cursor.line):
                break
            char = cursor.line[offset]
            if char == ">":
                self._close_containers(depth)
                self._close_open_list()
                cursor.advance_to_nonspace()
                column = cursor.offset + 1
                cursor.advance(1, columns=False)
                if cursor.offset < len(cursor.line) and cursor.line[cursor.offset] in " \t":
                    cursor.advance(1, columns=True)
                self._open_container(_Container("quote", self.line_number, column))
                depth += 1
                opened_any = True
                continue
            item = self._list_marker(cursor, offset, indent, in_paragraph and all_matched)
            if item is None:
                break
            self._close_containers(depth)
            depth = len(self.containers)
            self._start_item(cursor, item)
            depth = len(self.containers)
            opened_any = True
            in_paragraph = False
        if (
            not opened_any
            and not all_matched
            and self.leaf is not None
            and self.leaf.kind == "paragraph"
            and not cursor.rest_is_blank()
            and not self._starts_leaf_block(cursor)
            and not self._ends_item_paragraph(cursor)
        ):
            return None
        self._close_containers(depth)
        self._close_open_list()
        return len(self.containers)

    def _close_open_list(self) -> None:
        """A list holds only items: anything else that follows it ends it."""
        if self.containers and self.containers[-1].kind == "list":
            self._close_containers(len(self.containers) - 1)

    def _list_marker(
        self, cursor: _Cursor, offset: int, indent: int, interrupts_paragraph: bool
    ) -> tuple[str, bool, int | None, int, int, int] | None:
        """(marker, ordered, start number, marker offset, marker width, spaces) or None."""
        line = cursor.line
        if self._thematic(line, offset):
            return None  # "* * *" is a thematic break, not an empty item
        bullet = _BULLET.match(line, offset)
        ordered = None if bullet else _ORDERED.match(line, offset)
        match = bullet or ordered
        if match is None:
            return None
        end = match.end()
        blank_after = _Cursor.at(line, end).rest_is_blank()
        if interrupts_paragraph and (
            blank_after or (ordered is not None and int(ordered.group(1)) != 1)
        ):
            return None
        start = int(ordered.group(1)) if ordered else None
        # Columns of spaces after the marker: 1-4 belong to the marker; 5 or more means the
        # content is indented code and only one space belongs to the marker.
        column_after = cursor.column + indent + (end - offset)
        probe = _Cursor(line)
        probe.offset, probe.column = end, column_after
        _, spaces = probe.next_nonspace()
        if blank_after or spaces > CODE_INDENT:
            spaces = 1
        return match.group(0), ordered is not None, start, indent, end - offset, spaces

    def _start_item(
        self, cursor: _Cursor, item: tuple[str, bool, int | None, int, int, int]
    ) -> None:
        marker, ordered, start, marker_indent, width, spaces = item
        list_type = marker[-1]
        tip = self.containers[-1] if self.containers else None
        cursor.advance_to_nonspace()
        column = cursor.offset + 1
        marker_column = cursor.column
        if tip is not None and tip.kind == "list" and tip.list_type != list_type:
            self._close_containers(len(self.containers) - 1)  # another marker: another list
            tip = None
        if tip is None or tip.kind != "list":
            self._open_container(
                _Container(
                    "list",
                    self.line_number,
                    column,
                    list_type=list_type,
                    ordered=ordered,
                    marker_column=marker_column,
                    node=ListBlock(
                        ordered=ordered,
                        start=start,
                        start_line=self.line_number,
                        start_column=column,
                        end_line=self.line_number,
                        end_column=column,
                    ),
                )
            )
        cursor.advance(width, columns=False)
        blank_start = cursor.rest_is_blank()
        cursor.advance(spaces, columns=True)
        container = _Container(
            "item",
            self.line_number,
            column,
            content_indent=marker_indent + width + spaces,
            blank_start=blank_start,
            has_content=not blank_start,
            marker_column=marker_column,
        )
        task = _TASK.match(cursor.line, cursor.offset) if not blank_start else None
        container.node = ListItem(
            marker=marker,
            checked=None if task is None else task.group(1) != " ",
            start_line=self.line_number,
            start_column=column,
            end_line=self.line_number,
            end_column=column,
        )
        self._open_container(container)

    def _ends_item_paragraph(self, cursor: _Cursor) -> bool:
        """Inside a list item, a less indented line that starts a block ends the paragraph,
        even when it is 4+ columns in from the containers it did match.

        This follows markdown-it (and the spec's "paragraph continuation text"): such a line
        could not continue the paragraph at its proper indentation, so it is not lazy. List
        markers are the exception: one right of the item's own marker still reads as text.
        """
        item = self.containers[-1] if self.containers else None
        if item is None or item.kind != "item":
            return False
        offset, indent = cursor.next_nonspace()
        if indent < CODE_INDENT:
            return False  # the usual checks already saw this line
        line = cursor.line
        marker = _BULLET.match(line, offset) or _ORDERED.match(line, offset)
        if marker is not None:
            if cursor.column + indent >= item.marker_column:
                return False  # right of the item's marker: text, as in "1. x\n    1. y"
            return bool(line[marker.end() :].strip())  # an empty item never interrupts
        return line[offset] == ">" or self._starts_leaf_block(_Cursor.at(line, offset))

    def _starts_leaf_block(self, cursor: _Cursor) -> bool:
        """Would this line start a block that interrupts a paragraph (so it is not lazy)?"""
        offset, indent = cursor.next_nonspace()
        if indent >= CODE_INDENT:
            return False
        line = cursor.line
        return bool(
            _ATX.match(line, offset)
            or _FENCE.match(line, offset)
            or self._thematic(line, offset)
            or self._html_start(line[offset:], interrupts_paragraph=True) is not None
        )

    def _html_start(
        self, text: str, interrupts_paragraph: bool
    ) -> tuple[re.Pattern[str] | None] | None:
        """((end pattern or None for "ends at a blank line"),) when an HTML block starts here."""
        if not text.startswith("<"):
            return None
        for start, end in _HTML_DELIMITED:
            if start.match(text):
                return (end,)
        name = _HTML_TAG_NAME.match(text)
        if name and name.group(1).lower() in _HTML_BLOCK_TAGS:
            return (None,)
        if not interrupts_paragraph and _HTML_COMPLETE_TAG.match(text):
            return (None,)
        return None

    def _leaf_line(self, cursor: _Cursor, number: int) -> None:
        leaf = self.leaf
        offset, indent = cursor.next_nonspace()
        line = cursor.line
        blank = offset >= len(line)
        in_paragraph = leaf is not None and leaf.kind == "paragraph"

        if leaf is not None and leaf.kind == "indented":
            if blank:
                leaf.trailing_blanks.append(Line(number, cursor.offset + 1, cursor.rest()))
                return
            if indent >= CODE_INDENT:
                leaf.lines.extend(leaf.trailing_blanks)
                leaf.trailing_blanks = []
                leaf.lines.append(self._code_line(cursor, number, CODE_INDENT))
                return
            self._close_leaf()
            leaf = None

        if blank:
            self._close_leaf()
            self._single(Blank, cursor, number)
            return
        if indent >= CODE_INDENT:
            if in_paragraph:
                assert leaf is not None
                leaf.lines.append(Line(number, offset + 1, line[offset:].strip()))
            elif leaf is not None and leaf.kind == "table":
                self._table_row(leaf, cursor, number)
            else:
                self._close_leaf()
                self.leaf = _OpenLeaf("indented")
                self.leaf.lines.append(self._code_line(cursor, number, CODE_INDENT))
            return

        text = line[offset:]
        if self._try_block_start(cursor, number, offset, text, in_paragraph):
            return
        if leaf is not None and leaf.kind == "table":
            self._table_row(leaf, cursor, number)
            return
        if in_paragraph and leaf is not None:
            if self._try_table(leaf, cursor, number):
                return
            leaf.lines.append(Line(number, offset + 1, text.strip()))
            return
        self._close_leaf()
        self.leaf = _OpenLeaf("paragraph", [Line(number, offset + 1, text.strip())])

    def _try_block_start(
        self, cursor: _Cursor, number: int, offset: int, text: str, in_paragraph: bool
    ) -> bool:
        line = cursor.line
        atx = _ATX.match(line, offset)
        if atx:
            self._close_leaf()
            content = line[atx.end() :]
            content = _ATX_CLOSING.sub("", content).strip(" \t")
            node = Heading(
                level=len(atx.group(1)),
                raw=content,
                title=plain_text(content),
                lines=[Line(number, offset + 1, text)],
                **self._line_span([Line(number, offset + 1, text)]),
            )
            self._emit_leaf(node)
            return True
        fence = _FENCE.match(line, offset)
        if fence:
            self._close_leaf()
            indent = cursor.next_nonspace()[1]
            self.leaf = _OpenLeaf(
                "fence",
                [Line(number, offset + 1, text)],
                fence=fence.group(0),
                fence_indent=indent,
                info=line[fence.end() :].strip(),
            )
            return True
        html = self._html_start(text, interrupts_paragraph=in_paragraph)
        if html is not None:
            self._close_leaf()
            self.leaf = _OpenLeaf(
                "html", [Line(number, cursor.offset + 1, cursor.rest())], html_end=html[0]
            )
            end = html[0]
            if end is not None and end.search(text, 1 if end.pattern == ">" else 0):
                self._close_leaf()
            return True
        if in_paragraph and _SETEXT.match(line, offset) and self.leaf is not None:
            # Link reference definitions at the start of a paragraph are not heading text.
            definitions = 0
            while definitions < len(self.leaf.lines) and _LINK_DEFINITION.match(
                self.leaf.lines[definitions].text
            ):
                definitions += 1
            if definitions == len(self.leaf.lines):
                if text[0] == "=":
                    return False  # nothing left to underline: "===" is paragraph text
                self._close_leaf()
                self._single(ThematicBreak, cursor, number)
                return True
            paragraph = self.leaf.lines[definitions:]
            if definitions:
                self.leaf.lines = self.leaf.lines[:definitions]
                self._close_leaf()
            self.leaf = None
            raw = "\n".join(item.text for item in paragraph)
            underline = Line(number, offset + 1, text)
            span = self._line_span([*paragraph, underline])
            level = 1 if text[0] == "=" else 2
            self._emit_leaf(
                Heading(
                    level=level,
                    raw=raw,
                    title=plain_text(raw),
                    setext=True,
                    lines=[*paragraph, underline],
                    **span,
                )
            )
            return True
        if self._thematic(line, offset):
            self._close_leaf()
            self._single(ThematicBreak, cursor, number)
            return True
        return False

    # -- tables (GFM) --------------------------------------------------------------------------

    def _try_table(self, leaf: _OpenLeaf, cursor: _Cursor, number: int) -> bool:
        """Turn the paragraph's last line into a table header when this line is a delimiter row."""
        offset = cursor.next_nonspace()[0]
        text = cursor.line[offset:]
        if "-" not in text or not _TABLE_DELIMITER.match(text):
            return False
        header_line = leaf.lines[-1]
        header = _cells(header_line)
        if "|" not in header_line.text and "|" not in text:
            return False
        if len(header) != len(_cells(Line(number, offset + 1, text))):
            return False
        leaf.lines.pop()
        if leaf.lines:
            self._close_leaf()
        self.leaf = _OpenLeaf("table", [header_line, Line(number, offset + 1, text)])
        self.leaf.table = Table(
            header=header,
            start_line=header_line.number,
            start_column=header_line.column,
            end_line=number,
            end_column=len(cursor.line) + 1,
        )
        return True

    def _table_row(self, leaf: _OpenLeaf, cursor: _Cursor, number: int) -> None:
        offset = cursor.next_nonspace()[0]
        row = Line(number, offset + 1, cursor.line[offset:].rstrip())
        leaf.lines.append(row)
        assert leaf.table is not None
        leaf.table.rows.append(_cells(row))


def _cells(line: Line) -> list[TableCell]:
    """Split a table row on unescaped pipes, dropping the optional outer ones."""
    text = line.text
    cells: list[TableCell] = []
    start = 0
    index = 0
    bounds: list[tuple[int, int]] = []
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text[index] == "|":
            bounds.append((start, index))
            start = index + 1
        index += 1
    bounds.append((start, len(text)))
    if bounds and text[: bounds[0][1]].strip() == "":
        bounds = bounds[1:]
    if bounds and text[bounds[-1][0] :].strip() == "" and text.rstrip().endswith("|"):
        bounds = bounds[:-1]
    for begin, end in bounds:
        raw = text[begin:end]
        stripped = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        cells.append(
            TableCell(stripped.replace("\\|", "|"), line.number, line.column + begin + lead)
        )
    return cells


def front_matter(lines: list[str]) -> tuple[FrontMatter | None, int, bool]:
    """YAML front matter at the top: (node, index of the first line after it, unterminated)."""
    if not lines or strip_eol(lines[0]).rstrip() != "---":
        return None, 0, False
    for index in range(1, len(lines)):
        if strip_eol(lines[index]).rstrip() in ("---", "..."):
            body = [Line(number, 1, strip_eol(lines[number - 1])) for number in range(2, index + 1)]
            node = FrontMatter(
                lines=body,
                start_line=1,
                start_column=1,
                end_line=index + 1,
                end_column=len(strip_eol(lines[index])) + 1,
            )
            return node, index + 1, False
    return None, 0, True


def sections(tokens: list[Token]) -> Iterator[Token]:
    """Wrap each top-level heading in SECTION_OPEN … SECTION_CLOSE by level (an Indenter)."""
    levels: list[int] = []
    depth = 0
    for token in tokens:
        kind = token.type
        if kind.endswith("_OPEN"):
            depth += 1
        elif kind.endswith("_CLOSE"):
            depth -= 1
        elif kind == "HEADING" and depth == 0:
            level = token.node.level  # type: ignore[attr-defined]
            while levels and levels[-1] >= level:
                levels.pop()
                yield Token("_SECTION_CLOSE", "", line=token.line)
            levels.append(level)
            yield Token("_SECTION_OPEN", "", line=token.line)
        yield token
    for _ in levels:
        yield Token("_SECTION_CLOSE", "")
