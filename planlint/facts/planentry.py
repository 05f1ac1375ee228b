"""A plan's place on the change calendar, read from its facts: its window (or why it has
none), environment, risk, title and the systems it touches.

The systems come from front matter (``service:``, ``systems:``, a string or a list), from a
labelled line anywhere in the plan (``**Affected systems:** payments-api and the ledger
workers`` in the summary, ``- SYSTEMS: checkout`` in the context block) or a key/value row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import timezone

from planlint.core.frozen import lazy_pattern
from planlint.facts.calendar import PlanEntry, PlannedWindow, system_key
from planlint.facts.plan import Facts, is_declared, risk_level
from planlint.markdown.nodes import Document

SYSTEM_KEYS = (
    "systems",
    "system",
    "services",
    "service",
    "affected_systems",
    "affected_services",
    "components",
)
SYSTEM_LABELS = frozenset(
    {
        "systems",
        "system",
        "services",
        "service",
        "affected systems",
        "affected services",
        "systems affected",
        "services affected",
        "affected components",
        "components",
        "systems touched",
    }
)
MAX_SYSTEMS = 20
# "payments-api, ledger (batch) and the reporting DB": lists as people write them.
_SPLIT = lazy_pattern(r"\s*(?:[,;+&]|\band\b|\s/\s)\s*", re.IGNORECASE)
_NOTE = lazy_pattern(r"\([^()]*\)")


def split_systems(values: Iterable[str]) -> tuple[str, ...]:
    """Normalised system names from list texts, in order, each once; "none" names none."""
    found: dict[str, None] = {}
    for value in values:
        for part in _SPLIT.split(_NOTE.sub(" ", value.replace("`", " ").strip(" *_."))):
            if is_declared(part) and (key := system_key(part)) and len(key) <= 60:
                found[key] = None
    return tuple(found)[:MAX_SYSTEMS]


def _front_matter_systems(document: Document) -> list[str]:
    if document.front_matter is None:
        return []
    from planlint.core.yamlio import load_yaml_quick

    try:
        data = load_yaml_quick(document.front_matter.text)
    except Exception:  # invalid front matter: invalid-front-matter reports it
        return []
    if not isinstance(data, dict):
        return []
    texts: list[str] = []
    for key in SYSTEM_KEYS:
        value = data.get(key)
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, list):
            texts += [item for item in value[:MAX_SYSTEMS] if isinstance(item, str)]
    return texts


def plan_systems(document: Document, facts: Facts) -> tuple[str, ...]:
    labelled = [field.value for field in facts.labelled if field.key in SYSTEM_LABELS]
    return split_systems([*_front_matter_systems(document), *labelled])


def plan_entry(document: Document, facts: Facts, path: str) -> PlanEntry:
    title = next((section.title for section in document.sections), "") or path
    entry = PlanEntry(
        path,
        title[:200],
        facts.environment,
        risk_level(facts.get("risk")),
        plan_systems(document, facts),
        None,
    )
    fact = facts.window
    if fact is None:
        return entry._replace(problem="the plan states no change window")
    if fact.window is None:
        reason = fact.error.message if fact.error is not None else "it cannot be read"
        return entry._replace(problem=f"its window cannot be read: {reason}")
    window = fact.window
    utc = timezone.utc
    try:
        start, end = window.start.astimezone(utc), window.end.astimezone(utc)
    except (OverflowError, ValueError):
        return entry._replace(problem="its window is at the edge of the supported dates")
    placed = PlannedWindow(
        start, end, window.zone, window.has_timezone, fact.where.value, fact.where.line
    )
    return entry._replace(window=placed)
