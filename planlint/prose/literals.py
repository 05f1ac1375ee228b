"""Searching long text with case-insensitive patterns, fast.

Python's regex engine has a fast path for a pattern that starts with literal text: it skips
ahead to where that text occurs. A case-insensitive pattern, or one that opens with ``\\b``,
gets none: it is tried at every character, about 30 MB/s. A plan's phrase patterns are both,
and a repository of plans is megabytes of text. ``search_at_literal`` finds the same match by
trying the pattern only where the words it starts with occur, which ``str.find`` locates at
memory speed.
"""

from __future__ import annotations

import functools
import re
from re import Match, Pattern
from re import _parser as re_parser  # the standard library's own parse of a pattern
from typing import Any

from planlint.core.frozen import lazy_pattern

_LEADING_WORDS = lazy_pattern(r"(?:\\b|\^)?([a-z][a-z' ]*)")

# The only characters that match an ASCII letter case-insensitively and yet are not lowered
# to it: "ı" matches "i" and "ſ" matches "s" (İ lowers to two characters and K to "k"). In a
# text holding either, positions found in the lowered text may miss a match.
_FOLD_WITHOUT_LOWERING = ("ı", "ſ")


@functools.cache
def leading_literal(pattern: str) -> str:
    """Text every match of ``pattern`` starts with (lower case), or "" when it is not plain.

    Only the plain start is taken: letters, spaces and apostrophes after an optional ``\\b`` or
    ``^``, without the last letter when a quantifier follows it, and nothing at all when the
    pattern has an alternative (``|``) outside any group.
    """
    depth, escaped, in_class = 0, False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return ""
    match = _LEADING_WORDS.match(pattern)
    if match is None:
        return ""
    literal = match.group(1)
    if pattern[match.end() : match.end() + 1] in ("?", "*", "{"):
        literal = literal[:-1]  # "colou?r": the "u" may be absent
    return literal


def hides_matches(lowered: str) -> bool:
    """Could a lower-cased text hide a case-insensitive match of a lower-case word? Where it
    holds "ı" or "ſ", or the dot "İ" lowers to ("i̇"): positions found in it may then miss."""
    return any(letter in lowered for letter in (*_FOLD_WITHOUT_LOWERING, "\u0307"))


def lower_for_search(text: str) -> str | None:
    """``text.lower()`` when its positions are the text's own and every case-insensitive match
    of a lower-case literal shows in it; None when not (a lowered text of another length, or
    one of the two letters that fold without lowering). Taken once per text, for all patterns.
    """
    lowered = text.lower()
    if len(lowered) != len(text) or any(letter in text for letter in _FOLD_WITHOUT_LOWERING):
        return None
    return lowered


def search_at_literal(
    pattern: Pattern[str], literal: str, text: str, lowered: str | None
) -> Match[str] | None:
    """``pattern.search(text)``, trying the pattern only where ``literal`` occurs.

    ``literal`` is ``leading_literal(pattern.pattern)`` and ``lowered`` is
    ``lower_for_search(text)``. Where the shortcut could miss a match (no literal, a verbose
    pattern, whose spaces do not count, or no usable lowered text), the whole text is searched
    instead.
    """
    if lowered is None or not literal or pattern.flags & re.VERBOSE:
        return pattern.search(text)
    start = lowered.find(literal)
    while start != -1:
        match = pattern.match(text, start)  # \b and lookbehinds still see the text before
        if match is not None:
            return match
        start = lowered.find(literal, start + 1)
    return None


def could_match(pattern: Pattern[str], text: str, lowered: str | None) -> bool:
    """Could ``pattern`` match one of the pieces (sentences, lines) ``text`` was joined from?
    An anchored pattern (``^``, ``$``, ``\\A``, ``\\Z``) could: in the joined text its
    anchors no longer fall where the pieces start and end. Any other must match the text
    itself, and is tried only where one of its ``literal_cues`` occurs in ``lowered``
    (``lower_for_search(text)``), as every match starts at one of them."""
    if any(anchor in pattern.pattern for anchor in _ANCHORS):
        return True
    cues = literal_cues(pattern.pattern, pattern.flags)
    if cues is None or lowered is None:
        return pattern.search(text) is not None
    for cue in cues:
        start = lowered.find(cue)
        while start != -1:
            if pattern.match(text, start) is not None:
                return True
            start = lowered.find(cue, start + 1)
    return False


_ANCHORS = ("^", "$", "\\A", "\\Z")  # "^" in "[^a]" too: a needless search, never a miss
_SKIPPED = ("AT", "ASSERT", "ASSERT_NOT")  # "\b", "(?<=was )": they consume nothing
_MAX_CUES = 64


@functools.cache
def literal_cues(pattern: str, flags: int = re.IGNORECASE) -> tuple[str, ...] | None:
    """Lower-case words one of which starts every match of ``pattern`` (``("tested",
    "rehears", "drill")`` for ``\\b(?:tested|rehears(?:ed|al)|drill(?:ed|s)?)\\b``), or None
    when some alternative does not start with plain text. A text where none of them occurs
    (found with ``str.find`` in its lowered form) holds no match, and need not be searched.
    """
    try:
        items = list(re_parser.parse(pattern, flags & ~re.VERBOSE))
    except (re.error, RecursionError, OverflowError):
        return None
    if flags & re.VERBOSE:
        return None  # spaces in the pattern do not count: the cues would be wrong
    cues = _cues(items, depth=0)
    if cues is None or len(cues) > _MAX_CUES:
        return None
    return tuple(dict.fromkeys(cues))


def _cues(items: list[Any], depth: int, prefix: str = "") -> list[str] | None:
    """The cues of a sequence of parsed items: the literal text it opens with (after
    ``prefix``), or that text followed by the cues of each alternative of the branch it
    reaches (the parser moves a prefix that all alternatives share out in front of them:
    ``data(?:base)?|db`` is "d", then "ata…" or "b")."""
    position = 0
    while position < len(items) and str(items[position][0]) in _SKIPPED:
        position += 1
    if depth > 4:
        return None
    text = prefix
    for index in range(position, len(items)):
        operation, argument = items[index]
        name = str(operation)
        if name == "LITERAL" and not chr(argument).isspace():
            text += chr(argument).lower()
            continue
        if name == "SUBPATTERN":
            inner = _cues([*argument[-1], *items[index + 1 :]], depth + 1, text)
            return inner if inner is not None else _enough(text)
        if name == "BRANCH":
            found: list[str] = []
            for alternative in argument[1]:
                cues = _cues(list(alternative), depth + 1, text)
                if cues is None:
                    return _enough(text)
                found += cues
            return found
        break
    return _enough(text)


def _enough(text: str) -> list[str] | None:
    return [text] if len(text) >= 2 else None
