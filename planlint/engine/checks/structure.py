"""Structure: the profile's sections are there, once each, in order, and not empty."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from planlint.core.edits import dominant_line_ending, line_ending
from planlint.core.frozen import lazy_pattern
from planlint.core.results import Edit, Fix
from planlint.engine.check_api import CheckContext, CheckKind, Finding, at_block
from planlint.engine.conditions import condition_holds
from planlint.engine.outline import match_spec, name_span
from planlint.markdown.headings import normalize_title, numbering_prefix
from planlint.markdown.nodes import (
    Blank,
    Code,
    Document,
    HtmlBlock,
    Leaf,
    Section,
    ThematicBreak,
    walk_blocks,
)
from planlint.prose.text import is_filler

if TYPE_CHECKING:  # the models validate packs; a check reads their fields
    from planlint.engine.options import NoOptions
    from planlint.engine.options.structure import CanonicalOptions
    from planlint.engine.packs import SectionSpec

# What an inserted section holds until someone writes it: a placeholder, so that the plan
# still fails (unfilled-placeholder) instead of passing with a hollow section.
PLACEHOLDER = "TODO: write this section."
_EOL_AT_END = lazy_pattern(r"(?:\r\n|\r|\n)\Z")


def missing_sections(ctx: CheckContext, options: NoOptions) -> Iterator[Finding]:
    """Every section the profile requires (given its `when:` facts) is in the plan, nested
    ones under the section that declares them; a missing top-level section comes with a fix
    that inserts it."""
    profile = ctx.outline.profile
    present = {spec.id for spec, _ in ctx.outline.matched}
    facts = {**ctx.facts.condition_values(), "profile": profile.name}
    open_at_end: list[bool] = []  # asked at most once per plan: it walks every block
    elsewhere_by_id: dict[str, Section] | None = None
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
        level = ctx.outline.level or 2
        fix: Fix | None
        if following is not None:
            finding = at_block(ctx.document, following, title=spec.title)
            hint = f"add '{spec.title}' before '{following.title}' (line {following.start_line})"
            fix = _insert_section_before(ctx.document, following, spec, level)
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
            if not open_at_end:
                open_at_end.append(_open_at_end(ctx.document))
            fix = None if open_at_end[0] else _append_section(ctx.document, spec, level)
        if elsewhere_by_id is None:  # walked once, and only for a plan missing a section
            elsewhere_by_id = _at_other_levels(ctx)
        elsewhere = elsewhere_by_id.get(spec.id)
        if elsewhere is not None:  # there, under a heading of another level: say so
            hint = (
                f"'{elsewhere.title}' (line {elsewhere.start_line}) is a level-{elsewhere.level} "
                f"heading, the plan's sections are level {level}: make it {'#' * level}"
            )
            fix = None
        yield finding._replace(hint=hint, fix=fix)
    yield from _missing_nested(ctx, facts)


def _at_other_levels(ctx: CheckContext) -> dict[str, Section]:
    """The profile's sections named by a heading at another level than the plan's sections
    (the first such heading each), by section id."""
    found: dict[str, Section] = {}
    specs = ctx.outline.profile.sections
    for section in ctx.document.walk_sections():
        if section.level != ctx.outline.level:
            spec = match_spec(specs, section)
            if spec is not None:
                found.setdefault(spec.id, section)
    return found


def _missing_nested(ctx: CheckContext, facts: dict[str, str]) -> Iterator[Finding]:
    """The required sections a present section declares but does not hold, each reported at
    the heading of the section it belongs in."""
    every = ctx.outline.every
    # By start line, so that the sections starting inside one are a slice found by bisection:
    # a plan of thousands of sections must not compare each with every other.
    ordered = sorted(every, key=lambda pair: pair[1].start_line)
    starts = [found.start_line for _, found in ordered]
    for parent, section in every:
        if not parent.sections:
            continue
        first = bisect.bisect_right(starts, section.start_line)
        last = bisect.bisect_right(starts, section.end_line)
        held = {spec.id for spec, _ in ordered[first:last]}
        for child in parent.sections:
            if child.id in held or not child.required or not condition_holds(child.when, facts):
                continue
            finding = at_block(ctx.document, section.heading, title=child.title)
            yield finding._replace(hint=f"add '{child.title}' under '{section.title}'")


def _section_lines(spec: SectionSpec, level: int, eol: str) -> str:
    return f"{'#' * level} {spec.title}{eol}{eol}{PLACEHOLDER}{eol}"


def _is_blank(document: Document, line: int) -> bool:
    """Line ``line`` (1-based) is blank, or does not exist (before the first line)."""
    return line < 1 or not document.lines[line - 1].strip()


def _insert_section_before(
    document: Document, following: Section, spec: SectionSpec, level: int
) -> Fix:
    line = following.start_line
    eol = line_ending(document.text, line)
    before = "" if _is_blank(document, line - 1) else eol
    text = f"{before}{_section_lines(spec, level, eol)}{eol}"
    return Fix(f"insert the '{spec.title}' section", (Edit(line, 1, line, 1, text),))


def _open_at_end(document: Document) -> bool:
    """The last line belongs to a block that runs to the end of the file (an unclosed fence or
    HTML comment): a heading appended there would be swallowed by it."""
    last = len(document.lines)
    for block in document.body_blocks():
        if block.end_line != last:
            continue
        if isinstance(block, Code) and block.fenced:
            content_end = block.lines[-1].number if block.lines else block.start_line
            if block.end_line <= content_end:
                return True
        if isinstance(block, HtmlBlock):
            return True  # whether it is closed depends on its kind; do not guess
    return False


def _append_section(document: Document, spec: SectionSpec, level: int) -> Fix:
    """Append the section; the caller has made sure no open fence would swallow it."""
    eol = dominant_line_ending(document.text)
    if not document.lines:
        text = _section_lines(spec, level, eol)
        return Fix(f"add the '{spec.title}' section", (Edit(1, 1, 1, 1, text),))
    last = len(document.lines)
    end = len(document.lines[-1]) + 1
    # Inserted before the last line's own ending (if any), so a file that ends without a
    # newline still does, and one that ends with one still does.
    separator = eol if _is_blank(document, last) else eol + eol
    text = f"{separator}{_section_lines(spec, level, eol).removesuffix(eol)}"
    return Fix(f"add the '{spec.title}' section", (Edit(last, end, last, end, text),))


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


def section_order(ctx: CheckContext, options: NoOptions) -> Iterator[Finding]:
    """The profile's sections come in the order it declares them."""
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
        fix = None
        if before:
            place = f"after '{before[-1][0].title}'"
            fix = _move_section(ctx.document, section, before[-1][1].end_line + 1)
        elif after:
            place = f"before '{after[0][0].title}'"
            fix = _move_section(ctx.document, section, after[0][1].start_line)
        else:
            place = "elsewhere"
        if fix is not None:
            fix = fix._replace(description=f"move '{section.title}' {place}")
        finding = at_block(ctx.document, section, title=spec.title, place=place)
        yield finding._replace(fix=fix)


def _move_section(document: Document, section: Section, target: int) -> Fix | None:
    """Move a section with everything in it (subsections included) so that it starts at line
    ``target`` (``len(lines) + 1``: the end of the file). This is an unsafe fix: it moves text
    the author placed, and prose elsewhere may refer to what used to surround it.

    Every heading must be an ATX heading (``## Title``): a setext heading (a line underlined
    with ``---``) could merge with a paragraph it lands next to."""
    if any(heading.setext for heading in document.headings()):
        return None
    lines, count = document.lines, len(document.lines)
    eol = dominant_line_ending(document.text)
    body = document.source_of(section)
    if not _EOL_AT_END.search(body):
        body += eol  # the last section of a file that does not end with a newline
    if section.end_line < count:
        remove = Edit(section.start_line, 1, section.end_line + 1, 1, "")
    else:
        # The last section: remove from the end of the last non-blank line before it, so
        # that the file keeps its final line ending (or its lack of one) and no blank tail.
        previous = section.start_line - 1
        while previous >= 1 and not lines[previous - 1].strip():
            previous -= 1
        if previous < 1:
            return None
        end = len(lines[count - 1]) + 1
        remove = Edit(previous, len(lines[previous - 1]) + 1, count, end, "")
    before = "" if _is_blank(document, target - 1) else eol
    if target <= count:
        after = eol if lines[section.end_line - 1].strip() else ""  # a blank line before the next
        insert = Edit(target, 1, target, 1, before + body + after)
    else:
        end = len(lines[count - 1]) + 1
        insert = Edit(count, end, count, end, eol + before + _without_blank_tail(body))
    return Fix(f"move '{section.title}'", (remove, insert), safe=False)


def _without_blank_tail(text: str) -> str:
    """``text`` without its final line ending and any blank lines before it (for text appended
    at the end of a file, which keeps its own final line ending, or lack of one)."""
    lines = text.splitlines(keepends=True)
    while lines and not lines[-1].strip():
        lines.pop()
    return _EOL_AT_END.sub("", "".join(lines))


def duplicate_sections(ctx: CheckContext, options: NoOptions) -> Iterator[Finding]:
    """No profile section appears twice at the plan's level."""
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
        if isinstance(block, Code):
            return True
        if not is_filler(block.text) and _NOT_APPLICABLE.fullmatch(block.text.strip()) is None:
            return True
    return False


# A section that says only this says nothing: "N/A", "n/a.", "None".
_NOT_APPLICABLE = lazy_pattern(r"[\s*_>-]*(?:n/?a|none|not\s+applicable)[\s*_.]*", re.IGNORECASE)


def empty_sections(ctx: CheckContext, options: NoOptions) -> Iterator[Finding]:
    """Every section of the plan, at any level (or, with a `scope:`, of those sections), with
    nothing below its heading but comments, placeholders, "N/A" and blank lines; an empty
    parent hides its empty children (`answered` reports each question of a questionnaire)."""
    stack = list(reversed(ctx.scope or ctx.document.sections))
    while stack:
        section = stack.pop()
        if not _has_content(section):
            yield at_block(ctx.document, section, title=section.title)
            continue
        stack.extend(reversed(section.subsections))


_ATX_OPENING = lazy_pattern(r" {0,3}#{1,6}(?:[ \t]+|$)")


def canonical_headings(ctx: CheckContext, options: CanonicalOptions) -> Iterator[Finding]:
    """The plan's sections under their canonical titles: not an alias, not another spelling."""
    for spec, section in ctx.outline.matched:
        title = section.title
        span = name_span(spec, title)
        if span is None:
            continue
        start, end = span
        end = _past_repeated_words(title, end, spec.title)
        name = title[start:end]
        if options.numbering == "remove" and numbering_prefix(title)[0]:
            start, reason = 0, "numbered"
        elif name == spec.title:
            continue
        elif normalize_title(name) == normalize_title(spec.title):
            reason = "spelt differently"
        else:
            reason = f"'{name}' is an alias"
        expected = title[:start] + spec.title + title[end:]
        finding = at_block(ctx.document, section, found=title, expected=expected, reason=reason)
        yield finding._replace(fix=_rename(ctx.document, section, start, end, spec.title))


def _past_repeated_words(title: str, end: int, canonical: str) -> int:
    """Where the name in ``title`` really ends: past the words after it that the canonical
    title ends with. "Pre-flight checks for the cluster" names "Preflight Checks" with its
    "checks", which the rename must take along, or it reads "Preflight Checks checks for …"."""
    words = canonical.lower().split()
    rest = title[end:]
    for count in range(len(words), 0, -1):
        tail = r"\s+".join(re.escape(word) for word in words[-count:])
        found = re.match(rf"\s+{tail}(?![\w-])", rest, re.IGNORECASE)
        if found:
            return end + found.end()
    return end


def _rename(document: Document, section: Section, start: int, end: int, text: str) -> Fix | None:
    """Replace characters ``start:end`` of the heading's title. Only for a one-line heading
    without inline markup, where the title is the text as written (renaming ``**Rollback**``
    would have to decide what becomes of the emphasis)."""
    heading = section.heading
    if heading.raw != heading.title or "\n" in heading.raw:
        return None
    line = document.lines[heading.start_line - 1]
    if heading.setext:
        offset = len(line) - len(line.lstrip())
    else:
        opening = _ATX_OPENING.match(line)
        if opening is None:
            return None
        offset = opening.end()
    if not line.startswith(heading.raw, offset):
        return None
    number = heading.start_line
    edit = Edit(number, offset + start + 1, number, offset + end + 1, text)
    return Fix(f"rename the heading to '{text}'", (edit,))


# The check kinds this module provides: the table in planlint.engine.kinds lists them.
KINDS = (
    CheckKind("required-sections", missing_sections, None, scoped=False),
    CheckKind("section-order", section_order, None, scoped=False),
    CheckKind("duplicate-sections", duplicate_sections, None, scoped=False),
    CheckKind("empty-sections", empty_sections, None, scoped=False),
    CheckKind("canonical-headings", canonical_headings, "structure.CanonicalOptions", scoped=False),
)
