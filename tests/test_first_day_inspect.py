"""A new user's first day, part two, through the real CLI in a throwaway repository: config
mistakes answered in our words, and profiles that can be inspected (`planlint profile`,
`planlint rules --profile`, the profile and matched sections in `planlint tree`)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import BAD_PLAN, CLEAN_PLAN
from tests.helpers import run_planlint

# A team's pack: its own profile, with a conditional section, an optional one and nested ones,
# and a rule of every profile that a `when:` keeps to rollout plans.
TEAM_PACK = """\
pack: team
profile:
  name: db-migration
  title: Database migration
  detect:
    min_sections: 2
  sections:
    - id: summary
      title: Summary
      aliases: [Overview]
    - id: backfill
      title: Backfill
      when: {environment: ["!development"]}
      sections:
        - id: batch-size
          title: Batch size
    - id: notes
      title: Notes
      required: false
"""

ROLLOUT_ONLY_PACK = """\
pack: rollout-extra
rules:
  - code: RX001
    name: no-yolo
    summary: s
    message: m
    check: prompt-leak
    options: {patterns: ['yolo']}
    when: {profile: [rollout-plan]}
    docs: {what: w, why: y, example: e, fix: f}
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()  # the config is searched up to the repository's root
    return tmp_path


def run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_planlint(*args, cwd=repo)


def failed_on_config(result: subprocess.CompletedProcess[str]) -> str:
    """The error of a run stopped by its config: exit 2, one message in our words."""
    assert result.returncode == 2, result.stdout + result.stderr
    for leak in ("Input should", "RuleConfig", "Traceback", "literal[", "Extra inputs"):
        assert leak not in result.stderr, result.stderr
    return result.stderr


# -- config errors in our words ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (
            "rules:\n  empty-section: [warning]\n",
            ".planlint.yaml:2: rules.empty-section: must be a severity (error, warning, info or "
            "off) or a mapping of severity: and options:, e.g. empty-section: warning (got a list)",
        ),
        ("rules:\n  empty-section: loud\n", "rules.empty-section: must be a severity"),
        (
            "rules:\n  empty-section:\n    severity: loud\n",
            ".planlint.yaml:3: rules.empty-section.severity: must be one of error, warning, info, "
            "off (got 'loud')",
        ),
        (
            "rules:\n  empty-section:\n    options: [1]\n",
            ".planlint.yaml:3: rules.empty-section.options: must be a mapping of option names",
        ),
        (
            "fail_on: error\nignore: {PL402: true}\n",
            ".planlint.yaml:2: ignore: must be a list of rule names or codes, e.g. "
            "ignore: [PL402] (got a mapping)",
        ),
        ("ignore: [1]\n", ".planlint.yaml:1: ignore: must be a list of rule names or codes"),
        ("fail_on: sometimes\n", "fail_on: must be one of error, warning, info (got 'sometimes')"),
        ("select: []\n", "select: must name at least one rule; leave select: out"),
        ("rules: [empty-section]\n", "rules: must be a mapping of rule names or codes"),
        (
            "profiles:\n  'docs/*.md': [deploy-plan]\n",
            ".planlint.yaml:2: profiles: 'docs/*.md' must map to a profile name (got a list)",
        ),
    ],
)
def test_a_config_of_the_wrong_shape_says_what_is_expected(
    repo: Path, config: str, expected: str
) -> None:
    (repo / ".planlint.yaml").write_text(config, encoding="utf-8")
    (repo / "plan.md").write_text(CLEAN_PLAN, encoding="utf-8")
    assert expected in failed_on_config(run(repo, "check", "plan.md"))


def test_an_unknown_key_suggests_the_closest_and_a_command_that_works(repo: Path) -> None:
    (repo / ".planlint.yaml").write_text("fail-on: warning\n", encoding="utf-8")
    error = failed_on_config(run(repo, "check", "."))
    assert ".planlint.yaml:1: fail-on: unknown key (did you mean 'fail_on'?)" in error
    assert "`planlint schema config`" in error
    assert run(repo, "schema", "config").returncode == 0  # the command named exists
    (repo / ".planlint.yaml").write_text(
        "rules:\n  empty-section:\n    sevrity: warning\n", encoding="utf-8"
    )
    error = failed_on_config(run(repo, "check", "."))
    assert ".planlint.yaml:3: rules.empty-section.sevrity: unknown key (did you mean " in error
    assert "'severity'?); a rule takes severity: and options:" in error


def test_pyproject_errors_name_the_line_and_give_a_toml_example(repo: Path) -> None:
    (repo / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.planlint.rules]\nempty-section = ["warning"]\n',
        encoding="utf-8",
    )
    error = failed_on_config(run(repo, "check", "."))
    assert "pyproject.toml:5: rules.empty-section: must be a severity" in error
    assert 'e.g. empty-section = "warning" (got a list)' in error


def _rules_reported(repo: Path) -> set[str]:
    result = run(repo, "check", "--format", "json", "--no-cache", "plan.md")
    assert result.returncode in (0, 1), result.stderr
    return {v["rule"] for f in json.loads(result.stdout)["files"] for v in f["violations"]}


@pytest.mark.slow  # several runs of the CLI
def test_a_single_rule_name_is_a_list_of_one_and_commas_separate_as_on_the_command_line(
    repo: Path,
) -> None:
    (repo / "plan.md").write_text(BAD_PLAN, encoding="utf-8")
    assert {"missing-context-block", "missing-section"} <= _rules_reported(repo)
    (repo / ".planlint.yaml").write_text("ignore: PL501\n", encoding="utf-8")
    found = _rules_reported(repo)
    assert "missing-context-block" not in found and "missing-section" in found
    (repo / ".planlint.yaml").write_text("ignore: PL501, missing-section\n", encoding="utf-8")
    assert not {"missing-context-block", "missing-section"} & _rules_reported(repo)


def test_a_pack_of_the_wrong_shape_is_answered_in_our_words_too(repo: Path) -> None:
    (repo / "team.yaml").write_text("pack: team\nprofile: db-migration\n", encoding="utf-8")
    error = failed_on_config(run(repo, "rules", "--pack", "team.yaml"))
    assert "team.yaml:2: profile: must be a mapping of keys to values (got 'db-migration')" in error
    assert "ProfileSpec" not in error
    (repo / "team.yaml").write_text("pack: team\ncolour: red\n", encoding="utf-8")
    error = failed_on_config(run(repo, "rules", "--pack", "team.yaml"))
    assert "team.yaml:2: colour: unknown key" in error and "`planlint schema pack`" in error


# -- planlint profile ----------------------------------------------------------------------------


@pytest.mark.slow  # several runs of the CLI
def test_profile_lists_the_bundled_profiles_and_a_config_packs_own(repo: Path) -> None:
    listed = run(repo, "profile")
    assert listed.returncode == 0, listed.stderr
    names = [line.split()[0] for line in listed.stdout.splitlines()[:2]]
    assert names == ["deploy-plan", "rollout-plan"]
    assert "context block NOTES+ENVIRONMENT" in listed.stdout
    (repo / "team.yaml").write_text(TEAM_PACK, encoding="utf-8")
    (repo / ".planlint.yaml").write_text("packs: team.yaml\n", encoding="utf-8")
    data = json.loads(run(repo, "profile", "--format", "json").stdout)
    assert [profile["name"] for profile in data] == ["deploy-plan", "rollout-plan", "db-migration"]


def test_profile_shows_sections_in_order_with_aliases_conditions_and_nesting(repo: Path) -> None:
    (repo / "team.yaml").write_text(TEAM_PACK, encoding="utf-8")
    result = run(repo, "profile", "db-migration", "--pack", "team.yaml")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "db-migration: Database migration"
    assert "Detected when at least 2 of its 3 sections match the plan's headings" in result.stdout
    assert "`profile: db-migration` in its front matter" in result.stdout
    outline = lines[lines.index("Sections, in order:") + 1 :]
    assert outline == [
        "  1. summary: Summary (required)",
        "     also: Overview",
        "  2. backfill: Backfill (required when environment is not development)",
        "    2.1. batch-size: Batch size (required)",
        "  3. notes: Notes (optional)",
    ]


def test_profile_as_json_for_tools(repo: Path) -> None:
    result = run(repo, "profile", "deploy-plan", "--format", "json")
    data: dict[str, Any] = json.loads(result.stdout)
    assert data["name"] == "deploy-plan"
    assert data["detect"]["context"] == ["NOTES", "ENVIRONMENT"]
    assert data["detect"]["min_sections"] == 3
    ids = [section["id"] for section in data["sections"]]
    assert ids == ["summary", "prechecks", "steps", "verification", "rollback", "next-actions"]
    summary = data["sections"][0]
    assert summary["title"] == "Deployment Summary" and "Summary" in summary["aliases"]
    assert (summary["required"], summary["when"], summary["sections"]) == (True, None, [])
    rollout = json.loads(run(repo, "profile", "rollout-plan", "--format", "json").stdout)
    communication = next(s for s in rollout["sections"] if s["id"] == "communication")
    assert communication["when"] == {"environment": ["!staging", "!development"]}
    assert communication["requirement"] == (
        "required when environment is not staging or development"
    )


def test_an_unknown_profile_exits_2_with_the_known_names(repo: Path) -> None:
    for args in (("profile", "deploy-plna"), ("rules", "--profile", "deploy-plna")):
        result = run(repo, *args)
        assert result.returncode == 2
        assert "unknown profile 'deploy-plna' (did you mean deploy-plan?)" in result.stderr
        assert "known: deploy-plan, rollout-plan" in result.stderr


# -- planlint rules --profile --------------------------------------------------------------------


@pytest.mark.slow  # several runs of the CLI
def test_rules_for_a_profile_are_those_that_apply_to_it(repo: Path) -> None:
    (repo / "extra.yaml").write_text(ROLLOUT_ONLY_PACK, encoding="utf-8")
    every = {row["code"] for row in _rules_json(repo, "--pack", "extra.yaml")}
    deploy = {
        row["code"] for row in _rules_json(repo, "--pack", "extra.yaml", "--profile", "deploy-plan")
    }
    rollout = {
        row["code"]
        for row in _rules_json(repo, "--pack", "extra.yaml", "--profile", "rollout-plan")
    }
    assert {"PL001", "PL501", "PL601", "RX001"} <= every
    assert "PL001" in deploy and "PL001" in rollout  # a rule of every profile
    assert "PL501" in deploy and "PL501" not in rollout  # the deploy pack's own
    assert "PL601" in rollout and "PL601" not in deploy
    assert "RX001" in rollout and "RX001" not in deploy  # when: {profile: [rollout-plan]}
    table = run(repo, "rules", "--profile", "deploy-plan").stdout
    assert "missing-context-block" in table and "executive-summary-incomplete" not in table


def _rules_json(repo: Path, *args: str) -> list[dict[str, Any]]:
    result = run(repo, "rules", "--json", *args)
    assert result.returncode == 0, result.stderr
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


# -- planlint tree -------------------------------------------------------------------------------


@pytest.mark.slow  # several runs of the CLI
def test_tree_shows_the_profile_and_the_section_each_heading_matched(repo: Path) -> None:
    body = CLEAN_PLAN.split("---\n", 2)[2]  # no front matter: the context block decides
    (repo / "plan.md").write_text(body + "\n## Appendix\n\nLinks.\n", encoding="utf-8")
    text = run(repo, "tree", "plan.md").stdout
    assert "linted as deploy-plan, detected from its context block (NOTES, ENVIRONMENT)" in text
    assert "## Deployment Summary" in text and "→ summary" in text
    assert "→ next-actions" in text
    appendix = next(line for line in text.splitlines() if "## Appendix" in line)
    assert appendix.endswith("→ no section")
    data = json.loads(run(repo, "tree", "--json", "plan.md").stdout)
    assert data["profile"] == "deploy-plan"
    assert data["profile_source"] == _report_of(repo)["profile_source"]  # the check's own answer
    assert "context block (NOTES, ENVIRONMENT)" in data["profile_reason"]
    headings = {h["title"]: h["section_id"] for h in data["headings"]}
    assert headings["Deployment Summary"] == "summary"
    assert headings["Appendix"] is None
    assert headings["Deployment plan: checkout v2.14"] is None  # the title is no section
    (top,) = data["sections"]
    assert [child["section_id"] for child in top["children"]][:2] == ["summary", "prechecks"]


def _report_of(repo: Path) -> dict[str, Any]:
    result = run(repo, "check", "--format", "json", "--no-cache", "plan.md")
    report: dict[str, Any] = json.loads(result.stdout)["files"][0]
    return report


def test_tree_json_keeps_its_old_fields(repo: Path) -> None:
    (repo / "plan.md").write_text(CLEAN_PLAN, encoding="utf-8")
    data = json.loads(run(repo, "tree", "--json", "plan.md").stdout)
    assert list(data)[:1] == ["path"] and {"headings", "sections"} <= set(data)
    assert {"level", "title", "line"} <= set(data["headings"][0])
    assert {"level", "title", "line", "end_line", "children"} <= set(data["sections"][0])


@pytest.mark.parametrize(
    ("setup", "args", "source", "reason"),  # as `planlint check --format json` says them
    [
        ("front matter", (), "front-matter", "named by `profile:` in its front matter"),
        ("glob", (), "config", "named by the config glob 'docs/*.md'"),
        ("option", ("--profile", "rollout-plan"), "option", "named by --profile"),
    ],
)
def test_tree_says_how_the_profile_was_chosen(
    repo: Path, setup: str, args: tuple[str, ...], source: str, reason: str
) -> None:
    (repo / "docs").mkdir()
    body = CLEAN_PLAN if setup == "front matter" else CLEAN_PLAN.split("---\n", 2)[2]
    (repo / "docs" / "plan.md").write_text(body, encoding="utf-8")
    if setup == "glob":
        (repo / ".planlint.yaml").write_text("profiles:\n  'docs/*.md': deploy-plan\n", "utf-8")
    data = json.loads(run(repo, "tree", "--json", *args, "docs/plan.md").stdout)
    assert (data["profile_source"], data["profile_reason"]) == (source, reason)


@pytest.mark.slow  # several runs of the CLI
def test_tree_of_a_file_no_profile_fits_says_why(repo: Path) -> None:
    (repo / "notes.md").write_text("# Notes\n\nNothing planned.\n", encoding="utf-8")
    data = json.loads(run(repo, "tree", "--json", "notes.md").stdout)
    assert (data["profile"], data["profile_source"]) == (None, None)
    assert "no profile's sections match this file's headings" in data["profile_reason"]
    assert data["headings"][0]["section_id"] is None
    assert "no profile: no profile's sections match" in run(repo, "tree", "notes.md").stdout
