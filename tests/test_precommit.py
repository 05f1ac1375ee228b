"""The pre-commit hook, run for real with ``pre-commit try-repo``.

pre-commit clones the hook repository at a commit and pip-installs it into its own virtualenv,
so these tests commit a copy of the current working tree (the checkout's HEAD may lag behind it)
into a temporary git repository and point ``try-repo`` at it from a second repository holding
plans. ``try-repo`` keeps its hook environments in a throwaway store, so every call builds a
fresh virtualenv (about 15 s): the module makes two calls, one failing and one passing.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

GIT = shutil.which("git")
if importlib.util.find_spec("pre_commit") is not None:
    PRE_COMMIT: list[str] | None = [sys.executable, "-m", "pre_commit"]
else:
    _found = shutil.which("pre-commit")
    PRE_COMMIT = [_found] if _found else None

pytestmark = [
    pytest.mark.skipif(GIT is None, reason="git is not installed"),
    pytest.mark.skipif(PRE_COMMIT is None, reason="pre-commit is not installed"),
]

# What pre-commit needs to pip-install planlint from the hook repository.
SOURCE_TREE = (
    "pyproject.toml",
    "README.md",
    ".pre-commit-hooks.yaml",
    "planlint",
    "rules",
    "schemas",
    "hatch_build.py",  # the build hook (the optional compiled core): every build loads it
)
# Build products are no part of a source tree: the compiled build's extension modules among them
# (the compiled run of .ci/run lints from a tree that has them beside their sources).
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo", ".*_cache", "*.so", "*.pyd")
INSTALL_TIMEOUT = 900  # seconds; each try-repo call pip-installs planlint and its dependencies


def _run(
    command: list[str], cwd: Path, env: Mapping[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=cwd,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _git(cwd: Path, env: Mapping[str, str], *args: str) -> None:
    assert GIT is not None
    result = _run([GIT, "-c", "commit.gpgsign=false", *args], cwd, env)
    assert result.returncode == 0, f"git {' '.join(args)} failed:\n{result.stdout}{result.stderr}"


def _commit_all(repo: Path, env: Mapping[str, str]) -> None:
    _git(repo, env, "init", "-q")
    _git(repo, env, "add", "-A")
    _git(repo, env, "commit", "-q", "-m", "snapshot")


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The caller's environment (PATH, proxies, pip settings) minus anything that would point
    git or pre-commit elsewhere, with a private PRE_COMMIT_HOME and git config."""
    home = tmp_path_factory.mktemp("pre-commit-home")
    gitconfig = home / "gitconfig"
    gitconfig.write_text("", encoding="utf-8")
    env = {
        key: value
        for key, value in os.environ.items()
        # GIT_DIR, GIT_INDEX_FILE… are set when pytest itself runs inside a git hook; SKIP
        # would let pre-commit skip the hook under test.
        if not key.startswith(("GIT_", "PRE_COMMIT")) and key != "SKIP"
    }
    env.update(
        PRE_COMMIT_HOME=str(home / "cache"),
        PRE_COMMIT_COLOR="never",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=str(gitconfig),
        GIT_AUTHOR_NAME="planlint tests",
        GIT_AUTHOR_EMAIL="tests@planlint.invalid",
        GIT_COMMITTER_NAME="planlint tests",
        GIT_COMMITTER_EMAIL="tests@planlint.invalid",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    return env


@pytest.fixture(scope="module")
def hook_repo(
    tmp_path_factory: pytest.TempPathFactory, repo_root: Path, env: dict[str, str]
) -> Path:
    """A git repository whose single commit is a copy of planlint's working tree."""
    repo = tmp_path_factory.mktemp("planlint-hook-repo")
    for name in SOURCE_TREE:
        source = repo_root / name
        assert source.exists(), f"{name} is missing from the source tree"
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=IGNORED)
        else:
            shutil.copy2(source, repo / name)
    _commit_all(repo, env)
    return repo


def _plan_repo(root: Path, files: Mapping[str, str], env: Mapping[str, str]) -> Path:
    repo = root / "plans"
    repo.mkdir()
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")
    _git(repo, env, "init", "-q")
    _git(repo, env, "add", "-A")  # try-repo --all-files lints what git tracks; no commit needed
    return repo


def _try_repo(plans: Path, hook_repo: Path, env: Mapping[str, str]) -> tuple[int, str]:
    assert PRE_COMMIT is not None
    command = [*PRE_COMMIT, "try-repo", str(hook_repo), "planlint", "--all-files", "--verbose"]
    result = _run(command, plans, env, timeout=INSTALL_TIMEOUT)
    return result.returncode, result.stdout + result.stderr


def test_hook_manifest_declares_planlint(repo_root: Path) -> None:
    from ruamel.yaml import YAML

    hooks = YAML(typ="safe").load((repo_root / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert [hook["id"] for hook in hooks] == ["planlint"]
    (hook,) = hooks
    assert hook["entry"] == "planlint check"
    assert hook["language"] == "python"
    assert hook["types"] == ["markdown"]
    # One planlint run per commit, so one summary: pre-commit's batches would each print theirs.
    assert hook["require_serial"] is True


def test_fixture_plans_lint_as_the_hook_tests_expect(
    tmp_path: Path, bad_plan_text: str, clean_plan_text: str
) -> None:
    # Guards the slow tests below: when a rule changes and a fixture plan no longer lints as
    # expected, this fails first and says so, rather than the hook looking broken.
    (tmp_path / "bad.md").write_text(bad_plan_text, encoding="utf-8")
    (tmp_path / "clean.md").write_text(clean_plan_text, encoding="utf-8")
    planlint = [sys.executable, "-m", "planlint", "check"]
    clean = _run([*planlint, "clean.md"], tmp_path, os.environ)
    assert clean.returncode == 0, f"the clean fixture plan is no longer clean:\n{clean.stdout}"
    bad = _run([*planlint, "bad.md"], tmp_path, os.environ)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "missing-section" in bad.stdout


@pytest.mark.slow
def test_hook_fails_on_a_plan_with_violations(
    tmp_path: Path,
    hook_repo: Path,
    env: dict[str, str],
    bad_plan_text: str,
    clean_plan_text: str,
) -> None:
    # More files than pre-commit puts in one batch on a machine with two or more CPUs: without
    # require_serial, each batch would be a planlint run with its own summary.
    clean = {f"docs/clean-plan-{n}.md": clean_plan_text for n in range(4)}
    plans = _plan_repo(
        tmp_path,
        {
            "docs/bad-plan.md": bad_plan_text,
            **clean,
            # Not Markdown, so `types: [markdown]` keeps it away from planlint.
            "notes/bad-plan.txt": bad_plan_text,
        },
        env,
    )
    code, output = _try_repo(plans, hook_repo, env)
    # 1 is "a hook failed"; 3 would be pre-commit failing to install or run it.
    assert code == 1, output
    assert "Failed" in output
    assert "missing-section" in output
    assert "docs/bad-plan.md" in output
    assert "clean-plan-0.md:" not in output
    assert "bad-plan.txt" not in output
    summaries = [line for line in output.splitlines() if line.startswith(("Found ", "All checked"))]
    assert len(summaries) == 1, output
    assert summaries[0].endswith("in 1 of 5 files."), output


@pytest.mark.slow
def test_hook_passes_on_a_clean_plan(
    tmp_path: Path,
    repo_root: Path,
    hook_repo: Path,
    env: dict[str, str],
    bad_plan_text: str,
    clean_plan_text: str,
) -> None:
    files = {"plans/release.md": clean_plan_text, "notes/bad-plan.txt": bad_plan_text}
    # The repository's clean examples, when there are any, go through the hook too.
    for example in sorted((repo_root / "examples" / "clean").glob("*.md")):
        files[f"examples/{example.name}"] = example.read_text(encoding="utf-8")
    plans = _plan_repo(tmp_path, files, env)
    code, output = _try_repo(plans, hook_repo, env)
    assert code == 0, output
    assert "Passed" in output
