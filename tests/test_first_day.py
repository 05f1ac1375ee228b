"""A new user's first day, through the real CLI in a throwaway repository: which profile each
plan gets and why, a guessed profile never restructured by --fix, and fixability shown."""

from __future__ import annotations

import json
import typing
from pathlib import Path

import pytest

from planlint.core.results import PROFILE_SOURCES
from planlint.report.json_report import JsonFile
from tests.helpers import run_planlint

GLOB_CONFIG = 'profiles:\n  "docs/rollouts/*.md": rollout-plan\n'

# Four sections, none with its canonical title: the headings match the deploy plan best.
FOUR_SECTIONS = """\
# Payments API v2

## Summary

We ship v2 of the payments API to production.

## Steps

1. Deploy the new image.
2. Watch the error rate.

## Verification

The error rate stays under 1% for 30 minutes.

## Rollback

Redeploy v1.
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()  # the config is searched up to the repository's root
    (tmp_path / ".planlint.yaml").write_text(GLOB_CONFIG, encoding="utf-8")
    (tmp_path / "docs" / "rollouts").mkdir(parents=True)
    return tmp_path


def _files(repo: Path, *args: str) -> list[dict[str, typing.Any]]:
    result = run_planlint("check", "--format", "json", "--no-cache", *args, cwd=repo)
    assert result.returncode in (0, 1), result.stderr
    files: list[dict[str, typing.Any]] = json.loads(result.stdout)["files"]
    return files


def test_new_warns_when_the_config_would_lint_the_plan_as_another_profile(repo: Path) -> None:
    made = run_planlint(
        "new", "--profile", "deploy-plan", "docs/rollouts/payments-hotfix.md", cwd=repo
    )
    assert made.returncode == 0, made.stderr
    assert "the config glob 'docs/rollouts/*.md' maps" in made.stderr
    assert "profile-mismatch" in made.stderr
    quiet = run_planlint("new", "--profile", "rollout-plan", "docs/rollouts/other.md", cwd=repo)
    assert "warning" not in quiet.stderr


def test_front_matter_wins_over_a_config_glob_and_the_disagreement_is_named(repo: Path) -> None:
    run_planlint("new", "--profile", "deploy-plan", "docs/rollouts/payments-hotfix.md", cwd=repo)
    checked = run_planlint("check", "--no-cache", "docs/rollouts/", cwd=repo)
    lines = checked.stdout.splitlines()
    assert lines[0] == (
        "docs/rollouts/payments-hotfix.md: linted as deploy-plan, "
        "named by `profile:` in its front matter"
    )
    mismatch = [line for line in lines if "[profile-mismatch]" in line]
    assert mismatch == [
        "docs/rollouts/payments-hotfix.md:2:1: warning PL006 [profile-mismatch] front matter "
        "says `profile: deploy-plan`, but the config glob 'docs/rollouts/*.md' maps this file "
        "to rollout-plan; linted as deploy-plan"
    ]
    # Linted as the deploy plan it says it is: no rollout-plan section is missing.
    assert "Executive Summary" not in checked.stdout


@pytest.mark.parametrize(
    ("front_matter", "args", "source", "reason"),
    [
        ("", ["--profile", "deploy-plan"], "option", "named by --profile"),
        (
            "---\nprofile: deploy-plan\n---\n",
            [],
            "front-matter",
            "named by `profile:` in its front matter",
        ),
        ("", [], "config", "named by the config glob 'docs/rollouts/*.md'"),
    ],
)
def test_every_report_says_where_the_profile_came_from(
    repo: Path, front_matter: str, args: list[str], source: str, reason: str
) -> None:
    (repo / "docs" / "rollouts" / "plan.md").write_text(front_matter + FOUR_SECTIONS, "utf-8")
    (entry,) = _files(repo, *args, "docs/rollouts/plan.md")
    assert (entry["profile_source"], entry["profile_reason"]) == (source, reason)
    text = run_planlint("check", "--no-cache", *args, "docs/rollouts/plan.md", cwd=repo)
    assert f"docs/rollouts/plan.md: linted as {entry['profile']}, {reason}" in text.stdout


def test_a_detected_profile_says_what_it_was_detected_from(repo: Path) -> None:
    (repo / "plan.md").write_text(FOUR_SECTIONS, encoding="utf-8")
    (entry,) = _files(repo, "plan.md")
    assert entry["profile"] == "deploy-plan"
    assert entry["profile_source"] == "headings"
    assert entry["profile_reason"] == "detected from its headings (4 of 6 sections)"
    (repo / "context.md").write_text(
        "- NOTES: none\n- ENVIRONMENT: staging\n\n## Anything\n\ntext\n", encoding="utf-8"
    )
    (entry,) = _files(repo, "context.md")
    assert entry["profile_source"] == "context-block"
    assert entry["profile_reason"] == "detected from its context block (NOTES, ENVIRONMENT)"
    (repo / "notes.md").write_text("# Notes from Tuesday\n\nNothing here.\n", encoding="utf-8")
    (entry,) = _files(repo, "notes.md")
    assert (entry["profile"], entry["profile_source"], entry["profile_reason"]) == (None, None, "")


def test_the_profile_and_its_source_survive_the_cache(repo: Path) -> None:
    (repo / "plan.md").write_text(FOUR_SECTIONS, encoding="utf-8")
    first = run_planlint("check", "plan.md", cwd=repo)
    second = run_planlint("check", "plan.md", cwd=repo)
    assert (repo / ".planlint_cache").is_dir()
    assert first.stdout == second.stdout
    assert second.stdout.startswith("plan.md: linted as deploy-plan, detected from its headings")


def test_quiet_output_is_findings_only(repo: Path) -> None:
    (repo / "plan.md").write_text(FOUR_SECTIONS, encoding="utf-8")
    quiet = run_planlint("check", "--quiet", "--no-cache", "plan.md", cwd=repo)
    assert quiet.stdout and all(line.startswith("plan.md:") for line in quiet.stdout.splitlines())
    assert "linted as" not in quiet.stdout


def test_fix_leaves_a_plan_with_a_guessed_profile_as_it_is(repo: Path) -> None:
    plan = repo / "plan.md"
    plan.write_text(FOUR_SECTIONS, encoding="utf-8")
    fixed = run_planlint("check", "--fix", "--no-cache", "plan.md", cwd=repo)
    assert plan.read_text(encoding="utf-8") == FOUR_SECTIONS
    assert "fixes skipped: its profile, deploy-plan, was only detected" in fixed.stderr
    assert "`profile:` in its front matter" in fixed.stderr
    diff = run_planlint("check", "--diff", "--no-cache", "plan.md", cwd=repo)
    assert diff.stdout == ""
    assert "fixes skipped" in diff.stderr
    # Named, the same plan is fixed: the guess was the only reason to hold back.
    named = run_planlint(
        "check", "--fix", "--no-cache", "--profile", "deploy-plan", "plan.md", cwd=repo
    )
    assert "## Deployment Steps" in plan.read_text(encoding="utf-8")
    assert "fixes skipped" not in named.stderr


def test_fixable_findings_are_marked_and_counted(repo: Path) -> None:
    plan = repo / "plan.md"
    plan.write_text("---\nprofile: deploy-plan\n---\n" + FOUR_SECTIONS, encoding="utf-8")
    checked = run_planlint("check", "--no-cache", "plan.md", cwd=repo)
    marked = [line for line in checked.stdout.splitlines() if " [*] " in line]
    assert marked and all(
        "[missing-section]" in m or "[non-canonical-heading]" in m for m in marked
    )
    assert "[pass-fail-criteria-missing] [*]" not in checked.stdout  # no fix: no mark
    assert (
        checked.stdout.splitlines()[-1] == f"[*] {len(marked)} fixable with `planlint check --fix`."
    )
    # Detected, the same plan's fixes are not applied by --fix: neither marked nor counted.
    plan.write_text(FOUR_SECTIONS, encoding="utf-8")
    guessed = run_planlint("check", "--no-cache", "plan.md", cwd=repo)
    assert " [*] " not in guessed.stdout
    assert "fixable" not in guessed.stdout


def test_unsafe_fixes_without_fix_or_diff_says_it_does_nothing(repo: Path) -> None:
    (repo / "plan.md").write_text(FOUR_SECTIONS, encoding="utf-8")
    alone = run_planlint("check", "--unsafe-fixes", "--no-cache", "plan.md", cwd=repo)
    assert "--unsafe-fixes does nothing without --fix or --diff" in alone.stderr
    with_diff = run_planlint("check", "--unsafe-fixes", "--diff", "--no-cache", "plan.md", cwd=repo)
    assert "does nothing" not in with_diff.stderr


def test_the_json_schema_lists_every_profile_source() -> None:
    annotation = JsonFile.model_fields["profile_source"].annotation
    listed = {arg for member in typing.get_args(annotation) for arg in typing.get_args(member)}
    assert listed == set(PROFILE_SOURCES)
