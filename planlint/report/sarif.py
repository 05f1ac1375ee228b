"""``sarif``: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run; ``tool.driver.rules`` describes every active rule (sorted by code, so
``ruleIndex`` is stable) and each finding becomes a result whose location is
relative to the repository root (``%SRCROOT%``), which is how code scanning
maps results onto files.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

import planlint
from planlint.core.results import FileResult, Fix, RuleInfo, Severity, Violation

from .common import ordered, repo_relative
from .jsontext import dumps_indented

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/planlint/"
SRCROOT = "%SRCROOT%"
LEVELS: Mapping[Severity, str] = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "note",
}

SarifObject = dict[str, Any]


def _fence(code: str) -> str:
    """A backtick fence longer than any run inside ``code`` (examples are Markdown)."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    return "`" * max(3, longest + 1)


def rule_help(rule: RuleInfo) -> SarifObject:
    """``help`` as plain text and Markdown, built from the same sections in the same order."""
    fence = _fence(rule.example)
    sections = [  # (body, as plain text, as Markdown); empty sections are left out
        (rule.what, rule.what, rule.what),
        (rule.why, f"Why it matters: {rule.why}", f"**Why it matters:** {rule.why}"),
        (
            rule.example,
            f"Example:\n{rule.example}",
            f"**Example:**\n\n{fence}markdown\n{rule.example}\n{fence}",
        ),
        (rule.fix, f"How to fix: {rule.fix}", f"**How to fix:** {rule.fix}"),
    ]
    present = [(plain, markdown) for body, plain, markdown in sections if body]
    return {
        "text": "\n\n".join(plain for plain, _ in present),
        "markdown": "\n\n".join(markdown for _, markdown in present),
    }


def rule_descriptor(rule: RuleInfo) -> SarifObject:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.what},
        "help": rule_help(rule),
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        # SARIF requires unique tags; dict.fromkeys keeps the order.
        "properties": {"tags": list(dict.fromkeys(("planlint", *rule.profiles)))},
    }


def artifact_location(path: str, root: Path) -> SarifObject:
    relative = repo_relative(path, root)
    if relative is None:
        # Outside the repository: an absolute file URI is the only honest answer.
        return {"uri": Path(os.path.abspath(path)).as_uri()}
    return {"uri": quote(relative), "uriBaseId": SRCROOT}


def sarif_fix(fix: Fix, artifact: SarifObject) -> SarifObject:
    """A SARIF ``fix``: replacements in one artifact. An insertion is an empty region (start
    and end at the same place); a deletion has empty ``insertedContent``."""
    replacements = [
        {
            "deletedRegion": {
                "startLine": edit.line,
                "startColumn": edit.column,
                "endLine": edit.end_line,
                "endColumn": edit.end_column,
            },
            "insertedContent": {"text": edit.text},
        }
        for edit in fix.edits
    ]
    return {
        "description": {"text": fix.description},
        "artifactChanges": [{"artifactLocation": artifact, "replacements": replacements}],
        # SARIF has no notion of a safe fix; --fix applies only the safe ones.
        "properties": {"safe": fix.safe},
    }


class SarifFormatter:
    def __init__(self, out: TextIO, *, rules: Mapping[str, RuleInfo], root: Path) -> None:
        self.out = out
        self.root = root
        self.descriptors = sorted(rules.values(), key=lambda rule: (rule.code, rule.name))
        self.index = {rule.name: i for i, rule in enumerate(self.descriptors)}
        self.results: list[SarifObject] = []

    def add(self, result: FileResult) -> None:
        location = artifact_location(result.path, self.root)
        self.results.extend(self._result(v, location) for v in ordered(result.violations))

    def _result(self, violation: Violation, artifact: SarifObject) -> SarifObject:
        entry: SarifObject = {"ruleId": violation.code}
        if violation.rule in self.index:
            entry["ruleIndex"] = self.index[violation.rule]
        entry["level"] = LEVELS[violation.severity]
        entry["message"] = {"text": violation.message}
        region = {
            "startLine": violation.line,
            "startColumn": violation.column,
            "endLine": violation.end_line,
            "endColumn": violation.end_column,
        }
        entry["locations"] = [
            {"physicalLocation": {"artifactLocation": artifact, "region": region}}
        ]
        if violation.fix is not None:
            entry["fixes"] = [sarif_fix(violation.fix, artifact)]
        return entry

    def finish(self) -> None:
        driver = {
            "name": "planlint",
            "informationUri": INFORMATION_URI,
            "version": planlint.__version__,
            "rules": [rule_descriptor(rule) for rule in self.descriptors],
        }
        log = {
            "$schema": SCHEMA_URI,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {"driver": driver},
                    # Columns count Python str characters, i.e. code points.
                    "columnKind": "unicodeCodePoints",
                    "results": self.results,
                }
            ],
        }
        self.out.write(dumps_indented(log) + "\n")
