"""``github``: GitHub Actions workflow commands, which the runner turns into annotations.

    ::error file=plans/deploy.md,line=3,col=1,endLine=3,endColumn=9,title=planlint ...::message

Escaping follows the runner (actions/toolkit ``command.ts``): the message escapes
``%``, CR and LF; property values additionally ``:`` and ``,``, which would
otherwise end the value.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from planlint.core.results import FileResult, Severity, Violation

from .common import ordered, posix, printable, repo_relative

COMMANDS: Mapping[Severity, str] = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
}


def escape_data(text: str) -> str:
    text = printable(text)  # no escape sequence reaches the CI log
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(path: str, violation: Violation) -> str:
    properties = {
        "file": path,
        "line": violation.line,
        "col": violation.column,
        "endLine": violation.end_line,
        "endColumn": violation.end_column,
        "title": f"planlint {violation.rule} ({violation.code})",
    }
    rendered = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{COMMANDS[violation.severity]} {rendered}::{escape_data(violation.message)}"


class GithubFormatter:
    def __init__(self, out: TextIO, *, root: Path) -> None:
        self.out = out
        self.root = root

    def add(self, result: FileResult) -> None:
        # Annotations are matched against repository paths; keep what the user typed
        # only for files outside the repository, where nothing better exists.
        path = repo_relative(result.path, self.root) or posix(result.path)
        for violation in ordered(result.violations):
            self.out.write(command(path, violation) + "\n")

    def finish(self) -> None:
        """Nothing to add: every annotation was written as its file arrived."""
