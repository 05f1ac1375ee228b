"""Tailoring of the deploy-plan profile: one plan linted as production, staging, development,
an environment planlint does not know, and at high risk.

The tailoring is data (``when:`` conditions in rules/deploy-plan.yaml); these tests pin what it
must mean: production gets the full plan, staging a simplified one, development a minimal one,
an unknown environment is treated like production, and high risk adds gates everywhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planlint.engine.packs import default_packs
from planlint.engine.runner import Linter

ROOT = Path(__file__).resolve().parent.parent
CLEAN_PLAN = ROOT / "examples" / "clean" / "deploy-plan.md"

# A thin plan: every section is there, but little is in it. The steps are bullets, which no
# environment accepts.
THIN_PLAN = """\
# Deployment plan: orders-api 3.2.0

- NOTES: orders-api 3.2.0 adds the carrier integration
- ENVIRONMENT: {environment}
- FLAG: orders-carrier-v2
{risk}
## Deployment Summary

- Ships orders-api 3.2.0.

## Pre-Deployment Checks

- Nothing special this time.

## Deployment Steps

- Deploy the new image.
- Enable the flag.

## Verification & Observability

- Error rate under 1% for 10 minutes.

## Rollback Readiness

- We can go back quickly; the rollback was rehearsed in staging on 2026-12-01.

## Next Actions

- Watch the dashboards.
"""

# Only a production plan (or one whose environment planlint does not know) must have these.
PRODUCTION_ONLY = {"production-gates-missing", "owners-missing", "summary-length"}
# Production and staging plans must have these; a development plan need not.
NOT_FOR_DEVELOPMENT = {
    "flag-not-in-summary",
    "summary-incomplete",
    "release-type-missing",
    "prechecks-incomplete",
    "step-mode-missing",
    "flag-ramp-missing",
    "verification-incomplete",
    "rollback-incomplete",
    "next-actions-incomplete",
    "follow-ups-missing",
    "flag-cleanup-missing",
}
# Structure and format: every environment.
EVERYWHERE = {"steps-not-numbered"}
HIGH_RISK = {"detailed-rollback-missing"}


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(list(default_packs()), profile="deploy-plan")


def fired(linter: Linter, text: str) -> set[str]:
    result = linter.lint_text(text, "plan.md")
    assert result.profile == "deploy-plan"
    return {violation.rule for violation in result.violations}


def thin(environment: str, risk: str = "") -> str:
    return THIN_PLAN.format(environment=environment, risk=f"- Risk level: {risk}\n" if risk else "")


def test_production_gets_the_full_plan(linter: Linter) -> None:
    rules = fired(linter, thin("production"))
    assert rules >= PRODUCTION_ONLY | NOT_FOR_DEVELOPMENT | EVERYWHERE
    assert not rules & HIGH_RISK  # the plan does not say it is high-risk


def test_staging_gets_a_simplified_plan(linter: Linter) -> None:
    rules = fired(linter, thin("staging"))
    assert not rules & PRODUCTION_ONLY
    assert rules >= NOT_FOR_DEVELOPMENT | EVERYWHERE


def test_development_gets_a_minimal_plan(linter: Linter) -> None:
    rules = fired(linter, thin("development"))
    assert not rules & (PRODUCTION_ONLY | NOT_FOR_DEVELOPMENT)
    assert rules >= EVERYWHERE


@pytest.mark.parametrize("environment", ["prod-eu-1 (production)", "live", "PRD"])
def test_production_spellings(linter: Linter, environment: str) -> None:
    assert fired(linter, thin(environment)) == fired(linter, thin("production"))


@pytest.mark.parametrize("environment", ["eu-west-canary", "", "TBD"])
def test_an_unknown_environment_is_treated_like_production(
    linter: Linter, environment: str
) -> None:
    rules = fired(linter, thin(environment)) - {"unfilled-placeholder", "empty-section"}
    assert rules == fired(linter, thin("production"))


@pytest.mark.parametrize("environment", ["production", "staging", "development"])
def test_high_risk_adds_the_detailed_rollback_gate(linter: Linter, environment: str) -> None:
    normal = fired(linter, thin(environment, "medium"))
    risky = fired(linter, thin(environment, "high"))
    assert risky - normal == HIGH_RISK


def test_a_high_risk_plan_that_links_its_rollback_plan_passes_the_gate(linter: Linter) -> None:
    text = thin("staging", "high").replace(
        "## Next Actions",
        "- Detailed rollback plan: `docs/rollbacks/orders-3.2.md` (from `cx:rollback`).\n\n"
        "## Next Actions",
    )
    assert not fired(linter, text) & HIGH_RISK


@pytest.mark.parametrize("environment", ["production", "staging", "development", "eu-west"])
def test_the_clean_plan_is_clean_in_every_environment(linter: Linter, environment: str) -> None:
    text = CLEAN_PLAN.read_text(encoding="utf-8")
    original = "- ENVIRONMENT: production"
    assert original in text
    changed = text.replace(original, f"- ENVIRONMENT: {environment}", 1)
    assert fired(linter, changed) == set()
