"""Change windows: readable, with a time zone, and outside freeze periods."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import replace

from pydantic import BaseModel, ConfigDict, Field, field_validator

from planlint.engine.registry import CheckContext, Finding, NoOptions, check
from planlint.facts.fields import Field as FactField
from planlint.facts.windows import WindowError, interval_overlaps, parse_window, weekly_overlaps
from planlint.model import Severity

_QUOTED_WINDOW = re.compile(r"^could not read the window '.*?': ")
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _at(where: FactField, **args: object) -> Finding:
    end = max(where.end_column, where.column + 1)
    return Finding(where.line, where.column, where.line, end, args)


@check("window-unparseable")
def window_unparseable(ctx: CheckContext, options: NoOptions) -> Iterator[Finding]:
    fact = ctx.facts.window
    if fact is not None and fact.error is not None:
        # The rule's message already quotes the window; do not say it twice.
        problem = _QUOTED_WINDOW.sub("", fact.error.message)
        yield _at(fact.where, window=fact.where.value, problem=problem)


@check("window-timezone")
def window_timezone(ctx: CheckContext, options: NoOptions) -> Iterator[Finding]:
    fact = ctx.facts.window
    if fact is not None and fact.window is not None and not fact.window.has_timezone:
        yield _at(fact.where, window=fact.where.value, zone=fact.window.zone)


class Freeze(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    window: str = Field(
        description="A window in any form planlint reads, e.g. "
        "'2026-12-21 00:00 UTC to 2027-01-04 00:00 UTC'."
    )

    @field_validator("window")
    @classmethod
    def _readable(cls, value: str) -> str:
        try:
            parse_window(value)
        except WindowError as error:
            raise ValueError(error.message) from None
        return value


class FreezeOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    days: list[str] = ["friday"]
    start: dt.time = dt.time(12, 0)
    end: dt.time | None = Field(None, description="End of the daily period; empty is midnight.")
    freezes: list[Freeze] = []
    emergency_severity: str = "warning"

    @field_validator("days")
    @classmethod
    def _known_days(cls, days: list[str]) -> list[str]:
        for day in days:
            if day.lower() not in DAYS:
                raise ValueError(f"unknown day {day!r}; use one of {', '.join(DAYS)}")
        return days


@check("window-freeze", options=FreezeOptions)
def window_freeze(ctx: CheckContext, options: FreezeOptions) -> Iterator[Finding]:
    """No window in the weekly freeze (Friday afternoon by default) or a named freeze period,
    judged on the window's own wall clock; a justified emergency is reported, not blocked."""
    fact = ctx.facts.window
    if fact is None or fact.window is None:
        return
    window = fact.window
    days = [DAYS.index(day.lower()) for day in options.days]
    severity = Severity.parse(options.emergency_severity) if ctx.facts.emergency else None
    hint = (
        f"an emergency is declared at line {ctx.facts.emergency.line}, so this is not blocking"
        if ctx.facts.emergency
        else None
    )
    overlaps = weekly_overlaps(window, days, options.start, options.end)
    if overlaps:
        first_start, first_end = overlaps[0]
        period = f"{DAYS[first_start.weekday()].capitalize()} {options.start:%H:%M}–" + (
            f"{options.end:%H:%M}" if options.end else "24:00"
        )
        overlap = f"{first_start:%a %Y-%m-%d %H:%M}–{first_end:%H:%M} {window.zone}"
        finding = _at(fact.where, window=fact.where.value, period=period, overlap=overlap)
        yield replace(finding, severity=severity, hint=hint)
    for freeze in options.freezes:
        period_window = parse_window(freeze.window)
        if interval_overlaps(window, period_window.start, period_window.end):
            finding = _at(
                fact.where, window=fact.where.value, period=freeze.name, overlap=freeze.window
            )
            yield replace(finding, severity=severity, hint=hint)
