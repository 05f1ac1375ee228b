"""The front-matter keys planlint reads, in the spellings people use for them.

Front matter is written for people and other tools first (``change_window:``, ``env:``,
``risk_level:``), so planlint reads each fact under its common spellings. Kept apart from the
model so that the quick reading of front matter needs no pydantic.
"""

from __future__ import annotations

from typing import Any

# The first spelling is planlint's own.
ALIASES: dict[str, tuple[str, ...]] = {
    "environment": ("environment", "env", "target_environment", "target_env"),
    "risk": ("risk", "risk_level", "risk_rating"),
    "change_type": ("change_type", "release_type", "type_of_change"),
    "window": (
        "window",
        "change_window",
        "maintenance_window",
        "deployment_window",
        "deploy_window",
        "rollout_window",
        "release_window",
        "schedule",
    ),
    "timezone": ("timezone", "time_zone", "tz"),
    "flag": ("flag", "feature_flag"),
    "owner": ("owner", "author", "driver"),
}


def canonical_keys(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with each alias renamed to planlint's key (the first spelling present wins)."""
    renamed = dict(data)
    for key, spellings in ALIASES.items():
        if key in data:
            continue
        for spelling in spellings[1:]:
            if spelling in data:
                renamed[key] = data[spelling]
                break
    return renamed
