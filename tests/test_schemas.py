"""The published JSON Schemas are the ones the models generate, and they describe real files."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema  # type: ignore[import-untyped, unused-ignore]
import pytest
from ruamel.yaml import YAML

from planlint.app.schemas import SCHEMAS, render

SCHEMAS_DIR = Path(__file__).resolve().parent.parent / "schemas"
RULES_DIR = Path(__file__).resolve().parent.parent / "rules"


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schema_file_is_fresh(name: str) -> None:
    path = SCHEMAS_DIR / f"{name}.schema.json"
    assert path.read_text(encoding="utf-8") == render(name), (
        f"{path} is stale: run `python -m planlint.app.schemas` and commit the result"
    )


@pytest.mark.parametrize("pack", sorted(RULES_DIR.glob("*.yaml")), ids=lambda p: p.name)
def test_bundled_packs_match_the_pack_schema(pack: Path) -> None:
    schema = json.loads((SCHEMAS_DIR / "pack.schema.json").read_text(encoding="utf-8"))
    data = YAML(typ="safe", pure=True).load(pack.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)


def test_cli_offers_every_schema() -> None:
    from planlint.app.schemas import SCHEMAS
    from planlint.cli import SCHEMA_NAMES

    assert sorted(SCHEMAS) == list(SCHEMA_NAMES)


def test_pack_schema_checks_each_rules_options_against_its_kind() -> None:
    import jsonschema

    from planlint.app.schemas import SCHEMAS
    from planlint.core.yamlio import load_yaml

    schema = SCHEMAS["pack"]()
    root = Path(__file__).resolve().parent.parent
    for pack in [*sorted((root / "rules").glob("*.yaml")), root / "examples/packs/kep-prr.yaml"]:
        jsonschema.validate(load_yaml(pack.read_text(encoding="utf-8")), schema)
    bad = {
        "pack": "team",
        "rules": [
            {
                "code": "TM001",
                "name": "x",
                "summary": "s",
                "message": "m",
                "docs": {"what": "w", "why": "y", "example": "e", "fix": "f"},
                "check": "answered",
                "scope": "summary",
                "options": {"evidense": "tested"},
            }
        ],
    }
    with pytest.raises(jsonschema.ValidationError, match="evidense"):
        jsonschema.validate(bad, schema)
