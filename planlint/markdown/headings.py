"""Heading titles: numbering prefixes and the normal form used to match profile sections."""

from __future__ import annotations

import functools
import re
import unicodedata

# "1.", "1)", "1 -", "2.3", "IV.", "Step 1:", "Phase 2 -", "Section 3." at the start of a title.
_NUMBERING = re.compile(
    r"""^\s*(
        (?:(?:step|phase|section|part|stage)\s+(?:\d+(?:\.\d+)*|[ivxlc]+)\s*[.:)\-–—]?
        |\d+(?:\.\d+)*\s*[.:)\-–—]?
        |[ivxlc]+[.)]
        |[a-z][.)]
        )
    )\s*(?=\S)""",
    re.IGNORECASE | re.VERBOSE,
)
_NON_WORD = re.compile(r"[^\w]+")


def numbering_prefix(title: str) -> tuple[str, str]:
    """Split ``"2) Rollback Procedure"`` into ``("2)", "Rollback Procedure")``."""
    match = _NUMBERING.match(title)
    if match is None:
        return "", title.strip()
    return match.group(1).strip(), title[match.end() :].strip()


@functools.lru_cache(maxsize=4096)  # the same titles and aliases, heading after heading
def normalize_title(title: str) -> str:
    """Case, numbering, ``&``/``and``, accents and punctuation do not matter when matching."""
    _, rest = numbering_prefix(title)
    text = unicodedata.normalize("NFKD", rest).encode("ascii", "ignore").decode("ascii")
    text = text.lower().replace("&", " and ").replace("+", " and ")
    words = _NON_WORD.sub(" ", text).replace("_", " ").split()
    return " ".join(words)
