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
    Lexeme,
    front_matter,
    sections,
)
from planlint.markdown.nodes import (
    Block,
    BlockQuote,
    Document,
    FrontMatter,
    Heading,
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

    def blocks(self, children: list[Token]) -> list[Block]:
        run: list[Block] = _node(children[0])
        return run

    def front_matter(self, children: list[Token]) -> FrontMatter:
        node: FrontMatter = _node(children[0])
        return node

    def section(self, children: list[Any]) -> Section:
        heading: Heading = _node(children[0])
        blocks: list[Block] = []
        subsections: list[Section] = []
        for child in children[1:]:
            if isinstance(child, Section):
                subsections.append(child)
            else:
                blocks = child
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
        last: Block = subsections[-1] if subsections else blocks[-1] if blocks else heading
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
                document.blocks = child
        return document


def _fold(tokens: list[Lexeme]) -> Iterator[Token]:
    """The lexer's tokens with every list and block quote built here, from its OPEN … CLOSE
    tokens, and each run of top-level blocks between headings handed on as one BLOCKS token.

    Lark has nothing to decide inside a run (the lexer already nested the containers); what it
    parses is the section tree. Feeding it one token per run instead of one per leaf, opener
    and closer is most of a parse's saving: Lark's ``feed_token`` was two thirds of it.
    """
    open_containers: list[tuple[Lexeme, list[Any]]] = []
    run: list[Block] = []
    for token in tokens:
        kind = token.type
        if kind.endswith("_OPEN"):
            open_containers.append((token, []))
        elif kind.endswith("_CLOSE"):
            opener, children = open_containers.pop()
            built = _container(opener, children, token)
            (open_containers[-1][1] if open_containers else run).append(built)
        elif open_containers:
            open_containers[-1][1].append(token.node)
        elif kind == "HEADING":
            if run:
                yield _run_token(run)
                run = []
            yield _lark_token(kind, token.node, token.line)
        else:
            run.append(token.node)
    if run:
        yield _run_token(run)


def _container(opener: Lexeme, children: list[Any], closer: Lexeme) -> Block:
    node: Block
    if opener.type == "QUOTE_OPEN":
        node = BlockQuote(
            children=children,
            start_line=opener.line,
            start_column=opener.node.start_column,
            end_line=0,
            end_column=0,
        )
    elif opener.type == "ITEM_OPEN":
        item: ListItem = opener.node.node
        item.children = children
        node = item
    else:
        block: ListBlock = opener.node.node
        block.items = children
        node = block
    node.end_line = closer.node.last_line
    node.end_column = closer.node.end_column
    return node


def _run_token(run: list[Block]) -> Token:
    return _lark_token("BLOCKS", run, run[0].start_line)


def _lark_token(kind: str, node: object, line: int) -> Token:
    token = BlockToken(kind, kind, line=line)
    token.node = node
    return token


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
                heading: Heading = token.node
                heading.title = plain_text(heading.raw, lexer.references)
    folded = [_lark_token("FRONT_MATTER", matter, 1)] if matter is not None else []
    folded += _fold(tokens)
    document: Document = _parser().parse(sections(folded))  # type: ignore[assignment]
    document.text = text
    document.lines = lines
    document.line_starts = list(itertools.accumulate((len(line) for line in raw_lines), initial=0))
    document.front_matter_unterminated = unterminated
    return document
