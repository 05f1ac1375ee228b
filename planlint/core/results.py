"""Results shared by the engine and the formatters.

The engine produces these; formatters only read them. Nothing here parses or prints.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import NamedTuple


class Severity(enum.IntEnum):
    """Ordered so that ``severity >= Severity.WARNING`` means "at least a warning"."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return _LABELS[self]

    @classmethod
    def parse(cls, text: str) -> Severity:
        found = _BY_LABEL.get(text)
        return found if found is not None else cls[text.upper()]


# Formatters ask for labels once per violation: a dict is cheaper than the enum's name lookup.
_LABELS = {severity: severity.name.lower() for severity in Severity}
_BY_LABEL = {label: severity for severity, label in _LABELS.items()}


class Edit(NamedTuple):
    """Replace the text from (line, column) up to (end_line, end_column) with ``text``.

    Positions follow the violation convention: 1-based, character columns, end exclusive. An
    insertion has equal start and end.
    """

    line: int
    column: int
    end_line: int
    end_column: int
    text: str


class Fix(NamedTuple):
    """A machine-applicable repair for one violation. ``safe`` fixes are applied by ``--fix``;
    unsafe ones (e.g. moving whole sections) only with ``--unsafe-fixes``."""

    description: str
    edits: tuple[Edit, ...]
    safe: bool = True


class Violation(NamedTuple):
    """One finding. Lines and columns are 1-based; ``end_column`` is exclusive (as in SARIF)."""

    rule: str
    code: str
    severity: Severity
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    section: str | None = None
    hint: str | None = None
    fix: Fix | None = None

    def sort_key(self) -> tuple[int, int, str, str]:
        return (self.line, self.column, self.code, self.message)


class RuleInfo(NamedTuple):
    """What a formatter needs to know about a rule (SARIF driver rules, hints, `planlint rule`)."""

    code: str
    name: str
    severity: Severity
    summary: str
    what: str
    why: str
    example: str
    fix: str
    profiles: tuple[str, ...] = ()
    # The rule's `when:` conditions, fact by fact ("!value" excludes a value): how a pack
    # tailors its rules to the environment, risk or change type.
    when: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def when_text(self) -> str:
        """The conditions in words, e.g. "environment not staging/development; risk high"."""
        parts = []
        for fact, values in self.when:
            wanted = [value for value in values if not value.startswith("!")]
            excluded = [value[1:] for value in values if value.startswith("!")]
            if wanted:
                parts.append(f"{fact} {'/'.join(wanted)}")
            if excluded:
                parts.append(f"{fact} not {'/'.join(excluded)}")
        return "; ".join(parts)


def mask_spans(lines: Sequence[str], spans: Sequence[tuple[int, int, int]]) -> list[str]:
    """``lines`` with each span (1-based line, 0-based start, end) overwritten by ``*``."""
    masked = list(lines)
    for line, start, end in spans:
        if 1 <= line <= len(masked):
            text = masked[line - 1]
            masked[line - 1] = text[:start] + "*" * max(0, min(end, len(text)) - start) + text[end:]
    return masked


# Where a file's profile came from, strongest first: --profile, the plan's own front matter,
# a `profiles:` glob of the config, the deploy plan's context block (which only that format
# has), or the headings (a guess: the profile whose sections they match best).
PROFILE_SOURCES = ("option", "front-matter", "config", "context-block", "headings")
GUESSED = "headings"


class FileResult:
    """The outcome of linting one file.

    ``lines`` holds the file's lines (without line endings) so that the full formatter
    can show context; it is empty when the file could not be read. ``consulted`` names the
    other files the checks read (a referenced script's length): a cached result holds only
    while they are unchanged. ``masked`` are the spans (line, start, end; 0-based, end
    exclusive) of credentials overwritten in ``lines``: kept so that lines read again later
    (for a cached result) are masked the same way.
    """

    __slots__ = (
        "consulted",
        "lines",
        "masked",
        "path",
        "profile",
        "profile_reason",
        "profile_source",
        "violations",
    )

    def __init__(
        self,
        path: str,
        profile: str | None,
        violations: list[Violation] | None = None,
        lines: Sequence[str] = (),
        consulted: tuple[str, ...] = (),
        masked: tuple[tuple[int, int, int], ...] = (),
        profile_source: str | None = None,
        profile_reason: str = "",
    ) -> None:
        self.path = path
        self.profile = profile
        # Where the profile came from (one of PROFILE_SOURCES), and that said in words:
        # "the config glob 'docs/rollouts/*.md'". A profile nobody sees is a surprise.
        self.profile_source = profile_source
        self.profile_reason = profile_reason
        self.violations: list[Violation] = [] if violations is None else violations
        self.lines = lines
        self.consulted = consulted
        self.masked = masked

    def _fields(self) -> tuple[object, ...]:
        return (
            self.path,
            self.profile,
            self.profile_source,
            self.profile_reason,
            self.violations,
            self.lines,
            self.consulted,
        )

    def __eq__(self, other: object) -> bool:
        return type(other) is FileResult and self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it was

    def __repr__(self) -> str:
        return (
            f"FileResult(path={self.path!r}, profile={self.profile!r}, "
            f"violations={self.violations!r})"
        )
