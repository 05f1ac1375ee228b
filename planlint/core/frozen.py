"""Validated models as plain, picklable data: what linting reads, with no pydantic behind it.

Packs and options are validated once, by pydantic; linting only reads their fields. ``freeze``
copies a validated model into ``Frozen`` objects with the same attribute names, so the rules
can be saved to the rules cache and loaded by a later run that never imports pydantic.
Patterns become ``LazyPattern``: a saved rule keeps its pattern's text, and a loaded one
compiles it on first use, so a run compiles only the patterns it searches with.
"""

from __future__ import annotations

import re
from typing import Any, cast

from planlint.core.regexcache import compile_pattern, is_linear


class Frozen:
    """A validated model's fields as read-only attributes."""

    def __init__(self, fields: dict[str, Any]) -> None:
        self.__dict__.update(fields)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in self.__dict__.items())
        return f"Frozen({fields})"


class LazyPattern:
    """A compiled pattern's stand-in that compiles on first use and pickles as its text.

    Once compiled, the pattern's methods are kept on the instance, so later calls cost what a
    call on the pattern itself costs.
    """

    def __init__(self, pattern: str, flags: int, compiled: re.Pattern[str] | None = None) -> None:
        self.pattern = pattern
        self.flags = flags
        if compiled is not None:
            self._keep(compiled)

    def __getattr__(self, name: str) -> Any:  # only for what is not set yet: the first use
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self._keep(compile_pattern(self.pattern, self.flags)), name)

    def _keep(self, compiled: re.Pattern[str]) -> re.Pattern[str]:
        for method in ("search", "match", "fullmatch", "finditer", "findall", "sub", "split"):
            self.__dict__[method] = getattr(compiled, method)
        self.__dict__["groupindex"] = compiled.groupindex
        self.__dict__["groups"] = compiled.groups
        return compiled

    def __reduce__(self) -> tuple[type[LazyPattern], tuple[str, int]]:
        return (LazyPattern, (self.pattern, self.flags))

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self.flags})"


def lazy_pattern(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile`` on first use: for module-level patterns that a run may never need, so
    that importing their module costs nothing."""
    return cast("re.Pattern[str]", LazyPattern(pattern, flags))


def freeze(value: Any) -> Any:
    """``value`` with every pydantic model in it made ``Frozen`` and every pattern lazy."""
    fields = getattr(type(value), "__pydantic_fields__", None)
    if fields is not None:
        return Frozen({name: freeze(getattr(value, name)) for name in fields})
    if isinstance(value, list):
        return [freeze(item) for item in value]
    if isinstance(value, tuple):
        return tuple(freeze(item) for item in value)
    if isinstance(value, dict):
        return {key: freeze(item) for key, item in value.items()}
    if isinstance(value, re.Pattern):
        # A repository's pattern, compiled by pydantic with Python's engine, is compiled again
        # on first use, on the linear-time one (``planlint.core.linear``).
        kept = None if is_linear(value.pattern) else value
        return LazyPattern(value.pattern, value.flags, kept)
    return value
