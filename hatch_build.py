"""The optional compiled core: the wheel's build hook, off unless ``PLANLINT_COMPILE=1``.

``pip install .`` builds the pure-Python wheel, as always. ``PLANLINT_COMPILE=1 pip install .``
compiles the Markdown parser's hot modules with mypyc (through hatch-mypyc, fetched into the
build environment only then, with mypy and planlint's own dependencies, which mypy reads to
type the code it compiles). The wheel then holds both the extension modules and the Python
sources beside them; Python imports the extension first. ``planlint --version`` says which
build is running.

The extension modules are built in the source tree (mypyc's ``--inplace``) and removed again
once they are in the wheel, so that the tree and the next pure build stay pure.
"""

from __future__ import annotations

import os
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

ENABLE = "PLANLINT_COMPILE"

# What the compiled build compiles: the Markdown parser's hot path. Anything else stays Python.
COMPILED = [
    "planlint/core/source.py",
    "planlint/markdown/headings.py",
    "planlint/markdown/inline.py",
    "planlint/markdown/lexer.py",
    "planlint/markdown/nodes.py",
]


def wanted() -> bool:
    return os.environ.get(ENABLE, "").strip().lower() in {"1", "true", "yes", "on"}


class CompiledCore(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._mypyc: Any = None

    def dependencies(self) -> list[str]:
        if not wanted():
            return []
        return [
            "hatch-mypyc>=0.16",
            "mypy>=1.10",
            "setuptools>=68",
            *self.metadata.core.dependencies,
        ]

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if not wanted() or self.target_name != "wheel":
            return
        if version == "editable":
            raise RuntimeError(
                f"{ENABLE}=1 builds a regular wheel only: an editable install cannot use the "
                f"compiled modules (install with `{ENABLE}=1 pip install .`, without -e)"
            )
        from hatch_mypyc.plugin import MypycBuildHook

        config = {"include": COMPILED, "mypy-args": ["--ignore-missing-imports"]}
        self._mypyc = MypycBuildHook(
            self.root,
            config,
            self.build_config,
            self.metadata,
            self.directory,
            self.target_name,
            self.app,
        )
        self.app.display_info(f"{ENABLE}: compiling {len(COMPILED)} modules with mypyc")
        self._mypyc.initialize(version, build_data)

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if self._mypyc is not None:
            self._mypyc.clean([version])  # in the wheel now: the source tree stays pure
