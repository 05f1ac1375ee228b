"""Headings their authors meant that Markdown does not make headings.

Two forms are common in plans. People number setext headings::

    1) Executive summary
    --------------------

CommonMark reads that as a one-item ordered list followed by a thematic break, and renders it
so; the author meant a section heading, and every reviewer reads it as one. And a plan with no
headings under its title may open each part with a bold line ("**Executive summary.**").

The parser keeps to CommonMark (its tree is compared with markdown-it's); the engine asks for
this view, in which each such heading (level 1 for ``===``, 2 for ``---`` and bold lines) holds
what follows it up to the next one, so that a plan written this way is recognised and judged.
"""

from __future__ import annotations

import re

from planlint.markdown.headings import normalize_title, numbering_prefix
from planlint.markdown.inline import plain_text
from planlint.markdown.nodes import (
    Block,
    Document,
    Heading,
    Line,
    ListBlock,
    Paragraph,
    Section,
    ThematicBreak,
)


def promote_pseudo_headings(document: Document) -> bool:
    """Turn numbered setext-style headings, and the bold lead-in lines of a plan that has no
    headings under its title, into sections, in place. True when any was."""
    lines = document.lines
    changed = False
    if _UNDERLINED_NUMBER.search(document.text):  # most plans have none: skip the walk
        changed = _promote_in(document.blocks, document.sections, 0, lines)
        for section in list(document.walk_sections()):
            promoted = _promote_in(section.blocks, section.subsections, section.level, lines)
            changed = promoted or changed
    if not changed:
        changed = _promote_bold_lead_ins(document)
    if changed:
        document.tree_changed()
    return changed


# A numbered line with an underline right below it, anywhere in the text.
_UNDERLINED_NUMBER = re.compile(r"^ {0,3}\d{1,9}[.)][ \t].*\r?\n {0,3}(?:-+|=+)[ \t]*$", re.M)
_BOLD_LINE = re.compile(r"^(?:\*\*|__)(?P<title>[^*_]{2,80}?)[.:]?(?:\*\*|__)[.:]?\s*$")
# A question written in bold may be long: "Were upgrade and rollback tested? Was the
# upgrade->downgrade->upgrade path tested?"
# ... and answered on its own line: "* **Were upgrade and rollback tested? …** No".
_BOLD_QUESTION = re.compile(
    r"^(?:\*\*|__)(?P<title>[^*_]{2,240}?)[.:]?(?:\*\*|__)[.:]?\s*(?P<rest>\S.*)?$"
)
MIN_BOLD_HEADINGS = 3  # fewer bold lines are emphasis, not the plan's outline


def _bold_heading(
    block: Block, level: int, bold_line: re.Pattern[str] = _BOLD_LINE
) -> tuple[Heading, Paragraph | None] | None:
    """A paragraph whose first line is one bold phrase: the heading, and the rest of it."""
    if not isinstance(block, Paragraph) or not block.lines:
        return None
    first = block.lines[0]
    match = bold_line.match(first.text)
    if match is None:
        return None
    title = match.group("title").strip()
    heading = Heading(
        level=level,
        raw=title,
        title=plain_text(title),
        lines=[first],
        start_line=first.number,
        start_column=first.column,
        end_line=first.number,
        end_column=first.column + len(first.text),
    )
    rest = block.lines[1:]
    said = match.groupdict().get("rest")
    if said:  # the answer on the bold line itself
        rest = [Line(first.number, first.column + match.start("rest"), said), *rest]
    if not rest:
        return heading, None
    paragraph = Paragraph(
        lines=rest,
        start_line=rest[0].number,
        start_column=rest[0].column,
        end_line=block.end_line,
        end_column=block.end_column,
    )
    return heading, paragraph


def _promote_bold_lead_ins(document: Document) -> bool:
    """Only where the plan has no heading below its title: elsewhere bold lines are labels."""
    top = document.sections
    if len(top) > 1 or (top and top[0].subsections):
        return False
    blocks, subsections = (top[0].blocks, top[0].subsections) if top else (document.blocks, top)
    level = top[0].level + 1 if top else 2
    found = [_bold_heading(block, level) for block in blocks]
    if sum(1 for item in found if item is not None) < MIN_BOLD_HEADINGS:
        return False
    kept: list[Block] = []
    made: list[Section] = []
    for block, bold in zip(blocks, found, strict=True):
        if bold is None:
            (made[-1].blocks if made else kept).append(block)
            continue
        heading, rest = bold
        made.append(_section(heading))
        if rest is not None:
            made[-1].blocks.append(rest)
    _close(made)
    blocks[:] = kept
    subsections[:0] = made
    return True


def _section(heading: Heading) -> Section:
    number, rest = numbering_prefix(heading.title)
    return Section(
        heading=heading,
        number=number,
        normalized=normalize_title(rest),
        start_line=heading.start_line,
        start_column=heading.start_column,
        end_line=heading.end_line,
        end_column=heading.end_column,
    )


def _close(sections: list[Section]) -> None:
    for section in sections:
        last = section.blocks[-1] if section.blocks else section.heading
        section.end_line, section.end_column = last.end_line, last.end_column


def _heading(blocks: list[Block], index: int, lines: list[str]) -> Heading | None:
    """The heading that ``blocks[index:index + 2]`` spell, if they are a one-line numbered
    item directly underlined by ``---`` or ``===``."""
    if index + 1 >= len(blocks):
        return None
    item_list, rule = blocks[index], blocks[index + 1]
    if not (isinstance(item_list, ListBlock) and item_list.ordered and item_list.items):
        return None
    item = item_list.items[-1]  # "5. Verification" right after items 1–4 continues their list
    if not isinstance(rule, ThematicBreak) or rule.start_line != item.start_line + 1:
        return None
    underline = lines[rule.start_line - 1].strip()
    if not underline or set(underline) not in ({"-"}, {"="}):
        return None  # "- - -" or "***" is a rule, not an underline
    if len(item.children) != 1 or not isinstance(item.children[0], Paragraph):
        return None
    paragraph = item.children[0]
    if len(paragraph.lines) != 1:
        return None
    raw = f"{item.marker} {paragraph.lines[0].text}"
    first = Line(item.start_line, item.start_column, lines[item.start_line - 1].strip())
    return Heading(
        level=1 if underline[0] == "=" else 2,
        raw=raw,
        title=plain_text(raw),
        setext=True,
        lines=[first, Line(rule.start_line, rule.start_column, underline)],
        start_line=item.start_line,
        start_column=item.start_column,
        end_line=rule.end_line,
        end_column=rule.end_column,
    )


def _promote_in(
    blocks: list[Block], subsections: list[Section], parent_level: int, lines: list[str]
) -> bool:
    """Split ``blocks`` at each numbered setext heading into new sections placed before
    ``subsections`` (both lists are changed in place)."""
    if not any(isinstance(block, ListBlock) for block in blocks):
        return False
    kept: list[Block] = []
    made: list[Section] = []
    index = 0
    while index < len(blocks):
        heading = _heading(blocks, index, lines)
        if heading is None:
            (made[-1].blocks if made else kept).append(blocks[index])
            index += 1
            continue
        heading.level = max(heading.level, parent_level + 1)
        item_list = blocks[index]
        assert isinstance(item_list, ListBlock)
        if len(item_list.items) > 1:  # the list before it keeps its other items
            earlier = item_list.items[:-1]
            (made[-1].blocks if made else kept).append(
                ListBlock(
                    ordered=True,
                    start=item_list.start,
                    items=earlier,
                    start_line=item_list.start_line,
                    start_column=item_list.start_column,
                    end_line=earlier[-1].end_line,
                    end_column=earlier[-1].end_column,
                )
            )
        made.append(_section(heading))
        index += 2
    if not made:
        return False
    _close(made)
    blocks[:] = kept
    subsections[:0] = made
    return True


def bold_lead_sections(section: Section) -> list[Section]:
    """The parts of ``section`` that open with a bold line, as sections of their own: each list
    item whose first line is one bold phrase (``* **Were upgrade and rollback tested?**``,
    the item's other blocks its content), and each paragraph that is, the blocks after it up
    to the next such paragraph its content (and so are the blocks after a list whose last item
    is such a question: its answer, written without indenting it). Not part of the document:
    a profile's nested sections are matched against them."""
    level = section.level + 1
    found: list[Section] = []
    current: Section | None = None
    for block in section.blocks:
        bold = _bold_heading(block, level, _BOLD_QUESTION)
        if bold is not None:
            heading, rest = bold
            current = _section(heading)
            current.blocks.extend([rest] if rest is not None else [])
            found.append(current)
            continue
        if current is not None:
            current.blocks.append(block)
        if isinstance(block, ListBlock):
            items = _bold_items(block, level)
            found += items
            if items and items[-1].start_line >= block.items[-1].start_line:
                current = items[-1]  # an answer written below the list, not indented in it
    for part in found:
        if part.blocks:
            last = part.blocks[-1]
            part.end_line, part.end_column = last.end_line, last.end_column
    return found


def _bold_items(block: ListBlock, level: int) -> list[Section]:
    found: list[Section] = []
    for item in block.items:
        first = item.children[0] if item.children else None
        bold = _bold_heading(first, level, _BOLD_QUESTION) if first is not None else None
        if bold is not None:
            heading, rest = bold
            made = _section(heading)
            made.blocks.extend([*([rest] if rest is not None else []), *item.children[1:]])
            found.append(made)
        for child in item.children:
            if isinstance(child, ListBlock):
                found += _bold_items(child, level)
    return found
