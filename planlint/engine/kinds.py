"""The table of check kinds: every ``check:`` name a pack may use, and the function behind it.

Each module in ``planlint.engine.checks`` lists the kinds it provides in its ``KINDS``; this
table gathers them explicitly, so nothing registers itself on import and the check modules
never import back from here. Code outside planlint (a test, a plugin) adds a kind with
``register``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from planlint.engine.check_api import BUILTIN, CheckContext, CheckKind, Finding
from planlint.engine.checks import (
    answers,
    context,
    coverage,
    deploy,
    prose,
    references,
    rollout,
    secrets,
    structure,
    windows,
)


def _builtin(ctx: CheckContext, options: object) -> Iterable[Finding]:
    """Rules the engine reports itself (unreadable file, unknown profile): nothing to run."""
    return ()


_TABLE: dict[str, CheckKind] = {
    kind.name: kind
    for kind in (
        CheckKind(BUILTIN, _builtin, None, scoped=False),
        *answers.KINDS,
        *context.KINDS,
        *coverage.KINDS,
        *deploy.KINDS,
        *prose.KINDS,
        *references.KINDS,
        *rollout.KINDS,
        *secrets.KINDS,
        *structure.KINDS,
        *windows.KINDS,
    )
}


def check_kinds() -> Mapping[str, CheckKind]:
    """Every known check kind by name."""
    return _TABLE


def register(kind: CheckKind) -> None:
    """Add a check kind from outside planlint's own table; its name must be new."""
    if kind.name in _TABLE:
        raise ValueError(f"check kind {kind.name!r} is already defined")
    _TABLE[kind.name] = kind
