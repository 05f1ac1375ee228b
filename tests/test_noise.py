"""A first draft's findings, through the real CLI in a throwaway repository: one finding per rule
per place, listing what is missing in the order the rule declares it, and no content finding on
a section that holds only placeholders (a skeleton's hints, the sections `--fix` inserts),
which unfilled-placeholder already reports."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import run_planlint

# A first rollout plan: the summary, steps and rollback written, half the sections missing,
# the contingencies and contacts thin.
ROLLOUT_DRAFT = """\
---
profile: rollout-plan
environment: production
---
# Rollout plan: payments-api v2.14

## Executive Summary

What: upgrade payments-api to v2.14. Why: the v2.13 connection pool leaks under load.
When: Tuesday 2026-12-08 07:00–08:30 UTC. Duration: about 40 minutes. Risk: medium.

## Step-by-Step Rollout Procedure

1. Deploy v2.14 (5 min): `kubectl -n pay set image deploy/api api=api:2.14`; wait until
   `kubectl rollout status` reports success.

## Verification Signals

- 5xx rate < 0.5% for 10 minutes after the deploy.

## Rollback Procedure

Roll back if the 5xx rate exceeds 1% for 3 minutes: `kubectl -n pay rollout undo deploy/api`.

## Contingency Plans

- If anything goes wrong, roll back.

## Contact Information

- Change lead: Marta Kowalski.
"""

# A first deployment plan: every section there, Next Actions and Verification thin.
DEPLOY_DRAFT = """\
# Deployment plan: checkout v2.14

- NOTES: checkout v2.14, release notes in CHECKOUT-2280
- ENVIRONMENT: production
- WINDOW: Wednesday 2026-12-09 09:00–10:30 UTC
- FLAG: none

## Deployment Summary

- Deploys checkout v2.14 to production; this is a normal minor release.
- Risk areas: the tax integration; no schema or auth change.
- The 90-minute window leaves room to roll back before 10:30.

## Pre-Deployment Checks

- CI for tag v2.14.0 is green; secrets present in the namespace.
- Approved in CHG-4133; on-call for checkout notified in #checkout-oncall.

## Deployment Steps

1. Build and push the image (automated, deploy pipeline).
2. Roll out to production with `helm upgrade checkout` (manual).

## Verification & Observability

- 5xx rate below 0.5% for 10 minutes.

## Rollback Readiness

- Version rollback with `helm rollback checkout 57` if the 5xx rate exceeds 1% for 5 minutes;
  the v2.13.4 image is kept.
- Rollback rehearsed in staging on 2026-11-20; it took 4 minutes.

## Next Actions

- Run the steps and watch the dashboards (Ravi, checkout dev).
- Follow-up: remove the old tax path in v2.16.
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()  # a repository root: broken-reference reads it
    return tmp_path


def lint(repo: Path, name: str, *args: str) -> list[dict[str, Any]]:
    result = run_planlint("check", "--format", "json", "--no-cache", *args, name, cwd=repo)
    assert result.returncode in (0, 1), result.stderr
    [file] = json.loads(result.stdout)["files"]
    violations: list[dict[str, Any]] = file["violations"]
    return violations


def repeated_places(violations: list[dict[str, Any]]) -> list[tuple[str, int, int]]:
    """Places where one rule reports twice. Each missing section is a finding of its own,
    with its own fix that inserts it, even where two are reported before the same heading."""
    places = Counter(
        (v["rule"], v["line"], v["column"]) for v in violations if v["rule"] != "missing-section"
    )
    return [place for place, count in places.items() if count > 1]


def messages_of(violations: list[dict[str, Any]], rule: str) -> list[str]:
    return [v["message"] for v in violations if v["rule"] == rule]


def test_missing_topics_of_a_rule_are_one_finding_in_the_declared_order(repo: Path) -> None:
    (repo / "rollout.md").write_text(ROLLOUT_DRAFT, encoding="utf-8")
    (repo / "deploy.md").write_text(DEPLOY_DRAFT, encoding="utf-8")
    rollout = lint(repo, "rollout.md")
    deploy = lint(repo, "deploy.md")
    assert repeated_places(rollout) == []
    assert repeated_places(deploy) == []
    # The order the rule declares, not the alphabet (data, dependency, partial, performance).
    [contingencies] = messages_of(rollout, "contingencies-incomplete")
    assert contingencies.startswith(
        "the contingency plans do not cover partial failure, performance degradation, "
        "data inconsistency and dependency failure ("
    )
    [contacts] = messages_of(rollout, "contacts-incomplete")
    assert contacts.startswith(
        "the contact information does not name the primary on-call, the secondary on-call "
        "and an escalation path ("
    )
    [horizons] = messages_of(rollout, "verification-horizons-missing")
    assert horizons.startswith(
        "verification does not cover the immediate (0–2 min), short-term (2–5 min), "
        "medium-term (5–15 min) and long-term (15+ min) horizons ("
    )
    [stages] = messages_of(deploy, "next-actions-incomplete")
    assert stages.startswith(
        "Next Actions do not say what happens before, during and after the deployment ("
    )
    [kinds] = messages_of(deploy, "verification-incomplete")
    assert kinds.startswith(
        "Verification & Observability does not cover health checks or probes, smoke tests "
        "of the critical flows and dashboards or metrics ("
    )


def test_fix_adds_no_content_finding_on_the_sections_it_inserts(repo: Path) -> None:
    plan = repo / "rollout.md"
    plan.write_text(ROLLOUT_DRAFT, encoding="utf-8")
    before = lint(repo, plan.name)
    missing = messages_of(before, "missing-section")
    assert len(missing) == 4  # Prerequisites, Preflight, Communication, Post-Deployment
    after = lint(repo, plan.name, "--fix")
    inserted = inserted_sections(plan.read_text(encoding="utf-8"))
    assert len(inserted) == len(missing)
    on_inserted = [v for v in after if any(first <= v["line"] <= last for first, last in inserted)]
    assert {v["rule"] for v in on_inserted} == {"unfilled-placeholder"}, on_inserted
    # --fix never leaves more to do: each missing section became one placeholder to fill.
    assert len(after) == len(before)
    assert rules_besides(after, "unfilled-placeholder") == rules_besides(before, "missing-section")


def inserted_sections(text: str) -> list[tuple[int, int]]:
    """The line spans (heading to placeholder) of the sections --fix inserted."""
    lines = text.splitlines()
    return [
        (number - 2, number)
        for number, line in enumerate(lines, start=1)
        if line == "TODO: write this section." and lines[number - 3].startswith("## ")
    ]


def rules_besides(violations: list[dict[str, Any]], left_out: str) -> Counter[str]:
    return Counter(v["rule"] for v in violations if v["rule"] != left_out)


PLACEHOLDER_SECTIONS = """\
---
profile: rollout-plan
environment: production
---
# Rollout plan: payments-api v2.14

## Executive Summary

What: upgrade payments-api to v2.14. Why: the v2.13 connection pool leaks under load.
When: Tuesday 2026-12-08 07:00–08:30 UTC. Duration: about 40 minutes. Risk: medium.
Rollback time: under 5 minutes. Affected systems: payments-api. Expected downtime: none.

## Contact Information

- Primary on-call: <name>
- TODO: who to call, and who after them.

## Contingency Plans

TBD: what could go wrong.

## Communication Plan

- TODO (communication-incomplete): T-24h, start, every 15 minutes, completion.
- We post in #payments-status.
"""


def test_a_section_of_placeholders_is_left_to_unfilled_placeholder(repo: Path) -> None:
    (repo / "plan.md").write_text(PLACEHOLDER_SECTIONS, encoding="utf-8")
    violations = lint(repo, "plan.md")
    rules = {v["rule"] for v in violations}
    # Placeholders only: the content rules wait for the text, unfilled-placeholder reports it.
    silent = {"contacts-incomplete", "contingencies-incomplete", "contingency-details-missing"}
    assert not rules & silent, violations
    unfilled = {v["line"] for v in violations if v["rule"] == "unfilled-placeholder"}
    assert unfilled >= {15, 16, 20}  # <name>, TODO, TBD
    # A line of its own beside a to-do: the section is judged.
    assert messages_of(violations, "communication-incomplete")
    # Structure rules are not content rules: the order is still reported.
    assert "section-order" in rules
