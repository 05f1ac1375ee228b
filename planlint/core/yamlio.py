"""YAML reading with positions, so that every complaint can name a file and a line."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NamedTuple

from planlint.core.errors import LocatedError
from planlint.core.frozen import lazy_pattern

if TYPE_CHECKING:  # imported where used: `YamlProblem` alone must not load either
    from pydantic import ValidationError
    from pydantic_core import ErrorDetails


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


class FieldError(NamedTuple):
    """One validation error in our words, at the keys the user wrote."""

    path: tuple[int | str, ...]  # no pydantic union tags ("RuleConfig", "literal[...]")
    kind: str  # pydantic's error type: "list_type", "extra_forbidden", …
    message: str  # without the path: "must be a list (got 'PL402')"
    value: Any  # what the user wrote there


def validation_problems(
    error: ValidationError,
    data: Any,
    offset: int = 0,
    prefix: Sequence[int | str] = (),
    schema: str | None = None,
) -> list[YamlProblem]:
    """pydantic's errors as readable problems positioned in the YAML (``offset`` adds lines);
    ``schema`` names the ``planlint schema`` that lists the allowed keys."""
    result = []
    for found in field_errors(error, data):
        line, column = position(data, [*prefix, *found.path])
        where = ".".join(str(part) for part in found.path) or "top level"
        message = found.message
        if found.kind == "extra_forbidden":
            listed = f"`planlint schema {schema}` lists the allowed keys" if schema else ""
            message = f"unknown key (check its spelling{'; ' + listed if listed else ''})"
        result.append(YamlProblem(f"{where}: {message}", line + offset, column))
    return result


def field_errors(error: ValidationError, data: Any) -> list[FieldError]:
    """pydantic's errors in our words, each at the path the user wrote. Where a value fits no
    alternative of a union, the alternatives become one error ("must be text or a list"); where
    it has the shape of one, only that alternative's errors count."""
    located = [
        _Located(*_user_path(item["loc"], data, item["type"]), item) for item in error.errors()
    ]
    return _resolve(located, 0)


class _Located(NamedTuple):
    path: tuple[int | str, ...]
    unions: tuple[
        tuple[int | str, ...], ...
    ]  # where each union it went through is, outermost first
    item: ErrorDetails


def _resolve(located: list[_Located], depth: int) -> list[FieldError]:
    """The errors that share their first ``depth`` unions, unions below resolved in turn, in
    pydantic's order. Unions nest as deep as the models do: a few levels."""
    result: list[FieldError | tuple[int | str, ...]] = []  # a union's place, kept in order
    unions: dict[tuple[int | str, ...], list[_Located]] = {}
    for found in located:
        if len(found.unions) <= depth:
            item = found.item
            result.append(FieldError(found.path, item["type"], plain_message(item), item["input"]))
            continue
        where = found.unions[depth]
        if where not in unions:
            unions[where] = []
            result.append(where)
        unions[where].append(found)
    return [
        error
        for entry in result
        for error in (
            [entry] if isinstance(entry, FieldError) else _union(entry, unions[entry], depth)
        )
    ]


def _union(
    where: tuple[int | str, ...], alternatives: list[_Located], depth: int
) -> list[FieldError]:
    inside = [found for found in alternatives if len(found.path) > len(where)]
    if inside:  # the value has one alternative's shape: its own errors say what is wrong
        return _resolve(inside, depth + 1)
    first = alternatives[0].item
    wanted = " or ".join(dict.fromkeys(_expected(found.item) for found in alternatives))
    message = f"must be {wanted} (got {describe_value(first['input'])})"
    return [FieldError(where, "union", message, first["input"])]


# pydantic's tags for the alternatives of a union: a model's class name, "literal[…]",
# "list[str]", "function-after[…]", a type's name ("str", "datetime")
_UNION_TAG = lazy_pattern(
    r"^(?:[A-Z][A-Za-z0-9]*|[a-z][a-z0-9_-]*\[.*\]|str|int|float|bool|none|list|dict|set"
    r"|tuple|frozenset|bytes|date|datetime|time|timedelta|decimal|any)$"
)


def _user_path(
    loc: Sequence[int | str], data: Any, kind: str
) -> tuple[tuple[int | str, ...], tuple[tuple[int | str, ...], ...]]:
    """``loc`` without union tags (a tag names no key of the data at that point), and where
    each union it went through is."""
    path: list[int | str] = []
    unions: list[tuple[int | str, ...]] = []
    node = data
    for index, part in enumerate(loc):
        present = _child(node, part)
        named_here = index == len(loc) - 1 and kind in ("missing", "extra_forbidden")
        if present is _ABSENT and not named_here and _is_union_tag(part):
            unions.append(tuple(path))
            continue
        path.append(part)
        node = None if present is _ABSENT else present
    return tuple(path), tuple(unions)


_ABSENT = object()


def _is_union_tag(part: int | str) -> bool:
    return isinstance(part, str) and _UNION_TAG.match(part) is not None


def _child(node: Any, part: int | str) -> Any:
    if isinstance(node, dict) and part in node:
        return node[part]
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return _ABSENT


_EXPECTED = {
    "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values",
    "model_attributes_type": "a mapping of keys to values",
    "list_type": "a list",
    "tuple_type": "a list",
    "set_type": "a list",
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
}


def _expected(item: ErrorDetails) -> str:
    """What the value should have been, in words: "a list", "one of error, warning, info"."""
    if item["type"] in _EXPECTED:
        return _EXPECTED[item["type"]]
    if item["type"] == "literal_error":
        return f"one of {', '.join(literal_choices(item))}"
    return _PYDANTIC_SUBJECT.sub("", item["msg"]).removeprefix("be ")


def literal_choices(item: ErrorDetails) -> list[str]:
    """The values a ``Literal`` allows, from pydantic's "'a', 'b' or 'c'"."""
    expected = str((item.get("ctx") or {}).get("expected", ""))
    return re.findall(r"'([^']*)'", expected) or [expected]


_PYDANTIC_SUBJECT = lazy_pattern(r"^(?:Input|String|List|Value|Dictionary|Tuple|Set) should ")


def plain_message(item: ErrorDetails) -> str:
    """One pydantic error in our words, without its path: what was expected, and what was
    there; never a class name or "Input should be"."""
    kind = item["type"]
    ctx = item.get("ctx") or {}
    if kind in _EXPECTED or kind == "literal_error":
        return f"must be {_expected(item)} (got {describe_value(item['input'])})"
    if kind == "missing":
        return "is required, but missing"
    if kind == "extra_forbidden":
        return "unknown key"
    if kind in ("too_short", "string_too_short"):
        least = ctx.get("min_length", 1)
        return "must not be empty" if least == 1 else f"must have at least {least} items"
    if kind == "string_pattern_mismatch":
        return f"{describe_value(item['input'])} does not match the pattern {ctx.get('pattern')}"
    if kind in ("value_error", "assertion_error") and "error" in ctx:
        return str(ctx["error"])  # our own validators' words
    if item["msg"].startswith("Input should be "):  # "a valid regular expression", …
        wanted = item["msg"].removeprefix("Input should ")
        return f"must {wanted} (got {describe_value(item['input'])})"
    return _PYDANTIC_SUBJECT.sub("must ", item["msg"])


def describe_value(value: Any) -> str:
    """A value as the user wrote it, briefly: "'loud'", "a list", "true"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:39] + "…"
