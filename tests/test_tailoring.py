"""Tailoring of the rollout-plan profile: the same plan, linted as production, staging and
development (and as a high-risk change), meets different rules.

Production gets the full plan, staging a simplified one, development a minimal one; high risk
adds gates; an unknown environment is treated like production. All of it is `when:` data in
rules/rollout-plan.yaml, so these tests go through the real packs.
"""

from __future__ import annotations

import pytest

from planlint.engine.packs import default_packs
from planlint.engine.runner import Linter

# Every section is there but says little, so each content rule that applies reports it.
THIN_PLAN = """\
## Executive Summary
We are doing a thing.

## Prerequisites & Approvals
- Nothing special.

## Preflight Checks
- Look at the cluster.

## Step-by-Step Rollout Procedure
1. Run the schema migration.
2. It should work.

## Verification Signals
- Watch it.

## Rollback Procedure
- Undo it.

## Communication Plan
- Tell people.

## Post-Deployment Tasks
- Watch it.

## Contingency Plans
- Handle it.

## Contact Information
- Me.
"""

EVERYWHERE = {"wishful-verification"}
STAGING_AND_PRODUCTION = {
    "executive-summary-incomplete",
    "backup-before-migration-missing",
    "step-details-missing",
    "rollback-thresholds-missing",
    "rollback-procedure-incomplete",
    "contacts-incomplete",
}
PRODUCTION_ONLY = {
    "executive-summary-impact-missing",
    "approvals-missing",
    "preflight-incomplete",
    "verification-horizons-missing",
    "communication-incomplete",
    "stakeholder-matrix-missing",
    "post-deployment-incomplete",
    "contingencies-incomplete",
    "contingency-details-missing",
}
HIGH_RISK = {"security-approval-missing", "staged-ramp-missing", "rollback-rehearsal-undated"}

CORE_SECTIONS = ("Executive Summary", "Step-by-Step Rollout Procedure", "Verification Signals")


def _front_matter(environment: str | None, risk: str | None) -> str:
    keys = [f"environment: {environment}" if environment else "", f"risk: {risk}" if risk else ""]
    lines = [key for key in keys if key]
    return f"---\n{chr(10).join(lines)}\n---\n" if lines else ""


def _rollout_rules(text: str) -> set[str]:
    """The rollout-plan pack's rules (PL6xx) that report the plan."""
    linter = Linter(list(default_packs()), profile="rollout-plan")
    violations = linter.lint_text(text, "plan.md").violations
    return {v.rule for v in violations if v.code.startswith("PL6")}


def _missing_sections(text: str) -> set[str]:
    linter = Linter(list(default_packs()), profile="rollout-plan", select=["missing-section"])
    found = linter.lint_text(text, "plan.md").violations
    return {v.message.split("'")[1] for v in found}


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ("development", EVERYWHERE),
        ("staging", EVERYWHERE | STAGING_AND_PRODUCTION),
        ("production", EVERYWHERE | STAGING_AND_PRODUCTION | PRODUCTION_ONLY),
        # The strict choice: a plan that does not say where it goes gets the full plan.
        (None, EVERYWHERE | STAGING_AND_PRODUCTION | PRODUCTION_ONLY),
        ("eu-west-1", EVERYWHERE | STAGING_AND_PRODUCTION | PRODUCTION_ONLY),
        # Spellings map to the environment ("prod", "stg", "dev").
        ("prod", EVERYWHERE | STAGING_AND_PRODUCTION | PRODUCTION_ONLY),
        ("stg", EVERYWHERE | STAGING_AND_PRODUCTION),
        ("dev", EVERYWHERE),
    ],
)
def test_rules_follow_the_environment(environment: str | None, expected: set[str]) -> None:
    assert _rollout_rules(_front_matter(environment, None) + THIN_PLAN) == expected


@pytest.mark.parametrize("environment", ["development", "staging", "production"])
def test_high_risk_adds_gates_in_every_environment(environment: str) -> None:
    normal = _rollout_rules(_front_matter(environment, "medium") + THIN_PLAN)
    high = _rollout_rules(_front_matter(environment, "high") + THIN_PLAN)
    critical = _rollout_rules(_front_matter(environment, "critical") + THIN_PLAN)
    assert high - normal == HIGH_RISK
    assert critical == high
    assert not normal & HIGH_RISK


def test_low_and_unknown_risk_add_no_gates() -> None:
    for risk in ("low", None):
        assert not _rollout_rules(_front_matter("production", risk) + THIN_PLAN) & HIGH_RISK


def test_required_sections_follow_the_environment() -> None:
    core = "".join(f"## {title}\nx\n\n" for title in (*CORE_SECTIONS, "Rollback Procedure"))
    assert _missing_sections(_front_matter("development", None) + core) == set()
    assert _missing_sections(_front_matter("staging", None) + core) == {
        "Prerequisites & Approvals",
        "Preflight Checks",
        "Contact Information",
    }
    assert _missing_sections(_front_matter("production", None) + core) == {
        "Prerequisites & Approvals",
        "Preflight Checks",
        "Communication Plan",
        "Post-Deployment Tasks",
        "Contingency Plans",
        "Contact Information",
    }


def test_a_development_plan_still_needs_its_core_sections() -> None:
    plan = _front_matter("development", None) + "## Executive Summary\nx\n"
    assert {
        "Step-by-Step Rollout Procedure",
        "Verification Signals",
        "Rollback Procedure",
    } <= _missing_sections(plan)


def test_the_rule_listing_shows_the_conditions() -> None:
    catalogue = {info.name: info for info in Linter(list(default_packs())).catalogue()}
    assert dict(catalogue["approvals-missing"].when) == {
        "environment": ("!staging", "!development")
    }
    assert catalogue["approvals-missing"].when_text() == "environment not staging/development"
    assert catalogue["staged-ramp-missing"].when_text() == "risk high/critical"
    assert catalogue["wishful-verification"].when == ()
    assert catalogue["wishful-verification"].when_text() == ""
