"""What planlint sees in a file: the section tree, for pack authors (`planlint tree`)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.tree import Tree

from planlint.markdown.nodes import Blank, Document, Section


def tree_json(path: str, document: Document) -> dict[str, Any]:
    """``{"path", "headings": [...], "sections": [...]}``; titles have inline markup stripped.

    Sections nest at most six deep (heading levels), so building this recursively is safe.
    """

    def section(node: Section) -> dict[str, Any]:
        return {
            "level": node.level,
            "title": node.title,
            "line": node.start_line,
            "end_line": node.end_line,
            "children": [section(child) for child in node.subsections],
        }

    return {
        "path": path,
        "headings": [
            {"level": h.level, "title": h.title, "line": h.start_line} for h in document.headings()
        ],
        "sections": [section(top) for top in document.sections],
    }


def _kinds(section: Section) -> str:
    counts = Counter(block.kind for block in section.blocks if not isinstance(block, Blank))
    return ", ".join(f"{kind}×{n}" if n > 1 else kind for kind, n in counts.items())


def print_tree(path: str, document: Document, console: Console) -> None:
    root = Tree(f"[bold]{escape(path)}[/]")
    if document.front_matter is not None:
        matter = document.front_matter
        root.add(f"[dim]front matter, lines {matter.start_line}–{matter.end_line}[/]")
    preamble = [block for block in document.blocks if not isinstance(block, Blank)]
    if preamble:
        kinds = ", ".join(sorted({block.kind for block in preamble}))
        root.add(f"[dim]preamble: {kinds}[/]")
    stack: list[tuple[Tree, Section]] = [(root, top) for top in reversed(document.sections)]
    while stack:
        parent, section = stack.pop()
        label = (
            f"[bold cyan]{'#' * section.level}[/] {escape(section.title)}  "
            f"[dim]lines {section.start_line}–{section.end_line}[/]"
        )
        kinds = _kinds(section)
        if kinds:
            label += f"  [green]{escape(kinds)}[/]"
        branch = parent.add(label)
        stack.extend((branch, child) for child in reversed(section.subsections))
    console.print(root)
