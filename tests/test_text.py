"""Prose helpers: masking inline code and comments keeps every column where it was."""

from __future__ import annotations

import pytest

from planlint.text import mask_code


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
    from planlint.engine.checks.prose import leading_literal

    assert leading_literal(pattern) == literal
