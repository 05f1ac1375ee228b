"""Inline suppressions (docs/suppressions.md): each directive silences what it says and no more,
and a comment planlint cannot follow is an error that silences nothing.

The user-visible cases run the real CLI on a plan in a temporary folder; the edge cases of
reading directives call ``find_suppressions`` directly.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planlint.engine.suppressions import (
    ALL,
    DIRECTIVES,
    Directive,
    InvalidDirective,
    Suppressions,
    find_suppressions,
)
from planlint.markdown.parser import parse
from tests.conftest import CLEAN_PLAN
from tests.helpers import run_planlint

PLACEHOLDER = "unfilled-placeholder"  # PL201: found on the line of the placeholder
ROLLBACK = "rollback-incomplete"  # PL714: a section-level finding, placed on the heading
INVALID = "invalid-suppression"  # PL004

SMOKE = "- Smoke test: the checkout smoke suite passes against production.\n"
# The clean deploy plan with two placeholders and a rollback section that names no rollback kind.
PLAN = CLEAN_PLAN.replace(SMOKE, "- Smoke test: [TBD].\n- Load test: [TBD].\n").replace(
    "- Version rollback: revert with `kubectl rollout undo deploy/checkout`.\n",
    "- We can go back if needed.\n",
)
HEADING = "## Rollback Readiness\n"
TITLE = "# Deployment plan: checkout v2.14\n"


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def check(tmp_path: Path, text: str, *args: str) -> tuple[int, list[tuple[str, int, str, str]]]:
    """Lint ``text`` as plan.md with the real CLI: the exit code and the findings of the rules
    these tests are about, as (rule, line, severity, message)."""
    (tmp_path / "plan.md").write_text(text, encoding="utf-8")
    result = run_planlint("check", "--format", "json", *args, "plan.md", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    violations = json.loads(result.stdout)["files"][0]["violations"]
    found = [
        (v["rule"], v["line"], v["severity"], v["message"])
        for v in violations
        if v["rule"] in (PLACEHOLDER, ROLLBACK, INVALID)
    ]
    return result.returncode, found


def rules_at(found: list[tuple[str, int, str, str]]) -> list[tuple[str, int]]:
    return [(rule, line) for rule, line, _, _ in found]


# -- through the command line ------------------------------------------------------------------


def test_the_plan_without_comments_has_the_findings_the_tests_silence(tmp_path: Path) -> None:
    _, found = check(tmp_path, PLAN)
    assert rules_at(found) == [
        (PLACEHOLDER, line_of(PLAN, "Smoke test")),
        (PLACEHOLDER, line_of(PLAN, "Load test")),
        (ROLLBACK, line_of(PLAN, HEADING.strip())),
    ]


def test_disable_line_silences_its_own_line_only(tmp_path: Path) -> None:
    # The first day's surprise: this silenced PL201 for the rest of the file.
    text = PLAN.replace("[TBD].\n- Load", "[TBD]. <!-- planlint-disable-line PL201 -->\n- Load")
    _, found = check(tmp_path, text)
    assert rules_at(found) == [
        (PLACEHOLDER, line_of(text, "Load test")),
        (ROLLBACK, line_of(text, HEADING.strip())),
    ]


@pytest.mark.parametrize(
    "directive",
    [
        "planlint-disable-lines PL201",
        "planlint-ignore PL201",
        "planlint-disable-line-foo PL201",
        "planlint-disabel PL201",
        "PLANLINT-DISABLE PL201",
    ],
)
def test_an_unknown_directive_is_an_error_and_silences_nothing(
    tmp_path: Path, directive: str
) -> None:
    text = PLAN.replace("- Smoke test", f"<!-- {directive} -->\n- Smoke test")
    code, found = check(tmp_path, text)
    comment = line_of(text, directive)
    word = directive.split()[0]
    assert rules_at(found) == [
        (INVALID, comment),
        (PLACEHOLDER, comment + 1),
        (PLACEHOLDER, comment + 2),
        (ROLLBACK, line_of(text, HEADING.strip())),
    ]
    _, _, severity, message = found[0]
    assert severity == "error" and code == 1
    assert f"unknown directive {word!r}" in message and "silences nothing" in message
    assert "planlint-disable-next-line, planlint-disable-section" in message


@pytest.mark.parametrize(
    ("placed", "silenced"),
    [
        # Just above the heading, with or without blank lines: the heading is the next line.
        (f"<!-- planlint-disable-next-line {ROLLBACK} -->\n{HEADING}", True),
        (f"<!-- planlint-disable-next-line PL714 -->\n\n{HEADING}", True),
        # Below the heading it covers the section's first line, not the heading.
        (f"{HEADING}<!-- planlint-disable-next-line PL714 -->\n", False),
        (f"{HEADING}<!-- planlint-disable-section PL714 -->\n", True),
        (f"<!-- planlint-disable-section PL714 -->\n\n{HEADING}", True),
    ],
    ids=["next-line-above", "next-line-above-blank", "next-line-below", "section", "section-above"],
)
def test_section_findings_sit_on_the_heading(tmp_path: Path, placed: str, silenced: bool) -> None:
    text = PLAN.replace(HEADING, placed)
    _, found = check(tmp_path, text)
    rollback = [(rule, line) for rule, line in rules_at(found) if rule != PLACEHOLDER]
    assert rollback == ([] if silenced else [(ROLLBACK, line_of(text, HEADING.strip()))])


def test_disable_section_covers_its_subsections_and_no_other_section(tmp_path: Path) -> None:
    text = PLAN.replace(
        "- Smoke test: [TBD].\n",
        "<!-- planlint-disable-section PL201 -->\n### Smoke\n- Smoke test: [TBD].\n",
    ).replace("## Rollback Readiness\n", "## Rollback Readiness\n- Owner: [TBD].\n")
    _, found = check(tmp_path, text)
    assert rules_at(found) == [
        (ROLLBACK, line_of(text, HEADING.strip())),
        (PLACEHOLDER, line_of(text, "Owner: [TBD]")),
    ]


def test_invalid_suppression_cannot_silence_itself(tmp_path: Path) -> None:
    comments = (
        "<!-- planlint-disable-file -->\n<!-- planlint-disable-file invalid-suppression -->\n"
        "<!-- planlint-ignore -->\n"
    )
    text = PLAN.replace(TITLE, TITLE + comments)
    code, found = check(tmp_path, text)
    first = line_of(text, "planlint-disable-file -->")
    assert code == 1
    assert rules_at(found) == [(INVALID, first + 1), (INVALID, first + 2)]
    assert "'invalid-suppression', which no comment can silence" in found[0][3]


def test_a_file_not_judged_cannot_be_named_in_a_directive(tmp_path: Path) -> None:
    text = PLAN.replace(
        "- Smoke test", "<!-- planlint-disable-next-line PL002, PL201 -->\n- Smoke test"
    )
    _, found = check(tmp_path, text)
    assert rules_at(found)[0] == (INVALID, line_of(text, "PL002"))
    assert "names 'PL002', which no comment can silence" in found[0][3]
    assert (PLACEHOLDER, line_of(text, "Smoke test")) not in rules_at(found)  # PL201 still works


def test_a_reason_after_two_dashes_is_not_a_rule(tmp_path: Path) -> None:
    text = PLAN.replace(
        "[TBD].\n- Load", "[TBD]. <!-- planlint-disable-line PL201 -- filled on Monday -->\n- Load"
    )
    _, found = check(tmp_path, text)
    assert INVALID not in [rule for rule, _ in rules_at(found)]
    assert (PLACEHOLDER, line_of(text, "Smoke test")) not in rules_at(found)


def test_the_config_can_turn_invalid_suppression_down(tmp_path: Path) -> None:
    # An error by default (exit 1: a contract); a team may still make it a warning.
    (tmp_path / ".planlint.yaml").write_text("rules: {invalid-suppression: warning}\n")
    text = CLEAN_PLAN.replace(TITLE, TITLE + "<!-- planlint-ignore -->\n")
    code, found = check(tmp_path, text)
    assert (code, [(rule, severity) for rule, _, severity, _ in found]) == (
        0,
        [(INVALID, "warning")],
    )


def test_select_runs_only_what_it_names_and_a_bad_directive_still_silences_nothing(
    tmp_path: Path,
) -> None:
    text = PLAN.replace("- Smoke test", "<!-- planlint-disable-lines -->\n- Smoke test")
    _, found = check(tmp_path, text, "--select", "PL201")
    assert [rule for rule, _ in rules_at(found)] == [PLACEHOLDER, PLACEHOLDER]


def test_a_silenced_finding_never_reaches_the_baseline(tmp_path: Path) -> None:
    text = PLAN.replace("[TBD].\n- Load", "[TBD]. <!-- planlint-disable-line PL201 -->\n- Load")
    (tmp_path / "plan.md").write_text(text, encoding="utf-8")
    result = run_planlint("check", "--write-baseline", "base.json", "plan.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    entries = json.loads((tmp_path / "base.json").read_text(encoding="utf-8"))["violations"]
    assert [e["rule"] for e in entries if e["rule"] == PLACEHOLDER] == [PLACEHOLDER]  # Load test


# -- reading directives ------------------------------------------------------------------------


def read(text: str) -> Suppressions:
    return find_suppressions(parse(text))


def silenced(suppressions: Suppressions, line: int, rule: str = "PL201") -> bool:
    return suppressions.suppresses(line, ("unfilled-placeholder", rule))


@pytest.mark.parametrize(
    "text",
    [
        "Write `<!-- planlint-disable-file -->` to silence a file.\n",
        "```markdown\n<!-- planlint-disable-file -->\n```\n",
        "    <!-- planlint-disable-file -->\n",
        "---\nnote: '<!-- planlint-disable-file -->'\n---\n",
        "Write `<!-- planlint-ignore -->`, not that.\n",
    ],
    ids=["inline-code", "fenced", "indented", "front-matter", "invalid-in-code"],
)
def test_a_directive_shown_in_code_is_no_directive(text: str) -> None:
    found = read(text + "x\n")
    assert (found.directives, found.invalid) == ([], [])
    assert not silenced(found, text.count("\n") + 1)


def test_several_directives_on_one_line() -> None:
    found = read(
        "<!-- planlint-disable-line PL201 --> text <!-- planlint-disable-next-line PL301 -->\nx\n"
    )
    assert [(d.kind, d.rules, d.column) for d in found.directives] == [
        ("disable-line", ("PL201",), 1),
        ("disable-next-line", ("PL301",), 43),
    ]
    assert silenced(found, 1) and not silenced(found, 2)
    assert silenced(found, 2, "PL301") and not silenced(found, 1, "PL301")


def test_disable_and_enable_ranges() -> None:
    text = (
        "<!-- planlint-disable PL201, PL301 -->\n"  # 1
        "a\n"  # 2
        "<!-- planlint-enable PL201 -->\n"  # 3
        "b\n"  # 4
        "<!-- planlint-disable -->\n"  # 5
        "c\n"  # 6
        "<!-- planlint-enable -->\n"  # 7: closes every open range
        "d\n"  # 8
    )
    found = read(text)
    assert [line for line in range(1, 9) if silenced(found, line)] == [1, 2, 3, 5, 6, 7]
    assert [line for line in range(1, 9) if silenced(found, line, "PL301")] == [*range(1, 8)]


def test_a_range_left_open_runs_to_the_end() -> None:
    found = read("a\n<!-- planlint-disable PL201 -->\nb\nc\n")
    assert [line for line in range(1, 5) if silenced(found, line)] == [2, 3, 4]


def test_a_rule_is_named_by_name_or_code() -> None:
    by_name = read("<!-- planlint-disable-file unfilled-placeholder -->\n")
    by_code = read("<!-- planlint-disable-file PL201 -->\n")
    for found in (by_name, by_code):
        assert silenced(found, 5)
        assert not found.suppresses(5, ("rollback-untested", "PL301"))
    everything = read("<!-- planlint-disable-file -->\n")
    assert everything.directives[0].rules == (ALL,)
    assert everything.suppresses(5, ("rollback-untested", "PL301"))


@pytest.mark.parametrize(
    "word",
    [
        "disable-lines",
        "disable-line-foo",
        "disable-next",
        "disable-next-lines",
        "disable-file2",
        "disable,PL201",
        "enabled",
        "ignore",
        "",
        "DISABLE",
    ],
)
def test_a_word_that_only_starts_like_a_directive_is_no_directive(word: str) -> None:
    found = read(f"<!-- planlint-{word} PL201 -->\nx\n")
    assert found.directives == []
    assert [problem.line for problem in found.invalid] == [1]
    assert f"unknown directive 'planlint-{word}'" in found.invalid[0].message
    assert not silenced(found, 1) and not silenced(found, 2)


@pytest.mark.parametrize("word", DIRECTIVES)
def test_a_directive_word_ends_at_a_space_or_the_comment_end(word: str) -> None:
    for text in (f"<!--planlint-{word}-->\n", f"<!-- planlint-{word}\tPL201 -->\n"):
        found = read(text + "# A\nx\n")
        assert [d.kind for d in found.directives] == [word] and found.invalid == []


def test_the_suggestion_names_the_directive_meant() -> None:
    (problem,) = read("<!-- planlint-disable-lines -->\n").invalid
    assert "(did you mean planlint-disable-line?)" in problem.message
    (problem,) = read("<!-- planlint-ignore -->\n").invalid
    assert "did you mean" not in problem.message


def test_a_directive_must_close_on_its_line() -> None:
    found = read("<!-- planlint-disable PL201\n-->\nx\n")
    assert found.directives == []
    assert found.invalid == [
        InvalidDirective(
            "'<!-- planlint-disable PL201' is not closed with '-->' on its line: a directive is "
            "one comment on one line. It silences nothing",
            1,
            1,
            28,
        )
    ]


def test_next_line_skips_blank_lines_and_other_directives() -> None:
    text = "<!-- planlint-disable-next-line PL201 -->\n\n<!-- planlint-disable-line PL301 -->\nx\n"
    found = read(text)
    assert [line for line in range(1, 5) if silenced(found, line)] == [4]


def test_next_line_with_nothing_after_it_is_reported() -> None:
    found = read("x\n<!-- planlint-disable-next-line PL201 -->\n\n")
    assert found.directives == []
    assert "there is no line after it" in found.invalid[0].message


def test_a_directive_beside_text_does_not_make_its_line_skippable() -> None:
    text = "<!-- planlint-disable-next-line PL201 -->\ntext <!-- planlint-disable-line PL301 -->\n"
    found = read(text + "y\n")
    assert [line for line in range(1, 4) if silenced(found, line)] == [2]


SECTIONS = (
    "intro\n"  # 1
    "# A\n"  # 2
    "a\n"  # 3
    "## A1\n"  # 4
    "a1\n"  # 5
    "\n"  # 6
    "# B\n"  # 7
    "b\n"  # 8
)


@pytest.mark.parametrize(
    ("after_line", "covered"),
    [
        (2, [2, 3, 4, 5, 6, 7]),  # below A's heading: A with its subsection A1
        (4, [4, 5, 6, 7]),  # below A1's heading: A1 only
        (1, [3, 4, 5, 6, 7]),  # just above A's heading: about A
        (6, [8, 9]),  # just above B's heading, after a blank line: about B
        (8, [7, 8, 9]),  # at the end of B
    ],
)
def test_disable_section_covers_one_section(after_line: int, covered: list[int]) -> None:
    lines = SECTIONS.splitlines(keepends=True)
    lines.insert(after_line, "<!-- planlint-disable-section PL201 -->\n")
    found = read("".join(lines))
    assert [line for line in range(1, len(lines) + 1) if silenced(found, line)] == covered


def test_disable_section_outside_every_section_is_reported() -> None:
    found = read("intro\n<!-- planlint-disable-section PL201 -->\nmore intro\n# A\na\n")
    assert found.directives == []
    assert "in no section" in found.invalid[0].message
    assert not any(silenced(found, line) for line in range(1, 6))


def test_a_directive_records_where_it_is() -> None:
    (directive,) = read("x <!-- planlint-disable-line PL201, PL301 -->\n").directives
    assert directive == Directive("disable-line", ("PL201", "PL301"), 1, 3, 46)
