"""The check kinds, one small module per family; importing this package registers them all."""

from planlint.engine.checks import context, prose, structure, windows

__all__ = ["context", "prose", "structure", "windows"]
