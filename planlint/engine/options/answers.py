"""Options of the ``answered`` check kind, as packs write them (validated when a pack loads)."""

from __future__ import annotations

import re
from re import Pattern

from pydantic import BaseModel, ConfigDict, Field, field_validator

from planlint.engine.options.coverage import ignore_case

# An answer that only holds a place: "N/A", "TBD", "Will be added in beta", "To be done".
DEFAULT_PLACEHOLDERS = [
    r"n/?a|none|nothing|tbd|tba|todo|tk|\?+|-+|—|–",
    r"not\s+(?:applicable|yet\s+(?:known|decided|written|available))",
    r"(?:will|to)\s+be\s+(?:added|filled(?:\s+in)?|provided|written|done|decided|determined|"
    r"updated|completed|documented)(?:\s+(?:in|for|before|at|by|during|later|after)\b.*)?",
    r"(?:coming|more\s+details?)\s+(?:soon|later)",
]


class AnsweredOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    placeholders: list[Pattern[str]] = Field(
        default_factory=lambda: [re.compile(p, re.IGNORECASE) for p in DEFAULT_PLACEHOLDERS],
        description=(
            "Case-insensitive regexes for an answer that only holds a place, matched against "
            "a whole sentence or list item (punctuation and markup around it ignored)."
        ),
    )
    template: list[str] = Field(
        default_factory=list,
        description=(
            "The template's own text under the question (guidance, examples): a sentence or "
            "item equal to one of these, ignoring case, spacing and markup, is no answer."
        ),
    )
    evidence: Pattern[str] | None = Field(
        None,
        description=(
            'Case-insensitive words that say the thing asked about was done ("tested"). '
            'With it, an answer that denies it ("No", "Not yet") or only plans it ("will '
            'be tested before beta") is reported, and a section with no answer is left to a '
            "rule without `evidence`."
        ),
    )

    not_needed: Pattern[str] | None = Field(
        None,
        description=(
            "With `evidence`: case-insensitive words for an answer that says it was not needed "
            '("N/A, in-memory only", "This should not be necessary"), reported when no '
            "sentence says it was done."
        ),
    )

    @field_validator("placeholders", "evidence", "not_needed", mode="before")
    @classmethod
    def _compile(cls, patterns: object) -> object:
        return ignore_case(patterns)
