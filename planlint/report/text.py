"""What the two human-readable formats (full and concise) have in common.

Both stream findings as files arrive, share the summary and ``--statistics``
output, and render through rich. User text (messages, source lines) only ever
reaches rich inside ``Text`` objects, so ``[bold]`` in a plan is printed, not obeyed.

Where rich would print plain text anyway (output to a file or a pipe, as in pre-commit and
CI, or colour turned off), ``PlainPrinter`` writes the same characters without loading rich,
which costs more than a cached run's whole work; ``tests/test_report.py`` holds it to
rich's output.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol, TextIO

from planlint.core.results import GUESSED, FileResult, RuleInfo, Severity, Violation

from .common import Part, concise_parts, fixable, ordered, profile_parts
from .summary import Tally

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

STYLES: Mapping[str, str] = {
    "error": "bold red",
    "warning": "bold yellow",
    "info": "bold blue",
    "location": "bold",
    "code": "bold",
    "rule": "dim",
    "gutter": "blue",
    "help": "cyan",
    "count": "bold",
    "clean": "bold green",
    "failing": "bold red",
    "passing": "bold yellow",
    "fixable": "bold cyan",
}


def make_console(out: TextIO, color: bool | None) -> Console:
    """``color=None`` lets rich decide (terminal, NO_COLOR, FORCE_COLOR...)."""
    from rich.console import Console

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


def styled(parts: tuple[Part, ...]) -> Text:
    from rich.text import Text

    return Text.assemble(*((text, STYLES.get(role, "")) for text, role in parts))


class Printer(Protocol):
    def line(self, parts: tuple[Part, ...]) -> None: ...


class RichPrinter:
    def __init__(self, console: Console) -> None:
        self.console = console

    def line(self, parts: tuple[Part, ...]) -> None:
        self.console.print(styled(parts))


# What rich's Text drops from what it prints (bell, backspace, vertical tab, form feed, CR).
_STRIPPED = str.maketrans(dict.fromkeys((7, 8, 11, 12, 13)))


class PlainPrinter:
    """Writes what rich writes when it cannot colour: the text without the control codes
    rich drops. Tabs (which rich expands by terminal cells) still go through rich."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self._rich: RichPrinter | None = None

    def line(self, parts: tuple[Part, ...]) -> None:
        text = "".join(text for text, _ in parts)
        if "\t" in text:
            if self._rich is None:
                self._rich = RichPrinter(make_console(self.out, False))
            self._rich.line(parts)
            return
        self.out.write(text.translate(_STRIPPED) + "\n")


def make_printer(out: TextIO, color: bool | None) -> Printer:
    return PlainPrinter(out) if prints_plain(out, color) else RichPrinter(make_console(out, color))


def prints_plain(out: TextIO, color: bool | None) -> bool:
    """Would rich print no colour here? Only the plain cases are answered yes: colour turned
    off, or output that is no terminal while nothing in the environment says to treat it as
    one. Anything else is left to rich."""
    if color is not None:
        return not color
    if any(name in os.environ for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")):
        return False
    isatty = getattr(out, "isatty", None)
    try:
        return isatty is not None and not isatty()
    except ValueError:  # a closed file: let rich decide
        return False


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
        self.printer = self._printer(out, color)
        self.rules = rules
        self.fail_on = fail_on
        self.statistics = statistics
        self.quiet = quiet
        self.tally = Tally()
        self.fixable = 0  # findings that --fix repairs
        self.unsafe_fixable = 0  # findings that only --fix --unsafe-fixes repairs

    def add(self, result: FileResult) -> None:
        self.tally.add(result)
        for violation in result.violations:
            if fixable(result, violation):
                self.fixable += 1
            elif violation.fix is not None and result.profile_source != GUESSED:
                self.unsafe_fixable += 1  # an unsafe fix: only with --unsafe-fixes
        if self.statistics or not result.violations:
            return
        if not self.quiet and result.profile is not None:
            # Which rules a plan met depends on its profile: say which, and why that one.
            self.printer.line(profile_parts(result))
        for violation in ordered(result.violations):
            self.emit(result, violation)

    def _printer(self, out: TextIO, color: bool | None) -> Printer:
        return make_printer(out, color)

    def emit(self, result: FileResult, violation: Violation) -> None:
        raise NotImplementedError

    def header(self, result: FileResult, violation: Violation) -> tuple[Part, ...]:
        """The concise line, coloured: both text formats start a finding with it."""
        return concise_parts(result.path, violation, fixable(result, violation))

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
            self.printer.line(
                (
                    (f"{row.count:>{count_w}}", "count"),
                    ("  ", ""),
                    (f"{row.code:<{code_w}}", "code"),
                    ("  ", ""),
                    (f"{row.name:<{name_w}}", ""),
                    ("  ", ""),
                    (label, label),
                )
            )

    def _print_summary(self) -> None:
        if not self.tally.total:
            role = "clean"
        elif self.tally.at_or_above(self.fail_on):
            role = "failing"
        else:
            role = "passing"
        self.printer.line(((self.tally.sentence(), role),))
        if self.fixable or self.unsafe_fixable:
            self.printer.line(self._fixable_parts())

    def _fixable_parts(self) -> tuple[Part, ...]:
        """``[*] 3 fixable with `planlint check --fix` (1 more with --unsafe-fixes).``"""
        if not self.fixable:
            command = "`planlint check --fix --unsafe-fixes`"
            return ((f"{self.unsafe_fixable} fixable with {command}.", ""),)
        text = f"{self.fixable} fixable with `planlint check --fix`"
        if self.unsafe_fixable:
            text += f" ({self.unsafe_fixable} more with --unsafe-fixes)"
        return (("[*]", "fixable"), (f" {text}.", ""))
