"""A run with --jobs ends cleanly when it is stopped (SIGTERM from a cancelled CI step) or when
a worker dies (the out-of-memory killer): no worker outlives the run, no traceback, and a file
that was not judged fails rather than passing."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PLANLINT = (sys.executable, "-m", "planlint")

pytestmark = pytest.mark.skipif(
    sys.platform != "linux", reason="--jobs forks workers on Linux only; /proc lists them"
)


def many_plans(root: Path, copies: int = 60) -> Path:
    """Enough plans (about 20 per copy) that the workers are still busy when a test acts."""
    for copy in range(copies):
        shutil.copytree(EXAMPLES / "broken", root / "plans" / f"c{copy}", ignore=_not_markdown)
    return root / "plans"


def _not_markdown(folder: str, names: list[str]) -> list[str]:
    return [name for name in names if not name.endswith(".md")]


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(child) for child in task.read_text().split()]
        except OSError:
            continue
    return found


def start(root: Path) -> tuple[subprocess.Popen[str], list[int]]:
    """A run with two workers, once both of them are running."""
    process = subprocess.Popen(
        [*PLANLINT, "check", "--no-cache", "--jobs", "2", "--format", "json", "plans"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while len(workers := children(process.pid)) < 2:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the workers never started"
        time.sleep(0.02)
    time.sleep(0.2)  # well into the files
    return process, workers


def gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state == "Z"  # a zombie runs no code; whoever inherits it reaps it


def test_sigterm_ends_the_run_and_every_worker(tmp_path: Path) -> None:
    many_plans(tmp_path)
    process, workers = start(tmp_path)
    process.send_signal(signal.SIGTERM)
    # communicate() reads to the end of stdout: it returns only once no worker holds it open.
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 128 + signal.SIGTERM, stderr
    assert "planlint: stopped by SIGTERM" in stderr
    assert "Traceback" not in stderr
    assert all(gone(worker) for worker in workers)


def test_a_killed_worker_fails_the_files_it_did_not_finish(tmp_path: Path) -> None:
    many_plans(tmp_path)
    process, workers = start(tmp_path)
    os.kill(workers[0], signal.SIGKILL)  # as the out-of-memory killer does
    stdout, stderr = process.communicate(timeout=60)
    assert "Traceback" not in stderr, stderr
    assert process.returncode == 1
    files = json.loads(stdout)["files"]
    assert len(files) == len(list((tmp_path / "plans").rglob("*.md")))
    unfinished = [
        f["path"]
        for f in files
        for v in f["violations"]
        if v["rule"] == "internal-error" and "--jobs 1" in v["message"]
    ]
    assert unfinished, "the files the dead worker held must not pass unjudged"
    judged = [f for f in files if f["path"] not in unfinished]
    assert judged and all(f["violations"] for f in judged)  # every broken example fails
    assert all(gone(worker) for worker in workers)
