"""Facts about a plan: what checks and ``when:`` conditions ask about, extracted once per file.

Precedence: front matter, then the context block, then labelled lines in the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from planlint.core.frozen import lazy_pattern
from planlint.core.yamlio import YamlProblem
from planlint.facts.emergency import declared_emergency
from planlint.facts.fields import Field, all_labelled, labelled_fields
from planlint.facts.frontmatter_keys import ALIASES
from planlint.facts.frontmatter_quick import quick_front_matter
from planlint.facts.schedule import (
    WindowFact,
    front_matter_window,
    prose_windows,
    read_window,
    window_facts,
)
from planlint.facts.stakes import (
    environment_in_text,
    environment_of,
    flag_in_text,
    level_of,
    risk_in_text,
)
from planlint.facts.windows import WindowError
from planlint.markdown.nodes import Block, Document, Line
from planlint.prose.text import ProseLines, placeholders, prose_lines

if TYPE_CHECKING:
    from planlint.facts.calendar import Calendar
    from planlint.facts.frontmatter import FrontMatterData

CONTEXT_TITLES = frozenset({"context", "deployment context", "deploy context", "release context"})
CONTEXT_LABELS = {
    "notes": "NOTES",
    "environment": "ENVIRONMENT",
    "window": "WINDOW",
    "flag": "FLAG",
}
TEXT_LABELS = {
    "environment": "environment",
    "target environment": "environment",
    "env": "environment",
    "window": "window",
    "change window": "window",
    "maintenance window": "window",
    "deployment window": "window",
    "rollout window": "window",
    "risk": "risk",
    "risk level": "risk",
    "flag": "flag",
    "feature flag": "flag",
    "change type": "change_type",
    "release type": "change_type",
    "justification": "justification",
    "reason": "justification",
    "emergency justification": "justification",
}
# "n/a (database change)", "none", "not used for this change", "-": a label with no value.
_NO_VALUE = lazy_pattern(
    r"^(?:none|n/?a|no|not|null|nil|false|off|-+|—|~)(?:\b|\s|$)|^$", re.IGNORECASE
)


class Facts:
    """What the plan says about itself, found once for every check to read."""

    __slots__ = (
        "_condition",
        "_declared",
        "_document",
        "_emergency",
        "_lines",
        "calendar",
        "context",
        "front_matter",
        "front_matter_problems",
        "labelled",
        "values",
        "window",
        "windows",
    )

    def __init__(self) -> None:
        self.front_matter: FrontMatterData | None = None
        self.front_matter_problems: list[YamlProblem] = []
        self.context: dict[str, Field] = {}
        self.values: dict[str, Field] = {}  # environment, risk, flag, …
        self.window: WindowFact | None = None  # the plan's window: the first one it states
        self.windows: list[WindowFact] = []  # every window it states, read or not
        self._document: Document | None = None
        self._emergency: Field | bool | None = False  # False: not looked for yet
        self._lines = ProseLines()  # the body's prose lines
        self.labelled: list[Field] = []  # every labelled line and key/value row, in order
        self._declared: dict[str, str] = {}  # the facts the packs declare, by name
        self._condition: dict[str, str] | None = None
        # The change calendar the application gives the engine (other plans, freezes, team
        # zones), when the config keeps one: not something the plan states, but read beside it.
        self.calendar: Calendar | None = None

    @property
    def emergency(self) -> Field | None:
        """Where the plan calls itself an emergency, and why. Looked for on first use: only a
        plan with a window in a freeze needs it."""
        if self._emergency is False:
            self._emergency = _emergency(self) if self._document else None
        return self._emergency if isinstance(self._emergency, Field) else None

    @property
    def prose(self) -> ProseLines:
        """The prose lines of the plan's body, read once: checks search them for cue words."""
        return self._lines

    def get(self, key: str) -> str | None:
        found = self.values.get(key)
        return found.value if found is not None else None

    @property
    def environment(self) -> str:
        return normalize_environment(self.get("environment"))

    @property
    def flag(self) -> Field | None:
        """The declared flag, by name: "`karpenter_enabled` (Terraform variable …)" is
        ``karpenter_enabled``."""
        found = self.values.get("flag")
        if found is None or not is_declared(found.value):
            return None
        return found._replace(value=flag_name(found.value))

    @property
    def declared(self) -> dict[str, str]:
        """The facts the packs declare (``planlint.facts.declared``), by name."""
        return self._declared

    @declared.setter
    def declared(self, values: dict[str, str]) -> None:
        self._declared = values
        self._condition = None

    def condition_values(self) -> dict[str, str]:
        """What ``when:`` conditions compare against; unknown facts read "unknown". Worked
        out once per plan (every rule's condition asks): do not change the dict returned."""
        if self._condition is None:
            self._condition = {
                "environment": self.environment,
                "risk": risk_level(self.get("risk")),
                "change_type": (self.get("change_type") or "unknown").lower(),
                "flag": "declared" if self.flag is not None else "none",
                **self._declared,
            }
        return self._condition


def risk_level(value: str | None) -> str:
    """ "**Risk:** High — every write goes through the new path" is a high risk: the level is
    the first level word, whatever explanation follows it."""
    if value is None or not is_declared(value):
        return "unknown"
    return level_of(value) or "unknown"


def normalize_environment(value: str | None) -> str:
    if value is None or not is_declared(value):
        return "unknown"
    return environment_of(value) or value.strip().lower()


_CODE_FIRST = lazy_pattern(r"^\s*`+([^`]+)`+")
_NAME_FIRST = lazy_pattern(r"^\s*([^\s(,;]+)")


def flag_name(value: str) -> str:
    """A flag's name from its declaration: the first code span, else the first word."""
    code = _CODE_FIRST.match(value)
    if code is not None:
        return code.group(1).strip()
    word = _NAME_FIRST.match(value.strip("`*_ "))
    return word.group(1).strip("`*_") if word is not None else value.strip()


def is_declared(value: str) -> bool:
    """A real value: not empty, not "none"/"n/a", not an unfilled placeholder."""
    text = value.strip().strip("`*_").strip()
    if _NO_VALUE.match(text):
        return False
    found = placeholders(text)
    return not (found and len(found[0].text) == len(text))


def context_blocks(document: Document) -> list[Block]:
    """The blocks before the first section, plus those under a lone title heading.

    A plan that opens with ``# Deployment plan: checkout v2`` keeps its context block under
    that title, before the first real section.
    """
    blocks = list(document.blocks)
    top = document.sections
    if len(top) == 1 and top[0].level == 1:
        blocks += top[0].blocks
        top = top[0].subsections
    if top and top[0].normalized in CONTEXT_TITLES:
        blocks.append(top[0])  # "## Deployment Context" as the first section
    return blocks


def extract_facts(document: Document) -> Facts:
    facts = Facts()
    if document.front_matter is not None:
        facts.front_matter = quick_front_matter(document.front_matter.text)
        if facts.front_matter is None:  # the model validates it, and explains what is wrong
            from planlint.facts.frontmatter import read_front_matter

            facts.front_matter, facts.front_matter_problems = read_front_matter(
                document.front_matter
            )
    facts.context = labelled_fields(
        context_blocks(document), CONTEXT_LABELS, "context block", tables=True, code=True
    )
    body = document.body()
    lines = ProseLines(prose_lines(body))  # read once, and searched by every fact below
    text_fields = labelled_fields(body, TEXT_LABELS, "text", lines=lines)
    for key, found in text_fields.items():
        facts.values[key] = found
    for key, found in facts.context.items():
        facts.values[key.lower()] = found
    _front_matter_values(facts, document)
    labelled = all_labelled(document.body_blocks(), lines, tables="|" in document.text)
    facts.labelled = labelled
    _stakes_from_text(facts, document, labelled, lines)
    facts.windows = _windows(facts, document, labelled, lines)
    facts._lines = lines
    facts.window = next((fact for fact in facts.windows if fact.window is not None), None) or next(
        iter(facts.windows), None
    )
    facts._document = document
    return facts


def _stakes_from_text(
    facts: Facts, document: Document, labelled: list[Field], lines: Sequence[Line]
) -> None:
    """Risk, environment and flag said in a table, a title or prose, when no label declared
    them."""
    if level_of(facts.get("risk") or "") is None:
        risk = risk_in_text(lines, labelled)
        if risk is not None:
            facts.values["risk"] = risk
    if facts.values.get("flag") is None:
        flag = flag_in_text(lines, labelled)
        if flag is not None:
            facts.values["flag"] = flag
    declared = facts.get("environment")
    if declared is None or not is_declared(declared):
        environment = environment_in_text(document, labelled)
        if environment is not None:
            facts.values["environment"] = environment


def _front_matter_values(facts: Facts, document: Document) -> None:
    data, node = facts.front_matter, document.front_matter
    if data is None or node is None:
        return
    for key in ("profile", "environment", "risk", "change_type", "flag", "timezone"):
        value = getattr(data, key)
        if value is not None:
            facts.values[key] = _front_matter_field(document, key, str(value))


def _front_matter_field(document: Document, key: str, value: str) -> Field:
    """Point at the key's line inside the front matter (found by its ``key:`` prefix)."""
    node = document.front_matter
    assert node is not None
    spellings = ALIASES.get(key, (key,))
    for line in node.lines:
        if line.text.startswith(tuple(f"{spelling}:" for spelling in spellings)):
            column = line.text.find(":") + 2
            return Field(key, value, line.number, column, len(line.text) + 1, "front matter")
    return Field(key, value, node.start_line, 1, 4, "front matter")


def _windows(
    facts: Facts, document: Document, labelled: list[Field], lines: Sequence[Line]
) -> list[WindowFact]:
    """Every window the plan states: front matter first, then the context block, then the
    labelled lines and key/value tables of the text in document order."""
    data = facts.front_matter
    default_zone = facts.get("timezone") or "UTC"
    found: list[WindowFact] = []
    if data is not None and data.window is not None:
        if isinstance(data.window, str):
            where = _front_matter_field(document, "window", data.window)
            if is_declared(data.window):
                found.append(front_matter_window(data.window, where, data.timezone))
        else:
            bounds = data.window
            where = _front_matter_field(document, "window", f"{bounds.start} – {bounds.end}")
            window = (bounds.start, bounds.end, bounds.timezone)
            found.append(front_matter_window(window, where, data.timezone))
    context = facts.context.get("WINDOW")
    if context is not None and is_declared(context.value):
        try:
            found.append(WindowFact(context, read_window(context.value, default_zone), None))
        except WindowError as error:
            found.append(WindowFact(context, None, error))
    seen = {(fact.where.line, fact.where.column) for fact in found}
    stated = [*window_facts(labelled, default_zone)]
    stated += prose_windows(lines, default_zone)
    for fact in stated:
        if (fact.where.line, fact.where.column) not in seen:
            seen.add((fact.where.line, fact.where.column))
            found.append(fact)
    return found


def _emergency(facts: Facts) -> Field | None:
    """A plan may break the change-freeze rules when it says it is an emergency, and why."""
    justification = facts.values.get("justification")
    if justification is not None and not is_declared(justification.value):
        justification = None
    change_type = (facts.get("change_type") or "").lower()
    declared_type = any(word in change_type for word in ("emergency", "critical", "hotfix"))
    return declared_emergency(facts._lines, declared_type, justification)
