"""The usual front matter, read without pydantic.

Most front matter holds a few keys of plain text (``profile: rollout-plan``). Those are read
here, as the model would read them, so that linting such a plan needs no pydantic; anything
else (a window given as a mapping, a number, a YAML error) goes to ``FrontMatterData``, which
validates it and explains what is wrong.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from planlint.core.frozen import Frozen

if TYPE_CHECKING:
    from planlint.facts.frontmatter import FrontMatterData

KEYS = ("profile", "environment", "risk", "change_type", "window", "timezone", "flag", "owner")


def quick_front_matter(text: str) -> FrontMatterData | None:
    """The front matter's known keys when each holds text or nothing; None otherwise."""
    from planlint.core.yamlio import load_yaml_quick
    from planlint.facts.frontmatter_keys import canonical_keys

    try:
        data = load_yaml_quick(text)
    except Exception:  # any problem at all: the model's path reports it, located
        return None
    if data is None:
        data = {}
    if not isinstance(data, dict) or not all(type(key) is str for key in data):
        return None
    data = canonical_keys(data)
    values = {key: data.get(key) for key in KEYS}
    if not all(value is None or type(value) is str for value in values.values()):
        return None
    return cast("FrontMatterData", Frozen(values))  # the model's fields, read the same
