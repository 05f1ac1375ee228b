"""Plan-level facts as rules: the context block, front matter, where numbered lists may go."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from planlint.engine.bullets import bullets_fix, planned_bullets
from planlint.engine.check_api import CheckContext, CheckKind, Finding, at_block
from planlint.markdown.nodes import Block, ListBlock, Section

if TYPE_CHECKING:  # the models validate packs; a check reads their fields
    from planlint.engine.options import NoOptions
    from planlint.engine.options.context import ContextOptions, ListScopeOptions


def context_block(ctx: CheckContext, options: ContextOptions) -> Iterator[Finding]:
    """The deploy-plan context block (NOTES, ENVIRONMENT, WINDOW, FLAG) holds every key that
    `required` lists (as bullets, a table, a code fence or `KEY=value` code spans)."""
    missing = [key for key in options.required if key.upper() not in ctx.facts.context]
    if not missing:
        return
    first = ctx.outline.matched[0][1] if ctx.outline.matched else None
    keys = " and ".join(missing)
    if first is not None:
        yield at_block(ctx.document, first, keys=keys)
    else:
        yield Finding(1, 1, 1, 2, {"keys": keys})


def front_matter(ctx: CheckContext, options: NoOptions) -> Iterator[Finding]:
    """Front matter is closed and parses, and its keys have the types planlint reads; each
    problem is reported at its line."""
    if ctx.document.front_matter_unterminated:
        end = len(ctx.document.lines[0]) + 1 if ctx.document.lines else 2
        yield Finding(
            1,
            1,
            1,
            end,
            {"problem": "the front matter opened on line 1 is never closed with '---'"},
        )
    for problem in ctx.facts.front_matter_problems:
        line = (
            ctx.document.lines[problem.line - 1] if problem.line <= len(ctx.document.lines) else ""
        )
        yield Finding(
            problem.line,
            problem.column,
            problem.line,
            max(len(line) + 1, problem.column + 1),
            {"problem": problem.message},
        )


def ordered_list_scope(ctx: CheckContext, options: ListScopeOptions) -> Iterator[Finding]:
    """Numbered lists appear only in the sections `allowed_in` names: elsewhere the template
    asks for bullets."""
    allowed = {
        id(section) for spec, section in ctx.outline.matched if spec.id in options.allowed_in
    }
    roots: list[Block] = ctx.document.body()
    bullets: dict[int, str] | None = None  # for the fixes, planned once if needed
    stack = list(reversed(roots))
    while stack:
        block = stack.pop()
        if isinstance(block, Section) and id(block) in allowed:
            continue
        if isinstance(block, ListBlock) and block.ordered:
            where = _section_title(ctx, block)
            finding = at_block(ctx.document, block, section=where)
            if bullets is None:
                bullets = planned_bullets(ctx.document)
            yield finding._replace(fix=bullets_fix(ctx.document, block, bullets))
            continue  # one report per list, however deep it nests
        stack.extend(reversed(block.children_blocks()))


def _section_title(ctx: CheckContext, block: Block) -> str:
    title = "the preamble"
    for section in ctx.document.walk_sections():
        if section.start_line <= block.start_line <= section.end_line:
            title = f"'{section.title}'"
    return title


# The check kinds this module provides: the table in planlint.engine.kinds lists them.
KINDS = (
    CheckKind("context-block", context_block, "context.ContextOptions", scoped=False),
    CheckKind("front-matter", front_matter, None, scoped=False),
    CheckKind("ordered-list-scope", ordered_list_scope, "context.ListScopeOptions", scoped=False),
)
