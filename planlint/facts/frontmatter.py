"""YAML front matter: the keys planlint understands, validated by a pydantic model."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError, field_validator

from planlint.core.yamlio import YamlProblem, load_yaml, load_yaml_quick, validation_problems
from planlint.facts.frontmatter_keys import canonical_keys
from planlint.markdown.nodes import FrontMatter

Scalar = str | int | float | bool | dt.date | dt.datetime


class WindowBounds(BaseModel):
    model_config = ConfigDict(extra="ignore")  # "duration:", "notes:" beside start and end
    start: dt.datetime | str
    end: dt.datetime | str
    timezone: str | None = Field(None, validation_alias=AliasChoices("timezone", "tz", "zone"))


class FrontMatterData(BaseModel):
    """Plan metadata. Other keys (title, authors, …) are allowed and ignored."""

    model_config = ConfigDict(extra="allow")
    profile: str | None = Field(None, description="Profile name, e.g. rollout-plan or deploy-plan.")
    environment: str | None = Field(None, description="Target environment: production, staging…")
    risk: str | None = Field(None, description="Risk level: low, medium, high or critical.")
    change_type: str | None = Field(
        None, description="normal, hotfix, emergency, migration, configuration, infrastructure…"
    )
    window: str | WindowBounds | None = Field(
        None, description="Change window as text, or {start, end[, timezone]}."
    )
    timezone: str | None = Field(None, description="Time zone for a window given without one.")
    flag: str | None = Field(None, description="Feature flag guarding the change.")
    owner: str | None = Field(None, description="Who owns the plan.")

    @field_validator(
        "profile", "environment", "risk", "change_type", "timezone", "flag", "owner", mode="before"
    )
    @classmethod
    def _scalar_as_text(cls, value: object) -> object:
        """``risk: 3``, ``owner: 42``: a scalar YAML did not read as text is still its text."""
        if isinstance(value, bool) or not isinstance(value, (int, float, dt.date)):
            return value
        return value.isoformat() if isinstance(value, dt.date) else str(value)

    @field_validator("window", mode="before")
    @classmethod
    def _dated_window(cls, value: object) -> object:
        """``change_window: 2027-02-24`` (YAML reads a date) is the whole day, as text."""
        if isinstance(value, dt.datetime):
            return value.isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        return value


def read_front_matter(node: FrontMatter) -> tuple[FrontMatterData | None, list[YamlProblem]]:
    """Parse and validate; problems carry document line numbers."""
    offset = node.start_line  # the YAML's first line is the line after the opening ---
    try:
        quick = load_yaml_quick(node.text)
        if quick is None:
            return FrontMatterData(), []
        if isinstance(quick, dict):
            return FrontMatterData.model_validate(canonical_keys(_plain(quick, [MAX_NODES]))), []
    except Exception:  # any problem at all: the located path below explains it
        pass
    try:
        data: Any = load_yaml(node.text)
    except YamlProblem as problem:
        return None, [YamlProblem(problem.message, problem.line + offset, problem.column)]
    if data is None:
        return FrontMatterData(), []
    if not isinstance(data, dict):
        return None, [YamlProblem("front matter must be a mapping of keys to values", offset + 1)]
    try:
        return FrontMatterData.model_validate(canonical_keys(_plain(data, [MAX_NODES]))), []
    except ValidationError as error:
        return None, validation_problems(error, data, offset)
    except _TooLarge:
        message = f"front matter expands to more than {MAX_NODES} values (aliases?); simplify it"
        return None, [YamlProblem(message, offset + 1)]


MAX_NODES = 10_000  # YAML aliases can make a few lines expand to billions of values


class _TooLarge(Exception):
    pass


def _plain(data: Any, budget: list[int]) -> Any:
    """ruamel's round-trip types → plain Python (pydantic validates str/dict subclasses oddly).

    ``budget`` counts the values still allowed, shared across the recursion.
    """
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooLarge
    if isinstance(data, dict):
        return {str(key): _plain(value, budget) for key, value in data.items()}
    if isinstance(data, list):
        return [_plain(value, budget) for value in data]
    if isinstance(data, str):
        return str(data)
    return data
