"""Is a section still to be written? A skeleton's hints, the sections ``--fix`` inserts and a
draft's ``TODO`` lines hold placeholders and nothing else: content rules leave such a section
to ``unfilled-placeholder``."""

from __future__ import annotations

import re

from planlint.core.frozen import lazy_pattern
from planlint.markdown.nodes import (
    Blank,
    Block,
    Code,
    HtmlBlock,
    Leaf,
    Section,
    Table,
    ThematicBreak,
    walk_blocks,
)
from planlint.prose.text import is_filler, placeholders


def holds_only_placeholders(section: Section) -> bool:
    """Does the section, subsections included, hold placeholders and nothing else? Each line
    is a placeholder ("<owner>", "TBD"), a label still waiting for its value ("Owner:
    <name>"), or a to-do note ("TODO (rule): what to write", the line --fix inserts); and
    there is no code. An empty section is not: empty-section and the content rules judge it
    as before."""
    found = False
    for block in walk_blocks([section]):
        if isinstance(block, Code):
            return False  # a command is content, whatever the prose around it
        for text in _texts(block, section):
            if is_filler(text):
                found = found or bool(placeholders(text))
            elif _opens_with_marker(text) or _label_unfilled(text):
                found = True
            else:
                return False
    return found


def _texts(block: Block, root: Section) -> list[str]:
    """What a block says, as the units a placeholder reading judges: a paragraph or item
    whole (a to-do note wraps), each table row, a subsection's title."""
    if isinstance(block, Section):
        return [] if block is root else [block.title]
    if isinstance(block, Table):
        return [line.text for line in block.lines]
    if isinstance(block, Leaf) and not isinstance(block, (HtmlBlock, Blank, ThematicBreak)):
        return [" ".join(line.text for line in block.lines)]
    return []


_LABEL = lazy_pattern(r"^\W*\w[\w /&'-]{0,40}?\W*:")


def _label_unfilled(text: str) -> bool:
    """A label and a placeholder for its value: "**Owner:** <name>", "Rollback: TBD"."""
    label = _LABEL.match(text)
    value = text[label.end() :] if label else ""
    return bool(placeholders(value)) and is_filler(value)


def _opens_with_marker(text: str) -> bool:
    """Does the text open with a TODO, TBD, FIXME or TBA marker (after markup such as "- [ ]"
    or "**")? Of the placeholders, only those markers are plain letters."""
    found = placeholders(text)
    if not found or not found[0].text.isalpha():
        return False
    return re.sub(r"[\W_]+", "", text[: found[0].start]) == ""
