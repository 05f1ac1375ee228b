"""The linter: packs + config → active rules (validated, then compiled for linting).

Linting itself is ``CompiledLinter``'s (``planlint.engine.compiled``); ``Linter`` validates
and selects the rules, and answers for them (``catalogue``, ``rule_infos``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from planlint.core.frozen import freeze
from planlint.core.linear import linear_problem
from planlint.core.regexcache import use_linear
from planlint.core.resources import rules_dir
from planlint.core.results import FileResult, RuleInfo, Severity
from planlint.core.yamlio import validation_problems
from planlint.engine.check_api import BUILTIN, CheckKind
from planlint.engine.compiled import (
    INTERNAL_ERROR,
    INVALID_SUPPRESSION,
    PROFILE_MISMATCH,
    READ_ERROR,
    UNKNOWN_PROFILE,
    CompiledLinter,
    CompiledRule,
)
from planlint.engine.config import Config, LoadedConfig
from planlint.engine.kinds import check_kinds
from planlint.engine.options import options_model
from planlint.engine.packs import (
    TOO_DEEP,
    FactSpec,
    Pack,
    PackError,
    ProfileSpec,
    RuleSpec,
    pack_line,
)

__all__ = [
    "BUILTIN",
    "INTERNAL_ERROR",
    "INVALID_SUPPRESSION",
    "PROFILE_MISMATCH",
    "READ_ERROR",
    "UNKNOWN_PROFILE",
    "ActiveRule",
    "Linter",
    "UsageError",
    "rule_info",
]


# A file planlint could not read or finish fails the run: no selection, config or suppression
# turns these off or down.
FAIL_CLOSED = frozenset({READ_ERROR, INTERNAL_ERROR})


class UsageError(Exception):
    """A command-line mistake (an unknown rule or profile name): exit code 2."""


@dataclass(frozen=True, slots=True)
class ActiveRule:
    spec: RuleSpec
    kind: CheckKind
    severity: Severity
    options: BaseModel
    targets: tuple[str, ...] | None  # profiles; None for every profile

    def applies_to(self, profile: str) -> bool:
        return self.targets is None or profile in self.targets


def _selects(selector: str, spec: RuleSpec) -> bool:
    if selector == spec.name or selector == spec.code:
        return True
    return bool(re.fullmatch(r"[A-Z]+[0-9]*", selector)) and spec.code.startswith(selector)


class Linter:
    def __init__(
        self,
        packs: Sequence[tuple[Path, Pack]],
        config: LoadedConfig | None = None,
        *,
        profile: str | None = None,
        select: Sequence[str] | None = None,
        ignore: Sequence[str] = (),
    ) -> None:
        self.config = config or LoadedConfig()
        self.profiles: dict[str, ProfileSpec] = {}
        self.facts: dict[str, FactSpec] = {}
        for path, pack in packs:
            for fact in pack.facts:
                if fact.name in self.facts:
                    raise PackError(path, 1, f"fact {fact.name!r} is declared twice")
                self.facts[fact.name] = fact
            if pack.profile is not None:
                if pack.profile.name in self.profiles:
                    raise PackError(path, 1, f"profile {pack.profile.name!r} is defined twice")
                self.profiles[pack.profile.name] = pack.profile
        if profile is not None and profile not in self.profiles:
            raise UsageError(f"unknown profile {profile!r}; known: {', '.join(self.profiles)}")
        self.forced_profile = profile
        self._origins: dict[str, tuple[Path, int]] = {}  # each rule's pack, and its index
        declared = self._collect(packs)
        self._declared = declared
        self.specs = {spec.name: spec for spec, _, _ in declared}
        settings = self.config.config
        self._check_names(settings.rules)
        self._check_weekly(settings)
        chosen_select = select if select is not None else settings.select
        chosen_ignore = [*settings.ignore, *ignore]
        for key in ("select", "ignore"):  # the config's own selectors, located in the file
            for index, selector in enumerate(getattr(settings, key) or []):
                if not any(_selects(selector, spec) for spec in self.specs.values()):
                    line = self.config.line_of(key, index)
                    raise PackError(
                        self.config.path or "config",
                        line,
                        f"{key}: unknown rule {selector!r} (`planlint rules` lists them)",
                    )
        for selector in [*(chosen_select or []), *chosen_ignore]:
            if not any(_selects(selector, spec) for spec in self.specs.values()):
                raise UsageError(f"unknown rule {selector!r}; `planlint rules` lists them")
        self.rules = [
            active
            for spec, kind, targets in declared
            if (
                spec.name in FAIL_CLOSED
                or (
                    (chosen_select is None or any(_selects(s, spec) for s in chosen_select))
                    and not any(_selects(s, spec) for s in chosen_ignore)
                )
            )
            and (active := self._activate(spec, kind, targets)) is not None
        ]
        linear = self._repository_patterns()  # before freezing: they must not keep re's
        self.compiled = CompiledLinter(
            [_compiled_rule(rule) for rule in self.rules],
            {name: freeze(profile) for name, profile in self.profiles.items()},
            profile,
            list(settings.profiles.items()),
            self.config.root,
            frozenset(key for spec in self.specs.values() for key in (spec.name, spec.code)),
            tuple(freeze(fact) for fact in self.facts.values()),
            linear,
        )

    # -- setting up ----------------------------------------------------------------------------

    def _collect(
        self, packs: Sequence[tuple[Path, Pack]]
    ) -> list[tuple[RuleSpec, CheckKind, list[str] | None]]:
        kinds = check_kinds()
        seen: dict[str, Path] = {}
        declared = []
        for path, pack in packs:
            targets = pack.targets()
            for name in targets or ():
                if name not in self.profiles:
                    raise PackError(
                        path,
                        pack_line(path, ["applies_to"]),
                        f"applies_to: unknown profile {name!r}; known: {', '.join(self.profiles)}",
                    )
            sections = {
                spec.id
                for name, profile in self.profiles.items()
                if targets is None or name in targets
                for spec in profile.all_sections()
            }
            for index, spec in enumerate(pack.rules):
                for key in (spec.name, spec.code):
                    if key in seen:
                        raise PackError(
                            path,
                            pack_line(path, ["rules", index]),
                            f"rule {key!r} is already defined in {seen[key]}",
                        )
                    seen[key] = path
                for scope in scopes(spec.scope):
                    if scope != "*" and scope.removesuffix("/*") not in sections:
                        raise PackError(
                            path,
                            pack_line(path, ["rules", index, "scope"]),
                            f"rule {spec.name!r}: scope {scope!r} is no section of "
                            f"its profiles; known: {', '.join(sorted(sections))}",
                        )
                if spec.scope is None and kinds[spec.check].scoped:
                    raise PackError(
                        path,
                        pack_line(path, ["rules", index, "check"]),
                        f"rule {spec.name!r}: the check {spec.check!r} reads a section: give "
                        "it a scope: (a section id, a list of them, `id/*` or `*`)",
                    )
                declared.append((spec, kinds[spec.check], targets))
                self._origins[spec.name] = (path, index)
        return declared

    def _repository_patterns(self) -> frozenset[str]:
        """The patterns a repository wrote, in its packs' options and its config's rule
        options (planlint's own packs are not among them), each checked to run on RE2, and
        from now on run there (``planlint.core.linear``)."""
        bundled = rules_dir().resolve()
        found: set[str] = set()
        for rule in self.rules:
            spec = rule.spec
            path, index = self._origins[spec.name]
            if not path.resolve().is_relative_to(bundled):
                line = pack_line(path, ["rules", index, "options"])
                for pattern in _written(rule.options, spec.options):
                    _check_linear(pattern, path, line, f"rule {spec.name!r}: options")
                    found.add(pattern)
            override = self.config.config.rule(spec.name, spec.code)
            for pattern in _written(rule.options, override.options):
                problem = linear_problem(pattern)
                if problem is not None:
                    raise self._config_error(spec, f"options: {problem}")
                found.add(pattern)
        use_linear(found)
        return frozenset(found)

    def _activate(
        self, spec: RuleSpec, kind: CheckKind, targets: list[str] | None
    ) -> ActiveRule | None:
        override = self.config.config.rule(spec.name, spec.code)
        if spec.name in FAIL_CLOSED:  # a file planlint could not judge fails, whatever is set
            options = spec._validated_options or options_model(kind).model_validate({})
            return ActiveRule(spec, kind, Severity.ERROR, options, None)
        if override.severity == "off":
            return None
        severity = Severity.parse(override.severity or spec.severity)
        merged = {**spec.options, **override.options}
        try:
            reuse = spec._validated_options if not override.options else None
            options = reuse if reuse is not None else options_model(kind).model_validate(merged)
        except ValidationError as error:
            problem = validation_problems(error, self.config.data)[0]
            raise self._config_error(spec, f"options.{problem.message}") from None
        except (RecursionError, OverflowError, MemoryError):
            raise self._config_error(spec, f"options: {TOO_DEEP}") from None
        return ActiveRule(spec, kind, severity, options, tuple(targets) if targets else None)

    def _config_error(self, spec: RuleSpec, problem: str) -> PackError:
        """A problem with the config's ``rules:`` entry for ``spec``, at that entry's line."""
        key = spec.name if spec.name in self.config.config.rules else spec.code
        line = self.config.line_of("rules", key)
        return PackError(self.config.path or "config", line, f"rules.{key}.{problem}")

    def _check_names(self, configured: Mapping[str, Any]) -> None:
        known = {key for spec in self.specs.values() for key in (spec.name, spec.code)}
        for name in configured:
            if name not in known:
                line = self.config.line_of("rules", name)
                raise PackError(
                    self.config.path or "config",
                    line,
                    f"rules: unknown rule {name!r}; `planlint rules` lists them",
                )
        for glob, profile in self.config.config.profiles.items():
            if profile not in self.profiles:
                line = self.config.line_of("profiles", glob)
                raise PackError(
                    self.config.path or "config",
                    line,
                    f"profiles: unknown profile {profile!r} for {glob!r}; "
                    f"known: {', '.join(self.profiles)}",
                )

    def _check_weekly(self, settings: Config) -> None:
        """The weekly freeze is set in one place: the calendar's weekly periods replace the
        options of the rule that judges them, so both at once would leave one unused."""
        calendar = settings.calendar
        if calendar is None or not any(freeze.weekly for freeze in calendar.freezes):
            return
        for spec, kind, _ in self._declared:
            if kind.name != "window-freeze":
                continue
            override = settings.rule(spec.name, spec.code).options
            clash = sorted({"days", "start", "end"} & set(override))
            if clash:
                key = spec.name if spec.name in settings.rules else spec.code
                raise PackError(
                    self.config.path or "config",
                    self.config.line_of("rules", key),
                    f"rules.{key}.options: {', '.join(clash)} and a weekly period in "
                    "calendar.freezes both set the weekly freeze; keep one",
                )

    def catalogue(self) -> list[RuleInfo]:
        """Every rule the packs declare, active or not, by code."""
        infos = [rule_info(spec, targets) for spec, _, targets in self._declared]
        return sorted(infos, key=lambda info: info.code)

    def rule_infos(self) -> dict[str, RuleInfo]:
        """Every active rule, by name, for formatters and `planlint rules`."""
        return {rule.spec.name: rule_info(rule.spec, rule.targets) for rule in self.rules}

    # -- linting -------------------------------------------------------------------------------

    def lint_file(self, path: Path, display: str) -> FileResult:
        return self.compiled.lint_file(path, display)

    def lint_text(self, text: str, display: str, path: Path | None = None) -> FileResult:
        return self.compiled.lint_text(text, display, path)

    def unfinished(self, display: str, message: str) -> FileResult:
        return self.compiled.unfinished(display, message)

    def glob_for(self, path: Path) -> tuple[str, str] | None:
        """The config's `profiles:` glob that matches ``path``, and its profile."""
        return self.compiled.glob_for(path)


def scopes(scope: str | list[str] | None) -> tuple[str, ...]:
    """A rule's ``scope:`` as a tuple of section ids (``id/*`` and ``*`` as written)."""
    if scope is None:
        return ()
    return (scope,) if isinstance(scope, str) else tuple(scope)


def _written(options: BaseModel, given: Mapping[str, Any]) -> Iterator[str]:
    """The patterns among the options ``given`` (a pack's or config's own keys), not the
    defaults of the options model, which planlint wrote."""
    for key in given:
        yield from _patterns_in(getattr(options, key, None))


def _patterns_in(value: object) -> Iterator[str]:
    if isinstance(value, re.Pattern):
        yield value.pattern
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _patterns_in(getattr(value, name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _patterns_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _patterns_in(item)


def _check_linear(pattern: str, path: Path | str, line: int, where: str) -> None:
    problem = linear_problem(pattern)
    if problem is not None:
        raise PackError(path, line, f"{where}: {problem}")


def _compiled_rule(rule: ActiveRule) -> CompiledRule:
    spec = rule.spec
    return CompiledRule(
        spec.name,
        spec.code,
        spec.message,
        " ".join(spec.docs.fix.split()),
        scopes(spec.scope) or None,
        freeze(spec.when),
        rule.severity,
        rule.kind,
        freeze(rule.options),
        rule.targets,
        tuple((freeze(choice.when), Severity.parse(choice.severity)) for choice in spec.severities),
    )


def rule_info(spec: RuleSpec, targets: Iterable[str] | None) -> RuleInfo:
    docs = spec.docs
    return RuleInfo(
        spec.code,
        spec.name,
        Severity.parse(spec.severity),
        spec.summary,
        docs.what,
        docs.why,
        docs.example,
        docs.fix,
        tuple(targets or ()),
        tuple((fact, tuple(values)) for fact, values in (spec.when or {}).items()),
    )
