"""Which build of planlint is running: the pure-Python one, or the optional compiled core
(``PLANLINT_COMPILE=1 pip install .``, which compiles the Markdown parser's hot modules with
mypyc). ``planlint --version`` says which."""

from __future__ import annotations

import sys
from importlib.machinery import PathFinder
from pathlib import Path

# The module every compiled build compiles: when it is an extension module, the build is compiled.
PROBE = "planlint.markdown.lexer"


def probe_file() -> str:
    """The file ``planlint.markdown.lexer`` is (or would be) loaded from. Found without importing
    it when it is not loaded yet: the lexer brings Lark in, which ``--version`` has no use for."""
    module = sys.modules.get(PROBE)
    if module is not None:
        return getattr(module, "__file__", None) or ""
    folder = Path(__file__).resolve().parent.parent / "markdown"
    spec = PathFinder.find_spec(PROBE, [str(folder)])
    return (spec.origin or "") if spec is not None else ""


def is_compiled() -> bool:
    return probe_file().endswith((".so", ".pyd"))


def build_name() -> str:
    """``"compiled"`` or ``"pure Python"``."""
    return "compiled" if is_compiled() else "pure Python"
