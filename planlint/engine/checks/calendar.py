"""The change calendar: a plan's windows against the freeze calendars of the config, and its
window against the other plans' (the application reads those and hands them over as
``facts.calendar``; no check here reads a file)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timezone
from typing import TYPE_CHECKING

from planlint.core.results import Severity
from planlint.engine.check_api import CheckContext, CheckKind, Finding
from planlint.engine.checks.windows import _at, _excused, distinct_windows, environment_hint
from planlint.facts.calendar import PlanEntry, applies, busiest, conflicts, in_zones, names
from planlint.facts.calendar import span_text as _span
from planlint.facts.freezes import first_hit
from planlint.facts.planentry import plan_entry

if TYPE_CHECKING:
    from planlint.engine.options import NoOptions
    from planlint.engine.options.windows import CalendarFreezeOptions
    from planlint.facts.freezes import FreezeHit


def window_calendar_freeze(ctx: CheckContext, options: CalendarFreezeOptions) -> Iterator[Finding]:
    """No window the plan states in a freeze of the config's calendar (an iCalendar file, a
    GitLab-style cron period or a fixed period), for the plan's environment; periods without
    a zone of their own (all-day events) are read on the window's clock and each team zone's.
    A justified emergency is reported, not blocked."""
    calendar = ctx.facts.calendar
    freezes = calendar.dated() if calendar is not None else []
    if calendar is None or not freezes:
        return
    environment = ctx.facts.environment
    for fact, window in distinct_windows(ctx.facts.windows):
        try:
            start, end = (moment.astimezone(timezone.utc) for moment in (window.start, window.end))
        except (OverflowError, ValueError):  # the very edge of the calendar
            continue
        zones = (window.zone, *calendar.team_zones)
        for freeze in freezes:
            holds = applies(freeze, environment)
            hit = first_hit(freeze, start, end, zones) if holds is not False else None
            if hit is None:
                continue
            overlap = _described(hit, window.zone)
            finding = _at(fact.where, window=fact.where.value, freeze=freeze.name, overlap=overlap)
            if holds is None:
                hint = environment_hint(freeze.environments)
                finding = finding._replace(severity=Severity.WARNING, hint=hint)
            yield _excused(ctx, finding, options)


def _described(hit: FreezeHit, own_zone: str) -> str:
    """ "Christmas Day, Fri 2026-12-25 00:00–24:00 Europe/Berlin: the window's
    Fri 2026-12-25 10:00–11:30 America/New_York = 16:00–17:30 Europe/Berlin" """
    event = f"{hit.event}, " if hit.event else ""
    period = _span(hit.start, hit.end, hit.zone)
    shared = in_zones(hit.overlap_start, hit.overlap_end, (own_zone, hit.zone))
    return f"{event}{period}; overlap {shared}"


def _this_plan(ctx: CheckContext) -> tuple[PlanEntry, list[PlanEntry]] | None:
    calendar = ctx.facts.calendar
    fact = ctx.facts.window
    if calendar is None or not calendar.plans or fact is None or fact.window is None:
        return None
    own = plan_entry(ctx.document, ctx.facts, calendar.relative(ctx.path) or "this plan")
    return own, calendar.others(ctx.path)


def window_conflict(ctx: CheckContext, options: NoOptions) -> Iterator[Finding]:
    """The plan's window overlaps another plan's on the calendar, for the same environment,
    and both touch a system (front matter service:/systems:, an "Affected systems:" line, the
    context block's SYSTEMS:)."""
    found = _this_plan(ctx)
    fact = ctx.facts.window
    if found is None or fact is None:
        return
    own, others = found
    for conflict in conflicts(own, others):
        other = conflict.other
        assert own.window is not None and other.window is not None
        yield _at(
            fact.where,
            window=fact.where.value,
            other=other.path,
            title=other.title,
            systems=", ".join(conflict.systems),
            environment=own.environment,
            overlap=in_zones(conflict.start, conflict.end, (own.window.zone, other.window.zone)),
        )


def window_concurrency(ctx: CheckContext, options: NoOptions) -> Iterator[Finding]:
    """More production changes at once than the config's ``max_concurrent_production``."""
    calendar = ctx.facts.calendar
    found = _this_plan(ctx)
    fact = ctx.facts.window
    if found is None or fact is None or calendar is None:
        return
    cap = calendar.max_concurrent_production
    own, others = found
    crowd = busiest(own, others) if cap is not None else None
    if cap is None or crowd is None or crowd.size <= cap or own.window is None:
        return
    yield _at(
        fact.where,
        window=fact.where.value,
        count=crowd.size,
        cap=cap,
        others=names(crowd.others),
        overlap=in_zones(crowd.start, crowd.end, (own.window.zone, "UTC")),
    )


# The check kinds this module provides: the table in planlint.engine.kinds lists them.
KINDS = (
    CheckKind(
        "window-calendar-freeze",
        window_calendar_freeze,
        "windows.CalendarFreezeOptions",
        scoped=False,
    ),
    CheckKind("window-conflict", window_conflict, None, scoped=False),
    CheckKind("window-concurrency", window_concurrency, None, scoped=False),
)
