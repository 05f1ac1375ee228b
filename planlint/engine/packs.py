"""Policy packs: YAML files that declare a profile (a kind of plan) and the rules that apply.

The models here are the pack format's contract; ``schemas/pack.schema.json`` is generated from
them. Loading validates each pack once and turns every problem into ``PackError`` naming the
file and line.
"""

from __future__ import annotations

import functools
import stat
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from planlint.core.resources import bundled_packs, rules_dir
from planlint.core.yamlio import (
    YamlProblem,
    load_yaml,
    load_yaml_quick,
    position,
    validation_problems,
)
from planlint.engine.conditions import BUILTIN_FACTS, Condition

SeverityName = Literal["error", "warning", "info"]

_NAME = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$"
_CODE = r"^[A-Z]{2,4}[0-9]{3}$"


class PackError(Exception):
    """A pack or config file that cannot be used: ``path:line: message``."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = str(path), line, message


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SectionSpec(Strict):
    id: str = Field(pattern=_NAME, description="Stable id that rules use as their scope.")
    title: str = Field(description="The canonical heading.")
    aliases: list[str] = Field(default_factory=list, description="Other accepted headings.")
    required: bool = True
    when: Condition | None = Field(None, description="Required only when these facts hold.")
    sections: list[SectionSpec] = Field(
        default_factory=list,
        description=(
            "Sections nested in this one, matched below its heading at any depth: by a heading, "
            "or by a list item or paragraph that opens with bold text (`* **Were upgrade and "
            "rollback tested?**`). A scope `id/*` is this section and all of them."
        ),
    )

    def walk(self) -> list[SectionSpec]:
        """This section and every section nested in it, parents first."""
        return [self, *(spec for child in self.sections for spec in child.walk())]


class FactSource(Strict):
    """Where a declared fact may be read; exactly one of ``front_matter``, ``label``, ``file``."""

    front_matter: str | None = Field(
        None, description="A front-matter key; dotted for a nested one (`release.stage`)."
    )
    label: str | None = Field(
        None, description='A label in the plan: "Stage: beta", or a "| Stage | beta |" row.'
    )
    file: str | None = Field(
        None,
        description=(
            "A YAML or JSON file, relative to the plan's folder: `{stem}.kep.yaml`, `kep.yaml`. "
            "{stem} is the plan's file name without its extension, {name} with it. Read only "
            "inside the repository, and only a regular file under 1 MB."
        ),
    )
    key: str | None = Field(None, description="With `file`: the key path in it (`stage`).")

    @model_validator(mode="after")
    def _one_place(self) -> FactSource:
        places = [p for p in (self.front_matter, self.label, self.file) if p is not None]
        if len(places) != 1:
            raise ValueError("a source has exactly one of front_matter:, label: or file:")
        if (self.file is None) != (self.key is None):
            raise ValueError("file: and key: go together")
        if self.file is not None and (
            self.file.startswith(("/", "~", "\\"))
            or ".." in self.file.replace("\\", "/").split("/")
        ):
            raise ValueError(f"file: {self.file!r} must be a path relative to the plan's folder")
        return self


class FactSpec(Strict):
    """A fact a pack reads from the plan or beside it, usable in ``when:`` and messages."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="How `when:` names it.")
    from_: list[FactSource] = Field(
        alias="from", min_length=1, description="Where to read it, first found wins."
    )
    default: str = Field("unknown", description="Its value when no source gives one.")

    @field_validator("name")
    @classmethod
    def _not_builtin(cls, name: str) -> str:
        if name in BUILTIN_FACTS:
            raise ValueError(f"{name!r} is a built-in fact: choose another name")
        return name


class SeverityWhen(Strict):
    when: Condition = Field(description="The facts that must hold.")
    severity: SeverityName


class Detect(Strict):
    min_sections: int = Field(3, ge=1, description="Headings that must match to recognise it.")
    context: list[str] = Field(
        default_factory=list,
        description="Context-block keys (e.g. NOTES, ENVIRONMENT) that recognise it on their own.",
    )


class ProfileSpec(Strict):
    name: str = Field(pattern=_NAME)
    title: str
    description: str = ""
    detect: Detect = Detect()
    sections: list[SectionSpec] = Field(min_length=1)

    @field_validator("sections")
    @classmethod
    def _unique_ids(cls, sections: list[SectionSpec]) -> list[SectionSpec]:
        seen: set[str] = set()
        for section in (spec for top in sections for spec in top.walk()):
            if section.id in seen:
                raise ValueError(f"section id {section.id!r} is declared twice")
            seen.add(section.id)
        return sections

    def all_sections(self) -> list[SectionSpec]:
        """Every section, nested ones too, parents first."""
        return [spec for top in self.sections for spec in top.walk()]


class RuleDocs(Strict):
    what: str = Field(description="What it does.")
    why: str = Field(description="Why it matters.")
    example: str = Field(description="A plan excerpt that triggers the rule.")
    fix: str = Field(description="How to fix it.")


class Expectation(Strict):
    """One violation a failing case expects, in reading order."""

    line: int = Field(ge=1)
    column: int | None = Field(None, ge=1)
    severity: SeverityName | None = None
    message: str | None = Field(None, description="Text the message must contain.")


class RuleCase(Strict):
    """A plan text that must break the rule (``fail:`` with ``expect:``) or pass it (``pass:``).

    ``planlint test-policy`` runs them; the same shape as the files in ``rules/cases/``.
    """

    model_config = ConfigDict(populate_by_name=True)

    name: str = Field(min_length=1)
    fail: str | None = Field(None, description="A plan text that breaks the rule.")
    pass_: str | None = Field(None, alias="pass", description="A plan text that passes it.")
    expect: list[Expectation] | None = Field(None, min_length=1)
    profile: str | None = Field(None, description="Lint as this profile (default: detect).")
    config: dict[str, Any] | None = Field(None, description="A planlint config for this case.")
    files: dict[str, str] | None = Field(
        None,
        description="Other files, by path relative to the repository root, with their text: "
        "the case is then linted as plan.md at the top of a temporary repository holding them.",
    )

    @field_validator("files")
    @classmethod
    def _inside(cls, files: dict[str, str] | None) -> dict[str, str] | None:
        for name in files or {}:
            parts = name.replace("\\", "/").split("/")
            if name.startswith(("/", "~")) or ".." in parts or not name.strip():
                raise ValueError(f"files: {name!r} must be a relative path inside the repository")
        return files

    @model_validator(mode="after")
    def _one_text(self) -> RuleCase:
        if (self.fail is None) == (self.pass_ is None):
            raise ValueError("a case has either fail: or pass:, not both or neither")
        if self.fail is not None and self.expect is None:
            raise ValueError("a fail: case needs expect: (the violations it must produce)")
        if self.pass_ is not None and self.expect is not None:
            raise ValueError("a pass: case produces no violation: remove expect:")
        return self


class RuleSpec(Strict):
    code: str = Field(pattern=_CODE, description="Stable code, e.g. PL101.")
    name: str = Field(pattern=_NAME, description="Stable kebab-case name.")
    severity: SeverityName = "error"
    summary: str = Field(description="One line, shown as the hint and in `planlint rules`.")
    message: str = Field(description="The violation message; {placeholders} come from the check.")
    docs: RuleDocs
    check: str = Field(description="The registered check kind that implements the rule.")
    options: dict[str, Any] = Field(default_factory=dict)
    # The options as validated by the check kind when the pack was loaded. Validating
    # compiles every regex, the dearest part of start-up: the linter reuses these unless the
    # config overrides an option.
    _validated_options: BaseModel | None = PrivateAttr(default=None)
    scope: str | list[str] | None = Field(
        None,
        description=(
            "The section id the check looks at; a list of them; `id/*` for a section and the "
            "sections nested in it; `*` for every section."
        ),
    )
    when: Condition | None = Field(None, description="The rule applies only when these hold.")
    severities: list[SeverityWhen] = Field(
        default_factory=list,
        description="Another severity when facts hold (the first that holds wins).",
    )
    cases: list[RuleCase] = Field(
        default_factory=list, description="Test cases run by `planlint test-policy`."
    )


class Pack(Strict):
    pack: str = Field(pattern=_NAME, description="The pack's name.")
    description: str = ""
    profile: ProfileSpec | None = Field(None, description="The profile this pack defines.")
    applies_to: list[str] | None = Field(
        None, description="Profiles the rules apply to (default: its own profile, or all)."
    )
    extends: list[str] = Field(
        default_factory=list,
        description=(
            "Packs this one builds on, relative to it (inside the repository): they are loaded "
            "first, their profiles, facts and rules used as if given with --pack."
        ),
    )
    facts: list[FactSpec] = Field(
        default_factory=list, description="Facts read from the plan or a file beside it."
    )
    rules: list[RuleSpec] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _drop_extensions(cls, data: Any) -> Any:
        """Top-level keys that start with ``x-`` are the author's own: a place to keep YAML
        anchors (``x-defaults: &defaults``) that rules merge in with ``<<: *defaults``."""
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not str(k).startswith("x-")}
        return data

    @model_validator(mode="after")
    def _unique_rules(self) -> Pack:
        seen: set[str] = set()
        for rule in self.rules:
            for key in (rule.code, rule.name):
                if key in seen:
                    raise ValueError(f"rule {key!r} is declared twice")
                seen.add(key)
        return self

    def targets(self) -> list[str] | None:
        """Profiles this pack's rules apply to; None means every profile."""
        if self.applies_to is not None:
            return self.applies_to
        return [self.profile.name] if self.profile is not None else None


MAX_PACK_BYTES = 10_000_000  # far beyond any policy: a device or a runaway file is refused


def load_pack(path: Path) -> Pack:
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode) and not stat.S_ISDIR(status.st_mode):
            raise PackError(path, 1, "cannot read the pack: not a regular file")
        if status.st_size > MAX_PACK_BYTES:
            raise PackError(path, 1, f"cannot read the pack: larger than {MAX_PACK_BYTES} bytes")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PackError(path, 1, f"cannot read the pack: {error}") from None
    try:  # the fast path, without positions; any problem is explained by the located one below
        quick = Pack.model_validate(load_yaml_quick(text))
        _check_semantics(quick, {}, path)
        return quick
    except Exception:  # deliberately re-done below, where errors get their lines
        pass
    pack, data = validate_located(path, text, Pack)
    _check_semantics(pack, data, path)
    return pack


Model = TypeVar("Model", bound=BaseModel)


def validate_located(path: Path, text: str, model: type[Model]) -> tuple[Model, Any]:
    """YAML ``text`` from ``path`` validated as ``model``, with the loaded data for later
    positions; a syntax or validation problem becomes a ``PackError`` naming the line."""
    try:
        data = load_yaml(text)
    except YamlProblem as bad_yaml:
        raise PackError(path, bad_yaml.line, bad_yaml.message) from None
    try:
        return model.model_validate(data), data
    except ValidationError as error:
        schema = "pack" if model is Pack else None  # what lists a pack's allowed keys
        problem = validation_problems(error, data, schema=schema)[0]
        raise PackError(path, problem.line, problem.message) from None


def _check_semantics(pack: Pack, data: Any, path: Path) -> None:
    """What a schema cannot say: the check kind exists and its options fit it, and every
    ``when:`` names a fact there is."""
    from planlint.engine.kinds import check_kinds
    from planlint.engine.options import options_model

    _check_conditions(pack, data, path)
    known = check_kinds()
    for index, rule in enumerate(pack.rules):
        kind = known.get(rule.check)
        if kind is None:
            line = position(data, ["rules", index, "check"])[0]
            names = ", ".join(sorted(known))
            raise PackError(
                path, line, f"rule {rule.name!r}: unknown check {rule.check!r} (known: {names})"
            )
        _check_message(rule, pack, index, data, path)
        try:
            rule._validated_options = options_model(kind).model_validate(rule.options)
        except ValidationError as error:
            problem = validation_problems(error, data, prefix=["rules", index, "options"])[0]
            raise PackError(
                path, problem.line, f"rule {rule.name!r}: options.{problem.message}"
            ) from None
        except (RecursionError, OverflowError, MemoryError):  # a pattern "((((…" too deep
            line = position(data, ["rules", index, "options"])[0]
            raise PackError(path, line, f"rule {rule.name!r}: options: {TOO_DEEP}") from None


# What Python's regex compiler cannot take: it recurses once per nesting level.
TOO_DEEP = "a pattern is nested too deeply (or is too large) to compile; simplify it"


def _check_message(rule: RuleSpec, pack: Pack, index: int, data: Any, path: Path) -> None:
    """Every ``{name}`` of the message is one its check kind fills or a fact, written plainly:
    ``{text.__class__}`` would read an attribute and ``{text:>999999999}`` take gigabytes."""
    import string

    from planlint.engine.kinds import placeholders

    known = placeholders(rule.check)
    facts = {*BUILTIN_FACTS, *(fact.name for fact in pack.facts)}
    try:
        fields = [
            (name, spec, conversion)
            for _, name, spec, conversion in string.Formatter().parse(rule.message)
            if name is not None
        ]
    except ValueError as error:
        line = position(data, ["rules", index, "message"])[0] if data else 1
        raise PackError(path, line, f"rule {rule.name!r}: message: {error}") from None
    for name, spec, conversion in fields:
        problem = None
        if not name.isidentifier():
            problem = f"{{{name}}} is not a plain name"
        elif spec or conversion:
            problem = f"{{{name}}} may not carry a format or conversion"
        elif known is not None and name not in known and name not in facts:
            problem = f"{{{name}}} is filled by neither the check {rule.check!r} nor a fact"
        if problem is not None:
            line = position(data, ["rules", index, "message"])[0] if data else 1
            raise PackError(path, line, f"rule {rule.name!r}: message: {problem}")


def _check_conditions(pack: Pack, data: Any, path: Path) -> None:
    facts = {*BUILTIN_FACTS, *(fact.name for fact in pack.facts)}
    places: list[tuple[Condition | None, list[str | int]]] = []
    for index, rule in enumerate(pack.rules):
        places.append((rule.when, ["rules", index, "when"]))
        places += [
            (choice.when, ["rules", index, "severities", number, "when"])
            for number, choice in enumerate(rule.severities)
        ]
    if pack.profile is not None:
        places += [(spec.when, ["profile"]) for spec in pack.profile.all_sections()]
    for condition, keys in places:
        for name in condition or {}:
            if name not in facts:
                line = position(data, keys)[0] if data else 1
                known = ", ".join(sorted(facts))
                raise PackError(
                    path,
                    line,
                    f"when: unknown fact {name!r} (known: {known}; a pack declares "
                    "more under facts:)",
                )


def pack_line(path: Path, keys: list[str | int]) -> int:
    """The line of ``keys`` in a pack file, for errors found after loading (best effort)."""
    try:
        return position(load_yaml(path.read_text(encoding="utf-8")), keys)[0]
    except (OSError, UnicodeDecodeError, YamlProblem):
        return 1


@functools.cache
def default_packs() -> tuple[tuple[Path, Pack], ...]:
    paths = bundled_packs()
    if not paths:  # a broken install must not lint with no rules and report success
        raise PackError(rules_dir(), 1, "no bundled policy packs found: reinstall planlint")
    return tuple((path, load_pack(path)) for path in paths)
