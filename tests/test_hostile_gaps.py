"""Hostile input a security review found untested: broken front matter that must not drop the
declared profile, an unreadable file that no selection can let pass, inputs built to make a
check quadratic, file names that try to break a report's lines, deeply nested JSON in every
cache planlint reads, hostile change windows, and ``--report`` written all at once.

Small cases run ``planlint`` in this process (``cli``, as in ``test_hostile.py``); the ones that
could hang run the real CLI in a subprocess whose timeout is the only hang guard: nothing here
asserts on time.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
from pathlib import Path

import pytest

from planlint.app.cachefiles import seal
from planlint.report.common import one_line
from tests.conftest import BAD_PLAN, CLEAN_PLAN
from tests.helpers import first_fast, run_planlint, write_cache
from tests.test_hostile import by_path, cli, no_traceback, rules

HANG_GUARD = 60  # seconds; a run that takes longer is taken to hang
DEEP_JSON = "[" * 100_000
CLEAN_WINDOW = "- WINDOW: Tuesday 2026-12-01 09:00–10:30 UTC\n"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project folder; ``.git`` stops the config search from leaving it."""
    (tmp_path / ".git").mkdir()
    return tmp_path


def run(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return run_planlint(*args, cwd=cwd, timeout=HANG_GUARD, env=env)


def with_window(window: str) -> str:
    return CLEAN_PLAN.replace(CLEAN_WINDOW, f"- WINDOW: {window}\n", 1)


# -- 1. broken front matter keeps the declared profile -------------------------------------------


@pytest.mark.parametrize(
    ("front_matter", "line", "words"),
    first_fast(
        [
            (
                "profile: deploy-plan\nowner: Priya\nowner: Sam\n",
                4,
                'duplicate key "owner"',
            ),
            ("profile: deploy-plan\nowner: [Priya, Sam\n", 3, "invalid YAML"),
            ("profile: deploy-plan\n  owner: : Priya\n", 3, "invalid YAML"),
        ]
    ),
    ids=["duplicate-key", "unclosed-flow-list", "bad-indentation"],
)
def test_invalid_yaml_front_matter_fails_closed_and_the_plan_is_still_linted(
    root: Path, front_matter: str, line: int, words: str
) -> None:
    body = BAD_PLAN.split("---\n", 2)[2]
    (root / "plan.md").write_text(f"---\n{front_matter}---\n{body}", encoding="utf-8")
    result = cli("check", "--no-cache", "--format", "json", "plan.md", cwd=root)
    no_traceback(result)
    assert result.returncode == 1
    [found] = json.loads(result.stdout)["files"]
    assert found["profile"] == "deploy-plan"
    invalid = [v for v in found["violations"] if v["rule"] == "invalid-front-matter"]
    assert [(v["severity"], v["line"]) for v in invalid] == [("error", line)], invalid
    assert words in str(invalid[0]["message"])
    assert {"missing-section", "missing-context-block"} <= set(rules(found["violations"]))


# -- 2. no selection lets an unreadable file pass ------------------------------------------------

UNREADABLE = {
    "invalid-utf8.md": "is not valid UTF-8",
    "binary.md": "looks like a binary file",
    "dangling.md": "does not exist",
}


def unreadable_files(root: Path) -> None:
    (root / "invalid-utf8.md").write_bytes(b"# Plan\n## Deployment Steps\nR\xe9sum\xe9\n")
    (root / "binary.md").write_bytes(b"## Deployment Summary\n\x00\x01\x02")
    (root / "dangling.md").symlink_to("moved-away.md")


@pytest.mark.parametrize(
    "ignored",
    first_fast(
        [
            "read-error",
            "internal-error",
            "PL002",
            "PL005",
            "read-error,internal-error,PL002,PL005",
            "PL0",
            "PL002,missing-section,unknown-profile",
        ]
    ),
)
def test_ignoring_read_error_cannot_make_an_unreadable_file_pass(root: Path, ignored: str) -> None:
    unreadable_files(root)
    result = cli(
        "check",
        "--no-cache",
        "--format",
        "json",
        "--ignore",
        ignored,
        *UNREADABLE,
        cwd=root,
    )
    no_traceback(result)
    assert result.returncode == 1, result.stderr
    found = by_path(result)
    for name, words in UNREADABLE.items():
        [violation] = found[name]
        assert (violation["rule"], violation["severity"]) == ("read-error", "error")
        assert words in str(violation["message"])


@pytest.mark.parametrize(
    "config",
    first_fast(
        [
            "ignore: [read-error, internal-error]\n",
            "rules: {read-error: off, PL005: off}\n",
            "select: [PL101]\nignore: [PL002]\n",
        ]
    ),
)
def test_a_config_cannot_turn_read_error_off(root: Path, config: str) -> None:
    unreadable_files(root)
    (root / ".planlint.yaml").write_text(config, encoding="utf-8")
    result = cli("check", "--no-cache", "--format", "concise", *UNREADABLE, cwd=root)
    no_traceback(result)
    assert result.returncode == 1, result.stderr
    for name, words in UNREADABLE.items():
        assert f"{name}:" in result.stdout and words in result.stdout


def test_a_suppression_comment_in_an_unreadable_file_silences_nothing(
    root: Path,
) -> None:
    (root / "plan.md").write_bytes(
        b"<!-- planlint-disable-file -->\n<!-- planlint-disable read-error -->\n# Plan\nR\xe9sum\n"
    )
    result = cli("check", "--no-cache", "--format", "json", "plan.md", cwd=root)
    no_traceback(result)
    assert result.returncode == 1
    assert rules(by_path(result)["plan.md"]) == ["read-error"]


# -- 3. inputs built to make a check quadratic ---------------------------------------------------

PROFILES = ["deploy-plan", "rollout-plan"]


@pytest.mark.slow
@pytest.mark.parametrize("profile", PROFILES)
def test_48000_duplicate_headings(root: Path, profile: str) -> None:
    # Each duplicate is a finding, and each finding asked which section held it by looking at
    # every section: 16,000 took half a minute, inside the hang guard; 48,000 (~1 MB) would
    # take minutes, and take seconds now.
    (root / "plan.md").write_text("## Deployment Steps\n" * 48_000, encoding="utf-8")
    result = run("check", "--no-cache", "--statistics", "--profile", profile, "plan.md", cwd=root)
    no_traceback(result)
    assert result.returncode == 1, result.stderr
    counts = {
        m[2]: int(m[1]) for m in re.finditer(r"^\s*(\d+)\s+PL\d+\s+([\w-]+)", result.stdout, re.M)
    }
    if profile == "deploy-plan":
        assert counts["duplicate-section"] == 47_999, result.stdout
    assert "internal-error" not in counts and "read-error" not in counts


@pytest.mark.slow
@pytest.mark.parametrize("profile", PROFILES)
def test_400kb_line_of_hyphenated_words(root: Path, profile: str) -> None:
    # path-reference-format's vague-reference pattern tried its qualifier word again from
    # every hyphen of such a line: about a minute at 80 KB (near the hang guard), far past it
    # at 400 KB; under a second now.
    line = "-".join("a" * 200_000)
    text = CLEAN_PLAN.replace("## Deployment Steps\n", f"## Deployment Steps\n\n{line}\n", 1)
    (root / "plan.md").write_text(text, encoding="utf-8")
    result = run("check", "--no-cache", "--profile", profile, "plan.md", cwd=root)
    no_traceback(result)
    assert result.returncode in (0, 1), result.stderr
    assert "internal-error" not in result.stdout and "read-error" not in result.stdout
    if profile == "deploy-plan":
        assert result.returncode == 0, result.stdout[-2000:]  # the line is no file reference


@pytest.mark.slow
@pytest.mark.parametrize("profile", PROFILES)
def test_2_5mb_paragraph_of_placeholders(root: Path, profile: str) -> None:
    # Stripping the placeholders cut each one out of the whole paragraph in turn (minutes).
    unit = "<TBD> TODO [fill in] "
    repeats = 2_500_000 // len(unit)
    paragraph = unit * repeats
    text = CLEAN_PLAN.replace(
        "## Deployment Summary\n", f"## Deployment Summary\n\n{paragraph}\n", 1
    )
    (root / "plan.md").write_text(text, encoding="utf-8")
    result = run("check", "--no-cache", "--statistics", "--profile", profile, "plan.md", cwd=root)
    no_traceback(result)
    assert result.returncode == 1, result.stderr
    found = re.search(r"^\s*(\d+)\s+PL201\s+unfilled-placeholder", result.stdout, re.M)
    assert found is not None and int(found[1]) >= repeats, result.stdout
    assert "internal-error" not in result.stdout and "read-error" not in result.stdout


# -- 4. file names -------------------------------------------------------------------------------


def test_a_250_character_file_name(root: Path) -> None:
    name = "p" * 247 + ".md"
    (root / "docs").mkdir()
    (root / "docs" / name).write_text(BAD_PLAN, encoding="utf-8")
    for target in ("docs", f"docs/{name}"):
        result = cli("check", "--no-cache", "--format", "json", target, cwd=root)
        no_traceback(result)
        assert result.returncode == 1
        found = by_path(result)
        assert list(found) == [f"docs/{name}"]
        assert "missing-section" in rules(found[f"docs/{name}"])
    concise = cli("check", "--no-cache", "--format", "concise", "docs", cwd=root)
    findings = [line for line in concise.stdout.splitlines() if " PL" in line]
    assert findings and all(line.startswith(f"docs/{name}:") for line in findings)


HOSTILE_NAMES = ["a\nb.md", "c\x1b[31m.md", "d\re\x07.md"]


@pytest.mark.parametrize("name", first_fast(HOSTILE_NAMES))
@pytest.mark.parametrize("fmt", ["concise", "github"])
def test_control_characters_in_a_file_name_stay_on_one_line(
    root: Path, name: str, fmt: str
) -> None:
    (root / name).write_text(BAD_PLAN, encoding="utf-8")
    (root / "other.md").write_text(BAD_PLAN, encoding="utf-8")
    expected = cli("check", "--no-cache", "--format", "json", name, cwd=root)
    count = len(by_path(expected)[name])
    assert count > 0
    result = cli("check", "--no-cache", "--format", fmt, name, "other.md", cwd=root)
    no_traceback(result)
    assert result.returncode == 1
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\r" not in result.stdout
    lines = result.stdout.split("\n")
    if fmt == "concise":
        shown = one_line(name)
        assert "\\x1b" in shown or "\x1b" not in name
        mine = [line for line in lines if line.startswith(f"{shown}:") and " PL" in line]
        others = [line for line in lines if line.startswith("other.md:") and " PL" in line]
    else:  # GitHub's workflow commands encode a line break in a property as %0A, %0D
        mine = [line for line in lines if re.match(r"::\w+ file=[acd]", line)]
        others = [line for line in lines if re.match(r"::\w+ file=other\.md,", line)]
        assert all("%0A" in line or "%0D" in line or "\\x1b" in line for line in mine)
    assert len(mine) == count, result.stdout
    assert len(others) == count  # the same plan, as many findings
    findings = [line for line in lines if " PL" in line or line.startswith("::")]
    assert len(findings) == 2 * count, [line for line in findings if line not in mine + others]


# -- 5. deeply nested JSON in every cache --------------------------------------------------------


def cold_and_warm(root: Path, *args: str) -> str:
    """The JSON report of a cold ``--no-cache`` run, after a run that filled the caches."""
    cold = run("check", "--no-cache", "--format", "json", *args, cwd=root)
    warm = run("check", "--format", "json", *args, cwd=root)
    assert cold.returncode == warm.returncode == 1, cold.stderr + warm.stderr
    assert json.loads(cold.stdout) == json.loads(warm.stdout)
    return cold.stdout


def test_deeply_nested_json_in_the_result_cache(root: Path) -> None:
    (root / "plan.md").write_text(BAD_PLAN, encoding="utf-8")
    cold = cold_and_warm(root, "plan.md")
    entries = list((root / ".planlint_cache").glob("v*/*.json"))
    assert entries, "the warm run wrote no result cache"
    sealed = seal(DEEP_JSON.encode("ascii"))
    assert sealed is not None
    for entry in entries:
        entry.write_bytes(sealed)
    again = run("check", "--format", "json", "plan.md", cwd=root)
    no_traceback(again)
    assert again.returncode == 1
    assert json.loads(again.stdout) == json.loads(cold)


@pytest.mark.slow  # the result cache's case runs in the quick loop
def test_deeply_nested_json_inside_a_sealed_result_cache_document(root: Path) -> None:
    (root / "plan.md").write_text(BAD_PLAN, encoding="utf-8")
    cold = cold_and_warm(root, "plan.md")
    for entry in (root / ".planlint_cache").glob("v*/*.json"):
        nested: object = []
        for _ in range(500):  # deep enough to stress a reader, shallow enough to write
            nested = [nested]
        write_cache(entry, {"version": 1, "entries": {"plan.md": nested}, "files": nested})
    again = run("check", "--format", "json", "plan.md", cwd=root)
    no_traceback(again)
    assert again.returncode == 1
    assert json.loads(again.stdout) == json.loads(cold)


@pytest.mark.slow  # the result cache's case runs in the quick loop
def test_deeply_nested_json_in_the_calendar_cache(root: Path) -> None:
    (root / "plans").mkdir()
    (root / ".planlint.yaml").write_text("calendar:\n  plans: plans/**/*.md\n", encoding="utf-8")
    (root / "plans" / "a.md").write_text(with_window("Friday 2026-12-11 15:00–16:00 UTC"))
    (root / "plans" / "b.md").write_text(BAD_PLAN, encoding="utf-8")
    cold = cold_and_warm(root, "plans")
    calendar = root / ".planlint_cache" / "calendar-v1.json"
    assert calendar.is_file(), "the warm run wrote no calendar cache"
    sealed = seal(DEEP_JSON.encode("ascii"))
    assert sealed is not None
    calendar.write_bytes(sealed)
    for args in (
        ("check", "--format", "json", "plans"),
        ("check", "--no-cache", "--format", "json", "plans"),
    ):
        again = run(*args, cwd=root)
        no_traceback(again)
        assert again.returncode == 1
        assert json.loads(again.stdout) == json.loads(cold)


@pytest.mark.slow  # the result cache's case runs in the quick loop
def test_deeply_nested_json_in_the_regex_cache(
    root: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # A user cache folder of this test's own: the suite's is shared by every test.
    user_cache = tmp_path_factory.mktemp("user-cache")
    env = {"XDG_CACHE_HOME": str(user_cache)}
    (root / "plan.md").write_text(BAD_PLAN, encoding="utf-8")
    cold = run("check", "--no-cache", "--format", "json", "plan.md", cwd=root, env=env)
    assert cold.returncode == 1, cold.stderr
    [kept] = (user_cache / "planlint").glob("regex-*.json")
    kept.write_text(DEEP_JSON, encoding="utf-8")
    for args in (("--no-cache",), ()):
        again = run("check", *args, "--format", "json", "plan.md", cwd=root, env=env)
        no_traceback(again)
        assert again.returncode == 1
        assert json.loads(again.stdout) == json.loads(cold.stdout)
    # Read, found damaged and written again whole.
    assert isinstance(json.loads(kept.read_text(encoding="utf-8")), dict)


# -- 6, 7. change windows ------------------------------------------------------------------------

NESTED_WINDOW = "Tuesday 2026-12-08 10:00–11:00 UTC " + "(" * 3000 + ")" * 3000


@pytest.mark.parametrize("where", first_fast(["context-block", "front-matter", "unclosed"]))
def test_a_window_with_3000_nested_parentheses(root: Path, where: str) -> None:
    if where == "context-block":
        text = with_window(NESTED_WINDOW)
    elif where == "unclosed":
        text = with_window("Tuesday 2026-12-08 10:00–11:00 UTC " + "(" * 3000)
    else:
        text = CLEAN_PLAN.replace(CLEAN_WINDOW, "", 1).replace(
            "profile: deploy-plan\n",
            f"profile: deploy-plan\nwindow: '{NESTED_WINDOW}'\n",
            1,
        )
    (root / "plan.md").write_text(text, encoding="utf-8")
    result = run("check", "--no-cache", "--format", "json", "plan.md", cwd=root)
    no_traceback(result)
    assert result.returncode in (0, 1), result.stderr
    found = set(rules(by_path(result)["plan.md"]))
    assert found <= {"window-unparseable"}, found
    assert result.returncode == 0  # window-unparseable is a warning


def test_a_friday_afternoon_window_without_a_date_is_an_error(root: Path) -> None:
    (root / "plan.md").write_text(with_window("Friday 15:00–16:00 UTC"), encoding="utf-8")
    result = cli("check", "--no-cache", "--format", "json", "plan.md", cwd=root)
    no_traceback(result)
    assert result.returncode == 1
    [violation] = by_path(result)["plan.md"]
    assert (violation["rule"], violation["code"], violation["severity"]) == (
        "friday-afternoon-window",
        "PL401",
        "error",
    )
    assert violation["line"] == CLEAN_PLAN.splitlines().index(CLEAN_WINDOW.strip()) + 1
    assert "'Friday 15:00–16:00 UTC'" in str(violation["message"])


# -- 8. --report is written all at once ----------------------------------------------------------


def test_report_replaces_an_old_report_and_leaves_no_temporary_file(root: Path) -> None:
    (root / "plan.md").write_text(BAD_PLAN, encoding="utf-8")
    reports = root / "reports"
    reports.mkdir()
    (reports / "out.json").write_text('{"old": "report"}\n', encoding="utf-8")
    result = cli(
        "check",
        "--no-cache",
        "--format",
        "json",
        "--report",
        "json=reports/out.json",
        "plan.md",
        cwd=root,
    )
    no_traceback(result)
    assert result.returncode == 1, result.stderr
    written = json.loads((reports / "out.json").read_text(encoding="utf-8"))
    assert written == json.loads(result.stdout)
    assert "old" not in written
    assert sorted(os.listdir(reports)) == ["out.json"]


def test_report_keeps_the_mode_of_the_report_it_replaces(root: Path) -> None:
    (root / "plan.md").write_text(BAD_PLAN, encoding="utf-8")
    target = root / "out.json"
    target.write_text("{}\n", encoding="utf-8")
    target.chmod(0o644)
    result = cli("check", "--no-cache", "--report", "json=out.json", "plan.md", cwd=root)
    assert result.returncode == 1, result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


@pytest.mark.parametrize("target", ["out", "out/"])
def test_report_to_a_directory_is_a_clear_error(root: Path, target: str) -> None:
    (root / "plan.md").write_text(BAD_PLAN, encoding="utf-8")
    (root / "out").mkdir()
    result = cli("check", "--no-cache", "--report", f"json={target}", "plan.md", cwd=root)
    no_traceback(result)
    assert result.returncode == 2
    assert f"--report: cannot write {target!r}: Is a directory" in result.stderr
    assert (root / "out").is_dir() and os.listdir(root / "out") == []
    assert [p.name for p in root.iterdir() if p.name.endswith(".tmp")] == []
