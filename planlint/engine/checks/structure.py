"""Structure: the profile's sections are there, once each, in order, and not empty."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import replace

from planlint.engine.packs import condition_holds
from planlint.engine.registry import CheckContext, Finding, NoOptions, at_block, check
from planlint.markdown.nodes import (
    Blank,
    Code,
    HtmlBlock,
    Leaf,
    Section,
    ThematicBreak,
    walk_blocks,
)
from planlint.text import is_filler


@check("required-sections")
def missing_sections(ctx: CheckContext, options: NoOptions) -> Iterator[Finding]:
    profile = ctx.outline.profile
    present = {spec.id for spec, _ in ctx.outline.matched}
    facts = {**ctx.facts.condition_values(), "profile": profile.name}
    for index, spec in enumerate(profile.sections):
        if spec.id in present or not spec.required or not condition_holds(spec.when, facts):
            continue
        following = next(
            (
                found[0]
                for later in profile.sections[index + 1 :]
                if (found := ctx.outline.sections(later.id))
            ),
            None,
        )
        if following is not None:
            finding = at_block(ctx.document, following, title=spec.title)
            hint = f"add '{spec.title}' before '{following.title}' (line {following.start_line})"
        else:
            last = max(len(ctx.document.lines), 1)
            finding = Finding(
                last,
                1,
                last,
                len(ctx.document.lines[-1]) + 1 if ctx.document.lines else 2,
                {"title": spec.title},
            )
            hint = f"add a '{spec.title}' section at the end of the plan"
        yield replace(finding, hint=hint)


def _increasing_run(positions: list[int]) -> set[int]:
    """Indexes of one longest strictly increasing subsequence (patience sorting)."""
    tails: list[int] = []
    tail_index: list[int] = []
    previous = [-1] * len(positions)
    for index, value in enumerate(positions):
        slot = bisect.bisect_left(tails, value)
        if slot == len(tails):
            tails.append(value)
            tail_index.append(index)
        else:
            tails[slot] = value
            tail_index[slot] = index
        previous[index] = tail_index[slot - 1] if slot else -1
    keep: set[int] = set()
    index = tail_index[-1] if tail_index else -1
    while index >= 0:
        keep.add(index)
        index = previous[index]
    return keep


@check("section-order")
def section_order(ctx: CheckContext, options: NoOptions) -> Iterator[Finding]:
    order = {spec.id: index for index, spec in enumerate(ctx.outline.profile.sections)}
    seen: set[str] = set()
    firsts = []
    for spec, section in ctx.outline.matched:
        if spec.id not in seen:
            seen.add(spec.id)
            firsts.append((spec, section))
    positions = [order[spec.id] for spec, _ in firsts]
    in_order = _increasing_run(positions)
    for index, (spec, section) in enumerate(firsts):
        if index in in_order:
            continue
        before = [firsts[i] for i in sorted(in_order) if positions[i] < positions[index]]
        after = [firsts[i] for i in sorted(in_order) if positions[i] > positions[index]]
        if before:
            place = f"after '{before[-1][0].title}'"
        else:
            place = f"before '{after[0][0].title}'" if after else "elsewhere"
        yield at_block(ctx.document, section, title=spec.title, place=place)


@check("duplicate-sections")
def duplicate_sections(ctx: CheckContext, options: NoOptions) -> Iterator[Finding]:
    first: dict[str, Section] = {}
    for spec, section in ctx.outline.matched:
        if spec.id in first:
            yield at_block(
                ctx.document, section, title=spec.title, first_line=first[spec.id].start_line
            )
        else:
            first[spec.id] = section


def _has_content(section: Section) -> bool:
    """Anything a reader could act on below the heading: text, a table, code."""
    for block in walk_blocks(list(section.children_blocks())):
        if isinstance(block, Section):
            continue  # a subsection counts through its own blocks, which the walk visits
        if isinstance(block, (Blank, ThematicBreak, HtmlBlock)) or not isinstance(block, Leaf):
            continue
        if isinstance(block, Code) or not is_filler(block.text):
            return True
    return False


@check("empty-sections")
def empty_sections(ctx: CheckContext, options: NoOptions) -> Iterator[Finding]:
    """Every section of the plan, at any level; an empty parent hides its empty children."""
    stack = list(reversed(ctx.document.sections))
    while stack:
        section = stack.pop()
        if not _has_content(section):
            yield at_block(ctx.document, section, title=section.title)
            continue
        stack.extend(reversed(section.subsections))
