"""Coverage: a section mentions each topic it must, each of its items carries what it must, a
table has the columns it needs, and no sentence uses a forbidden phrase.

These kinds are generic: the topics, columns and phrases are data in the packs. A topic is a
name and a few regular expressions; it is covered by a sentence (or a table cell) of prose that
matches one of them and does not deny it, so "rollback has not been tested" covers nothing.
Patterns are case-insensitive; validating a pack checks them, and each is compiled on first use.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Iterator, Sequence
from re import Pattern
from typing import TYPE_CHECKING, NamedTuple

from planlint.core.frozen import lazy_pattern
from planlint.engine.check_api import CheckContext, CheckKind, Finding, at_block
from planlint.markdown.inline import plain_text
from planlint.markdown.nodes import (
    Block,
    Code,
    Leaf,
    Line,
    ListBlock,
    ListItem,
    Paragraph,
    Section,
    Table,
    TableCell,
    walk_blocks,
)
from planlint.prose.evidence import reading_units
from planlint.prose.literals import (
    could_match,
    leading_literal,
    literal_cues,
    lower_for_search,
    search_at_literal,
)
from planlint.prose.text import (
    Sentence,
    clause_before,
    denies_within,
    is_filler,
    is_negated,
    is_quoted,
    is_unrealised,
    joined_position,
    mask_code,
    prose_lines,
    wrapped_sentences,
)

if TYPE_CHECKING:  # the models validate packs; a check reads their fields
    from planlint.engine.options.coverage import (
        CoversIfOptions,
        CoversOptions,
        ItemsOptions,
        PhrasesOptions,
        TableOptions,
        Topic,
    )


# -- where the prose is -------------------------------------------------------------------------


def section_content(section: Section) -> list[Block]:
    """A section's blocks and those of its subsections, subsection headings included (a
    "### Immediate (0–2 min)" heading says something); its own heading is left out."""
    content: list[Block] = []
    for part in section.walk_sections():
        if part is not section:
            content.append(part.heading)
        content.extend(part.blocks)
    return content


def scope_content(ctx: CheckContext, also_in: Iterable[str] = ()) -> list[Block]:
    content = [block for section in ctx.scope for block in section_content(section)]
    for section_id in also_in:
        for section in ctx.outline.sections(section_id):
            content.extend(section_content(section))
    return content


def has_content(blocks: Iterable[Block]) -> bool:
    """Anything beyond placeholders and comments? An empty section is empty-section's to
    report; listing every topic it lacks as well would only repeat that."""
    roots = list(blocks)
    if any(isinstance(block, (Code, Table)) for block in walk_blocks(roots)):
        return True
    return any(not is_filler(line.text) for line in prose_lines(roots))


def prose_units(
    blocks: Iterable[Block], on_lines: Container[int] | None = None
) -> Iterator[Sentence]:
    """Sentences of the prose, with each table cell as a sentence of its own (a "No" in one
    cell does not deny the next one); with ``on_lines``, only of the blocks that have a line
    among them."""
    for block in walk_blocks(list(blocks)):
        lines = block.lines if isinstance(block, Leaf) else []
        if on_lines is not None and not any(line.number in on_lines for line in lines):
            continue
        if isinstance(block, Table):
            for cell in [*block.header, *(cell for row in block.rows for cell in row)]:
                if cell.text.strip():
                    line = Line(cell.line, cell.column, cell.text)
                    yield Sentence(mask_code(cell.text), line, 0)
        elif isinstance(block, Leaf):
            yield from wrapped_sentences([block])  # "…on the / incident bridge" reads whole


def has_code(blocks: Iterable[Block]) -> bool:
    roots = list(blocks)
    if any(isinstance(block, Code) for block in walk_blocks(roots)):
        return True
    return any(mask_code(line.text) != line.text for line in prose_lines(roots))


def mentions(topic: Topic, unit: Sentence, patterns: Sequence[Pattern[str]] | None = None) -> bool:
    """Does the sentence state the topic (and not deny it)? ``patterns``: those of the
    topic's patterns worth trying (the others match nowhere near), all when None."""
    text = unit.raw.replace("`", " ") if topic.read_code else unit.text
    if topic.realised and unit.checked is False:
        return False
    for excluded in topic.exclude:
        text = excluded.sub(lambda match: " " * len(match[0]), text)
    for pattern in topic.patterns if patterns is None else patterns:
        for match in pattern.finditer(text):
            if not topic.count_negated and (
                is_negated(text, match.start(), match.end())
                or denies_within(text, match.start(), match.end())
            ):
                continue
            if topic.realised and is_unrealised(text, match.start()):
                continue
            return True
    return False


_EMPTY_ANSWER = lazy_pattern(r"(?:n/?a|none|tbd|todo|unknown|\?+)", re.IGNORECASE)


def _cell_says(text: str) -> bool:
    plain = plain_text(text).strip(" .*_")
    return not is_filler(plain) and _EMPTY_ANSWER.fullmatch(plain) is None


def uncovered(topics: Sequence[Topic], blocks: Sequence[Block]) -> list[Topic]:
    """The topics no sentence of ``blocks`` covers, in their declared order; one pass over
    the prose, which stops as soon as everything is covered."""
    remaining = list(topics)
    if any(topic.code for topic in remaining) and has_code(blocks):
        remaining = [topic for topic in remaining if not topic.code]
    cues = {id(topic): _topic_cues(topic) for topic in remaining}
    for unit, _ in reading_units(blocks):  # a table row whole, a question with its answer
        if not remaining:
            break
        words = lower_for_search(unit.raw.replace("`", " "))
        remaining = [
            topic
            for topic in remaining
            if not (_may_say(cues[id(topic)], words) and mentions(topic, unit))
        ]
    return remaining


def _topic_cues(topic: Topic) -> tuple[str, ...] | None:
    """Words one of which starts every match of every pattern of the topic (``literal_cues``),
    or None when some pattern has none."""
    found: list[str] = []
    for pattern in topic.patterns:
        cues = literal_cues(pattern.pattern, pattern.flags)
        if cues is None:
            return None
        found += cues
    return tuple(found)


def _may_say(cues: tuple[str, ...] | None, words: str | None) -> bool:
    """Could a sentence whose lowered words are ``words`` state the topic? Not when none of its
    cues occurs there: a look with ``in`` per cue, far cheaper than the patterns' search."""
    return cues is None or words is None or any(cue in words for cue in cues)


# -- covers --------------------------------------------------------------------------------------


def undeclared(ctx: CheckContext, topics: Sequence[Topic]) -> list[Topic]:
    """The topics that no fact the plan declares already covers."""
    known = ctx.facts.condition_values()
    return [topic for topic in topics if not topic.fact or known.get(topic.fact) == "unknown"]


def in_words(names: Sequence[str]) -> str:
    """Names as a reader lists them: "a", "a and b", "a, b and c"."""
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def covers(ctx: CheckContext, options: CoversOptions) -> Iterator[Finding]:
    """The scope section mentions every topic; one finding at its heading, whose ``{topic}``
    lists every missing topic in the order the rule declares them ("a, b and c"): three
    findings on one heading read as three problems where the writer sees one."""
    content = scope_content(ctx, options.also_in)
    if not has_content(content):
        return
    missing = uncovered(undeclared(ctx, options.topics), content)
    if not missing:
        return
    topics = in_words([missed.name for missed in missing])
    for section in ctx.scope[:1]:
        yield at_block(ctx.document, section, topic=topics, section=section.title)


def covers_if_mentioned(ctx: CheckContext, options: CoversIfOptions) -> Iterator[Finding]:
    """Like ``covers``, but only for a plan that mentions the trigger somewhere (in its prose,
    its declared facts such as ``change_type``, or, if asked, its code)."""
    trigger = _trigger_match(ctx, options)
    content = scope_content(ctx, options.also_in)
    if trigger is None or not has_content(content):
        return
    missing = uncovered(options.topics, content)
    if not missing:
        return
    topics = in_words([missed.name for missed in missing])
    for section in ctx.scope[:1]:
        yield at_block(
            ctx.document,
            section,
            topic=topics,
            section=section.title,
            trigger=trigger[0],
            trigger_line=trigger[1],
        )


def _trigger_match(ctx: CheckContext, options: CoversIfOptions) -> tuple[str, int] | None:
    """The first mention of the trigger that is not denied ("no schema change"), and its line."""
    for key in options.trigger_facts:
        where = ctx.facts.values.get(key)
        if where is None:
            continue
        value = where.value.replace("-", " ").replace("_", " ")  # data-migration, schema_change
        for pattern in options.trigger.patterns:
            for match in pattern.finditer(value):
                if not is_negated(value, match.start(), match.end()):
                    return f"{key}: {where.value}", where.line
    walked = ctx.document.body_blocks()
    leaves = [block for block in walked if isinstance(block, Leaf)]  # each once, not re-walked
    patterns = options.trigger.patterns
    said = ctx.facts.prose.may_match(patterns)  # most plans say few of them, if any
    for unit in prose_units(leaves, ctx.facts.prose.lines_for(said)) if said else ():
        for pattern in said:
            for match in pattern.finditer(unit.text):
                if not is_negated(unit.text, match.start(), match.end()):
                    return match.group(0), unit.line.number
    if options.trigger_in_code:
        code = [line for block in leaves if isinstance(block, Code) for line in block.lines]
        if _may_match_lines(patterns, code):
            for line in code:
                for pattern in patterns:
                    command = pattern.search(line.text)
                    if command:
                        return command.group(0), line.number
    return None


def _may_match_lines(patterns: Sequence[Pattern[str]], lines: Sequence[Line]) -> bool:
    """Could a pattern match one of the lines? One search each of their joined text."""
    if not lines:
        return False
    text = "\n".join(line.text for line in lines)
    lowered = lower_for_search(text)
    return any(could_match(pattern, text, lowered) for pattern in patterns)


# -- items-cover ---------------------------------------------------------------------------------


class Item(NamedTuple):
    label: str
    anchor: Block  # where a finding points
    content: list[Block]
    cells: tuple[tuple[str, str], ...] = ()  # a table row: (column header, cell text)
    source: Block | None = None  # the paragraph or table the item was cut from


_LABEL_LENGTH = 60


def _label(text: str) -> str:
    plain = " ".join(plain_text(text).split())
    return plain if len(plain) <= _LABEL_LENGTH else plain[: _LABEL_LENGTH - 1].rstrip() + "…"


def items_of(section: Section, kind: str) -> list[Item]:
    if kind in ("auto", "subsections") and section.subsections:
        return [
            Item(_label(sub.title), sub, [sub.heading, *section_content(sub)])
            for sub in section.subsections
        ]
    if kind == "subsections":
        return []
    found: list[Item] = []
    for block in section.blocks:
        if isinstance(block, ListBlock):
            found.extend(Item(_label(_first_line(item)), item, [item]) for item in block.items)
        elif isinstance(block, Paragraph):
            found.extend(_numbered_lines(block))
    if found or kind == "list-items":
        return found
    found = [row for block in section.blocks if isinstance(block, Table) for row in _rows(block)]
    if found or kind == "table-rows":
        return found
    return [Item(_label(section.title), section, section_content(section))]


def _by_cells(
    topics: Sequence[Topic], cells: Sequence[tuple[str, str]]
) -> tuple[list[Topic], list[Topic]]:
    """For a table row: the topics its own cell says are absent (an empty, "—" or "n/a" cell
    under the topic's ``column``), which nothing elsewhere can make up for, and the topics
    without such a column, which the prose decides."""
    absent: list[Topic] = []
    undecided: list[Topic] = []
    for topic in topics:
        column = topic.column
        held = [text for header, text in cells if column is not None and column.search(header)]
        if not held:
            undecided.append(topic)
        elif not any(_cell_says(text) for text in held):
            absent.append(topic)
    return absent, undecided


def _item_lacks(
    item: Item, topics: Sequence[Topic], open_topics: Sequence[Topic]
) -> tuple[set[int], set[int]]:
    """The ids of the topics an item lacks: those its own table cell says are absent, and
    those of ``open_topics`` (what the text around the items leaves open) it does not say."""
    absent, undecided = _by_cells(topics, item.cells)
    still_open = {id(topic) for topic in open_topics}
    lacking = [topic for topic in undecided if id(topic) in still_open]
    unsaid = uncovered(lacking, item.content)
    return {id(topic) for topic in absent}, {id(topic) for topic in unsaid}


_NUMBERED = lazy_pattern(r"^\s*\d{1,3}[.)]\s+\S")


def _numbered_lines(paragraph: Paragraph) -> Iterator[Item]:
    """A list CommonMark keeps inside a paragraph, each numbered line (and the lines wrapped
    under it) an item: "Deploy, staged:⏎2. Apply …⏎3. …" is a paragraph, because only a list
    that starts at 1 may interrupt one, but its writer and every reader see steps 2 and 3."""
    lines = paragraph.lines
    starts = [index for index, line in enumerate(lines) if _NUMBERED.match(line.text)]
    if not starts or starts == [0]:
        return  # no numbered line after the first: an ordinary paragraph
    for start, end in zip(starts, [*starts[1:], len(lines)], strict=True):
        part = lines[start:end]
        block = Paragraph(
            lines=part,
            start_line=part[0].number,
            start_column=part[0].column,
            end_line=part[-1].number,
            end_column=part[-1].column + len(part[-1].text),
        )
        yield Item(_label(part[0].text), block, [block], source=paragraph)


def _rows(table: Table) -> Iterator[Item]:
    """Each body row of a table with at least two columns and two rows as an item of its own;
    a row with a single filled cell ("**Phase 2 — canary**") heads the rows after it and is
    not an item. The header row is not read on its own (a "Validation" header says nothing
    about a row): each cell is read, as a sentence of its own, as the answer to its header
    ("symptoms: p95 +25%"), and a cell that says nothing ("—", "n/a") is left out, so its
    header covers nothing."""
    if len(table.header) < 2 or len(table.rows) < 2:
        return
    headers = [plain_text(cell.text).strip() for cell in table.header]
    lines = {line.number: line for line in table.lines}
    for row in table.rows:
        filled = [cell for cell in row if cell.text.strip()]
        if len(filled) < 2:
            continue
        number = row[0].line
        line = lines.get(number, Line(number, 1, ""))
        anchor = Paragraph(
            lines=[line],
            start_line=number,
            start_column=1,
            end_line=number,
            end_column=len(line.text) + 1,
        )
        content: list[Block] = [
            _cell_paragraph(f"{header}: " if header else "", cell)
            for header, cell in zip(headers, row, strict=False)
            if _cell_says(cell.text)
        ]
        label = _label(" · ".join(cell.text.strip() for cell in filled[:3]))
        cells = tuple(zip(headers, (cell.text for cell in row), strict=False))
        yield Item(label, anchor, content, cells, table)


def _cell_paragraph(header: str, cell: TableCell) -> Paragraph:
    text = header + cell.text.strip()
    line = Line(cell.line, max(1, cell.column - len(header)), text)
    span = {"start_line": cell.line, "end_line": cell.line, "start_column": line.column}
    return Paragraph(lines=[line], end_column=line.column + len(text), **span)


# An item that is one stage of a staged rollout: "4. Wave 2 (50 %)", "Canary:", "Phase 3 —".
_STAGE = lazy_pattern(
    r"^\W*(?:(?:step\s+)?\d{1,3}[.):]?\s*)?(?:[^\w\s]\s*)?"
    r"(?:wave|phase|batch|stage|ring|cohort|group|tranche|canary|region|shard)\b",
    re.IGNORECASE,
)


def _first_line(item: ListItem) -> str:
    for line in prose_lines([item]):
        return line.text
    return item.marker


def items_cover(ctx: CheckContext, options: ItemsOptions) -> Iterator[Finding]:
    """Each item of the scope (a step, a scenario) mentions every topic; one finding per item,
    naming what it lacks."""
    for section in ctx.scope:
        if not has_content(section_content(section)):
            continue
        items = items_of(section, options.items)
        # What the section says for all its items ("after each step, check …", "Phase 2
        # (20 min)") holds for each of them.
        inside = {id(block) for item in items for block in walk_blocks(item.content)}
        inside.update(id(item.source) for item in items if item.source is not None)
        around = [b for b in walk_blocks(section_content(section)) if id(b) not in inside]
        topics = uncovered(options.topics, [b for b in around if isinstance(b, Leaf)])
        said_by_stages: set[int] = set()
        for item in items:
            stage = _STAGE.match(item.label) is not None
            if options.skip is not None and any(
                options.skip.search(unit.text) for unit in prose_units(item.content)
            ):
                if stage:
                    said_by_stages.update(id(topic) for topic in topics)
                continue  # "Repeat step 3 for brokers 02–09": the step it repeats says it
            absent, unsaid = _item_lacks(item, options.topics, topics)
            # "Wave 2 (50 %): -l edge-iad (10 min)": a later canary, wave, phase or batch
            # does what the earlier ones said, unless it says otherwise.
            if stage:
                said_by_stages.update(id(topic) for topic in topics if id(topic) not in unsaid)
                unsaid -= said_by_stages
            missing = [topic for topic in options.topics if id(topic) in absent | unsaid]
            if missing:
                names = in_words([topic.name for topic in missing])
                yield at_block(
                    ctx.document, item.anchor, item=item.label, missing=names, section=section.title
                )


# -- table-columns -------------------------------------------------------------------------------


def table_columns(ctx: CheckContext, options: TableOptions) -> Iterator[Finding]:
    """The scope holds a table whose header names every column; reported at the closest table
    (the one with the most of them), or at the heading when there is no table."""
    best: tuple[int, Table, list[str]] | None = None
    content = scope_content(ctx)
    if not has_content(content):
        return
    for block in walk_blocks(content):
        if not isinstance(block, Table):
            continue
        headers = [plain_text(cell.text) for cell in block.header]
        missing = [
            column.name
            for column in options.columns
            if not any(pattern.search(h) for h in headers for pattern in column.patterns)
        ]
        if not missing and len(block.rows) >= options.min_rows:
            return
        if not missing:
            missing = [f"at least {options.min_rows} row(s)"]
        score = len(options.columns) - len(missing)
        if best is None or score > best[0]:
            best = (score, block, missing)
    for section in ctx.scope[:1]:
        if best is None:
            names = in_words([column.name for column in options.columns])
            detail = f"there is no table (columns needed: {names})"
            yield at_block(ctx.document, section, section=section.title, detail=detail)
        else:
            detail = f"the table lacks {in_words(best[2])}"
            yield at_block(ctx.document, best[1], section=section.title, detail=detail)


# -- forbidden-phrases ---------------------------------------------------------------------------


def forbidden_phrases(ctx: CheckContext, options: PhrasesOptions) -> Iterator[Finding]:
    """Each phrase used as a claim: not in code, not quoted, not denied ("we do not assume it
    works"), not named as a thing to avoid. One finding per sentence."""
    # A sentence lies within one paragraph or table: only the few blocks where a phrase occurs
    # at all are split into sentences.
    blocks = [b for b in ctx.scope_walk() if isinstance(b, Leaf) and b.lines]
    texts = [" ".join(line.text.strip() for line in block.lines) for block in blocks]
    if _found_nowhere(options.phrases, texts):
        return
    for block, joined in zip(blocks, texts, strict=True):
        if _occurs(options.phrases, joined):
            yield from _phrase_findings(block, options)


# Blocks joined for one search over the whole scope: no phrase's lookahead, \s or word boundary
# reads past a block's end into the next as it would past a space ("should work" ending one
# item, "With …" starting the next).
_APART = "\n\x00\n"
_ANCHORS = ("^", "$", "\\A", "\\Z")


def _found_nowhere(phrases: Sequence[Pattern[str]], texts: list[str]) -> bool:
    """Does no phrase occur in any block? One search each, instead of one per block per
    phrase: most plans have no such phrase. Anchored phrases match differently in the joined
    text, so with one of those every block is searched."""
    if any(anchor in phrase.pattern for phrase in phrases for anchor in _ANCHORS):
        return False
    return not _occurs(phrases, _APART.join(texts))


def _occurs(phrases: Sequence[Pattern[str]], text: str) -> bool:
    lowered = lower_for_search(text)
    return any(
        search_at_literal(phrase, leading_literal(phrase.pattern), text, lowered)
        for phrase in phrases
    )


def _phrase_findings(block: Leaf, options: PhrasesOptions) -> Iterator[Finding]:
    """One finding per sentence that uses a phrase, at the phrase itself: on the line it is
    on, in a paragraph wrapped over several lines too."""
    for unit in prose_units([block]):
        text = unit.text
        match = next(
            (m for p in options.phrases for m in p.finditer(text) if _used(m, text, options)), None
        )
        if match is None:
            continue
        args = {"phrase": match.group(0), "sentence": text.strip()}
        if isinstance(block, Table):  # a cell is a line of its own
            start = unit.line.column + unit.start + match.start()
            yield Finding(unit.line.number, start, unit.line.number, start + len(match[0]), args)
            continue
        line, column = joined_position(block.lines, unit.start + match.start())
        end_line, end_column = joined_position(block.lines, unit.start + match.end())
        yield Finding(line, column, end_line, end_column, args)


def _used(match: re.Match[str], text: str, options: PhrasesOptions) -> bool:
    start, end = match.start(), match.end()
    if is_negated(text, start, end) or is_quoted(text, start, end):
        return False
    return options.excusing is None or not options.excusing.search(clause_before(text, start))


# The check kinds this module provides: the table in planlint.engine.kinds lists them.
KINDS = (
    CheckKind("covers", covers, "coverage.CoversOptions", scoped=True),
    CheckKind("covers-if-mentioned", covers_if_mentioned, "coverage.CoversIfOptions", scoped=True),
    CheckKind("items-cover", items_cover, "coverage.ItemsOptions", scoped=True),
    CheckKind("table-columns", table_columns, "coverage.TableOptions", scoped=True),
    CheckKind("forbidden-phrases", forbidden_phrases, "coverage.PhrasesOptions", scoped=False),
)
