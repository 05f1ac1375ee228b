"""What several test modules share: running the real CLI in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any


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


HEAVY = ("lark", "pydantic", "ruamel")  # what a light run should not import


def run_and_list_imports(
    argv: list[str], cwd: Path, watched: tuple[str, ...] = HEAVY
) -> tuple[int, str, list[str]]:
    """``planlint ARGV`` in a fresh process: its exit code, its output, and which of the
    ``watched`` top-level packages it imported (checked by the process, not timed)."""
    probe = (
        "import sys\n"
        "from planlint.cli import main\n"
        f"code = main({argv!r})\n"
        f"found = sorted({{m.split('.')[0] for m in sys.modules}} & {set(watched)!r})\n"
        "print(code, ','.join(found) or '-', file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=cwd, capture_output=True, text=True, check=False
    )
    code, found = result.stderr.split()[-2:]
    return int(code), result.stdout, [name for name in found.split(",") if name != "-"]


def first_fast(values: Sequence[object]) -> list[object]:
    """Parametrize values where the first runs in the quick local loop (``-m "not slow"``) and
    the others, more of the same through the real CLI, only in the whole suite."""
    import pytest

    def slow(value: object) -> object:  # a tuple is one case's several arguments
        arguments = value if isinstance(value, tuple) else (value,)
        return pytest.param(*arguments, marks=pytest.mark.slow)

    return [values[0], *(slow(value) for value in values[1:])]


def read_cache(path: Path) -> Any:
    """A workspace cache file's JSON document, its seal checked (``planlint.app.cachefiles``):
    what a test reads to look inside the cache, or changes and writes back with ``write_cache``."""
    from planlint.app.cachefiles import unseal

    body = unseal(path.read_bytes())
    assert body is not None, f"{path} is not sealed by this user's planlint"
    return json.loads(body)


def write_cache(path: Path, document: Any) -> None:
    """Write a (deliberately damaged) cache document sealed with this user's key, as planlint
    itself would: the run must then notice the damage from the rows, not from the seal."""
    from planlint.app.cachefiles import seal

    sealed = seal(json.dumps(document).encode("utf-8"))
    assert sealed is not None
    path.write_bytes(sealed)
