"""The README's rule table is the one the packs generate."""

from __future__ import annotations

import re
from pathlib import Path

from planlint.app.catalogue import markdown_table
from planlint.engine.packs import default_packs
from planlint.engine.runner import Linter

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_rule_table_is_in_sync() -> None:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"<!-- rules-table:[^\n]*-->\n(.*?)<!-- end rules-table -->", text, re.S)
    assert match, "README lost its rules-table markers"
    expected = markdown_table(Linter(list(default_packs())).catalogue())
    assert match.group(1) == expected, "run `planlint rules --markdown` and paste it into README"


def test_readme_gives_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert "planlint check examples/" in text
    # The whole suite, in parallel (pytest-xdist): the README's command is the one CI runs.
    assert ". .venv/bin/activate && python -m pytest -n auto\n" in text
    assert "python -m pytest -n auto " in (README.parent / ".ci" / "run").read_text("utf-8")


def test_readme_install_lines_work_without_pypi() -> None:
    """planlint is not published: no install line may rely on PyPI having it."""
    text = README.read_text(encoding="utf-8")
    assert "pip install planlint" not in text
    assert "pip install 'planlint[lsp]'" not in text
