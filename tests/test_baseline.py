"""`planlint check --write-baseline / --baseline`, run for real in a temporary git repository."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from planlint.core.results import Severity, Violation
from planlint.report.fingerprints import fingerprints
from tests.helpers import run_planlint

GIT = shutil.which("git")

# A deploy plan (front matter names the profile) with two unfilled placeholders.
OLD_PLAN = """\
---
profile: deploy-plan
---
# Deployment plan: checkout v2.14

- NOTES: checkout v2.14
- ENVIRONMENT: staging

## Deployment Summary

Ship checkout v2.14 to [ENVIRONMENT].

## Pre-Deployment Checks

- CI is green.

## Deployment Steps

1. Deploy with `deploy.sh`.

## Verification & Observability

- 5xx rate < 0.5% for 10 minutes; owner [NAME].

## Rollback Readiness

- Revert with `rollback.sh`; rehearsed in staging on 2026-11-20.

## Next Actions

- Close the ticket.
"""


def _violations(result: subprocess.CompletedProcess[str]) -> list[tuple[str, int, str]]:
    data = json.loads(result.stdout)
    return [
        (file["path"], v["line"], v["message"])
        for file in data["files"]
        for v in file["violations"]
    ]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if GIT is not None:  # a real repository, so that paths are taken from its root
        subprocess.run([GIT, "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "plan.md").write_text(OLD_PLAN, encoding="utf-8")
    # Only placeholders, so that the counts below do not move when other rules are added.
    (tmp_path / ".planlint.yaml").write_text("select: [unfilled-placeholder]\n", encoding="utf-8")
    return tmp_path


def test_a_missing_baseline_says_how_to_create_it(repo: Path) -> None:
    result = run_planlint("check", "docs", "--baseline", "planlint-baseline.json", cwd=repo)
    assert result.returncode == 2
    assert result.stderr == (
        "planlint: error: planlint-baseline.json: the baseline file does not exist; record "
        "today's violations with `planlint check … --write-baseline planlint-baseline.json` "
        "and commit it\n"
    )


def test_only_new_violations_are_reported_after_edits(repo: Path) -> None:
    recorded = run_planlint("check", "docs", "--write-baseline", "baseline.json", cwd=repo)
    assert recorded.returncode == 0, recorded.stderr
    assert "recorded 2 violations in 1 file in baseline.json" in recorded.stderr
    assert recorded.stdout == ""
    data = json.loads((repo / "baseline.json").read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert [(e["path"], e["rule"]) for e in data["violations"]] == [
        ("docs/plan.md", "unfilled-placeholder")
    ] * 2
    assert all("line" not in entry for entry in data["violations"])

    # The baseline hides what it records.
    quiet = run_planlint(
        "check", "docs", "--baseline", "baseline.json", "--format", "json", cwd=repo
    )
    assert quiet.returncode == 0, quiet.stdout + quiet.stderr
    assert _violations(quiet) == []
    assert "2 known violations hidden by the baseline baseline.json" in quiet.stderr

    # Edit above both old violations (shifting them by three lines) and add a new one.
    edited = OLD_PLAN.replace(
        "## Deployment Summary\n",
        "## Deployment Summary\n\nThe owner is [OWNER].\n\n",
    )
    (repo / "docs" / "plan.md").write_text(edited, encoding="utf-8")
    after = run_planlint(
        "check", "docs", "--baseline", "baseline.json", "--format", "json", cwd=repo
    )
    assert after.returncode == 1, after.stdout + after.stderr
    assert _violations(after) == [("docs/plan.md", 11, "unfilled placeholder [OWNER]")]
    assert "2 known violations hidden" in after.stderr
    assert "no longer found" not in after.stderr

    # Without the baseline all three are there, the old ones on their new lines.
    everything = run_planlint("check", "docs", "--format", "json", cwd=repo)
    assert [line for _, line, _ in _violations(everything)] == [11, 14, 26]


def test_fixed_violations_are_reported_as_stale(repo: Path) -> None:
    run_planlint("check", "docs", "--write-baseline", "baseline.json", cwd=repo)
    fixed = OLD_PLAN.replace("owner [NAME]", "owner payments-sre")
    (repo / "docs" / "plan.md").write_text(fixed, encoding="utf-8")
    result = run_planlint("check", "docs", "--baseline", "baseline.json", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "planlint: 1 baseline entry no longer found (1 in docs/plan.md); "
        "shrink it with --write-baseline baseline.json"
    ) in result.stderr
    # Re-recording shrinks it.
    run_planlint("check", "docs", "--write-baseline", "baseline.json", cwd=repo)
    data = json.loads((repo / "baseline.json").read_text(encoding="utf-8"))
    assert [e["message"] for e in data["violations"]] == ["unfilled placeholder [ENVIRONMENT]"]


def test_a_second_identical_violation_is_new(repo: Path) -> None:
    # Occurrence counts: the baseline records one "[NAME]" line; a copy of it is a new finding.
    run_planlint("check", "docs", "--write-baseline", "baseline.json", cwd=repo)
    line = "- 5xx rate < 0.5% for 10 minutes; owner [NAME].\n"
    (repo / "docs" / "plan.md").write_text(OLD_PLAN.replace(line, line * 2), encoding="utf-8")
    result = run_planlint(
        "check", "docs", "--baseline", "baseline.json", "--format", "json", cwd=repo
    )
    assert result.returncode == 1
    assert _violations(result) == [("docs/plan.md", 24, "unfilled placeholder [NAME]")]


def test_paths_are_relative_to_the_baseline_file(repo: Path) -> None:
    # Recorded from the repository root, used from a subfolder: the same entries match.
    run_planlint("check", "docs", "--write-baseline", "baseline.json", cwd=repo)
    result = run_planlint("check", ".", "--baseline", "../baseline.json", cwd=repo / "docs")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 known violations hidden" in result.stderr


def test_the_baseline_is_sorted_and_stable(repo: Path) -> None:
    run_planlint("check", "docs", "--write-baseline", "one.json", cwd=repo)
    run_planlint("check", "docs/plan.md", "--write-baseline", "two.json", cwd=repo)
    one = (repo / "one.json").read_text(encoding="utf-8")
    assert one == (repo / "two.json").read_text(encoding="utf-8")
    entries = json.loads(one)["violations"]
    assert entries == sorted(entries, key=lambda e: (e["path"], e["code"], e["rule"], e["message"]))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "baseline.json:1: not a JSON baseline: Expecting property name"),
        ('{\n  "version": 7,\n  "violations": []\n}\n', "baseline.json:2: unsupported baseline"),
        ('{"version": 1}', "baseline.json:1: violations: is required, but missing"),
        (
            '{\n  "version": 1,\n  "violations": [\n    {"path": "x.md"}\n  ]\n}\n',
            "baseline.json:4: violations.0.rule: is required, but missing",
        ),
        ("[]", "baseline.json:1: top level: must be a mapping of keys to values"),
        ("\udcff", "baseline.json: cannot read the baseline"),
    ],
)
def test_a_broken_baseline_is_a_clear_error(repo: Path, content: str, expected: str) -> None:
    path = repo / "baseline.json"
    if content == "\udcff":
        path.write_bytes(b"\xff\xfe\x00garbage")
    else:
        path.write_text(content, encoding="utf-8")
    result = run_planlint("check", "docs", "--baseline", "baseline.json", cwd=repo)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith(f"planlint: error: {expected}"), result.stderr
    assert "Traceback" not in result.stderr


def test_baseline_and_write_baseline_exclude_each_other(repo: Path) -> None:
    result = run_planlint("check", "--baseline", "a", "--write-baseline", "b", cwd=repo)
    assert result.returncode == 2
    assert "not allowed with argument" in result.stderr


def _violation(line: int, message: str = "unfilled placeholder [X]") -> Violation:
    return Violation("unfilled-placeholder", "PL201", Severity.ERROR, message, line, 1, line, 2)


def test_fingerprints_ignore_line_numbers_but_not_content() -> None:
    lines = ["a", "Ship [X].", "b", "Ship [X]."]
    before = fingerprints("p.md", [_violation(2)], lines)
    shifted = fingerprints("p.md", [_violation(4)], ["x", "y", *lines[:2]])
    assert before == shifted
    assert before != fingerprints("q.md", [_violation(2)], lines)  # another file
    assert before != fingerprints("p.md", [_violation(2, "unfilled placeholder [Y]")], lines)
    # Two identical findings differ by occurrence, deterministically.
    twice = fingerprints("p.md", [_violation(2), _violation(4)], lines)
    assert twice[0] == before[0] and twice[1] != twice[0]
    assert twice == fingerprints("p.md", [_violation(2), _violation(4)], lines)
    # Messages that mention other lines keep their fingerprint when those lines move.
    moved = fingerprints("p.md", [_violation(2, "first at line 9")], lines)
    assert moved == fingerprints("p.md", [_violation(2, "first at line 12")], lines)


def test_a_baseline_that_cannot_be_written_keeps_the_old_one(tmp_path: Path) -> None:
    from planlint.core.paths import replace_file

    target = tmp_path / "baseline.json"
    target.write_text("old\n", encoding="utf-8")

    class Full(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(28, "No space left on device")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("os.fdopen", lambda *args, **kwargs: Full())
        with pytest.raises(OSError):
            replace_file(target, "new\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline.json"]
