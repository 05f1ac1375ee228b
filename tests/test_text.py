"""Prose helpers: masking inline code and comments keeps every column where it was."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planlint.prose.text import mask_code


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("run `make deploy` now", "run               now"),
        ("``a ` b`` and `c`", " " * 9 + " and " + " " * 3),
        ("an ``unclosed `span", "an ``unclosed `span"),
        ("one ` then ``two``", "one ` then        "),
        ("x <!-- note --> y", "x " + " " * 13 + " y"),
        ("x <!-- never closed", "x <!-- never closed"),
        ("`a` <!-- b --> `c", "    " + " " * 10 + " `c"),
        ("no code at all", "no code at all"),
    ],
)
def test_mask_code(text: str, masked: str) -> None:
    assert mask_code(text) == masked
    assert len(mask_code(text)) == len(text)


@pytest.mark.parametrize("line", ["`" * 50_000, "<!--" * 20_000, "` " * 30_000, "``x`" * 10_000])
def test_mask_code_survives_runs_of_delimiters(line: str) -> None:
    # Correctness only; bench/scaling.py measures that the cost stays linear.
    assert len(mask_code(line)) == len(line)


@pytest.mark.parametrize(
    ("pattern", "literal"),
    [
        (r"\byou are (?:codex|claude)", "you are "),
        (r"^let me know", "let me know"),
        (r"colou?r", "colo"),  # the u may be absent
        (r"x*y", ""),
        (r"a{2}b", ""),
        (r"\bas an ai(?: model)\b|\bas an ai,", ""),  # an alternative outside any group
        (r"^(?:sure|certainly)", ""),
        (r"</?(?:thinking)>", ""),
        (r"YOU are", ""),  # upper case: no shortcut, the regex decides
        (r"(?i)you", ""),
        (r"[|]you", ""),
    ],
)
def test_prompt_leak_shortcut_is_a_true_prefix(pattern: str, literal: str) -> None:
    from planlint.prose.literals import leading_literal

    assert leading_literal(pattern) == literal


# Phrase patterns as packs write them: \b, case-insensitive, look-arounds, a verbose one.
PHRASES = [
    (r"\bshould\s+(?:just\s+)?work\b(?!\s+with)", re.IGNORECASE),
    (r"\bskip(?:s|ped)?\s+the\s+checks?\b", re.IGNORECASE),
    (r"\bis\s+fine\b", re.IGNORECASE),
    (r"\bshould\b", re.IGNORECASE),  # matches "ſhould", which lowers to itself
    (r"\bis\b", re.IGNORECASE),  # matches "ıs" and "İs"
    (r"^sure", re.IGNORECASE | re.MULTILINE),
    (r"you are", re.IGNORECASE),
    (r"\bno need", re.IGNORECASE | re.VERBOSE),  # spaces do not count: no shortcut
    (r"\bas an ai|\bI am", re.IGNORECASE),  # an alternative: no shortcut
]
WORDS = ["should", "SHOULD", "ſhould", "work", "with", "skip", "skipped", "the", "check",
         "ıs", "is", "İs", "fine", "sure", "Sure", "you", "are", "no", "need", "noneed", "I", "am",
         "as", "an", "ai", "just"]  # fmt: skip


@given(
    words=st.lists(st.sampled_from(WORDS), max_size=12),
    separators=st.lists(st.sampled_from([" ", "  ", "\n", "-", ""]), min_size=12, max_size=12),
)
def test_search_at_literal_finds_what_the_pattern_finds(
    words: list[str], separators: list[str]
) -> None:
    from planlint.prose.literals import leading_literal, lower_for_search, search_at_literal

    text = "".join(word + separator for word, separator in zip(words, separators, strict=False))
    for source, flags in PHRASES:
        pattern = re.compile(source, flags)
        found = search_at_literal(pattern, leading_literal(source), text, lower_for_search(text))
        expected = pattern.search(text)
        assert (found and found.span()) == (expected and expected.span()), (source, text)


@pytest.mark.parametrize(
    ("pattern", "cues"),
    [
        (
            r"\b(?:tested|rehears(?:ed|al)|drill(?:ed|s)?)\b",
            ("tested", "rehearsed", "rehearsal", "drill"),
        ),
        (r"\b(?:data(?:base)?|db)[- ]migrations?\b", ("data", "db")),  # a shared "d" moved out
        (r"\bcolumn\s+type\b|\bchanges?\s+from", ("column", "change")),
        (r"\b(?:tested|(?<=was )run)\b", ("tested", "run")),  # a look-behind consumes nothing
        (r"colou?r", ("colo",)),
        (r"ab(?:c|)d", ("abc", "ab")),
        (r"(?:a|b)c", None),  # a class of single letters: no word to look for
        (r"x*yz", None),
        (r"[Rr]ollback", None),
        (r"\bno need", None),  # with VERBOSE below
    ],
)
def test_literal_cues(pattern: str, cues: tuple[str, ...] | None) -> None:
    from planlint.prose.literals import literal_cues

    flags = re.IGNORECASE | (re.VERBOSE if pattern == r"\bno need" else 0)
    assert literal_cues(pattern, flags) == cues


CUED = [
    r"\b(?:tested|untested|rehears(?:ed|al|als)|(?<=was )run|(?<=been )run|dry[- ]?runs?)\b",
    r"\b(?:data(?:base)?|db)[- ]migrations?\b",
    r"\bcolumn\s+type\b|\bchanges?\s+from\s+[A-Z]+",
    r"\b(?:alter|create|drop)\s+table\b",
]
CUE_WORDS = ["tested", "Untested", "REHEARSAL", "was", "been", "run", "dry", "dry-run", "data",
             "database", "DB", "migration", "column", "type", "changes", "from", "INT",
             "alter", "table", "drop", "x"]  # fmt: skip


@given(
    words=st.lists(st.sampled_from(CUE_WORDS), max_size=10),
    separators=st.lists(st.sampled_from([" ", "\n", "-", ""]), min_size=10, max_size=10),
)
def test_a_text_without_any_cue_holds_no_match(words: list[str], separators: list[str]) -> None:
    from planlint.prose.literals import literal_cues

    text = "".join(word + separator for word, separator in zip(words, separators, strict=False))
    for source in CUED:
        pattern = re.compile(source, re.IGNORECASE)
        cues = literal_cues(source, pattern.flags)
        assert cues is not None
        if pattern.search(text):
            assert any(cue in text.lower() for cue in cues), (source, text)
