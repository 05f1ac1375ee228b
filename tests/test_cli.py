"""The command line as users run it: a real subprocess, real files, exit codes and formats."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import jsonschema  # type: ignore[import-untyped, unused-ignore]
import pytest

from tests.conftest import CLEAN_PLAN
from tests.helpers import run_planlint

REPO = Path(__file__).resolve().parent.parent

# The clean deploy plan of tests/conftest.py, for staging and without front matter or window.
GOOD_DEPLOY = (
    CLEAN_PLAN.split("---\n", 2)[2]
    .replace(
        "- ENVIRONMENT: production\n- WINDOW: Tuesday 2026-12-01 09:00–10:30 UTC\n",
        "- ENVIRONMENT: staging\n",
    )
    .replace("production", "staging")
)

BAD_DEPLOY = """\
- NOTES: checkout v2.14
- ENVIRONMENT: production
- WINDOW: Friday 2026-12-04 15:00–16:30 UTC

## Deployment Summary
- Ships [X%] of the feature.

## Deployment Steps
1. Deploy.
"""


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_planlint(*args, cwd=cwd)


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    """A repository with a few plans (outside a repository only the current folder's config
    counts)."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "docs" / "rollouts").mkdir(parents=True)
    (tmp_path / "docs" / "rollouts" / "good.md").write_text(GOOD_DEPLOY, encoding="utf-8")
    (tmp_path / "docs" / "rollouts" / "bad.md").write_text(BAD_DEPLOY, encoding="utf-8")
    return tmp_path


def report(result: subprocess.CompletedProcess[str]) -> dict[str, object]:
    data: dict[str, object] = json.loads(result.stdout)
    return data


def rules_by_file(data: dict[str, object]) -> dict[str, list[str]]:
    files = data["files"]
    assert isinstance(files, list)
    return {f["path"]: [v["rule"] for v in f["violations"]] for f in files}


# -- exit codes ----------------------------------------------------------------------------------


def test_clean_plan_exits_zero(plans: Path) -> None:
    result = run("check", "docs/rollouts/good.md", cwd=plans)
    assert result.returncode == 0, result.stdout + result.stderr


def test_violations_exit_one_and_glob_expansion(plans: Path) -> None:
    result = run("check", "--format", "json", "docs/**/*.md", cwd=plans)
    assert result.returncode == 1
    found = rules_by_file(report(result))
    assert found["docs/rollouts/good.md"] == []
    assert {"missing-section", "unfilled-placeholder", "friday-afternoon-window"} <= set(
        found["docs/rollouts/bad.md"]
    )


def test_directory_argument_recurses(plans: Path) -> None:
    result = run("check", "--format", "json", "docs", cwd=plans)
    assert set(rules_by_file(report(result))) == {"docs/rollouts/bad.md", "docs/rollouts/good.md"}


def test_exit_zero_and_fail_on(plans: Path) -> None:
    assert run("check", "--exit-zero", "docs", cwd=plans).returncode == 0
    plan = plans / "warn.md"
    window = "- ENVIRONMENT: staging\n- WINDOW: 2026-12-08 09:00–10:00"
    plan.write_text(GOOD_DEPLOY.replace("- ENVIRONMENT: staging", window), encoding="utf-8")
    assert run("check", "warn.md", cwd=plans).returncode == 0  # a warning does not fail by default
    assert run("check", "--fail-on", "warning", "warn.md", cwd=plans).returncode == 1


def test_glob_matching_nothing_is_a_usage_error(plans: Path) -> None:
    result = run("check", "nothing/**/*.md", cwd=plans)
    assert result.returncode == 2
    assert "matched no Markdown file" in result.stderr


def test_missing_path_is_reported_and_other_files_still_linted(plans: Path) -> None:
    result = run("check", "--format", "json", "gone.md", "docs/rollouts/bad.md", cwd=plans)
    assert result.returncode == 2
    assert "gone.md" in result.stderr
    assert "docs/rollouts/bad.md" in rules_by_file(report(result))


def test_unknown_rule_in_select_is_a_usage_error(plans: Path) -> None:
    result = run("check", "--select", "rollback-untestd", "docs", cwd=plans)
    assert result.returncode == 2
    assert "unknown rule 'rollback-untestd'" in result.stderr
    assert "Traceback" not in result.stderr


def test_select_and_ignore_by_name_code_and_prefix(plans: Path) -> None:
    only = run("check", "--format", "json", "--select", "PL201", "docs", cwd=plans)
    assert set(rules_by_file(report(only))["docs/rollouts/bad.md"]) == {"unfilled-placeholder"}
    without = run(
        "check", "--format", "json", "--ignore", "PL1,unfilled-placeholder", "docs", cwd=plans
    )
    rules = set(rules_by_file(report(without))["docs/rollouts/bad.md"])
    assert "unfilled-placeholder" not in rules and "missing-section" not in rules
    assert "friday-afternoon-window" in rules


def test_invalid_utf8_is_a_read_error_and_others_are_linted(plans: Path) -> None:
    (plans / "docs" / "latin1.md").write_bytes("## Résumé\n".encode("latin-1"))
    result = run("check", "--format", "json", "docs", cwd=plans)
    files = {f["path"]: f for f in report(result)["files"]}  # type: ignore[attr-defined]
    violation = files["docs/latin1.md"]["violations"][0]
    assert violation["rule"] == "read-error"
    assert "byte offset 4" in violation["message"]
    assert files["docs/rollouts/good.md"]["violations"] == []
    assert "Traceback" not in result.stderr


def test_binary_and_directory_named_md(plans: Path) -> None:
    (plans / "blob.md").write_bytes(b"\x89PNG\x00\x00")
    (plans / "folder.md").mkdir()
    result = run("check", "--format", "json", "blob.md", "folder.md", cwd=plans)
    assert "Traceback" not in result.stderr
    assert "binary" in result.stdout


# -- formats -------------------------------------------------------------------------------------


def test_json_report_matches_its_schema(plans: Path) -> None:
    schema = json.loads((REPO / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    result = run("check", "--format", "json", "docs", cwd=plans)
    jsonschema.validate(report(result), schema)


def test_sarif_is_valid_and_relative(plans: Path) -> None:
    schema = json.loads((REPO / "tests" / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
    subprocess.run(["git", "init", "-q"], cwd=plans, check=True)
    result = run("check", "--format", "sarif", "docs", cwd=plans)
    data = json.loads(result.stdout)
    jsonschema.Draft4Validator(schema).validate(data)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in data["runs"][0]["results"]
    }
    assert uris == {"docs/rollouts/bad.md"}


def test_github_and_concise_and_junit(plans: Path) -> None:
    github = run("check", "--format", "github", "docs/rollouts/bad.md", cwd=plans).stdout
    assert "::error file=docs/rollouts/bad.md,line=" in github
    concise = run("check", "--format", "concise", "docs/rollouts/bad.md", cwd=plans).stdout
    assert "docs/rollouts/bad.md:6:9: error PL201 [unfilled-placeholder]" in concise
    junit = run("check", "--format", "junit", "docs", cwd=plans).stdout
    assert junit.count("<testcase") == 2 and junit.count("<failure") == 1


def test_full_format_shows_source_and_hint(plans: Path) -> None:
    result = run("check", "--format", "full", "docs/rollouts/bad.md", cwd=plans)
    assert "docs/rollouts/bad.md:6:9" in result.stdout
    assert "- Ships [X%] of the feature." in result.stdout
    assert "^^^^" in result.stdout


def test_statistics(plans: Path) -> None:
    result = run("check", "--statistics", "--format", "concise", "docs", cwd=plans)
    assert "missing-section" in result.stdout


# -- profiles, config, packs ---------------------------------------------------------------------


def test_unknown_profile_notice(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("# Notes\nnot a plan\n", encoding="utf-8")
    result = run("check", "--format", "json", "notes.md", cwd=tmp_path)
    data = report(result)
    assert rules_by_file(data)["notes.md"] == ["unknown-profile"]
    assert result.returncode == 0  # a warning


def test_config_in_a_parent_folder_with_profile_globs_and_rule_settings(plans: Path) -> None:
    (plans / ".planlint.yaml").write_text(
        "profiles:\n  'docs/rollouts/*.md': deploy-plan\n"
        "rules:\n  unfilled-placeholder: off\n  missing-section: warning\n"
        "  friday-afternoon-window:\n    options: {days: [thursday]}\n",
        encoding="utf-8",
    )
    result = run("check", "--format", "json", "bad.md", cwd=plans / "docs" / "rollouts")
    data = report(result)
    files = data["files"]
    assert isinstance(files, list)
    violations = files[0]["violations"]
    assert files[0]["profile"] == "deploy-plan"
    rules = {v["rule"]: v["severity"] for v in violations}
    assert "unfilled-placeholder" not in rules and "friday-afternoon-window" not in rules
    assert rules["missing-section"] == "warning"


def test_pyproject_config(plans: Path) -> None:
    (plans / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.planlint]\nignore = ["unfilled-placeholder"]\n',
        encoding="utf-8",
    )
    result = run("check", "--format", "json", "docs/rollouts/bad.md", cwd=plans)
    assert "unfilled-placeholder" not in rules_by_file(report(result))["docs/rollouts/bad.md"]


@pytest.mark.parametrize(
    ("pyproject", "ours"),
    [
        ('[tool.planlint]\nignore = ["x"]\n', True),
        ('[tool."planlint"]\nignore = ["x"]\n', True),
        ("[ tool . planlint . rules ]\nx = 'off'\n", True),
        ("[tool]\nplanlint = { ignore = ['x'] }\n", True),
        ("tool.planlint.ignore = ['x']\n", True),
        ("[tool]\nplanlint.ignore = ['x']\n", True),
        ("tool = { planlint = { ignore = ['x'] } }\n", True),
        ("[tool.'planlint']\nignore = ['x']\n", True),
        ("[tool.planlint\n", True),  # broken, but meant for us: the config loader reports it
        ('[project]\nname = "payments"\n\n[tool.ruff]\nline-length = 99\n', False),
        ('[project.scripts]\nplanlint = "planlint.cli:main"\n', False),  # a key, not our table
        ('[tool.importlinter]\nlayers = [\n    "planlint.cli",\n]\n', False),  # a value
        ("", False),
    ],
)
def test_pyproject_is_our_config_only_with_a_planlint_table(
    tmp_path: Path, pyproject: str, ours: bool
) -> None:
    from planlint.core.paths import find_config

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    expected = tmp_path / "pyproject.toml" if ours else None
    assert find_config(tmp_path) == expected


@pytest.mark.parametrize(
    ("config", "line", "words"),
    [
        ("rules:\n  rollback-untestd: off\n", 2, "unknown rule 'rollback-untestd'"),
        ("rules: [\n", 2, "invalid YAML"),
        ("fail_on: sometimes\n", 1, "fail_on"),
        ("colour: red\n", 1, "unknown key"),
        ("profiles:\n  '*.md': launch-plan\n", 2, "unknown profile 'launch-plan'"),
        ("rules:\n  friday-afternoon-window:\n    options: {days: [funday]}\n", 2, "funday"),
    ],
)
def test_bad_config_names_file_and_line(plans: Path, config: str, line: int, words: str) -> None:
    (plans / ".planlint.yaml").write_text(config, encoding="utf-8")
    result = run("check", "docs", cwd=plans)
    assert result.returncode == 2, result.stdout
    assert f".planlint.yaml:{line}:" in result.stderr, result.stderr
    assert words in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("pack", "line", "words"),
    [
        ("pack: team\nrules:\n  - code: TM001\n    name: x\n", 3, "summary"),
        ("pack: team\nrules: [\n", 3, "invalid YAML"),
        (
            "pack: team\nrules:\n  - {code: TM001, name: leak, summary: s, message: m,\n"
            "     docs: {what: w, why: y, example: e, fix: f},\n"
            "     check: prompt-leak, options: {patterns: ['(unclosed']}}\n",
            5,
            "regular expression",
        ),
        (
            "pack: team\nrules:\n  - {code: TM001, name: leak, summary: s, message: m,\n"
            "     docs: {what: w, why: y, example: e, fix: f}, check: no-such-check}\n",
            4,
            "unknown check 'no-such-check'",
        ),
    ],
)
def test_bad_pack_names_file_and_line(plans: Path, pack: str, line: int, words: str) -> None:
    (plans / "team.yaml").write_text(pack, encoding="utf-8")
    result = run("check", "--pack", "team.yaml", "docs", cwd=plans)
    assert result.returncode == 2, result.stdout
    assert f"team.yaml:{line}:" in result.stderr, result.stderr
    assert words in result.stderr
    assert "Traceback" not in result.stderr


def test_user_pack_adds_a_rule_without_python(plans: Path) -> None:
    (plans / "team.yaml").write_text(
        """\
pack: team
applies_to: [deploy-plan]
rules:
  - code: TM001
    name: no-yolo
    severity: warning
    check: prompt-leak
    summary: No yolo deploys.
    message: "found '{text}'"
    options: {patterns: ['\\byolo\\b']}
    docs: {what: Finds yolo., why: Because., example: yolo, fix: Plan instead.}
""",
        encoding="utf-8",
    )
    plan = plans / "docs" / "rollouts" / "good.md"
    plan.write_text(GOOD_DEPLOY + "\nWe deploy YOLO style.\n", encoding="utf-8")
    result = run("check", "--pack", "team.yaml", "--format", "json", str(plan), cwd=plans)
    violations = report(result)["files"][0]["violations"]  # type: ignore[index]
    assert [v["rule"] for v in violations] == ["no-yolo"]
    assert run("rules", "--pack", "team.yaml", cwd=plans).stdout.count("no-yolo") == 1


# -- suppressions --------------------------------------------------------------------------------


def test_inline_suppressions(tmp_path: Path) -> None:
    text = BAD_DEPLOY.replace(
        "## Deployment Summary\n- Ships [X%] of the feature.",
        "## Deployment Summary\n<!-- planlint-disable-next-line unfilled-placeholder -->\n"
        "- Ships [X%] of the feature.\n- Then [Y%].",
    )
    text = "<!-- planlint-disable-file friday-afternoon-window -->\n" + text
    (tmp_path / "plan.md").write_text(text, encoding="utf-8")
    result = run("check", "--format", "json", "plan.md", cwd=tmp_path)
    violations = report(result)["files"][0]["violations"]  # type: ignore[index]
    placeholders = [v["line"] for v in violations if v["rule"] == "unfilled-placeholder"]
    assert placeholders == [9]  # only [Y%]: [X%] on line 8 is suppressed
    assert not any(v["rule"] == "friday-afternoon-window" for v in violations)


def test_disable_and_enable_range(tmp_path: Path) -> None:
    text = (
        "- NOTES: n\n- ENVIRONMENT: staging\n## Deployment Summary\n"
        "<!-- planlint-disable PL201 -->\n- [X%]\n<!-- planlint-enable PL201 -->\n- [Y%]\n"
    )
    (tmp_path / "plan.md").write_text(text, encoding="utf-8")
    result = run("check", "--format", "json", "--select", "PL201", "plan.md", cwd=tmp_path)
    violations = report(result)["files"][0]["violations"]  # type: ignore[index]
    assert [v["line"] for v in violations] == [7]


# -- other commands ------------------------------------------------------------------------------


def test_rules_table_and_rule_page(tmp_path: Path) -> None:
    table = run("rules", cwd=tmp_path).stdout
    for name in ("missing-section", "rollback-untested", "numbered-list-outside-steps"):
        assert name in table
    page = run("rule", "rollback-untested", cwd=tmp_path)
    assert page.returncode == 0
    for heading in ("What it does", "Why it matters", "Example", "How to fix"):
        assert heading in page.stdout
    assert run("rule", "PL301", cwd=tmp_path).stdout == page.stdout


def test_unknown_rule_page_suggests(tmp_path: Path) -> None:
    result = run("rule", "rollback-untestd", cwd=tmp_path)
    assert result.returncode == 2
    assert "did you mean rollback-untested" in result.stderr


def test_schema_command(tmp_path: Path) -> None:
    result = run("schema", "pack", cwd=tmp_path)
    assert json.loads(result.stdout)["title"] == "planlint policy pack"


def test_bare_paths_mean_check(plans: Path) -> None:
    assert run("docs/rollouts/good.md", cwd=plans).returncode == 0


def test_tree_shows_what_planlint_sees(plans: Path) -> None:
    result = run("tree", "--json", "docs/rollouts/good.md", cwd=plans)
    data = json.loads(result.stdout)
    assert data["path"] == "docs/rollouts/good.md"
    first = data["headings"][0]  # later fields are added beside these, never instead
    assert {key: first[key] for key in ("level", "title", "line")} == {
        "level": 1,
        "title": "Deployment plan: checkout v2.14",
        "line": 1,
    }
    (top,) = data["sections"]
    assert [child["title"] for child in top["children"]][:2] == [
        "Deployment Summary",
        "Pre-Deployment Checks",
    ]
    assert top["end_line"] == len(GOOD_DEPLOY.splitlines())
    text = run("tree", "docs/rollouts/good.md", cwd=plans).stdout
    first = GOOD_DEPLOY.splitlines().index("## Rollback Readiness") + 1
    last = GOOD_DEPLOY.splitlines().index("## Next Actions")  # through the blank line before it
    assert "## Rollback Readiness" in text and f"lines {first}–{last}" in text


def test_tree_of_a_missing_file(plans: Path) -> None:
    result = run("tree", "missing.md", cwd=plans)
    assert result.returncode == 2 and "does not exist" in result.stderr


def test_outside_a_repository_no_config_above_the_folder_is_used(tmp_path: Path) -> None:
    from planlint.core.paths import find_config

    (tmp_path / ".planlint.yaml").write_text("select: [PL101]\n", encoding="utf-8")
    below = tmp_path / "export" / "plans"
    below.mkdir(parents=True)
    if any(is_repo for is_repo in [(p / ".git").exists() for p in tmp_path.parents]):
        pytest.skip("the temporary folder is inside a repository")
    assert find_config(below) is None
    assert find_config(tmp_path) == tmp_path / ".planlint.yaml"
