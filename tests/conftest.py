"""Fixtures shared by several test modules."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

# A deploy plan with front matter and one section: planlint reports `missing-section` (and
# `missing-context-block`) and exits 1.
BAD_PLAN = """\
---
profile: deploy-plan
---
# Deployment plan: checkout v2.14

## Deployment Summary

Ship checkout v2.14 to production.
"""

# A deploy plan that passes every bundled rule: planlint exits 0.
CLEAN_PLAN = """\
---
profile: deploy-plan
---
# Deployment plan: checkout v2.14

- NOTES: checkout service v2.14, adds saved carts.
- ENVIRONMENT: production
- WINDOW: Tuesday 2026-12-01 09:00–10:30 UTC

## Deployment Summary

- Roll out checkout v2.14 to production behind the usual canary.
- This is a normal release: saved carts are new, with no schema, auth or external
  integration change.
- The Tuesday morning window keeps the rollout inside business hours with the whole team on hand.

## Pre-Deployment Checks

- CI is green on the release tag: unit, integration and end-to-end tests pass.
- Two approvals are recorded on the change ticket.
- Config and secrets for v2.14 are present in the production namespace.
- On-call is notified in #checkout-oncall a day ahead.

## Deployment Steps

1. Deploy the canary with `kubectl apply -f canary.yaml` (automated, pipeline job).
2. Promote to all pods once the canary is healthy (manual, release engineer).

## Verification & Observability

- Health checks: `/healthz` returns 200 on every pod.
- Smoke test: the checkout smoke suite passes against production.
- Dashboards: the checkout dashboard shows 5xx rate < 0.5% for 10 minutes after promotion.
- p99 latency under 300 ms.

## Rollback Readiness

- Version rollback: revert with `kubectl rollout undo deploy/checkout`.
- Triggers: 5xx rate above 0.5% or p99 latency above 300 ms for 5 minutes.
- The previous image `checkout:v2.13.4` stays in the registry.
- Rollback rehearsed in staging on 2026-11-20; took 4 minutes.

## Next Actions

- Before: the dev team tags the release and ops confirms the canary capacity.
- During: SRE watches the dashboards and the product owner checks saved carts.
- After: close the change ticket after verification; follow-up: remove the canary config.
"""


def pytest_configure(config: pytest.Config) -> None:
    # planlint keeps grammar tables and compiled rules in the user's cache folder: the suite
    # gets one of its own, so it starts cold and never reads or fills the user's.
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="planlint-tests-cache-")
    config.addinivalue_line(
        "markers",
        "slow: builds wheels or virtualenvs (tens of seconds); runs by default, "
        "deselect with -m 'not slow'",
    )


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The planlint source tree these tests belong to."""
    return Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def bad_plan_text() -> str:
    """A deploy plan that lacks required sections (planlint exits 1)."""
    return BAD_PLAN


@pytest.fixture(scope="session")
def clean_plan_text() -> str:
    """A deploy plan with no violations (planlint exits 0)."""
    return CLEAN_PLAN


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding every example plan three times over (enough for 2 workers)."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    for copy in ("a", "b", "c"):
        shutil.copytree(
            Path(__file__).resolve().parent.parent / "examples", tmp_path / "plans" / copy
        )
    (tmp_path / "plans" / "a" / "broken" / "EXPECTED.yaml").unlink()
    return tmp_path
