"""Engine behaviour that fixtures cannot show: crashes contained, packs composed, conditions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from planlint.engine.check_api import CheckContext, CheckKind, Finding
from planlint.engine.conditions import condition_holds
from planlint.engine.config import Config, LoadedConfig
from planlint.engine.kinds import check_kinds, register
from planlint.engine.options import NoOptions
from planlint.engine.packs import Pack, RuleDocs, RuleSpec, default_packs
from planlint.engine.runner import Linter

DOCS = RuleDocs(what="w", why="y", example="e", fix="f")


def _explodes(ctx: CheckContext, options: NoOptions) -> Iterator[Finding]:
    raise RuntimeError("boom")


if "test-explodes" not in check_kinds():  # the module may be imported twice (xdist, reruns)
    register(CheckKind("test-explodes", _explodes, None, scoped=False))


def _pack(rule: RuleSpec, applies_to: list[str] | None = None) -> tuple[Path, Pack]:
    return Path("test.yaml"), Pack(pack="test", rules=[rule], applies_to=applies_to)


def test_a_crashing_check_is_reported_not_raised() -> None:
    rule = RuleSpec(
        code="TS001", name="explodes", summary="s", message="m", docs=DOCS, check="test-explodes"
    )
    linter = Linter([*default_packs(), _pack(rule)], profile="deploy-plan")
    result = linter.lint_text("## Deployment Summary\n", "plan.md")
    assert [v.rule for v in result.violations] == ["internal-error"]
    assert "RuntimeError: boom" in result.violations[0].message


def test_when_conditions_and_exclusions() -> None:
    facts = {"environment": "staging", "risk": "high"}
    assert condition_holds({"environment": ["production", "staging"]}, facts)
    assert not condition_holds({"environment": ["production"]}, facts)
    assert not condition_holds({"environment": ["!staging"]}, facts)
    assert condition_holds({"risk": ["high"], "environment": ["!development"]}, facts)
    assert condition_holds(None, facts)


def test_rule_when_uses_plan_facts() -> None:
    rule = RuleSpec(
        code="TS002",
        name="prod-only",
        summary="s",
        message="m",
        docs=DOCS,
        check="placeholders",
        when={"environment": ["production"]},
    )
    linter = Linter([*default_packs(), _pack(rule)], profile="deploy-plan", select=["TS002"])
    staging = "- ENVIRONMENT: staging\n## Deployment Summary\nTBD\n"
    production = "- ENVIRONMENT: prod\n## Deployment Summary\nTBD\n"
    assert linter.lint_text(staging, "a.md").violations == []
    assert [v.line for v in linter.lint_text(production, "b.md").violations] == [3]


def test_config_severity_and_options_override() -> None:
    settings = {"unfilled-placeholder": "info", "prompt-leak": {"options": {"patterns": ["yolo"]}}}
    config = LoadedConfig(config=Config.model_validate({"rules": settings}))
    linter = Linter(
        list(default_packs()),
        config,
        profile="deploy-plan",
        select=["unfilled-placeholder", "prompt-leak"],
    )
    result = linter.lint_text("## Deployment Summary\nTBD yolo. You are Codex.\n", "a.md")
    found = {(v.rule, v.severity.label) for v in result.violations}
    assert found == {("unfilled-placeholder", "info"), ("prompt-leak", "error")}


@pytest.mark.parametrize(
    ("written", "level"),
    [
        ("High — every write goes through the new path", "high"),
        ("**medium**", "medium"),
        ("Moderate: a config change", "medium"),
        ("<risk level>", "unknown"),
        ("n/a", "unknown"),
        ("critical", "critical"),
    ],
)
def test_risk_level_is_the_first_level_word(written: str, level: str) -> None:
    from planlint.facts.plan import risk_level

    assert risk_level(written) == level
