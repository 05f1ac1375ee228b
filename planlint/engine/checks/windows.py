"""Change windows: readable, with a time zone, and outside freeze periods."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, time
from typing import TYPE_CHECKING, NamedTuple

from planlint.core.frozen import lazy_pattern
from planlint.core.results import Severity
from planlint.engine.check_api import CheckContext, CheckKind, Finding
from planlint.facts.calendar import applies, span_text
from planlint.facts.fields import Field as FactField
from planlint.facts.freezes import WeeklyFreeze
from planlint.facts.windows import DAYS, Window, interval_overlaps, parse_window, weekly_overlaps

if TYPE_CHECKING:  # the models validate packs; a check reads their fields
    from planlint.engine.options import NoOptions
    from planlint.engine.options.windows import CalendarFreezeOptions, FreezeOptions
    from planlint.facts.schedule import WindowFact

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


def distinct_windows(facts: Iterable[WindowFact]) -> Iterator[tuple[WindowFact, Window]]:
    """Each window a plan states and could be read, once: the same interval said in the
    summary and in the context block is one window."""
    judged: set[tuple[object, object]] = set()
    for fact in facts:
        window = fact.window
        if window is not None and (window.start, window.end) not in judged:
            judged.add((window.start, window.end))
            yield fact, window


def window_freeze(ctx: CheckContext, options: FreezeOptions) -> Iterator[Finding]:
    """No window the plan states in the weekly freeze (Friday afternoon by default) or a named
    freeze period, judged on the window's own wall clock and on each team zone's; a justified
    emergency is reported, not blocked. Every stated window is judged, whichever label carries
    it. A calendar in the config that declares weekly periods replaces the weekly option."""
    calendar = ctx.facts.calendar
    team = calendar.team_zones if calendar is not None else ()
    periods = _weekly_periods(ctx, options)
    for fact, window in distinct_windows(ctx.facts.windows):
        for weekly in periods:
            found = _first_weekly(window, weekly, team)
            if found is None:
                continue
            zone, first_start, first_end = found
            period = f"{DAYS[first_start.weekday()].capitalize()} {weekly.start:%H:%M}–" + (
                f"{weekly.end:%H:%M}" if weekly.end else "24:00"
            )
            overlap = f"{first_start:%a %Y-%m-%d %H:%M}–{first_end:%H:%M} {zone}"
            if zone != window.zone:  # only in a team zone: say when that is for the author
                period += f" in the team zone {zone}"
                overlap += f" = {span_text(first_start, first_end, window.zone)}"
            if weekly.name is not None:
                period = f"{weekly.name} ({period})"
            finding = _at(fact.where, window=fact.where.value, period=period, overlap=overlap)
            if weekly.hint is not None:
                finding = finding._replace(severity=Severity.WARNING, hint=weekly.hint)
            yield _excused(ctx, finding, options)
        for freeze in options.freezes:
            period_window = parse_window(freeze.window)
            if interval_overlaps(window, period_window.start, period_window.end):
                finding = _at(
                    fact.where, window=fact.where.value, period=freeze.name, overlap=freeze.window
                )
                yield _excused(ctx, finding, options)


class _Weekly(NamedTuple):
    name: str | None  # a calendar period's name; None for the rule's own options
    days: list[int]
    start: time
    end: time | None
    hint: str | None  # why it is only a warning for this plan


def _weekly_periods(ctx: CheckContext, options: FreezeOptions) -> list[_Weekly]:
    """The weekly periods to judge, each with its name and, for a plan that does not say its
    environment, the hint that lowers it to a warning: the calendar's, else the options'."""
    calendar = ctx.facts.calendar
    weekly = calendar.weekly() if calendar is not None else []
    if not weekly:
        days = [DAYS.index(day.lower()) for day in options.days]
        return [_Weekly(None, days, options.start, options.end, None)]
    periods = []
    for freeze in weekly:
        holds = applies(freeze, ctx.facts.environment)
        if holds is False:
            continue
        hint = None if holds else environment_hint(freeze.environments)
        assert isinstance(freeze, WeeklyFreeze)
        days = [DAYS.index(day) for day in freeze.days]
        periods.append(_Weekly(freeze.name, days, freeze.start, freeze.end, hint))
    return periods


def environment_hint(environments: Iterable[str]) -> str:
    return (
        "the plan does not say its environment, and the freeze holds for "
        f"{', '.join(environments)}: a warning until it does"
    )


def _first_weekly(
    window: Window, weekly: _Weekly, team: Iterable[str]
) -> tuple[str, datetime, datetime] | None:
    """The first part of the window in the weekly period, on its own clock first, then on
    each team zone's."""
    for zone in dict.fromkeys((window.zone, *team)):
        try:
            overlaps = weekly_overlaps(
                window._replace(zone=zone), weekly.days, weekly.start, weekly.end
            )
        except OverflowError:  # a window at the very edge of the calendar (year 9999)
            continue
        if overlaps:
            return zone, *overlaps[0]
    return None


def _excused(
    ctx: CheckContext, finding: Finding, options: FreezeOptions | CalendarFreezeOptions
) -> Finding:
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
