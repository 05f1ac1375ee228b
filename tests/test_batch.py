"""Parallel and cached runs report exactly what a cold, single-process run reports.

The JSON report is compared byte for byte, ordering included. The cache is exercised the way
it lives in a repository: written beside the config, ignored by git, invalidated by a changed
plan, config or pack, and harmless when damaged.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from planlint.report.json_report import JsonReport
from tests.helpers import first_fast, read_cache, run_and_list_imports, run_planlint, write_cache

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def report(repo: Path, *args: str) -> str:
    result = run_planlint("check", "--format", "json", "plans", *args, cwd=repo)
    assert result.returncode == 1, result.stderr  # the broken examples fail
    assert "Traceback" not in result.stderr
    # The report is written from plain data: the models, its contract, must give the same text.
    assert JsonReport.model_validate_json(result.stdout).model_dump_json(indent=2) + "\n" == (
        result.stdout
    )
    return result.stdout


def cache_files(repo: Path) -> list[Path]:
    return sorted((repo / ".planlint_cache").rglob("*.json"))


def test_parallel_and_cached_runs_match_the_cold_run_byte_for_byte(repo: Path) -> None:
    cold = report(repo, "--no-cache")
    assert not (repo / ".planlint_cache").exists(), "--no-cache must write nothing"
    assert len(json.loads(cold)["files"]) > 16  # enough files that --jobs really forks
    assert report(repo, "--no-cache", "--jobs", "2") == cold
    assert report(repo, "--jobs", "0") == cold  # fills the cache
    assert cache_files(repo)
    assert report(repo) == cold  # every file from the cache
    assert report(repo, "--jobs", "2") == cold


def test_cache_is_git_ignored_and_lives_at_the_repository_top(repo: Path) -> None:
    run_planlint("check", "plans/a", cwd=repo / "plans" / "..")
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert ".planlint_cache" not in status
    assert (repo / ".planlint_cache" / ".gitignore").read_text(encoding="utf-8").strip()


def test_cache_dir_option_and_environment(
    repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    elsewhere = tmp_path_factory.mktemp("cache")
    report(repo, "--cache-dir", str(elsewhere))
    assert list(elsewhere.rglob("*.json"))
    assert not (repo / ".planlint_cache").exists()


def test_changed_plan_is_linted_again(repo: Path) -> None:
    plan = repo / "plans" / "a" / "clean" / "rollout-plan.md"
    before = json.loads(report(repo))
    plan.write_text(plan.read_text(encoding="utf-8") + "\nTODO: fill in\n", encoding="utf-8")
    after = json.loads(report(repo))
    assert after["summary"] != before["summary"]
    assert report(repo) == report(repo, "--no-cache")


@pytest.mark.slow  # several CLI runs or hundreds of generated plans: the whole suite runs it
def test_changed_config_invalidates_the_cache(repo: Path) -> None:
    cached = report(repo)
    (repo / ".planlint.yaml").write_text("rules:\n  missing-section: off\n", encoding="utf-8")
    changed = report(repo)
    assert changed != cached
    rules = {v["rule"] for f in json.loads(changed)["files"] for v in f["violations"]}
    assert "missing-section" not in rules
    assert changed == report(repo, "--no-cache")


TEAM_PACK = """\
pack: team
rules:
  - code: TM001
    name: no-yolo
    severity: error
    check: prompt-leak
    summary: No yolo deploys.
    message: "found '{text}'"
    options: {patterns: ['\\brollback\\b']}
    docs: {what: a, why: b, example: c, fix: d}
"""


@pytest.mark.slow  # several CLI runs or hundreds of generated plans: the whole suite runs it
def test_changed_pack_invalidates_the_cache(repo: Path) -> None:
    pack = repo / "team.yaml"
    pack.write_text(TEAM_PACK, encoding="utf-8")
    first = report(repo, "--pack", "team.yaml")
    pack.write_text(pack.read_text(encoding="utf-8").replace("rollback\\b", "yolo\\b"))
    second = report(repo, "--pack", "team.yaml")
    assert first != second
    assert second == report(repo, "--pack", "team.yaml", "--no-cache")


@pytest.mark.parametrize(
    "damage", first_fast([b"", b"{not json", b'{"files": {"x": 1}}', b"\xff\xfe"])
)
def test_damaged_cache_is_ignored_and_rebuilt(repo: Path, damage: bytes) -> None:
    cold = report(repo, "--no-cache")
    report(repo)
    for path in cache_files(repo):
        path.write_bytes(damage)
    assert report(repo) == cold
    assert all(path.read_bytes() != damage for path in cache_files(repo))


ROW = ["unfilled-placeholder", "PL201", "error", "unfilled placeholder [X]", 3, 1, 3, 4]


@pytest.mark.parametrize(
    "violation",
    first_fast(
        [
            {"rule": "no-such-field"},  # the layout of an older planlint
            ["unfilled-placeholder"],
            [*ROW, None, None],  # a field short
            [*ROW[:2], 3, *ROW[3:], None, None, None],  # a severity that is not text
            [*ROW[:2], "fatal", *ROW[3:], None, None, None],
            [*ROW, None, None, ["a fix", [[1, 1]], True]],  # an edit without its end
            [*ROW, None, None, "a fix"],
            7,
            [*ROW[:4], 10**30, *ROW[5:], None, None, None],  # a line no file has
            [*ROW[:5], -5, *ROW[6:], None, None, None],  # a column before the first
            [*ROW[:2], "never", *ROW[3:], None, None, None],  # a fail_on word, not a severity
            [*ROW[:3], 42, *ROW[4:], None, None, None],  # a message that is not text
            [*ROW, None, None, ["a fix", [[1, 1, 1, 1, 7]], True]],  # an edit's text not text
        ]
    ),
)
def test_damaged_entry_is_linted_again(repo: Path, violation: object) -> None:
    cold = report(repo, "--no-cache")
    report(repo)
    for path in cache_files(repo):
        data = read_cache(path)
        for entry in data["files"].values():
            entry["violations"] = [violation]
        write_cache(path, data)
    assert report(repo) == cold


@pytest.mark.slow  # several CLI runs or a corpus pass: the whole suite runs it
def test_unwritable_cache_is_not_fatal(repo: Path) -> None:
    blocker = repo / "blocker"
    blocker.write_text("a file where the cache folder would go", encoding="utf-8")
    cold = report(repo, "--no-cache")
    assert report(repo, "--cache-dir", str(blocker / "cache")) == cold


def test_bad_jobs_value_is_a_usage_error(repo: Path) -> None:
    result = run_planlint("check", "--jobs", "-3", "plans", cwd=repo)
    assert result.returncode == 2
    assert "--jobs" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow  # several CLI runs or hundreds of generated plans: the whole suite runs it
def test_full_format_shows_the_source_from_the_cache_and_from_workers(repo: Path) -> None:
    def full(*args: str) -> str:
        result = run_planlint("check", "--format", "full", "plans", *args, cwd=repo)
        assert "Traceback" not in result.stderr
        return result.stdout

    cold = full("--no-cache")
    assert "Friday" in cold  # the source line under a finding is shown
    assert full("--no-cache", "--jobs", "2") == cold
    full()  # fills the cache
    assert full() == cold


# -- a fully cached run loads nothing -------------------------------------------------------------


def test_fully_cached_run_loads_no_pack_and_no_model(repo: Path) -> None:
    # The point of the cache in pre-commit and CI: a run that only reads results back must not
    # pay for YAML, pydantic or the grammar. Checked by what the process imported, not by time.
    argv = ["check", "--format", "json", "plans"]
    first = run_and_list_imports(argv, repo)
    assert (first[0], first[2]) == (1, ["lark", "pydantic", "ruamel"])  # cold: everything
    second = run_and_list_imports(argv, repo)
    assert (second[0], second[2]) == (1, [])
    assert second[1] == first[1]


def test_fully_cached_pre_commit_run_loads_only_what_it_prints_with(repo: Path) -> None:
    # What a pre-commit hook runs on unchanged plans: concise text to a pipe. It should load
    # no dataclasses (a millisecond a class at start-up), no rich (plain text needs none) and,
    # in a Python project whose pyproject.toml never mentions planlint, no TOML parser.
    (repo / "pyproject.toml").write_text('[project]\nname = "payments"\n', encoding="utf-8")
    argv = ["check", "--format", "concise", "plans"]
    watched = ("dataclasses", "lark", "pydantic", "rich", "ruamel", "tomllib")
    cold = run_and_list_imports(argv, repo, watched)
    assert cold[0] == 1 and "dataclasses" in cold[2]  # the check: the probe can see them
    cached = run_and_list_imports(argv, repo, watched)
    assert (cached[0], cached[2]) == (1, [])
    assert cached[1] == cold[1]


@pytest.mark.slow  # several CLI runs or a corpus pass: the whole suite runs it
def test_sarif_from_the_cache_describes_the_rules_as_the_cold_run(repo: Path) -> None:
    def sarif(*args: str) -> str:
        result = run_planlint("check", "--format", "sarif", "plans", *args, cwd=repo)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        return result.stdout

    cold = sarif("--no-cache")
    sarif()  # fills the cache
    assert sarif() == cold  # rule names, docs and severities come from the stored settings


@pytest.mark.slow  # several CLI runs or hundreds of generated plans: the whole suite runs it
def test_changed_pack_named_by_the_config_invalidates_the_cache(repo: Path) -> None:
    pack = repo / "team.yaml"
    pack.write_text(TEAM_PACK, encoding="utf-8")
    (repo / ".planlint.yaml").write_text("packs: [team.yaml]\n", encoding="utf-8")
    first = report(repo)
    assert report(repo) == first
    pack.write_text(TEAM_PACK.replace("rollback\\b", "yolo\\b"), encoding="utf-8")
    second = report(repo)
    assert second != first
    assert second == report(repo, "--no-cache")
    pack.unlink()  # gone: the run must say so, not answer from the cache
    result = run_planlint("check", "--format", "json", "plans", cwd=repo)
    assert result.returncode == 2 and "team.yaml" in result.stderr


WRONG_TYPES: dict[str, object] = {
    "rules": {
        "x": {
            **dict.fromkeys(["code", "name", "summary", "what", "why", "example", "fix"], 5),
            **{"severity": "error", "profiles": [], "when": []},
        }
    },
    "exclude": [],
    "fail_on": None,
    "packs": [],
}


@pytest.mark.parametrize(
    "settings", first_fast([None, 7, {"rules": []}, {"rules": {"x": {"code": 1}}}, WRONG_TYPES])
)
def test_damaged_stored_settings_are_rebuilt(repo: Path, settings: object) -> None:
    cold = report(repo, "--no-cache")
    report(repo)
    for path in cache_files(repo):
        data = read_cache(path)
        data["settings"] = settings
        write_cache(path, data)
    assert report(repo) == cold
    assert all(read_cache(p)["settings"]["rules"] for p in cache_files(repo))


def test_config_exclude_and_fail_on_hold_when_every_file_comes_from_the_cache(repo: Path) -> None:
    (repo / ".planlint.yaml").write_text(
        "exclude: ['plans/b/**', 'plans/c/**']\nfail_on: info\n", encoding="utf-8"
    )
    cold = report(repo)
    paths = {entry["path"] for entry in json.loads(cold)["files"]}
    assert paths and all(path.startswith("plans/a/") for path in paths)
    assert report(repo) == cold  # from the stored settings: the same files skipped
    infos_only = "plans/a/broken/non-canonical-heading.md"  # exits 0 at the default fail_on
    for _ in ("cold", "cached"):
        result = run_planlint("check", infos_only, cwd=repo)
        assert "PL105" in result.stdout and result.returncode == 1


def test_a_plan_saved_while_it_is_linted_never_gets_the_other_texts_verdict(
    tmp_path: Path,
) -> None:
    """The cache reads each file to look it up, then lints it: an edit saved in between must
    not store the new text's result under the old text's digest."""
    from planlint.app.batch import ResultCache, lint_files
    from planlint.engine.packs import default_packs
    from planlint.engine.runner import Linter

    plan = tmp_path / "plan.md"
    violating = "## Deployment Summary\nTODO\n"
    clean_text = "## Deployment Summary\n- Ships v2.14 to production; risk: auth.\n"
    plan.write_text(violating, encoding="utf-8")
    linter = Linter(list(default_packs()), profile="deploy-plan")

    def saved_meanwhile() -> Linter:  # called after the lookup read, before the lint
        plan.write_text(clean_text, encoding="utf-8")
        return linter

    cache = ResultCache(tmp_path / "cache", "key")
    list(lint_files(saved_meanwhile, [plan], cache=cache))
    plan.write_text(violating, encoding="utf-8")  # back to the violating text
    result = next(lint_files(lambda: linter, [plan], cache=cache))
    assert "unfilled-placeholder" in {v.rule for v in result.violations}


@pytest.mark.parametrize("planted", ["cache-folder", "gitignore", "entry"])
def test_a_planted_link_in_the_cache_never_writes_outside(tmp_path: Path, planted: str) -> None:
    repo = tmp_path / "repo"
    outside = tmp_path / "outside"
    repo.mkdir()
    outside.mkdir()
    (repo / ".git").mkdir()
    (repo / "plan.md").write_text("## Deployment Summary\nTODO\n", encoding="utf-8")
    cache = repo / ".planlint_cache"
    if planted == "cache-folder":
        cache.symlink_to(outside, target_is_directory=True)
    else:
        cache.mkdir()
        target = outside / "victim"
        if planted == "gitignore":
            (cache / ".gitignore").symlink_to(target)  # dangling: would create the victim
        else:
            target.write_text("precious\n", encoding="utf-8")
    first = run_planlint("check", "--format=json", "plan.md", cwd=repo)
    if planted == "entry":  # the entry a run wrote, swapped for a link to another file
        for entry in cache.glob("v*/*.json"):
            entry.unlink()
            entry.symlink_to(outside / "victim")
    second = run_planlint("check", "--format=json", "plan.md", cwd=repo)
    assert json.loads(first.stdout) == json.loads(second.stdout)
    victims = sorted(p.name for p in outside.iterdir())
    assert victims in ([], ["victim"])
    if victims:
        assert (outside / "victim").read_text(encoding="utf-8") == "precious\n"
