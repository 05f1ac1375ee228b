"""Every rule's failing and passing texts, kept as data in rules/cases/<rule>.yaml.

Each case lints its text with only that rule selected (so fixtures stay short) and compares the
exact lines (and columns or severities, where given) of the violations.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from planlint.engine.config import Config, LoadedConfig
from planlint.engine.packs import default_packs
from planlint.engine.runner import Linter

FIXTURES = Path(__file__).resolve().parent.parent / "rules" / "cases"


def _cases() -> list[Any]:
    yaml = YAML(typ="safe", pure=True)
    cases = []
    for path in sorted(FIXTURES.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            case_id = f"{data['rule']}::{case['name']}"
            cases.append(pytest.param(data, case, id=case_id))
    return cases


def _lint(data: dict[str, Any], case: dict[str, Any]) -> list[Any]:
    config = LoadedConfig(config=Config.model_validate(case.get("config", {})))
    profile = case.get("profile", data.get("profile"))
    linter = Linter(list(default_packs()), config, profile=profile, select=[data["rule"]])
    text: str = case["fail"] if "fail" in case else case["pass"]
    return linter.lint_text(text, "plan.md").violations


@pytest.mark.parametrize(("data", "case"), _cases())
def test_rule_case(data: dict[str, Any], case: dict[str, Any]) -> None:
    assert ("fail" in case) != ("pass" in case), "a case has either fail: or pass:"
    violations = [v for v in _lint(data, case) if v.rule == data["rule"]]
    if "pass" in case:
        assert violations == [], [f"{v.line}:{v.column} {v.message}" for v in violations]
        return
    expected = case["expect"]
    assert len(violations) == len(expected), [
        f"{v.line}:{v.column} {v.message}" for v in violations
    ]
    for violation, wanted in zip(violations, expected, strict=True):
        assert violation.line == wanted["line"], violation
        if "column" in wanted:
            assert violation.column == wanted["column"], violation
        if "severity" in wanted:
            assert violation.severity.label == wanted["severity"], violation
        if "message" in wanted:
            assert wanted["message"] in violation.message, violation


def test_every_rule_has_failing_and_passing_fixtures() -> None:
    yaml = YAML(typ="safe", pure=True)
    covered: dict[str, set[str]] = {}
    for path in FIXTURES.glob("*.yaml"):
        data = yaml.load(path.read_text(encoding="utf-8"))
        kinds = {"fail" if "fail" in case else "pass" for case in data["cases"]}
        covered[data["rule"]] = kinds
    rules = [spec.name for _, pack in default_packs() for spec in pack.rules]
    for name in rules:
        if name in ("read-error", "internal-error"):
            continue  # a file on disk, a bug: tests/test_cli.py and test_engine.py cover them
        assert covered.get(name) == {"fail", "pass"}, f"{name} needs fail and pass fixtures"
