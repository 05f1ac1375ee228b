"""The linter: packs + config → active rules; a file → a ``FileResult``."""

from __future__ import annotations

import gc
import re
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from planlint.engine.config import LoadedConfig
from planlint.engine.outline import Outline, build_outline, detect_profile
from planlint.engine.packs import (
    Pack,
    PackError,
    ProfileSpec,
    RuleSpec,
    condition_holds,
    pack_line,
)
from planlint.engine.registry import CheckContext, CheckKind, Finding, checks
from planlint.engine.suppressions import ALL, find_suppressions
from planlint.facts.plan import Facts, extract_facts
from planlint.markdown.nodes import Document
from planlint.markdown.parser import parse
from planlint.model import FileResult, RuleInfo, Severity, Violation
from planlint.paths import matches
from planlint.source import ReadError, read_source
from planlint.yamlio import validation_problems

BUILTIN = "builtin"  # check kind of the rules the engine itself reports
UNKNOWN_PROFILE = "unknown-profile"
READ_ERROR = "read-error"
INVALID_SUPPRESSION = "invalid-suppression"
INTERNAL_ERROR = "internal-error"


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


class _Template(string.Formatter):
    """``str.format`` that leaves unknown ``{names}`` as written instead of failing."""

    def get_value(self, key: int | str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        return kwargs.get(str(key), f"{{{key}}}")


_TEMPLATE = _Template()


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
        for path, pack in packs:
            if pack.profile is not None:
                if pack.profile.name in self.profiles:
                    raise PackError(path, 1, f"profile {pack.profile.name!r} is defined twice")
                self.profiles[pack.profile.name] = pack.profile
        if profile is not None and profile not in self.profiles:
            raise UsageError(f"unknown profile {profile!r}; known: {', '.join(self.profiles)}")
        self.forced_profile = profile
        declared = self._collect(packs)
        self._declared = declared
        self.specs = {spec.name: spec for spec, _, _ in declared}
        settings = self.config.config
        self._check_names(settings.rules)
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
            if (chosen_select is None or any(_selects(s, spec) for s in chosen_select))
            and not any(_selects(s, spec) for s in chosen_ignore)
            and (active := self._activate(spec, kind, targets)) is not None
        ]
        self._by_name = {rule.spec.name: rule for rule in self.rules}

    # -- setting up ----------------------------------------------------------------------------

    def _collect(
        self, packs: Sequence[tuple[Path, Pack]]
    ) -> list[tuple[RuleSpec, CheckKind, list[str] | None]]:
        kinds = checks()
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
                for spec in profile.sections
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
                if spec.scope is not None and spec.scope not in sections:
                    raise PackError(
                        path,
                        pack_line(path, ["rules", index, "scope"]),
                        f"rule {spec.name!r}: scope {spec.scope!r} is no section of "
                        f"its profiles; known: {', '.join(sorted(sections))}",
                    )
                declared.append((spec, kinds[spec.check], targets))
        return declared

    def _activate(
        self, spec: RuleSpec, kind: CheckKind, targets: list[str] | None
    ) -> ActiveRule | None:
        override = self.config.config.rule(spec.name, spec.code)
        if override.severity == "off":
            return None
        severity = Severity.parse(override.severity or spec.severity)
        merged = {**spec.options, **override.options}
        try:
            reuse = spec._validated_options if not override.options else None
            options = reuse if reuse is not None else kind.options.model_validate(merged)
        except ValidationError as error:
            problem = validation_problems(error, self.config.data)[0]
            key = spec.name if spec.name in self.config.config.rules else spec.code
            line = self.config.line_of("rules", key)
            raise PackError(
                self.config.path or "config", line, f"rules.{key}.options.{problem.message}"
            ) from None
        return ActiveRule(spec, kind, severity, options, tuple(targets) if targets else None)

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

    def catalogue(self) -> list[RuleInfo]:
        """Every rule the packs declare, active or not, by code."""
        infos = [rule_info(spec, targets) for spec, _, targets in self._declared]
        return sorted(infos, key=lambda info: info.code)

    def rule_infos(self) -> dict[str, RuleInfo]:
        """Every active rule, by name, for formatters and `planlint rules`."""
        return {rule.spec.name: rule_info(rule.spec, rule.targets) for rule in self.rules}

    # -- linting -------------------------------------------------------------------------------

    def lint_file(self, path: Path, display: str) -> FileResult:
        try:
            source = read_source(path)
        except ReadError as error:
            return self._read_error(display, error)
        return self.lint_text(source.text, display, path)

    def lint_text(self, text: str, display: str, path: Path | None = None) -> FileResult:
        # The tree has no reference cycles, so the cyclic collector would only rescan it again
        # and again as it grows: paused, a big file costs time in proportion to its size.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._lint_text(text, display, path)
        except Exception as error:  # a bug must not hide the other files' results
            failure = f"{type(error).__name__}: {error}"
            message = f"planlint failed on this file ({failure}); please report it"
            violation = self._builtin(INTERNAL_ERROR, message)
            return FileResult(display, None, [violation] if violation else [])
        finally:
            if collecting:
                gc.enable()

    def _lint_text(self, text: str, display: str, path: Path | None) -> FileResult:
        document = parse(text)
        facts = extract_facts(document)
        result = FileResult(display, None, lines=document.lines)
        profile, notice = self._profile(document, facts, path)
        if profile is None:
            found = [notice]
            if document.front_matter_unterminated:  # it may have swallowed `profile:`
                found.append(
                    self._builtin(
                        "invalid-front-matter",
                        "invalid front matter: the front matter opened on line 1 is never closed "
                        "with '---'",
                    )
                )
            result.violations = self._finish(document, found)
            return result
        result.profile = profile.name
        outline = build_outline(document, profile)
        values = {**facts.condition_values(), "profile": profile.name}
        violations: list[Violation] = []
        consulted: set[Path] = set()
        for rule in self.rules:
            if rule.kind.name == BUILTIN or not rule.applies_to(profile.name):
                continue
            if not condition_holds(rule.spec.when, values):
                continue
            scope = outline.sections(rule.spec.scope) if rule.spec.scope else []
            if rule.spec.scope and not scope:
                continue  # the section is missing: missing-section says so
            context = CheckContext(document, facts, outline, path, scope, consulted)
            for finding in rule.kind.function(context, rule.options):
                violations.append(self._violation(rule, finding, outline))
        result.violations = self._finish(document, violations)
        result.consulted = tuple(sorted(str(item) for item in consulted))
        return result

    def _profile(
        self, document: Document, facts: Facts, path: Path | None
    ) -> tuple[ProfileSpec | None, Violation | None]:
        name = self.forced_profile
        if name is None and path is not None:
            for glob, profile in self.config.config.profiles.items():
                if matches(path, [glob], self.config.root):
                    name = profile
                    break
        if name is None and facts.front_matter is not None and facts.front_matter.profile:
            name = facts.front_matter.profile
            if name not in self.profiles:
                where = facts.values.get("profile")
                line = where.line if where else 1
                known = ", ".join(self.profiles)
                return None, self._builtin(
                    UNKNOWN_PROFILE,
                    f"front matter names the unknown profile {name!r}; known: {known}",
                    line,
                )
        if name is not None:
            return self.profiles[name], None
        detection = detect_profile(document, list(self.profiles.values()), facts.context)
        if detection.profile is not None:
            return detection.profile, None
        if detection.runners_up:
            tied = " and ".join(detection.runners_up)
            message = (
                f"the headings match {tied} equally well; "
                "say which with `profile:` in front matter or --profile"
            )
        else:
            message = (
                "no profile's sections match this file's headings; if it is a plan, name its "
                "profile with `profile:` in front matter, --profile, or a `profiles:` glob "
                "in the config"
            )
        return None, self._builtin(UNKNOWN_PROFILE, message, 1)

    def _builtin(
        self, name: str, message: str, line: int = 1, column: int = 1, end_column: int | None = None
    ) -> Violation | None:
        rule = self._by_name.get(name)
        if rule is None:
            return None
        end = end_column if end_column is not None else column + 1
        return Violation(
            rule.spec.name,
            rule.spec.code,
            rule.severity,
            message,
            line,
            column,
            line,
            end,
            None,
            rule.spec.summary,
        )

    def _read_error(self, display: str, error: ReadError) -> FileResult:
        violation = self._builtin(
            READ_ERROR, f"{display} {error.message}", error.line, error.column
        )
        return FileResult(display, None, [violation] if violation else [])

    def _violation(self, rule: ActiveRule, finding: Finding, outline: Outline) -> Violation:
        severity = rule.severity
        if finding.severity is not None:
            severity = min(severity, finding.severity)
        message = _TEMPLATE.format(rule.spec.message, **finding.args)
        section = None
        for spec, found in outline.matched:
            if found.start_line <= finding.line <= found.end_line:
                section = spec.id
        return Violation(
            rule.spec.name,
            rule.spec.code,
            severity,
            message,
            finding.line,
            finding.column,
            finding.end_line,
            finding.end_column,
            section,
            finding.hint or rule.spec.summary,
            finding.fix,
        )

    def _finish(
        self, document: Document, violations: Iterable[Violation | None]
    ) -> list[Violation]:
        suppressions = find_suppressions(document)
        kept = [
            v
            for v in violations
            if v is not None and not suppressions.suppresses(v.line, (v.rule, v.code))
        ]
        for directive in suppressions.directives:
            for rule in directive.rules:
                if rule != ALL and not any(rule in (s.name, s.code) for s in self.specs.values()):
                    found = self._builtin(
                        INVALID_SUPPRESSION,
                        f"planlint-{directive.kind} names the unknown rule {rule!r}",
                        directive.line,
                        directive.column,
                        directive.end_column,
                    )
                    if found is not None:
                        kept.append(found)
        return sorted(kept, key=Violation.sort_key)


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
