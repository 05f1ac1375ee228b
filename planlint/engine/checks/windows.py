"""Change windows: readable, with a time zone, and outside freeze periods."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from planlint.core.frozen import lazy_pattern
from planlint.core.results import Severity
from planlint.engine.check_api import CheckContext, CheckKind, Finding
from planlint.facts.fields import Field as FactField
from planlint.facts.windows import DAYS, interval_overlaps, parse_window, weekly_overlaps

if TYPE_CHECKING:  # the models validate packs; a check reads their fields
    from planlint.engine.options import NoOptions
    from planlint.engine.options.windows import FreezeOptions

_QUOTED_WINDOW = lazy_pattern(r"^could not read the window '.*?': ")


def _at(where: FactField, **args: object) -> Finding:
    end = max(where.end_column, where.column + 1)
    return Finding(where.line, where.column, where.line, end, args)


def window_unparseable(ctx: CheckContext, options: NoOptions) -> Iterator[Finding]:
    """A change window under a window label that cannot be read as a date and time range is
    reported with why."""
    fact = ctx.facts.window
    if fact is not None and fact.error is not None:
        # The rule's message already quotes the window; do not say it twice.
        problem = _QUOTED_WINDOW.sub("", fact.error.message)
        yield _at(fact.where, window=fact.where.value, problem=problem)


def window_timezone(ctx: CheckContext, options: NoOptions) -> Iterator[Finding]:
    """A change window with clock times names its time zone (read as UTC otherwise)."""
    fact = ctx.facts.window
    if fact is not None and fact.window is not None and not fact.window.has_timezone:
        yield _at(fact.where, window=fact.where.value, zone=fact.window.zone)


def window_freeze(ctx: CheckContext, options: FreezeOptions) -> Iterator[Finding]:
    """No window the plan states in the weekly freeze (Friday afternoon by default) or a named
    freeze period, judged on the window's own wall clock; a justified emergency is reported,
    not blocked. Every stated window is judged, whichever label carries it."""
    days = [DAYS.index(day.lower()) for day in options.days]
    judged: set[tuple[object, object]] = set()
    for fact in ctx.facts.windows:
        window = fact.window
        if window is None or (window.start, window.end) in judged:
            continue
        judged.add((window.start, window.end))
        try:
            overlaps = weekly_overlaps(window, days, options.start, options.end)
        except OverflowError:  # a window at the very edge of the calendar (year 9999)
            continue
        if overlaps:
            first_start, first_end = overlaps[0]
            period = f"{DAYS[first_start.weekday()].capitalize()} {options.start:%H:%M}–" + (
                f"{options.end:%H:%M}" if options.end else "24:00"
            )
            overlap = f"{first_start:%a %Y-%m-%d %H:%M}–{first_end:%H:%M} {window.zone}"
            finding = _at(fact.where, window=fact.where.value, period=period, overlap=overlap)
            yield _excused(ctx, finding, options)
        for freeze in options.freezes:
            period_window = parse_window(freeze.window)
            if interval_overlaps(window, period_window.start, period_window.end):
                finding = _at(
                    fact.where, window=fact.where.value, period=freeze.name, overlap=freeze.window
                )
                yield _excused(ctx, finding, options)


def _excused(ctx: CheckContext, finding: Finding, options: FreezeOptions) -> Finding:
    """A window in a freeze is reported at the emergency severity when the plan declares a
    justified emergency (looked for only now: most plans have no window in a freeze)."""
    emergency = ctx.facts.emergency
    if emergency is None:
        return finding
    hint = f"an emergency is declared at line {emergency.line}, so this is not blocking"
    return finding._replace(severity=Severity.parse(options.emergency_severity), hint=hint)


# The check kinds this module provides: the table in planlint.engine.kinds lists them.
KINDS = (
    CheckKind("window-unparseable", window_unparseable, None, scoped=False),
    CheckKind("window-timezone", window_timezone, None, scoped=False),
    CheckKind("window-freeze", window_freeze, "windows.FreezeOptions", scoped=False),
)
