"""Where the bundled policy packs and JSON Schemas are.

In a wheel they sit inside the package (``planlint/rules``); in a source checkout they sit at
the top of the repository, beside the package.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # planlint/, two levels above this module


def _data_dir(name: str) -> Path:
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


def rules_dir() -> Path:
    return _data_dir("rules")


def schemas_dir() -> Path:
    return _data_dir("schemas")


def bundled_packs() -> list[Path]:
    return sorted(rules_dir().glob("*.yaml"))
