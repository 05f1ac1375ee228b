"""Deploy-plan checks: the context block, the summary, the steps and how files are referenced.

Each check reads only the sections it needs, once; the patterns that decide what counts come
from the pack (``rules/deploy-plan.yaml``), so a team can tune them without Python.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from re import Pattern
from typing import TYPE_CHECKING

from planlint.core.frozen import lazy_pattern
from planlint.core.regexcache import compile_pattern
from planlint.engine.check_api import CheckContext, CheckKind, Finding, at_block
from planlint.facts.plan import CONTEXT_TITLES, context_blocks, is_declared
from planlint.markdown.inline import plain_text
from planlint.markdown.nodes import (
    Blank,
    Block,
    Heading,
    HtmlBlock,
    Line,
    ListBlock,
    ListItem,
    Paragraph,
    Section,
    Table,
    ThematicBreak,
    walk_blocks,
)
from planlint.prose.text import (
    Sentence,
    is_negated,
    is_unrealised,
    mask_code,
    prose_lines,
    wrapped_sentences,
)

if TYPE_CHECKING:  # the models validate packs; a check reads their fields
    from planlint.engine.options.deploy import (
        DataChangeOptions,
        DetailedRollbackOptions,
        ExplainedOptions,
        FlagCleanupOptions,
        FlagRampOptions,
        Options,
        PathOptions,
        SentenceCountOptions,
        StepModeOptions,
    )


def _ignore_case(pattern: Pattern[str]) -> Pattern[str]:
    return _compiled(pattern.pattern)


@functools.lru_cache(maxsize=256)
def _compiled(pattern: str) -> Pattern[str]:
    """Options arrive compiled without flags; recompile each pattern once, not once a file."""
    return compile_pattern(pattern, re.IGNORECASE)


def _span(line: Line, start: int, end: int, **args: object) -> Finding:
    return Finding(line.number, line.column + start, line.number, line.column + end, args)


def _sections(ctx: CheckContext, ids: list[str]) -> list[Block]:
    return [section for section_id in ids for section in ctx.outline.sections(section_id)]


def _first_heading(ctx: CheckContext, **args: object) -> Iterator[Finding]:
    for section in ctx.scope[:1]:
        yield at_block(ctx.document, section, **args)


def _assertion(
    sentence: Sentence, pattern: Pattern[str], *, realised: bool = False, code: bool = False
) -> re.Match[str] | None:
    """Where the sentence says it, rather than deny it ("no schema change") or, with
    ``realised``, merely consider it ("if a migration is needed"). With ``code``, inline code
    is read as words too ("`pg_dump` of the schema taken")."""
    if sentence.checked is False:
        return None  # an unticked task box claims nothing
    text = sentence.raw.replace("`", " ") if code else sentence.text
    for match in pattern.finditer(text):
        if is_negated(text, match.start(), match.end()):
            continue
        if realised and is_unrealised(text, match.start()):
            continue
        return match
    return None


def _asserted(
    sentence: Sentence, pattern: Pattern[str], *, realised: bool = False, code: bool = False
) -> bool:
    return _assertion(sentence, pattern, realised=realised, code=code) is not None


# -- the context block ---------------------------------------------------------------------------

_NOT_CONTENT = (Blank, HtmlBlock, ThematicBreak, Heading)


def context_first(ctx: CheckContext, options: Options) -> Iterator[Finding]:
    """Nothing but a title (and comments) may come before the context block."""
    lines = [field.line for field in ctx.facts.context.values()]
    if not lines:
        return  # no context block at all: missing-context-block reports that
    first = min(lines)
    for block in context_blocks(ctx.document):
        children = block.blocks if isinstance(block, Section) else [block]
        for child in children:
            if isinstance(child, _NOT_CONTENT) or child.end_line >= first or _is_label(child):
                continue
            yield at_block(ctx.document, child, line=first)
            return


def _is_label(block: Block) -> bool:
    """The template's own lead-in, "Deployment Context:", names the block; it is no text."""
    if not isinstance(block, Paragraph) or len(block.lines) != 1:
        return False
    label = plain_text(block.lines[0].text).strip().rstrip(":").strip().lower()
    return label in CONTEXT_TITLES


def context_explained(ctx: CheckContext, options: ExplainedOptions) -> Iterator[Finding]:
    """A declared WINDOW or FLAG must be mentioned in the scope section (the summary).

    A denial still counts: "the window does not constrain the deploy" says how it shapes the
    plan. Only a summary that ignores the value is reported.
    """
    if options.fact == "window":
        declared = ctx.facts.window.where if ctx.facts.window is not None else None
    else:
        declared = ctx.facts.flag
    if declared is None or not is_declared(declared.value):
        return  # both may be absent (or "none"), and then there is nothing to explain
    value = declared.value.strip("`").strip()
    named = _compiled(rf"(?<![\w-]){re.escape(value)}(?![\w-])")
    mentions = _ignore_case(options.mentions)
    for sentence in wrapped_sentences(ctx.scope_blocks()):
        if mentions.search(sentence.text) or named.search(sentence.raw):
            return
    yield from _first_heading(ctx, value=value, line=declared.line)


# -- the summary -----------------------------------------------------------------------------------

_STOP = lazy_pattern(r"(?<![.!?])[.!?]+[\"')\]*_]*(?=\s+[\"'(*_`\[]*[A-Z0-9]|\s*$)")
_ABBREVIATION = lazy_pattern(r"\b(?:e\.g|i\.e|etc|vs|approx|incl|cf|No|Nr|v)$", re.IGNORECASE)
_WORDY = lazy_pattern(r"\w")


def count_sentences(text: str) -> int:
    """Sentences in a paragraph (its lines joined): a fragment without a full stop counts as
    one, as a bullet does; "e.g." and "v2.14.0" do not end a sentence."""
    text = mask_code(text).strip()
    count = 0
    start = 0
    for stop in _STOP.finditer(text):
        if _ABBREVIATION.search(text[start : stop.start()]):
            continue
        if _WORDY.search(text, start, stop.start()):
            count += 1
        start = stop.end()
    if _WORDY.search(text, start):
        count += 1
    return count


def sentence_count(ctx: CheckContext, options: SentenceCountOptions) -> Iterator[Finding]:
    """The scope section's paragraphs and bullets hold between ``min`` and ``max`` sentences."""
    count = sum(
        count_sentences(block.text)
        for block in walk_blocks(ctx.scope_blocks())
        if isinstance(block, Paragraph)
    )
    if count == 0 or options.min <= count <= options.max:
        return  # an empty section is empty-section's to report
    sentences = f"{count} sentence" if count == 1 else f"{count} sentences"
    yield from _first_heading(ctx, sentences=sentences, min=options.min, max=options.max)


# -- pre-deployment checks ---------------------------------------------------------------------


def backup_for_data_change(ctx: CheckContext, options: DataChangeOptions) -> Iterator[Finding]:
    """A release that changes the database needs a backup among the pre-deployment checks."""
    change = _ignore_case(options.change)
    notes = ctx.facts.context.get("NOTES")
    candidates = list(wrapped_sentences(_sections(ctx, options.sources)))
    if notes is not None:
        line = Line(notes.line, notes.column, notes.value)
        candidates.insert(0, Sentence(mask_code(notes.value), line, 0))
    announced = next(
        (
            (sentence, match)
            for sentence in candidates
            if (match := _assertion(sentence, change, realised=True)) is not None
        ),
        None,
    )
    if announced is None:
        return
    backup = _ignore_case(options.backup)
    said_in_checks = wrapped_sentences(ctx.scope_blocks())
    if any(_asserted(sentence, backup, code=True) for sentence in said_in_checks):
        return
    sentence, match = announced
    said = sentence.raw[match.start() : match.end()]
    yield from _first_heading(ctx, change=said, line=sentence.line.number)


# -- deployment steps ------------------------------------------------------------------------------


def _step_lists(section: Section) -> Iterator[ListBlock]:
    """The lists directly under the section or under its subsections (nested lists are parts
    of a step, not steps)."""
    for part in section.walk_sections():
        for block in part.blocks:
            if isinstance(block, ListBlock):
                yield block


def numbered_steps(ctx: CheckContext, options: Options) -> Iterator[Finding]:
    """The steps are a numbered list (or numbered step headings), not bullets or prose."""
    for section in ctx.scope[:1]:
        lists = list(_step_lists(section))
        if any(found.ordered for found in lists):
            return
        if any(sub.number for sub in section.subsections):
            return  # "### 1. Build the image" headings number the steps
        prose = next((b for b in section.blocks if isinstance(b, (Paragraph, Table))), None)
        where = lists[0] if lists else prose
        if where is not None:  # only code, or nothing: not this rule's concern
            yield at_block(ctx.document, where)


def _item_text(item: ListItem) -> str:
    return " ".join(mask_code(line.text) for line in prose_lines(item.children))


def step_mode(ctx: CheckContext, options: StepModeOptions) -> Iterator[Finding]:
    """Each step says whether it is manual or automated. Negation does not matter here: "not
    automated" says the step is manual."""
    mode = _ignore_case(options.mode)
    blanket = _ignore_case(options.all_steps)
    for section in ctx.scope[:1]:
        for part in section.walk_sections():
            for block in part.blocks:
                if isinstance(block, Paragraph) and blanket.search(mask_code(block.text)):
                    return
        for found in _step_lists(section):
            first = 1 if found.start is None else found.start
            for number, item in enumerate(found.items, start=first):
                if not mode.search(_item_text(item)):
                    label = f"{number}" if found.ordered else f"at line {item.start_line}"
                    yield at_block(ctx.document, item, step=label)


def flag_ramp(ctx: CheckContext, options: FlagRampOptions) -> Iterator[Finding]:
    """With a flag declared, a step that is about the flag says when it goes on and how it
    ramps. A step is a top-level list item with everything nested in it, or a paragraph."""
    flag = ctx.facts.flag
    if flag is None:
        return
    name = flag.value.strip("`").strip()
    mention = _flag_mention(name, options.flag_words)
    enable, ramp = _ignore_case(options.enable), _ignore_case(options.ramp)
    enabled = ramped = False
    for step in _steps(ctx.scope[:1]):
        said = list(wrapped_sentences([step]))
        if not any(mention.search(sentence.raw) for sentence in said):
            continue
        enabled = enabled or any(_asserted(sentence, enable) for sentence in said)
        ramped = ramped or any(_asserted(sentence, ramp) for sentence in said)
    missing = [
        what
        for what, done in (("when it is enabled", enabled), ("how it ramps up", ramped))
        if not done
    ]
    if missing:
        yield from _first_heading(ctx, flag=name, detail=" or ".join(missing))


def flag_cleanup(ctx: CheckContext, options: FlagCleanupOptions) -> Iterator[Finding]:
    """With a flag declared, a sentence of the scope plans removing it (by name or as "the
    flag"); "the flag will not be removed" does not count."""
    flag = ctx.facts.flag
    if flag is None:
        return
    name = flag.value.strip("`").strip()
    mention = _flag_mention(name, options.flag_words)
    remove = _ignore_case(options.remove)
    for sentence in wrapped_sentences(ctx.scope_blocks()):
        if mention.search(sentence.raw) and _asserted(sentence, remove):
            return
    yield from _first_heading(ctx, flag=name)


def _flag_mention(name: str, flag_words: Pattern[str]) -> Pattern[str]:
    return _compiled(rf"(?<![\w-]){re.escape(name)}(?![\w-])|{flag_words.pattern}")


def _steps(sections: list[Section]) -> Iterator[Block]:
    for section in sections:
        for part in section.walk_sections():
            for block in part.blocks:
                if isinstance(block, ListBlock):
                    yield from block.items
                elif isinstance(block, Paragraph):
                    yield block


# -- rollback ------------------------------------------------------------------------------------


def detailed_rollback(ctx: CheckContext, options: DetailedRollbackOptions) -> Iterator[Finding]:
    """A high-risk release points from Rollback Readiness to a detailed rollback plan."""
    risk = (ctx.facts.get("risk") or "").strip().lower()
    level = re.split(r"[^\w-]", risk, maxsplit=1)[0]  # "high (schema migration)" is high
    reason = f"risk: {level}" if level in options.levels else None
    if reason is None:
        high = _ignore_case(options.high_risk)
        notes = ctx.facts.context.get("NOTES")
        said = list(wrapped_sentences(_sections(ctx, options.sources)))
        if notes is not None:
            said.insert(0, Sentence(mask_code(notes.value), Line(notes.line, 1, notes.value), 0))
        for sentence in said:
            if _asserted(sentence, high, realised=True):
                reason = f"line {sentence.line.number} calls it high-risk"
                break
        kind = options.high_risk_in_production
        stated = ctx.facts.condition_values()
        unstated = stated["risk"] == "unknown" and stated["environment"] == "production"
        if reason is None and kind is not None and unstated:
            reason = _first_said(said, _ignore_case(kind))
    if reason is None:
        return
    reference = _ignore_case(options.reference)
    for sentence in wrapped_sentences(ctx.scope_blocks()):
        for match in reference.finditer(sentence.raw):
            if not is_negated(sentence.raw, match.start(), match.end()):
                return
    yield from _first_heading(ctx, reason=reason)


def _first_said(said: Iterable[Sentence], kind: Pattern[str]) -> str | None:
    """Why a production change with no stated risk level counts as high-risk, if it does."""
    for sentence in said:
        found = _assertion(sentence, kind, realised=True)
        if found is not None:
            change = found[0].strip().lower()
            return f"line {sentence.line.number} calls it a {change} in production"
    return None


# -- formatting ------------------------------------------------------------------------------------


def _plan_sections(ctx: CheckContext) -> Iterator[Section]:
    """Every section but a lone title heading and a "Deployment Context" section."""
    top = ctx.document.sections
    title = top[0] if len(top) == 1 and top[0].level == 1 else None
    if title is not None and not any(found is title for _, found in ctx.outline.matched):
        yield from (s for sub in title.subsections for s in sub.walk_sections())
        return
    yield from ctx.document.walk_sections()


def bullets_under_headings(ctx: CheckContext, options: Options) -> Iterator[Finding]:
    """Text directly under a heading comes as a list (or a table), not as bare paragraphs."""
    for section in _plan_sections(ctx):
        if section.normalized in CONTEXT_TITLES:
            continue
        if any(isinstance(block, (ListBlock, Table)) for block in section.blocks):
            continue
        paragraph = next((b for b in section.blocks if isinstance(b, Paragraph)), None)
        if paragraph is not None:
            yield at_block(ctx.document, paragraph, title=section.title)


# Each starts only where a run begins (a backtick run, a token), so a 10 MB line of backticks or
# dots costs linear time.
_CODE_SPAN = lazy_pattern(r"(?<!`)(`+)(?!`)([^`]+?)(?<!`)\1(?!`)")
_URL = lazy_pattern(r"(?<![\w+.-])[a-z][a-z0-9+.-]*://\S+|(?<!\S)[^\s@]+@\S+", re.IGNORECASE)
# "[" may not repeat inside the brackets: a line of ten thousand "[" must not be rescanned
# from each one (the scaling benchmark has that line).
_LINK = lazy_pattern(r"!?\[[^\[\]]*\]\([^()]*\)")


def path_references(ctx: CheckContext, options: PathOptions) -> Iterator[Finding]:
    """Scripts and configs are named as `path/file.ext` or `path/file.ext (line N)`."""
    ext = "|".join(re.escape(e.lstrip(".")) for e in options.extensions)
    bare = _compiled(rf"^[\w][\w.-]*\.(?:{ext})$")
    line_suffix = _compiled(rf"^[\w./-]+\.(?:{ext})(?::(\d+)|#L(\d+))$")
    loose = _compiled(rf"(?<![\w/.:@~$-])(?:[\w.-]+/)*[\w][\w.-]*\.(?:{ext})(?![\w/-])")
    vague = _ignore_case(options.vague)
    roots = {name.lower() for name in options.root_files}
    for line in prose_lines(ctx.document.body()):
        text = line.text
        spans = _CODE_SPAN.finditer(text) if "`" in text else ()
        for span in spans:
            content = span.group(2).strip()
            start, end = span.start(), span.end()
            numbered = line_suffix.match(content)
            if numbered:
                number = numbered.group(1) or numbered.group(2)
                path = content[: content.rfind(":" if numbered.group(1) else "#")]
                yield _span(line, start, end, text=content, advice=f"`{path} (line {number})`")
            elif bare.match(content) and content.lower() not in roots:
                yield _span(line, start, end, text=content, advice=f"`path/to/{content}`")
        prose = _LINK.sub(lambda m: " " * len(m.group(0)), mask_code(text))
        prose = _URL.sub(lambda m: " " * len(m.group(0)), prose)
        for found in loose.finditer(prose) if "." in prose else ():
            name = found.group(0)
            advice = f"`{name}`" if "/" in name else f"`path/to/{name}`"
            yield _span(line, found.start(), found.end(), text=name, advice=advice)
        for found in vague.finditer(prose):
            yield _span(
                line,
                found.start(),
                found.end(),
                text=found.group(0).strip(),
                advice="`path/file.ext`",
            )


# The check kinds this module provides: the table in planlint.engine.kinds lists them.
KINDS = (
    CheckKind("context-first", context_first, None, scoped=False),
    CheckKind("context-explained", context_explained, "deploy.ExplainedOptions", scoped=True),
    CheckKind("sentence-count", sentence_count, "deploy.SentenceCountOptions", scoped=True),
    CheckKind(
        "backup-for-data-change", backup_for_data_change, "deploy.DataChangeOptions", scoped=True
    ),
    CheckKind("numbered-steps", numbered_steps, None, scoped=True),
    CheckKind("step-mode", step_mode, "deploy.StepModeOptions", scoped=True),
    CheckKind("flag-ramp", flag_ramp, "deploy.FlagRampOptions", scoped=True),
    CheckKind("flag-cleanup", flag_cleanup, "deploy.FlagCleanupOptions", scoped=True),
    CheckKind(
        "detailed-rollback", detailed_rollback, "deploy.DetailedRollbackOptions", scoped=True
    ),
    CheckKind("bullets-under-headings", bullets_under_headings, None, scoped=False),
    CheckKind("path-references", path_references, "deploy.PathOptions", scoped=False),
)
