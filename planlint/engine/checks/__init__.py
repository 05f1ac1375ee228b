"""The check kinds, one small module per family; importing this package registers them all."""

from planlint.engine.checks import (
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

__all__ = [
    "context",
    "coverage",
    "deploy",
    "prose",
    "references",
    "rollout",
    "secrets",
    "structure",
    "windows",
]
