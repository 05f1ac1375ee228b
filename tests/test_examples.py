"""The example plans, checked with the real command line.

``examples/clean`` holds plans that must pass every rule; ``examples/broken`` holds one plan
per core rule (PL0xx to PL5xx: structure, placeholders, evidence, windows, context), each built
to break that rule, with the findings expected of each listed in
``examples/broken/EXPECTED.yaml``. The content rules of each profile (PL6xx, PL7xx, PL8xx) show
their failing and passing texts in ``rules/cases/``, which ``planlint test-policy`` runs.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests import helpers

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CLEAN = EXAMPLES / "clean"
BROKEN = EXAMPLES / "broken"

CLEAN_PROFILES = {
    "rollout-plan.md": "rollout-plan",
    "deploy-plan.md": "deploy-plan",
}
# Rules no example plan can show: a file that cannot be read is not a Markdown example,
# internal-error is planlint's own bug, which an example would have to provoke on purpose, and
# profile-mismatch needs a config glob (tests/test_first_day.py shows it in a repository).
NO_EXAMPLE = {"read-error", "internal-error", "profile-mismatch"}
# The change calendar's rules need a config with a calendar (other plans, freeze calendars),
# which a plan alone cannot carry: rules/cases/ and tests/test_calendar.py show them failing.
NO_EXAMPLE |= {"window-in-freeze", "window-conflict", "too-many-concurrent-changes"}
# Broken examples that show a situation rather than one rule, so are not named after a rule.
SCENARIOS = {"emergency-friday-hotfix.md"}


def run_planlint(*args: str) -> subprocess.CompletedProcess[str]:
    return helpers.run_planlint(*args, cwd=ROOT)


def check_json(*args: str) -> tuple[int, dict[str, Any]]:
    result = run_planlint("check", "--format", "json", *args)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def load_expected() -> dict[str, list[dict[str, Any]]]:
    data = YAML(typ="safe").load(BROKEN / "EXPECTED.yaml")
    assert isinstance(data, dict)
    return data


EXPECTED = load_expected()


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# -- clean plans -------------------------------------------------------------------------------


def test_clean_examples_are_the_known_ones() -> None:
    assert sorted(p.name for p in CLEAN.glob("*.md")) == sorted(CLEAN_PROFILES)


@pytest.mark.parametrize("name", sorted(CLEAN_PROFILES))
def test_clean_plan_has_no_violations(name: str) -> None:
    # --fail-on info: not even an info or a warning may be reported.
    code, report = check_json("--fail-on", "info", relative(CLEAN / name))
    [file] = report["files"]
    assert file["violations"] == []
    assert file["profile"] == CLEAN_PROFILES[name]
    assert code == 0


# -- broken plans ------------------------------------------------------------------------------


def test_every_broken_example_has_expectations() -> None:
    assert sorted(p.name for p in BROKEN.glob("*.md")) == sorted(EXPECTED)


def _unmatched(violations: list[dict[str, Any]], expected: list[dict[str, Any]]) -> list[Any]:
    """Expected findings with no reported match, then reported ones nobody expected.

    An expected finding names ``rule`` and ``severity`` and, optionally, ``line`` and
    ``column``; it matches a reported finding that agrees on every field it names.
    """
    left = list(violations)
    missing = []
    for wanted in expected:
        match = next(
            (v for v in left if all(v[key] == value for key, value in wanted.items())), None
        )
        if match is None:
            missing.append(wanted)
        else:
            left.remove(match)
    return [*missing, *left]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_plan_reports_its_rule(name: str) -> None:
    expected = EXPECTED[name]
    code, report = check_json(relative(BROKEN / name))
    [file] = report["files"]
    assert _unmatched(file["violations"], expected) == [], file["violations"]

    if name not in SCENARIOS:  # the other files are named after the rule they break
        assert Path(name).stem in {item["rule"] for item in expected}

    worst = max(("info", "warning", "error").index(item["severity"]) for item in expected)
    assert code == (1 if worst == 2 else 0)
    if worst < 2:
        # A warning (or an info) still fails a run that asks for it.
        level = ("info", "warning")[worst]
        strict, _ = check_json("--fail-on", level, relative(BROKEN / name))
        assert strict == 1


# -- the whole directory -----------------------------------------------------------------------


def test_examples_directory_fails() -> None:
    code, report = check_json("examples/")
    assert code == 1
    by_path = {Path(f["path"]).as_posix(): f for f in report["files"]}
    clean = {relative(CLEAN / name) for name in CLEAN_PROFILES}
    broken = {relative(BROKEN / name) for name in EXPECTED}
    assert clean | broken <= set(by_path)
    for path in clean:
        assert by_path[path]["violations"] == []
    for path in broken:
        assert by_path[path]["violations"], path


# -- coverage of the rules ---------------------------------------------------------------------


def bundled_rules() -> dict[str, str]:
    result = run_planlint("rules", "--json")
    assert result.returncode == 0, result.stderr
    return {rule["name"]: rule["code"] for rule in json.loads(result.stdout)}


def test_expected_findings_name_real_rules() -> None:
    known = set(bundled_rules())
    reported = {item["rule"] for items in EXPECTED.values() for item in items}
    assert not reported - known, f"EXPECTED.yaml names unknown rules: {reported - known}"


def test_every_core_rule_has_a_broken_example() -> None:
    core = {name for name, code in bundled_rules().items() if code[2] in "012345"}
    rules = core - NO_EXAMPLE
    reported = {item["rule"] for items in EXPECTED.values() for item in items}
    assert not rules - reported, f"rules without a broken example: {sorted(rules - reported)}"
    named = {Path(name).stem for name in EXPECTED}
    assert not rules - named, f"rules without examples/broken/<rule>.md: {sorted(rules - named)}"
