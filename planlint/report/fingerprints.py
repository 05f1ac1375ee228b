"""Fingerprints that recognise a violation across edits: the baseline and the GitLab report
share them.

A violation is recognised by its rule, its file, the text of the offending line (whitespace
collapsed) and its message (digits masked, since messages may mention other lines), plus how
many identical violations precede it in the file; never by its line number, so editing a plan
above an old violation does not change its fingerprint.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence

from planlint.core.frozen import lazy_pattern
from planlint.core.results import Violation

_DIGITS = lazy_pattern(r"[0-9]+")
_SPACE = lazy_pattern(r"\s+")


def _content(violation: Violation, lines: Sequence[str]) -> str:
    text = lines[violation.line - 1] if 0 < violation.line <= len(lines) else ""
    return _SPACE.sub(" ", text).strip() + "\0" + _DIGITS.sub("#", violation.message)


def fingerprints(path: str, violations: Sequence[Violation], lines: Sequence[str]) -> list[str]:
    """One stable fingerprint per violation (in the order given; reading order is expected)."""
    seen: Counter[tuple[str, str]] = Counter()
    result = []
    for violation in violations:
        content = _content(violation, lines)
        occurrence = seen[violation.rule, content]
        seen[violation.rule, content] += 1
        key = "\0".join((violation.rule, path, content, str(occurrence)))
        result.append(hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32])
    return result
