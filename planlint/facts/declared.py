"""Facts a policy pack declares (``facts:``): read from the front matter, a labelled line, or a
YAML or JSON file beside the plan, such as a KEP's ``kep.yaml`` with its ``stage``.

A file is read only when it resolves, symlinks followed, to a regular file inside the
repository or inside the plan's own folder (a plan named on the command line outside the
repository brings its folder with it), and only up to ``MAX_BYTES``; what cannot be read or
parsed gives no value, and the fact falls back to its next source, then to its default.
Every file looked at goes into ``consulted``: a cached result holds only while it stays as
it is.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from planlint.core.yamlio import YamlProblem, load_yaml_quick
from planlint.facts.fields import label_key
from planlint.facts.plan import Facts
from planlint.markdown.nodes import Document

MAX_BYTES = 1_000_000


class Source(Protocol):
    """Where a fact may be read (``planlint.engine.packs.FactSource``)."""

    @property
    def front_matter(self) -> str | None: ...
    @property
    def label(self) -> str | None: ...
    @property
    def file(self) -> str | None: ...
    @property
    def key(self) -> str | None: ...


class Declared(Protocol):
    """A fact a pack declares (``planlint.engine.packs.FactSpec``)."""

    @property
    def name(self) -> str: ...
    @property
    def from_(self) -> Sequence[Source]: ...
    @property
    def default(self) -> str: ...


def declared_facts(
    specs: Sequence[Declared],
    document: Document,
    facts: Facts,
    path: Path | None,
    root: Path,
    consulted: set[Path],
) -> dict[str, str]:
    """Each declared fact's value for this plan, lower case; its default when none is found."""
    values: dict[str, str] = {}
    for spec in specs:
        value = None
        for source in spec.from_:
            value = _read(source, document, facts, path, root, consulted)
            if value:
                break
        values[spec.name] = (value or spec.default).strip().lower()
    return values


def _read(
    source: Source,
    document: Document,
    facts: Facts,
    path: Path | None,
    root: Path,
    consulted: set[Path],
) -> str | None:
    if source.front_matter is not None:
        matter = document.front_matter
        return _at_key(_parsed(matter.text), source.front_matter) if matter else None
    if source.label is not None:
        wanted = label_key(source.label)
        return next((field.value for field in facts.labelled if field.key == wanted), None)
    if source.file is not None and source.key is not None and path is not None:
        name = source.file.replace("{stem}", path.stem).replace("{name}", path.name)
        found = path.parent / name
        consulted.add(found)
        text = _read_inside(found, (root, path.parent))
        if text is None:
            return None
        data = _parsed_json(text) if found.suffix.lower() == ".json" else _parsed(text)
        return _at_key(data, source.key)
    return None


def _read_inside(path: Path, folders: tuple[Path, ...]) -> str | None:
    """The file's text if it is a small regular file inside one of ``folders`` (links
    resolved)."""
    try:
        real = path.resolve(strict=True)
        inside = any(real.is_relative_to(folder.resolve()) for folder in folders)
        if not inside or not real.is_file():
            return None
        if real.stat().st_size > MAX_BYTES:
            return None
        return real.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, RuntimeError, ValueError):
        return None


def _parsed(text: str) -> Any:
    try:
        return load_yaml_quick(text)
    except (YamlProblem, ValueError, RecursionError, OverflowError):
        return None
    except Exception:  # ruamel's own errors: a broken file gives no value, never a crash
        return None


def _parsed_json(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _at_key(data: Any, key: str) -> str | None:
    """The scalar at a dotted key path ("stage", "milestone.beta", "owners.0")."""
    for part in key.split("."):
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    if isinstance(data, bool):
        return "true" if data else "false"
    if isinstance(data, (str, int, float)):
        return str(data)
    return None
