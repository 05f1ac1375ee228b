"""Output formats. The CLI picks one with ``make_formatter`` and feeds it results.

Formatters receive each ``FileResult`` as soon as its file is linted (``add``) and
write whatever remains at the end (``finish``). The text formats print as they
go; the document formats (json, sarif, junit) keep only what their document needs,
never the source lines. No formatter parses Markdown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from planlint.core.results import FileResult, RuleInfo, Severity

if TYPE_CHECKING:
    from .json_report import JsonReport, report_schema
    from .text import TextFormatter

__all__ = [
    "FORMATS",
    "Formatter",
    "JsonReport",
    "TeeFormatter",
    "make_formatter",
    "report_schema",
]

FORMATS = ("full", "concise", "json", "sarif", "github", "gitlab", "junit")


class Formatter(Protocol):
    def add(self, result: FileResult) -> None:
        """Called once per file, in order, as files are linted."""

    def finish(self) -> None:
        """Write whatever is left: the summary, the JSON document, ..."""


class TeeFormatter:
    """Several formatters fed from one run (``--report FORMAT=FILE`` beside ``--format``)."""

    def __init__(self, formatters: Sequence[Formatter]) -> None:
        self.formatters = list(formatters)

    def add(self, result: FileResult) -> None:
        for formatter in self.formatters:
            formatter.add(result)

    def finish(self) -> None:
        for formatter in self.formatters:
            formatter.finish()


def make_formatter(
    name: str,
    out: TextIO,
    *,
    rules: Mapping[str, RuleInfo],
    root: Path,
    fail_on: Severity = Severity.ERROR,
    statistics: bool = False,
    quiet: bool = False,
    color: bool | None = None,
) -> Formatter:
    """A formatter writing to ``out``.

    ``rules`` maps rule name to RuleInfo for every active rule; ``root`` is the
    repository root that sarif and github make paths relative to. ``statistics``,
    ``quiet`` and ``color`` only affect the text formats (full, concise);
    ``fail_on`` decides which findings fail a junit test case and how the text
    summary is coloured.
    """
    # Each format is imported only when chosen: a pre-commit run printing concise text must
    # not pay for pydantic models of the JSON report or for SARIF.
    if name in ("full", "concise"):
        text: type[TextFormatter]
        if name == "full":
            from .full import FullFormatter as text
        else:  # rich only if it colours (see .text)
            from .concise import ConciseFormatter as text
        return text(
            out, rules=rules, fail_on=fail_on, statistics=statistics, quiet=quiet, color=color
        )
    if name == "json":
        from .json_output import JsonFormatter

        return JsonFormatter(out)
    if name == "sarif":
        from .sarif import SarifFormatter

        return SarifFormatter(out, rules=rules, root=root)
    if name == "github":
        from .github import GithubFormatter

        return GithubFormatter(out, root=root)
    if name == "gitlab":
        from .gitlab import GitlabFormatter

        return GitlabFormatter(out, root=root)
    if name == "junit":
        from .junit import JunitFormatter

        return JunitFormatter(out, fail_on=fail_on)
    raise ValueError(f"unknown output format {name!r}; expected one of {', '.join(FORMATS)}")


def __getattr__(name: str) -> Any:
    """``JsonReport`` and ``report_schema`` on first use, not at import (see make_formatter)."""
    if name in ("JsonReport", "report_schema"):
        from . import json_report

        return getattr(json_report, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
