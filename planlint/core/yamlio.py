"""YAML reading with positions, so that every complaint can name a file and a line."""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from planlint.core.errors import LocatedError

if TYPE_CHECKING:  # imported where used: `YamlProblem` alone must not load either
    from pydantic import ValidationError


class YamlProblem(LocatedError):
    """A YAML text that cannot be read or does not fit its model."""


@contextmanager
def _quiet() -> Iterator[None]:
    """ruamel *warns* about some valid YAML (an anchor defined twice: the later one counts) by
    printing a Python warning with its own source line; a linter's output must not carry it."""
    from ruamel.yaml.error import YAMLWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", YAMLWarning)
        yield


def load_yaml(text: str) -> Any:
    """Parse YAML safely (no arbitrary objects); syntax errors become ``YamlProblem``."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt", pure=True)  # round-trip nodes remember their line numbers
    yaml.allow_duplicate_keys = False
    try:
        with _quiet():
            return yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        what = error.problem or error.context or "invalid YAML"
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlProblem(f"invalid YAML: {what}", line, column) from None
    except (YAMLError, ValueError, OverflowError, TypeError, RecursionError) as error:
        # ruamel builds Python objects while parsing: "2021-13-01" raises ValueError and a
        # mapping used as a key ("[[]]: x") raises TypeError, not a YAML error.
        raise YamlProblem(f"invalid YAML: {error}") from None


def load_yaml_quick(text: str) -> Any:
    """Parse YAML without positions, with ruamel's C parser when ``ruamel.yaml.clib`` is there.

    Many times faster than ``load_yaml``; callers use it for the common case and fall back to
    ``load_yaml`` for a located message when this raises or the data does not validate.
    """
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe")
    yaml.allow_duplicate_keys = False
    with _quiet():
        return yaml.load(text)


def position(data: Any, path: Sequence[int | str]) -> tuple[int, int]:
    """The 1-based (line, column) of the value at ``path`` in loaded YAML, as near as known."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    line, column = 1, 1
    node = data
    for key in path:
        if isinstance(node, CommentedMap) and key in node:
            found = node.lc.key(key)
            line, column = found[0] + 1, found[1] + 1
            node = node[key]
        elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
            found = node.lc.item(key)
            line, column = found[0] + 1, found[1] + 1
            node = node[key]
        else:
            if hasattr(node, "lc") and line == 1:
                line, column = node.lc.line + 1, node.lc.col + 1
            break
    return line, column


def validation_problems(
    error: ValidationError, data: Any, offset: int = 0, prefix: Sequence[int | str] = ()
) -> list[YamlProblem]:
    """pydantic's errors as readable problems positioned in the YAML (``offset`` adds lines)."""
    result = []
    for item in error.errors():
        path = [*prefix, *(part for part in item["loc"] if isinstance(part, (int, str)))]
        line, column = position(data, path)
        where = ".".join(str(part) for part in item["loc"]) or "top level"
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown key (check its spelling; `planlint schema` lists the allowed keys)"
        result.append(YamlProblem(f"{where}: {message}", line + offset, column))
    return result
