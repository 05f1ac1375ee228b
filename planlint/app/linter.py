"""Building a linter: the config, the bundled packs and extra packs, validated and compiled.
The command line and the language server both build theirs here."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from planlint.engine.config import load_config
from planlint.engine.packs import Pack, PackError, default_packs, load_pack, pack_line
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
    loaded = with_extends(extra, config.root)
    return Linter([*default_packs(), *loaded], config, **options)  # type: ignore[arg-type]


def with_extends(paths: Sequence[Path], root: Path) -> list[tuple[Path, Pack]]:
    """The packs at ``paths``, each after the packs it extends, every pack once."""
    loaded: list[tuple[Path, Pack]] = []
    for path in paths:
        _load_with_extends(path, root, loaded, ())
    return loaded


def _load_with_extends(
    path: Path, root: Path, loaded: list[tuple[Path, Pack]], chain: tuple[Path, ...]
) -> None:
    """Load ``path`` after the packs it extends, each once; a pack may extend only packs in the
    repository or its own folder, and never itself through others."""
    key = path.resolve()
    if any(key == seen.resolve() for seen, _ in loaded):
        return
    pack = load_pack(path)
    for index, name in enumerate(pack.extends):
        target = path.parent / name
        real = target.resolve()
        if not (real.is_relative_to(root.resolve()) or real.is_relative_to(key.parent)):
            line = pack_line(path, ["extends", index])
            raise PackError(path, line, f"extends: {name!r} is outside the repository")
        if real in (*(link.resolve() for link in chain), key):
            line = pack_line(path, ["extends", index])
            raise PackError(path, line, f"extends: {name!r} extends this pack again (a cycle)")
        if not target.is_file():
            raise PackError(
                path, pack_line(path, ["extends", index]), f"extends: {name!r} does not exist"
            )
        _load_with_extends(target, root, loaded, (*chain, path))
    loaded.append((path, pack))
