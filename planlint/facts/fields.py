"""Labelled values in prose: ``- NOTES: …``, ``**Window:** …``, ``FLAG=…`` or a two-column table."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import NamedTuple

from planlint.core.frozen import lazy_pattern
from planlint.markdown.inline import plain_text
from planlint.markdown.nodes import Block, Code, Line, Table, walk_blocks
from planlint.prose.text import code_spans, prose_lines

# "NOTES: …", "**Window:** …", "`FLAG`=…", "ENVIRONMENT — production": a label, then a colon,
# an equals sign or a dash set off by spaces.
_LABELLED = lazy_pattern(
    r"""^(?P<lead>(?:\[[ xX]\]\s+)?(?:\*\*|__|\*|_|`)?\s*)
    (?P<label>[A-Za-z][A-Za-z /_-]{0,40}?)
    \s*(?:\*\*|__|\*|_|`)?\s*(?P<sep>[:=—–]|(?<=\s)-(?=\s))\s*(?:\*\*|__|\*|_)?\s*
    (?P<value>.*)$""",
    re.VERBOSE,
)


_LABEL_REACH = 60  # markup, a label of up to 40 characters, and its separator


def _separator_near_start(text: str) -> bool:
    head = text[:_LABEL_REACH]
    return ":" in head or "=" in head or "—" in head or "–" in head or " - " in head


def _has_separator(text: str) -> bool:
    """A colon, an equals sign or a dash: most prose lines have none, and the label regexes
    would try them all."""
    return ":" in text or "=" in text or "—" in text or "–" in text or " - " in text


_TRAILING_COMMENT = lazy_pattern(r"(?<!\s)\s+#\s.*$")  # the lookbehind keeps long blank runs linear


# "**When** — Tuesday …": a bold label set off by a dash instead of a colon.
_BOLD_DASHED = lazy_pattern(
    r"^(?P<lead>(?:\*\*|__))(?P<label>[A-Za-z][A-Za-z0-9 /_()&.-]{0,40}?)(?:\*\*|__)"
    r"\s*[—–-]\s+(?P<value>.*)$"
)
# Any label a line opens with, parentheses and digits included ("Change window (UTC):").
_ANY_LABEL = lazy_pattern(
    r"""^(?P<lead>(?:\[[ xX]\]\s+)?(?:\*\*|__|\*|_)?\s*)
    (?P<label>[A-Za-z][A-Za-z0-9 /_()&.-]{0,40}?)
    \s*(?:\*\*|__|\*|_)?\s*(?P<sep>[:=])\s*(?:\*\*|__|\*|_)?\s*
    (?P<value>.*)$""",
    re.VERBOSE,
)


class Field(NamedTuple):
    """A value found in the plan, and where: ``column``/``end_column`` bound the value itself."""

    key: str
    value: str
    line: int
    column: int
    end_column: int
    source: str  # "front matter", "context block" or "text"


def labelled_fields(
    blocks: Iterable[Block],
    labels: Mapping[str, str],
    source: str,
    tables: bool = False,
    code: bool = False,
    lines: Sequence[Line] | None = None,
) -> dict[str, Field]:
    """The first value for each label; ``labels`` maps a lower-case label to its key.

    With ``tables``, the body rows of two-column tables count too (``| NOTES | … |``); a
    table's header row never does, since it names columns, not values. With ``code``, so do
    the lines of code blocks and each inline code span (``NOTES=…`` in a fence, or
    `` `ENVIRONMENT=production` `FLAG=none` `` on one line), as context blocks are written.
    ``lines``, when given, are the blocks' prose lines, already read.
    """
    found: dict[str, Field] = {}
    roots = list(blocks)
    for line in _lines(roots, code) if lines is None else lines:
        field = _field(line, labels, source)
        if field is not None and field.key not in found:
            found[field.key] = field
    for block in walk_blocks(roots) if tables else ():
        if isinstance(block, Table):
            for row in block.rows:
                if len(row) >= 2:
                    key = labels.get(label_key(plain_text(row[0].text)))
                    if key is not None and key not in found:
                        cell = row[1]
                        value = _clean(cell.text)
                        found[key] = Field(
                            key, value, cell.line, cell.column, cell.column + len(cell.text), source
                        )
    return found


CONTEXT_LINES = 60  # a context block opens the plan: code spans further down are not its own


def _lines(roots: list[Block], code: bool) -> Iterator[Line]:
    if not code:
        yield from prose_lines(roots)
        return
    for line in prose_lines(roots):
        yield line
        if code and "`" in line.text and line.number <= CONTEXT_LINES:
            for start, end in code_spans(line.text):
                inner = line.text[start:end]
                ticks = len(inner) - len(inner.lstrip("`"))
                yield Line(line.number, line.column + start + ticks, inner.strip("`").strip())
    if code:  # a context block's fence stands on its own, not inside a list or a quote
        for block in roots:
            if isinstance(block, Code):
                yield from block.lines


def _field(line: Line, labels: Mapping[str, str], source: str) -> Field | None:
    if not _has_separator(line.text):
        return None
    match = _LABELLED.match(line.text)
    if match is None:
        return None
    key = labels.get(label_key(match.group("label")))
    if key is None:
        return None
    raw = match.group("value")
    value = _clean(raw)
    start = match.start("value")
    return Field(
        key, value, line.number, line.column + start, line.column + start + len(raw), source
    )


def _clean(value: str) -> str:
    value = _TRAILING_COMMENT.sub("", value).strip()
    value = value.strip("*_").strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'`":
        value = value[1:-1].strip()
    return value


@functools.lru_cache(maxsize=1024)  # the same few labels, line after line, plan after plan
def label_key(label: str) -> str:
    """A label's normal form: "Change Window (UTC)" → "change window utc", "date/time" →
    "date time"."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", label.lower()).split())


def labelled_lines(lines: Iterable[Line]) -> Iterator[Field]:
    """Every labelled line of the prose, whatever its label, with the label normalised as the
    field's key ("Change window (UTC):" → "change window utc"); a line of several bold labels
    ("**Change:** NET-1442 · **Schedule:** Fri Jan 8, 1–3 PM PT") gives one field each."""
    for line in lines:
        if line.text.startswith("|") or not _has_separator(line.text):
            continue  # a table row is read by table_fields, cell by cell
        inline = list(_INLINE_LABEL.finditer(line.text)) if "**" in line.text else []
        if not inline and not _separator_near_start(line.text):
            continue  # a label is short: a colon at column 70 ends a sentence, not a label
        if len(inline) > 1 or (inline and inline[0].start() > 0):
            yield from _inline_fields(line, inline)
            continue
        match = _ANY_LABEL.match(line.text) or _BOLD_DASHED.match(line.text)
        if match is None:
            continue
        raw = match.group("value")
        start = match.start("value")
        yield Field(
            label_key(match.group("label")),
            _clean(raw),
            line.number,
            line.column + start,
            line.column + start + len(raw),
            "text",
        )


# "**Label:**" or "**Label**:" anywhere in a line.
_INLINE_LABEL = lazy_pattern(
    r"(?:\*\*|__)(?P<label>[A-Za-z][^*_:\n]{0,40}?)(?::\*\*|\*\*:|:__|__:)\s*"
)
_INLINE_END = lazy_pattern(r"\s+[·|•]\s+|\s*;\s+(?=\*\*)")


def _inline_fields(line: Line, labels: list[re.Match[str]]) -> Iterator[Field]:
    for index, label in enumerate(labels):
        limit = labels[index + 1].start() if index + 1 < len(labels) else len(line.text)
        value = line.text[label.end() : limit]
        end = _INLINE_END.search(value)
        raw = value[: end.start()] if end else value.rstrip()
        start = line.column + label.end()
        yield Field(
            label_key(label.group("label")),
            _clean(raw),
            line.number,
            start,
            start + len(raw),
            "text",
        )


def table_fields(walked: Iterable[Block]) -> Iterator[Field]:
    """Each body row of a key/value table among ``walked`` (every block, nested ones too) as
    a field: ``| When | Thu 2027-01-21 02:00 ET |``, its first cell the label. The header row
    names columns ("| Flag | Owner |"), not values."""
    for block in walked:
        if not isinstance(block, Table):
            continue
        for row in block.rows:
            if len(row) < 2 or not row[1].text.strip():
                continue
            cell = row[1]
            yield Field(
                label_key(plain_text(row[0].text)),
                _clean(cell.text),
                cell.line,
                cell.column,
                cell.column + len(cell.text),
                "text",
            )


def all_labelled(
    walked: Iterable[Block], lines: Iterable[Line], tables: bool = True
) -> list[Field]:
    """Every labelled line (of ``lines``, the prose) and key/value table row (of ``walked``,
    every block), in document order: read once per plan, and asked by each fact in turn (risk,
    environment, flag, windows). ``tables`` False skips looking for tables (a text without
    "|" has none)."""
    fields = [*labelled_lines(lines), *(table_fields(walked) if tables else ())]
    fields.sort(key=lambda field: (field.line, field.column))
    return fields
