"""Reading "the plan says X was done" from prose, the way a reviewer reads it.

Every check that asks whether something happened (the rollback was tested, the backup was
taken, the flag was tried both ways) reads through ``statements``. It finds each place where an
evidence term ("tested", "rehearsed", "drill", "dry run", "we ran the rollback") is said about
the subject, and says whether the plan states it as done, denies it, or only plans it:

- **units**: a paragraph or list item is read whole, so a sentence wrapped over lines
  ("the rollback was⏎rehearsed") reads as one; a table row is read as one unit whose cells are
  joined ("| Rollback tested | Yes, 2026-11-20 |").
- **code**: inline code counts as words for the subject (`` `make rollback` `` names a
  rollback), never as an evidence term or a denial.
- **labels and answers**: "Rollback tested?: Yes", "**Rehearsed:** on staging 2026-11-20",
  "Tested? — No, planned for next sprint", a ticked or unticked task box.
- **negation and hedging**: "has not been tested", "untested", "never drilled" deny it; "will
  be rehearsed", "planned for next sprint", "to be tested", "not yet", "pending", "TBD" only
  plan it.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Iterator
from re import Pattern
from typing import Literal, NamedTuple, cast

from planlint.core.frozen import lazy_pattern
from planlint.markdown.nodes import Block, Leaf, Line, Table, walk_blocks
from planlint.prose.text import Sentence, is_negated, is_unrealised, mask_code, wrapped_sentences

Stance = Literal["done", "denied", "planned"]


class Statement(NamedTuple):
    """An evidence term said about the subject, and what the plan says of it."""

    unit: Sentence
    start: int  # the evidence term, as indexes into ``unit.text``
    end: int
    stance: Stance

    @property
    def quote(self) -> str:
        """The statement as written, inline code included."""
        return self.unit.raw.strip()


# After the term: an answer that denies it ("Tested?: No", "rehearsed — not yet") ...
_DENYING_ANSWER = lazy_pattern(
    r"^\W{0,4}(?:no\b|false\b|not\b|never\b|none\b|n/a\b|❌|✗|✘|\[\s\])", re.IGNORECASE
)
# ... or one that only plans it ("drill planned for next sprint", "rehearsal: pending").
_PLANNING_ANSWER = lazy_pattern(
    r"""^\W{0,4}(?:(?:is|are|was|has\s+been|will\s+be)\s+)?
    (?:planned|scheduled|pending|booked|tbd|todo|to\s+be\b|to\s+do\b|not\s+yet|next\s+(?:week|sprint)|
    later|soon|in\s+progress|ongoing|after\s+(?:the\s+)?(?:release|rollout|window|deploy\w*))""",
    re.IGNORECASE | re.VERBOSE,
)
_PLANNING_ANYWHERE = lazy_pattern(
    r"\b(?:planned\s+for|scheduled\s+for\s+(?:next|the\s+sprint|later)|not\s+yet|yet\s+to\s+be|"
    r"still\s+to\s+be|to\s+be\s+(?:tested|rehearsed|drilled|done|scheduled)|"
    r"will\s+be\s+(?:\w+ly\s+)?(?:added|performed|done|run|tested|written|conducted|"
    r"carried\s+out|executed|exercised|rehearsed|drilled))\b",
    re.IGNORECASE,
)


class Unit(NamedTuple):
    """A sentence to read, and the text of the paragraph, list item or table row it is in."""

    sentence: Sentence
    context: str  # as written, code included


def reading_units(
    blocks: Iterable[Block], on_lines: Container[int] | None = None
) -> Iterator[Unit]:
    """The sentences of paragraphs and list items (wrapped lines joined) and each table row as
    one unit, its cells joined with " | " (the header row too: a two-column table's header
    can be a label and its answer). With ``on_lines``, a block with none of its lines among
    them is not read at all: most of a plan holds none of the words a check looks for."""
    for block in walk_blocks(list(blocks)):
        if not isinstance(block, Leaf) or not block.lines:
            continue
        if on_lines is not None and not any(line.number in on_lines for line in block.lines):
            continue
        if block.reading is None:
            block.reading = _read(block)
        yield from cast("list[Unit]", block.reading)


def _read(block: Leaf) -> list[Unit]:
    if isinstance(block, Table):
        units = []
        for row in [block.header, *block.rows]:
            cells = [cell for cell in row if cell.text.strip()]
            if not cells:
                continue
            text = " | ".join(cell.text.strip() for cell in cells)
            line = Line(cells[0].line, cells[0].column, text)
            units.append(Unit(Sentence(mask_code(text), line, 0), text))
        return units
    context = " ".join(line.text.strip() for line in block.lines)
    return [Unit(sentence, context) for sentence in _answered(block)]


_ANSWER = lazy_pattern(r"^\W{0,3}(?:yes|no|not|done|pending|tbd|n/a|✅|❌|✔|✗)\b", re.IGNORECASE)


def _answered(block: Leaf) -> Iterator[Sentence]:
    """The block's sentences, a question joined to the answer after it ("Tested? Yes, ran
    v3.2 → v3.1 on stg-web-06"), so that the answer is read with what it answers."""
    pending: Sentence | None = None
    for sentence in wrapped_sentences([block]):
        if pending is not None:
            if _ANSWER.match(sentence.text):
                gap = " " * (sentence.start - pending.start - len(pending.text))
                yield pending._replace(text=pending.text + gap + sentence.text)
                pending = None
                continue
            yield pending
            pending = None
        if sentence.text.rstrip().endswith("?"):
            pending = sentence
        else:
            yield sentence
    if pending is not None:
        yield pending


_MARKUP = lazy_pattern(r"^[\s*_>#`-]*")


def _stance(unit: Sentence, start: int, end: int, term: str) -> Stance:
    text = unit.text
    if term.lower().startswith("un") or unit.checked is False:  # "untested", "[ ] drill"
        return "denied" if unit.checked is not False else "planned"
    after = text[end:]
    if _DENYING_ANSWER.match(after) or is_negated(text, start, end):
        before = text[:start].lower()
        if re.search(r"\bnot\s+yet\b|\byet\s+to\b", before + " " + after[:20].lower()):
            return "planned"
        return "denied"
    if _PLANNING_ANSWER.match(after) or is_unrealised(text, start):
        return "planned"
    if _PLANNING_ANYWHERE.search(text):
        return "planned"
    return "done"


def statements(
    blocks: Iterable[Block],
    evidence: Pattern[str],
    subject: Pattern[str] | None = None,
    label: Pattern[str] | None = None,
    on_lines: Container[int] | None = None,
) -> Iterator[Statement]:
    """Every place in ``blocks`` where an ``evidence`` term is said about the ``subject``.

    ``subject`` None means any sentence is about it (the section itself is the subject). A
    unit that opens with ``label`` ("Tested:", "Last drill:") is about the subject too.
    ``on_lines`` narrows the reading to the blocks with a line among them (the lines that
    hold a word every evidence term starts with).
    """
    for unit, context in reading_units(blocks, on_lines):
        text = unit.text
        if text.rstrip(" *_").endswith("?"):
            continue  # a question left unanswered ("Was the rollback tested?") claims nothing
        matches = list(evidence.finditer(text))
        if not matches:
            continue
        labelled = label is not None and label.match(_MARKUP.sub("", text)) is not None
        # The subject may be named anywhere in the item ("Rollback automation: … Both rehearsed
        # on staging"), in code too (`make rollback`).
        if subject is not None and not labelled and not subject.search(context.replace("`", " ")):
            continue
        previous: Statement | None = None
        for match in matches:
            stance = _stance(unit, *match.span(), match[0])
            # "We haven't run it yet; the plan is to do a drill": a later term in the same
            # sentence shares the denial, unless the sentence turns ("but", "however").
            if (
                previous is not None
                and previous.stance != "done"
                and stance == "done"
                and not _CONTRAST.search(text, previous.end, match.start())
            ):
                stance = previous.stance
            previous = Statement(unit, match.start(), match.end(), stance)
            yield previous


_CONTRAST = lazy_pattern(r"\b(?:but|however|though|although|whereas|instead)\b", re.IGNORECASE)
