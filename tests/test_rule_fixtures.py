"""Every bundled rule's failing and passing texts, run the way `planlint test-policy` runs a
team's pack: the cases in rules/cases/<rule>.yaml (and any `cases:` inside the packs) go through
``planlint.app.policytest``, one pytest test per case so a failure names its case.

Each case lints its text with only its rule selected (so cases stay short) and compares the
exact lines (and columns, severities or message fragments, where given) of the violations.
"""

from __future__ import annotations

import pytest

from planlint.app.policytest import Case, Suite, load_suite, result_lines, run_case
from planlint.core.resources import bundled_packs, rules_dir
from planlint.engine.packs import default_packs

SUITE: Suite = load_suite(bundled_packs())


def test_the_bundled_packs_have_cases() -> None:
    assert (rules_dir() / "cases").is_dir()
    assert len(SUITE.cases) >= 2 * len({case.rule for case in SUITE.cases})


@pytest.mark.parametrize("case", SUITE.cases, ids=lambda case: f"{case.rule}::{case.spec.name}")
def test_rule_case(case: Case) -> None:
    result = run_case(SUITE, case)
    assert result.passed, "\n".join(result_lines(result))


def test_every_rule_has_failing_and_passing_cases() -> None:
    # read-error and internal-error need a file on disk or a bug, not a text, and
    # profile-mismatch a config glob: test_cli.py, test_engine.py and test_first_day.py cover
    # them, and policytest knows not to ask for cases.
    assert SUITE.warnings == []
    covered = {(case.rule, case.kind) for case in SUITE.cases}
    rules = {spec.name for _, pack in default_packs() for spec in pack.rules}
    for name in sorted(rules - {"read-error", "internal-error", "profile-mismatch"}):
        assert {(name, "fail"), (name, "pass")} <= covered, f"{name} needs fail and pass cases"
