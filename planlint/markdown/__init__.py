"""Markdown → section tree: a line lexer feeding a Lark LALR grammar."""

from planlint.markdown.nodes import (
    Blank,
    Block,
    BlockQuote,
    Code,
    Document,
    FrontMatter,
    Heading,
    HtmlBlock,
    Line,
    ListBlock,
    ListItem,
    Paragraph,
    Section,
    Table,
    TableCell,
    ThematicBreak,
)
from planlint.markdown.parser import parse

__all__ = [
    "Blank",
    "Block",
    "BlockQuote",
    "Code",
    "Document",
    "FrontMatter",
    "Heading",
    "HtmlBlock",
    "Line",
    "ListBlock",
    "ListItem",
    "Paragraph",
    "Section",
    "Table",
    "TableCell",
    "ThematicBreak",
    "parse",
]
