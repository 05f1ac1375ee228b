"""The fix for a numbered list where bullets belong: every numbered list in it becomes a bullet
list, nested ones included, with its content re-indented to the shorter marker.

``1. Check CI`` becomes ``- Check CI``; the item's other lines (continuations, nested lists,
code) move left by as many columns as the marker lost, so that everything stays inside the item
it belonged to. A list that uses tabs for indentation, or nests absurdly deep, gets no fix:
re-indenting it could change what belongs to which item.
"""

from __future__ import annotations

import re

from planlint.markdown.nodes import Blank, Block, Document, ListBlock, ListItem, walk_blocks
from planlint.model import Edit, Fix

MAX_NESTED_LISTS = 200  # beyond this a fix is no longer something a person would review
_BULLET = re.compile(r"[-*+]")


def bullets_fix(
    document: Document, root: ListBlock, neighbours: dict[int, list[Block]]
) -> Fix | None:
    """``neighbours``: ``list_neighbours(document)``, computed once for all the lists."""
    lists = [block for block in walk_blocks([root]) if isinstance(block, ListBlock)]
    numbered = [block for block in lists if block.ordered]
    if len(lists) > MAX_NESTED_LISTS:
        return None
    edits: list[Edit] = []
    for block in numbered:
        bullet = _free_bullet(neighbours.get(id(block), []))
        for item in block.items:
            item_edits = _item_edits(document, item, bullet)
            if item_edits is None:
                return None
            edits.extend(item_edits)
    return Fix("turn the numbered list into bullets", tuple(edits))


def _item_edits(document: Document, item: ListItem, bullet: str) -> list[Edit] | None:
    """Replace the item's marker and pull its other lines left by the columns it lost."""
    column = item.start_column - 1  # 0-based index of the marker in its line
    line = document.lines[item.start_line - 1]
    if not line.startswith(item.marker, column) or "\t" in line[: column + len(item.marker) + 5]:
        return None
    after = line[column + len(item.marker) :]
    spaces = len(after) - len(after.lstrip(" "))
    if not after.strip() or spaces > 4:
        # Content starts on the next line, or is indented code: one space belongs to the marker.
        width = len(item.marker) + 1
        marker_edit = Edit(
            item.start_line,
            column + 1,
            item.start_line,
            column + 1 + len(item.marker),
            bullet,
        )
    else:
        width = len(item.marker) + spaces
        marker_edit = Edit(
            item.start_line, column + 1, item.start_line, column + 1 + width, bullet + " "
        )
    shift = width - 2  # the content column moves from marker + width to marker + 2
    edits = [marker_edit]
    for number in range(item.start_line + 1, item.end_line + 1):
        text = document.lines[number - 1]
        if not text.strip():
            continue
        if "\t" in text[: column + width]:
            return None
        if text[column : column + shift] == " " * shift:
            edits.append(Edit(number, column + 1, number, column + 1 + shift, ""))
        # else: a lazy continuation line, which continues the paragraph wherever it starts
    return edits


def list_neighbours(document: Document) -> dict[int, list[Block]]:
    """For each numbered list (by ``id``), the blocks just before and after it in its container
    (blank lines skipped): a bullet list there would merge with it if both used one bullet."""
    found: dict[int, list[Block]] = {}
    containers: list[list[Block]] = [document.body()]
    containers += [block.children_blocks() for block in walk_blocks(document.body())]
    for children in containers:
        solid = [child for child in children if not isinstance(child, Blank)]
        for index, child in enumerate(solid):
            if isinstance(child, ListBlock) and child.ordered:
                before = solid[max(index - 1, 0) : index]
                found[id(child)] = [*before, *solid[index + 1 : index + 2]]
    return found


def _free_bullet(neighbours: list[Block]) -> str:
    used = {
        block.items[0].marker
        for block in neighbours
        if isinstance(block, ListBlock) and not block.ordered and block.items
    }
    return next((bullet for bullet in "-*+" if bullet not in used), "-")
