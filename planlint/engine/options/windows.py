"""Options of the windows check kinds, as packs write them (validated when a pack loads)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, field_validator

from planlint.facts.windows import DAYS, WindowError, parse_window


def known_days(days: list[str]) -> list[str]:
    """The days in lower case; a ValueError (pydantic's message) names one that is no day."""
    for day in days:
        if day.lower() not in DAYS:
            raise ValueError(f"unknown day {day!r}; use one of {', '.join(DAYS)}")
    return [day.lower() for day in days]


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
        known_days(days)
        return days


class CalendarFreezeOptions(BaseModel):
    """The freezes themselves are the config's ``calendar.freezes``: they are the team's, not
    the pack's."""

    model_config = ConfigDict(extra="forbid")
    emergency_severity: str = Field(
        "warning", description="The severity for a plan that declares a justified emergency."
    )
