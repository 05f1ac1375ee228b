"""What planlint sees in a file, for pack authors (`planlint tree`): the section tree, the
profile the file is linted as (and why), and which of the profile's sections each heading is."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from rich.console import Console
from rich.markup import escape
from rich.tree import Tree

from planlint.core.source import read_source
from planlint.engine.outline import build_outline
from planlint.markdown.nodes import Blank, Document, Section
from planlint.markdown.parser import parse
from planlint.markdown.pseudo_headings import promote_pseudo_headings

if TYPE_CHECKING:
    from planlint.engine.compiled import CompiledLinter


class ProfileMatch(NamedTuple):
    """The profile a file is linted as and, by section, the profile section it is."""

    name: str | None
    source: str | None  # one of PROFILE_SOURCES, as in the JSON report
    reason: str  # how it was chosen, or why no profile was
    sections: Mapping[int, str]  # id() of a Section → the profile section id it matched


NO_PROFILE = ProfileMatch(None, None, "", {})


def read_tree(path: Path) -> Document:
    """The file's section tree as linting sees it: numbered underlined lines and bold lead-ins
    of a plan without headings are sections (raises ``ReadError``)."""
    document = parse(read_source(path).text)
    promote_pseudo_headings(document)
    return document


def match_profile(
    linter: CompiledLinter, document: Document, path: Path, display: str
) -> ProfileMatch:
    """Which profile ``linter`` lints the file as, asked of the linter itself (so that the
    answer is the one `planlint check` acts on), and the sections of it each heading matched."""
    from planlint.engine.compiled import UNKNOWN_PROFILE

    result = linter.lint_text(document.text, display, path)
    if result.profile is None:
        why = [v.message for v in result.violations if v.rule == UNKNOWN_PROFILE]
        return NO_PROFILE._replace(reason=why[0] if why else "no profile matched")
    outline = build_outline(document, linter.profiles[result.profile])
    sections = {id(section): spec.id for spec, section in outline.every}
    return ProfileMatch(result.profile, result.profile_source, result.profile_reason, sections)


def tree_json(path: str, document: Document, match: ProfileMatch = NO_PROFILE) -> dict[str, Any]:
    """``{"path", "profile", "profile_source", "profile_reason", "headings": [...],
    "sections": [...]}``; titles have inline markup stripped, and each heading and section says
    the profile section it matched (``section_id``, null for none). A contract: fields are
    added, never renamed.

    Sections nest at most six deep (heading levels), so building this recursively is safe.
    """

    def section(node: Section) -> dict[str, Any]:
        return {
            "level": node.level,
            "title": node.title,
            "line": node.start_line,
            "end_line": node.end_line,
            "section_id": match.sections.get(id(node)),
            "children": [section(child) for child in node.subsections],
        }

    return {
        "path": path,
        "profile": match.name,
        "profile_source": match.source,
        "profile_reason": match.reason,
        "headings": [
            {
                "level": node.level,
                "title": node.title,
                "line": node.start_line,
                "section_id": match.sections.get(id(node)),
            }
            for node in document.walk_sections()
        ],
        "sections": [section(top) for top in document.sections],
    }


def _kinds(section: Section) -> str:
    counts = Counter(block.kind for block in section.blocks if not isinstance(block, Blank))
    return ", ".join(f"{kind}×{n}" if n > 1 else kind for kind, n in counts.items())


def _profile_label(match: ProfileMatch) -> str:
    # The words of `planlint check`'s own line: "linted as deploy-plan, detected from …"
    if match.name is None:
        return f"[yellow]no profile[/]: [dim]{escape(match.reason)}[/]"
    return f"linted as [bold magenta]{escape(match.name)}[/], [dim]{escape(match.reason)}[/]"


def _matched_label(match: ProfileMatch, section: Section) -> str:
    if match.name is None:
        return ""
    found = match.sections.get(id(section))
    return f"  [magenta]→ {escape(found)}[/]" if found else "  [dim]→ no section[/]"


def print_tree(
    path: str, document: Document, console: Console, match: ProfileMatch | None = None
) -> None:
    root = Tree(f"[bold]{escape(path)}[/]")
    if match is not None:
        root.add(_profile_label(match))
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
        if match is not None:
            label += _matched_label(match, section)
        branch = parent.add(label)
        stack.extend((branch, child) for child in reversed(section.subsections))
    console.print(root)
