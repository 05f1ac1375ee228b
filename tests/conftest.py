"""Fixtures shared by several test modules."""

from __future__ import annotations

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

Roll out checkout v2.14 to production behind the usual canary.

## Pre-Deployment Checks

- CI is green on the release tag.
- Two approvals are recorded on the change ticket.

## Deployment Steps

1. Deploy the canary with `kubectl apply -f canary.yaml`.
2. Promote to all pods once the canary is healthy.

## Verification & Observability

- 5xx rate < 0.5% for 10 minutes after promotion.
- p99 latency under 300 ms.

## Rollback Readiness

- Revert with `kubectl rollout undo deploy/checkout`.
- Rollback rehearsed in staging on 2026-11-20; took 4 minutes.

## Next Actions

- Close the change ticket after verification.
"""


def pytest_configure(config: pytest.Config) -> None:
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
