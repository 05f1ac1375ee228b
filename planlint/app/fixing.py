"""``planlint check --fix`` and ``--diff``: lint, apply the fixes, lint again, write or show.

The edits themselves are applied by the pure ``planlint.core.edits``; this module does the file
I/O around it. A file is only ever written when it was read and parsed without error, and then
atomically (a temporary file in the same folder, renamed over the original), with its mode,
byte order mark, encoding and line endings kept.
"""

from __future__ import annotations

import difflib
import os
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TextIO

from planlint.core.edits import apply_fixes, encode
from planlint.core.results import GUESSED, FileResult, Fix, Violation
from planlint.core.source import ReadError, read_source_bytes
from planlint.engine.compiled import INTERNAL_ERROR, READ_ERROR, FileLinter
from planlint.report.common import plural

# Each pass applies the fixes that do not overlap, then lints again; a fix that made room for
# another (two sections inserted at one place) is applied in the next pass. A handful of passes
# settles any real plan; the bound stops a fix that would undo another from looping forever.
MAX_PASSES = 10
UNFIXABLE = frozenset({READ_ERROR, INTERNAL_ERROR})


@dataclass(slots=True)
class FixedFile:
    """One file after fixing: what it said, what it says now, and what remains."""

    path: Path
    result: FileResult  # the violations that remain, linted on the fixed text
    before: str = ""
    after: str = ""
    data: bytes = b""  # the new bytes to write, when the text changed
    original: bytes = b""  # the bytes that were read: written over only if still there
    fixed: int = 0  # how many fixes were applied
    problem: str | None = None  # why the file was left alone (unreadable, planlint failed)
    skipped: str | None = None  # why its fixes were not applied (a guessed profile)

    @property
    def changed(self) -> bool:
        return self.before != self.after


def usable_fixes(violations: Iterable[Violation], unsafe: bool) -> list[Fix]:
    return [v.fix for v in violations if v.fix is not None and (v.fix.safe or unsafe)]


def fix_file(linter: FileLinter, path: Path, display: str, *, unsafe: bool = False) -> FixedFile:
    try:
        source, original = read_source_bytes(path)
    except ReadError as error:
        result = linter.lint_file(path, display)  # reports the read error as usual
        return FixedFile(path, result, problem=error.message)
    result = linter.lint_text(source.text, display, path)
    outcome = FixedFile(path, result, before=source.text, after=source.text, original=original)
    if any(v.rule in UNFIXABLE for v in result.violations):
        outcome.problem = "made planlint fail (internal-error)"
        return outcome
    if result.profile_source == GUESSED and usable_fixes(result.violations, unsafe):
        # Every fix restructures the plan after its profile: on a guess, a four-section plan
        # detected as a deploy plan would get its steps bulleted and empty sections inserted.
        outcome.skipped = (
            f"its profile, {result.profile}, was only {result.profile_reason}; name it with "
            "`profile:` in its front matter, a `profiles:` glob in the config or --profile "
            "to let --fix restructure it"
        )
        return outcome
    text = source.text
    for _ in range(MAX_PASSES):
        fixes = usable_fixes(result.violations, unsafe)
        if not fixes:
            break
        applied = apply_fixes(text, fixes)
        if not applied.applied or applied.text == text:
            break
        relinted = linter.lint_text(applied.text, display, path)
        if any(v.rule in UNFIXABLE for v in relinted.violations):
            break  # never write a text that planlint itself cannot lint
        text, result = applied.text, relinted
        outcome.fixed += len(applied.applied)
    outcome.result, outcome.after = result, text
    if outcome.changed:
        outcome.data = encode(text, source)
    return outcome


class Refused(Exception):
    """A file ``--fix`` will not write, and why."""


def writable_plan(path: Path) -> os.stat_result:
    """The file's status if ``--fix`` may replace it. A symlink could lead anywhere (a
    repository can point `notes.md` at ``~/.gitconfig``), a hard link would be split from its
    other names, and a read-only file was made so on purpose: each is refused."""
    status = path.lstat()
    if stat.S_ISLNK(status.st_mode):
        raise Refused("is a symbolic link: fix the file it points to by its own name")
    if not stat.S_ISREG(status.st_mode):
        raise Refused("is not a regular file")
    if status.st_nlink > 1:
        raise Refused("has other hard links, which a rewrite would split from it")
    if not status.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise Refused("is read-only")
    return status


def write_atomically(path: Path, data: bytes, expected: bytes | None = None) -> None:
    """Replace the file's contents in one step: readers see the old file or the new one, never
    half of one; the mode is kept. With ``expected``, the file must still hold those bytes
    just before the swap: an edit saved while planlint ran is never overwritten."""
    status = writable_plan(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, stat.S_IMODE(status.st_mode))
        writable_plan(path)  # still the same kind of file
        if expected is not None and path.read_bytes() != expected:
            raise Refused("changed while planlint was fixing it: run --fix again")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def unified_diff(display: str, before: str, after: str) -> str:
    """A unified diff that ``patch -p0`` or ``git apply -p0`` applies, line endings included."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=display,
        tofile=display,
    )
    parts = []
    for line in lines:
        if line.endswith(("\n", "\r")):
            parts.append(line)
        else:  # the last line of a file without a final newline
            parts.append(line + "\n\\ No newline at end of file\n")
    return "".join(parts)


@dataclass(slots=True)
class FixSummary:
    """Counts for the closing line: ``Fixed 3 problems in 2 files (1 remaining).``"""

    fixed: int = 0
    files: int = 0
    remaining: int = 0
    hidden_unsafe: int = 0  # remaining violations whose fix needs --unsafe-fixes
    problems: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def add(self, outcome: FixedFile, unsafe: bool) -> None:
        self.fixed += outcome.fixed
        self.files += outcome.changed
        self.remaining += len(outcome.result.violations)
        if not unsafe:
            self.hidden_unsafe += sum(
                1 for v in outcome.result.violations if v.fix is not None and not v.fix.safe
            )
        if outcome.problem is not None:
            self.problems.append(f"{outcome.result.path}: not fixed: it {outcome.problem}")
        if outcome.skipped is not None:
            self.skipped.append(f"{outcome.result.path}: fixes skipped: {outcome.skipped}")

    def print_notes(self, err: TextIO) -> None:
        for problem in self.problems:
            print(f"planlint: {problem}", file=err)
        for skipped in self.skipped:
            print(f"planlint: note: {skipped}", file=err)

    def sentence(self, *, would: bool = False) -> str:
        verb = "Would fix" if would else "Fixed"
        text = f"{verb} {plural(self.fixed, 'problem')} in {plural(self.files, 'file')}"
        if not would:
            text += f" ({self.remaining} remaining)"
        text += "."
        if self.hidden_unsafe == 1:
            text += " 1 more fix is available with --unsafe-fixes."
        elif self.hidden_unsafe:
            text += f" {self.hidden_unsafe} more fixes are available with --unsafe-fixes."
        return text


def print_diffs(
    linter: FileLinter,
    files: Iterable[tuple[Path, str]],
    *,
    unsafe: bool,
    out: BinaryIO,
    err: TextIO,
) -> bool:
    """``--diff``: print what ``--fix`` would change, write nothing. True when something would
    change or a file could not be checked."""
    summary = FixSummary()
    for path, display in files:
        outcome = fix_file(linter, path, display, unsafe=unsafe)
        summary.add(outcome, unsafe)
        if outcome.changed:
            # Written as is: a CRLF file's diff keeps its CRLF, so that patch applies it.
            out.write(unified_diff(display, outcome.before, outcome.after).encode("utf-8"))
            out.flush()
    summary.print_notes(err)
    print(summary.sentence(would=True), file=err)
    return bool(summary.files or summary.problems)


class Fixer:
    """``--fix``: fix each file as it comes, write it, and hand back what remains to report."""

    def __init__(self, linter: FileLinter, *, unsafe: bool, err: TextIO) -> None:
        self.linter = linter
        self.unsafe = unsafe
        self.err = err
        self.summary = FixSummary()
        self.failed = False  # a file whose fixes could not be written: the run fails

    def fix(self, path: Path, display: str) -> FileResult:
        outcome = fix_file(self.linter, path, display, unsafe=self.unsafe)
        if outcome.changed:
            try:
                write_atomically(path, outcome.data, outcome.original)
            except (OSError, Refused) as error:
                why = str(error) if isinstance(error, Refused) else error.strerror or str(error)
                print(f"planlint: error: {display}: fixes not written: it {why}", file=self.err)
                self.failed = True
                return self.linter.lint_text(outcome.before, display, path)
        self.summary.add(outcome, self.unsafe)
        return outcome.result

    def finish(self, out: TextIO) -> None:
        self.summary.print_notes(self.err)
        print(self.summary.sentence(), file=out)
