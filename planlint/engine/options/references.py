"""Options of the references check kinds, as packs write them (validated when a pack loads)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

# A relative path with at least one folder, ending in a file name with an extension that has a
# letter (``api/v1.2`` is a version, not a file), optionally followed by "(line N)" or
# "(lines N–M)". It may not start inside a URL, an absolute path, ``~/`` or ``$VAR/``.


class ReferenceOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    known_folders_only: bool = Field(
        True,
        description=(
            "Check a path only when its top folder exists in the repository: a plan naming "
            "deploy/prod/deploy.sh in a repository without deploy/ describes another repository."
        ),
    )
    max_bytes: int = Field(
        16 * 1024 * 1024, ge=1, description="Read at most this much of a file to count its lines."
    )
