"""Baselines: adopt planlint on a repository full of old plans without fixing them first.

``planlint check --write-baseline FILE`` records today's violations; ``--baseline FILE`` then
reports only the violations that are not recorded, says how many were hidden, and lists the
recorded ones that no longer occur so that the file can be shrunk.

A violation is recognised by its fingerprint, never by its line number, so editing a plan above
an old violation does not bring it back: the rule, the file (relative to the baseline file),
the text of the offending line and the message (``planlint.report.fingerprints``, which the
GitLab report uses too).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from planlint.core.errors import LocatedError
from planlint.core.paths import replace_file
from planlint.core.results import FileResult, Violation
from planlint.core.yamlio import YamlProblem, load_yaml, position, validation_problems
from planlint.report.fingerprints import fingerprints

FORMAT_VERSION: Literal[1] = 1


class BaselineError(LocatedError):
    """A baseline file that is missing, unreadable or not a planlint baseline."""

    def __init__(self, path: Path, message: str, line: int | None = None) -> None:
        super().__init__(message, line or 1)
        self.path = path
        self.located = line is not None  # a missing file has no line to point at

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.located else f"{self.path}"
        return f"{where}: {self.message}"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BaselineEntry(_Strict):
    path: str = Field(description="The plan, relative to the baseline file, with '/'.")
    rule: str
    code: str
    fingerprint: str = Field(pattern=r"^[0-9a-f]{32}$")
    message: str = Field(description="For people reviewing the file; not used for matching.")


class BaselineFile(_Strict):
    version: Literal[1] = Field(description="The baseline format version.")
    violations: list[BaselineEntry]


def _relative(result_path: str, folder: Path) -> str:
    return Path(os.path.relpath(os.path.abspath(result_path), folder)).as_posix()


def _entries(result: FileResult, folder: Path) -> list[BaselineEntry]:
    path = _relative(result.path, folder)
    violations = sorted(result.violations, key=Violation.sort_key)
    return [
        BaselineEntry(path=path, rule=v.rule, code=v.code, fingerprint=print_, message=v.message)
        for v, print_ in zip(violations, fingerprints(path, violations, result.lines), strict=True)
    ]


@dataclass(slots=True)
class BaselineWriter:
    """Collects entries as files are linted (never their text) and writes the file at the end."""

    path: Path
    entries: list[BaselineEntry] = field(default_factory=list)
    files: set[str] = field(default_factory=set)

    def add(self, result: FileResult) -> None:
        self.entries.extend(_entries(result, self.path.absolute().parent))
        if result.violations:
            self.files.add(result.path)

    def write(self) -> None:
        ordered = sorted(
            self.entries, key=lambda e: (e.path, e.code, e.rule, e.message, e.fingerprint)
        )
        document = BaselineFile(version=FORMAT_VERSION, violations=ordered).model_dump(mode="json")
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        try:
            replace_file(self.path, text)  # all at once: the old baseline survives a full disk
        except OSError as error:
            raise BaselineError(self.path, f"cannot write the baseline: {error}") from None


@dataclass(slots=True)
class Baseline:
    """A loaded baseline: filters results and remembers what it hid and what it never met."""

    path: Path
    entries: list[BaselineEntry]
    hidden: int = 0
    _unmatched: dict[tuple[str, str], BaselineEntry] = field(default_factory=dict)
    _linted: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._unmatched = {(entry.path, entry.fingerprint): entry for entry in self.entries}

    @property
    def folder(self) -> Path:
        return self.path.absolute().parent

    def filter(self, result: FileResult) -> FileResult:
        """The result without the violations the baseline records."""
        path = _relative(result.path, self.folder)
        self._linted.add(path)
        violations = sorted(result.violations, key=Violation.sort_key)
        kept = []
        for violation, print_ in zip(
            violations, fingerprints(path, violations, result.lines), strict=True
        ):
            if self._unmatched.pop((path, print_), None) is not None:
                self.hidden += 1
            else:
                kept.append(violation)
        return FileResult(
            result.path,
            result.profile,
            kept,
            result.lines,
            profile_source=result.profile_source,
            profile_reason=result.profile_reason,
        )

    def stale(self) -> list[BaselineEntry]:
        """Entries of linted (or deleted) files that no longer occur: the baseline can shrink."""
        return [
            entry
            for entry in self._unmatched.values()
            if entry.path in self._linted or not (self.folder / entry.path).exists()
        ]


def load_baseline(path: Path) -> Baseline:
    if not path.is_file():
        raise BaselineError(
            path,
            "the baseline file does not exist; record today's violations with "
            f"`planlint check … --write-baseline {path}` and commit it",
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise BaselineError(path, f"cannot read the baseline: {error}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BaselineError(path, f"not a JSON baseline: {error.msg}", error.lineno) from None
    except RecursionError:
        raise BaselineError(path, "not a JSON baseline: nested too deeply") from None
    if isinstance(data, dict) and data.get("version", FORMAT_VERSION) != FORMAT_VERSION:
        found = data.get("version")
        raise BaselineError(
            path,
            f"unsupported baseline version {found!r} (this planlint reads version "
            f"{FORMAT_VERSION}); re-create it with --write-baseline",
            _line_of_version(text),
        )
    try:
        loaded = BaselineFile.model_validate(data)
    except ValidationError as error:
        raise BaselineError(path, *_located(error, text)) from None
    return Baseline(path, loaded.violations)


def _line_of_version(text: str) -> int:
    try:
        return position(load_yaml(text), ["version"])[0]
    except YamlProblem:
        return 1


def _located(error: ValidationError, text: str) -> tuple[str, int]:
    """The first problem and its line: JSON is YAML, whose loader remembers positions."""
    try:
        positioned = load_yaml(text)
    except YamlProblem:
        positioned = None
    problem = validation_problems(error, positioned)[0]
    return problem.message, problem.line


def summarise(entries: Iterable[BaselineEntry]) -> str:
    """``3 in docs/a.md, 1 in docs/b.md``: where stale entries are."""
    counts = Counter(entry.path for entry in entries)
    return ", ".join(f"{count} in {path}" for path, count in sorted(counts.items()))
