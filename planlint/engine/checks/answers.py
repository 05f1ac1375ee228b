"""``answered``: every section in scope holds an answer of its own, beyond the template's text,
placeholders ("N/A", "TBD", "Will be added in beta"), comments and unticked boxes; and, asked
to, an answer that does not deny or defer what the question asks about ("Were upgrade and
rollback tested?" answered "No" or "will be tested before beta").

Each section is reported at its heading. Only the section's own blocks are its answer: the
sections nested in it are questions of their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from re import Pattern
from typing import TYPE_CHECKING

from planlint.core.frozen import lazy_pattern
from planlint.engine.check_api import CheckContext, CheckKind, Finding, at_block
from planlint.markdown.nodes import (
    Block,
    Code,
    HtmlBlock,
    Leaf,
    Line,
    ListItem,
    Paragraph,
    Section,
    walk_blocks,
)
from planlint.prose.evidence import Statement, statements
from planlint.prose.text import is_filler, mask_code, prose_lines, wrapped_sentences

if TYPE_CHECKING:
    from planlint.engine.options.answers import AnsweredOptions

_MARKUP = lazy_pattern(r"^[\s*_>`#:.,;()\[\]-]+|[\s*_>`#:.,;()\[\]!-]+$")
# The first words of an answer that answers the question itself: "No.", "Yes, on 1.29".
_ANSWER_WORD = lazy_pattern(r"^\W{0,3}(?:yes|no|not|n/a|none|done|pending|tbd)\b", re.IGNORECASE)


def answered(ctx: CheckContext, options: AnsweredOptions) -> Iterator[Finding]:
    """Each section in scope holds an answer of its own: a sentence or item that is not the
    template's text (``template``), a placeholder (``placeholders``: "N/A", "TBD", "Will be
    added in beta"), a comment or an unticked box; a code block counts. A section that holds
    other sections of the scope (``prr/*``) is a group: they answer for it. With ``evidence``, the
    answer must not deny or only plan what the question asks about ("No", "will be tested
    before beta"), nor, with ``not_needed``, call it unnecessary. Reported at each section's
    heading, with ``{section}`` (its title) and ``{detail}`` for the message."""
    template = {_normal(phrase) for phrase in options.template}
    for section in ctx.scope:
        if any(
            other is not section and section.start_line < other.start_line <= section.end_line
            for other in ctx.scope
        ):
            continue  # a group of questions in scope ("prr/*"): its answers are theirs
        answer = _answer_blocks(section)
        said = [s for s in _sentences(answer) if _says(s, options.placeholders, template)]
        has_code = any(isinstance(b, Code) and b.lines for b in walk_blocks(answer)) or any(
            mask_code(line.text) != line.text for line in prose_lines(answer)
        )  # "`apiserver_request_total`" alone answers "Which metric?"
        if options.evidence is None:  # only: is there an answer?
            if not said and not has_code:
                yield at_block(
                    ctx.document, section, section=section.title, detail="it has no answer"
                )
            continue
        if not said:
            continue  # unanswered: a rule without `evidence` says so
        against = _denied(section, answer, options.evidence, options.not_needed, template)
        if against is None:
            continue
        if isinstance(against, str):
            detail = f"the answer says it was not needed: {against!r}"
        else:
            verb = "denies" if against.stance == "denied" else "only plans"
            detail = f"the answer {verb} it: {against.quote!r}"
        yield at_block(ctx.document, section, section=section.title, detail=detail)


def _answer_blocks(section: Section) -> list[Block]:
    """The section's own blocks, without comments (unticked boxes are left by
    ``_sentences``)."""
    return [block for block in section.blocks if not isinstance(block, HtmlBlock)]


def _sentences(blocks: Sequence[Block]) -> Iterator[str]:
    for block in walk_blocks(list(blocks)):
        if isinstance(block, ListItem) and block.checked is False:
            continue
        if isinstance(block, Leaf) and not isinstance(block, (Code, HtmlBlock)):
            for sentence in wrapped_sentences([block]):
                if sentence.checked is not False:
                    yield sentence.raw.replace("`", " ")  # "Metric: `foo_total`" answers


def _normal(text: str) -> str:
    return " ".join(_MARKUP.sub("", text.replace("`", " ")).lower().split())


def _says(text: str, placeholders: Sequence[Pattern[str]], template: set[str]) -> bool:
    """Does the sentence say something of its own?"""
    if is_filler(text):
        return False
    plain = _MARKUP.sub("", text.strip())
    if any(pattern.fullmatch(plain) for pattern in placeholders):
        return False
    return _normal(text) not in template


def _denied(
    section: Section,
    answer: list[Block],
    evidence: Pattern[str],
    not_needed: Pattern[str] | None,
    template: set[str],
) -> Statement | str | None:
    """The statement that denies or defers the thing, or the sentence that says it was not
    needed, when none says it was done. An answer that opens with "No"/"Yes"/"Not yet"
    answers the heading's question, and is read with it."""
    blocks: list[Block] = list(answer)
    first = next((b for b in walk_blocks(answer) if isinstance(b, Paragraph) and b.lines), None)
    if first is not None and _ANSWER_WORD.match(first.lines[0].text):
        question = Line(section.heading.start_line, section.heading.start_column, section.title)
        joined = Paragraph(
            lines=[question, *first.lines],
            start_line=question.number,
            start_column=question.column,
            end_line=first.end_line,
            end_column=first.end_column,
        )
        blocks = [joined if b is first else b for b in walk_blocks(answer) if isinstance(b, Leaf)]
    # The template's own text ("Describe manual testing that was done") says nothing was done.
    found = [s for s in statements(blocks, evidence) if _normal(s.unit.text) not in template]
    if any(statement.stance == "done" for statement in found):
        return None
    if found:
        return found[0]
    if not_needed is not None:
        for sentence in wrapped_sentences(blocks):
            if not_needed.search(sentence.text) and _normal(sentence.text) not in template:
                return sentence.raw.strip()
    return None


# The check kinds this module provides: the table in planlint.engine.kinds lists them.
KINDS = (CheckKind("answered", answered, "answers.AnsweredOptions", scoped=True),)
