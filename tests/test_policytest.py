"""`planlint test-policy`: a team's own pack, with cases inside it and beside it, run for real."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from planlint.app.policytest import load_suite, run_suite
from planlint.engine.packs import PackError
from tests.helpers import run_planlint

TEAM_PACK = r"""pack: team
applies_to: [deploy-plan]
rules:
  - code: TM001
    name: no-yolo
    severity: warning
    check: prompt-leak
    options: {patterns: ['\byolo\b']}
    summary: No yolo deploys.
    message: "found '{text}'"
    docs: {what: Finds "yolo"., why: Plans are not vibes., example: We deploy yolo., fix: Plan.}
    cases:
      - name: yolo in the summary
        fail: |
          ## Deployment Summary
          We deploy yolo and see.
        expect:
          - {line: 2, column: 11, severity: warning, message: "found 'yolo'"}
      - name: a careful plan
        pass: |
          ## Deployment Summary
          We deploy with a canary.
"""

BESIDE_CASES = """rule: no-yolo
cases:
  - name: two of them, second paragraph
    fail: |
      ## Deployment Summary
      Ship it.

      yolo, really.
      And yolo again.
    expect:
      - {line: 4}
      - {line: 5, column: 5}
  - name: yolonaut is a different word
    pass: |
      ## Deployment Summary
      The yolonaut team owns this.
"""


@pytest.fixture
def team(tmp_path: Path) -> Path:
    (tmp_path / "policies" / "cases").mkdir(parents=True)
    (tmp_path / "policies" / "team.yaml").write_text(TEAM_PACK, encoding="utf-8")
    (tmp_path / "policies" / "cases" / "no-yolo.yaml").write_text(BESIDE_CASES, encoding="utf-8")
    return tmp_path


def test_a_passing_pack_exits_zero(team: Path) -> None:
    result = run_planlint("test-policy", "policies/team.yaml", cwd=team)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "PASS no-yolo › yolo in the summary (fail, policies/team.yaml:13)" in lines
    assert "PASS no-yolo › a careful plan (pass, policies/team.yaml:19)" in lines
    assert any(line.startswith("PASS no-yolo › two of them") for line in lines)
    assert any(line.startswith("PASS no-yolo › yolonaut") for line in lines)
    assert lines[-1] == "4 cases: 4 passed, 0 failed"
    assert result.stderr == ""  # both kinds of case exist: no coverage warning


def test_a_folder_of_packs_is_tested_too(team: Path) -> None:
    result = run_planlint("test-policy", "policies", "--quiet", cwd=team)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "4 cases: 4 passed, 0 failed\n"


def test_a_failing_case_exits_one_with_a_diff(team: Path) -> None:
    wrong = BESIDE_CASES.replace("- {line: 5, column: 5}", "- {line: 6, message: nope}")
    (team / "policies" / "cases" / "no-yolo.yaml").write_text(wrong, encoding="utf-8")
    result = run_planlint("test-policy", "policies/team.yaml", cwd=team)
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert (
        "FAIL no-yolo › two of them, second paragraph (fail, policies/cases/no-yolo.yaml:3)\n"
        "    expected (-) and actual (+) violations:\n"
        "      4:1 warning found 'yolo'\n"
        "    - 6 * …nope…\n"
        "    + 5:5 warning found 'yolo'\n"
    ) in out
    assert out.splitlines()[-1] == "4 cases: 3 passed, 1 failed"


def test_a_pass_case_that_fails_shows_the_unexpected_violation(team: Path) -> None:
    broken = BESIDE_CASES.replace("The yolonaut team", "The yolo team")
    (team / "policies" / "cases" / "no-yolo.yaml").write_text(broken, encoding="utf-8")
    result = run_planlint("test-policy", "policies/team.yaml", cwd=team)
    assert result.returncode == 1
    assert "FAIL no-yolo › yolonaut is a different word" in result.stdout
    assert "    + 2:5 warning found 'yolo'" in result.stdout


@pytest.mark.parametrize(
    ("replace", "by", "where", "what"),
    [
        ("    expect:\n      - {line: 4}\n", "", "no-yolo.yaml:3:", "needs expect:"),
        ("rule: no-yolo", "rule: no-yol", "no-yolo.yaml:1:", "does not match the file name"),
        ("      - {line: 4}", "      - {line: zero}", "no-yolo.yaml:11:", "expect.0.line"),
        ("different word\n", "different word\n    expected: []\n", "yaml:14:", "unknown key"),
        ("cases:\n", "cases: [\n", "no-yolo.yaml:", "invalid YAML"),
    ],
)
def test_a_broken_case_file_exits_two_naming_file_and_line(
    team: Path, replace: str, by: str, where: str, what: str
) -> None:
    assert replace in BESIDE_CASES
    path = team / "policies" / "cases" / "no-yolo.yaml"
    path.write_text(BESIDE_CASES.replace(replace, by), encoding="utf-8")
    result = run_planlint("test-policy", "policies/team.yaml", cwd=team)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith("planlint: error: "), result.stderr
    assert where in result.stderr and what in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_a_broken_inline_case_names_the_pack_line(team: Path) -> None:
    pack = team / "policies" / "team.yaml"
    pack.write_text(
        TEAM_PACK.replace(
            "      - name: a careful plan\n",
            "      - name: a careful plan\n        fail: y\n",
        ),
        encoding="utf-8",
    )
    result = run_planlint("test-policy", "policies/team.yaml", cwd=team)
    assert result.returncode == 2
    assert "policies/team.yaml:19:" in result.stderr, result.stderr
    assert "either fail: or pass:" in result.stderr


def test_a_case_naming_an_unknown_profile_is_a_case_error(team: Path) -> None:
    path = team / "policies" / "cases" / "no-yolo.yaml"
    path.write_text(BESIDE_CASES.replace("rule: no-yolo\n", "rule: no-yolo\nprofile: nope\n"))
    result = run_planlint("test-policy", "policies/team.yaml", cwd=team)
    assert result.returncode == 2
    assert "no-yolo.yaml:4: unknown profile 'nope'" in result.stderr, result.stderr


def test_a_missing_pack_exits_two(team: Path) -> None:
    result = run_planlint("test-policy", "policies/nope.yaml", cwd=team)
    assert result.returncode == 2
    assert "policies/nope.yaml:1: no such pack file or folder" in result.stderr


def test_rules_without_failing_or_passing_cases_are_warned_about(team: Path) -> None:
    (team / "policies" / "cases" / "no-yolo.yaml").unlink()
    pack = team / "policies" / "team.yaml"
    pack.write_text(TEAM_PACK.split("      - name: a careful plan")[0], encoding="utf-8")
    result = run_planlint("test-policy", "policies/team.yaml", cwd=team)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "rule 'no-yolo' has no pass: case" in result.stderr
    (team / "policies" / "cases" / "no-yoll.yaml").write_text(BESIDE_CASES, encoding="utf-8")
    suite = load_suite([pack])
    assert any("no-yoll.yaml: names no rule" in warning for warning in suite.warnings)


def test_the_team_config_of_a_case_applies(team: Path) -> None:
    # A case may carry a config: here it turns the rule's severity up to error.
    cases = BESIDE_CASES.replace(
        "  - name: yolonaut",
        "  - name: configured severity\n"
        "    config: {rules: {no-yolo: error}}\n"
        '    fail: "## Deployment Summary\\nyolo\\n"\n'
        "    expect: [{line: 2, severity: error}]\n"
        "  - name: yolonaut",
    )
    (team / "policies" / "cases" / "no-yolo.yaml").write_text(cases, encoding="utf-8")
    results = run_suite(load_suite([team / "policies" / "team.yaml"]))
    assert [r.case.spec.name for r in results if not r.passed] == []
    assert len(results) == 5


def test_a_case_config_with_an_unknown_rule_is_a_case_error(team: Path) -> None:
    cases = BESIDE_CASES.replace(
        "  - name: yolonaut is", "  - config: {rules: {nope: error}}\n    name: yolonaut is"
    )
    (team / "policies" / "cases" / "no-yolo.yaml").write_text(cases, encoding="utf-8")
    suite = load_suite([team / "policies" / "team.yaml"])
    with pytest.raises(PackError, match=r"no-yolo\.yaml:13: rules: unknown rule 'nope'"):
        run_suite(suite)


def _readme_block(text: str, first_line: str) -> str:
    """The body of the README's fenced block whose first line is ``first_line``."""
    match = re.search(r"```(?:yaml|console)\n" + re.escape(first_line) + r"\n(.*?)```", text, re.S)
    assert match, f"README lost the block starting {first_line!r}"
    return match.group(1)


def test_the_readme_example_runs_as_shown(tmp_path: Path, repo_root: Path) -> None:
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    pack = _readme_block(readme, "# policies/team.yaml")
    cases = _readme_block(readme, "# policies/team.yaml (the rule above, with cases)")
    beside = _readme_block(readme, "# policies/cases/no-yolo.yaml")
    shown = _readme_block(
        readme, "$ planlint test-policy policies/team.yaml     # packs, or folders of packs"
    )
    (tmp_path / "policies" / "cases").mkdir(parents=True)
    # As a user would paste them: the pack block whole, then the cases below its rule.
    team = "# policies/team.yaml\n" + pack + cases
    (tmp_path / "policies" / "team.yaml").write_text(team, encoding="utf-8")
    beside = "# policies/cases/no-yolo.yaml\n" + beside
    (tmp_path / "policies" / "cases" / "no-yolo.yaml").write_text(beside, encoding="utf-8")
    result = run_planlint("test-policy", "policies/team.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == shown


ANCHORED_PACK = r"""pack: anchored
applies_to: [deploy-plan]
rules:
  - code: AN001
    name: yolo-first
    severity: warning
    check: forbidden-phrases
    options:
      phrases: ['^yolo\b', 'ship\s+it$']
    summary: No paragraph opens with yolo or ends with ship it.
    message: "'{phrase}'"
    docs: {what: w, why: y, example: e, fix: f}
    cases:
      - name: at the start of a later paragraph
        fail: |
          ## Deployment Summary
          We deploy with a canary.

          Yolo, the canary can wait.
        expect:
          - {line: 4, message: "'Yolo'"}
      - name: at the end of an earlier item
        fail: |
          ## Deployment Summary
          - Then we ship it
          - After that we watch.
        expect:
          - {line: 2, message: "'ship it'"}
      - name: in the middle of a paragraph
        pass: |
          ## Deployment Summary
          We never say yolo or ship it here.
"""


def test_anchored_phrases_are_found_in_every_paragraph(tmp_path: Path) -> None:
    # forbidden-phrases searches the whole scope once to skip plans with no phrase at all; a
    # phrase anchored to a paragraph's start or end must not be missed by that shortcut.
    pack = tmp_path / "anchored.yaml"
    pack.write_text(ANCHORED_PACK, encoding="utf-8")
    results = run_suite(load_suite([pack]))
    assert [(r.case.spec.name, r.passed) for r in results] == [
        ("at the start of a later paragraph", True),
        ("at the end of an earlier item", True),
        ("in the middle of a paragraph", True),
    ]


def test_findings_on_one_line_may_be_expected_in_any_order(tmp_path: Path) -> None:
    pack = tmp_path / "holes.yaml"
    pack.write_text(
        """\
pack: holes
applies_to: [deploy-plan]
rules:
  - code: HO001
    name: holes
    check: placeholders
    summary: s
    message: "hole {placeholder}"
    docs: {what: w, why: y, example: e, fix: f}
    cases:
      - name: two on one line, listed right to left
        fail: |
          ## Deployment Summary
          Roll out to [X%] of users for [N minutes].
        expect:
          - {line: 2, message: "hole [N minutes]"}
          - {line: 2, message: "hole [X%]"}
""",
        encoding="utf-8",
    )
    results = run_suite(load_suite([pack]))
    assert [result.passed for result in results] == [True], [r.diff for r in results]
