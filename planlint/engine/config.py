"""Configuration: ``.planlint.yaml`` or ``[tool.planlint]`` in ``pyproject.toml``.

Found by walking up from the working directory; paths and globs in it are relative to the
file's own directory. The models are the config format's contract (``schemas/config.schema.json``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from planlint.core.paths import CONFIG_NAMES, find_config
from planlint.core.yamlio import YamlProblem, load_yaml, load_yaml_quick, validation_problems
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
        from planlint.core.yamlio import position

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
        raise PackError(path, 1, "the config must be a mapping of keys to values")
    try:
        config = Config.model_validate(data)
    except ValidationError as error:
        problem = validation_problems(error, data)[0]
        line = problem.line
        if path.suffix == ".toml":
            first = error.errors()[0]["loc"]
            line = _toml_line(path, str(first[-1]) if first else "")
        raise PackError(path, line, problem.message) from None
    return LoadedConfig(config=config, path=path, data=data)


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
