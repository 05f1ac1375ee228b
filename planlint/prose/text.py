"""Prose helpers shared by facts and checks: where the prose is, placeholders, sentences, negation.

A rule that looks for words must look only at prose (never at code, HTML comments or front
matter) and must read a sentence the way a person does: "rollback has not been tested" says
the opposite of "rollback has been tested".
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from planlint.core.frozen import lazy_pattern
from planlint.markdown.nodes import (
    Blank,
    Block,
    Code,
    HtmlBlock,
    Leaf,
    Line,
    Section,
    Table,
    ThematicBreak,
    walk_blocks,
)
from planlint.prose.literals import could_match, hides_matches, literal_cues, lower_for_search

# -- where the prose is ------------------------------------------------------------------------

_BACKTICKS = lazy_pattern(r"`+")


_NOT_PROSE = (Code, HtmlBlock, Blank, ThematicBreak)


def prose_lines(blocks: Iterable[Block]) -> Iterator[Line]:
    """Lines of paragraphs, headings, list items and tables; not code, HTML or blank lines."""
    for block in blocks:
        if isinstance(block, Section):
            if block.prose is None:
                block.prose = list(_walk_prose(block))
            yield from block.prose
        else:
            yield from _walk_prose(block)


class ProseLines(tuple[Line, ...]):
    """Lines of prose read once and searched by many: their joined, lowered text is made on
    the first search and kept for the next ones."""

    _joined: tuple[str, list[int]] | None = None
    _flat: tuple[str, str | None] | None = None

    def joined(self) -> tuple[str, list[int]]:
        if self._joined is None:
            self._joined = _join(self)
        return self._joined

    def may_match(self, patterns: Iterable[re.Pattern[str]]) -> list[re.Pattern[str]]:
        """The ``patterns`` that could match a sentence of these lines: one search each of the
        whole text, as written and with its code blanked (blanks can bring two words together),
        every run of white space made one space (as sentences join wrapped lines). Whatever a
        sentence or a table row holds, this text holds too."""
        if self._flat is None:
            written = " ".join(line.text for line in self)
            masked = mask_code.__wrapped__(written)  # once per document: not for the line cache
            flat = " ".join(written.split()) + "\n" + " ".join(masked.split())
            self._flat = (flat, lower_for_search(flat))
        flat, lowered = self._flat
        return [pattern for pattern in patterns if could_match(pattern, flat, lowered)]

    def numbers_with(self, words: Iterable[str]) -> set[int] | None:
        """The numbers of the lines that hold one of ``words`` (lower case); None when lowering
        could hide a case-insensitive match (``hides_matches``)."""
        joined, _ = self.joined()
        if hides_matches(joined):
            return None
        return {self[index].number for index in lines_with(self, words)}

    def lines_for(self, patterns: Iterable[re.Pattern[str]]) -> set[int] | None:
        """The numbers of the lines where one of ``patterns`` can match: those that hold a
        word it starts with (``literal_cues``). None when that cannot be told (a pattern
        with no such word, or no prose read): then every line may."""
        cues: list[str] = []
        for pattern in patterns:
            found = literal_cues(pattern.pattern, pattern.flags)
            if found is None or not self:
                return None
            cues += found
        return self.numbers_with(cues)


def _join(lines: Sequence[Line]) -> tuple[str, list[int]]:
    lowered = [line.text.lower() for line in lines]  # "İ" lowers to two characters
    starts = list(itertools.accumulate((len(text) + 1 for text in lowered), initial=0))
    return "\n".join(lowered), starts


def lines_with(
    lines: Sequence[Line], words: Iterable[str], at_word_start: bool = False
) -> list[int]:
    """Indexes of the ``lines`` whose text holds one of ``words`` (lower case), in order; with
    ``at_word_start``, only where a word starts (for a pattern opening with ``\\b``: "api "
    holds no "i ").

    One ``str.find`` pass per word over the joined, lowered text: most plans hold none of a
    rule's words, and a regex tried line by line costs far more than finding there are none.
    """
    joined, starts = lines.joined() if isinstance(lines, ProseLines) else _join(lines)
    found: set[int] = set()
    for word in words:
        at = joined.find(word)
        while at != -1:
            if at_word_start and at and (joined[at - 1].isalnum() or joined[at - 1] == "_"):
                at = joined.find(word, at + 1)  # inside a word
                continue
            index = bisect.bisect_right(starts, at) - 1
            found.add(index)
            at = joined.find(word, starts[index + 1])  # the next line: this one is counted
    return sorted(found)


def _walk_prose(root: Block) -> Iterator[Line]:
    for block in walk_blocks([root]):
        if isinstance(block, Leaf) and not isinstance(block, _NOT_PROSE):
            yield from block.lines


@functools.lru_cache(maxsize=1 << 16)
def mask_code(text: str) -> str:  # cached: every prose check masks the same lines
    """Blank out inline code spans and inline comments, keeping every column where it was.

    Both are found by scanning, not by a backtracking regex: a line of a thousand backticks
    or ``<!--`` must cost a thousand steps, not a million.
    """
    if "`" not in text and "<!--" not in text:
        return text
    spans = code_spans(text)
    start = text.find("<!--")
    while start != -1:
        end = text.find("-->", start + 4)
        if end == -1:
            break  # never closed: no comment from here on
        spans.append((start, end + 3))
        start = text.find("<!--", end + 3)
    if not spans:
        return text
    masked = list(text)
    for begin, end in spans:
        masked[begin:end] = " " * (end - begin)
    return "".join(masked)


def code_spans(text: str) -> list[tuple[int, int]]:
    """CommonMark code spans: a run of n backticks up to the next run of exactly n."""
    runs = [(match.start(), match.end()) for match in _BACKTICKS.finditer(text)]
    by_length: dict[int, list[int]] = {}
    for index, (begin, end) in enumerate(runs):
        by_length.setdefault(end - begin, []).append(index)
    spans = []
    index = 0
    while index < len(runs):
        begin, end = runs[index]
        same = by_length[end - begin]
        later = bisect.bisect_right(same, index)
        if later == len(same):
            index += 1  # no closing run: these backticks are literal
            continue
        closing = same[later]
        spans.append((begin, runs[closing][1]))
        index = closing + 1
    return spans


# -- placeholders --------------------------------------------------------------------------------

_HTML_TAGS = frozenset(
    """a abbr b br code del details div em h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre
    q s samp small span strong sub summary sup table tbody td th thead tr u ul""".split()
)
# $NOTES or ${WINDOW}: two or more capitals (a lone $S is maths), not followed by "/" ($HOME/x
# is a path), and not one of the environment variables every shell has.
_SHELL_VARIABLE = lazy_pattern(r"\$\{?(?P<name>[A-Z][A-Z0-9_]+)\}?(?![\w/])")
_ENVIRONMENT_VARIABLES = frozenset(
    "HOME PATH USER PWD SHELL TMPDIR LANG TERM HOSTNAME KUBECONFIG GOPATH PYTHONPATH".split()
)
_MUSTACHE = lazy_pattern(r"\{\{\s*[^{}\n]{1,80}?\s*\}\}")
_MARKER = lazy_pattern(r"(?<![\w-])(?:TODO|TBD|FIXME|TBA)(?![\w-])")
_BRACKET = lazy_pattern(r"(?<![\]\\!])\[([^\[\]\n]{1,80})\](?![(\[:])")
_CAPS_WORDS = (
    r"(?:DATE|TIME|OWNER|NAME|SERVICE|TEAM|VERSION|ENV|ENVIRONMENT|URL|LINK|EMAIL|TICKET|ID|"
    r"NUMBER|PERCENT)"
)
_BRACKET_PLACEHOLDER = lazy_pattern(
    rf"""^\s*(?:
        .*(?<![\w/])(?:X+|N|Y|Z)(?![\w/]).+                # [X%], [N minutes], [X.Y.Z]
        |.+(?<![\w/])(?:X+|N|Y|Z)(?![\w/]).*
        |.*\b(?:YYYY|MM|DD|HH|hh:mm|HH:MM)\b.*            # [YYYY-MM-DD]
        |(?:insert|add|enter|fill(?:\ in)?|your|specify|describe|replace|name\ of|link\ to)\b.*
        |[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+                     # [SERVICE_NAME]
        |(?:[A-Z]+\ )*{_CAPS_WORDS}(?:\ [A-Z]+)*            # [DATE], [TEAM NAME]
        |\.\.\.|…
    )\s*$""",
    re.VERBOSE,
)
_ANGLE = lazy_pattern(r"<([^<>\n]{1,80})>")
# Lower-case words: <release notes>, <env>, <service-name>. Capitalised words are key names
# (<Enter>) or quoted output (<ERROR payment declined>).
_ANGLE_PLACEHOLDER = lazy_pattern(r"^[a-z][a-z0-9 ._/'&()-]*$")


class Match(NamedTuple):
    text: str
    start: int  # 0-based index into the searched string
    end: int


def placeholders(text: str) -> list[Match]:
    """Template placeholders left in a line of prose, left to right.

    ``$NOTES``/``${NOTES}``, ``{{name}}``, ``[X%]``-style brackets, ``<release notes>``-style
    angle brackets and TODO/TBD/FIXME/TBA markers. Code spans are skipped: ``$HOME`` in code is
    shell, not a placeholder.
    """
    masked = mask_code(text)
    found: list[Match] = []
    # Each search only where the character it needs occurs: most lines hold none of them, and
    # a pattern that opens with a look-behind is otherwise tried at every character.
    if "$" in masked:
        found += [
            Match(m.group(0), m.start(), m.end())
            for m in _SHELL_VARIABLE.finditer(masked)
            if m.group("name") not in _ENVIRONMENT_VARIABLES
        ]
    if "{{" in masked:
        found += [Match(m.group(0), m.start(), m.end()) for m in _MUSTACHE.finditer(masked)]
    if "T" in masked or "F" in masked:  # TODO, TBD, TBA, FIXME
        found += [Match(m.group(0), m.start(), m.end()) for m in _MARKER.finditer(masked)]
    if "[" in masked:
        for bracket in _BRACKET.finditer(masked):
            inner = bracket.group(1)
            if inner.strip() in ("", "x", "X") and bracket.start() == 0:
                continue  # a task box
            if _BRACKET_PLACEHOLDER.match(inner):
                found.append(Match(bracket.group(0), bracket.start(), bracket.end()))
    if "<" in masked:
        for angle in _ANGLE.finditer(masked):
            if _is_angle_placeholder(angle.group(1)):
                found.append(Match(angle.group(0), angle.start(), angle.end()))
    if "<" in text and "`" in text:  # a slot in a path inside code: `scripts/<service>/run.sh`
        found += [
            Match(slot.group(1), slot.start(1), slot.end(1))
            for slot in _PATH_SLOT.finditer(text)
            if masked[slot.start(1)] == " " and _is_angle_placeholder(slot.group(1)[1:-1])
        ]
    found.sort(key=lambda hit: (hit.start, -hit.end))
    result: list[Match] = []
    for hit in found:  # nested hits (a TODO inside [TODO: x]) count once
        if result and hit.start < result[-1].end:
            continue
        result.append(hit)
    return result


# "<service>" as a whole segment of a path: a template slot even inside code, where "<" and
# ">" are otherwise redirections or generics.
_PATH_SLOT = lazy_pattern(r"(?<=[/\s`])(<[a-z][a-z0-9_-]{1,40}>)(?=/)")


def _is_angle_placeholder(inner: str) -> bool:
    if not _ANGLE_PLACEHOLDER.match(inner) or "=" in inner:
        return False
    first = inner.split()[0].lower().strip("/")
    # <br> and <span class> are HTML; <nil> and <none> are program output.
    return first not in _HTML_TAGS and first not in ("nil", "none", "null", "empty")


# In a command, an argument left as the template's slot: ``--cluster <connect-cluster>``,
# ``-n <your_namespace>``. Only words joined by "-" or "_" count: ``<name>`` alone is as often
# a heredoc, a redirect or an XML tag as a slot, and ``< input.sql`` is a redirect.
# The "<" opens the pattern, so the search skips to each one (a look-behind first would be
# tried at every character); what comes before it is checked after.
_COMMAND_SLOT = lazy_pattern(r"<([a-z][a-z0-9]*(?:[-_][a-z0-9]+)+)>(?![\w-])")


def command_placeholders(command: str) -> list[Match]:
    """Template slots left in a command (inline code or a shell block), left to right; a slot
    that a closing tag follows (``<connect-cluster>…</connect-cluster>``) is XML."""
    if "<" not in command:
        return []
    return [
        Match(found.group(0), found.start(), found.end())
        for found in _COMMAND_SLOT.finditer(command)
        if not _glued(command, found.start()) and f"</{found.group(1)}>" not in command
    ]


def _glued(text: str, index: int) -> bool:
    """Is the character before ``index`` a word character or another "<" (``a<b-c>``,
    ``<<heredoc-end>``)?"""
    return index > 0 and (text[index - 1].isalnum() or text[index - 1] in "<_")


def strip_placeholders(text: str) -> str:
    # Joined once: cutting each placeholder out of the whole line in turn is quadratic on a
    # long line full of them.
    kept: list[str] = []
    start = 0
    for match in placeholders(text):
        kept.append(text[start : match.start])
        start = match.end
    kept.append(text[start:])
    return "".join(kept)


def is_filler(text: str) -> bool:
    """Nothing but placeholders, punctuation and list/emphasis markup."""
    return re.sub(r"[\W_]+", "", strip_placeholders(text)) == ""


# -- sentences and negation ----------------------------------------------------------------------

_SENTENCE_END = lazy_pattern(r"(?<=[.!?;])\s+(?=[A-Z0-9*_`\[(\"'])")


class Sentence(NamedTuple):
    text: str  # inline code blanked out, so code never reads as prose
    line: Line  # the line the sentence is on
    start: int  # index into line.text
    checked: bool | None = None  # the task box of the list item it belongs to

    @property
    def raw(self) -> str:
        """The sentence as written, inline code included (to find a flag named in backticks)."""
        return self.line.text[self.start : self.start + len(self.text)]


def sentences(
    blocks: Iterable[Block], containing: re.Pattern[str] | None = None
) -> Iterator[Sentence]:
    """Sentences of the prose in ``blocks``; a list item's task box travels with its text.

    Sentences never cross a line, which keeps positions exact; plans write one statement per
    bullet, so little is lost. With ``containing``, only the lines where it occurs are split:
    a check looking for a word most plans never use need not split all of them.
    """
    for line in prose_lines(blocks):
        if containing is None or containing.search(line.text):
            yield from split_line(line)


_TASK_BOX = lazy_pattern(r"^\[([ xX])\]\s+")


def split_line(line: Line) -> Iterator[Sentence]:
    """The sentences of one line (or joined paragraph), its task box taken off first."""
    checked: bool | None = None
    box = _TASK_BOX.match(line.text)
    if box:
        checked = box.group(1) != " "
        line = Line(line.number, line.column + box.end(), line.text[box.end() :])
    text = mask_code(line.text)
    offset = 0
    for piece in _SENTENCE_END.split(text):
        start = text.index(piece, offset) if piece else offset
        offset = start + len(piece)
        if piece.strip():
            yield Sentence(piece, line, start, checked)


_NEGATION = lazy_pattern(
    r"""^(?:not|never|no|none|without|cannot|can't|won't|isn't|wasn't|aren't|weren't|hasn't|
    haven't|hadn't|didn't|doesn't|don't|nor|neither|yet|pending|lacks?|lacking|missing|n't|
    untested|unverified|unrehearsed|unvalidated|unproven|unable|skip|skips|skipped|skipping|
    omit|omits|omitted|omitting|forgo|forgoing|waive|waived|waiving)$""",
    re.IGNORECASE | re.VERBOSE,
)
_NOT_YET = lazy_pattern(
    r"""^(?:will|should|must|shall|need|needs|plan|plans|planned|going|would|could|might|
    may|can|if|todo|tbd|later|soon)$""",
    re.IGNORECASE | re.VERBOSE,
)
_AFTER_NEGATION = lazy_pattern(
    r"^\s*[:?|]?\s*(?:no\b|none\b|false\b|not\b|never\b|n/a\b|pending\b|tbd\b|todo\b|\[\s\]|"
    r"(?:did|does|do|was|were|is|are|has|have|had|wo|will)n['’]?t\b|skipped\b|waived\b)"
    r"|^[^.;]*?\b(?:and|but)\s+(?:it\s+)?(?:failed|did\s+not\s+work|didn't\s+work|broke)\b",
    re.IGNORECASE,
)
_WORD = lazy_pattern(r"[A-Za-z]+(?:'[a-z]+)?")
_CLAUSE_BREAK = lazy_pattern(r"[,;:()—–|]|\s-\s")  # "|" joins the cells of a table row
NEGATION_WINDOW = 5  # words before a term that can still negate it ("has not yet been tested")


def _words_before(sentence: str, index: int) -> list[str]:
    """Up to NEGATION_WINDOW words before ``index``, within the same clause: in "With no
    errors, the rollback was rehearsed" the "no" belongs to another clause."""
    clause_start = 0
    for found in _CLAUSE_BREAK.finditer(sentence, 0, index):
        clause_start = found.end()
    return _WORD.findall(sentence[clause_start:index])[-NEGATION_WINDOW:]


def is_negated(sentence: str, start: int, end: int) -> bool:
    """Does the sentence deny the term at ``start:end``? ("has not been tested", "Tested: no")."""
    if any(_NEGATION.match(word) for word in _words_before(sentence, start)):
        return True
    return _AFTER_NEGATION.match(sentence[end:]) is not None


def denies_within(sentence: str, start: int, end: int) -> bool:
    """Does a denial sit inside a long match, between the words it joins? ("Security: didn't
    send it to AppSec, a separate review felt unnecessary" is no security review.)"""
    return any(_DENIAL.match(word) for word in _WORD.findall(sentence[start:end])[1:])


# What, between two words a pattern joins, says the thing was not done: "no" and "not" are
# too often about something else there ("rollback if 5xx, no matter the cause").
_DENIAL = lazy_pattern(
    r"^(?:(?:did|does|do|was|were|is|are|has|have|had|wo)n't|never|skip|skipped|skipping|"
    r"omitted|waived)$",
    re.IGNORECASE,
)


def is_unrealised(sentence: str, start: int) -> bool:
    """Is the term a plan or a wish rather than a fact? ("will be tested", "to be rehearsed",
    "to test"). "to" counts only right before the term: in "the switch back to 100% was
    practised" it is a preposition."""
    words = _words_before(sentence, start)
    if (words[-1:] and words[-1].lower() == "to") or [w.lower() for w in words[-2:]] == [
        "to",
        "be",
    ]:
        return True
    return any(_NOT_YET.match(word) for word in words)


def clause_before(sentence: str, index: int) -> str:
    """The text of the clause that ``index`` is in, up to ``index`` ("Avoid saying" in
    "Reviewers: avoid saying it should work")."""
    clause_start = 0
    for found in _CLAUSE_BREAK.finditer(sentence, 0, index):
        clause_start = found.end()
    return sentence[clause_start:index]


_QUOTED = lazy_pattern(r"\"[^\"]*\"|“[^”]*”|(?<!\w)'[^']*'(?!\w)|‘[^’]*’")


def is_quoted(sentence: str, start: int, end: int) -> bool:
    """Is ``start:end`` inside quotation marks? A quoted phrase is mentioned, not used
    (Never assume "it should work")."""
    return any(q.start() < start and end < q.end() for q in _QUOTED.finditer(sentence))


def joined_position(lines: Sequence[Line], offset: int) -> tuple[int, int]:
    """Where ``offset`` into the joined text of ``lines`` (each stripped, joined with single
    spaces, as ``wrapped_sentences`` reads a paragraph) is: (line number, column)."""
    start = 0
    for index, line in enumerate(lines):
        stripped = line.text.strip()
        end = start + len(stripped)
        if offset <= end or index == len(lines) - 1:
            lead = len(line.text) - len(line.text.lstrip())
            return line.number, line.column + lead + max(0, offset - start)
        start = end + 1
    return (lines[0].number, lines[0].column) if lines else (1, 1)


def wrapped_sentences(blocks: Iterable[Block]) -> Iterator[Sentence]:
    """Like ``sentences``, but a paragraph's lines are joined first, so a sentence wrapped
    over two lines ("then remove / the flag") reads whole. Table rows stay one line each.

    Each sentence's ``line`` is the paragraph's first line with the joined text: the line
    number and ``raw`` are right, columns only for a sentence on the first line. Use it where
    a finding points elsewhere (at a heading) and only the wording matters.
    """
    for block in walk_blocks(list(blocks)):
        if not isinstance(block, Leaf) or isinstance(block, _NOT_PROSE) or not block.lines:
            continue
        if isinstance(block, Table):
            units = list(block.lines)
        else:
            first = block.lines[0]
            joined = " ".join(line.text.strip() for line in block.lines)
            units = [Line(first.number, first.column, joined)]
        for unit in units:
            yield from split_line(unit)
