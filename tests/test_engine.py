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


def test_a_file_not_judged_fails_whatever_the_selection_config_or_comments() -> None:
    rule = RuleSpec(
        code="TS001", name="explodes", summary="s", message="m", docs=DOCS, check="test-explodes"
    )
    config = LoadedConfig(config=Config(rules={"internal-error": "off", "read-error": "info"}))
    linter = Linter(
        [*default_packs(), _pack(rule)], config, profile="deploy-plan", select=["TS001"]
    )
    text = "<!-- planlint-disable-file -->\n## Deployment Summary\n"
    found = [(v.rule, v.severity.name) for v in linter.lint_text(text, "plan.md").violations]
    assert found == [("internal-error", "ERROR")]


def test_an_unreadable_file_fails_under_any_selection(tmp_path: Path) -> None:
    from tests.helpers import run_planlint

    (tmp_path / "binary.md").write_bytes(b"## Summary\n\x00\x01\x02")
    (tmp_path / ".planlint.yaml").write_text("rules: {read-error: off}\n", encoding="utf-8")
    result = run_planlint("check", "--no-cache", "--select", "PL101", "binary.md", cwd=tmp_path)
    assert "read-error" in result.stdout and result.returncode == 1


@pytest.mark.parametrize("selection", ["", " , "])
def test_an_empty_selection_is_a_usage_error(tmp_path: Path, selection: str) -> None:
    from tests.helpers import run_planlint

    (tmp_path / "plan.md").write_text("## Deployment Summary\n", encoding="utf-8")
    result = run_planlint("check", "--select", selection, "plan.md", cwd=tmp_path)
    assert result.returncode == 2 and "selects nothing" in result.stderr


def test_an_empty_select_in_the_config_is_a_config_error(tmp_path: Path) -> None:
    from tests.helpers import run_planlint

    (tmp_path / "plan.md").write_text("## Deployment Summary\n", encoding="utf-8")
    (tmp_path / ".planlint.yaml").write_text("select: []\n", encoding="utf-8")
    result = run_planlint("check", "plan.md", cwd=tmp_path)
    assert result.returncode == 2 and ".planlint.yaml:1" in result.stderr


@pytest.mark.parametrize(
    "text",
    [
        "Write `<!-- planlint-disable-file -->` to silence a file.\n## Deployment Summary\nTODO\n",
        "---\nnote: '<!-- planlint-disable-file -->'\n---\n## Deployment Summary\nTODO\n",
    ],
)
def test_a_directive_shown_in_code_or_front_matter_silences_nothing(text: str) -> None:
    linter = Linter(list(default_packs()), profile="deploy-plan")
    rules = {v.rule for v in linter.lint_text(text, "plan.md").violations}
    assert "unfilled-placeholder" in rules


def test_a_directive_in_a_comment_still_works() -> None:
    linter = Linter(list(default_packs()), profile="deploy-plan")
    text = "<!-- planlint-disable-file unfilled-placeholder -->\n## Deployment Summary\nTODO\n"
    rules = {v.rule for v in linter.lint_text(text, "plan.md").violations}
    assert "unfilled-placeholder" not in rules


@pytest.mark.parametrize(
    "plan", ["examples/clean/rollout-plan.md", "examples/clean/deploy-plan.md"]
)
def test_linting_leaves_no_reference_cycles(plan: str) -> None:
    """Linting pauses the cyclic collector (the tree has no cycles, so it would only rescan
    it): a cycle through the tree, or through what the checks keep on it, would keep every
    plan of a batch in memory until the collector ran, and make it run far more often.
    (ruamel.yaml's loader, which reads front matter, makes a few cycles of its own.)"""
    import gc

    text = (Path(__file__).parent.parent / plan).read_text(encoding="utf-8")
    linter = Linter(default_packs())
    linter.lint_text(text, plan)  # the first run compiles and caches what every run shares
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for _ in range(8):  # more plans than any per-document cache keeps alive
            linter.lint_text(text, plan)
        gc.collect()
        ours = [o for o in gc.garbage if type(o).__module__.startswith("planlint.")]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert ours == []
