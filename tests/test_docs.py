"""docs/rules.md is generated from the packs and must not go stale."""

from __future__ import annotations

from pathlib import Path

import pytest

from planlint.app.docs import main, render
from planlint.engine.packs import default_packs

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def test_docs_rules_md_is_up_to_date() -> None:
    assert DOCS.read_text(encoding="utf-8") == render(), (
        "docs/rules.md is stale: run `python -m planlint.app.docs --write`"
    )


def test_every_rule_is_documented_with_its_docs() -> None:
    text = render()
    for _, pack in default_packs():
        for spec in pack.rules:
            assert f"## {spec.code} `{spec.name}`" in text
            assert " ".join(spec.docs.fix.split()) in text
            assert spec.docs.example.rstrip("\n") in text


def test_when_conditions_and_profiles_are_shown() -> None:
    text = render()
    for _, pack in default_packs():
        for spec in pack.rules:
            section = text.split(f"## {spec.code} `{spec.name}`")[1].split("\n## ")[0]
            profiles = ", ".join(pack.targets() or []) or "all"
            assert f"- **Profiles:** {profiles}" in section
            assert ("- **Applies when:**" in section) == bool(spec.when)


def test_check_reports_a_stale_file(tmp_path: Path) -> None:
    stale = tmp_path / "rules.md"
    stale.write_text("# old\n", encoding="utf-8")
    assert main(["--check", str(stale)]) == 1
    assert main(["--write", str(stale)]) == 0
    assert main(["--check", str(stale)]) == 0


def test_docs_check_kinds_md_is_up_to_date() -> None:
    from planlint.app.kinddocs import DEFAULT_PATH, render

    root = Path(__file__).resolve().parent.parent
    assert (root / DEFAULT_PATH).read_text(encoding="utf-8") == render(), (
        "docs/check-kinds.md is stale: run `python -m planlint.app.kinddocs --write`"
    )


def test_every_check_kind_and_option_is_documented() -> None:
    from planlint.app.kinddocs import render

    text = render()
    assert "(undocumented)" not in text
    assert "| `topics` |" in text and "| `column` |" in text


def test_check_kind_command(capsys: pytest.CaptureFixture[str]) -> None:
    from planlint.cli import main

    assert main(["check-kind", "answered"]) == 0
    shown = capsys.readouterr().out
    assert "## `answered`" in shown and "| `evidence` |" in shown and "Needs a scope" in shown
    assert main(["check-kind", "answerd"]) == 2
    assert "did you mean answered" in capsys.readouterr().err


def test_the_pack_guide_builds_a_working_pack(tmp_path: Path) -> None:
    """docs/writing-a-pack.md, its YAML fragments put together, is a pack whose cases pass."""
    import re

    from planlint.cli import main as cli

    guide = (DOCS.parent / "writing-a-pack.md").read_text(encoding="utf-8")
    fragments = re.findall(r"```yaml\n(.*?)```", guide, re.S)
    pack = tmp_path / "prr.yaml"
    pack.write_text("".join(fragments[:4]), encoding="utf-8")
    assert cli(["test-policy", "--quiet", str(pack)]) == 0
