"""BENCHMARKS.md holds one section per benchmark; each benchmark rewrites only its own."""

from __future__ import annotations

import os
import platform
import re
from datetime import date
from pathlib import Path

from planlint import __version__

REPO = Path(__file__).resolve().parent.parent
BENCHMARKS = REPO / "BENCHMARKS.md"


def machine() -> str:
    """Where and when a table was measured: the figures mean nothing without it."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.partition(":")[2].strip()
                break
    except OSError:
        cpu = platform.processor() or cpu
    return (
        f"{date.today()}, planlint {__version__}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} CPUs"
    )


def write_section(title: str, body: str) -> None:
    """Replace the ``## title`` section of BENCHMARKS.md (or append it), keeping the others."""
    text = BENCHMARKS.read_text(encoding="utf-8") if BENCHMARKS.exists() else "# Benchmarks\n"
    section = f"## {title}\n\n{body.rstrip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    BENCHMARKS.write_text(text, encoding="utf-8")
