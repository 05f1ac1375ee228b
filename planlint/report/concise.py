"""``concise``: one line per finding, then the summary.

{path}:{line}:{col}: {severity} {code} [{rule}] {message}
"""

from __future__ import annotations

from planlint.core.results import FileResult, Violation

from .text import TextFormatter


class ConciseFormatter(TextFormatter):
    def emit(self, result: FileResult, violation: Violation) -> None:
        self.printer.line(self.header(result, violation))
