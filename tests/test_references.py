"""broken-reference (PL801) against files on disk, in a real temporary Git repository.

The rule needs a plan file inside a repository, which a text case in rules/cases/ cannot give
it (those cases are linted without a path, where the rule is silent by design).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from planlint.engine.checks.references import count_lines, find_references
from planlint.engine.config import Config, LoadedConfig
from planlint.engine.packs import default_packs
from planlint.engine.runner import Linter
from planlint.markdown.nodes import Line
from tests.helpers import run_planlint

RULE = "broken-reference"
HEADER = "---\nprofile: deploy-plan\n---\n## Deployment Steps\n\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q", str(root)], check=True)
    else:  # what planlint looks for: a .git folder
        (root / ".git").mkdir()
    (root / "scripts").mkdir()
    (root / "scripts" / "migrate-db.sh").write_text("#!/bin/sh\necho migrate\n", encoding="utf-8")
    (root / "config").mkdir()
    (root / "config" / "prod.yaml").write_text("".join(f"k{n}: {n}\n" for n in range(1, 81)))
    (root / "docs").mkdir()
    return root


def lint(plan: Path, body: str, **options: object) -> list[tuple[int, int, str]]:
    plan.write_text(HEADER + body, encoding="utf-8")
    config = Config.model_validate({"rules": {RULE: {"options": options}}} if options else {})
    linter = Linter(list(default_packs()), LoadedConfig(config=config), select=[RULE])
    result = linter.lint_file(plan, plan.name)
    return [(v.line, v.column, v.message) for v in result.violations if v.rule == RULE]


def test_a_missing_file_and_a_line_past_the_end(repo: Path) -> None:
    found = lint(
        repo / "plan.md",
        "1. Run `scripts/migrate.sh` (the script is `scripts/migrate-db.sh`).\n"
        "2. Set the limit in `config/prod.yaml (line 412)`; `config/prod.yaml (line 80)` is fine.\n"
        "3. See config/prod.yaml:81 and config/prod.yaml (lines 70-90).\n",
    )
    assert found == [
        (6, 9, "'scripts/migrate.sh' does not exist in the repository"),
        (7, 22, "'config/prod.yaml' has 80 lines, so line 412 does not exist"),
        (8, 8, "'config/prod.yaml' has 80 lines, so line 81 does not exist"),
        (8, 32, "'config/prod.yaml' has 80 lines, so line 90 does not exist"),
    ]


def test_what_is_not_a_reference_to_this_repository(repo: Path) -> None:
    body = (
        "- https://git.example.com/shop/scripts/missing.sh and git.example.com/x/missing.yaml\n"
        "- `scripts/*.sh`, `config/**/missing.yaml`, api/v1.2, release/v2.14.0, e.g./i.e.\n"
        "- /etc/nginx/missing.conf, ~/.kube/missing.yaml, $HOME/scripts/missing.sh\n"
        "- deploy/prod/deploy.sh: no deploy/ folder here, so it is another repository's path\n"
        "\n"
        "```sh\n"
        "scripts/missing.sh --in-a-fence\n"
        "```\n"
    )
    assert lint(repo / "plan.md", body) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Run `scripts/migrate.sh` now.", [("scripts/migrate.sh", None)]),
        ("See config/prod.yaml (line 12).", [("config/prod.yaml", 12)]),
        ("See `config/prod.yaml` (lines 3–5).", [("config/prod.yaml", 3)]),
        ("See deploy/values.yaml:41.", [("deploy/values.yaml", 41)]),
        ("Open README.md (line 3) or README.md.", [("README.md", 3)]),
        ("[runbook](./docs/runbook.md)", [("docs/runbook.md", None)]),
        ("core/v1.Pod, batch/v1.JobSpec, api/v1.2, release/v2.14.0", []),
        ("registry.example.com/shop/api.tar and csi/driver.vmware.com", []),
        ("s3://bucket/dumps/x.sql, /etc/x.conf, ~/x/y.yaml, $HOME/x/y.sh, e.g./i.e.", []),
    ],
)
def test_what_reads_as_a_reference(text: str, found: list[tuple[str, int | None]]) -> None:
    references = find_references(Line(1, 1, text))
    assert [(ref.path, ref.first) for ref in references] == found


def test_unknown_top_folders_are_checked_when_asked(repo: Path) -> None:
    found = lint(repo / "plan.md", "1. Run `deploy/prod/deploy.sh`.\n", known_folders_only=False)
    assert [message for _, _, message in found] == [
        "'deploy/prod/deploy.sh' does not exist in the repository"
    ]


def test_references_relative_to_the_plan_like_a_link(repo: Path) -> None:
    (repo / "docs" / "runbook.md").write_text("one\ntwo\n", encoding="utf-8")
    found = lint(
        repo / "docs" / "plan.md",
        "- [runbook](runbook.md) and `runbook.md (line 2)` and ../scripts/migrate-db.sh\n"
        "- `runbook.md (line 3)` and ../scripts/gone.sh\n",
    )
    assert [message for _, _, message in found] == [
        "'runbook.md' has 2 lines, so line 3 does not exist",
        "'../scripts/gone.sh' does not exist in the repository",
    ]


def test_nothing_outside_the_repository_is_read(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("only one line\n", encoding="utf-8")
    (repo / "scripts" / "link.txt").symlink_to(outside)
    body = (
        "- ../outside.txt (line 5), ../../etc/passwd and `../../../etc/shadow.txt`\n"
        "- scripts/link.txt (line 5) points out of the repository\n"
    )
    assert lint(repo / "plan.md", body) == []


def test_binary_huge_and_special_files_are_not_judged_by_lines(repo: Path) -> None:
    (repo / "config" / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0")
    (repo / "config" / "long.txt").write_text("x" * 10_000, encoding="utf-8")
    os.mkfifo(repo / "config" / "pipe.yaml")  # opening it would block: it must not be read
    body = (
        "- config/image.png (line 9), config/pipe.yaml (line 9)\n"
        "- config/long.txt (line 2), `config` (line 2)\n"
    )
    assert lint(repo / "plan.md", body, max_bytes=1000) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_an_unreadable_file_is_not_judged_by_lines(repo: Path) -> None:
    locked = repo / "config" / "locked.yaml"
    locked.write_text("a: 1\n", encoding="utf-8")
    locked.chmod(0)
    try:
        assert lint(repo / "plan.md", "- config/locked.yaml (line 9)\n") == []
    finally:
        locked.chmod(0o644)


def test_count_lines_stops_early_and_counts_a_last_line_without_newline(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_text("a\nb\nc", encoding="utf-8")
    assert count_lines(path, 10, 1 << 20) == 3
    assert count_lines(path, 2, 1 << 20) >= 2  # type: ignore[operator]
    assert count_lines(tmp_path / "missing.txt", 1, 100) is None
    path.write_text("a\n" * 1000, encoding="utf-8")
    assert count_lines(path, 5000, 100) is None  # the limit ran out before line 5000


def test_silent_outside_a_repository_and_without_a_path(tmp_path: Path) -> None:
    plan = tmp_path / "plan.md"
    assert lint(plan, "1. Run `scripts/migrate.sh` and `config/prod.yaml (line 9)`.\n") == []
    linter = Linter(list(default_packs()), select=[RULE])
    result = linter.lint_text(HEADER + "1. Run `README.md (line 99999)`.\n", "plan.md")
    assert result.violations == []


def test_a_git_file_marks_a_worktree_root(tmp_path: Path) -> None:
    root = tmp_path / "worktree"
    root.mkdir()
    (root / ".git").write_text("gitdir: /somewhere/else\n", encoding="utf-8")
    (root / "scripts").mkdir()
    found = lint(root / "plan.md", "1. Run `scripts/migrate.sh`.\n")
    assert [message for _, _, message in found] == [
        "'scripts/migrate.sh' does not exist in the repository"
    ]


def test_the_command_line_warns_and_exits_zero(repo: Path) -> None:
    (repo / "plan.md").write_text(HEADER + "1. Run `scripts/migrate.sh`.\n", encoding="utf-8")
    env_cwd = repo / "docs"
    result = run_planlint(
        "check", "--select", RULE, "--format", "concise", os.path.join("..", "plan.md"), cwd=env_cwd
    )
    assert result.returncode == 0, result.stderr
    assert "warning PL801 [broken-reference] 'scripts/migrate.sh' does not exist" in result.stdout
