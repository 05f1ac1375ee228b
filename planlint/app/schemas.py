"""The JSON Schemas planlint publishes, generated from its pydantic models.

``schemas/*.schema.json`` in the repository are these, written by
``python -m planlint.app.schemas``; a test fails when they are stale.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel


def _model(model: type[BaseModel], title: str) -> Callable[[], dict[str, Any]]:
    def schema() -> dict[str, Any]:
        result = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            **model.model_json_schema(),
        }
        result["title"] = title
        return result

    return schema


def _pack() -> dict[str, Any]:
    """The pack schema, with each rule's ``options`` checked against its check kind's model
    (an editor then completes and validates them)."""
    from pydantic.json_schema import models_json_schema

    from planlint.engine.check_api import BUILTIN
    from planlint.engine.kinds import check_kinds
    from planlint.engine.options import options_model
    from planlint.engine.packs import Pack

    schema = _model(Pack, "planlint policy pack")()
    kinds = {
        name: options_model(kind)
        for name, kind in sorted(check_kinds().items())
        if name != BUILTIN and kind.function.__module__.startswith("planlint.")
    }
    models = sorted(set(kinds.values()), key=lambda model: model.__name__)
    refs, extra = models_json_schema(
        [(model, "validation") for model in models], ref_template="#/$defs/{model}"
    )
    defs = schema.setdefault("$defs", {})
    defs.update(extra.get("$defs", {}))
    rule = defs["RuleSpec"]
    rule["properties"]["check"]["examples"] = list(kinds)
    rule["allOf"] = [
        {
            "if": {"properties": {"check": {"const": name}}, "required": ["check"]},
            "then": {"properties": {"options": refs[(model, "validation")]}},
        }
        for name, model in kinds.items()
    ]
    return schema


def _config() -> dict[str, Any]:
    from planlint.engine.config import Config

    return _model(Config, "planlint configuration")()


def _front_matter() -> dict[str, Any]:
    from planlint.facts.frontmatter import FrontMatterData

    return _model(FrontMatterData, "planlint plan front matter")()


def _report() -> dict[str, Any]:
    from planlint.report import report_schema

    return report_schema()


SCHEMAS: dict[str, Callable[[], dict[str, Any]]] = {
    "pack": _pack,
    "config": _config,
    "front-matter": _front_matter,
    "report": _report,
}


def render(name: str) -> str:
    return json.dumps(SCHEMAS[name](), indent=2, sort_keys=False) + "\n"


def write_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMAS:
        path = folder / f"{name}.schema.json"
        path.write_text(render(name), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover
    from planlint.core.resources import schemas_dir

    for path in write_all(Path(sys.argv[1]) if len(sys.argv) > 1 else schemas_dir()):
        print(f"wrote {path}")
