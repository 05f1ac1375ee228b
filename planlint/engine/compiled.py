"""The rules ready to lint: a file → a ``FileResult``.

``Linter`` (``planlint.engine.runner``) validates packs and config and builds a
``CompiledLinter``; this module is what is left at lint time. It holds plain data only (the
validated models frozen, the check functions by reference), so it can be saved to the rules
cache and loaded by a later run without pydantic, YAML or a pack being read.
"""

from __future__ import annotations

import difflib
import gc
import re
import string
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from planlint.core import regexcache
from planlint.core.frozen import lazy_pattern
from planlint.core.paths import matches
from planlint.core.results import GUESSED, FileResult, Severity, Violation, mask_spans
from planlint.core.source import ReadError, read_source
from planlint.engine.check_api import BUILTIN, CheckContext, CheckKind, Finding
from planlint.engine.checks.secrets import document_leaks
from planlint.engine.conditions import Condition, condition_holds
from planlint.engine.outline import Outline, build_outline, detect_profile
from planlint.engine.suppressions import ALL, InvalidDirective, Suppressions, find_suppressions
from planlint.facts.declared import declared_facts
from planlint.facts.plan import Facts, extract_facts
from planlint.markdown.nodes import (
    Blank,
    Block,
    Document,
    Leaf,
    Section,
)
from planlint.markdown.parser import parse
from planlint.markdown.pseudo_headings import promote_pseudo_headings
from planlint.prose.unwritten import holds_only_placeholders

if TYPE_CHECKING:
    from planlint.engine.packs import FactSpec, ProfileSpec
    from planlint.facts.calendar import Calendar

UNKNOWN_PROFILE = "unknown-profile"
PROFILE_MISMATCH = "profile-mismatch"
_PROFILE_LINE = lazy_pattern(r"""(?m)^profile:[ \t]*["']?([a-z][a-z0-9-]*)["']?[ \t]*(?:#.*)?$""")
# What runs on a file no profile fits: the front matter's own problems, and secrets.
_PROFILE_FREE = frozenset({"front-matter", "secrets"})
READ_ERROR = "read-error"
INVALID_SUPPRESSION = "invalid-suppression"
INTERNAL_ERROR = "internal-error"
# What no inline comment silences: a file not judged (a config can only change the others),
# and a suppression's own mistake, which would otherwise hide itself.
_WHY_NOT_BY_COMMENT = {
    READ_ERROR: "a file planlint could not read always fails",
    INTERNAL_ERROR: "a file planlint could not finish always fails",
    INVALID_SUPPRESSION: (
        "fix or remove the comment it reports (a config can turn the rule down or off)"
    ),
}
_NOT_BY_COMMENT = frozenset(_WHY_NOT_BY_COMMENT)


class FileLinter(Protocol):
    """What lints files: a ``CompiledLinter``, or the ``Linter`` that built it."""

    def lint_file(self, path: Path, display: str) -> FileResult: ...

    def lint_text(self, text: str, display: str, path: Path | None = None) -> FileResult: ...

    def unfinished(self, display: str, message: str) -> FileResult: ...


class CompiledRule(NamedTuple):
    """An active rule: what its pack says, with the config's severity and options applied."""

    name: str
    code: str
    message: str
    help: str  # the rule's fix text, one line: the `help:` under a finding
    scope: tuple[str, ...] | None  # section ids, "id/*" or "*"
    when: Condition | None
    severity: Severity
    kind: CheckKind
    options: Any  # the check kind's options model, frozen
    targets: tuple[str, ...] | None  # profiles; None for every profile
    severities: tuple[tuple[Condition, Severity], ...] = ()  # another severity when facts hold

    def severity_for(self, facts: Mapping[str, str]) -> Severity:
        for condition, severity in self.severities:
            if condition_holds(condition, facts):
                return severity
        return self.severity

    def applies_to(self, profile: str) -> bool:
        return self.targets is None or profile in self.targets


def looked_in(scope: Sequence[Section]) -> str:
    """Where a scoped rule read, for its message: " (looked in 'Rollback Procedure', lines
    86–100)". A finding on a missing topic points at a heading; this says how far it read."""
    if not scope:
        return ""
    places = []
    for section in scope[:3]:
        last = last_content_line(section)
        lines = (
            f"line {last}" if last == section.start_line else f"lines {section.start_line}–{last}"
        )
        places.append(f"'{section.title}', {lines}")
    more = f" and {len(scope) - 3} more" if len(scope) > 3 else ""
    return f" (looked in {' and '.join(places)}{more})"


def last_content_line(block: Block) -> int:
    """The block's last line that is not blank (a section's span runs to the next heading).
    Only the last child is followed down: the cost is the depth, not the size."""
    for child in reversed(block.children_blocks()):
        if isinstance(child, Blank):
            continue
        if isinstance(child, Leaf):
            return child.end_line
        return max(child.start_line, last_content_line(child))
    return block.start_line


# Scoped kinds that judge whether a section is filled in at all, as empty-section does: a
# placeholder answer ("TBD") is what they report, so they read sections of placeholders too.
_JUDGES_PLACEHOLDERS = frozenset({"answered"})


def _still_to_write(section: Section, known: dict[int, bool]) -> bool:
    """``holds_only_placeholders``, worked out once per section of a plan."""
    key = id(section)
    if key not in known:
        known[key] = holds_only_placeholders(section)
    return known[key]


class _Template(string.Formatter):
    """``str.format`` that leaves unknown ``{names}`` as written instead of failing."""

    def get_value(self, key: int | str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        return kwargs.get(str(key), f"{{{key}}}")


_TEMPLATE = _Template()


_MASK = "****"


def _secret_texts(document: Document) -> list[str]:
    """Each credential as written, and the value alone when it was found with its key
    ("password: hunter2" and "hunter2"), longest first."""
    leaks, _ = document_leaks(document)
    texts: set[str] = set()
    for leak in leaks:
        span = document.lines[leak.line - 1][leak.start : leak.end]
        texts.add(span)
        value = re.split(r"[:=]\s*|\s+", span, maxsplit=1)[-1].strip("'\"` ")
        if len(value) >= 6:
            texts.add(value)
    return sorted(texts, key=len, reverse=True)


def secret_spans(document: Document) -> tuple[tuple[int, int, int], ...]:
    """Where the file's credentials are: (line, start, end) each."""
    leaks, _ = document_leaks(document)
    return tuple((leak.line, leak.start, leak.end) for leak in leaks)


def _masked(document: Document, violations: list[Violation]) -> list[Violation]:
    secrets = _secret_texts(document)
    if not secrets:
        return violations
    kept = []
    for violation in violations:
        message, hint = violation.message, violation.hint
        for secret in secrets:
            message = message.replace(secret, _MASK)
            hint = hint.replace(secret, _MASK) if hint else hint
        kept.append(violation._replace(message=message, hint=hint))
    return kept


class ProfileChoice(NamedTuple):
    profile: ProfileSpec | None
    source: str | None  # one of PROFILE_SOURCES; None when no profile applies
    reason: str  # the source in words: the reports print 'linted as NAME, REASON'
    notice: Violation | None = None  # unknown-profile or profile-mismatch


class CompiledLinter:
    def __init__(
        self,
        rules: list[CompiledRule],
        profiles: dict[str, ProfileSpec],  # frozen
        forced_profile: str | None,  # --profile
        profile_globs: list[tuple[str, str]],  # the config's `profiles:`, glob → profile
        root: Path,  # what the globs are relative to
        known_rules: frozenset[str],  # every declared rule's name and code, active or not
        facts: tuple[FactSpec, ...] = (),  # the facts the packs declare, frozen
        linear: frozenset[str] = frozenset(),  # patterns a repository wrote: run on RE2
    ) -> None:
        self.linear = linear
        regexcache.use_linear(linear)
        self.rules = rules
        self.profiles = profiles
        self.forced_profile = forced_profile
        self.profile_globs = profile_globs
        self.root = root
        self.known_rules = known_rules
        self.facts = facts
        self._by_name = {rule.name: rule for rule in rules}
        # Set by the application for a run with a change calendar (``planlint.app.calendar``);
        # never saved in the rules cache, which holds the linter as it was built.
        self.calendar: Calendar | None = None

    def __getstate__(self) -> dict[str, object]:
        return {**self.__dict__, "calendar": None}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        regexcache.use_linear(self.linear)  # loaded from the rules cache: still on RE2

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
            return self.unfinished(display, message)
        finally:
            if collecting:
                gc.enable()

    def unfinished(self, display: str, message: str) -> FileResult:
        """The result of a file planlint could not finish: an ``internal-error``, which fails
        the run whatever the selection (the file was not judged)."""
        violation = self._builtin(INTERNAL_ERROR, message)
        return FileResult(display, None, [violation] if violation else [])

    def _lint_text(self, text: str, display: str, path: Path | None) -> FileResult:
        document = parse(text)
        promote_pseudo_headings(document)  # "1) Summary" over "-----" is a heading to its author
        facts = extract_facts(document)
        facts.calendar = self.calendar
        spans = secret_spans(document)
        lines = mask_spans(document.lines, spans) if spans else document.lines
        # The lines reach the `full` output, fingerprints and baselines: never a credential.
        result = FileResult(display, None, lines=lines, masked=spans)
        profile, result.profile_source, result.profile_reason, notice = self._profile(
            document, facts, path
        )
        if profile is None:
            # No profile: the checks that need none still run, so that a broken front matter
            # or an unknown profile cannot hide a secret or the front matter's own problems.
            found: list[Violation | None] = [notice]
            found += self._run(
                document, facts, None, path, set(), {"profile": "unknown"}, _PROFILE_FREE
            )
            result.violations = self._finish(document, found)
            return result
        result.profile = profile.name
        outline = build_outline(document, profile)
        consulted: set[Path] = set()
        declared = declared_facts(self.facts, document, facts, path, self.root, consulted)
        facts.declared = declared
        values = {**facts.condition_values(), "profile": profile.name}
        violations = self._run(document, facts, outline, path, consulted, values)
        result.violations = self._finish(document, [notice, *violations])
        result.consulted = tuple(sorted(str(item) for item in consulted))
        return result

    def _run(
        self,
        document: Document,
        facts: Facts,
        outline: Outline | None,
        path: Path | None,
        consulted: set[Path],
        values: Mapping[str, str],
        only_kinds: frozenset[str] | None = None,
    ) -> list[Violation]:
        """Every active rule that applies, or (with no outline: no profile) only the rules
        of ``only_kinds``, which read no section."""
        if outline is None:
            outline = Outline(next(iter(self.profiles.values())))  # matches nothing
            profile_name = None
        else:
            profile_name = outline.profile.name
        violations: list[Violation] = []
        unwritten: dict[int, bool] = {}  # by section: asked by every rule scoped to it
        for rule in self.rules:
            if rule.kind.name == BUILTIN:
                continue
            if profile_name is None:
                if only_kinds is None or rule.kind.name not in only_kinds:
                    continue
            elif not rule.applies_to(profile_name) or not condition_holds(rule.when, values):
                continue
            scope = outline.scope(rule.scope) if rule.scope else []
            if rule.scope and rule.kind.name not in _JUDGES_PLACEHOLDERS:
                # A section still to be written (a skeleton's hints, what --fix inserted) has
                # nothing for a content rule to judge: unfilled-placeholder reports it.
                scope = [s for s in scope if not _still_to_write(s, unwritten)]
            if rule.scope and not scope:
                continue  # missing (missing-section says so) or not written yet
            context = CheckContext(document, facts, outline, path, scope, consulted)
            severity = rule.severity_for(values)
            where = ""  # found once per rule, and only when it reports something
            for finding in rule.kind.function(context, rule.options):
                if len(scope) > 1:  # where this finding is, of the many sections read
                    inner = [s for s in scope if s.start_line <= finding.line <= s.end_line]
                    here = looked_in(inner[-1:] or scope)
                else:
                    here = where = where or looked_in(scope)
                violations.append(
                    self._violation(rule, finding, outline, here, severity, facts.declared)
                )
        return violations

    def _profile(self, document: Document, facts: Facts, path: Path | None) -> ProfileChoice:
        """The file's profile and where it came from. The strongest say wins: --profile, then
        the plan's own front matter, then a config glob, then detection."""
        if self.forced_profile is not None:
            return ProfileChoice(self.profiles[self.forced_profile], "option", "named by --profile")
        glob = self.glob_for(path)
        declared = self._declared_profile(document, facts)
        if isinstance(declared, ProfileChoice):
            return declared  # an unknown profile named in front matter
        if declared is not None:
            choice = ProfileChoice(
                self.profiles[declared], "front-matter", "named by `profile:` in its front matter"
            )
            if glob is not None and glob[1] != declared:
                line = where.line if (where := facts.values.get("profile")) else 1
                message = (
                    f"front matter says `profile: {declared}`, but the config glob "
                    f"{glob[0]!r} maps this file to {glob[1]}; linted as {declared}"
                )
                choice = choice._replace(notice=self._builtin(PROFILE_MISMATCH, message, line))
            return choice
        if glob is not None:
            return ProfileChoice(
                self.profiles[glob[1]], "config", f"named by the config glob {glob[0]!r}"
            )
        return self._detected(document, facts)

    def glob_for(self, path: Path | None) -> tuple[str, str] | None:
        """The config's first `profiles:` glob matching the file: (glob, profile)."""
        if path is None:
            return None
        return next(
            ((glob, name) for glob, name in self.profile_globs if matches(path, [glob], self.root)),
            None,
        )

    def _declared_profile(self, document: Document, facts: Facts) -> str | ProfileChoice | None:
        """The profile the front matter names, or a choice of none when it names an unknown
        one."""
        if facts.front_matter is not None and facts.front_matter.profile:
            name = facts.front_matter.profile
            if name in self.profiles:
                return name
            line = where.line if (where := facts.values.get("profile")) else 1
            known = ", ".join(self.profiles)
            message = f"front matter names the unknown profile {name!r}; known: {known}"
            return ProfileChoice(None, None, "", self._builtin(UNKNOWN_PROFILE, message, line))
        if facts.front_matter is None and document.front_matter is not None:
            # Front matter that does not parse still names its profile, as far as can be read:
            # a bad date elsewhere in it must not switch the plan's rules off.
            found = _PROFILE_LINE.search(document.front_matter.text)
            if found is not None and found.group(1) in self.profiles:
                return found.group(1)
        return None

    def _detected(self, document: Document, facts: Facts) -> ProfileChoice:
        profiles = list(self.profiles.values())
        detection = detect_profile(document, profiles, facts.context)
        if detection.profile is not None:
            keys = detection.profile.detect.context
            if detection.by_context:
                reason = f"detected from its context block ({', '.join(keys)})"
                return ProfileChoice(detection.profile, "context-block", reason)
            total = len(detection.profile.sections)
            reason = f"detected from its headings ({detection.score} of {total} sections)"
            return ProfileChoice(detection.profile, GUESSED, reason)
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
        return ProfileChoice(None, None, "", self._builtin(UNKNOWN_PROFILE, message, 1))

    def _builtin(
        self, name: str, message: str, line: int = 1, column: int = 1, end_column: int | None = None
    ) -> Violation | None:
        rule = self._by_name.get(name)
        if rule is None:
            return None
        end = end_column if end_column is not None else column + 1
        return Violation(
            rule.name,
            rule.code,
            rule.severity,
            message,
            line,
            column,
            line,
            end,
            None,
            rule.help,
        )

    def _read_error(self, display: str, error: ReadError) -> FileResult:
        violation = self._builtin(
            READ_ERROR, f"{display} {error.message}", error.line, error.column
        )
        return FileResult(display, None, [violation] if violation else [])

    def _violation(
        self,
        rule: CompiledRule,
        finding: Finding,
        outline: Outline,
        where: str = "",
        severity: Severity | None = None,
        declared: Mapping[str, str] | None = None,
    ) -> Violation:
        severity = rule.severity if severity is None else severity
        if finding.severity is not None:
            severity = min(severity, finding.severity)
        message = _TEMPLATE.format(rule.message, **(declared or {}), **finding.args) + where
        section = outline.section_at(finding.line)  # the innermost section holding it
        return Violation(
            rule.name,
            rule.code,
            severity,
            message,
            finding.line,
            finding.column,
            finding.end_line,
            finding.end_column,
            section,
            finding.hint or rule.help,
            finding.fix,
        )

    def _finish(
        self, document: Document, violations: Iterable[Violation | None]
    ) -> list[Violation]:
        """The violations kept after suppressions, sorted, with every credential the file
        holds masked in their messages and hints (a message may quote the line it is on)."""
        return _masked(document, self._kept(document, violations))

    def _kept(self, document: Document, violations: Iterable[Violation | None]) -> list[Violation]:
        suppressions = find_suppressions(document)
        kept = [
            v
            for v in violations
            if v is not None
            and (v.rule in _NOT_BY_COMMENT or not suppressions.suppresses(v.line, (v.rule, v.code)))
        ]
        kept += self._invalid_suppressions(suppressions)
        return sorted(kept, key=Violation.sort_key)

    def _invalid_suppressions(self, suppressions: Suppressions) -> list[Violation]:
        """An ``invalid-suppression`` for each comment that does not do what it says. They are
        added after the filtering above: a comment can never hide its own mistake."""
        problems = [*suppressions.invalid]
        for directive in suppressions.directives:
            problems += [
                InvalidDirective(message, directive.line, directive.column, directive.end_column)
                for rule in directive.rules
                if (message := self._misnamed(directive.kind, rule)) is not None
            ]
        found = (
            self._builtin(INVALID_SUPPRESSION, p.message, p.line, p.column, p.end_column)
            for p in problems
        )
        return [violation for violation in found if violation is not None]

    def _code_of(self, name: str) -> str | None:
        rule = self._by_name.get(name)
        return rule.code if rule is not None else None

    def _misnamed(self, kind: str, rule: str) -> str | None:
        """What is wrong with a rule a directive names: unknown, or one no comment can silence."""
        directive = f"planlint-{kind}"
        if rule == ALL:
            return None
        if rule not in self.known_rules:
            guess = difflib.get_close_matches(rule, self.known_rules, n=1)
            did_you_mean = f" (did you mean {guess[0]}?)" if guess else ""
            return f"{directive} names the unknown rule {rule!r}{did_you_mean}"
        if kind == "enable":  # enabling what is never disabled is harmless
            return None
        name = next((n for n in _NOT_BY_COMMENT if rule in (n, self._code_of(n))), None)
        if name is None:
            return None
        why = _WHY_NOT_BY_COMMENT[name]
        return f"{directive} names {rule!r}, which no comment can silence: {why}"
