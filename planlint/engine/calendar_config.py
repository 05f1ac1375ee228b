"""The ``calendar:`` key of the config: freeze calendars, team zones and the other plans.

Only the shape is checked here (names, zones, cron expressions, days); an ``.ics`` file is read,
confined to the repository and expanded by ``planlint.app.calendar`` when a run needs it.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from planlint.engine.options.windows import known_days
from planlint.facts.windows import WindowError, parse_window, zone_name

FORMS = ("ics", "cron", "weekly", "window")


def _zone(value: str) -> str:
    try:
        return zone_name(value)
    except WindowError as error:
        raise ValueError(error.message) from None


class Weekly(BaseModel):
    """A weekly period on the wall clock of the window's zone and of each team zone."""

    model_config = ConfigDict(extra="forbid")
    days: list[str] = Field(["friday"], min_length=1)
    start: dt.time = dt.time(12, 0)
    end: dt.time | None = Field(None, description="End of the daily period; empty is midnight.")

    @field_validator("days")
    @classmethod
    def _known_days(cls, days: list[str]) -> list[str]:
        return known_days(days)


class Cron(BaseModel):
    """A GitLab deploy freeze: from each ``freeze_start`` to the next ``freeze_end``."""

    model_config = ConfigDict(extra="forbid")
    freeze_start: str = Field(description="A 5-field cron expression, e.g. '0 23 * * 5'.")
    freeze_end: str = Field(description="A 5-field cron expression, e.g. '0 7 * * 1'.")
    cron_timezone: str = Field("UTC", description="The zone of both expressions (GitLab: UTC).")

    @field_validator("freeze_start", "freeze_end")
    @classmethod
    def _cron(cls, value: str) -> str:
        if len(value.split()) != 5 and not value.startswith("@"):
            raise ValueError(
                f"{value!r} is not a 5-field cron expression (minute hour day month weekday)"
            )
        from croniter import croniter  # only a config with a cron period pays for it

        if not croniter.is_valid(value):
            raise ValueError(f"{value!r} is not a valid cron expression")
        return value

    @field_validator("cron_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return _zone(value)


class FreezeConfig(BaseModel):
    """One freeze calendar: exactly one of ``ics``, ``cron``, ``weekly`` or ``window``."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, description="How findings and the calendar name it.")
    ics: str | None = Field(None, description="An iCalendar file in the repository.")
    cron: Cron | None = None
    weekly: Weekly | None = None
    window: str | None = Field(None, description="One period, e.g. '2026-12-21 00:00 UTC to …'.")
    timezone: str | None = Field(
        None, description="With ics: the zone of all-day and floating events (default: each)."
    )
    environments: list[str] = Field(
        default_factory=list, description="Only plans for these environments; empty: every one."
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        return None if value is None else _zone(value)

    @field_validator("window")
    @classmethod
    def _readable(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                parse_window(value)
            except WindowError as error:
                raise ValueError(error.message) from None
        return value

    @model_validator(mode="after")
    def _one_form(self) -> FreezeConfig:
        given = [form for form in FORMS if getattr(self, form) is not None]
        if len(given) != 1:
            said = f"has {' and '.join(given)}" if given else "has none"
            raise ValueError(
                f"a freeze has exactly one of {', '.join(FORMS)}; {self.name!r} {said}"
            )
        if self.timezone is not None and self.ics is None:
            raise ValueError(f"{self.name!r}: timezone applies to an ics calendar only")
        return self

    @property
    def form(self) -> Literal["ics", "cron", "weekly", "window"]:
        if self.ics is not None:
            return "ics"
        if self.cron is not None:
            return "cron"
        return "weekly" if self.weekly is not None else "window"


class CalendarConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    plans: list[str] | str = Field(
        default_factory=list,
        description="Globs of the other plans, relative to the config's folder, e.g. "
        "'docs/rollouts/**/*.md'.",
    )
    team_zones: list[str] = Field(
        default_factory=list, description="The zones the on-call team works in."
    )
    max_concurrent_production: int | None = Field(
        None, ge=1, description="At most this many production changes at once."
    )
    freezes: list[FreezeConfig] = Field(default_factory=list)

    @field_validator("team_zones")
    @classmethod
    def _known_zones(cls, zones: list[str]) -> list[str]:
        return [_zone(zone) for zone in zones]

    @field_validator("plans")
    @classmethod
    def _relative(cls, plans: list[str] | str) -> list[str]:
        globs = [plans] if isinstance(plans, str) else plans
        for glob in globs:
            if glob.startswith(("/", "~")) or ".." in glob.replace("\\", "/").split("/"):
                raise ValueError(f"{glob!r} must be a glob relative to the config's folder")
        return globs

    @model_validator(mode="after")
    def _unique_names(self) -> CalendarConfig:
        names = [freeze.name for freeze in self.freezes]
        for name in names:
            if names.count(name) > 1:
                raise ValueError(f"freezes: {name!r} is named twice")
        return self

    def plan_globs(self) -> list[str]:
        return [self.plans] if isinstance(self.plans, str) else list(self.plans)
