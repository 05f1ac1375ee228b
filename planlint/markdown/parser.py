"""Parse a decoded document into a ``Document`` section tree."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lark import Lark, Token, Transformer
from lark.lexer import Lexer, LexerState

from planlint.core.larkcache import cached_lark
from planlint.core.source import split_lines, strip_eol
from planlint.markdown.headings import normalize_title, numbering_prefix
from planlint.markdown.inline import plain_text
from planlint.markdown.lexer import (
    BlockLexer,
    BlockToken,
    front_matter,
    sections,
)
from planlint.markdown.nodes import (
    Block,
    BlockQuote,
    Document,
    FrontMatter,
    Heading,
    Leaf,
    ListBlock,
    ListItem,
    Section,
)


class _TokenFeed(Lexer):
    """Hands Lark the tokens that ``BlockLexer`` already produced (Lark's custom-lexer hook)."""

    __future_interface__ = 2

    def __init__(self, lexer_conf: object) -> None:
        pass

    def lex(self, lexer_state: LexerState, parser_state: object) -> Iterator[Token]:
        tokens: Iterator[Token] = lexer_state.text  # type: ignore[assignment]
        return tokens


def _node(token: Token) -> Any:
    return token.node  # type: ignore[attr-defined]


class _BuildTree(Transformer[Token, Any]):
    """Reduction callbacks: each turns a finished rule into a node (bottom-up, no recursion)."""

    def leaf(self, children: list[Token]) -> Block:
        node: Leaf = _node(children[0])
        return node

    def front_matter(self, children: list[Token]) -> FrontMatter:
        node: FrontMatter = _node(children[0])
        return node

    @staticmethod
    def _end(node: Block, closer: Token) -> None:
        node.end_line = _node(closer).last_line
        node.end_column = _node(closer).end_column

    def block_quote(self, children: list[Any]) -> BlockQuote:
        opener, closer = children[0], children[-1]
        quote = BlockQuote(
            children=children[1:-1],
            start_line=opener.line,
            start_column=_node(opener).start_column,
            end_line=0,
            end_column=0,
        )
        self._end(quote, closer)
        return quote

    def list_item(self, children: list[Any]) -> ListItem:
        item: ListItem = _node(children[0]).node
        item.children = children[1:-1]
        self._end(item, children[-1])
        return item

    def list_block(self, children: list[Any]) -> ListBlock:
        block: ListBlock = _node(children[0]).node
        block.items = children[1:-1]
        self._end(block, children[-1])
        return block

    def section(self, children: list[Any]) -> Section:
        heading: Heading = _node(children[0])
        body = children[1:]
        blocks = [child for child in body if not isinstance(child, Section)]
        subsections = [child for child in body if isinstance(child, Section)]
        number, rest = numbering_prefix(heading.title)
        section = Section(
            heading=heading,
            blocks=blocks,
            subsections=subsections,
            number=number,
            normalized=normalize_title(rest),
            start_line=heading.start_line,
            start_column=heading.start_column,
            end_line=0,
            end_column=0,
        )
        last = body[-1] if body else heading
        section.end_line, section.end_column = last.end_line, last.end_column
        return section

    def start(self, children: list[Any]) -> Document:
        document = Document(text="", lines=[])
        for child in children:
            if isinstance(child, FrontMatter):
                document.front_matter = child
            elif isinstance(child, Section):
                document.sections.append(child)
            else:
                document.blocks.append(child)
        return document


@functools.cache
def _parser() -> Lark:
    return cached_lark(
        (Path(__file__).parent / "grammar.lark").read_text(encoding="utf-8"),
        parser="lalr",
        lexer=_TokenFeed,
        transformer=_BuildTree(),
    )


def parse(text: str) -> Document:
    """Parse Markdown ``text`` (decoded, BOM removed, line endings as in the file)."""
    raw_lines = split_lines(text)
    lines = [strip_eol(line) for line in raw_lines]
    matter, first_body_line, unterminated = front_matter(raw_lines)
    lexer = BlockLexer(lines)
    tokens = lexer.run(first_body_line)
    if lexer.references:  # "[label]" in a heading is a link only once its definition is known
        for token in tokens:
            if token.type == "HEADING":
                heading: Heading = _node(token)
                heading.title = plain_text(heading.raw, lexer.references)
    if matter is not None:
        tokens.insert(0, _front_matter_token(matter))
    document: Document = _parser().parse(sections(tokens))  # type: ignore[assignment]
    document.text = text
    document.lines = lines
    document.line_starts = list(itertools.accumulate((len(line) for line in raw_lines), initial=0))
    document.front_matter_unterminated = unterminated
    return document


def _front_matter_token(matter: FrontMatter) -> Token:
    token = BlockToken("FRONT_MATTER", "FRONT_MATTER", line=1)
    token.node = matter
    return token
