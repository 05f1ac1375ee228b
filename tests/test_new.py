"""``planlint new``: skeletons generated from the packs, checked with the real command line."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from planlint.app.linter import build_linter
from planlint.app.skeleton import skeleton_for
from planlint.engine.conditions import condition_holds
from planlint.engine.packs import default_packs
from tests.helpers import run_planlint

DATA = Path(__file__).resolve().parent / "data"
PROFILES = {pack.profile.name: pack.profile for _, pack in default_packs() if pack.profile}
# Filled copies of `planlint new --profile P --environment production`, kept in tests/data/.
LINTER = build_linter(None)  # the bundled packs, no config: what `planlint new` reads
FILLED = {"rollout-plan": "new-rollout-plan-filled.md", "deploy-plan": "new-deploy-plan-filled.md"}


def new(*args: str, cwd: Path) -> str:
    result = run_planlint("new", *args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result.stdout


def check(path: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = run_planlint("check", "--format", "json", *args, path.name, cwd=path.parent)
    assert result.returncode in (0, 1), result.stderr
    [file] = json.loads(result.stdout)["files"]
    return result.returncode, file


def headings(text: str) -> list[str]:
    return re.findall(r"^#{1,6} (.+)$", text, flags=re.MULTILINE)


def repository_for(skeleton: str, root: Path) -> None:
    """Make ``root`` a repository holding every top folder a path in the skeleton's hints
    starts with ("docs/…", "deploy/…"), so that broken-reference judges those paths as it
    would in a real repository."""
    (root / ".git").mkdir()
    for folder in set(re.findall(r"(?<![\w./:@-])([A-Za-z][\w-]*)/[\w.-]", skeleton)):
        (root / folder).mkdir(exist_ok=True)


@pytest.mark.parametrize("profile", sorted(PROFILES))
@pytest.mark.parametrize("environment", [None, "production", "staging", "development"])
def test_a_skeleton_fails_unfilled_placeholder_only(
    tmp_path: Path, profile: str, environment: str | None
) -> None:
    """Its hints' example paths, to-do lines and context slots trip no other rule: not
    broken-reference, not summary-length, not window-unparseable, no content rule."""
    skeleton = skeleton_for(LINTER, profile, environment)  # what `planlint new` writes
    repository_for(skeleton, tmp_path)
    plan = tmp_path / "plan.md"
    plan.write_text(skeleton, encoding="utf-8")
    code, report = check(plan)
    assert report["profile"] == profile
    assert code == 1
    assert {v["rule"] for v in report["violations"]} == {"unfilled-placeholder"}, [
        (v["rule"], v["message"])
        for v in report["violations"]
        if v["rule"] != "unfilled-placeholder"
    ]
    # The skeleton is detected as its profile without the front matter too.
    plan.write_text(skeleton.split("---\n", 2)[2], encoding="utf-8")
    _, bare = check(plan)
    assert bare["profile"] == profile


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_sections_follow_the_environment(tmp_path: Path, profile: str) -> None:
    spec = PROFILES[profile]
    varied = 0
    for environment in ("production", "staging", "development"):
        titles = headings(new("--profile", profile, "--environment", environment, cwd=tmp_path))
        for section in spec.sections:
            wanted = section.required and condition_holds(
                section.when, {"environment": environment, "profile": profile}
            )
            assert (section.title in titles) == wanted, (environment, section.title)
            varied += section.when is not None and not wanted
        listed = [s.title for s in spec.sections if s.title in titles]
        assert listed == [title for title in titles if title in listed]  # in profile order
    if profile == "rollout-plan":
        assert varied, "the rollout plan drops sections outside production"


def test_hints_come_from_the_rules_scoped_to_each_section(tmp_path: Path) -> None:
    text = new("--profile", "deploy-plan", "--environment", "production", cwd=tmp_path)
    rollback = text.split("## Rollback Readiness")[1].split("\n## ")[0]
    assert "TODO (rollback-untested): Rehearse the rollback" in rollback
    assert "(pass-fail-criteria-missing)" not in rollback
    steps = text.split("## Deployment Steps")[1].split("\n## ")[0]
    assert re.search(r"^1\. TODO", steps, flags=re.MULTILINE)  # numbered where the packs say
    assert "- ENVIRONMENT: production" in text
    # A rule that only applies when a flag is declared says so, in words.
    assert "TODO (flag-ramp-missing; only when the plan declares a feature flag): " in text


def test_conditional_hints_say_when_they_apply_in_words() -> None:
    unknown = skeleton_for(LINTER, "rollout-plan")
    assert "TODO (staged-ramp-missing; only when the risk is high or critical): " in unknown
    # No --environment: a plan that names none is linted like production, and says so.
    assert "TODO (approvals-missing; only in production): " in unknown
    assert "TODO (contacts-incomplete; except in development): " in unknown
    assert "<!-- Required except in development. -->" in unknown
    production = skeleton_for(LINTER, "rollout-plan", "production")
    assert "TODO (approvals-missing): " in production  # decided: nothing left to say
    assert "only in production" not in production
    assert "except in" not in production
    assert "TODO (staged-ramp-missing; only when the risk is high or critical): " in production
    # A hint whose check decides for itself when it applies says so in its own words.
    deploy = skeleton_for(LINTER, "deploy-plan")
    assert "TODO (detailed-rollback-missing): For a high-risk release, " in deploy
    assert (
        "TODO (backup-missing; except in development): When the plan changes the database" in deploy
    )


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_hints_use_words_a_reader_knows(profile: str) -> None:
    text = skeleton_for(LINTER, profile)
    assert "cx:" not in text  # the seed template's command names mean nothing to a reader
    assert "Only when" not in text and "risk is high or risk is" not in text


def test_a_rule_turned_off_in_the_config_gives_no_hint(tmp_path: Path) -> None:
    (tmp_path / ".planlint.yaml").write_text("rules:\n  rollback-untested: off\n")
    text = new("--profile", "deploy-plan", cwd=tmp_path)
    assert "rollback-untested" not in text
    assert "## Rollback Readiness" in text


def test_writes_a_file_and_refuses_to_overwrite_it(tmp_path: Path) -> None:
    result = run_planlint("new", "--profile", "rollout-plan", "plans/x.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    written = tmp_path / "plans" / "x.md"
    assert written.read_text(encoding="utf-8").startswith("---\nprofile: rollout-plan\n")
    written.write_text("my plan\n", encoding="utf-8")
    again = run_planlint("new", "--profile", "rollout-plan", "plans/x.md", cwd=tmp_path)
    assert again.returncode == 2
    assert "plans/x.md already exists; use --force" in again.stderr
    assert written.read_text(encoding="utf-8") == "my plan\n"
    forced = run_planlint("new", "--profile", "rollout-plan", "--force", "plans/x.md", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert written.read_text(encoding="utf-8") != "my plan\n"


def test_an_unknown_profile_is_a_usage_error(tmp_path: Path) -> None:
    result = run_planlint("new", "--profile", "nope", cwd=tmp_path)
    assert result.returncode == 2
    assert "unknown profile 'nope'" in result.stderr
    assert "deploy-plan" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("profile", sorted(FILLED))
def test_a_filled_copy_of_the_skeleton_passes_every_rule(tmp_path: Path, profile: str) -> None:
    filled = DATA / FILLED[profile]
    skeleton = new("--profile", profile, "--environment", "production", cwd=tmp_path)
    text = filled.read_text(encoding="utf-8")
    assert headings(text)[1:] == headings(skeleton)[1:]  # the same sections, title aside
    code, report = check(filled, "--fail-on", "info")
    assert report["violations"] == []
    assert report["profile"] == profile
    assert code == 0
