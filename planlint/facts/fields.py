"""Labelled values in prose: ``- NOTES: …``, ``**Window:** …``, ``FLAG=…`` or a two-column table."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple

from planlint.markdown.inline import plain_text
from planlint.markdown.nodes import Block, Line, Table, walk_blocks
from planlint.prose.text import prose_lines

_LABELLED = re.compile(
    r"""^(?P<lead>(?:\[[ xX]\]\s+)?(?:\*\*|__|\*|_)?\s*)
    (?P<label>[A-Za-z][A-Za-z /_-]{0,40}?)
    \s*(?:\*\*|__|\*|_)?\s*(?P<sep>[:=])\s*(?:\*\*|__|\*|_)?\s*
    (?P<value>.*)$""",
    re.VERBOSE,
)
_TRAILING_COMMENT = re.compile(r"(?<!\s)\s+#\s.*$")  # the lookbehind keeps long blank runs linear


# "**When** — Tuesday …": a bold label set off by a dash instead of a colon.
_BOLD_DASHED = re.compile(
    r"^(?P<lead>(?:\*\*|__))(?P<label>[A-Za-z][A-Za-z0-9 /_()&.-]{0,40}?)(?:\*\*|__)"
    r"\s*[—–-]\s+(?P<value>.*)$"
)
# Any label a line opens with, parentheses and digits included ("Change window (UTC):").
_ANY_LABEL = re.compile(
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
    blocks: Iterable[Block], labels: Mapping[str, str], source: str, tables: bool = False
) -> dict[str, Field]:
    """The first value for each label; ``labels`` maps a lower-case label to its key.

    With ``tables``, the body rows of two-column tables count too (``| NOTES | … |``); a
    table's header row never does, since it names columns, not values.
    """
    found: dict[str, Field] = {}
    roots = list(blocks)
    for line in prose_lines(roots):
        field = _field(line, labels, source)
        if field is not None and field.key not in found:
            found[field.key] = field
    for block in walk_blocks(roots) if tables else ():
        if isinstance(block, Table):
            for row in block.rows:
                if len(row) >= 2:
                    key = labels.get(_label_key(plain_text(row[0].text)))
                    if key is not None and key not in found:
                        cell = row[1]
                        value = _clean(cell.text)
                        found[key] = Field(
                            key, value, cell.line, cell.column, cell.column + len(cell.text), source
                        )
    return found


def _label_key(label: str) -> str:
    return " ".join(label.lower().replace("_", " ").replace("-", " ").split())


def _field(line: Line, labels: Mapping[str, str], source: str) -> Field | None:
    if ":" not in line.text and "=" not in line.text:
        return None  # no separator: most prose lines, and the regex would try them all
    match = _LABELLED.match(line.text)
    if match is None:
        return None
    key = labels.get(_label_key(match.group("label")))
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


def label_key(label: str) -> str:
    """A label's normal form: "Change Window (UTC)" → "change window utc", "date/time" →
    "date time"."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", label.lower()).split())


def labelled_lines(blocks: Iterable[Block]) -> Iterator[Field]:
    """Every labelled line of the prose, whatever its label, with the label normalised as the
    field's key ("Change window (UTC):" → "change window utc")."""
    for line in prose_lines(list(blocks)):
        if ":" not in line.text and "=" not in line.text and "—" not in line.text:
            continue
        match = _ANY_LABEL.match(line.text) or _BOLD_DASHED.match(line.text)
        if match is None:
            continue
        raw = match.group("value")
        start = match.start("value")
        key = label_key(match.group("label"))
        yield Field(
            key,
            _clean(raw),
            line.number,
            line.column + start,
            line.column + start + len(raw),
            "text",
        )
