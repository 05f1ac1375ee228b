"""Options of the deploy check kinds, as packs write them (validated when a pack loads)."""

from __future__ import annotations

from re import Pattern
from typing import Literal

from pydantic import BaseModel, ConfigDict


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ExplainedOptions(Options):
    fact: Literal["window", "flag"]  # the context value the summary must account for
    mentions: Pattern[str]  # words that talk about it ("window", "flag", a weekday)


class SentenceCountOptions(Options):
    min: int = 3
    max: int = 5


class DataChangeOptions(Options):
    change: Pattern[str]  # what says the release changes stored data
    backup: Pattern[str]  # what says a backup or snapshot is taken
    sources: list[str] = ["summary", "steps"]  # sections that may announce the change


class StepModeOptions(Options):
    mode: Pattern[str]  # words that say who or what performs a step
    all_steps: Pattern[str]  # a statement about every step at once ("all steps are automated")


class FlagRampOptions(Options):
    enable: Pattern[str]  # turning the flag on ("enable", "ramp", "turn on")
    ramp: Pattern[str]  # how far: a percentage or a cohort
    flag_words: Pattern[str]  # words that refer to a flag without naming it


class FlagCleanupOptions(Options):
    remove: Pattern[str]  # taking a flag out ("remove", "delete", "clean up", "retire")
    flag_words: Pattern[str]  # words that refer to a flag without naming it


class DetailedRollbackOptions(Options):
    levels: list[str] = ["high", "critical"]  # risk facts that make a release high-risk
    high_risk: Pattern[str]  # the summary or NOTES calling the release high-risk
    reference: Pattern[str]  # a pointer to a detailed rollback plan
    sources: list[str] = ["summary"]  # sections (besides NOTES) that may call it high-risk
    # Changes that are high-risk in production when the plan states no risk level at all
    # ("a larger migration, not a regular release": the data is what a rollback must save).
    high_risk_in_production: Pattern[str] | None = None


class PathOptions(Options):
    extensions: list[str]  # file types that are scripts or configs
    root_files: list[str] = []  # names that live at a repository's root, fine without a path
    vague: Pattern[str]  # prose that points at a file without naming it
