"""Every place a plan states when the change happens, read into windows.

A plan states its window in front matter (``window:``, ``change_window: {start, end}``), in the
deploy-plan context block (``WINDOW: …``), on a labelled line (``**Change window:** …``,
``When: …``, ``Schedule: …``) or in a row of a key/value table (``| When | … |``). The plan's
window is the first of those that names one; the freeze rules judge all of them, so a
Friday-afternoon slot is caught whichever label carries it.

Each text is read exactly first (``windows.parse_window``, whose errors explain what is
wrong); what that cannot read is read leniently (``window_text.scan_window``). A strong label
("window", "change window") that neither can read is the plan's unreadable window; a weak one
("when", "schedule") that names no day is simply not a window ("When: error rate > 1%").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from planlint.core.frozen import lazy_pattern
from planlint.facts.fields import Field
from planlint.facts.window_text import scan_window
from planlint.facts.windows import Window, WindowError, parse_window, window_from_bounds
from planlint.markdown.nodes import Line
from planlint.prose.text import is_filler, lines_with

# Labels that name the change window itself: a value that cannot be read is reported.
STRONG_LABELS = frozenset(
    {
        "window",
        "change window",
        "maintenance window",
        "deployment window",
        "deploy window",
        "rollout window",
        "release window",
        "cutover window",
        "migration window",
        "upgrade window",
        "execution window",
        "scheduled window",
        "window utc",
        "change window utc",
    }
)
# Labels that often, not always, carry the window: only a value naming a day counts.
WEAK_LABELS = frozenset(
    {
        "when",
        "schedule",
        "scheduled",
        "scheduled for",
        "scheduled date",
        "date time",
        "date and time",
        "timing",
        "time",
        "start",
        "planned start",
        "deployment date",
        "deploy date",
        "rollout date",
        "change date",
        "go live",
        "target date",
        "date",
    }
)


class WindowFact(NamedTuple):
    where: Field
    window: Window | None
    error: WindowError | None


def read_window(text: str, default_zone: str = "UTC") -> Window:
    """A window written any way people write one; ``WindowError`` says why the exact reading
    failed when the lenient one finds no day either. A well-shaped window with a wrong value
    (Thursday 2026-12-04, an unknown zone) is not guessed at: the error says what is wrong."""
    read = _read_window(text, default_zone)
    if isinstance(read, WindowError):
        raise read.with_traceback(None)  # kept for the next reading: no frames piling up
    return read


@functools.lru_cache(maxsize=512)
def _read_window(text: str, default_zone: str) -> Window | WindowError:
    """Kept per text: the same window is read on every keystroke in an editor, in the
    context block and the summary of one plan, and in every plan of a batch."""
    try:
        return parse_window(text, default_zone)
    except WindowError as exact:
        if not exact.shape:
            return exact
        try:
            return scan_window(text, default_zone)
        except (WindowError, ValueError, OverflowError):  # dates at the edge of the calendar
            return exact


def window_facts(labelled: Iterable[Field], default_zone: str) -> Iterator[WindowFact]:
    """The windows stated on labelled lines and key/value table rows (``labelled``, in
    document order, each with its label as its ``key``)."""
    for where in labelled:
        strong = where.key in STRONG_LABELS
        if not strong and where.key not in WEAK_LABELS:
            continue
        if not where.value.strip() or not _states_something(where.value):
            continue
        try:
            yield WindowFact(where, read_window(where.value, default_zone), None)
        except WindowError as error:
            if strong:
                yield WindowFact(where, None, error)


_NOTHING = lazy_pattern(r"^\W*(?:none|n/?a|no|not applicable|-+|—|tbd|any ?time|whenever)\b", re.I)


def _states_something(value: str) -> bool:
    """Not "none", "TBD" or a placeholder such as "<change window>": unfilled-placeholder
    reports a slot left to fill, which is no unreadable window."""
    return _NOTHING.match(value.strip(" *_`")) is None and not is_filler(value)


# "The change is scheduled for Fri 2026-12-11, 2:00 PM – 4:00 PM ET", "The cutover runs Sat
# 2027-01-23 23:00 – 02:00 UTC": a window said in a sentence, without a label.
_WINDOW_IN_PROSE = lazy_pattern(
    r"\b(?:(?:is|are|was)\s+)?(?:scheduled|planned|booked|set)\s+(?:for|on)\b"
    r"|\b(?:change|cutover|rollout|deploy(?:ment)?|migration|upgrade|maintenance|window|work)\s+"
    r"(?:runs?|happens?|takes\s+place|starts?|is\s+on|will\s+run|goes\s+out)\b"
    r"|\bwe\s+(?:deploy|roll\s+out|ship|cut\s+over|upgrade|migrate)\s+on\b",
    re.IGNORECASE,
)
_DAY_AND_TIME = lazy_pattern(
    r"(?:\b\d{4}-\d{2}-\d{2}\b|\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b)[^.;]{0,40}?\d{1,2}(?::\d{2}|\s*[ap]\.?m)",
    re.IGNORECASE,
)


# What _WINDOW_IN_PROSE needs to find in a line, looked for with str.find before it runs.
_ANNOUNCING = (
    "schedul",
    "planned",
    "booked",
    "set for",
    "happen",
    "takes place",
    "goes out",
    " runs ",
    "starts ",
    " is on ",
    "we deploy",
    "we roll",
)


_MOVES_ON = lazy_pattern(r"[;,]\s|\.\s|\.$|\s\(")
_OPENING = lazy_pattern(r"^[\s*_`:]*(?:(?:on|at|from|for)\b[\s*_`]*)?")


def prose_windows(lines: Sequence[Line], default_zone: str) -> Iterator[WindowFact]:
    """Windows said in sentences ("scheduled for Fri 2026-12-11, 2–4 PM ET"): a day and a
    time right after the words that announce them, read leniently; nothing else counts."""
    for index in lines_with(lines, _ANNOUNCING):
        line = lines[index]
        if not _DAY_AND_TIME.search(line.text):
            continue
        for match in _WINDOW_IN_PROSE.finditer(line.text):
            rest = line.text[match.end() : match.end() + 120]
            opening = _OPENING.sub("", rest)  # "happens on Tue …", "is scheduled for **Fri …"
            day_and_time = _DAY_AND_TIME.match(opening)
            if day_and_time is None:
                continue
            # The window ends where the sentence moves on: "…14:00-15:30, takes an hour".
            moves_on = _MOVES_ON.search(opening, day_and_time.end())
            said = opening[: moves_on.start() if moves_on else len(opening)].strip(" *_`")
            try:
                window = scan_window(said, default_zone)
            except (WindowError, ValueError, OverflowError):
                continue
            column = line.column + match.end() + max(rest.find(said), 0)
            where = Field("window", said, line.number, column, column + len(said), "text")
            yield WindowFact(where, window, None)
            break


def front_matter_window(
    value: str | tuple[object, object, str | None], where: Field, zone: str | None
) -> WindowFact:
    """A window from front matter: text, or the start, end and zone of a mapping."""
    try:
        if isinstance(value, str):
            return WindowFact(where, read_window(value, zone or "UTC"), None)
        start, end, own_zone = value
        return WindowFact(where, window_from_bounds(start, end, own_zone or zone), None)
    except WindowError as error:
        return WindowFact(where, None, error)
