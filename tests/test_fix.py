"""Autofix as users run it: ``planlint check --fix / --diff / --unsafe-fixes`` in a subprocess on
real files (and a real git repository), plus the pure edit code in ``planlint.fixes``."""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator  # type: ignore[import-untyped, unused-ignore]

from planlint.core.results import Edit, Fix
from planlint.engine.packs import default_packs
from planlint.engine.runner import Linter
from planlint.fixes import (
    FixError,
    apply_edits,
    apply_fixes,
    apply_fixes_to_bytes,
    dominant_line_ending,
    line_ending,
    line_starts,
)
from planlint.markdown import parse
from planlint.markdown.nodes import Code, ListBlock, ListItem, Paragraph, walk_blocks
from tests.helpers import run_planlint

SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
FIX_RULES = "--select=PL101,PL102,PL105,PL502"  # the rules with fixes, so the plans stay short

PLAN = """\
---
profile: deploy-plan
environment: staging
---
# Deployment plan: checkout v2.14
- NOTES: checkout v2.14 adds saved cards
- ENVIRONMENT: staging

## Deployment summary
- Deploys checkout v2.14 to staging.

## Pre-Deployment Checks
1. CI is green
   1. unit tests
   2. integration tests
10. Approvals are in

## Deployment Steps
1. Run `deploy/staging/deploy.sh` (automated).

## Rollback
- Roll back with `deploy/staging/rollback.sh`; rehearsed in staging on 2026-11-20.

## Verification & Observability
- 5xx rate < 0.5% for 10 minutes.
"""

# --fix: the safe fixes only. The rollback section stays where it is (moving it is unsafe).
FIXED = """\
---
profile: deploy-plan
environment: staging
---
# Deployment plan: checkout v2.14
- NOTES: checkout v2.14 adds saved cards
- ENVIRONMENT: staging

## Deployment Summary
- Deploys checkout v2.14 to staging.

## Pre-Deployment Checks
- CI is green
  - unit tests
  - integration tests
- Approvals are in

## Deployment Steps
1. Run `deploy/staging/deploy.sh` (automated).

## Rollback Readiness
- Roll back with `deploy/staging/rollback.sh`; rehearsed in staging on 2026-11-20.

## Verification & Observability
- 5xx rate < 0.5% for 10 minutes.

## Next Actions

TODO: write this section.
"""

ROLLBACK = (
    "## Rollback Readiness\n"
    "- Roll back with `deploy/staging/rollback.sh`; rehearsed in staging on 2026-11-20.\n\n"
)
VERIFICATION = "## Verification & Observability\n- 5xx rate < 0.5% for 10 minutes.\n\n"
# --fix --unsafe-fixes: the same, with the rollback section moved after verification.
REORDERED = FIXED.replace(ROLLBACK + VERIFICATION, VERIFICATION + ROLLBACK)


def planlint(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_planlint("check", FIX_RULES, *args, cwd=folder)


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.md"
    path.write_bytes(PLAN.encode())
    return path


# -- --fix -----------------------------------------------------------------------------------


def test_fix_applies_the_safe_fixes_and_reports_what_remains(plan: Path) -> None:
    result = planlint(plan.parent, "--fix", "plan.md")
    assert plan.read_bytes() == FIXED.encode()
    # the out-of-order section is still reported, with a pointer to --unsafe-fixes
    assert "plan.md:21:1: error PL102 [section-order]" in result.stdout
    assert "Fixed 4 problems in 1 file (1 remaining)." in result.stdout
    assert "1 more fix is available with --unsafe-fixes." in result.stdout
    assert result.returncode == 1


def test_fix_with_json_keeps_stdout_a_json_document(plan: Path) -> None:
    result = planlint(plan.parent, "--fix", "--format=json", "plan.md")
    document = json.loads(result.stdout)
    assert [v["rule"] for v in document["files"][0]["violations"]] == ["section-order"]
    assert "Fixed 4 problems in 1 file (1 remaining)." in result.stderr
    assert plan.read_text(encoding="utf-8") == FIXED


def test_second_fix_changes_nothing(plan: Path) -> None:
    planlint(plan.parent, "--fix", "--unsafe-fixes", "plan.md")
    once = plan.read_bytes()
    assert once == REORDERED.encode()
    modified = plan.stat().st_mtime_ns
    again = planlint(plan.parent, "--fix", "--unsafe-fixes", "plan.md")
    assert plan.read_bytes() == once
    assert plan.stat().st_mtime_ns == modified  # not even rewritten with the same bytes
    assert "Fixed 0 problems in 0 files (0 remaining)." in again.stdout
    assert again.returncode == 0


def test_unsafe_reorder_only_with_unsafe_fixes(plan: Path) -> None:
    planlint(plan.parent, "--fix", "plan.md")
    assert plan.read_text(encoding="utf-8") == FIXED
    result = planlint(plan.parent, "--fix", "--unsafe-fixes", "plan.md")
    assert plan.read_text(encoding="utf-8") == REORDERED
    assert "Fixed 1 problem in 1 file (0 remaining)." in result.stdout
    assert result.returncode == 0


def test_fix_keeps_the_file_mode(plan: Path) -> None:
    plan.chmod(0o640)
    planlint(plan.parent, "--fix", "plan.md")
    assert plan.read_text(encoding="utf-8") == FIXED
    assert stat.S_IMODE(plan.stat().st_mode) == 0o640
    assert sorted(p.name for p in plan.parent.iterdir()) == ["plan.md"]  # no temporary left


def test_fix_refuses_a_symlink_even_to_a_file_outside(tmp_path: Path) -> None:
    outside = tmp_path / "home"
    repo = tmp_path / "repo"
    outside.mkdir()
    repo.mkdir()
    secret = outside / "gitconfig.md"
    secret.write_bytes(PLAN.encode())
    (repo / "notes.md").symlink_to(secret)
    result = planlint(repo, "--fix", "notes.md")
    assert secret.read_bytes() == PLAN.encode()  # untouched
    assert "notes.md: fixes not written: it is a symbolic link" in result.stderr
    assert result.returncode == 1
    assert sorted(p.name for p in outside.iterdir()) == ["gitconfig.md"]


def test_fix_refuses_a_hard_linked_file(plan: Path) -> None:
    other = plan.parent / "other.md"
    other.hardlink_to(plan)
    result = planlint(plan.parent, "--fix", "plan.md")
    assert plan.read_bytes() == PLAN.encode() and other.read_bytes() == PLAN.encode()
    assert "has other hard links" in result.stderr
    assert result.returncode == 1


def test_fix_refuses_a_read_only_file(plan: Path) -> None:
    plan.chmod(0o444)
    result = planlint(plan.parent, "--fix", "plan.md")
    assert plan.read_bytes() == PLAN.encode()
    assert "plan.md: fixes not written: it is read-only" in result.stderr
    assert "Fixed 0 problems in 0 files" in result.stdout
    assert result.returncode == 1


def test_fix_never_overwrites_an_edit_saved_while_it_ran(plan: Path) -> None:
    from planlint.app.fixing import Refused, write_atomically

    plan.write_bytes(b"# saved by the editor meanwhile\n")
    with pytest.raises(Refused, match="changed while planlint was fixing it"):
        write_atomically(plan, FIXED.encode(), expected=PLAN.encode())
    assert plan.read_bytes() == b"# saved by the editor meanwhile\n"
    assert sorted(p.name for p in plan.parent.iterdir()) == ["plan.md"]


def test_fix_in_a_git_repository_changes_only_the_fixed_lines(tmp_path: Path) -> None:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")

    def run_git(*args: str) -> str:
        done = subprocess.run(
            [git, "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "plan.md").write_text(PLAN, encoding="utf-8")
    run_git("init", "-q")
    run_git("add", ".")
    run_git("commit", "-q", "-m", "plan")
    planlint(tmp_path, "--fix", "docs/plan.md")
    diff = run_git("diff", "--unified=0", "--no-color")
    removed = [line[1:] for line in diff.splitlines() if line.startswith("-") and line[1:3] != "--"]
    added = [line[1:] for line in diff.splitlines() if line.startswith("+") and line[1:3] != "++"]
    assert removed == [
        "## Deployment summary",
        "1. CI is green",
        "   1. unit tests",
        "   2. integration tests",
        "10. Approvals are in",
        "## Rollback",
    ]
    assert added == [
        "## Deployment Summary",
        "- CI is green",
        "  - unit tests",
        "  - integration tests",
        "- Approvals are in",
        "## Rollback Readiness",
        "",
        "## Next Actions",
        "",
        "TODO: write this section.",
    ]
    hunks = [line for line in diff.splitlines() if line.startswith("@@")]
    assert len(hunks) == 4  # two headings, the list, the new section


def test_crlf_file_keeps_crlf(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_bytes(PLAN.replace("\n", "\r\n").encode())
    planlint(tmp_path, "--fix", "plan.md")
    assert path.read_bytes() == FIXED.replace("\n", "\r\n").encode()


def test_mixed_line_endings_are_kept_line_by_line(tmp_path: Path) -> None:
    lines = PLAN.splitlines(keepends=True)
    # CRLF on the even lines: every line the fix does not touch keeps its own ending
    mixed = "".join(line.replace("\n", "\r\n") if i % 2 else line for i, line in enumerate(lines))
    path = tmp_path / "plan.md"
    path.write_bytes(mixed.encode())
    planlint(tmp_path, "--fix", "plan.md")
    fixed = path.read_bytes().decode()
    assert fixed.replace("\r\n", "\n") == FIXED
    for line in mixed.splitlines(keepends=True):
        if "Deploys checkout" in line or "Run `deploy" in line or line.startswith("environment"):
            assert line in fixed


def test_bom_and_front_matter_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_bytes(b"\xef\xbb\xbf" + PLAN.encode())
    planlint(tmp_path, "--fix", "plan.md")
    data = path.read_bytes()
    assert data == b"\xef\xbb\xbf" + FIXED.encode()
    assert data.startswith(b"\xef\xbb\xbf---\nprofile: deploy-plan\nenvironment: staging\n---\n")


def test_file_without_a_final_newline_still_has_none(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_bytes(PLAN.rstrip("\n").encode())
    planlint(tmp_path, "--fix", "--unsafe-fixes", "plan.md")
    assert path.read_bytes() == REORDERED.rstrip("\n").encode()


def test_unreadable_file_is_left_alone(tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.md"
    latin1.write_bytes(PLAN.replace("Deployment summary", "Résumé").encode("latin-1"))
    before, modified = latin1.read_bytes(), latin1.stat().st_mtime_ns
    good = tmp_path / "plan.md"
    good.write_text(PLAN, encoding="utf-8")
    result = planlint(
        tmp_path, "--fix", "--select=PL002,PL101,PL102,PL105,PL502", "latin1.md", "plan.md"
    )
    assert latin1.read_bytes() == before
    assert latin1.stat().st_mtime_ns == modified
    assert "latin1.md:" in result.stdout and "PL002" in result.stdout
    assert "latin1.md: not fixed: it is not valid UTF-8" in result.stderr
    assert good.read_text(encoding="utf-8") == FIXED  # the other file is still fixed
    assert "Traceback" not in result.stderr
    assert result.returncode == 1


def test_numbered_list_fix_keeps_nesting_code_and_quotes(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text(
        "- NOTES: x\n- ENVIRONMENT: staging\n\n"
        "## Deployment Summary\n"
        "- Intro:\n"
        "  1.  Check the flag\n"
        "      lazy continuation\n"
        "\n"
        "          indented code in the item\n"
        "  2. Done\n"
        "\n"
        "> 1. quoted\n"
        ">    more\n"
        "\n"
        "1. first\n"
        "- another list\n"
        "\n"
        "## Deployment Steps\n"
        "1. Deploy\n"
        "   1. nested steps stay numbered\n",
        encoding="utf-8",
    )
    result = planlint(tmp_path, "--fix", "--select=PL502", "plan.md")
    assert path.read_text(encoding="utf-8") == (
        "- NOTES: x\n- ENVIRONMENT: staging\n\n"
        "## Deployment Summary\n"
        "- Intro:\n"
        "  - Check the flag\n"
        "    lazy continuation\n"
        "\n"
        "        indented code in the item\n"
        "  - Done\n"
        "\n"
        "> - quoted\n"
        ">   more\n"
        "\n"
        "* first\n"  # '*': a '-' would join it to the bullet list right after it
        "- another list\n"
        "\n"
        "## Deployment Steps\n"
        "1. Deploy\n"
        "   1. nested steps stay numbered\n"
    )
    assert result.returncode == 0, result.stdout


def _shape(text: str) -> list[tuple[str, int, int]]:
    """Every list, item, paragraph and code block with its lines: what a renderer would show."""
    kinds = (ListBlock, ListItem, Paragraph, Code)
    return [
        (type(block).__name__, block.start_line, block.end_line)
        for block in walk_blocks(parse(text).body())
        if isinstance(block, kinds)
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # "  - note" is a list after the numbered one; under "- Check" it would become a child,
        # so the bullet keeps the number's width (and is '*': a '-' would join the next list)
        ("1. Check\n  - note\n", "*  Check\n  - note\n"),
        # "    1. Note" continues the paragraph lazily; moved left it would start a list
        (
            "  1. Create\n    1. Note\n  2. Attach\n",
            "  -  Create\n    1. Note\n  -  Attach\n",
        ),
        # items whose markers sit at different columns
        ("1. a\n 2. b\n", "-  a\n -  b\n"),
        # nothing in the way: the narrow marker, the lines moved left
        (
            "10. a\n    more\n\n    ```\n    code\n    ```\n",
            "- a\n  more\n\n  ```\n  code\n  ```\n",
        ),
    ],
)
def test_numbered_list_fix_never_changes_what_belongs_to_what(body: str, expected: str) -> None:
    linter = Linter(list(default_packs()), profile="deploy-plan", select=["PL502"])
    text = f"## Pre-Deployment Checks\n{body}## Deployment Steps\n1. Go\n"
    fixes = [v.fix for v in linter.lint_text(text, "plan.md").violations if v.fix is not None]
    fixed = apply_fixes(text, fixes).text
    assert fixed == f"## Pre-Deployment Checks\n{expected}## Deployment Steps\n1. Go\n"
    assert _shape(fixed) == _shape(text)
    assert linter.lint_text(fixed, "plan.md").violations == []


def test_tabs_after_a_marker_mean_no_fix(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    text = "## Pre-Deployment Checks\n1.\tCI\n## Deployment Steps\n1. Go\n"
    path.write_text(text, encoding="utf-8")
    result = planlint(tmp_path, "--profile=deploy-plan", "--fix", "--select=PL502", "plan.md")
    assert path.read_text(encoding="utf-8") == text
    assert "PL502" in result.stdout
    assert result.returncode == 1


def test_tab_indented_lines_keep_their_columns() -> None:
    """A tab's width depends on where it starts: lines with tabs are never moved, so the bullet
    is padded to the number's width instead."""
    linter = Linter(list(default_packs()), profile="deploy-plan", select=["PL502"])
    text = "## Pre-Deployment Checks\n1. CI\n\tcontinued\n## Deployment Steps\n1. Go\n"
    fixes = [v.fix for v in linter.lint_text(text, "plan.md").violations if v.fix is not None]
    fixed = apply_fixes(text, fixes).text
    assert fixed == text.replace("1. CI", "-  CI")
    assert _shape(fixed) == _shape(text)


def test_heading_with_markup_is_reported_without_a_fix(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    text = "## Deployment Summary\nx\n## *Deploy* Steps\nx\n## Rollback\nx\n"
    path.write_text(text, encoding="utf-8")
    planlint(tmp_path, "--profile=deploy-plan", "--fix", "--select=PL105", "plan.md")
    assert path.read_text(encoding="utf-8") == text.replace(
        "## Rollback\n", "## Rollback Readiness\n"
    )


def test_missing_section_is_not_appended_into_an_unclosed_fence(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    text = (
        "## Deployment Summary\nx\n## Pre-Deployment Checks\nx\n## Deployment Steps\nx\n"
        "## Verification & Observability\nx\n## Rollback Readiness\n```sh\nrollback.sh\n"
    )
    path.write_text(text, encoding="utf-8")
    result = planlint(tmp_path, "--fix", "--select=PL101", "plan.md")
    assert path.read_text(encoding="utf-8") == text
    assert "'Next Actions' is missing" in result.stdout


# -- --diff ----------------------------------------------------------------------------------


def test_diff_prints_a_patch_and_writes_nothing(plan: Path) -> None:
    modified = plan.stat().st_mtime_ns
    result = planlint(plan.parent, "--diff", "plan.md")
    assert plan.read_bytes() == PLAN.encode()
    assert plan.stat().st_mtime_ns == modified
    assert result.stdout.startswith("--- plan.md\n+++ plan.md\n@@ ")
    assert "-## Rollback\n+## Rollback Readiness\n" in result.stdout
    assert "Would fix 4 problems in 1 file." in result.stderr
    assert result.returncode == 1
    # the patch, applied, gives exactly what --fix writes
    patch = shutil.which("patch")
    if patch is not None:
        subprocess.run([patch, "-s", "-p0"], input=result.stdout, text=True, cwd=plan.parent)
        assert plan.read_bytes() == FIXED.encode()


def test_diff_of_a_crlf_file_keeps_crlf(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_bytes(PLAN.replace("\n", "\r\n").encode())
    done = subprocess.run(
        [*_command(), "--diff", "plan.md"], cwd=tmp_path, capture_output=True, check=False
    )
    assert b"-## Rollback\r\n+## Rollback Readiness\r\n" in done.stdout
    assert path.read_bytes() == PLAN.replace("\n", "\r\n").encode()


def test_diff_exits_zero_when_nothing_to_fix(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text(REORDERED, encoding="utf-8")
    result = planlint(tmp_path, "--diff", "--unsafe-fixes", "plan.md")
    assert result.stdout == ""
    assert "Would fix 0 problems in 0 files." in result.stderr
    assert result.returncode == 0


def _command() -> list[str]:
    import sys

    return [sys.executable, "-m", "planlint", "check", FIX_RULES]


# -- JSON and SARIF --------------------------------------------------------------------------


def _fixes_from_json(document: dict[str, Any], *, safe_only: bool) -> list[Fix]:
    fixes = []
    for violation in document["files"][0]["violations"]:
        found = violation.get("fix")
        if found is None or (safe_only and not found["safe"]):
            continue
        edits = tuple(Edit(**edit) for edit in found["edits"])
        fixes.append(Fix(found["description"], edits, found["safe"]))
    return fixes


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_json_fixes_applied_give_the_bytes_of_fix(tmp_path: Path, newline: str) -> None:
    original = b"\xef\xbb\xbf" + PLAN.replace("\n", newline).encode()
    path = tmp_path / "plan.md"
    path.write_bytes(original)
    document = json.loads(planlint(tmp_path, "--format=json", "plan.md").stdout)
    violations = document["files"][0]["violations"]
    by_rule = {v["rule"]: v for v in violations}
    assert by_rule["section-order"]["fix"]["safe"] is False
    assert by_rule["missing-section"]["fix"]["edits"][0]["text"].startswith(newline * 2 + "## Next")
    renames = [v["fix"] for v in violations if v["rule"] == "non-canonical-heading"]
    assert renames[0] == {
        "description": "rename the heading to 'Deployment Summary'",
        "safe": True,
        "edits": [
            {"line": 9, "column": 4, "end_line": 9, "end_column": 22, "text": "Deployment Summary"}
        ],
    }
    fixed, applied = apply_fixes_to_bytes(original, _fixes_from_json(document, safe_only=True))
    assert len(applied.applied) == 4
    planlint(tmp_path, "--fix", "plan.md")
    assert fixed == path.read_bytes()


def test_json_leaves_out_fix_when_there_is_none(tmp_path: Path) -> None:
    (tmp_path / "plan.md").write_text(FIXED, encoding="utf-8")
    result = run_planlint("check", "--format=json", "plan.md", cwd=tmp_path)
    violations = json.loads(result.stdout)["files"][0]["violations"]
    assert violations, "the placeholder is still reported"
    assert all("fix" not in v for v in violations if v["rule"] != "section-order")


def test_sarif_carries_the_fixes_and_validates(plan: Path) -> None:
    document = json.loads(planlint(plan.parent, "--format=sarif", "plan.md").stdout)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    Draft7Validator(schema).validate(document)
    results = {r["ruleId"]: r for r in document["runs"][0]["results"]}
    (fix,) = results["PL101"]["fixes"]
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"] == {"uri": "plan.md"} or change["artifactLocation"][
        "uri"
    ].endswith("plan.md")
    (replacement,) = change["replacements"]
    region = replacement["deletedRegion"]
    assert region["startLine"] == region["endLine"] == 25
    assert region["startColumn"] == region["endColumn"]  # an insertion
    assert replacement["insertedContent"]["text"].endswith(
        "## Next Actions\n\nTODO: write this section."
    )
    assert results["PL102"]["fixes"][0]["properties"] == {"safe": False}


# -- planlint.fixes --------------------------------------------------------------------------


def test_apply_edits_addresses_characters_on_cr_lf_and_crlf_lines() -> None:
    text = "a\r\nbé\rc\nd"
    assert line_starts(text) == [0, 3, 6, 8]
    edits = [Edit(2, 2, 2, 3, "E"), Edit(3, 1, 4, 1, ""), Edit(4, 2, 4, 2, "!")]
    assert apply_edits(text, edits) == "a\r\nbE\rd!"
    assert line_starts("a\n") == [0, 2]  # the empty line after a final newline is addressable
    assert apply_edits("a\n", [Edit(2, 1, 2, 1, "b\n")]) == "a\nb\n"


@pytest.mark.parametrize(
    "edit",
    [Edit(1, 4, 1, 4, "x"), Edit(3, 1, 3, 1, "x"), Edit(1, 2, 1, 1, "x"), Edit(0, 1, 1, 1, "")],
)
def test_edits_outside_the_text_are_refused(edit: Edit) -> None:
    with pytest.raises(FixError):
        apply_edits("ab\ncd", [edit])
    assert apply_fixes("ab\ncd", [Fix("bad", (edit,))]).applied == ()


def test_conflicting_fixes_wait_for_the_next_pass() -> None:
    text = "one\ntwo\nthree\n"
    first = Fix("a", (Edit(1, 1, 2, 1, ""),))
    overlapping = Fix("b", (Edit(1, 2, 1, 3, "X"),))
    same_point = Fix("c", (Edit(3, 1, 3, 1, "<"),))
    also_same_point = Fix("d", (Edit(3, 1, 3, 1, ">"),))
    touching = Fix("e", (Edit(2, 1, 2, 4, "TWO"),))
    result = apply_fixes(text, [first, overlapping, same_point, also_same_point, touching])
    assert result.text == "TWO\n<three\n"
    assert [fix.description for fix in result.applied] == ["a", "e", "c"]
    assert [fix.description for fix in result.skipped] == ["b", "d"]
    with pytest.raises(FixError):
        apply_edits(text, [*first.edits, *overlapping.edits])


def test_a_fix_is_all_or_nothing() -> None:
    text = "one\ntwo\n"
    rename = Fix("rename", (Edit(1, 1, 1, 4, "ONE"),))
    # moves "two" first: its insertion meets the rename at the same point, so its deletion,
    # which conflicts with nothing, is not applied either
    move = Fix("move", (Edit(1, 1, 1, 1, "two\n"), Edit(2, 1, 3, 1, "")))
    result = apply_fixes(text, [move, rename])
    assert result.text == "ONE\ntwo\n"
    assert result.applied == (rename,)
    assert result.skipped == (move,)


def test_line_endings() -> None:
    assert line_ending("a\r\nb\nc", 1) == "\r\n"
    assert line_ending("a\r\nb\nc", 2) == "\n"
    assert line_ending("a\r\nb\r\nc\nd", 4) == "\r\n"  # no ending of its own: the usual one
    assert dominant_line_ending("no newline") == "\n"


def test_bytes_keep_bom_and_encoding() -> None:
    data = "\ufeff# x\r\n".encode("utf-16-le")
    fixed, result = apply_fixes_to_bytes(data, [Fix("f", (Edit(1, 3, 1, 4, "y"),))])
    assert result.applied
    assert fixed == "\ufeff# y\r\n".encode("utf-16-le")
    unchanged, _ = apply_fixes_to_bytes(b"# x\n", [])
    assert unchanged == b"# x\n"


def test_fixes_from_the_engine_apply_cleanly_to_the_example_plans() -> None:
    """Every fix the bundled rules offer on the example plans fits its text (no FixError)."""
    linter = Linter(list(default_packs()))
    examples = Path(__file__).resolve().parent.parent / "examples"
    fixes = 0
    for path in sorted(examples.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        result = linter.lint_text(text, path.name)
        for violation in result.violations:
            if violation.fix is not None:
                apply_edits(text, violation.fix.edits)  # raises if the edits do not fit
                fixes += 1
    assert fixes >= 3  # missing-section, section-order, numbered-list-outside-steps at least


def test_two_numbered_lists_side_by_side_stay_two_lists(tmp_path: Path) -> None:
    """ "1." and "2)" items are two lists in CommonMark; made bullets with one marker they would
    become one list, so the second takes another bullet (as a bullet list beside one does)."""
    from planlint.markdown.nodes import ListBlock, walk_blocks
    from planlint.markdown.parser import parse

    path = tmp_path / "plan.md"
    path.write_text(
        "- NOTES: x\n- ENVIRONMENT: staging\n\n## Deployment Summary\n\n"
        "1. first\n2. second\n3) third\n4) fourth\n\nDone.\n",
        encoding="utf-8",
    )
    before = [
        b for b in walk_blocks(parse(path.read_text("utf-8")).body()) if isinstance(b, ListBlock)
    ]
    planlint(tmp_path, "--fix", "--select=PL502", "plan.md")
    text = path.read_text(encoding="utf-8")
    assert "- first\n- second\n* third\n* fourth\n" in text
    after = [b for b in walk_blocks(parse(text).body()) if isinstance(b, ListBlock)]
    assert [len(b.items) for b in after] == [len(b.items) for b in before]  # none merged
