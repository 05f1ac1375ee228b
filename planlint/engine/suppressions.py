"""Inline suppressions written as HTML comments.

``<!-- planlint-disable rule-a, rule-b -->`` … ``<!-- planlint-enable rule-a -->``,
``<!-- planlint-disable-next-line rule -->`` and ``<!-- planlint-disable-file rule -->``.
Rules are named by name or code; naming none means every rule.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from planlint.core.frozen import lazy_pattern
from planlint.markdown.nodes import Code, Document
from planlint.prose.text import code_spans

_DIRECTIVE = lazy_pattern(
    r"<!--\s*planlint-(disable-next-line|disable-file|disable|enable)\b(?P<rules>[^>]*?)\s*-->"
)
ALL = "*"


class Directive(NamedTuple):
    kind: str
    rules: tuple[str, ...]  # names or codes as written; (ALL,) for every rule
    line: int
    column: int
    end_column: int


class Suppressions:
    __slots__ = ("_file", "_next_line", "_ranges", "directives")

    def __init__(self) -> None:
        self.directives: list[Directive] = []
        self._file: set[str] = set()
        self._next_line: dict[int, set[str]] = {}
        self._ranges: list[tuple[str, int, int]] = []  # rule, first, last line

    def suppresses(self, line: int, keys: tuple[str, str]) -> bool:
        """Is a violation of the rule known by ``keys`` (name, code) on ``line`` silenced?"""
        wanted = {ALL, *keys}
        if wanted & self._file or wanted & self._next_line.get(line, set()):
            return True
        return any(rule in wanted and first <= line <= last for rule, first, last in self._ranges)


def find_suppressions(document: Document) -> Suppressions:
    # Only a comment is a directive: not one shown in a code block, in inline code ("write
    # `<!-- planlint-disable-file -->` to silence it") or inside a front-matter string.
    code_lines = {
        line.number
        for block in document.body_blocks()
        if isinstance(block, Code)
        for line in block.lines
    }
    if document.front_matter is not None:
        code_lines.update(range(1, document.front_matter.end_line + 1))
    result = Suppressions()
    open_since: dict[str, int] = {}
    last_line = len(document.lines)
    for index, text in enumerate(document.lines, start=1):
        if "planlint-" not in text or index in code_lines:
            continue
        spans = code_spans(text) if "`" in text else []
        for match in _DIRECTIVE.finditer(text):
            if any(start <= match.start() < end for start, end in spans):
                continue
            rules = tuple(r for r in re.split(r"[\s,]+", match.group("rules")) if r) or (ALL,)
            directive = Directive(match.group(1), rules, index, match.start() + 1, match.end() + 1)
            result.directives.append(directive)
            for rule in rules:
                if directive.kind == "disable-file":
                    result._file.add(rule)
                elif directive.kind == "disable-next-line":
                    result._next_line.setdefault(index + 1, set()).add(rule)
                elif directive.kind == "disable":
                    open_since.setdefault(rule, index)
                elif rule in open_since:
                    result._ranges.append((rule, open_since.pop(rule), index))
                elif rule == ALL:  # enable everything: close every open range
                    for name, first in open_since.items():
                        result._ranges.append((name, first, index))
                    open_since.clear()
    for rule, first in open_since.items():
        result._ranges.append((rule, first, last_line))
    return result
