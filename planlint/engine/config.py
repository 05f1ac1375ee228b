"""Configuration: ``.planlint.yaml`` or ``[tool.planlint]`` in ``pyproject.toml``.

Found by walking up from the working directory; paths and globs in it are relative to the
file's own directory. The models are the config format's contract (``schemas/config.schema.json``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from planlint.core.paths import CONFIG_NAMES, find_config
from planlint.core.yamlio import (
    FieldError,
    YamlProblem,
    describe_value,
    field_errors,
    load_yaml,
    load_yaml_quick,
    position,
)
from planlint.engine.calendar_config import CalendarConfig
from planlint.engine.packs import PackError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["CONFIG_NAMES", "Config", "LoadedConfig", "RuleConfig", "find_config", "load_config"]

SeverityOrOff = Literal["error", "warning", "info", "off"]


class RuleConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    severity: SeverityOrOff | None = None
    options: dict[str, Any] = Field(default_factory=dict, description="Merged over the pack's.")


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")
    profiles: dict[str, str] = Field(
        default_factory=dict, description="Glob → profile, e.g. 'docs/rollouts/deploy-*.md'."
    )
    packs: list[str] = Field(default_factory=list, description="Extra policy packs to load.")
    exclude: list[str] = Field(default_factory=list, description="Globs of files to skip.")
    select: list[str] | None = Field(
        None, min_length=1, description="Only these rules (names or codes); never empty."
    )
    ignore: list[str] = Field(default_factory=list, description="Never these rules.")
    fail_on: Literal["error", "warning", "info"] | None = None
    rules: dict[str, RuleConfig | SeverityOrOff] = Field(
        default_factory=dict, description="Per rule: a severity or 'off', or {severity, options}."
    )
    calendar: CalendarConfig | None = Field(
        None,
        description="The change calendar: freeze calendars, the team's zones and the other "
        "plans, to check windows across plans.",
    )

    @field_validator("select", "ignore", mode="before")
    @classmethod
    def _names_as_list(cls, value: object) -> object:
        """``ignore: PL402`` is a list of one, as ruff and yamllint users expect, and
        ``ignore: PL402, PL101`` a list of two, as on the command line (``--ignore``)."""
        if isinstance(value, str):
            return [name.strip() for name in value.split(",") if name.strip()]
        return value

    @field_validator("packs", "exclude", mode="before")
    @classmethod
    def _one_as_list(cls, value: object) -> object:
        """``exclude: drafts/**`` is a list of one (a glob or path may hold a comma)."""
        return [value] if isinstance(value, str) else value

    def rule(self, name: str, code: str) -> RuleConfig:
        entry = self.rules.get(name, self.rules.get(code))
        if isinstance(entry, str):
            return RuleConfig(severity=entry)
        return entry or RuleConfig()


class LoadedConfig(BaseModel):
    config: Config = Config()
    path: Path | None = None
    data: Any = None  # the raw document, for positions in later errors

    @property
    def root(self) -> Path:
        return self.path.parent if self.path is not None else Path.cwd()

    def line_of(self, *keys: str | int) -> int:
        if self.path is not None and self.path.suffix == ".toml":
            names = [key for key in keys if isinstance(key, str)]
            return _toml_line(self.path, names[-1]) if names else 1
        if self.path is None:
            return 1
        try:  # errors only: read again, this time keeping positions
            data = load_yaml(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, YamlProblem):
            return 1
        return position(data, list(keys))[0]


def load_config(path: Path | None) -> LoadedConfig:
    if path is None:
        return LoadedConfig()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PackError(path, 1, f"cannot read the config: {error}") from None
    if path.suffix == ".toml":
        try:
            data = tomllib.loads(text).get("tool", {}).get("planlint", {})
        except tomllib.TOMLDecodeError as error:
            raise PackError(path, getattr(error, "lineno", 1), f"invalid TOML: {error}") from None
        except (ValueError, RecursionError) as error:  # a 5,000-digit integer, deep nesting
            raise PackError(path, 1, f"invalid TOML: {error}") from None
    else:
        try:  # the C parser first; the positions of the slow one only when something is wrong
            data = load_yaml_quick(text) or {}
            Config.model_validate(data)
        except Exception:
            try:
                data = load_yaml(text) or {}
            except YamlProblem as bad_yaml:
                raise PackError(path, bad_yaml.line, bad_yaml.message) from None
    if not isinstance(data, dict):
        raise PackError(
            path, 1, "the config must be a mapping of keys to values, e.g. ignore: [PL402]"
        )
    try:
        config = Config.model_validate(data)
    except ValidationError as error:
        raise config_error(path, error, data) from None
    return LoadedConfig(config=config, path=path, data=data)


# What each key holds, in words, and an example in each of the two config formats: a wrong
# value is answered with them.
_SHAPES: dict[str, tuple[str, str, str]] = {
    "profiles": (
        "a mapping of globs to profile names",
        "profiles: {'docs/rollouts/*.md': rollout-plan}",
        'profiles = { "docs/rollouts/*.md" = "rollout-plan" }',
    ),
    "packs": ("a list of pack files", "packs: [policy/team.yaml]", 'packs = ["policy/team.yaml"]'),
    "exclude": ("a list of globs", "exclude: ['drafts/**']", 'exclude = ["drafts/**"]'),
    "select": (
        "a list of rule names or codes",
        "select: [PL101, missing-section]",
        'select = ["PL101", "missing-section"]',
    ),
    "ignore": ("a list of rule names or codes", "ignore: [PL402]", 'ignore = ["PL402"]'),
    "rules": (
        "a mapping of rule names or codes to a severity or to severity: and options:",
        "rules: {empty-section: warning}",
        'rules = { empty-section = "warning" }',
    ),
}
_RULE_ENTRY = (
    "a severity (error, warning, info or off) or a mapping of severity: and options:",
    "empty-section: warning",
    'empty-section = "warning"',
)
_SEVERITIES = "error, warning, info, off"


def config_error(path: Path, error: ValidationError, data: Any) -> PackError:
    """The first problem of a config that does not validate, in our words: the file, the line,
    the key path as written (``rules.empty-section``), what was expected and what was there."""
    found = field_errors(error, data)[0]
    toml = path.suffix == ".toml"
    where = _key_path(found.path)
    message = f"{where}: {_explain(found, toml)}"
    if toml:
        keys = [part for part in found.path if isinstance(part, str)]
        return PackError(path, _toml_line(path, keys[-1] if keys else ""), message)
    return PackError(path, position(data, list(found.path))[0], message)


def _key_path(path: tuple[int | str, ...]) -> str:
    """The keys as the user wrote them: ``rules.empty-section``; an item of a list, or a glob of
    ``profiles:`` (which may hold dots), is named in the message instead."""
    if path and path[0] in ("profiles", *_LISTS):
        return str(path[0])
    return ".".join(str(part) for part in path) or "top level"


_LISTS = ("packs", "exclude", "select", "ignore")


def _explain(found: FieldError, toml: bool) -> str:
    path = found.path
    if found.kind == "extra_forbidden":
        return _unknown_key(path)
    if not path:
        return f"{found.message}; the config is a mapping of keys to values"
    key = str(path[0])
    if key == "rules" and len(path) >= 2:
        return _explain_rule(found, toml)
    if key == "select" and found.kind == "too_short":
        return "must name at least one rule; leave select: out to run every rule"
    if key == "profiles" and len(path) == 2:
        got = describe_value(found.value)
        return f"{path[1]!r} must map to a profile name (got {got}), e.g. {_example(key, toml)}"
    if key in _SHAPES and found.kind not in ("missing", "too_short"):
        what = _SHAPES[key][0]
        got = describe_value(found.value)
        item = f"item {int(path[1]) + 1} is {got}" if len(path) > 1 else f"got {got}"
        return f"must be {what}, e.g. {_example(key, toml)} ({item})"
    return found.message


def _explain_rule(found: FieldError, toml: bool) -> str:
    """``rules.NAME``: a severity, or a mapping of severity: and options:."""
    got = describe_value(found.value)
    if len(found.path) == 2:
        example = _RULE_ENTRY[2 if toml else 1]
        return f"must be {_RULE_ENTRY[0]}, e.g. {example} (got {got})"
    if found.path[2] == "severity":
        return f"must be one of {_SEVERITIES} (got {got})"
    if found.path[2] == "options" and len(found.path) == 3:
        return (
            f"must be a mapping of option names to values, as under the rule's options: in "
            f"its pack (got {got})"
        )
    return found.message


def _example(key: str, toml: bool) -> str:
    return _SHAPES[key][2 if toml else 1]


def _unknown_key(path: tuple[int | str, ...]) -> str:
    """An unknown key: the closest known one, and the command that lists them all."""
    import difflib

    nested = len(path) == 3 and path[0] == "rules"
    known = list(RuleConfig.model_fields if nested else Config.model_fields)
    close = difflib.get_close_matches(str(path[-1]), known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    if nested:
        return f"unknown key{hint}; a rule takes severity: and options:"
    return (
        f"unknown key{hint}; the keys are {', '.join(known)} "
        "(`planlint schema config` prints the schema)"
    )


def _toml_line(path: Path, key: str) -> int:
    """TOML parsers give no positions; find the key's line by its text instead."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    in_table = False
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_table = stripped.startswith("[tool.planlint")
        if in_table and key and stripped.lstrip("\"'").startswith(key):
            return number
    return 1
