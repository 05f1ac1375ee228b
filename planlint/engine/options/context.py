"""Options of the context check kinds, as packs write them (validated when a pack loads)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ContextOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    required: list[str] = ["NOTES", "ENVIRONMENT"]


class ListScopeOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    allowed_in: list[str] = ["steps"]
