"""``json``: the report written from plain data, in the shape ``json_report``'s models define.

The models stay the contract (field names and order, the shipped JSON Schema); writing
through them would make every JSON run import pydantic, the largest part of start-up. The
tests hold the two together: every report they produce must read back through the models and
serialise to the same text.
"""

from __future__ import annotations

from typing import Any, TextIO

from planlint.core.results import FileResult, Fix, Severity, Violation

from .common import ordered
from .jsontext import dumps_indented
from .summary import Tally

REPORT_VERSION = 1


def fix_data(fix: Fix) -> dict[str, Any]:
    edits = [
        {
            "line": edit.line,
            "column": edit.column,
            "end_line": edit.end_line,
            "end_column": edit.end_column,
            "text": edit.text,
        }
        for edit in fix.edits
    ]
    return {"description": fix.description, "safe": fix.safe, "edits": edits}


def violation_data(violation: Violation) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rule": violation.rule,
        "code": violation.code,
        "severity": violation.severity.label,
        "message": violation.message,
        "line": violation.line,
        "column": violation.column,
        "end_line": violation.end_line,
        "end_column": violation.end_column,
        "section": violation.section,
    }
    if violation.fix is not None:  # left out, not null: reports without fixes stay as they were
        data["fix"] = fix_data(violation.fix)
    return data


class JsonFormatter:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.tally = Tally()
        # Only the small per-file records are kept, never the source lines.
        self.files: list[dict[str, Any]] = []

    def add(self, result: FileResult) -> None:
        self.tally.add(result)
        violations = [violation_data(v) for v in ordered(result.violations)]
        self.files.append(
            {
                "path": result.path,
                "profile": result.profile,
                "profile_source": result.profile_source,
                "profile_reason": result.profile_reason,
                "violations": violations,
            }
        )

    def finish(self) -> None:
        tally = self.tally
        summary = {
            "files": tally.files,
            "violations": tally.total,
            "errors": tally.by_severity[Severity.ERROR],
            "warnings": tally.by_severity[Severity.WARNING],
            "infos": tally.by_severity[Severity.INFO],
            "by_rule": tally.by_rule(),
        }
        report = {"version": REPORT_VERSION, "files": self.files, "summary": summary}
        self.out.write(dumps_indented(report) + "\n")
