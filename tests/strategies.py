"""Hypothesis strategies for Markdown-like plans: generated documents and mutated real files.

A document is built as a list of lines (without endings) from constructs that decide block
structure (headings, fences, HTML, lists, quotes, tables, front matter…), nested through quote
and list-item wrappers, then joined with LF, CRLF, CR or a mix, with tabs and trailing spaces.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path

from hypothesis import strategies as st

from planlint.engine.packs import default_packs
from planlint.facts.frontmatter import FrontMatterData

Lines = list[str]

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
CORPUS_FILES: list[Path] = sorted(CORPUS.rglob("*.md")) if CORPUS.is_dir() else []

# Anything but NUL (the bytes layer rejects it) and lone surrogates (not encodable).
_ANY = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")
# The same within one line: CR and LF are the only line ends; the other Unicode "line breaks"
# (VT, FF, NEL, LS, PS) must stay inside a line.
_IN_LINE = st.characters(exclude_categories=["Cs"], exclude_characters="\x00\r\n")

# Every canonical title and alias of the bundled profiles, plus headings that near-miss them.
_PROFILE_TITLES = [
    name
    for _, pack in default_packs()
    if pack.profile is not None
    for section in pack.profile.sections
    for name in (section.title, *section.aliases)
]
SECTION_TITLES = (
    *_PROFILE_TITLES,
    *("Context", "Deployment Context", "Rollback (automated)", "Contacts: escalation"),
)

WORDS = (
    "plan",
    *SECTION_TITLES,
    "1.",
    "2)",
    "Step 3:",
    "TBD",
    "TODO",
    "<placeholder>",
    "{{ value }}",
    "XXX",
    "Environment: production",
    "ENVIRONMENT: staging",
    "WINDOW: Tuesday 2026-12-01 09:00–10:30 UTC",
    "Window: 2026-12-24 23:00-01:00",
    "window: 25:99 to yesterday",
    "WINDOW: 9999-12-31 23:00–01:00 UTC",
    "WINDOW: 0001-01-01 00:00-01:00 Etc/GMT-14",
    "Window: 2026-12-01 09:00–10:30 UTC+5:45",
    "Maintenance window: Tuesday 09:00 to Monday 08:00 ../x",
    "Risk: high",
    "Flag: new-checkout",
    "Change type: emergency hotfix because CVE-2024-1234",
    "NOTES: n/a",
    "5xx rate < 0.5% for 10 minutes",
    "p99 under 300 ms",
    "You are Codex.",
    "kubectl rollout undo deploy/x",
    "`code`",
    "``",
    "**bold**",
    "_em_",
    "[link](http://x)",
    "[ref]",
    "[ref]: http://example.com",
    "![img](x.png)",
    "<b>",
    "<!--",
    "-->",
    "<!-- planlint-disable -->",
    "<!-- planlint-disable-next-line missing-section -->",
    "<!-- planlint-enable nonexistent-rule -->",
    "\\",
    "|",
    "#",
    "`",
    "~",
    ">",
    "*",
    "-",
    "=",
    "\t",
    "日本語",
    "é",
    "e\u0301",
    "🚀",
    "\u200b",
    "\u2028",
    "\x85",
    "\x0c",
    "\x0b",
    "\ufeff",
    "\u00a0",
    "ﬁ",
)

_word = st.one_of(st.sampled_from(WORDS), st.text(_IN_LINE, max_size=12))
inline = st.lists(_word, max_size=6).map(" ".join)
nonblank_inline = st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join)
_indent = st.sampled_from(["", "", "", " ", "  ", "   ", "    ", "\t", " \t"])


def _one(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[Lines]:
    return strategy.map(lambda line: [line])


@st.composite
def atx_heading(draw: st.DrawFn) -> Lines:
    hashes = "#" * draw(st.integers(1, 7))
    gap = draw(st.sampled_from(["", " ", " ", "\t", "  "]))
    closing = draw(st.sampled_from(["", "", " #", " ##", "#", " # ", " \\#"]))
    return [draw(_indent) + hashes + gap + draw(inline) + closing]


@st.composite
def setext_heading(draw: st.DrawFn) -> Lines:
    text = draw(st.lists(nonblank_inline, min_size=1, max_size=2))
    underline = draw(st.sampled_from(["=", "===", "---", "-", " ---  ", "= =", "----\t", "  ==="]))
    return [*text, underline]


paragraph = st.lists(inline, min_size=1, max_size=3)


@st.composite
def fenced_code(draw: st.DrawFn) -> Lines:
    char = draw(st.sampled_from("`~"))
    length = draw(st.integers(3, 5))
    indent = draw(st.sampled_from(["", " ", "   "]))
    info = draw(st.sampled_from(["", "sh", " yaml", "python title=`x`", "`bad", "~~~", "{.x}"]))
    body_line = st.one_of(
        inline, st.sampled_from(["# not a heading", "```", "~~~", "````", "    x", "---"])
    )
    body = draw(st.lists(body_line, max_size=4))
    closing = draw(
        st.sampled_from(
            [
                None,
                char * length,
                char * (length + 1),
                char * (length - 1),
                ("~" if char == "`" else "`") * length,
                "    " + char * length,
                char * length + " info",
                char * length + "  ",
            ]
        )
    )
    return [indent + char * length + info, *body, *([] if closing is None else [closing])]


@st.composite
def indented_code(draw: st.DrawFn) -> Lines:
    prefix = draw(st.sampled_from(["    ", "\t", "     ", "  \t"]))
    return [prefix + line for line in draw(st.lists(inline, min_size=1, max_size=3))]


@st.composite
def html(draw: st.DrawFn) -> Lines:
    body = draw(st.lists(inline, max_size=3))
    kind = draw(st.integers(0, 5))
    if kind == 0:  # a comment, maybe never closed
        closing = draw(st.sampled_from(["-->", "x -->", "", "--!>"]))
        return ["<!--", *body, *([closing] if closing else [])]
    if kind == 1:
        return [draw(st.sampled_from(["<!-- one line -->", "<!-- planlint-disable-file -->"]))]
    if kind == 2:
        tag = draw(st.sampled_from(["div", "details", "table", "p", "custom-tag", "DIV"]))
        return [f"<{tag}>", *body, f"</{tag}>"]
    if kind == 3:
        tag = draw(st.sampled_from(["script", "pre", "style", "textarea"]))
        return [f"<{tag}>", *body, *draw(st.sampled_from([[f"</{tag}>"], []]))]
    if kind == 4:
        opener = draw(st.sampled_from(["<?php", "<![CDATA[", "<!DOCTYPE html>", "<a href='x'>"]))
        return [opener, *body]
    return [draw(st.sampled_from(["<br/>", "</div>", "<summary>x</summary>", "< notatag>"]))]


@st.composite
def table(draw: st.DrawFn) -> Lines:
    width = draw(st.integers(1, 4))
    outer = draw(st.booleans())

    def row(cells: list[str]) -> str:
        inner = " | ".join(cells)
        return f"| {inner} |" if outer else inner

    cell = st.one_of(st.sampled_from(["a", "b\\|c", "`x|y`", "", "ENVIRONMENT", "prod"]), _word)
    header = row(draw(st.lists(cell, min_size=width, max_size=width)))
    dashes = st.sampled_from(["---", ":--", "--:", ":-:", "-", "- -"])
    columns = draw(st.sampled_from([width, width, width, width + 1, max(width - 1, 1)]))
    delimiter = row(draw(st.lists(dashes, min_size=columns, max_size=columns)))
    rows = draw(st.lists(st.lists(cell, min_size=1, max_size=5).map(row), max_size=3))
    return [header, delimiter, *rows]


thematic_break = _one(st.sampled_from(["***", "---", "___", "- - -", " * * *", "-- -", "_ _"]))
blank = _one(st.sampled_from(["", "", " ", "\t", "   "]))
list_lines = _one(
    st.sampled_from(
        [
            "- - x",
            "- - - x",
            "* + - # heading in a list",
            "1. 2. x",
            "- [ ] task",
            "- [x] done",
            "* [X] Done",
            "- [ ]",
            "-",
            "+ ",
            "1)",
            "10. item",
            "0. zero",
            "123456789. big",
            "1234567890. too big",
            "-\tx",
            "- > quoted",
            "> - item",
            ">> nested",
            "> > # quoted heading",
            ">",
        ]
    )
)


@st.composite
def front_matter_lines(draw: st.DrawFn) -> Lines:
    """``---`` fences around YAML-ish lines; the closing fence may be missing or ``...``."""
    body = draw(st.lists(yaml_line(), max_size=6))
    closing = draw(st.sampled_from(["---", "---", "...", "--- ", None]))
    return ["---", *body, *([] if closing is None else [closing])]


def yaml_line() -> st.SearchStrategy[str]:
    key = st.sampled_from(
        [
            *FrontMatterData.model_fields,
            "title",
            "authors",
            "- item",
            "? complex",
            "<<",
        ]
    )
    value = st.sampled_from(
        [
            "deploy-plan",
            "rollout-plan",
            "no-such-profile",
            "production",
            "high",
            "2021-13-01",
            "2026-12-01 09:00",
            "2026-12-01T09:00:00Z",
            "{start: 2026-12-01T09:00, end: 2026-12-01T10:00, timezone: Mars/Base}",
            "{start: 1, end: 2, extra: 3}",
            "{start: 9999-12-31T23:59:59, end: 0001-01-01T00:00:00, timezone: Etc/GMT-14}",
            "Etc/GMT-14",
            "'../x'",
            "[a, b]",
            "&a x",
            "*a",
            "*undefined",
            "!!python/object:os.system x",
            "!!binary ZZZ",
            "!!timestamp nope",
            "99999999999999999999999999",
            "1e999",
            ".nan",
            "~",
            "null",
            "yes",
            "'unterminated",
            '"\\xZZ"',
            "|",
            ">-",
            "{",
            "]",
            "@",
            "%YAML 1.2",
            "",
        ]
    )
    structured = st.builds(lambda i, k, v: f"{i}{k}: {v}", _indent, key, value)
    return st.one_of(structured, st.text(_IN_LINE, max_size=30), st.sampled_from(["\t- x", "-"]))


raw_chunk = st.text(_ANY, max_size=40).map(lambda text: re.split(r"\r\n|\r|\n", text))

leaf_chunk: st.SearchStrategy[Lines] = st.one_of(
    atx_heading(),
    setext_heading(),
    paragraph,
    fenced_code(),
    indented_code(),
    html(),
    table(),
    thematic_break,
    blank,
    list_lines,
    front_matter_lines(),
    raw_chunk,
)


@st.composite
def _quoted(draw: st.DrawFn, inner: st.SearchStrategy[Lines]) -> Lines:
    lines = draw(inner)
    marker = draw(st.sampled_from([">", "> ", ">>", "> > ", " >", ">\t", "   > "]))
    lazy = draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines)))
    return [
        line if (index and skip) else marker + line
        for index, (line, skip) in enumerate(zip(lines, lazy, strict=True))
    ]


@st.composite
def _item(draw: st.DrawFn, inner: st.SearchStrategy[Lines]) -> Lines:
    lines = draw(inner) or [""]
    marker = draw(
        st.sampled_from(["-", "*", "+", "1.", "2)", "10.", "- [ ]", "- [x]", "1. [ ]", "-   "])
    )
    gap = draw(st.sampled_from([" ", " ", "  ", "\t", "     "]))
    indent = draw(st.sampled_from([None, None, "", "  ", "    ", "\t", " "]))
    if indent is None:
        indent = " " * (len(marker) + len(gap))
    return [marker + gap + lines[0], *(indent + line if line else line for line in lines[1:])]


def _concat(chunks: list[Lines]) -> Lines:
    return [line for chunk in chunks for line in chunk]


def _extend(inner: st.SearchStrategy[Lines]) -> st.SearchStrategy[Lines]:
    return st.one_of(
        _quoted(inner), _item(inner), st.lists(inner, min_size=1, max_size=4).map(_concat)
    )


chunk: st.SearchStrategy[Lines] = st.recursive(leaf_chunk, _extend, max_leaves=10)

ENDINGS = ("\n", "\r\n", "\r")
_trailing = st.sampled_from(["", "", "", "", " ", "  ", "\t", " \t "])


@st.composite
def join_lines(draw: st.DrawFn, lines: Lines) -> str:
    """Lines → text: one ending style (or a mix), trailing blanks, maybe no final newline."""
    style = draw(st.sampled_from([*ENDINGS, "mixed"]))
    decorate = draw(st.booleans())
    parts = []
    for line in lines:
        ending = draw(st.sampled_from(ENDINGS)) if style == "mixed" else style
        parts.append(line + (draw(_trailing) if decorate else "") + ending)
    text = "".join(parts)
    if text and draw(st.booleans()):
        text = text.rstrip("\r\n")
    return text


@st.composite
def markdown(draw: st.DrawFn) -> str:
    """A generated document, sometimes opening with front matter."""
    head = draw(front_matter_lines()) if draw(st.integers(0, 3)) == 0 else []
    body = _concat(draw(st.lists(chunk, max_size=8)))
    return draw(join_lines([*head, *body]))


_CONTEXT_LINES = (
    "- NOTES: checkout v2.14",
    "- ENVIRONMENT: production",
    "- WINDOW: Tuesday 2026-12-01 09:00–10:30 UTC",
    "- FLAG: new-checkout",
    "- ENVIRONMENT:",
    "- WINDOW: 2026-02-30 09:00",
)


@st.composite
def plan(draw: st.DrawFn) -> str:
    """Something close to a real plan: profile-like front matter, a context block, a title and
    the profiles' section titles (shuffled, repeated, numbered) with generated bodies."""
    head: Lines = []
    if draw(st.booleans()):
        profile = draw(st.sampled_from(["deploy-plan", "rollout-plan", "nope", ""]))
        extra = draw(st.lists(yaml_line(), max_size=3))
        head = ["---", f"profile: {profile}", *extra, "---"]
    head.append("# " + draw(st.sampled_from(["Deployment plan: x", "Rollout plan", "Plan"])))
    head.extend(draw(st.lists(st.sampled_from(_CONTEXT_LINES), max_size=4)))
    titles = draw(st.lists(st.sampled_from(SECTION_TITLES), min_size=1, max_size=12))
    body: Lines = []
    for index, title in enumerate(titles):
        number = draw(st.sampled_from(["", f"{index + 1}. ", f"Step {index + 1}: "]))
        level = draw(st.sampled_from(["##", "##", "##", "###", "#"]))
        body.append(f"{level} {number}{title}")
        body.extend(_concat(draw(st.lists(chunk, max_size=3))))
    return draw(join_lines([*head, *body]))


@st.composite
def front_matter_document(draw: st.DrawFn) -> str:
    """Arbitrary text between ``---`` fences, then a little body."""
    free = draw(st.text(_ANY, max_size=80).filter(lambda text: "---" not in text))
    structured = draw(st.lists(yaml_line(), max_size=8))
    body = draw(st.sampled_from([free, "\n".join(structured)]))
    closing = draw(st.sampled_from(["---", "...", "---  "]))
    tail = _concat(draw(st.lists(chunk, max_size=2)))
    ending = draw(st.sampled_from(ENDINGS))
    return ending.join(["---", *re.split(r"\r\n|\r|\n", body), closing, *tail]) + ending


# -- mutations of real files -------------------------------------------------------------------

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")


def physical_lines(text: str) -> list[str]:
    """Lines with their endings (CR, LF, CRLF), independent of planlint's own splitter."""
    lines = _LINE.findall(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


@functools.cache
def corpus_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _with_ending(line: str, ending: str) -> str:
    return line.rstrip("\r\n") + ending


Mutation = Callable[[list[str]], list[str]]


@st.composite
def _mutation(draw: st.DrawFn) -> Mutation:
    kind = draw(st.integers(0, 8))
    i = draw(st.integers(0, 10**6))
    j = draw(st.integers(0, 10**6))
    if kind == 0:
        return lambda lines: lines[: i % len(lines)] + lines[i % len(lines) + 1 :]
    if kind == 1:
        return lambda lines: lines[: i % len(lines) + 1] + lines[i % len(lines) :]
    if kind == 2:

        def swap(lines: list[str]) -> list[str]:
            a, b = i % len(lines), j % len(lines)
            lines = list(lines)
            lines[a], lines[b] = lines[b], lines[a]
            return lines

        return swap
    if kind == 3:
        inserted = [line + "\n" for line in draw(chunk)]
        return lambda lines: (
            lines[: i % (len(lines) + 1)] + inserted + lines[i % (len(lines) + 1) :]
        )
    if kind == 4:  # truncate, maybe mid-line

        def truncate(lines: list[str]) -> list[str]:
            keep = lines[: i % len(lines) + 1]
            last = keep[-1]
            return [*keep[:-1], last[: j % (len(last) + 1)]]

        return truncate
    if kind == 5:
        ending = draw(st.sampled_from(ENDINGS))
        return lambda lines: [_with_ending(line, ending) for line in lines]
    if kind == 6:
        ending = draw(st.sampled_from(["", *ENDINGS]))

        def one_ending(lines: list[str]) -> list[str]:
            lines = list(lines)
            lines[i % len(lines)] = _with_ending(lines[i % len(lines)], ending)
            return lines

        return one_ending
    if kind == 7:  # a line gains leading tabs or trailing blanks
        extra = draw(st.sampled_from(["\t", "  ", " \t", "    "]))
        lead = draw(st.booleans())

        def whitespace(lines: list[str]) -> list[str]:
            lines = list(lines)
            line = lines[i % len(lines)]
            body = line.rstrip("\r\n")
            lines[i % len(lines)] = extra + line if lead else body + extra + line[len(body) :]
            return lines

        return whitespace
    # a window of the file: keeps the big files cheap
    size = draw(st.integers(1, 200))
    return lambda lines: lines[i % len(lines) : i % len(lines) + size]


@st.composite
def mutated_corpus(draw: st.DrawFn, max_lines: int | None = None) -> str:
    """A real file from the corpus after a few random edits (optionally cut to a window)."""
    path = draw(st.sampled_from(CORPUS_FILES))
    lines = physical_lines(corpus_text(path))
    if max_lines is not None and len(lines) > max_lines:
        start = draw(st.integers(0, len(lines) - max_lines))
        lines = lines[start : start + max_lines]
    for mutate in draw(st.lists(_mutation(), max_size=6)):
        if not lines:
            break
        lines = mutate(lines)
    return "".join(lines)
