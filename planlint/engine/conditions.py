"""``when:`` conditions: a section or rule applies only when the plan's facts hold.

Apart from the pack models, so that linting (which evaluates them) needs no pydantic.
"""

from __future__ import annotations

from collections.abc import Mapping

BUILTIN_FACTS = ("environment", "risk", "change_type", "flag", "profile")
"""Facts every plan has; a pack declares more under ``facts:`` (``planlint.engine.packs``)."""

Condition = dict[str, list[str]]
"""``when:``: every named fact must have one of the listed values; ``!value`` excludes one."""


def condition_holds(condition: Condition | None, facts: Mapping[str, str]) -> bool:
    if not condition:
        return True
    for name, allowed in condition.items():
        value = facts.get(name, "unknown").lower()
        wanted = [item.lower() for item in allowed if not item.startswith("!")]
        excluded = [item[1:].lower() for item in allowed if item.startswith("!")]
        if value in excluded or (wanted and value not in wanted):
            return False
    return True
