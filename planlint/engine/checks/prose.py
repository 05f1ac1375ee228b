"""Prose: placeholders, leaked prompts, and what the rollback and verification sections claim."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from re import Pattern
from typing import TYPE_CHECKING

from planlint.core.frozen import lazy_pattern
from planlint.core.regexcache import compile_pattern
from planlint.engine.check_api import CheckContext, CheckKind, Finding, at_block
from planlint.markdown.nodes import Block, Code, HtmlBlock, Line, walk_blocks
from planlint.prose.evidence import Statement, reading_units, statements
from planlint.prose.literals import hides_matches, leading_literal, literal_cues
from planlint.prose.text import (
    Match,
    ProseLines,
    code_spans,
    command_placeholders,
    is_negated,
    lines_with,
    placeholders,
    prose_lines,
    sentences,
)

if TYPE_CHECKING:  # the models validate packs; a check reads their fields
    from planlint.engine.options import NoOptions
    from planlint.engine.options.prose import CriterionOptions, EvidenceOptions, PatternOptions


def _at(line: Line, start: int, end: int, **args: object) -> Finding:
    return Finding(line.number, line.column + start, line.number, line.column + end, args)


def unfilled_placeholders(ctx: CheckContext, options: NoOptions) -> Iterator[Finding]:
    """Template placeholders left in the plan: `$NOTES`, `{{name}}`, `[X%]`, `<release
    notes>`, TODO/TBD, and a slot left in a command (`--cluster <connect-cluster>`). Prose
    and front matter; code only for command slots."""
    lines = list(prose_lines(ctx.scope_blocks()))
    if ctx.document.front_matter is not None:
        lines = ctx.document.front_matter.lines + lines
    # A slot left in a command (`… <connect-cluster>`) is looked for only in a plan that
    # has one somewhere: one search of the text, where most plans end it.
    in_commands = bool(command_placeholders(ctx.document.text))
    for line in lines:
        found = placeholders(line.text)
        if in_commands and "<" in line.text and "`" in line.text:
            for start, end in code_spans(line.text):
                slots = command_placeholders(line.text[start:end])
                found += [Match(m.text, start + m.start, start + m.end) for m in slots]
        for match in sorted(found, key=lambda match: match.start):
            yield _at(line, match.start, match.end, placeholder=match.text)
    for block in ctx.scope_walk() if in_commands else ():
        if isinstance(block, Code) and (block.info.split() or [""])[0].lower() in _SHELL_INFO:
            for line in block.lines:
                for match in command_placeholders(line.text):
                    yield _at(line, match.start, match.end, placeholder=match.text)


# Code blocks that hold commands to run (an untagged fence too: most plans leave it bare).
_SHELL_INFO = frozenset({"", "sh", "bash", "shell", "console", "zsh", "shell-session"})


@functools.lru_cache(maxsize=64)
def _literals(patterns: tuple[str, ...]) -> list[tuple[str, tuple[str, ...] | None]]:
    """Each pattern with the lower-case words one of which starts every match of it: the
    longest plain text it opens with (``leading_literal``), else the words each of its
    alternatives opens with (``literal_cues``); None when it has none.

    A case-insensitive regex that opens with ``\\b`` is tried at every character of every line;
    ``"you are" in line.lower()`` is not, and rules out nearly every line first. A pattern is
    compiled only when its words occur: most plans never need most of them.
    """
    return [(p, _cues_of(p)) for p in patterns]


def _cues_of(pattern: str) -> tuple[str, ...] | None:
    if literal := leading_literal(pattern):
        return (literal,)
    cues = literal_cues(pattern, re.IGNORECASE)
    if cues is None and pattern.startswith("<"):  # "</?thinking>": a tag's sign is cue enough
        return ("<",)
    return cues


@functools.lru_cache(maxsize=512)
def _ignoring_case(pattern: str) -> Pattern[str]:
    return compile_pattern(pattern, re.IGNORECASE)


def prompt_leak(ctx: CheckContext, options: PatternOptions) -> Iterator[Finding]:
    """Generated plans sometimes carry the prompt that made them; HTML comments count too."""
    patterns = _literals(tuple(p.pattern for p in options.patterns))
    roots = ctx.scope_blocks()
    found = list(prose_lines(roots))
    found += [
        line for block in ctx.scope_walk() if isinstance(block, HtmlBlock) for line in block.lines
    ]
    lines = ProseLines(sorted(found, key=lambda item: item.number))
    joined, _ = lines.joined()
    folds = hides_matches(joined)
    # Each pattern is tried only on the lines that hold one of its words, found with str.find
    # in the whole text: most plans hold none, and lines × patterns is the cost otherwise.
    tried: dict[int, list[int]] = {}  # line index → the patterns to try there, in order
    for number, (pattern, cues) in enumerate(patterns):
        if cues is None or folds:
            indexes: Iterable[int] = range(len(lines))
        else:
            indexes = lines_with(lines, cues, at_word_start=pattern.startswith("\\b"))
        for index in indexes:
            tried.setdefault(index, []).append(number)
    for index in sorted(tried):
        line = lines[index]
        for number in tried[index]:
            match = _ignoring_case(patterns[number][0]).search(line.text)
            if match:
                yield _at(line, match.start(), match.end(), text=match.group(0))
                break


def evidence(ctx: CheckContext, options: EvidenceOptions) -> Iterator[Finding]:
    """The plan must state that something was done ("Rollback rehearsed in staging on
    2026-11-20"), in the scope section or in the sections ``also_in`` names ("*": anywhere).

    Read through ``planlint.prose.evidence``: a statement that denies it ("has not been
    tested"), only plans it ("drill planned for next sprint") or is an unticked box does not
    count, and is quoted when nothing else does.
    """
    evidence_re = compile_pattern(options.evidence.pattern, re.IGNORECASE)
    subject_re = compile_pattern(options.subject.pattern, re.IGNORECASE)
    label_re = compile_pattern(options.label.pattern, re.IGNORECASE) if options.label else None
    on_lines = ctx.facts.prose.lines_for([evidence_re])  # the lines a term can be on
    detail_re = compile_pattern(options.detail.pattern, re.IGNORECASE) if options.detail else None

    def satisfied(found: list[Statement]) -> bool:
        done = [statement for statement in found if statement.stance == "done"]
        # "rehearsed on staging on 2026-11-20": done, and with the detail asked for
        return any(detail_re is None or detail_re.search(s.unit.raw) for s in done)

    found = list(statements(ctx.scope_blocks(), evidence_re, subject_re, label_re, on_lines))
    if satisfied(found):
        return  # the section says it: the rest of the plan need not be read
    # Elsewhere a statement must name the subject itself ("the rollback was rehearsed"): "it
    # was tested" in another section is about something else.
    elsewhere = options.subject_elsewhere or options.subject
    elsewhere_re = compile_pattern(elsewhere.pattern, re.IGNORECASE)
    other = _other_blocks(ctx, options.also_in)
    found += statements(other, evidence_re, elsewhere_re, on_lines=on_lines)
    if satisfied(found):
        return
    done = [statement for statement in found if statement.stance == "done"]
    against = next(iter(done or found), None)
    if against is not None:
        unit = against.unit
        lead = len(unit.text) - len(unit.text.lstrip())
        start = unit.line.column + unit.start + lead
        # A wrapped unit is underlined on its first line only.
        line_end = len(ctx.document.lines[unit.line.number - 1]) + 1
        end = min(unit.line.column + unit.start + len(unit.text.rstrip()), line_end)
        detail = f"it says {against.quote!r}"
        if against.stance == "done":
            detail += f", without {options.detail_name}"
        yield Finding(
            unit.line.number, start, unit.line.number, max(end, start + 1), {"detail": detail}
        )
    elif ctx.outline.profile.name not in options.silence_allowed_in:
        for section in ctx.scope[:1]:
            where = "in the plan" if options.also_in else "in this section"
            yield at_block(ctx.document, section, detail=f"nothing {where} says it was done")


def _other_blocks(ctx: CheckContext, also_in: Sequence[str]) -> list[Block]:
    """The sections ``also_in`` names by id ("*": every section outside the scope, and the
    text before the first heading)."""
    if "*" not in also_in:
        return [section for section_id in also_in for section in ctx.outline.sections(section_id)]
    inside = {id(block) for section in ctx.scope for block in walk_blocks([section])}
    blocks: list[Block] = list(ctx.document.blocks)
    for section in ctx.document.walk_sections():
        if id(section) not in inside:
            blocks += section.blocks
    return blocks


_SYMBOL_THEN_NUMBER = lazy_pattern(
    r"(?:<=|>=|<|>|≤|≥|==|=)\s*~?\d"
    r"|\b(?:exceeds?|exceeding|over|under|above|below|more\s+than|less\s+than|fewer\s+than|"
    r"greater\s+than|at\s+least|at\s+most|drops?\s+below|rises?\s+above|exactly|"
    r"(?:returns?|goes|go|falls?|drops?|comes?|back)\s+(?:back\s+)?to)\s+~?\d",
    re.IGNORECASE,
)


def measurable_criterion(ctx: CheckContext, options: CriterionOptions) -> Iterator[Finding]:
    """At least one sentence (or table row) names a metric, a comparator and a quantity."""
    metric = compile_pattern(options.metric.pattern, re.IGNORECASE)
    quantity = compile_pattern(options.quantity.pattern, re.IGNORECASE)
    before = compile_pattern(rf"(?:{options.comparator.pattern})\s*$", re.IGNORECASE)
    after = compile_pattern(options.comparator_after.pattern, re.IGNORECASE)
    durations = compile_pattern(options.durations.pattern, re.IGNORECASE)
    zero = compile_pattern(options.zero.pattern, re.IGNORECASE) if options.zero else None
    for sentence, _ in reading_units(ctx.scope_blocks()):
        text = sentence.text
        if zero is not None and zero.search(text):
            return  # "0 denials", "no auth errors": a limit of zero
        if _SYMBOL_THEN_NUMBER.search(text):
            return  # "lag < 5,000", "depth exceeds 100k": a comparison makes a threshold
        if not metric.search(text):
            continue
        for amount in quantity.finditer(text):
            comparator = before.search(text[max(0, amount.start() - 30) : amount.start()])
            deadline = comparator and comparator.group(0).strip().lower() == "within"
            if deadline and durations.search(amount.group(0)):
                continue  # "within 5 minutes of the deploy" is when to look, not a limit
            if comparator or after.match(text[amount.end() :]):
                return
    for section in ctx.scope[:1]:
        yield at_block(ctx.document, section, title=section.title)


_ON = lazy_pattern(r"\b(?:on|enabled?|true|activated?)\b|\b100\s*%", re.IGNORECASE)
_OFF = lazy_pattern(r"\b(?:off|disabled?|false|deactivated?)\b|(?<![\d.])0\s*%", re.IGNORECASE)
_BOTH = lazy_pattern(
    r"\b(?:both\s+(?:states|ways|settings|values|positions)|on\s*(?:and|/|&)\s*off|"
    r"off\s*(?:and|/|&)\s*on|enabled\s*(?:and|/|&)\s*disabled|disabled\s*(?:and|/|&)\s*enabled|"
    r"either\s+state|(?:with|flag|toggle)\s+(?:\S+\s+){0,2}?(?:off|on)\b[^.;]{0,120}?\b(?:and|&|/|then)\s+(?:on|off))\b",
    re.IGNORECASE,
)
# "we don't re-test it", "it isn't re-checked", "is not covered", "no need to verify"
_NOT_CHECKED = lazy_pattern(
    r"(?:\b(?:do|does|did|is|are|was|were|wo|will|has|have|had|need)n['’]?t|\b(?:not|never)|"
    r"\bno\s+need\s+to)\s+(?:be(?:en)?\s+|get\s+)?(?:re-?)?"
    r"(?:test|check|verif|validat|cover|exercis)\w*\b",
    re.IGNORECASE,
)
_FLAG_WORDS = r"\b(?:flag|toggle|feature\s+gate|kill\s*switch)\b"
FLAG_DISTANCE = 4  # words between a state and the flag it is about ("with the flag on")


def _word_index(text: str) -> list[int]:
    """For each character of ``text``, the index of the word it belongs to (or follows)."""
    index = [0] * (len(text) + 1)
    word = -1
    in_word = False
    for position, char in enumerate(text):
        if not char.isspace() and not in_word:
            word += 1
        in_word = not char.isspace()
        index[position] = max(word, 0)
    index[len(text)] = max(word, 0)
    return index


def flag_states(ctx: CheckContext, options: NoOptions) -> Iterator[Finding]:
    """With a feature flag declared, verification must cover it both on and off; a state
    counts only near a mention of the flag ("relies on pricing-v3" is not "flag on")."""
    flag = ctx.facts.flag
    if flag is None:
        return
    name = re.escape(flag.value.strip("`"))
    # Made of the plan's own flag name: not one for the kept patterns, which would fill up with
    # a corpus's names.
    mention = re.compile(rf"(?<![\w-]){name}(?![\w-])|{_FLAG_WORDS}", re.IGNORECASE)
    states: set[str] = set()
    for sentence in sentences(ctx.scope_blocks()):
        raw = sentence.raw
        mentions = [m.start() for m in mention.finditer(raw)]
        if sentence.checked is False or not mentions:
            continue
        words = _word_index(raw)
        near = {words[m] for m in mentions}
        for state, pattern in (("on", _ON), ("off", _OFF), ("on", _BOTH), ("off", _BOTH)):
            for match in pattern.finditer(raw):
                if min(abs(words[match.start()] - w) for w in near) > FLAG_DISTANCE:
                    continue
                if is_negated(raw, match.start(), match.end()):
                    continue
                clause_end = raw.find(";", match.end())
                if _NOT_CHECKED.search(
                    raw, match.end(), clause_end if clause_end >= 0 else len(raw)
                ):
                    continue  # "the flag-off path is the old code, so we don't re-test it"
                states.add(state)
    missing = {"on", "off"} - states
    if not missing:
        return
    detail = "on or off" if len(missing) == 2 else f"with it {missing.pop()}"
    for section in ctx.scope[:1]:
        yield at_block(ctx.document, section, flag=flag.value, detail=detail)


# The check kinds this module provides: the table in planlint.engine.kinds lists them.
KINDS = (
    CheckKind("placeholders", unfilled_placeholders, None, scoped=False),
    CheckKind("prompt-leak", prompt_leak, "prose.PatternOptions", scoped=False),
    CheckKind("evidence", evidence, "prose.EvidenceOptions", scoped=True),
    CheckKind("measurable-criterion", measurable_criterion, "prose.CriterionOptions", scoped=True),
    CheckKind("flag-states", flag_states, None, scoped=True),
)
