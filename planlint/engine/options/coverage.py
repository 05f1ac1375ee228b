"""Options of the coverage check kinds, as packs write them (validated when a pack loads)."""

from __future__ import annotations

import re
from re import Pattern
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError


def ignore_case(value: object) -> object:
    """A pattern's text (or a list of them) compiled case-insensitively, before pydantic's own
    Pattern validation, which then keeps it: each pattern is compiled once, not twice (once
    without the flag), and compiling is most of what loading a pack costs."""
    if isinstance(value, list):
        return [_compiled(item, f"pattern {number}: ") for number, item in enumerate(value, 1)]
    return _compiled(value)


def _compiled(value: object, which: str = "") -> object:
    if not isinstance(value, str):
        return value
    try:
        return re.compile(value, re.IGNORECASE)
    except re.error as error:
        problem = str(error)
    except (RecursionError, OverflowError, MemoryError):  # "((((…" thousands deep
        problem = "it is nested too deeply (or too large) to compile"
    message = "Input should be a valid regular expression, {error}"
    raise PydanticCustomError("pattern_regex", message, {"error": which + problem}) from None


class Topic(BaseModel):
    """Something a section must mention: covered when any pattern matches a sentence."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(description="What the finding calls the topic.")
    patterns: list[Pattern[str]] = Field(min_length=1, description="Case-insensitive regexes.")
    count_negated: bool = Field(
        False, description='A denial states the topic too ("no downtime is expected").'
    )
    code: bool = Field(False, description="A code block or inline code covers it too.")
    read_code: bool = Field(
        False,
        description=(
            'Inline code is read as words by the patterns ("Metric name: `foo_total`"); by '
            "default it is blanked, so that code never reads as prose."
        ),
    )
    fact: str | None = Field(
        None,
        description=(
            "A fact that covers it when the plan declares it anywhere (``risk``: front matter "
            '"risk: high", a "Risk level" row, "a medium-risk change").'
        ),
    )
    realised: bool = Field(
        False,
        description=(
            'Only a statement of fact counts: not a plan ("will be rehearsed") or an unticked '
            "task box."
        ),
    )
    column: Pattern[str] | None = Field(
        None,
        description=(
            "A case-insensitive regex for the header of the table column that holds the topic "
            '("command|script"). When an item is a table row with that column, its cell alone '
            'decides: any text covers the topic, an empty, "—", "n/a" or "TBD" cell does not.'
        ),
    )
    exclude: list[Pattern[str]] = Field(
        default_factory=list,
        description=(
            "Case-insensitive regexes for text that never counts for the topic: what they match "
            'is blanked before the patterns are tried ("notify on-call" names nobody who does '
            "the work)."
        ),
    )

    @field_validator("patterns", "exclude", "column", mode="before")
    @classmethod
    def _compile(cls, patterns: object) -> object:
        return ignore_case(patterns)


class CoversOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    topics: list[Topic] = Field(min_length=1)
    also_in: list[str] = Field(
        default_factory=list, description="Ids of other sections whose prose counts too."
    )


class CoversIfOptions(CoversOptions):
    trigger: Topic = Field(description="What, mentioned in the plan, makes the topics required.")
    trigger_in_code: bool = Field(False, description="Look for the trigger in code blocks too.")
    trigger_facts: list[str] = Field(
        default_factory=list,
        description='Facts whose declared value can be the trigger ("change_type").',
    )


class ItemsOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    topics: list[Topic] = Field(min_length=1)
    items: Literal["auto", "subsections", "list-items", "table-rows"] = Field(
        "auto",
        description=(
            "What an item is: the scope's subsections, the items of its top-level lists, the "
            "rows of its tables, or (auto) subsections when it has any, else list items, else "
            "the rows of a table "
            "that has at least two columns and two rows, else the whole section."
        ),
    )
    skip: Pattern[str] | None = Field(
        None, description='Items that need nothing of their own ("Repeat step 3 for …").'
    )

    @field_validator("skip", mode="before")
    @classmethod
    def _compile(cls, pattern: object) -> object:
        return ignore_case(pattern)


class TableOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    columns: list[Topic] = Field(min_length=1, description="A header cell must match each.")
    min_rows: int = Field(1, ge=0, description="Body rows the table needs.")


class PhrasesOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    phrases: list[Pattern[str]] = Field(min_length=1)
    excusing: Pattern[str] | None = Field(
        None,
        description=(
            "Words earlier in the clause that make the phrase a thing to avoid rather than a "
            'claim ("avoid", "instead of").'
        ),
    )

    @field_validator("phrases", "excusing", mode="before")
    @classmethod
    def _compile(cls, patterns: object) -> object:
        return ignore_case(patterns)
