"""Small helpers that more than one formatter needs.

Kept here so that every format agrees on the order of findings, on what a
"concise" line looks like and on how a path becomes repository-relative.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from planlint.core.results import GUESSED, FileResult, Violation

# A concise line is built from (text, role) parts so that the plain-text formats
# and the coloured terminal formats render the very same characters; the role
# names a style in the terminal formats and is ignored elsewhere.
Part = tuple[str, str]


def ordered(violations: Iterable[Violation]) -> list[Violation]:
    """Findings in reading order, so output never depends on rule execution order."""
    return sorted(violations, key=Violation.sort_key)


# Characters a terminal or a log viewer would act on (escape sequences, bells, backspaces) but
# a plan's text or a file name may hold: shown as ``\x1b`` instead.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` with control characters other than tab and line breaks made visible."""
    return (
        _CONTROL.sub(lambda found: f"\\x{ord(found[0]):02x}", text)
        if _CONTROL.search(text)
        else text
    )


def one_line(text: str) -> str:
    """Collapse line breaks: line-oriented formats promise one line per finding; and no
    control character reaches the terminal or the CI log."""
    return printable(" ".join(text.splitlines()) if ("\n" in text or "\r" in text) else text)


def fixable(result: FileResult, violation: Violation) -> bool:
    """Would ``--fix`` repair it? A safe fix, on a plan whose profile was not only guessed
    from its headings (``--fix`` leaves such a plan's structure alone)."""
    fix = violation.fix
    return fix is not None and fix.safe and result.profile_source != GUESSED


def concise_parts(path: str, violation: Violation, marked: bool = False) -> tuple[Part, ...]:
    """``{path}:{line}:{col}: {severity} {code} [{rule}] {message}`` as styled parts; with
    ``marked``, ``[*]`` before the message says ``--fix`` repairs it (as ruff does)."""
    return (
        (f"{one_line(path)}:{violation.line}:{violation.column}:", "location"),
        (" ", ""),
        (violation.severity.label, violation.severity.label),
        (" ", ""),
        (violation.code, "code"),
        (" ", ""),
        (f"[{violation.rule}]", "rule"),
        (" [*] " if marked else " ", "fixable" if marked else ""),
        (one_line(violation.message), ""),
    )


def profile_parts(result: FileResult) -> tuple[Part, ...]:
    """``{path}: linted as {profile}, {reason}``: the line above a file's findings."""
    reason = f", {one_line(result.profile_reason)}" if result.profile_reason else ""
    return (
        (f"{one_line(result.path)}:", "location"),
        (" linted as ", ""),
        (one_line(result.profile or ""), "code"),
        (reason, ""),
    )


def concise_line(path: str, violation: Violation) -> str:
    return "".join(text for text, _ in concise_parts(path, violation))


def repo_relative(path: str, root: Path) -> str | None:
    """``path`` relative to ``root`` with forward slashes, or None when it lies outside.

    Paths are made absolute without resolving symlinks first, because that is
    what the user typed; resolving is only the fallback for a symlinked root.
    """
    target, base = Path(os.path.abspath(path)), Path(os.path.abspath(root))
    if target.is_relative_to(base):
        return target.relative_to(base).as_posix()
    try:
        resolved, resolved_base = target.resolve(), base.resolve()
    except (OSError, RuntimeError):  # a symlink loop raises RuntimeError before Python 3.13
        return None
    if resolved.is_relative_to(resolved_base):
        return resolved.relative_to(resolved_base).as_posix()
    return None


def posix(path: str) -> str:
    """The path as the user sees it, with forward slashes (for CI annotations)."""
    return path.replace(os.sep, "/")


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
