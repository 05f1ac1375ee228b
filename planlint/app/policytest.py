"""``planlint test-policy``: run the cases a policy pack carries and say which fail.

A rule's cases sit inside the pack (``cases:`` on the rule) or beside it
(``cases/<rule-name>.yaml`` next to the pack, the format of ``rules/cases/``). Each case lints
its text with the packs under test plus the bundled ones, only its rule selected, and compares
the violations with what it expects. This module only computes: it returns results and the CLI
prints them. The bundled packs are tested the same way (``tests/test_rule_fixtures.py``).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from planlint.core.results import Violation
from planlint.core.yamlio import load_yaml, position, validation_problems
from planlint.engine.config import Config, LoadedConfig
from planlint.engine.packs import (
    Expectation,
    Pack,
    PackError,
    RuleCase,
    RuleSpec,
    Strict,
    default_packs,
    load_pack,
    validate_located,
)
from planlint.engine.runner import (
    INTERNAL_ERROR,
    PROFILE_MISMATCH,
    READ_ERROR,
    Linter,
    UsageError,
)
from planlint.facts.calendar import Calendar

CASES_FOLDER = "cases"
# A text case cannot make a file unreadable or planlint crash, and is linted as its pack's
# profile, so no config glob can disagree with it: these rules need no cases.
UNTESTABLE = frozenset({READ_ERROR, INTERNAL_ERROR, PROFILE_MISMATCH})


class CaseFile(Strict):
    """``cases/<rule-name>.yaml``: the cases of one rule."""

    rule: str | None = Field(None, description="The rule's name; must match the file name.")
    profile: str | None = Field(None, description="Default profile of the cases.")
    cases: list[RuleCase] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class Case:
    """A case ready to run: its rule, where it was written, and the profile to lint it as."""

    rule: str
    spec: RuleCase
    path: Path
    line: int
    profile: str | None

    @property
    def kind(self) -> Literal["fail", "pass"]:
        return "fail" if self.spec.fail is not None else "pass"

    @property
    def text(self) -> str:
        return self.spec.fail if self.spec.fail is not None else self.spec.pass_ or ""

    @property
    def label(self) -> str:
        return f"{self.rule} › {self.spec.name}"


@dataclass(frozen=True, slots=True)
class DiffLine:
    """``" "`` an expected violation that occurred, ``"-"`` one that did not, ``"+"`` one that
    occurred unexpectedly."""

    sign: Literal[" ", "-", "+"]
    text: str


@dataclass(frozen=True, slots=True)
class CaseResult:
    case: Case
    passed: bool
    diff: tuple[DiffLine, ...] = ()


@dataclass(slots=True)
class Suite:
    """The packs under test, every pack to lint with, the cases, and coverage warnings."""

    packs: list[tuple[Path, Pack]]
    cases: list[Case] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _linters: dict[tuple[str | None, str], Linter] = field(default_factory=dict)

    def linter(self, case: Case) -> Linter:
        """A linter for the case's profile and config with only its rule selected (cached)."""
        config = case.spec.config or {}
        key = (case.profile, json.dumps(config, sort_keys=True, default=str) + case.rule)
        if key not in self._linters:
            try:
                loaded = LoadedConfig(config=Config.model_validate(config), data=config)
                self._linters[key] = Linter(
                    self.packs, loaded, profile=case.profile, select=[case.rule]
                )
            except ValidationError as error:
                problem = validation_problems(error, config)[0]
                raise PackError(case.path, case.line, f"config: {problem.message}") from None
            except (PackError, UsageError) as error:
                message = error.message if isinstance(error, PackError) else str(error)
                raise PackError(case.path, case.line, message) from None
        return self._linters[key]


def load_suite(pack_paths: Sequence[Path], extra: Sequence[Path] = ()) -> Suite:
    """Load the packs to test (files, or folders of ``*.yaml``) and their cases.

    ``extra`` packs are loaded (for their profiles) but not tested. Raises ``PackError`` naming
    the file and line of a broken pack or case.
    """
    tested = [(path, load_pack(path)) for path in _expand(pack_paths)]
    bundled = list(default_packs())
    seen = {_key(path) for path, _ in bundled}
    packs = list(bundled)
    from planlint.app.linter import with_extends

    for path, pack in [*tested, *with_extends([*(p for p, _ in tested), *extra], Path.cwd())]:
        if _key(path) not in seen:  # the bundled packs test themselves: load them once
            seen.add(_key(path))
            packs.append((path, pack))
    Linter(packs)  # pack-level problems (a profile or rule defined twice) name the pack
    suite = Suite(packs)
    known_rules = {spec.name for _, pack in packs for spec in pack.rules}
    folders: dict[Path, set[str]] = {}
    for path, pack in tested:
        data = load_yaml(path.read_text(encoding="utf-8"))
        targets = pack.targets()
        default_profile = targets[0] if targets and len(targets) == 1 else None
        folder = path.parent / CASES_FOLDER
        folders.setdefault(folder, set())
        for index, rule in enumerate(pack.rules):
            for number, spec in enumerate(rule.cases):
                line = position(data, ["rules", index, "cases", number])[0]
                profile = spec.profile or default_profile
                suite.cases.append(Case(rule.name, spec, path, line, profile))
            beside = folder / f"{rule.name}.yaml"
            if beside.is_file():
                folders[folder].add(beside.name)
                suite.cases.extend(_load_case_file(beside, rule, default_profile))
    for folder, used in folders.items():
        for stray in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
            if stray.name not in used and stray.stem not in known_rules:
                suite.warnings.append(f"{stray}: names no rule of the loaded packs; not run")
    suite.warnings.extend(_coverage_warnings(tested, suite.cases))
    return suite


def _expand(paths: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted([*path.glob("*.yaml"), *path.glob("*.yml")]))
        elif path.is_file():
            files.append(path)
        else:
            raise PackError(path, 1, "no such pack file or folder")
    return files


def _key(path: Path) -> str:
    return os.path.normcase(os.path.realpath(path))


def _load_case_file(path: Path, rule: RuleSpec, default_profile: str | None) -> list[Case]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PackError(path, 1, f"cannot read the case file: {error}") from None
    loaded, data = validate_located(path, text, CaseFile)
    if loaded.rule is not None and loaded.rule != rule.name:
        line = position(data, ["rule"])[0]
        raise PackError(
            path, line, f"rule: {loaded.rule!r} does not match the file name ({rule.name!r})"
        )
    return [
        Case(
            rule.name,
            spec,
            path,
            position(data, ["cases", number])[0],
            spec.profile or loaded.profile or default_profile,
        )
        for number, spec in enumerate(loaded.cases)
    ]


def _coverage_warnings(tested: Iterable[tuple[Path, Pack]], cases: Sequence[Case]) -> list[str]:
    kinds: dict[str, set[str]] = {}
    for case in cases:
        kinds.setdefault(case.rule, set()).add(case.kind)
    warnings = []
    for path, pack in tested:
        for rule in pack.rules:
            if rule.name in UNTESTABLE:
                continue
            missing = [kind for kind in ("fail", "pass") if kind not in kinds.get(rule.name, ())]
            if missing:
                which = " or ".join(f"{kind}:" for kind in missing)
                warnings.append(f"{path}: rule {rule.name!r} has no {which} case")
    return warnings


def run_case(suite: Suite, case: Case) -> CaseResult:
    """Lint the case's text and compare its rule's violations with the expected ones."""
    linter = suite.linter(case)
    if case.spec.files is None:
        linter.compiled.calendar = _calendar(linter, None, case)
        result = linter.lint_text(case.text, "plan.md")
    else:  # rules that look at other files (broken-reference) need them on disk
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            (root / ".git").mkdir()  # a repository root, as far as planlint can tell
            for name, text in case.spec.files.items():
                target = root / name  # relative and without "..": checked by RuleCase
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
            plan = root / "plan.md"
            plan.write_text(case.text, encoding="utf-8")
            linter.compiled.calendar = _calendar(linter, root, case)
            result = linter.lint_file(plan, "plan.md")
    actual = [violation for violation in result.violations if violation.rule == case.rule]
    expected = case.spec.expect or []
    diff = tuple(_diff(expected, _in_expected_order(expected, actual)))
    return CaseResult(case, all(line.sign == " " for line in diff), diff)


def _calendar(linter: Linter, root: Path | None, case: Case) -> Calendar | None:
    """The case config's change calendar, its files relative to the case's repository."""
    from planlint.app.calendar import CalendarError, CalendarSettings, build_calendar

    settings = CalendarSettings.of(linter.config, root)
    if settings is None:
        return None
    try:
        return build_calendar(settings)
    except CalendarError as error:
        raise PackError(case.path, case.line, f"config: {error.message}") from None


def run_suite(suite: Suite) -> list[CaseResult]:
    return [run_case(suite, case) for case in suite.cases]


def _matches(wanted: Expectation, violation: Violation) -> bool:
    return (
        violation.line == wanted.line
        and (wanted.column is None or violation.column == wanted.column)
        and (wanted.severity is None or violation.severity.label == wanted.severity)
        and (wanted.message is None or wanted.message in violation.message)
    )


def _in_expected_order(
    expected: Sequence[Expectation], actual: Sequence[Violation]
) -> list[Violation]:
    """``actual`` with the violations of each line in the order the case expects them: two
    findings on one line may be listed either way."""
    by_line: dict[int, list[Violation]] = {}
    for violation in actual:
        by_line.setdefault(violation.line, []).append(violation)
    for line, found in by_line.items():
        wanted = [e for e in expected if e.line == line]
        ordered: list[Violation] = []
        for expectation in wanted:
            match = next(
                (v for v in found if all(v is not o for o in ordered) and _matches(expectation, v)),
                None,
            )
            if match is not None:
                ordered.append(match)
        by_line[line] = [*ordered, *(v for v in found if all(v is not o for o in ordered))]
    return [violation for line in sorted(by_line) for violation in by_line[line]]


def _diff(expected: Sequence[Expectation], actual: Sequence[Violation]) -> list[DiffLine]:
    """Expected and actual violations aligned in order (longest common subsequence)."""
    rows, columns = len(expected), len(actual)
    best = [[0] * (columns + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(columns - 1, -1, -1):
            if _matches(expected[i], actual[j]):
                best[i][j] = best[i + 1][j + 1] + 1
            else:
                best[i][j] = max(best[i + 1][j], best[i][j + 1])
    lines: list[DiffLine] = []
    i = j = 0
    while i < rows or j < columns:
        if i < rows and j < columns and _matches(expected[i], actual[j]):
            lines.append(DiffLine(" ", describe_violation(actual[j])))
            i, j = i + 1, j + 1
        elif i < rows and (j == columns or best[i + 1][j] >= best[i][j + 1]):
            lines.append(DiffLine("-", describe_expectation(expected[i])))
            i += 1
        else:
            lines.append(DiffLine("+", describe_violation(actual[j])))
            j += 1
    return lines


def describe_expectation(wanted: Expectation) -> str:
    where = f"{wanted.line}:{wanted.column}" if wanted.column else f"{wanted.line}"
    parts = [where, wanted.severity or "*"]
    if wanted.message is not None:
        parts.append(f"…{wanted.message}…")
    return " ".join(parts)


def describe_violation(violation: Violation) -> str:
    return f"{violation.line}:{violation.column} {violation.severity.label} {violation.message}"


def result_lines(result: CaseResult) -> list[str]:
    """``PASS``/``FAIL`` with the case's place; a failure adds the diff, indented."""
    case = result.case
    status = "PASS" if result.passed else "FAIL"
    lines = [f"{status} {case.label} ({case.kind}, {case.path}:{case.line})"]
    if not result.passed:
        lines.append("    expected (-) and actual (+) violations:")
        lines.extend(f"    {line.sign} {line.text}" for line in result.diff)
        if not result.diff:
            lines.append("      (none)")
    return lines


def summary_line(results: Sequence[CaseResult]) -> str:
    failed = sum(not result.passed for result in results)
    total = len(results)
    noun = "case" if total == 1 else "cases"
    return f"{total} {noun}: {total - failed} passed, {failed} failed"
