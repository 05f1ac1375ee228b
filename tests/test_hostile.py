"""Hostile input: every odd file, path, config or pack gives a clear result, never a traceback.

Small cases call the CLI's ``main`` in this process (``cli``: the same exit code and output as
``test_cli.py``'s subprocesses, at a fraction of the cost); cases that could hang run the real
CLI in a subprocess (``run``). The big inputs are generated at test time (nothing big is
committed). Most of them go through the real CLI in a background queue that starts with this
module, so that they use the second core while the other cases run here; their tests, at the
end of the file, collect the results. Timeouts are only hang guards: nothing asserts on time.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import functools
import io
import json
import os
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from planlint.cli import main
from planlint.core.paths import expand
from planlint.core.results import FileResult
from planlint.engine.config import load_config
from planlint.engine.packs import PackError, default_packs, load_pack
from planlint.engine.runner import INTERNAL_ERROR, READ_ERROR, Linter, UsageError
from tests.conftest import BAD_PLAN, CLEAN_PLAN
from tests.helpers import run_planlint

HANG_GUARD = 300  # seconds; a run that takes longer is taken to hang
MB = 1_000_000


# -- helpers -------------------------------------------------------------------------------------


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_planlint(*args, cwd=cwd, timeout=HANG_GUARD)


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``planlint`` run in this process: a subprocess costs a second of start-up, and there are
    dozens of small cases. The same exit code, stdout and stderr; an exception is printed as
    the traceback a subprocess would show, so ``no_traceback`` catches it all the same. Cases
    that might hang, and the big ones, use the real CLI (``run``)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                code = main(list(args))
            except SystemExit as exit_:  # argparse
                code = exit_.code if isinstance(exit_.code, int) else 2
            except Exception:
                traceback.print_exc()
                code = 1
    finally:
        os.chdir(previous)
    return subprocess.CompletedProcess(
        ["planlint", *args], code, stdout.getvalue(), stderr.getvalue()
    )


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout[-2000:]


def by_path(result: subprocess.CompletedProcess[str]) -> dict[str, list[dict[str, object]]]:
    """``--format json`` output: path → violations."""
    files = json.loads(result.stdout)["files"]
    return {f["path"]: f["violations"] for f in files}


def rules(violations: list[dict[str, object]]) -> list[object]:
    return [v["rule"] for v in violations]


def rule_names(result: FileResult) -> list[str]:
    return [v.rule for v in result.violations]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project folder; ``.git`` stops the config search from leaving it."""
    (tmp_path / ".git").mkdir()
    return tmp_path


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(list(default_packs()))


def with_front_matter_removed(plan: str) -> str:
    return plan.split("---\n", 2)[2]


def in_section(plan: str, heading: str, block: str) -> str:
    """``plan`` with ``block`` added, after a blank line, below the first paragraph or list of
    the section under ``heading``."""
    body = plan.index("\n\n", plan.index(heading)) + 2
    end = plan.find("\n\n", body)
    if end == -1:  # the last section
        end = len(plan.rstrip("\n"))
    return plan[:end] + "\n\n" + block + plan[end:]


# -- the big inputs ------------------------------------------------------------------------------

# One sub-step of a database migration, as a long deploy plan would have dozens of (~600 B).
STEP = """\
### Step {i}: migrate shard {i}

Move shard {i} of the orders database to the new cluster; the checkout service keeps
writing to the old primary until the cut-over and reads from both.

1. Freeze writes on shard {i} with `ops/freeze.sh --shard {i}` (takes under a minute).
2. Copy the data with `pg_dump | pg_restore` and compare row counts.
3. Point the shard map at the new cluster; watch the 5xx rate < 0.5% for 10 minutes.
4. Unfreeze writes and record the time in the change ticket.

- Owner: @orders-oncall
- Rollback: point the shard map back with `ops/shardmap.sh revert {i}`.

```bash
ops/freeze.sh --shard {i} && ops/copy.sh --shard {i} && ops/verify.sh --shard {i}
```

"""
LAST_ACTION = "- Ship the remaining [X%] of shards next week."


def big_plan(size: int) -> tuple[str, dict[str, int]]:
    """A clean deploy plan of ``size`` characters whose Deployment Steps hold thousands of
    sub-steps, with one unfilled placeholder on its very last line (whose number it returns)."""
    head, tail = CLEAN_PLAN.split("## Verification")
    parts, total, index = [head], len(CLEAN_PLAN), 0
    while total < size:
        step = STEP.format(i=index)
        parts.append(step)
        total += len(step)
        index += 1
    parts.append("## Verification" + tail + LAST_ACTION + "\n")
    text = "".join(parts)
    return text, {"line": text.count("\n"), "column": LAST_ACTION.index("[X%]") + 1}


PROSE = "The canary takes 5% of traffic while the on-call engineer watches the dashboards. "
PLACEHOLDER_TAIL = " The last [X%] ships next week."


def prose_line_plan() -> tuple[str, dict[str, int]]:
    """A deploy plan with one 10 MB line of prose ending in a placeholder (whose line and
    column it returns)."""
    line = PROSE * (10 * MB // len(PROSE)) + PLACEHOLDER_TAIL
    text = in_section(CLEAN_PLAN, "## Deployment Summary", line)
    number = text[: text.index(line)].count("\n") + 1
    return text, {"line": number, "column": line.index("[X%]") + 1}


# Each a 10 MB line in a plan. Some go through the CLI in the background queue, after the
# 20 MB plan; the others are linted here in the meantime, so both cores get about as much work.
REPEATED = ["*", "`", "[", "<", "$", "|", "-"]
IN_PROCESS = ["[", "<", "$", "|"]
THROUGH_THE_CLI = [char for char in REPEATED if char not in IN_PROCESS]


def repeated_line_plan(char: str) -> tuple[str, dict[str, int]]:
    """A deploy plan with a 10 MB line of ``char`` below the summary's first paragraph. A line
    of backticks alone opens a fence that no later line closes (CommonMark): the fence runs to
    the end of the file, so the sections after it go missing. Any other line leaves them be."""
    return in_section(CLEAN_PLAN, "## Deployment Summary", char * (10 * MB)), {}


# -- the background queue (the big CLI runs) ----------------------------------------------------


@dataclasses.dataclass
class Job:
    name: str
    make: Callable[[], tuple[str, dict[str, int]]]  # the plan to lint, and what to expect
    expect: dict[str, int] = dataclasses.field(default_factory=dict)
    result: subprocess.CompletedProcess[str] | None = None
    elapsed: float = 0.0
    hung: bool = False
    error: str = ""  # a failure of the queue itself (generating or writing the plan)
    done: threading.Event = dataclasses.field(default_factory=threading.Event)

    def wait(self) -> subprocess.CompletedProcess[str]:
        # Jobs run one after another: allow every earlier job its full hang guard too.
        assert self.done.wait(HANG_GUARD * 12), f"{self.name}: the background queue stalled"
        assert not self.error, self.error
        assert not self.hung, f"{self.name}: still running after {HANG_GUARD} s (a hang?)"
        assert self.result is not None
        print(f"{self.name}: {self.elapsed:.1f} s through the CLI")
        return self.result


class Queue:
    """Runs the big CLI jobs one at a time in a thread (the work is in the subprocesses)."""

    def __init__(self, folder: Path, jobs: list[Job]) -> None:
        self.folder = folder
        self.jobs = {job.name: job for job in jobs}
        self.stopping = False
        self.process: subprocess.Popen[bytes] | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        for job in self.jobs.values():
            try:
                if not self.stopping:
                    self._one(job)
            except Exception:
                job.error = traceback.format_exc()
            finally:
                job.done.set()

    def _one(self, job: Job) -> None:
        plan = self.folder / f"{job.name}.md"
        text, job.expect = job.make()
        plan.write_text(text, encoding="utf-8")
        del text  # tens of MB: keep no copy once it is on disk
        out, err = self.folder / f"{job.name}.out", self.folder / f"{job.name}.err"
        command = [sys.executable, "-m", "planlint", "check", "--format", "concise", plan.name]
        start = time.perf_counter()
        with out.open("wb") as stdout, err.open("wb") as stderr:
            self.process = subprocess.Popen(command, cwd=self.folder, stdout=stdout, stderr=stderr)
            try:
                returncode = self.process.wait(timeout=HANG_GUARD)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                job.hung = True
                returncode = -9
        job.elapsed = time.perf_counter() - start
        plan.unlink()
        job.result = subprocess.CompletedProcess(
            command,
            returncode,
            out.read_text(encoding="utf-8", errors="replace"),
            err.read_text(encoding="utf-8", errors="replace"),
        )

    def stop(self) -> None:
        self.stopping = True
        if self.process is not None and self.process.poll() is None:
            self.process.kill()  # only the process this queue started
        self.thread.join(timeout=30)


def _selected(request: pytest.FixtureRequest) -> set[str]:
    """Background jobs that the selected tests of this module need."""
    wanted = set()
    for item in request.session.items:
        if not isinstance(item, pytest.Function) or item.module is not sys.modules[__name__]:
            continue
        if item.originalname == "test_20mb_plan_through_the_cli":
            wanted.add("plan-20mb")
        elif item.originalname == "test_10mb_line_of_prose_through_the_cli":
            wanted.add("prose-line")
        elif item.originalname == "test_10mb_line_of_one_character_through_the_cli":
            wanted.add(f"line-{REPEATED.index(str(item.callspec.params['char']))}")
    return wanted


@pytest.fixture(scope="module", autouse=True)
def background(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Queue]:
    folder = tmp_path_factory.mktemp("big")
    (folder / ".git").mkdir()
    wanted = _selected(request)
    jobs = []
    if "plan-20mb" in wanted:  # the longest first: it overlaps most with the in-process cases
        jobs.append(Job("plan-20mb", lambda: big_plan(20 * MB)))
    if "prose-line" in wanted:
        jobs.append(Job("prose-line", prose_line_plan))
    for index, char in enumerate(REPEATED):
        if f"line-{index}" in wanted:
            jobs.append(Job(f"line-{index}", functools.partial(repeated_line_plan, char)))
    queue = Queue(folder, jobs)
    yield queue
    queue.stop()


# -- empty, front matter, fences -----------------------------------------------------------------


def test_empty_file(root: Path) -> None:
    (root / "empty.md").write_bytes(b"")
    result = cli("check", "--format", "json", "empty.md", cwd=root)
    no_traceback(result)
    assert result.returncode == 0  # not a plan: a warning, nothing to fail
    assert rules(by_path(result)["empty.md"]) == ["unknown-profile"]


def test_empty_file_as_a_plan(root: Path) -> None:
    (root / "empty.md").write_bytes(b"")
    result = cli("check", "--profile", "deploy-plan", "--format", "json", "empty.md", cwd=root)
    no_traceback(result)
    assert result.returncode == 1
    assert {"missing-section", "missing-context-block"} <= set(rules(by_path(result)["empty.md"]))


def test_only_front_matter(root: Path) -> None:
    (root / "plan.md").write_text("---\nprofile: deploy-plan\n---\n", encoding="utf-8")
    result = cli("check", "--format", "json", "plan.md", cwd=root)
    no_traceback(result)
    assert result.returncode == 1
    found = by_path(result)["plan.md"]
    assert {"missing-section", "missing-context-block"} == set(rules(found))
    assert all(v["line"] in (1, 3) for v in found), found


def test_unterminated_front_matter(root: Path) -> None:
    text = CLEAN_PLAN.replace("profile: deploy-plan\n---\n", "profile: deploy-plan\n", 1)
    (root / "plan.md").write_text(text, encoding="utf-8")
    result = cli("check", "--format", "json", "plan.md", cwd=root)
    no_traceback(result)
    assert result.returncode == 1
    violation, *rest = by_path(result)["plan.md"]
    assert violation["rule"] == "invalid-front-matter" and violation["line"] == 1
    assert "never closed" in str(violation["message"])
    # Unclosed, the front matter is plain text: it now stands before the context block.
    assert [(v["rule"], v["line"]) for v in rest] == [("context-block-not-first", 2)]


def test_unterminated_front_matter_alone_says_so(linter: Linter) -> None:
    result = linter.lint_text("---\nprofile: deploy-plan\n", "plan.md")
    assert any("never closed" in v.message for v in result.violations), result.violations


def test_unterminated_fence_at_end_of_file(root: Path) -> None:
    # CommonMark: an unclosed fence runs to the end of the document, so nothing is lost here.
    (root / "plan.md").write_text(CLEAN_PLAN + "\n```bash\nkubectl apply -f x\n", "utf-8")
    result = cli("check", "plan.md", cwd=root)
    no_traceback(result)
    assert result.returncode == 0, result.stdout


def test_unterminated_fence_swallows_the_sections_after_it(root: Path) -> None:
    text = CLEAN_PLAN.replace("2. Promote", "```bash\n2. Promote")
    (root / "plan.md").write_text(text, encoding="utf-8")
    result = cli("check", "--format", "json", "plan.md", cwd=root)
    no_traceback(result)
    assert result.returncode == 1
    messages = " ".join(str(v["message"]) for v in by_path(result)["plan.md"])
    for title in ("Verification & Observability", "Rollback Readiness", "Next Actions"):
        assert f"'{title}' is missing" in messages


def test_deeply_nested_yaml_in_front_matter(linter: Linter) -> None:
    # ruamel's composer recurses: a few hundred levels overflow the default stack (and its
    # scanner slows down sharply beyond that, so no deeper).
    nested = "[" * 400 + "]" * 400
    text = f"---\nx: {nested}\n---\n" + with_front_matter_removed(CLEAN_PLAN)
    result = linter.lint_text(text, "plan.md")
    assert rule_names(result) in ([], ["invalid-front-matter"]), result.violations


# -- big and deep, in process --------------------------------------------------------------------


@pytest.mark.slow
def test_100000_headings(linter: Linter) -> None:
    headings = "".join(f"{'#' * (2 + i % 5)} Detail {i}\n" for i in range(100_000))
    result = linter.lint_text(CLEAN_PLAN + headings, "plan.md")
    names = rule_names(result)
    assert result.profile == "deploy-plan"
    assert INTERNAL_ERROR not in names and "missing-section" not in names
    assert names.count("empty-section") > 0


@pytest.mark.slow
@pytest.mark.parametrize("char", IN_PROCESS)
def test_10mb_line_of_one_character_in_process(linter: Linter, char: str) -> None:
    result = linter.lint_text(repeated_line_plan(char)[0], "plan.md")
    names = rule_names(result)
    assert result.profile == "deploy-plan"
    assert INTERNAL_ERROR not in names and "missing-section" not in names, result.violations


@pytest.mark.slow
@pytest.mark.parametrize(
    "block",
    [
        pytest.param("- " * 10_000 + "x", id="bullets-10000-on-one-line"),
        pytest.param("1. " * 10_000 + "x", id="ordered-10000-on-one-line"),
        pytest.param("".join("  " * i + "- x\n" for i in range(2_000)), id="indented-2000"),
        pytest.param(">" * 10_000, id="quotes-10000"),
        pytest.param(">" * 10_000 + " TODO: [X%]", id="quotes-10000-with-text"),
        pytest.param("> - " * 5_000 + "x", id="quotes-and-lists-5000"),
    ],
)
def test_deep_nesting(linter: Linter, block: str) -> None:
    result = linter.lint_text(in_section(CLEAN_PLAN, "## Next Actions", block), "plan.md")
    names = rule_names(result)
    assert result.profile == "deploy-plan"
    assert INTERNAL_ERROR not in names and "missing-section" not in names, result.violations
    if "TODO" in block:  # the text at the bottom of 10,000 quotes is still checked
        assert names.count("unfilled-placeholder") == 2
    if block.startswith("1."):
        assert names == ["numbered-list-outside-steps"]


# -- bytes: binary, encodings, line endings ------------------------------------------------------


def test_nul_byte_in_a_text_file_and_a_binary_file(root: Path) -> None:
    (root / "nul.md").write_bytes(b"# Plan\n## Steps\nabc\x00def\n")
    (root / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (root / "good.md").write_text(CLEAN_PLAN, encoding="utf-8")
    result = run("check", "--format", "concise", "nul.md", "image.md", "good.md", cwd=root)
    no_traceback(result)
    assert result.returncode == 1
    assert "nul.md:3:4: error PL002 [read-error] nul.md looks like a binary file" in result.stdout
    assert "(a NUL byte at byte offset 19)" in result.stdout
    assert "image.md:3:1: error PL002 [read-error] image.md looks like a binary" in result.stdout
    assert "good.md:" not in result.stdout  # the other file is still linted, and clean
    assert "in 2 of 3 files" in result.stdout


def test_invalid_utf8_names_line_column_and_offset(root: Path) -> None:
    (root / "lf.md").write_bytes(b"# Plan\n## Steps\nR\xc3\xa9sum\xc3\xa9 \xe9tape\n")
    (root / "cr.md").write_bytes(b"# Plan\r## Steps\rok\r\xff here\r")
    (root / "good.md").write_text(CLEAN_PLAN, encoding="utf-8")
    result = cli("check", "--format", "json", "lf.md", "cr.md", "good.md", cwd=root)
    no_traceback(result)
    assert result.returncode == 1
    found = by_path(result)
    [lf] = found["lf.md"]
    assert lf["rule"] == "read-error" and (lf["line"], lf["column"]) == (3, 8)
    assert "byte 0xe9 at byte offset 25" in str(lf["message"])
    [cr] = found["cr.md"]  # CR ends a line for the parser: the bad byte is on line 4
    assert cr["rule"] == "read-error" and (cr["line"], cr["column"]) == (4, 1)
    assert "byte offset 19" in str(cr["message"])
    assert found["good.md"] == []  # the other file is still linted


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_byte_order_marks_are_decoded_and_linted(root: Path, encoding: str) -> None:
    bom = {"utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    (root / "good.md").write_bytes(bom + CLEAN_PLAN.encode(encoding))
    (root / "bad.md").write_bytes(bom + BAD_PLAN.encode(encoding))
    (root / "utf8.md").write_text(BAD_PLAN, encoding="utf-8")
    result = cli("check", "--format", "json", "good.md", "bad.md", "utf8.md", cwd=root)
    no_traceback(result)
    assert result.returncode == 1
    found = by_path(result)
    assert found["good.md"] == []
    assert "missing-section" in rules(found["bad.md"])
    assert found["bad.md"] == found["utf8.md"]  # same findings, same lines and columns


def test_utf16_problems_are_pointed_at_in_characters(root: Path) -> None:
    (root / "no-bom.md").write_bytes(CLEAN_PLAN.encode("utf-16-le"))
    (root / "odd.md").write_bytes("# Ünï\nab".encode("utf-16") + b"A")  # a byte short
    (root / "nul.md").write_bytes("# x\x00y\n".encode("utf-16"))
    result = cli("check", "--format", "json", "no-bom.md", "odd.md", "nul.md", cwd=root)
    no_traceback(result)
    found = {path: violations[0] for path, violations in by_path(result).items()}
    assert "binary" in str(found["no-bom.md"]["message"])  # UTF-16 needs its BOM
    assert "not valid UTF-16-LE" in str(found["odd.md"]["message"])
    assert (found["odd.md"]["line"], found["odd.md"]["column"]) == (2, 3)
    assert "binary" in str(found["nul.md"]["message"])  # U+0000 is no Markdown in UTF-16 either
    assert (found["nul.md"]["line"], found["nul.md"]["column"]) == (1, 4)


@pytest.mark.parametrize("ending", ["\r", "\r\n"])
def test_cr_line_endings(root: Path, ending: str) -> None:
    (root / "good.md").write_bytes(CLEAN_PLAN.replace("\n", ending).encode("utf-8"))
    bad = CLEAN_PLAN.replace("behind the usual canary", "behind [X%] of the canary")
    (root / "bad.md").write_bytes(bad.replace("\n", ending).encode("utf-8"))
    result = cli("check", "--format", "json", "good.md", "bad.md", cwd=root)
    no_traceback(result)
    found = by_path(result)
    assert found["good.md"] == []  # every heading found: no missing section
    [placeholder] = found["bad.md"]
    line = next(n for n, text in enumerate(bad.splitlines(), 1) if "[X%]" in text)
    column = bad.splitlines()[line - 1].index("[X%]") + 1
    assert (placeholder["rule"], placeholder["line"], placeholder["column"]) == (
        "unfilled-placeholder",
        line,
        column,
    )


# -- files that change or cannot be read ---------------------------------------------------------


def test_file_vanishes_between_listing_and_reading(root: Path, linter: Linter) -> None:
    (root / "docs").mkdir()
    (root / "docs" / "a.md").write_text(CLEAN_PLAN, encoding="utf-8")
    (root / "docs" / "b.md").write_text(CLEAN_PLAN, encoding="utf-8")
    files, missing = expand([str(root / "docs")])
    assert len(files) == 2 and not missing
    files[0].unlink()
    gone, kept = (linter.lint_file(file, file.name) for file in files)
    assert rule_names(gone) == [READ_ERROR]
    assert "a.md does not exist (was it moved or deleted?)" in gone.violations[0].message
    assert kept.violations == []


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (FileNotFoundError(errno.ENOENT, "No such file"), "does not exist"),
        (PermissionError(errno.EACCES, "Permission denied"), "permission denied"),
        (OSError(errno.EIO, "Input/output error"), "cannot be read: Input/output error"),
    ],
)
def test_read_fails_after_the_file_was_found(
    root: Path, linter: Linter, monkeypatch: pytest.MonkeyPatch, error: OSError, words: str
) -> None:
    plan = root / "plan.md"
    plan.write_text(CLEAN_PLAN, encoding="utf-8")

    def fail(self: Path) -> bytes:
        raise error

    monkeypatch.setattr(Path, "read_bytes", fail)
    result = linter.lint_file(plan, "plan.md")
    assert rule_names(result) == [READ_ERROR]
    assert words in result.violations[0].message


def test_unreadable_file(root: Path, linter: Linter, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = root / "locked.md"
    locked.write_text(CLEAN_PLAN, encoding="utf-8")
    (root / "good.md").write_text(CLEAN_PLAN, encoding="utf-8")
    locked.chmod(0)
    try:
        locked.read_bytes()
        blocked = False  # root (or a capability) reads through chmod 000
    except PermissionError:
        blocked = True
    try:
        if blocked:
            result = cli("check", "--format", "json", "locked.md", "good.md", cwd=root)
            no_traceback(result)
            assert result.returncode == 1
            found = by_path(result)
            assert rules(found["locked.md"]) == ["read-error"]
            assert "permission denied" in str(found["locked.md"][0]["message"])
            assert found["good.md"] == []
        else:
            real = Path.read_bytes

            def read_bytes(self: Path) -> bytes:
                if self.name == "locked.md":
                    raise PermissionError(errno.EACCES, "Permission denied", str(self))
                return real(self)

            monkeypatch.setattr(Path, "read_bytes", read_bytes)
            results = [linter.lint_file(root / name, name) for name in ("locked.md", "good.md")]
            assert rule_names(results[0]) == [READ_ERROR]
            assert "permission denied" in results[0].violations[0].message
            assert results[1].violations == []
    finally:
        locked.chmod(0o644)


def test_dangling_symlink_is_reported_under_its_own_name(root: Path) -> None:
    (root / "docs").mkdir()
    (root / "docs" / "good.md").write_text(CLEAN_PLAN, encoding="utf-8")
    (root / "docs" / "moved.md").symlink_to("nowhere.md")
    for argument in ("docs", "docs/moved.md"):
        result = cli("check", "--format", "concise", argument, cwd=root)
        no_traceback(result)
        assert result.returncode == 1
        assert "docs/moved.md:1:1: error PL002 [read-error] docs/moved.md does not exist" in (
            result.stdout
        )


# -- paths: directories named .md, loops, pipes, globs -------------------------------------------


def _denied_for(name: str, real: Callable[..., object]) -> Callable[..., object]:
    """``real`` (os.scandir, Path.is_dir), failing with EACCES for paths through ``name``: a
    folder without read or search permission, which the root that runs CI cannot make."""

    def call(*args: object) -> object:
        path = str(args[0]) if args else "."
        if name in Path(path).parts:
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return real(*args)

    return call


def test_a_folder_that_cannot_be_listed_fails_the_run(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for folder in ("ok", "locked"):
        (root / "docs" / folder).mkdir(parents=True)
        (root / "docs" / folder / "plan.md").write_text(CLEAN_PLAN, encoding="utf-8")
    monkeypatch.setattr(os, "scandir", _denied_for("locked", os.scandir))
    monkeypatch.chdir(root)
    code = main(["check", "--no-cache", "--format", "json", "docs"])
    out, err = capsys.readouterr()
    assert code == 2, err  # plans may have gone unlinted: never a silent pass
    assert "docs/locked'" in err and "cannot list this folder (Permission denied)" in err
    assert [f["path"] for f in json.loads(out)["files"]] == ["docs/ok/plan.md"]


def test_a_plan_inside_an_unsearchable_folder_is_an_error_not_a_traceback(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (root / "locked").mkdir()
    (root / "locked" / "plan.md").write_text(CLEAN_PLAN, encoding="utf-8")
    (root / "plan.md").write_text(CLEAN_PLAN, encoding="utf-8")
    monkeypatch.setattr(Path, "is_dir", _denied_for("locked", Path.is_dir))
    monkeypatch.chdir(root)
    code = main(["check", "--no-cache", "--format", "json", "locked/plan.md", "plan.md"])
    out, err = capsys.readouterr()
    assert code == 2
    assert "'locked/plan.md': cannot be read (Permission denied)" in err
    assert [f["path"] for f in json.loads(out)["files"]] == ["plan.md"]


def test_directory_named_md(root: Path) -> None:
    (root / "docs" / "x.md").mkdir(parents=True)
    (root / "docs" / "good.md").write_text(CLEAN_PLAN, encoding="utf-8")
    under = cli("check", "--format", "json", "docs", cwd=root)  # a folder: searched, not read
    no_traceback(under)
    assert under.returncode == 0 and list(by_path(under)) == ["docs/good.md"]
    glob = cli("check", "--format", "json", "docs/*.md", cwd=root)
    no_traceback(glob)
    assert glob.returncode == 0 and list(by_path(glob)) == ["docs/good.md"]
    explicit = cli("check", "docs/x.md", cwd=root)
    no_traceback(explicit)
    assert explicit.returncode == 0
    assert "no Markdown files to lint" in explicit.stderr
    (root / "docs" / "x.md" / "inner.md").write_text(BAD_PLAN, encoding="utf-8")
    inner = cli("check", "--format", "json", "docs/x.md", cwd=root)
    assert inner.returncode == 1 and list(by_path(inner)) == ["docs/x.md/inner.md"]


def test_symlink_loops_under_a_directory(root: Path) -> None:
    (root / "docs").mkdir()
    (root / "docs" / "good.md").write_text(CLEAN_PLAN, encoding="utf-8")
    (root / "docs" / "a").symlink_to(".")  # a folder loop: not followed
    (root / "docs" / "self.md").symlink_to("self.md")  # a file loop: unreadable
    result = cli("check", "--format", "json", "docs", cwd=root)
    no_traceback(result)
    assert result.returncode == 1
    found = by_path(result)
    assert sorted(found) == ["docs/good.md", "docs/self.md"]
    assert rules(found["docs/self.md"]) == ["read-error"]
    assert "symbolic links" in str(found["docs/self.md"][0]["message"])


def test_symlink_loop_with_sarif(root: Path) -> None:
    (root / "self.md").symlink_to("self.md")
    result = cli("check", "--format", "sarif", "self.md", cwd=root)
    no_traceback(result)
    assert result.returncode == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need POSIX")
def test_named_pipe_is_not_read(root: Path) -> None:
    (root / "docs").mkdir()
    (root / "docs" / "good.md").write_text(CLEAN_PLAN, encoding="utf-8")
    os.mkfifo(root / "docs" / "pipe.md")  # reading it would block forever
    result = run("check", "--format", "json", "docs", cwd=root)
    no_traceback(result)
    assert result.returncode == 1
    found = by_path(result)
    assert found["docs/good.md"] == []
    assert "is not a regular file" in str(found["docs/pipe.md"][0]["message"])


def test_glob_matching_only_other_files(root: Path) -> None:
    (root / "notes.txt").write_text("# Notes\n", encoding="utf-8")
    (root / "good.md").write_text(CLEAN_PLAN, encoding="utf-8")
    result = cli("check", "--format", "json", "*.txt", "docs/[", "good.md", cwd=root)
    no_traceback(result)
    assert result.returncode == 2
    assert "'*.txt': the pattern matched no Markdown file" in result.stderr
    assert "'docs/[': the pattern matched no Markdown file" in result.stderr
    assert by_path(result) == {"good.md": []}  # the other file is still linted


# -- configs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "line", "words"),
    [
        ("fail_on: error\nexclude: {a: 1}\n", 2, "exclude: must be a list of globs"),
        ("exclude: [1]\n", 1, "exclude: must be a list of globs, e.g. exclude: ['drafts/**']"),
        ("packs: {a: 1}\n", 1, "packs: must be a list of pack files"),
        ("profiles: [a]\n", 1, "profiles: must be a mapping of globs to profile names"),
        ("rules:\n  missing-section: 3\n", 2, "rules.missing-section"),
        ("fail_on: error\nfail_on: warning\n", 2, 'invalid YAML: found duplicate key "fail_on"'),
        ("rules:\n\tmissing-section: off\n", 2, "invalid YAML"),
        ("- exclude\n", 1, "the config must be a mapping"),
        (
            "rules:\n  prompt-leak:\n    options:\n      patterns: ['(']\n",
            2,
            "rules.prompt-leak.options.patterns.0: must be a valid regular expression (got '(')",
        ),
    ],
)
def test_bad_config(root: Path, config: str, line: int, words: str) -> None:
    (root / "good.md").write_text(CLEAN_PLAN, encoding="utf-8")
    (root / ".planlint.yaml").write_text(config, encoding="utf-8")
    result = cli("check", "good.md", cwd=root)
    no_traceback(result)
    assert result.returncode == 2, result.stdout
    assert f".planlint.yaml:{line}: {words}" in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\xff\xfe\x00r\x00u", "cannot read the config: 'utf-8' codec can't decode byte 0xff"),
        ("fail_on: err\xe9\n".encode("latin-1"), "can't decode byte 0xe9 in position 12"),
        (b"\x00\x01fail_on: error\n", "invalid YAML: unacceptable character #x0000"),
    ],
)
def test_config_that_is_not_utf8_text(root: Path, data: bytes, words: str) -> None:
    (root / "good.md").write_text(CLEAN_PLAN, encoding="utf-8")
    (root / ".planlint.yaml").write_bytes(data)
    result = cli("check", "good.md", cwd=root)
    no_traceback(result)
    assert result.returncode == 2
    assert ".planlint.yaml:1: " in result.stderr and words in result.stderr


def test_pyproject_with_broken_toml_given_as_config(root: Path) -> None:
    (root / "good.md").write_text(CLEAN_PLAN, encoding="utf-8")
    (root / "pyproject.toml").write_text("[tool.planlint]\nignore = [\n", encoding="utf-8")
    result = cli("check", "--config", "pyproject.toml", "good.md", cwd=root)
    no_traceback(result)
    assert result.returncode == 2
    assert "pyproject.toml:" in result.stderr and "invalid TOML" in result.stderr


def test_pyproject_with_a_wrong_type(root: Path) -> None:
    (root / "good.md").write_text(CLEAN_PLAN, encoding="utf-8")
    (root / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.planlint]\nexclude = 5\n', encoding="utf-8"
    )
    result = cli("check", "good.md", cwd=root)
    no_traceback(result)
    assert result.returncode == 2
    assert "pyproject.toml:5: exclude: must be a list of globs" in result.stderr
    assert 'e.g. exclude = ["drafts/**"] (got 5)' in result.stderr  # the example in TOML


def test_pyproject_with_broken_toml_is_found_and_reported(root: Path) -> None:
    (root / "good.md").write_text(CLEAN_PLAN, encoding="utf-8")
    (root / "pyproject.toml").write_text("[tool.planlint]\nignore = [\n", encoding="utf-8")
    result = cli("check", "good.md", cwd=root)
    no_traceback(result)
    assert result.returncode == 2 and "pyproject.toml:" in result.stderr


def test_config_packs_naming_a_missing_file(root: Path) -> None:
    (root / "good.md").write_text(CLEAN_PLAN, encoding="utf-8")
    (root / ".planlint.yaml").write_text("fail_on: error\npacks:\n  - team.yaml\n", "utf-8")
    result = cli("check", "good.md", cwd=root)
    no_traceback(result)
    assert result.returncode == 2 and "team.yaml" in result.stderr
    assert ".planlint.yaml:3:" in result.stderr, result.stderr


def test_config_select_naming_an_unknown_rule(root: Path) -> None:
    config = root / ".planlint.yaml"
    config.write_text("fail_on: error\nselect: [nope]\n", encoding="utf-8")
    with pytest.raises((UsageError, PackError)) as raised:
        Linter(list(default_packs()), load_config(config))
    assert ".planlint.yaml:2:" in str(raised.value)


def test_deeply_nested_yaml_config_and_pack(root: Path) -> None:
    (root / "good.md").write_text(CLEAN_PLAN, encoding="utf-8")
    nested = "[" * 400 + "]" * 400
    (root / ".planlint.yaml").write_text(f"exclude: {nested}\n", encoding="utf-8")
    config = cli("check", "good.md", cwd=root)
    (root / ".planlint.yaml").unlink()
    (root / "team.yaml").write_text(f"pack: team\nrules: {nested}\n", encoding="utf-8")
    pack = cli("check", "--pack", "team.yaml", "good.md", cwd=root)
    for name, result in ((".planlint.yaml", config), ("team.yaml", pack)):
        no_traceback(result)
        assert result.returncode == 2
        assert f"{name}:1: " in result.stderr, result.stderr  # invalid YAML, or a wrong type


# -- packs ---------------------------------------------------------------------------------------


RULE = """\
pack: team
rules:
  - {{code: {code}, name: {name}, summary: s, message: m,{extra}
     docs: {{what: w, why: y, example: e, fix: f}}, check: prompt-leak,
     options: {{patterns: ['x']}}}}
"""


@pytest.mark.parametrize(
    ("pack", "line", "words"),
    [
        ("- pack: team\n", 1, "top level: must be a mapping of keys to values (got a list)"),
        ("", 1, "top level: must be a mapping of keys to values (got nothing)"),
        ("# nothing but a comment\n", 1, "top level: must be a mapping of keys to values"),
        ("pack: team\ncolour: red\n", 2, "colour: unknown key"),
        ("pack: team\nrules:\n  x: 1\n", 2, "rules: must be a list (got a mapping)"),
        ("pack: team\npack: other\n", 2, 'invalid YAML: found duplicate key "pack"'),
        (RULE.format(code="TM001", name="x", extra=" severity: loud,"), 3, "rules.0.severity"),
        (RULE.format(code="T1", name="x", extra=""), 3, "rules.0.code: 'T1' does not match"),
        (RULE.format(code="TM001", name="Bad_Name", extra=""), 3, "rules.0.name"),
        (
            RULE.format(code="TM001", name="x", extra=" when: {colour: [red]},"),
            3,
            "when: unknown fact 'colour'",
        ),
    ],
)
def test_bad_pack(root: Path, pack: str, line: int, words: str) -> None:
    (root / "good.md").write_text(CLEAN_PLAN, encoding="utf-8")
    (root / "team.yaml").write_text(pack, encoding="utf-8")
    result = cli("check", "--pack", "team.yaml", "good.md", cwd=root)
    no_traceback(result)
    assert result.returncode == 2, result.stdout
    assert f"team.yaml:{line}: {words}" in result.stderr, result.stderr


DEEP = "(" * 3000 + "x" + ")" * 3000  # Python's regex compiler recurses once per level


@pytest.mark.parametrize(
    ("check", "option", "message", "words"),
    [
        # compiled by planlint's own case-insensitive validator, and by pydantic's Pattern type
        ("forbidden-phrases", "phrases", "{phrase}", "pattern 1: it is nested too deeply"),
        ("prompt-leak", "patterns", "{text}", "options: a pattern is nested too deeply"),
    ],
)
def test_a_pattern_nested_thousands_deep_is_a_pack_error(
    root: Path, check: str, option: str, message: str, words: str
) -> None:
    (root / "good.md").write_text(CLEAN_PLAN, encoding="utf-8")
    pack = (
        f"pack: team\nrules:\n  - {{code: TM001, name: deep, summary: s, message: '{message}',\n"
        f"     docs: {{what: w, why: y, example: e, fix: f}}, check: {check},\n"
        f"     options: {{{option}: ['{DEEP}']}}}}\n"
    )
    (root / "team.yaml").write_text(pack, encoding="utf-8")
    result = cli("check", "--pack", "team.yaml", "good.md", cwd=root)
    no_traceback(result)
    assert result.returncode == 2, result.stdout
    assert "team.yaml:" in result.stderr and words in result.stderr, result.stderr


def test_a_pattern_nested_thousands_deep_in_the_config_is_a_config_error(root: Path) -> None:
    (root / "good.md").write_text(CLEAN_PLAN, encoding="utf-8")
    config = f"rules:\n  prompt-leak:\n    options:\n      patterns: ['{DEEP}']\n"
    (root / ".planlint.yaml").write_text(config, encoding="utf-8")
    result = cli("check", "good.md", cwd=root)
    no_traceback(result)
    assert result.returncode == 2, result.stdout
    assert ".planlint.yaml:2: rules.prompt-leak.options: a pattern is nested" in result.stderr


@pytest.mark.parametrize(
    ("argument", "words"),
    [
        ("missing.yaml", "missing.yaml:1: cannot read the pack: [Errno 2] No such file"),
        ("folder", "folder:1: cannot read the pack: [Errno 21] Is a directory"),
        ("binary.yaml", "binary.yaml:1: cannot read the pack: 'utf-8' codec can't decode"),
    ],
)
def test_pack_that_cannot_be_read(root: Path, argument: str, words: str) -> None:
    (root / "good.md").write_text(CLEAN_PLAN, encoding="utf-8")
    (root / "folder").mkdir()
    (root / "binary.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    result = cli("check", "--pack", argument, "good.md", cwd=root)
    no_traceback(result)
    assert result.returncode == 2
    assert words in result.stderr, result.stderr


def test_pack_rule_reusing_a_bundled_code(root: Path) -> None:
    pack = root / "team.yaml"
    pack.write_text(RULE.format(code="PL101", name="leak", extra=""), encoding="utf-8")
    with pytest.raises(PackError, match="already defined") as raised:
        Linter([*default_packs(), (pack, load_pack(pack))])
    assert raised.value.line == 3


def test_pack_applies_to_an_unknown_profile(root: Path) -> None:
    pack = root / "team.yaml"
    pack.write_text(
        RULE.format(code="TM001", name="leak", extra="").replace(
            "rules:", "applies_to: [deploy-plna]\nrules:"
        ),
        encoding="utf-8",
    )
    with pytest.raises(PackError, match="deploy-plna"):
        Linter([*default_packs(), (pack, load_pack(pack))])


def test_pack_scope_naming_no_section(root: Path) -> None:
    pack = root / "team.yaml"
    pack.write_text(RULE.format(code="TM001", name="leak", extra=" scope: nowhere,"), "utf-8")
    with pytest.raises(PackError, match="nowhere"):
        Linter([*default_packs(), (pack, load_pack(pack))])


@pytest.mark.xfail(
    strict=True,
    reason="yamlio.load_yaml: a date ruamel cannot build (2021-13-01) raises a ValueError "
    "without a position, so the error points at line 1",
)
def test_pack_with_an_impossible_date(root: Path) -> None:
    pack = root / "team.yaml"
    pack.write_text("pack: team\ndescription: 2021-13-01\n", encoding="utf-8")
    with pytest.raises(PackError, match=r"month must be in 1\.\.12") as raised:
        load_pack(pack)
    assert raised.value.line == 2


# -- big inputs through the real CLI (run by the background queue) -------------------------------


@pytest.mark.slow
def test_20mb_plan_through_the_cli(background: Queue) -> None:
    job = background.jobs["plan-20mb"]
    result = job.wait()
    no_traceback(result)
    assert result.returncode == 1, result.stdout[-2000:] + result.stderr
    # The one placeholder is on the last line: the whole 20 MB was parsed and checked.
    where = f"{job.expect['line']}:{job.expect['column']}"
    assert f"plan-20mb.md:{where}: error PL201 [unfilled-placeholder]" in result.stdout
    assert "internal-error" not in result.stdout and "read-error" not in result.stdout


@pytest.mark.slow
def test_10mb_line_of_prose_through_the_cli(background: Queue) -> None:
    job = background.jobs["prose-line"]
    result = job.wait()
    no_traceback(result)
    assert result.returncode == 1, result.stdout[-2000:] + result.stderr
    where = f"{job.expect['line']}:{job.expect['column']}"  # column 10,000,000 or so
    assert f"prose-line.md:{where}: error PL201 [unfilled-placeholder]" in result.stdout
    assert "internal-error" not in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("char", THROUGH_THE_CLI)
def test_10mb_line_of_one_character_through_the_cli(background: Queue, char: str) -> None:
    name = f"line-{REPEATED.index(char)}"
    result = background.jobs[name].wait()
    no_traceback(result)
    assert result.returncode in (0, 1), result.stderr
    assert "internal-error" not in result.stdout and "read-error" not in result.stdout
    assert f"{name}.md" in result.stdout or "1 file, no problems" in result.stdout
    assert ("[missing-section]" in result.stdout) == (char == "`"), result.stdout[-2000:]


@pytest.mark.parametrize("kind", ["plan", "pack"])
def test_an_anchor_defined_twice_is_read_without_a_python_warning(root: Path, kind: str) -> None:
    # Valid YAML (the later anchor counts), which ruamel nevertheless "warns" about by printing
    # a Python warning and its own source line: nothing a linter's user should see.
    (root / "plan.md").write_text(
        "---\nprofile: &p deploy-plan\nowner: &p Priya\nenvironment: staging\n---\n\n# Plan\n",
        encoding="utf-8",
    )
    args = ["check", "--no-cache", "--format", "json", "plan.md"]
    if kind == "pack":
        pack = root / "team.yaml"
        pack.write_text(
            "pack: team\n"
            "rules:\n"
            "  - {code: TM001, name: no-yolo, severity: error, check: prompt-leak, summary: s,"
            " message: m, options: {patterns: [yolo]}, docs: &d {what: a, why: b, example: c,"
            " fix: d}}\n"
            "  - {code: TM002, name: no-whatever, severity: error, check: prompt-leak, summary: s,"
            " message: m, options: {patterns: [whatever]}, docs: &d {what: e, why: f, example: g,"
            " fix: h}}\n",
            encoding="utf-8",
        )
        args += ["--pack", "team.yaml"]
    result = run(*args, cwd=root)
    assert result.returncode in (0, 1), result.stderr
    assert "Warning" not in result.stderr and "Traceback" not in result.stderr
    assert json.loads(result.stdout)["files"][0]["profile"] == "deploy-plan"


def test_broken_front_matter_fails_closed_and_the_plan_is_still_linted(tmp_path: Path) -> None:
    """A bad date in front matter must not drop the declared profile and every check with it."""
    plan = tmp_path / "plan.md"
    plan.write_text(
        "---\nprofile: deploy-plan\nreviewed: 2026-13-45\n---\n"
        "## Deployment Summary\n- Ships checkout v2.14 to production.\n",
        encoding="utf-8",
    )
    result = run_planlint("check", "--no-cache", "--format=json", "plan.md", cwd=tmp_path)
    found = json.loads(result.stdout)["files"][0]
    rules = {v["rule"] for v in found["violations"]}
    assert found["profile"] == "deploy-plan"
    assert {"invalid-front-matter", "missing-section"} <= rules
    assert result.returncode == 1


def test_a_file_with_no_profile_is_still_searched_for_secrets(tmp_path: Path) -> None:
    token = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
    (tmp_path / "notes.md").write_text(f"Some notes.\n\ntoken: {token}\n", encoding="utf-8")
    result = run_planlint("check", "--no-cache", "--format=json", "notes.md", cwd=tmp_path)
    rules = [v["rule"] for v in json.loads(result.stdout)["files"][0]["violations"]]
    assert "unknown-profile" in rules and "secret-in-plan" in rules
    assert token not in result.stdout
    assert result.returncode == 1


@pytest.mark.parametrize(
    ("setup", "args", "words"),
    [
        ("pyproject", ("plan.md",), "pyproject.toml:1: invalid TOML"),
        ("deep-baseline", ("--baseline", "base.json", "plan.md"), "nested too deeply"),
        ("fifo-pack", ("--pack", "fifo.yaml", "plan.md"), "not a regular file"),
        ("device-pack", ("--pack", "/dev/zero", "plan.md"), "not a regular file"),
    ],
)
def test_hostile_settings_files_get_a_message_not_a_traceback(
    tmp_path: Path, setup: str, args: tuple[str, ...], words: str
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "plan.md").write_text("## Deployment Summary\n- x\n", encoding="utf-8")
    if setup == "pyproject":  # an integer past Python's conversion limit
        text = "[tool.planlint]\nfail_on = 'error'\nx = " + "9" * 5000 + "\n"
        (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    elif setup == "deep-baseline":
        (tmp_path / "base.json").write_text("[" * 100_000, encoding="utf-8")
    elif setup == "fifo-pack":
        if not hasattr(os, "mkfifo"):
            pytest.skip("named pipes")
        os.mkfifo(tmp_path / "fifo.yaml")
    elif not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    result = run_planlint("check", *args, cwd=tmp_path, timeout=60)
    assert "Traceback" not in result.stderr
    assert words in result.stderr
    assert result.returncode == 2


def test_a_plan_linked_to_a_file_outside_the_repository_is_not_read(tmp_path: Path) -> None:
    repo, outside = tmp_path / "repo", tmp_path / "home"
    repo.mkdir()
    outside.mkdir()
    (repo / ".git").mkdir()
    secret = outside / "config.md"
    secret.write_text("## Deployment Summary\nprivate notes: the vault is at 10.0.0.7\n")
    (repo / "notes.md").symlink_to(secret)
    (repo / "inside.md").symlink_to(repo / "plan.md")
    (repo / "plan.md").write_text("## Deployment Summary\n- x\n", encoding="utf-8")
    result = run_planlint("check", "--no-cache", "notes.md", "inside.md", cwd=repo)
    assert "private notes" not in result.stdout and "10.0.0.7" not in result.stdout
    assert "notes.md:1:1: error PL002 [read-error]" in result.stdout
    assert "symbolic link to a file outside the repository" in result.stdout
    assert "inside.md" in result.stdout and "inside.md:1:1: error PL002" not in result.stdout
    assert result.returncode == 1
