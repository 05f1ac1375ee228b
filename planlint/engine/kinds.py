"""The table of check kinds: every ``check:`` name a pack may use, and the function behind it.

Each module in ``planlint.engine.checks`` lists the kinds it provides in its ``KINDS``; this
table gathers them explicitly, so nothing registers itself on import and the check modules
never import back from here. Code outside planlint (a test, a plugin) adds a kind with
``register``.
"""

from __future__ import annotations

import ast
import functools
import inspect
import sys
from collections.abc import Iterable, Mapping

from planlint.engine.check_api import BUILTIN, CheckContext, CheckKind, Finding
from planlint.engine.checks import (
    answers,
    calendar,
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
        *calendar.KINDS,
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


@functools.cache
def placeholders(kind_name: str) -> frozenset[str] | None:
    """The ``{names}`` a kind's findings may fill in a message: every keyword and every string
    key of a dict literal in the calls of the module that defines the kind (a superset, read
    from the source, so that a new finding argument needs no list kept by hand). None when the
    source cannot be read (a kind registered from elsewhere): then nothing is checked."""
    kind = _TABLE.get(kind_name)
    if kind is None or kind.name == BUILTIN or not kind.function.__module__.startswith("planlint."):
        return None  # the engine words its own findings; another's kind is its author's
    try:
        tree = ast.parse(inspect.getsource(sys.modules[kind.function.__module__]))
    except (OSError, TypeError, KeyError, SyntaxError):
        return None
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            names.update(keyword.arg for keyword in node.keywords if keyword.arg)
        elif isinstance(node, ast.Dict):
            names.update(
                k.value
                for k in node.keys
                if isinstance(k, ast.Constant) and isinstance(k.value, str)
            )
    return frozenset(names)


def register(kind: CheckKind) -> None:
    """Add a check kind from outside planlint's own table; its name must be new."""
    if kind.name in _TABLE:
        raise ValueError(f"check kind {kind.name!r} is already defined")
    _TABLE[kind.name] = kind
