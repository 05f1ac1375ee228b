"""The section tree.

Every node carries a 1-based span: ``start_line``/``start_column`` to ``end_line``/``end_column``,
with ``end_column`` exclusive. Columns count characters (a tab is one column), which is what
editors and SARIF viewers show. Leaf blocks keep their content as ``Line`` objects so that a rule
can point at the exact line and column of a match inside a list item or a block quote.

Trees can be very deep (lists nested thousands of levels), so every walk here is iterative.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar


@dataclass(slots=True)
class Line:
    """One line of a block's content, after container markers and indentation are removed."""

    number: int
    column: int  # 1-based column of text[0] in the physical line
    text: str


@dataclass(slots=True, kw_only=True)
class Block:
    kind: ClassVar[str] = "block"
    start_line: int
    start_column: int
    end_line: int
    end_column: int

    def children_blocks(self) -> list[Block]:
        return []


@dataclass(slots=True, kw_only=True)
class Leaf(Block):
    lines: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass(slots=True, kw_only=True)
class Paragraph(Leaf):
    kind: ClassVar[str] = "paragraph"


@dataclass(slots=True, kw_only=True)
class Heading(Leaf):
    kind: ClassVar[str] = "heading"
    level: int
    raw: str  # the heading text as written, inline markup included
    title: str  # inline markup stripped
    setext: bool = False


@dataclass(slots=True, kw_only=True)
class ThematicBreak(Leaf):
    kind: ClassVar[str] = "thematic_break"


@dataclass(slots=True, kw_only=True)
class Blank(Leaf):
    kind: ClassVar[str] = "blank"


@dataclass(slots=True, kw_only=True)
class Code(Leaf):
    """Fenced or indented code. ``lines`` are the content lines only (no fences)."""

    kind: ClassVar[str] = "code"
    fenced: bool
    info: str = ""


@dataclass(slots=True, kw_only=True)
class HtmlBlock(Leaf):
    kind: ClassVar[str] = "html"

    @property
    def is_comment(self) -> bool:
        return self.text.lstrip().startswith("<!--")


@dataclass(slots=True)
class TableCell:
    text: str
    line: int
    column: int


@dataclass(slots=True, kw_only=True)
class Table(Leaf):
    kind: ClassVar[str] = "table"
    header: list[TableCell] = field(default_factory=list)
    rows: list[list[TableCell]] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class FrontMatter(Leaf):
    """YAML front matter between ``---`` fences; ``lines`` hold the YAML only."""

    kind: ClassVar[str] = "front_matter"


@dataclass(slots=True, kw_only=True)
class BlockQuote(Block):
    kind: ClassVar[str] = "block_quote"
    children: list[Block] = field(default_factory=list)

    def children_blocks(self) -> list[Block]:
        return self.children


@dataclass(slots=True, kw_only=True)
class ListItem(Block):
    kind: ClassVar[str] = "list_item"
    marker: str
    checked: bool | None = None  # task box: True for [x], False for [ ], None without one
    children: list[Block] = field(default_factory=list)

    def children_blocks(self) -> list[Block]:
        return self.children


@dataclass(slots=True, kw_only=True)
class ListBlock(Block):
    kind: ClassVar[str] = "list"
    ordered: bool
    start: int | None = None
    items: list[ListItem] = field(default_factory=list)

    def children_blocks(self) -> list[Block]:
        return list(self.items)


@dataclass(slots=True, kw_only=True)
class Section(Block):
    """A heading and everything up to the next heading of the same or a higher level."""

    kind: ClassVar[str] = "section"
    heading: Heading
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)
    number: str = ""  # numbering prefix as written: "1.", "2)", "Step 3:"
    normalized: str = ""  # for matching against a profile's section titles
    # The section's prose lines, found once: a dozen checks ask for them (planlint.text).
    prose: list[Line] | None = field(default=None, repr=False, compare=False)

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


@dataclass(slots=True)
class Document:
    text: str  # the decoded text without BOM, line endings as in the file
    lines: list[str]  # physical lines without their line endings
    line_starts: list[int] = field(default_factory=list)  # offset of each line in ``text``
    front_matter: FrontMatter | None = None
    front_matter_unterminated: bool = False
    blocks: list[Block] = field(default_factory=list)  # the preamble, before the first heading
    sections: list[Section] = field(default_factory=list)

    def walk_sections(self) -> Iterator[Section]:
        for top in self.sections:
            yield from top.walk_sections()

    def body(self) -> list[Block]:
        """The preamble blocks and the top sections: everything but the front matter."""
        return [*self.blocks, *self.sections]

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
    """Every block below ``roots`` in document order, containers before their contents."""
    stack: list[Block] = list(reversed(roots))
    while stack:
        block = stack.pop()
        yield block
        stack.extend(reversed(block.children_blocks()))


def leaves(roots: list[Block]) -> Iterator[Leaf]:
    for block in walk_blocks(roots):
        if isinstance(block, Leaf):
            yield block
