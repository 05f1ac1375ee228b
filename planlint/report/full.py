"""``full``: each finding with its source line, the span underlined, and a hint.

plans/deploy.md:12:4: error PL003 [rollback-required] No rollback section
 12 | ## Rollout
    |    ^^^^^^^
    = help: Say how to undo the change if the rollout goes wrong.
"""

from __future__ import annotations

from typing import TextIO

from rich.cells import cell_len
from rich.text import Text

from planlint.core.results import FileResult, Violation

from .common import one_line
from .text import STYLES, Printer, RichPrinter, TextFormatter, make_console, styled

# Tabs are expanded by us, not by the terminal, so that the caret line (which
# has no tabs) lines up with the source line whatever the terminal's tab stops.
TAB_SIZE = 4


def underline(source: str, violation: Violation) -> tuple[str, int, int]:
    """The line as displayed, and the caret offset and count in terminal cells.

    The span runs from ``column`` to ``end_column`` (exclusive) on the first line,
    or to the end of the line when it continues onto later lines. Wide characters
    count as two cells; there is always at least one caret, even past the line end.
    """
    start = max(violation.column - 1, 0)
    end = violation.end_column - 1 if violation.end_line == violation.line else len(source)
    offset = cell_len(source[:start].expandtabs(TAB_SIZE)) + max(start - len(source), 0)
    stop = cell_len(source[: max(end, start)].expandtabs(TAB_SIZE))
    return source.expandtabs(TAB_SIZE), offset, max(stop - offset, 1)


class FullFormatter(TextFormatter):
    def _printer(self, out: TextIO, color: bool | None) -> Printer:
        self.console = make_console(out, color)  # source lines and carets: rich in any case
        return RichPrinter(self.console)

    def emit(self, result: FileResult, violation: Violation) -> None:
        print_ = self.console.print
        print_(styled(self.header(result, violation)))
        gutter = " " * len(str(violation.line))
        # ``lines`` is empty when the file could not be read; then there is nothing to show.
        if 1 <= violation.line <= len(result.lines):
            shown, offset, count = underline(result.lines[violation.line - 1], violation)
            print_(Text.assemble((f" {violation.line} | ", STYLES["gutter"]), shown))
            print_(
                Text.assemble(
                    (f" {gutter} | ", STYLES["gutter"]),
                    " " * offset,
                    ("^" * count, STYLES[violation.severity.label]),
                )
            )
        rule = self.rules.get(violation.rule)
        hint = violation.hint or (rule.fix if rule else None)
        if hint:
            print_(
                Text.assemble(
                    (f" {gutter} = ", STYLES["gutter"]),
                    ("help", STYLES["help"]),
                    ": ",
                    one_line(hint),
                )
            )
        print_()
