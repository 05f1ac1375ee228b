"""Whether a plan declares itself a justified emergency, in the words people use.

A change freeze (Friday afternoon) gives way to a real emergency, so the plan must say both that
it is one and why: "critical hotfix for an actively exploited CVE, cannot wait until Monday",
"SEV-1 in progress; approved as an emergency change by the CAB chair", "P1 security fix —
emergency change EC-5120 approved by the duty director". A sentence that denies it ("this is
not an emergency"), imagines it ("if this becomes an emergency"), plans it ("the on-call may
ship an emergency fix") or asks it ("is this an emergency?") declares nothing; nor does a word
like "emergency" in "Emergency contacts".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from planlint.core.frozen import lazy_pattern
from planlint.facts.fields import Field
from planlint.markdown.nodes import Line
from planlint.prose.text import is_negated, is_unrealised, lines_with, split_line

# Only sentences holding one of these words are read at all.
_CUE = lazy_pattern(
    r"emergenc|critical|urgent|\bsev[- ]?[0-2]\b|\bp[01]\b|exploit|break.?glass|expedit", re.I
)
# The plan calling itself an emergency.
_DECLARATION = lazy_pattern(
    r"""\b(?:
        emergency\s+(?:hot\s*fix|fix|patch|change|release|deploy\w*|rollout|security\s+fix|
            remediation|mitigation|upgrade|rollback|approval|procedure|cab)
        |(?:critical|urgent)\s+(?:security\s+)?(?:hot\s*fix|fix|patch|change|release|
            vulnerability|security\s+(?:fix|patch|update|issue))
        |(?:approved|classified|raised|declared|handled|treated|run|filed)\s+as\s+an?\s+
            (?:emergency|urgent|expedited)
        |sev[- ]?[01]\b|p[01]\s+(?:incident|security|outage|fix)
        |break[- ]?glass|expedited\s+change|ecab
        |actively\s+exploited
    )""",
    re.I | re.X,
)
# Why it cannot wait: a cause, an approval, or the cost of waiting.
_JUSTIFICATION = lazy_pattern(
    r"""\b(?:
        because|due\s+to|since|so\s+that|to\s+(?:fix|address|mitigate|stop|patch|close|
            remediate|contain|restore)
        |cve-\d{4}-\d+|exploit\w*|vulnerab\w*|rce\b|zero[- ]day|breach|incident|outage|
            data\s+(?:loss|corruption)|sev[- ]?[0-2]\b|inc-?\d+|customers?\s+(?:are|cannot|can't)
        |approved\s+by|approval\s+(?:from|by)|cab\s+chair|duty\s+director|incident\s+commander
        |cannot\s+wait|can't\s+wait|can\s+not\s+wait|does\s+not\s+allow\s+waiting|
            waiting\s+(?:until|for|till)\s+monday|until\s+monday|before\s+the\s+weekend|
            over\s+the\s+weekend|every\s+hour
    )""",
    re.I | re.X,
)


_CUE_WORDS = ("emergenc", "critical", "urgent", "sev", "p0", "p1", "exploit", "glass", "expedit")


def declared_emergency(
    lines: Sequence[Line], declared_type: bool, justification: Field | None
) -> Field | None:
    """Where the plan declares a justified emergency, or None.

    ``declared_type`` is a change type of emergency/hotfix given as a fact; ``justification``
    a labelled "Justification:" or "Reason:" line. Either makes a bare declaration enough."""
    # Only the lines that hold a cue word are read, each with the line after it (a sentence
    # wrapped onto the next line of its paragraph): found with str.find, most plans have none.
    cued = [
        _with_next(lines, index)
        for index in lines_with(lines, _CUE_WORDS)
        if _CUE.search(lines[index].text)
    ]
    for sentence in (sentence for line in cued for sentence in split_line(line)):
        text = sentence.text
        if not _CUE.search(text):
            continue
        for mention in _DECLARATION.finditer(text):
            if not _affirmed(text, mention.start(), mention.end()):
                continue
            rest = text[: mention.start()] + " " + text[mention.end() :]
            if _JUSTIFICATION.search(rest) or justification is not None or declared_type:
                line = sentence.line
                column = line.column + sentence.start + mention.start()
                return Field(
                    "emergency",
                    text.strip(),
                    line.number,
                    column,
                    column + len(mention.group(0)),
                    "text",
                )
    if declared_type and justification is not None:
        return justification
    return None


def _with_next(lines: Sequence[Line], index: int) -> Line:
    line = lines[index]
    following = lines[index + 1] if index + 1 < len(lines) else None
    if following is None or following.number != line.number + 1:
        return line
    return Line(line.number, line.column, f"{line.text} {following.text.strip()}")


def _affirmed(text: str, start: int, end: int) -> bool:
    """Stated as a fact about this change: not denied, not a plan or condition, not asked,
    not another change in the past ("last quarter we shipped an emergency hotfix")."""
    if is_negated(text, start, end) or is_unrealised(text, start):
        return False
    if text.rstrip().endswith("?"):
        return False
    before = text[:start].lower()
    if _ANOTHER_TIME.search(before):
        return False
    return not re.search(r"\b(?:if|unless|whether|should|in\s+case|when)\b[^.;:]*$", before)


# A clause that sets the mention in another time than this change's.
_ANOTHER_TIME = lazy_pattern(
    r"\b(?:last|previous|prior|earlier)\s+(?:time|week|month|quarter|year|release|sprint|"
    r"incident|friday)\b[^.;:]*$|\b(?:in|back\s+in)\s+(?:19|20)\d\d\b[^.;:]*$|"
    r"\b(?:\w+\s+)?ago\b[^.;:]*$|\bonce\s+(?:before|had)\b[^.;:]*$",
    re.IGNORECASE,
)
