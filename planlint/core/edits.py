"""Applying fixes to text: pure functions, no file I/O (the CLI and the language server use them).

An ``Edit`` addresses the decoded text (byte order mark removed) by 1-based line and 1-based
character column, end exclusive, exactly as violations do. Lines end at CR, LF or CRLF, as the
Markdown parser splits them, so positions mean the same thing here as in a report. Edits insert
their text verbatim: the checks that build them already use the line ending of the place they
edit (``line_ending``), so applying them keeps a CRLF or mixed file as it was.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from planlint.core.results import Edit, Fix
from planlint.core.source import Source, decode, split_lines

_EOL = re.compile(r"\r\n|\r|\n")


class FixError(ValueError):
    """An edit that does not fit the text (a position past the end of a line or of the text)."""


def line_starts(text: str) -> list[int]:
    """Offset of the start of every line, plus ``len(text)`` when the text ends with a line
    ending or is empty (the empty line after it, where an edit may append)."""
    starts = list(itertools.accumulate((len(line) for line in split_lines(text)), initial=0))
    if len(starts) > 1 and not text.endswith(("\n", "\r")):
        starts.pop()  # the last line has no line ending: no empty line follows it
    return starts


def dominant_line_ending(text: str) -> str:
    """The most common line ending of ``text`` ("\\n" when it has none)."""
    crlf = text.count("\r\n")  # str.count runs in C: this is asked once per fix
    counts = {"\r\n": crlf, "\n": text.count("\n") - crlf, "\r": text.count("\r") - crlf}
    best = max(counts, key=lambda eol: counts[eol])
    return best if counts[best] else "\n"


def line_ending(text: str, line: int) -> str:
    """The line ending of ``line`` (1-based), or the text's usual one when that line has none
    (the last line of a file without a final newline)."""
    starts = line_starts(text)
    if 1 <= line < len(starts):
        match = _EOL.search(text, starts[line - 1], starts[line])
        if match is not None:
            return match.group()
    return dominant_line_ending(text)


def _offset(text: str, starts: Sequence[int], line: int, column: int) -> int:
    if not 1 <= line <= len(starts) or column < 1:
        raise FixError(f"position {line}:{column} is outside the text ({len(starts)} lines)")
    start = starts[line - 1]
    end = starts[line] if line < len(starts) else len(text)
    content = len(_EOL.sub("", text[start:end]))
    if column - 1 > content:
        raise FixError(f"position {line}:{column} is past the end of line {line}")
    return start + column - 1


class _Span(NamedTuple):
    start: int
    end: int
    text: str


def _spans(text: str, starts: Sequence[int], edits: Iterable[Edit]) -> list[_Span]:
    spans = []
    for edit in edits:
        start = _offset(text, starts, edit.line, edit.column)
        end = _offset(text, starts, edit.end_line, edit.end_column)
        if end < start:
            raise FixError(f"edit {edit.line}:{edit.column} ends before it starts")
        spans.append(_Span(start, end, edit.text))
    return sorted(spans, key=lambda span: (span.start, span.end))


def _conflict(first: _Span, second: _Span) -> bool:
    """Two edits conflict when their ranges overlap, or when the result would depend on which
    is applied first: two insertions (or an insertion and a replacement) at the same point, or
    an insertion inside a replaced range. Edits that only touch (one ends where the other
    starts) do not conflict."""
    if first.start == second.start:
        return True
    if max(first.start, second.start) < min(first.end, second.end):
        return True
    for point, other in ((first, second), (second, first)):
        if point.start == point.end and other.start < point.start < other.end:
            return True
    return False


def _splice(text: str, spans: Sequence[_Span]) -> str:
    pieces = []
    position = 0
    for span in sorted(spans, key=_order):
        pieces.append(text[position : span.start])
        pieces.append(span.text)
        position = span.end
    pieces.append(text[position:])
    return "".join(pieces)


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with every edit applied; they must not conflict (``FixError`` otherwise)."""
    spans = _spans(text, line_starts(text), edits)
    for first, second in itertools.pairwise(spans):
        if _conflict(first, second):
            raise FixError("edits overlap")
    return _splice(text, spans)


class Applied(NamedTuple):
    """The text after applying fixes, the fixes applied, and those left for a later pass
    because they conflict with one applied before them."""

    text: str
    applied: tuple[Fix, ...]
    skipped: tuple[Fix, ...]


def apply_fixes(text: str, fixes: Iterable[Fix]) -> Applied:
    """Apply every fix that does not conflict with one applied before it, in text order.

    A fix is all or nothing: either every edit of it is applied or none. A fix that does not
    fit the text (``FixError``) is skipped too; re-linting the new text and applying again
    (``--fix`` does, a bounded number of times) picks up the skipped ones.
    """
    starts = line_starts(text)
    candidates: list[tuple[int, int, int, Fix, list[_Span]]] = []
    skipped: list[Fix] = []
    for index, fix in enumerate(fixes):
        try:
            spans = _spans(text, starts, fix.edits)
        except FixError:
            skipped.append(fix)
            continue
        if not spans or any(_conflict(a, b) for a, b in itertools.pairwise(spans)):
            skipped.append(fix)
            continue
        candidates.append((spans[0].start, spans[-1].end, index, fix, spans))
    accepted: list[_Span] = []  # sorted and free of conflicts, so neighbours suffice
    applied: list[Fix] = []
    for *_, fix, spans in sorted(candidates, key=lambda item: item[:3]):
        if any(_conflicts_with_accepted(span, accepted) for span in spans):
            skipped.append(fix)
            continue
        for span in spans:
            bisect.insort(accepted, span, key=_order)
        applied.append(fix)
    return Applied(_splice(text, accepted), tuple(applied), tuple(skipped))


def _order(span: _Span) -> tuple[int, int]:
    return (span.start, span.end)


def _conflicts_with_accepted(span: _Span, accepted: list[_Span]) -> bool:
    index = bisect.bisect_left(accepted, _order(span), key=_order)
    neighbours = accepted[max(index - 1, 0) : index + 1]
    return any(_conflict(span, other) for other in neighbours)


def encode(text: str, source: Source) -> bytes:
    """``text`` as bytes in the file's own encoding, with its byte order mark."""
    return source.bom + text.encode(source.encoding)


def apply_fixes_to_bytes(data: bytes, fixes: Iterable[Fix]) -> tuple[bytes, Applied]:
    """Apply fixes to a file's bytes: the byte order mark and encoding are kept, and every
    byte outside the edited ranges is unchanged. Raises ``ReadError`` for undecodable data."""
    source = decode(data)
    result = apply_fixes(source.text, fixes)
    if not result.applied:
        return data, result
    return encode(result.text, source), result
