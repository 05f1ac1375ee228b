"""The section tree.

Every node carries a 1-based span: ``start_line``/``start_column`` to ``end_line``/``end_column``,
with ``end_column`` exclusive. Columns count characters (a tab is one column), which is what
editors and SARIF viewers show. Leaf blocks keep their content as ``Line`` objects so that a rule
can point at the exact line and column of a match inside a list item or a block quote.

Trees can be very deep (lists nested thousands of levels), so every walk here is iterative.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar, TypedDict

if TYPE_CHECKING:
    from typing import Unpack

# The nodes are plain classes with slots, not dataclasses: each dataclass costs about a
# millisecond to create when the module is imported, and every run that lints a file imports
# this one. They compare by identity, which is what a node in a tree is.


class Line:
    """One line of a block's content, after container markers and indentation are removed."""

    __slots__ = ("column", "number", "text")

    def __init__(self, number: int, column: int, text: str) -> None:
        self.number = number
        self.column = column  # 1-based column of text[0] in the physical line
        self.text = text

    def __repr__(self) -> str:
        return f"Line({self.number}, {self.column}, {self.text!r})"


class Span(TypedDict):
    """Where a block starts and ends: every block's keyword arguments."""

    start_line: int
    start_column: int
    end_line: int
    end_column: int


class Block:
    __slots__ = ("end_column", "end_line", "start_column", "start_line")
    kind: ClassVar[str] = "block"

    def __init__(self, **span: Unpack[Span]) -> None:
        self.start_line = span["start_line"]
        self.start_column = span["start_column"]
        self.end_line = span["end_line"]
        self.end_column = span["end_column"]

    def __repr__(self) -> str:
        where = f"{self.start_line}:{self.start_column}-{self.end_line}:{self.end_column}"
        return f"<{type(self).__name__} {where}>"

    def children_blocks(self) -> list[Block]:
        return []


class Leaf(Block):
    __slots__ = ("lines", "reading")

    def __init__(self, *, lines: list[Line] | None = None, **span: Unpack[Span]) -> None:
        super().__init__(**span)
        self.lines: list[Line] = [] if lines is None else lines
        # How the prose layer reads the block, found once: many rules read the same sections
        # (planlint.prose.evidence).
        self.reading: object = None

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


class Paragraph(Leaf):
    __slots__ = ()
    kind: ClassVar[str] = "paragraph"


class Heading(Leaf):
    __slots__ = ("level", "raw", "setext", "title")
    kind: ClassVar[str] = "heading"

    def __init__(
        self,
        *,
        level: int,
        raw: str,
        title: str,
        setext: bool = False,
        lines: list[Line] | None = None,
        **span: Unpack[Span],
    ) -> None:
        super().__init__(lines=lines, **span)
        self.level = level
        self.raw = raw  # the heading text as written, inline markup included
        self.title = title  # inline markup stripped
        self.setext = setext


class ThematicBreak(Leaf):
    __slots__ = ()
    kind: ClassVar[str] = "thematic_break"


class Blank(Leaf):
    __slots__ = ()
    kind: ClassVar[str] = "blank"


class Code(Leaf):
    """Fenced or indented code. ``lines`` are the content lines only (no fences)."""

    __slots__ = ("fenced", "info")
    kind: ClassVar[str] = "code"

    def __init__(
        self,
        *,
        fenced: bool,
        info: str = "",
        lines: list[Line] | None = None,
        **span: Unpack[Span],
    ) -> None:
        super().__init__(lines=lines, **span)
        self.fenced = fenced
        self.info = info


class HtmlBlock(Leaf):
    __slots__ = ()
    kind: ClassVar[str] = "html"

    @property
    def is_comment(self) -> bool:
        return self.text.lstrip().startswith("<!--")


class TableCell:
    __slots__ = ("column", "line", "text")

    def __init__(self, text: str, line: int, column: int) -> None:
        self.text = text
        self.line = line
        self.column = column

    def __repr__(self) -> str:
        return f"TableCell({self.text!r}, {self.line}, {self.column})"


class Table(Leaf):
    __slots__ = ("header", "rows")
    kind: ClassVar[str] = "table"

    def __init__(
        self,
        *,
        header: list[TableCell] | None = None,
        rows: list[list[TableCell]] | None = None,
        lines: list[Line] | None = None,
        **span: Unpack[Span],
    ) -> None:
        super().__init__(lines=lines, **span)
        self.header: list[TableCell] = [] if header is None else header
        self.rows: list[list[TableCell]] = [] if rows is None else rows


class FrontMatter(Leaf):
    """YAML front matter between ``---`` fences; ``lines`` hold the YAML only."""

    __slots__ = ()
    kind: ClassVar[str] = "front_matter"


class BlockQuote(Block):
    __slots__ = ("children",)
    kind: ClassVar[str] = "block_quote"

    def __init__(self, *, children: list[Block] | None = None, **span: Unpack[Span]) -> None:
        super().__init__(**span)
        self.children: list[Block] = [] if children is None else children

    def children_blocks(self) -> list[Block]:
        return self.children


class ListItem(Block):
    __slots__ = ("checked", "children", "marker")
    kind: ClassVar[str] = "list_item"

    def __init__(
        self,
        *,
        marker: str,
        checked: bool | None = None,
        children: list[Block] | None = None,
        **span: Unpack[Span],
    ) -> None:
        super().__init__(**span)
        self.marker = marker
        self.checked = checked  # task box: True for [x], False for [ ], None without one
        self.children: list[Block] = [] if children is None else children

    def children_blocks(self) -> list[Block]:
        return self.children


class ListBlock(Block):
    __slots__ = ("items", "ordered", "start")
    kind: ClassVar[str] = "list"

    def __init__(
        self,
        *,
        ordered: bool,
        start: int | None = None,
        items: list[ListItem] | None = None,
        **span: Unpack[Span],
    ) -> None:
        super().__init__(**span)
        self.ordered = ordered
        self.start = start
        self.items: list[ListItem] = [] if items is None else items

    def children_blocks(self) -> list[Block]:
        return list(self.items)


class Section(Block):
    """A heading and everything up to the next heading of the same or a higher level."""

    __slots__ = ("blocks", "heading", "normalized", "number", "prose", "subsections", "walked")
    kind: ClassVar[str] = "section"

    def __init__(
        self,
        *,
        heading: Heading,
        blocks: list[Block] | None = None,
        subsections: list[Section] | None = None,
        number: str = "",
        normalized: str = "",
        **span: Unpack[Span],
    ) -> None:
        super().__init__(**span)
        self.heading = heading
        self.blocks: list[Block] = [] if blocks is None else blocks
        self.subsections: list[Section] = [] if subsections is None else subsections
        self.number = number  # numbering prefix as written: "1.", "2)", "Step 3:"
        self.normalized = normalized  # for matching against a profile's section titles
        # The section's prose lines, found once: a dozen checks ask for them (planlint.prose.text).
        self.prose: list[Line] | None = None
        self.walked: list[Block] | None = None  # what is below it in order (``walk_blocks``)

    @property
    def level(self) -> int:
        return self.heading.level

    @property
    def title(self) -> str:
        return self.heading.title

    def children_blocks(self) -> list[Block]:
        return [*self.blocks, *self.subsections]

    def walk_sections(self) -> Iterator[Section]:
        """This section and all below it, in document order."""
        stack: list[Section] = [self]
        while stack:
            section = stack.pop()
            yield section
            stack.extend(reversed(section.subsections))


class Document:
    __slots__ = (
        "_in_order",
        "blocks",
        "derived",
        "front_matter",
        "front_matter_unterminated",
        "line_starts",
        "lines",
        "sections",
        "text",
    )

    def __init__(self, text: str, lines: list[str]) -> None:
        self.text = text  # the decoded text without BOM, line endings as in the file
        self.lines = lines  # physical lines without their line endings
        self.line_starts: list[int] = []  # offset of each line in ``text``
        self.front_matter: FrontMatter | None = None
        self.front_matter_unterminated = False
        self.blocks: list[Block] = []  # the preamble, before the first heading
        self.sections: list[Section] = []
        self._in_order: list[Block] | None = None
        # What later layers work out from the whole document once and share (the credentials
        # it holds): kept here, it lives exactly as long as the document.
        self.derived: dict[str, object] = {}

    def walk_sections(self) -> Iterator[Section]:
        for top in self.sections:
            yield from top.walk_sections()

    def body(self) -> list[Block]:
        """The preamble blocks and the top sections: everything but the front matter."""
        return [*self.blocks, *self.sections]

    def body_blocks(self) -> list[Block]:
        """Every block of the body in document order (``walk_blocks(body())``), walked once and
        kept: a dozen checks and facts each look at every block of the plan."""
        if self._in_order is None:
            self._in_order = list(walk_blocks(self.body()))
        return self._in_order

    def tree_changed(self) -> None:
        """Forget the kept walks: sections were added or moved (pseudo headings promoted)."""
        self._in_order = None
        for section in self.walk_sections():
            section.walked = None
            section.prose = None

    def top_level(self) -> list[Block]:
        """Front matter, preamble blocks and top sections: together they cover every line."""
        nodes: list[Block] = [self.front_matter] if self.front_matter is not None else []
        return [*nodes, *self.body()]

    def source_of(self, node: Block) -> str:
        """The exact text of a node's lines, line endings included (for the lossless round trip
        and for fixes that rewrite whole lines)."""
        starts = self.line_starts
        end = starts[node.end_line] if node.end_line < len(starts) else len(self.text)
        return self.text[starts[node.start_line - 1] : end]

    def headings(self) -> list[Heading]:
        return [section.heading for section in self.walk_sections()]


def walk_blocks(roots: list[Block]) -> Iterator[Block]:
    """Every block below ``roots`` in document order, containers before their contents. A
    section's walk is kept on it: checks walk the same few sections again and again."""
    for root in roots:
        if isinstance(root, Section):
            if root.walked is None:
                # Without the section itself: a list holding its owner is a reference cycle,
                # and the tree must have none (linting pauses the cyclic collector).
                root.walked = list(_walk(root))[1:]
            yield root
            yield from root.walked
        elif isinstance(root, Leaf):
            yield root  # nothing below it: no walk to set up
        else:
            yield from _walk(root)


def _walk(root: Block) -> Iterator[Block]:
    stack: list[Block] = [root]
    while stack:
        block = stack.pop()
        yield block
        stack.extend(reversed(block.children_blocks()))


def leaves(roots: list[Block]) -> Iterator[Leaf]:
    for block in walk_blocks(roots):
        if isinstance(block, Leaf):
            yield block
