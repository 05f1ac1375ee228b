"""The options models of the check kinds: what a pack may write under a rule's ``options:``.

They live apart from the checks because they need pydantic: they validate a pack when it is
loaded, and a run whose rules come from the rules cache never loads them. A check reads its
options through their fields only, so the frozen copy the engine keeps (``planlint.core.frozen``)
serves it the same.
"""

from __future__ import annotations

import importlib

from pydantic import BaseModel, ConfigDict

from planlint.engine.check_api import CheckKind


class NoOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")


def options_model(kind: CheckKind) -> type[BaseModel]:
    """The model that validates ``kind``'s options."""
    if kind.options is None:
        return NoOptions
    module, _, name = kind.options.rpartition(".")
    model = getattr(importlib.import_module(f"planlint.engine.options.{module}"), name)
    assert isinstance(model, type) and issubclass(model, BaseModel), kind.options
    return model
