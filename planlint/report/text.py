"""What the two human-readable formats (full and concise) have in common.

Both stream findings as files arrive, share the summary and ``--statistics``
output, and render through rich. User text (messages, source lines) only ever
reaches rich inside ``Text`` objects, so ``[bold]`` in a plan is printed, not obeyed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TextIO

from rich.console import Console
from rich.text import Text

from planlint.model import FileResult, RuleInfo, Severity, Violation

from .common import concise_parts, ordered
from .summary import Tally

STYLES: Mapping[str, str] = {
    "error": "bold red",
    "warning": "bold yellow",
    "info": "bold blue",
    "location": "bold",
    "code": "bold",
    "rule": "dim",
    "gutter": "blue",
    "help": "cyan",
}


def make_console(out: TextIO, color: bool | None) -> Console:
    """``color=None`` lets rich decide (terminal, NO_COLOR, FORCE_COLOR...)."""
    return Console(
        file=out,
        force_terminal=color,
        # None (not False) so that NO_COLOR is still honoured when auto-detecting.
        no_color=True if color is False else None,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=True,
    )


def styled(parts: tuple[tuple[str, str], ...]) -> Text:
    return Text.assemble(*((text, STYLES.get(role, "")) for text, role in parts))


class TextFormatter:
    """Base for full/concise: subclasses only decide how one finding looks."""

    def __init__(
        self,
        out: TextIO,
        *,
        rules: Mapping[str, RuleInfo],
        fail_on: Severity,
        statistics: bool,
        quiet: bool,
        color: bool | None,
    ) -> None:
        self.console = make_console(out, color)
        self.rules = rules
        self.fail_on = fail_on
        self.statistics = statistics
        self.quiet = quiet
        self.tally = Tally()

    def add(self, result: FileResult) -> None:
        self.tally.add(result)
        if not self.statistics:
            for violation in ordered(result.violations):
                self.emit(result, violation)

    def emit(self, result: FileResult, violation: Violation) -> None:
        raise NotImplementedError

    def header(self, result: FileResult, violation: Violation) -> Text:
        """The concise line, coloured: both text formats start a finding with it."""
        return styled(concise_parts(result.path, violation))

    def finish(self) -> None:
        if self.statistics:
            self._print_statistics()
        if not self.quiet:
            self._print_summary()

    def _print_statistics(self) -> None:
        rows = self.tally.statistics()
        if not rows:
            return
        # Plain aligned columns rather than a rich Table: tables size themselves to the
        # terminal width, which makes captured and piped output unpredictable.
        count_w = max(len(str(row.count)) for row in rows)
        code_w = max(len(row.code) for row in rows)
        name_w = max(len(row.name) for row in rows)
        for row in rows:
            label = row.severity.label
            self.console.print(
                Text.assemble(
                    (f"{row.count:>{count_w}}", "bold"),
                    "  ",
                    (f"{row.code:<{code_w}}", STYLES["code"]),
                    "  ",
                    f"{row.name:<{name_w}}",
                    "  ",
                    (label, STYLES[label]),
                )
            )

    def _print_summary(self) -> None:
        if not self.tally.total:
            style = "bold green"
        elif self.tally.at_or_above(self.fail_on):
            style = "bold red"
        else:
            style = "bold yellow"
        self.console.print(Text(self.tally.sentence(), style=style))
