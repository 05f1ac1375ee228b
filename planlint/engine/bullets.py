"""The fix for a numbered list where bullets belong: every numbered list in it becomes a bullet
list, nested ones included, with its content re-indented to the shorter marker.

``1. Check CI`` becomes ``- Check CI``; the item's other lines (continuations, nested lists,
code) move left by as many columns as the marker lost, so that everything stays inside the item
it belonged to. A list that uses tabs for indentation, or nests absurdly deep, gets no fix:
re-indenting it could change what belongs to which item.
"""

from __future__ import annotations

from planlint.core.results import Edit, Fix
from planlint.markdown.nodes import Blank, Block, Document, ListBlock, ListItem, walk_blocks

MAX_NESTED_LISTS = 200  # beyond this a fix is no longer something a person would review


def bullets_fix(document: Document, root: ListBlock, bullets: dict[int, str]) -> Fix | None:
    """``bullets``: ``planned_bullets(document)``, computed once for all the lists."""
    lists = [block for block in walk_blocks([root]) if isinstance(block, ListBlock)]
    numbered = [block for block in lists if block.ordered]
    if len(lists) > MAX_NESTED_LISTS:
        return None
    edits: list[Edit] = []
    for block in numbered:
        bullet = bullets.get(id(block), "-")
        shift = _can_shift(document, block)
        for item in block.items:
            item_edits = _item_edits(document, item, bullet, shift)
            if item_edits is None:
                return None
            edits.extend(item_edits)
    return Fix("turn the numbered list into bullets", tuple(edits))


def _can_shift(document: Document, block: ListBlock) -> bool:
    """Whether the items may get a narrower marker ("- " for "10. ") and their lines move left.

    Not when the items' markers sit at different columns (a narrower item would swallow the
    next one as a child), nor when the line after the list is indented at least two columns
    (``  - note`` after ``1. step`` is a list of its own; under ``- step`` it would become the
    item's child). Then the bullet is padded to the number's width instead: ``-  step``.
    """
    if len({item.start_column for item in block.items}) > 1:
        return False
    if any(_risky_lazy_line(document, item) for item in block.items):
        return False
    column = block.start_column - 1
    quotes = document.lines[block.start_line - 1][:column].count(">")
    for number in range(block.end_line, len(document.lines)):  # the lines after the list
        text = document.lines[number]
        if not text.strip():
            continue
        before = text[:column]
        if before.strip(" >") or before.count(">") != quotes:
            return True  # text left of the list's column: the line is outside the list's item
        rest = text[column:]
        indent = len(rest) - len(rest.lstrip(" "))
        return indent < 2 and not rest.startswith("\t")
    return True


def _risky_lazy_line(document: Document, item: ListItem) -> bool:
    """A lazy continuation line (less indented than the item's content, yet part of its
    paragraph) that would start a block once the content column moved left to meet it:
    ``1. Create`` followed by ``    1. Note`` is one paragraph; under ``- Create`` the second
    line would be a nested list. Lines that start with a letter are only ever text."""
    column = item.start_column - 1
    after = document.lines[item.start_line - 1][column + len(item.marker) :]
    content = column + len(item.marker) + max(1, len(after) - len(after.lstrip(" ")))
    for text in document.lines[item.start_line : item.end_line]:
        stripped = text.lstrip(" >")
        if stripped and len(text) - len(text.lstrip(" ")) < content and not stripped[0].isalpha():
            return True
    return False


def _item_edits(document: Document, item: ListItem, bullet: str, shift: bool) -> list[Edit] | None:
    """Replace the item's marker; with ``shift``, pull its other lines left by the columns the
    marker lost, else pad the bullet so that the item's content column stays where it was."""
    column = item.start_column - 1  # 0-based index of the marker in its line
    line = document.lines[item.start_line - 1]
    if not line.startswith(item.marker, column) or "\t" in line[: column + len(item.marker) + 5]:
        return None
    after = line[column + len(item.marker) :]
    spaces = len(after) - len(after.lstrip(" "))
    marker_line, start = item.start_line, column + 1
    if not after.strip() or spaces > 4:
        # Content starts on the next line, or is indented code: one space belongs to the
        # marker, and a bullet cannot be padded without changing where the content starts.
        if not shift:
            return None
        width = len(item.marker) + 1
        edits = [Edit(marker_line, start, marker_line, start + len(item.marker), bullet)]
    else:
        width = len(item.marker) + spaces
        if not shift:
            if width - 1 > 4:  # five spaces after a bullet would start indented code
                return None
            padded = bullet + " " * (width - 1)
            return [Edit(marker_line, start, marker_line, start + width, padded)]
        edits = [Edit(marker_line, start, marker_line, start + width, bullet + " ")]
    lost = width - 2  # the content column moves from marker + width to marker + 2
    for number in range(item.start_line + 1, item.end_line + 1):
        text = document.lines[number - 1]
        if not text.strip():
            continue
        if "\t" in text[: column + width]:
            return None
        if text[column : column + lost] == " " * lost:
            edits.append(Edit(number, column + 1, number, column + 1 + lost, ""))
        # else: a lazy continuation line, which continues the paragraph wherever it starts
    return edits


def planned_bullets(document: Document) -> dict[int, str]:
    """The bullet each numbered list (by ``id``) gets, unlike the lists just before and after
    it in its container (blank lines skipped): two adjacent lists with one bullet would merge
    into one. That holds for a bullet list beside it, and for a numbered list beside it that
    becomes bullets too ("1." and "2)" lists are two lists; "- " and "- " would be one). Lists
    are taken in document order, so each numbered list avoids the bullet of the one before."""
    planned: dict[int, str] = {}
    containers: list[list[Block]] = [document.body()]
    containers += [block.children_blocks() for block in walk_blocks(document.body())]
    for children in containers:
        solid = [child for child in children if not isinstance(child, Blank)]
        for index, child in enumerate(solid):
            if not (isinstance(child, ListBlock) and child.ordered):
                continue
            near = (*solid[max(index - 1, 0) : index], *solid[index + 1 : index + 2])
            taken = {_bullet_of(block, planned) for block in near if isinstance(block, ListBlock)}
            planned[id(child)] = next((b for b in "-*+" if b not in taken), "-")
    return planned


def _bullet_of(block: ListBlock, planned: dict[int, str]) -> str:
    """The bullet a list has, or (numbered) will have once fixed; "" when not yet planned."""
    if block.ordered:
        return planned.get(id(block), "")
    return block.items[0].marker if block.items else ""
