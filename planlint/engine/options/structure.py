"""Options of the structure check kinds, as packs write them (validated when a pack loads)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

# What an inserted section holds until someone writes it: a placeholder, so that the plan
# still fails (unfilled-placeholder) instead of passing with a hollow section.


class CanonicalOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # "keep": numbering ("1.", "Step 3:") is the author's choice; "remove": headings are plain
    numbering: Literal["keep", "remove"] = "keep"
