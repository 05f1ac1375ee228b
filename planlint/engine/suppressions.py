"""Inline suppressions written as HTML comments (the user's guide: docs/suppressions.md).

A directive is one comment on one line, ``<!-- planlint-WORD RULES -- REASON -->``, WORD one
of ``DIRECTIVES``. Rules are named by name or code, separated by spaces or commas; naming none
means every rule. The reason, after `` -- ``, is for people.

A comment that opens like a directive but is none (an unknown or misspelt word, no ``-->`` on
its line, a section directive outside any section) silences nothing: it is kept as an
``InvalidDirective`` for the engine to report. Whether the rules a directive names exist is the
engine's question (it knows the rules), not this module's.
"""

from __future__ import annotations

import difflib
import re
from typing import NamedTuple

from planlint.core.frozen import lazy_pattern
from planlint.markdown.nodes import Code, Document, Section
from planlint.prose.text import code_spans

DIRECTIVES = (
    "disable",
    "enable",
    "disable-line",
    "disable-next-line",
    "disable-section",
    "disable-file",
)
PREFIX = "planlint-"
ALL = "*"

# Where a directive starts. Any case, so that `<!-- PlanLint-disable -->` is reported rather
# than quietly ignored.
_OPENING = lazy_pattern(r"<!--\s*planlint-", re.IGNORECASE)
# A whole directive. Its word runs to whitespace or `-->`: a longer word is a different (maybe
# unknown) directive, never a known one followed by rules (`disable-line` is not `disable`
# naming a rule "-line").
_DIRECTIVE = lazy_pattern(
    r"<!--\s*(?P<prefix>planlint-)(?P<word>\S*?)(?=\s|-->)(?P<rules>.*?)\s*-->", re.IGNORECASE
)
_RULE_SEPARATOR = lazy_pattern(r"[\s,]+")
# Where the rules end and a reason begins, as in eslint: `planlint-disable PL201 -- why`.
_REASON = lazy_pattern(r"(?:^|\s)--(?:\s|$)")


class Directive(NamedTuple):
    kind: str  # one of DIRECTIVES
    rules: tuple[str, ...]  # names or codes as written; (ALL,) for every rule
    line: int
    column: int
    end_column: int


class InvalidDirective(NamedTuple):
    """A comment written as a directive that planlint cannot follow; it silences nothing."""

    message: str
    line: int
    column: int
    end_column: int


class Suppressions:
    __slots__ = ("_file", "_lines", "_ranges", "directives", "invalid")

    def __init__(self) -> None:
        self.directives: list[Directive] = []
        self.invalid: list[InvalidDirective] = []
        self._file: set[str] = set()
        self._lines: dict[int, set[str]] = {}  # one line each: disable-line, disable-next-line
        self._ranges: list[tuple[str, int, int]] = []  # rule, first, last line

    def suppresses(self, line: int, keys: tuple[str, str]) -> bool:
        """Is a violation of the rule known by ``keys`` (name, code) on ``line`` silenced?"""
        wanted = {ALL, *keys}
        if wanted & self._file or wanted & self._lines.get(line, set()):
            return True
        return any(rule in wanted and first <= line <= last for rule, first, last in self._ranges)


def find_suppressions(document: Document) -> Suppressions:
    result = Suppressions()
    if "<!--" not in document.text:  # the common case: no comment at all
        return result
    found, comment_only = _read_directives(document)
    open_since: dict[str, int] = {}  # disable … enable: rule → where its range opened
    for item in found:
        if isinstance(item, InvalidDirective):
            result.invalid.append(item)
        elif item.kind in ("disable", "enable"):
            result.directives.append(item)
            _open_or_close(result, item, open_since)
        else:
            problem = _cover(result, item, document, comment_only)
            if problem is None:
                result.directives.append(item)
            else:
                result.invalid.append(problem)
    for rule, first in open_since.items():
        result._ranges.append((rule, first, len(document.lines)))
    return result


def _read_directives(
    document: Document,
) -> tuple[list[Directive | InvalidDirective], set[int]]:
    """Every directive in document order, and the lines that hold directives and nothing else
    (``disable-next-line`` looks past them, so that directives can be stacked)."""
    ignored = _code_lines(document)
    found: list[Directive | InvalidDirective] = []
    comment_only: set[int] = set()
    for number, text in enumerate(document.lines, start=1):
        if "<!--" not in text or number in ignored:
            continue
        on_line, alone = _directives_on(text, number)
        found += on_line
        if alone:
            comment_only.add(number)
    return found, comment_only


def _code_lines(document: Document) -> set[int]:
    """Lines where a directive is shown, not written: code blocks and front matter (inline
    code is handled line by line)."""
    lines = {
        line.number
        for block in document.body_blocks()
        if isinstance(block, Code)
        for line in block.lines
    }
    if document.front_matter is not None:
        lines.update(range(1, document.front_matter.end_line + 1))
    return lines


def _directives_on(text: str, number: int) -> tuple[list[Directive | InvalidDirective], bool]:
    """The directives on one line, and whether the line holds nothing else."""
    spans = code_spans(text) if "`" in text else []
    found: list[Directive | InvalidDirective] = []
    outside: list[str] = []  # the line's text between directives
    position = 0
    for opening in _OPENING.finditer(text):
        start = opening.start()
        if start < position or any(begin <= start < end for begin, end in spans):
            continue  # inside the previous directive, or shown in inline code
        match = _DIRECTIVE.match(text, start)
        found.append(_parse(match, text, number, start))
        outside.append(text[position:start])
        position = match.end() if match is not None else len(text)
    outside.append(text[position:])
    return found, bool(found) and not "".join(outside).strip()


def _parse(
    match: re.Match[str] | None, text: str, line: int, start: int
) -> Directive | InvalidDirective:
    if match is None:
        written = text[start:].strip()
        message = (
            f"{written!r} is not closed with '-->' on its line: a directive is one comment on "
            "one line. It silences nothing"
        )
        return InvalidDirective(message, line, start + 1, len(text) + 1)
    column, end_column = start + 1, match.end() + 1
    word = match.group("word")
    if match.group("prefix") != PREFIX or word not in DIRECTIVES:
        written = match.group("prefix") + word
        return InvalidDirective(unknown_directive(written), line, column, end_column)
    named = _REASON.split(match.group("rules"), maxsplit=1)[0]
    rules = tuple(rule for rule in _RULE_SEPARATOR.split(named) if rule)
    return Directive(word, rules or (ALL,), line, column, end_column)


def unknown_directive(written: str) -> str:
    """What is wrong with ``planlint-WORD`` when WORD is no directive, and what to write."""
    word = written[len(PREFIX) :].lower()
    guess = difflib.get_close_matches(word, DIRECTIVES, n=1, cutoff=0.7)
    if word in DIRECTIVES:  # only the case is wrong
        guess = [word]
    did_you_mean = f" (did you mean {PREFIX}{guess[0]}?)" if guess else ""
    valid = ", ".join(PREFIX + directive for directive in DIRECTIVES)
    return f"unknown directive {written!r}{did_you_mean}; it silences nothing. Use one of: {valid}"


def _open_or_close(result: Suppressions, directive: Directive, open_since: dict[str, int]) -> None:
    for rule in directive.rules:
        if directive.kind == "disable":
            open_since.setdefault(rule, directive.line)
        elif rule == ALL:  # enable everything: close every open range, the named ones too
            for name, first in open_since.items():
                result._ranges.append((name, first, directive.line))
            open_since.clear()
        elif rule in open_since:
            result._ranges.append((rule, open_since.pop(rule), directive.line))


def _cover(
    result: Suppressions, directive: Directive, document: Document, comment_only: set[int]
) -> InvalidDirective | None:
    """Record what a directive of one scope (a line, a section, the file) silences; the
    problem instead when that scope does not exist."""
    rules = set(directive.rules)
    if directive.kind == "disable-file":
        result._file |= rules
        return None
    if directive.kind == "disable-line":
        result._lines.setdefault(directive.line, set()).update(rules)
        return None
    if directive.kind == "disable-next-line":
        target = _next_content_line(document.lines, directive.line, comment_only)
        if target is None:
            return _nothing_covered(directive, "there is no line after it")
        result._lines.setdefault(target, set()).update(rules)
        return None
    section = _section_of(document, directive.line, comment_only)
    if section is None:
        reason = (
            "it is before the first heading, in no section: put it inside the section it is "
            f"for or just above its heading, or use {PREFIX}disable-file"
        )
        return _nothing_covered(directive, reason)
    result._ranges += [(rule, section.start_line, section.end_line) for rule in rules]
    return None


def _nothing_covered(directive: Directive, reason: str) -> InvalidDirective:
    message = f"{PREFIX}{directive.kind} silences nothing: {reason}"
    return InvalidDirective(message, directive.line, directive.column, directive.end_column)


def _next_content_line(lines: list[str], after: int, comment_only: set[int]) -> int | None:
    """The line ``disable-next-line`` on line ``after`` is about: the next one that is neither
    blank nor only directives. Blank lines are allowed in between because Markdown style (and
    formatters) often want one between a comment and the heading below it."""
    for number in range(after + 1, len(lines) + 1):
        if lines[number - 1].strip() and number not in comment_only:
            return number
    return None


def _section_of(document: Document, line: int, comment_only: set[int]) -> Section | None:
    """The section a ``disable-section`` on ``line`` is about: the one whose heading comes next
    when only blank lines and directives are in between (a comment just above a heading reads
    as being about that heading, as with ``disable-next-line``), else the one it is in."""
    below = _next_content_line(document.lines, line, comment_only)
    if below is not None:
        for section in document.walk_sections():
            if section.start_line == below:
                return section
    return innermost_section(document, line)


def innermost_section(document: Document, line: int) -> Section | None:
    """The deepest section whose span (its heading to the line before the next heading of the
    same or a higher level) holds ``line``; None in the preamble."""
    found = None
    for section in document.walk_sections():  # document order: parents before children
        if section.start_line > line:
            break
        if line <= section.end_line:
            found = section
    return found
