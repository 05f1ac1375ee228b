"""Lark parsers that load their analysed grammar from disk instead of rebuilding it.

Building an LALR table costs more than the rest of a one-file run; Lark can save the result
(``cache=``) and load it in a fraction of the time. The file goes in the user's cache folder
(``$XDG_CACHE_HOME/planlint``, usually ``~/.cache/planlint``), named by Lark after the grammar
and its options, so a changed grammar never meets a stale table. Where that folder cannot be
written, Lark builds the table in memory as before; a damaged file is rebuilt by Lark.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

from lark import Lark
from lark import __version__ as lark_version

from planlint import __version__
from planlint.core.paths import user_cache_dir


def cached_lark(grammar: str, **options: Any) -> Lark:
    return Lark(grammar, cache=_cache_file(grammar, options), **options)


def _stable(value: Any) -> str:
    """A transformer's repr holds its address; its class names it for every run alike."""
    if isinstance(value, (str, int, float, bool, list, tuple)) or value is None:
        return repr(value)
    kind = value if isinstance(value, type) else type(value)
    return f"{kind.__module__}.{kind.__qualname__}"


def _cache_file(grammar: str, options: dict[str, Any]) -> str | bool:
    if os.environ.get("PLANLINT_NO_GRAMMAR_CACHE"):
        return False
    folder = user_cache_dir()
    if folder is None:
        return False
    settings = sorted((name, _stable(value)) for name, value in options.items())
    key = f"{__version__}|{lark_version}|{grammar}|{settings}"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]
    return str(folder / f"grammar-{digest}.lark.pickle")
