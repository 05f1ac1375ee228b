"""What a check kind is written against: the context it reads, the findings it returns, and
the record that names it. The table of kinds is ``planlint.engine.kinds``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from planlint.core.results import Fix, Severity
from planlint.engine.outline import Outline
from planlint.facts.plan import Facts
from planlint.markdown.nodes import Block, Document, Section, walk_blocks

BUILTIN = "builtin"  # the check kind of the rules the engine reports itself


class Finding(NamedTuple):
    """What a check found. ``args`` fill the rule's message template."""

    line: int
    column: int
    end_line: int
    end_column: int
    args: Mapping[str, object] = MappingProxyType({})  # read-only: shared by every finding
    severity: Severity | None = None  # a check may lower a rule's severity (an emergency)
    hint: str | None = None
    fix: Fix | None = None  # a repair that --fix, the JSON/SARIF edits and the LSP can apply


class CheckContext:
    """What a check reads: the plan, its facts and outline, and the sections of its scope."""

    __slots__ = ("consulted", "document", "facts", "outline", "path", "scope")

    def __init__(
        self,
        document: Document,
        facts: Facts,
        outline: Outline,
        path: Path | None,
        scope: list[Section],  # the sections of the rule's scope; the whole plan when it has none
        consulted: set[Path],  # other files a check looked at: the result cache watches them
    ) -> None:
        self.document = document
        self.facts = facts
        self.outline = outline
        self.path = path
        self.scope = scope
        self.consulted = consulted

    def scope_blocks(self) -> list[Block]:
        if self.scope:
            return list(self.scope)
        return self.document.body()

    def scope_walk(self) -> list[Block]:
        """Every block of the scope in document order: the plan's own, kept walk when the
        check is not scoped."""
        if self.scope:
            return list(walk_blocks(list(self.scope)))
        return self.document.body_blocks()


CheckFunction = Callable[[CheckContext, Any], Iterable[Finding]]


class CheckKind(NamedTuple):
    name: str
    function: CheckFunction
    # Where its options model is, "module.Class" in planlint.engine.options (None: it takes
    # none). Named, not imported: the models need pydantic, which linting with rules loaded
    # from the rules cache never imports.
    options: str | None
    scoped: bool  # needs a scope section; silent when the plan lacks it


def at_block(document: Document, block: Block, **args: object) -> Finding:
    """A finding that underlines the first line of a block (a heading, a list, a paragraph)."""
    line = block.start_line
    end_column = max(len(document.lines[line - 1]) + 1, block.start_column + 1)
    return Finding(line, block.start_column, line, end_column, args)
