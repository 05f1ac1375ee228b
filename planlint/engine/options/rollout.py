"""Options of the rollout check kinds, as packs write them (validated when a pack loads)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from planlint.engine.options.coverage import Topic


class Horizon(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    start: float = Field(ge=0, description="Minutes after the change.")
    end: float | None = Field(None, description="Minutes; none for open-ended.")
    labels: Topic = Field(description='Words that name the horizon outright ("Immediate").')

    @model_validator(mode="after")
    def _ordered(self) -> Horizon:
        if self.end is not None and self.end <= self.start:
            raise ValueError(f"horizon {self.name!r}: end must be after start")
        return self


class HorizonOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    horizons: list[Horizon] = Field(min_length=1)
