"""What several test modules share: running the real CLI in a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run_planlint(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m planlint ARGS`` in ``cwd``, as a user would run it; never raises on exit."""
    return subprocess.run(
        [sys.executable, "-m", "planlint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        check=False,
    )
