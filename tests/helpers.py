"""What several test modules share: running the real CLI in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path


def run_planlint(
    *args: str, cwd: Path, timeout: float = 120, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m planlint ARGS`` in ``cwd``, as a user would run it; never raises on exit.

    ``env`` adds to (or overrides) the environment."""
    return subprocess.run(
        [sys.executable, "-m", "planlint", *args],
        cwd=cwd,
        env={**os.environ, **env} if env is not None else None,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        check=False,
    )
