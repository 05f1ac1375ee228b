"""Building a linter: the config, the bundled packs and extra packs, validated and compiled.
The command line and the language server both build theirs here."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from planlint.engine.config import load_config
from planlint.engine.packs import PackError, default_packs, load_pack
from planlint.engine.runner import Linter


def build_linter(config_path: Path | None, packs: Sequence[Path] = (), **options: object) -> Linter:
    """The linter for a config file (None: no config) plus extra packs; `check` and `lsp` share
    it. Raises ``PackError`` (a config or pack problem, located) or ``UsageError``."""
    config = load_config(config_path)
    extra = [config.root / pack for pack in config.config.packs]
    for index, pack in enumerate(extra):
        if not pack.is_file():
            line = config.line_of("packs", index)
            raise PackError(config.path or "config", line, f"packs: {pack} does not exist")
    extra += packs
    loaded = [*default_packs(), *((path, load_pack(path)) for path in extra)]
    return Linter(loaded, config, **options)  # type: ignore[arg-type]
