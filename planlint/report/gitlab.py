"""``gitlab``: a GitLab Code Quality report (the Code Climate issue subset GitLab reads).

    [{"description": "...", "check_name": "rollback-untested", "fingerprint": "...",
      "severity": "major", "location": {"path": "docs/plan.md", "lines": {"begin": 42}}}]

GitLab compares the report of a merge request with that of its target branch by
fingerprint, so a fingerprint must survive unrelated edits: it is the baseline's
(rule, file, offending line's text, message, occurrence), never the line number, and
identical findings in one file are told apart by their order.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

from planlint.core.results import FileResult, Severity
from planlint.report.fingerprints import fingerprints

from .common import ordered, posix, repo_relative
from .jsontext import dumps_indented

# Code Quality severities: info, minor, major, critical, blocker. planlint's error is a plan
# that must not ship as written (major); blocker and critical are left for security tools.
SEVERITIES: Mapping[Severity, str] = {
    Severity.ERROR: "major",
    Severity.WARNING: "minor",
    Severity.INFO: "info",
}


class GitlabFormatter:
    def __init__(self, out: TextIO, *, root: Path) -> None:
        self.out = out
        self.root = root
        self.issues: list[dict[str, Any]] = []  # small records only, never the source lines

    def add(self, result: FileResult) -> None:
        # GitLab links findings to files of the repository: paths relative to its root.
        path = repo_relative(result.path, self.root) or posix(result.path)
        violations = ordered(result.violations)
        for violation, fingerprint in zip(
            violations, fingerprints(path, violations, result.lines), strict=True
        ):
            self.issues.append(
                {
                    "type": "issue",
                    "description": f"{violation.code} [{violation.rule}] {violation.message}",
                    "check_name": violation.rule,
                    "fingerprint": fingerprint,
                    "severity": SEVERITIES[violation.severity],
                    "location": {"path": path, "lines": {"begin": violation.line}},
                }
            )

    def finish(self) -> None:
        self.out.write(dumps_indented(self.issues) + "\n")
