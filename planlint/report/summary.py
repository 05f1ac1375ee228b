"""Counting shared by every formatter: totals, per-severity and per-rule counts.

A ``Tally`` only keeps counters, never the results themselves, so formatters that
summarise can stream files through without holding them.
"""

from __future__ import annotations

from planlint.core.results import FileResult, Severity

from .common import plural


class RuleCount:
    """How often one rule fired; ``severity`` is the highest severity it fired at."""

    __slots__ = ("code", "count", "name", "severity")

    def __init__(self, name: str, code: str, severity: Severity, count: int = 0) -> None:
        self.name = name
        self.code = code
        self.severity = severity
        self.count = count


class Tally:
    # A plain class, not a dataclass: every run loads this module (see planlint.core.results).
    __slots__ = ("by_severity", "files", "files_with_problems", "rules")

    def __init__(self) -> None:
        self.files = 0
        self.files_with_problems = 0
        self.by_severity: dict[Severity, int] = dict.fromkeys(Severity, 0)
        self.rules: dict[str, RuleCount] = {}

    def add(self, result: FileResult) -> None:
        self.files += 1
        self.files_with_problems += bool(result.violations)
        for violation in result.violations:
            self.by_severity[violation.severity] += 1
            entry = self.rules.setdefault(
                violation.rule, RuleCount(violation.rule, violation.code, violation.severity)
            )
            entry.count += 1
            entry.severity = max(entry.severity, violation.severity)

    @property
    def total(self) -> int:
        return sum(self.by_severity.values())

    def at_or_above(self, threshold: Severity) -> int:
        return sum(n for severity, n in self.by_severity.items() if severity >= threshold)

    def by_rule(self) -> dict[str, int]:
        """Counts keyed by rule name, in name order so serialised output is stable."""
        return {name: self.rules[name].count for name in sorted(self.rules)}

    def statistics(self) -> list[RuleCount]:
        """Most frequent rules first (ties by code), as ``ruff --statistics`` does."""
        return sorted(self.rules.values(), key=lambda rule: (-rule.count, rule.code, rule.name))

    def sentence(self) -> str:
        if not self.total:
            return f"All checked: {plural(self.files, 'file')}, no problems."
        breakdown = ", ".join(
            plural(self.by_severity[severity], severity.label)
            for severity in sorted(Severity, reverse=True)
        )
        return (
            f"Found {plural(self.total, 'problem')} ({breakdown}) "
            f"in {self.files_with_problems} of {plural(self.files, 'file')}."
        )
