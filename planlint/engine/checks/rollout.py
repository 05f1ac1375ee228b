"""Rollout-plan checks that need more than patterns: when, after the change, verification looks.

Verification must watch the change over time: right after it (0–2 minutes), then at 2–5, 5–15
and 15 minutes and beyond. A plan says so with labels ("Immediate", "Long-term") or with times
("0–2 min", "at 2, 5, 15 and 60 minutes", "T+30m", "15+ min", "within 5 minutes"), which are
read here as intervals in minutes and compared with each horizon.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from planlint.core.frozen import lazy_pattern
from planlint.engine.check_api import CheckContext, CheckKind, Finding, at_block
from planlint.engine.checks.coverage import (
    has_content,
    in_words,
    mentions,
    scope_content,
)
from planlint.prose.evidence import reading_units
from planlint.prose.text import clause_before, is_negated

if TYPE_CHECKING:  # the models validate packs; a check reads their fields
    from planlint.engine.options.rollout import Horizon, HorizonOptions

_NUMBER = r"\d+(?:\.\d+)?"
_UNITS = {"s": 1 / 60, "m": 1.0, "h": 60.0, "d": 1440.0}
_TIME = lazy_pattern(
    rf"""(?<![\w.:/])(?P<numbers>{_NUMBER}
        (?:\s*(?:,\s*(?:and\s+|or\s+)?|and|or|to|through|-|–|—)\s*{_NUMBER})*)
    \s*(?P<plus>\+)?\s*
    (?P<unit>s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)\b
    (?P<plus_after>\s*\+|\s+(?:and\s+(?:beyond|later|after|on)|onwards?|or\s+more|plus)\b)?""",
    re.IGNORECASE | re.VERBOSE,
)
_SEPARATOR = lazy_pattern(r"\s*(?:,\s*(?:and\s+|or\s+)?|and|or)\s*", re.IGNORECASE)
_RANGE = lazy_pattern(r"\s*(?:to|through|-|–|—)\s*", re.IGNORECASE)
# "for 3 minutes" is how long a threshold must hold, "every 5 minutes" a cadence: neither says
# when verification looks.
_NOT_A_TIME = lazy_pattern(r"\b(?:for|lasting|every|per|each)\s*$", re.IGNORECASE)
_FROM_ON = lazy_pattern(
    r"\b(?:after|beyond|past|from|over|later than|more than|at least)\s*$|[>≥]\s*$", re.IGNORECASE
)
_UP_TO = lazy_pattern(r"\b(?:within|in the first|first|up to|under|before)\s*$", re.IGNORECASE)


class Span(NamedTuple):
    start: float  # minutes
    end: float  # minutes; math.inf for "15+ min"

    def overlaps(self, horizon: Horizon) -> bool:
        end = math.inf if horizon.end is None else horizon.end
        if self.start == self.end:  # a moment: inside (start, end], or at 0 for the first
            return horizon.start < self.start <= end or self.start == horizon.start == 0
        return self.start < end and self.end > horizon.start


_NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
} | {"thirty": "30", "forty": "40", "forty-five": "45", "sixty": "60", "ninety": "90"}
_WORD_NUMBER = lazy_pattern(
    rf"\b(?:{'|'.join(sorted(_NUMBER_WORDS, key=len, reverse=True))})\b", re.I
)


def time_spans(text: str) -> Iterator[Span]:
    """The times after the change that a sentence names, as spans in minutes ("two to five
    minutes" as well as "2–5 min")."""
    # Most sentences hold no number: a digit test and a word search first, the regexes after.
    lowered = text.lower()
    if any(word in lowered for word in _NUMBER_WORDS):
        text = _WORD_NUMBER.sub(lambda word: _NUMBER_WORDS[word.group(0).lower()], text)
    elif not any(character.isdigit() for character in text):
        return
    for match in _TIME.finditer(text):
        before = clause_before(text, match.start())
        if _NOT_A_TIME.search(before) or is_negated(text, match.start(), match.end()):
            continue
        scale = _UNITS[match.group("unit")[0].lower()]
        open_ended = bool(match.group("plus") or match.group("plus_after"))
        for part in _SEPARATOR.split(match.group("numbers")):
            bounds = [float(n) * scale for n in _RANGE.split(part) if n]
            if not bounds:
                continue
            start, end = bounds[0], bounds[-1]
            if open_ended or _FROM_ON.search(before):
                end = math.inf
            elif _UP_TO.search(before) and len(bounds) == 1:
                start = 0.0
            yield Span(start, end)


def verification_horizons(ctx: CheckContext, options: HorizonOptions) -> Iterator[Finding]:
    """Every horizon is named, or a time the section gives falls in it; one finding at the
    section heading naming every horizon left unwatched, in the declared order: ``{horizon}``
    their names, ``{horizons}`` the same as a phrase ("the immediate (0–2 min) and long-term
    (15+ min) horizons")."""
    content = scope_content(ctx)
    if not has_content(content):
        return
    remaining = list(options.horizons)
    for unit, _ in reading_units(content):  # "Q: 2–5 min? A: …" read with its answer
        if not remaining:
            break
        spans = list(time_spans(unit.text))
        remaining = [
            horizon
            for horizon in remaining
            if not mentions(horizon.labels, unit)
            and not any(span.overlaps(horizon) for span in spans)
        ]
    if not remaining:
        return
    names = in_words([horizon.name for horizon in remaining])
    noun = "horizon" if len(remaining) == 1 else "horizons"
    for section in ctx.scope[:1]:
        yield at_block(
            ctx.document,
            section,
            horizon=names,
            horizons=f"the {names} {noun}",
            section=section.title,
        )


# The check kinds this module provides: the table in planlint.engine.kinds lists them.
KINDS = (
    CheckKind(
        "verification-horizons", verification_horizons, "rollout.HorizonOptions", scoped=True
    ),
)
