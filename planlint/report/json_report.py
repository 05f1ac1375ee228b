"""The ``json`` report's contract: the models below define its fields, and their JSON Schema
(``report_schema()``) is what the project ships.

``json_output`` writes the report from plain data, so a run need not import pydantic; the
tests read every report they produce back through these models, which must give the same
text, so the two cannot drift apart.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SeverityLabel = Literal["error", "warning", "info"]


class _Model(BaseModel):
    # extra="forbid" puts additionalProperties: false into the schema, so consumers
    # (and our tests) can rely on the exact field set. Fields with defaults are still
    # always written, so the serialisation schema marks them required too.
    model_config = ConfigDict(
        extra="forbid", frozen=True, json_schema_serialization_defaults_required=True
    )


class JsonEdit(_Model):
    """Replace the text from (line, column) up to (end_line, end_column) with ``text``."""

    line: int = Field(ge=1, description="1-based line where the replaced range starts.")
    column: int = Field(ge=1, description="1-based column (in characters) where it starts.")
    end_line: int = Field(ge=1)
    end_column: int = Field(ge=1, description="Column just after the range (exclusive).")
    text: str = Field(description="The new text, line endings as in the file; '' deletes.")


class JsonFix(_Model):
    description: str = Field(description="What the fix does, e.g. 'insert the Rollback section'.")
    safe: bool = Field(
        description="Applied by --fix; unsafe fixes (moving sections) need --unsafe-fixes."
    )
    edits: list[JsonEdit] = Field(
        description="Edits on the file as it was linted (byte order mark removed); they do "
        "not overlap, and all apply together."
    )


class JsonViolation(_Model):
    rule: str = Field(description="Rule name, e.g. 'rollback-section-required'.")
    code: str = Field(description="Stable rule code, e.g. 'PL001'.")
    severity: SeverityLabel
    message: str
    line: int = Field(ge=1, description="1-based line where the finding starts.")
    column: int = Field(ge=1, description="1-based column where the finding starts.")
    end_line: int = Field(ge=1)
    end_column: int = Field(ge=1, description="1-based column just after the finding (exclusive).")
    section: str | None = Field(description="Heading of the plan section, if any.")
    # Left out, rather than null, when there is no fix: reports without fixes stay as they were.
    fix: JsonFix | None = Field(
        default=None,
        exclude_if=lambda fix: fix is None,
        description="A machine-applicable repair, when planlint has one.",
    )


class JsonFile(_Model):
    path: str = Field(description="The file as given on the command line.")
    profile: str | None = Field(description="Plan profile the file was checked against.")
    profile_source: (
        Literal["option", "front-matter", "config", "context-block", "headings"] | None
    ) = Field(
        description="Where the profile came from: --profile, the plan's front matter, a "
        "`profiles:` glob of the config, or detection from its context block or (a guess) "
        "from its headings; null when no profile applies."
    )
    profile_reason: str = Field(
        description="The same in words, e.g. \"named by the config glob 'docs/rollouts/*.md'\"."
    )
    violations: list[JsonViolation] = Field(description="Findings in line order; empty if clean.")


class JsonSummary(_Model):
    files: int = Field(ge=0)
    violations: int = Field(ge=0)
    errors: int = Field(ge=0)
    warnings: int = Field(ge=0)
    infos: int = Field(ge=0)
    by_rule: dict[str, int] = Field(description="Number of findings per rule name.")


class JsonReport(_Model):
    """planlint's JSON report."""

    model_config = ConfigDict(title="planlint report")

    version: Literal[1] = Field(default=1, description="Report format version.")
    files: list[JsonFile]
    summary: JsonSummary


def report_schema() -> dict[str, object]:
    """JSON Schema (draft 2020-12) of the ``json`` output."""
    schema = JsonReport.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
