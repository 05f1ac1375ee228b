"""Options of the prose check kinds, as packs write them (validated when a pack loads)."""

from __future__ import annotations

from re import Pattern

from pydantic import BaseModel, ConfigDict, Field


class PatternOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    patterns: list[Pattern[str]]


class EvidenceOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    evidence: Pattern[str]  # words that claim the thing was done
    subject: Pattern[str]  # what the sentence must be about for the claim to count
    label: Pattern[str] | None = None  # a "Tested: 2026-11-20" style line needs no subject
    # Other sections whose statements count too, by id; "*" means every section of the plan.
    also_in: list[str] = Field(default_factory=list)
    # What a statement outside the scope must name to count (the subject when not given).
    subject_elsewhere: Pattern[str] | None = None
    # Profiles whose template does not ask for the statement: there only a denial or a mere
    # plan ("not tested yet") is reported, silence is not.
    silence_allowed_in: list[str] = Field(default_factory=list)
    # What a statement that it was done must also give to count (a date), and its name.
    detail: Pattern[str] | None = None
    detail_name: str = "the detail asked for"


class CriterionOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    metric: Pattern[str]  # what is measured, or a pass/fail label ("Roll back if …")
    quantity: Pattern[str]  # a number with its unit
    comparator: Pattern[str]  # just before the quantity ("< 0.5%", "under 300 ms")
    comparator_after: Pattern[str]  # just after it ("1% or higher")
    durations: Pattern[str]  # units that make "within N" a deadline, not a threshold
    zero: Pattern[str] | None = None  # a zero limit on its own ("0 denials", "no 5xx")
