"""`--format gitlab`: GitLab Code Quality reports with fingerprints that survive edits."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from planlint.core.results import FileResult, Severity, Violation
from planlint.report import make_formatter
from tests.helpers import run_planlint

PLAN = """\
---
profile: deploy-plan
---
# Deployment plan

## Deployment Summary

Ship [VERSION] to [ENV].
"""

SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def _report(results: list[FileResult], root: Path) -> list[dict[str, Any]]:
    out = io.StringIO()
    formatter = make_formatter("gitlab", out, rules={}, root=root)
    for result in results:
        formatter.add(result)
    formatter.finish()
    data: list[dict[str, Any]] = json.loads(out.getvalue())
    return data


def _violation(line: int, message: str, severity: Severity = Severity.ERROR) -> Violation:
    return Violation("unfilled-placeholder", "PL201", severity, message, line, 1, line, 5)


def _is_code_quality_issue(issue: dict[str, Any]) -> bool:
    location = issue["location"]
    return (
        isinstance(issue["description"], str)
        and isinstance(issue["check_name"], str)
        and isinstance(issue["fingerprint"], str)
        and issue["severity"] in SEVERITIES
        and isinstance(location["path"], str)
        and isinstance(location["lines"]["begin"], int)
        and location["lines"]["begin"] >= 1
    )


def test_the_cli_writes_a_code_quality_report(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # the repository root that paths are relative to
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "plan.md").write_text(PLAN, encoding="utf-8")
    result = run_planlint("check", "docs", "--format", "gitlab", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    issues = json.loads(result.stdout)
    assert isinstance(issues, list) and issues
    assert all(_is_code_quality_issue(issue) for issue in issues)
    placeholders = [i for i in issues if i["check_name"] == "unfilled-placeholder"]
    assert [(i["location"], i["severity"]) for i in placeholders] == [
        ({"path": "docs/plan.md", "lines": {"begin": 8}}, "major"),
    ] * 2
    assert placeholders[0]["description"] == (
        "PL201 [unfilled-placeholder] unfilled placeholder [VERSION]"
    )
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)


def test_a_clean_run_is_an_empty_array(tmp_path: Path) -> None:
    (tmp_path / "plan.md").write_text(PLAN.replace("[VERSION] to [ENV]", "v2"), encoding="utf-8")
    args = ("--format", "gitlab", "--select", "unfilled-placeholder")
    result = run_planlint("check", "plan.md", *args, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == []


def test_a_shifted_line_keeps_its_fingerprint(tmp_path: Path) -> None:
    lines = ["# Plan", "", "Ship [X]."]
    before = _report([FileResult("plan.md", None, [_violation(3, "[X]")], lines)], tmp_path)
    shifted = ["# Plan", "", "An added paragraph.", "", "Ship [X]."]
    after = _report([FileResult("plan.md", None, [_violation(5, "[X]")], shifted)], tmp_path)
    assert before[0]["fingerprint"] == after[0]["fingerprint"]
    assert (before[0]["location"]["lines"]["begin"], after[0]["location"]["lines"]["begin"]) == (
        3,
        5,
    )


def test_duplicates_get_distinct_deterministic_fingerprints(tmp_path: Path) -> None:
    lines = ["Ship [X].", "Ship [X]."]
    result = FileResult("plan.md", None, [_violation(2, "[X]"), _violation(1, "[X]")], lines)
    first = _report([result], tmp_path)
    again = _report([result], tmp_path)
    assert first[0]["fingerprint"] != first[1]["fingerprint"]
    assert [i["fingerprint"] for i in first] == [i["fingerprint"] for i in again]
    assert [i["location"]["lines"]["begin"] for i in first] == [1, 2]  # reading order


def test_the_same_finding_in_another_file_differs(tmp_path: Path) -> None:
    lines = ["Ship [X]."]
    issues = _report(
        [
            FileResult("a.md", None, [_violation(1, "[X]")], lines),
            FileResult("b.md", None, [_violation(1, "[X]")], lines),
        ],
        tmp_path,
    )
    assert issues[0]["fingerprint"] != issues[1]["fingerprint"]


@pytest.mark.parametrize(
    ("severity", "expected"),
    [(Severity.ERROR, "major"), (Severity.WARNING, "minor"), (Severity.INFO, "info")],
)
def test_severities_map_to_code_quality_levels(
    tmp_path: Path, severity: Severity, expected: str
) -> None:
    result = FileResult("plan.md", None, [_violation(1, "[X]", severity)], ["[X]"])
    assert _report([result], tmp_path)[0]["severity"] == expected


def test_a_file_outside_the_repository_keeps_its_path(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    outside = str(tmp_path / "elsewhere" / "plan.md")
    result = FileResult(outside, None, [_violation(1, "[X]")], ["[X]"])
    assert _report([result], tmp_path / "repo")[0]["location"]["path"] == outside


def test_report_writes_the_same_document_from_the_same_run(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "plan.md").write_text(PLAN, encoding="utf-8")
    alone = run_planlint("check", "plan.md", "--format", "gitlab", cwd=tmp_path)
    both = run_planlint(
        "check", "plan.md", "--format", "concise", "--report", "gitlab=cq.json", cwd=tmp_path
    )
    assert both.returncode == alone.returncode == 1
    assert (tmp_path / "cq.json").read_text(encoding="utf-8") == alone.stdout
    assert "plan.md:8:6: error PL201 [unfilled-placeholder]" in both.stdout


@pytest.mark.parametrize("value", ["gitlab", "nope=x.json", "gitlab="])
def test_a_malformed_report_option_is_a_usage_error(tmp_path: Path, value: str) -> None:
    (tmp_path / "plan.md").write_text(PLAN, encoding="utf-8")
    result = run_planlint("check", "plan.md", "--report", value, cwd=tmp_path)
    assert result.returncode == 2
    assert "expected FORMAT=FILE" in result.stderr
