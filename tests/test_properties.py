"""Properties of the parser, the bytes layer, the linter and front matter, checked by Hypothesis
on generated Markdown and on randomly edited real plans from ``../shared/corpus``."""

from __future__ import annotations

import codecs
import functools
import itertools
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planlint.core.results import FileResult
from planlint.core.source import decode
from planlint.engine.packs import default_packs
from planlint.engine.runner import INTERNAL_ERROR, Linter
from planlint.facts.plan import extract_facts
from planlint.markdown import Block, Document, Section, parse
from planlint.markdown.nodes import Leaf, Line, leaves, walk_blocks
from tests.strategies import (
    CORPUS,
    CORPUS_FILES,
    front_matter_document,
    markdown,
    mutated_corpus,
    physical_lines,
    plan,
)

PROFILES = (None, "rollout-plan", "deploy-plan")
needs_corpus = pytest.mark.skipif(
    not CORPUS_FILES, reason=f"no *.md files under {CORPUS} (the shared corpus is not checked out)"
)
# No example database: runs do not depend on what earlier runs found.
quick = settings(deadline=None, database=None)


# -- structure ---------------------------------------------------------------------------------


def all_nodes(document: Document) -> Iterator[Block]:
    """Front matter, every block at any depth, and every section's heading."""
    if document.front_matter is not None:
        yield document.front_matter
    for block in walk_blocks(document.body()):
        yield block
        if isinstance(block, Section):
            yield block.heading


def start(node: Block) -> tuple[int, int]:
    return node.start_line, node.start_column


def end(node: Block) -> tuple[int, int]:
    return node.end_line, node.end_column


def check_spans(document: Document) -> None:
    """Every span lies inside the document; columns stay within their lines (end exclusive)."""
    count = len(document.lines)
    for node in all_nodes(document):
        where = f"{node.kind} {start(node)}-{end(node)}"
        assert 1 <= node.start_line <= node.end_line <= count, where
        assert 1 <= node.start_column <= len(document.lines[node.start_line - 1]) + 1, where
        assert 1 <= node.end_column <= len(document.lines[node.end_line - 1]) + 1, where
        if isinstance(node, Leaf):
            numbers = [line.number for line in node.lines]
            assert numbers == sorted(numbers), where
            for line in node.lines:
                assert node.start_line <= line.number <= node.end_line, where
                assert 1 <= line.column <= len(document.lines[line.number - 1]) + 1, where
        if isinstance(node, Section):
            assert 1 <= node.level <= 6, where
            assert all(sub.level > node.level for sub in node.subsections), where


def check_tiling(document: Document) -> None:
    """Top-level nodes, and each section's heading, blocks and subsections, tile their lines."""
    top = document.top_level()
    if not document.lines:
        assert top == []
        return
    assert top[0].start_line == 1
    assert top[-1].end_line == len(document.lines)
    for before, after in itertools.pairwise(top):
        assert before.end_line + 1 == after.start_line, (before.kind, after.kind)
    for section in document.walk_sections():
        parts: list[Block] = [section.heading, *section.blocks, *section.subsections]
        assert section.start_line == section.heading.start_line
        assert section.end_line == parts[-1].end_line
        for before, after in itertools.pairwise(parts):
            assert before.end_line + 1 == after.start_line, (before.kind, after.kind)


def check_containers(document: Document) -> None:
    """Inside quotes, lists and items children are ordered, disjoint and inside the parent."""
    for parent in all_nodes(document):
        if isinstance(parent, Section):
            continue  # tiled exactly: check_tiling
        children = parent.children_blocks()
        for child in children:
            assert start(parent) <= start(child), (parent.kind, child.kind)
            assert end(child) <= end(parent), (parent.kind, child.kind)
        for before, after in itertools.pairwise(children):
            assert end(before) <= start(after), (before.kind, after.kind)


def check_round_trip(document: Document, text: str) -> None:
    assert "".join(document.source_of(node) for node in document.top_level()) == text
    assert document.text == text
    assert document.lines == [line.rstrip("\r\n") for line in physical_lines(text)]


def check_document(text: str) -> Document:
    document = parse(text)
    check_spans(document)
    check_tiling(document)
    check_containers(document)
    check_round_trip(document, text)
    return document


def check_bytes(text: str) -> None:
    with_bom = decode(codecs.BOM_UTF8 + text.encode("utf-8"))
    assert with_bom.bom == codecs.BOM_UTF8
    assert with_bom.text == text
    plain = decode(text.encode("utf-8"))
    if text.startswith("\ufeff"):  # U+FEFF first in the text is a BOM once encoded
        assert (plain.bom, plain.text) == (codecs.BOM_UTF8, text[1:])
    else:
        assert (plain.bom, plain.text) == (b"", text)


@pytest.mark.slow  # several CLI runs or hundreds of generated plans: the whole suite runs it
@given(st.one_of(markdown(), plan()))
@settings(quick, max_examples=250)
def test_generated_markdown_parses_with_sound_spans_and_round_trips(text: str) -> None:
    check_document(text)
    check_bytes(text)


@needs_corpus
@given(mutated_corpus())
@settings(quick, max_examples=100)
def test_mutated_corpus_parses_with_sound_spans_and_round_trips(text: str) -> None:
    check_document(text)
    check_bytes(text)


# -- linting is deterministic ------------------------------------------------------------------


@functools.cache
def shared_linter(profile: str | None) -> Linter:
    return Linter(list(default_packs()), profile=profile)


def summary(result: FileResult) -> tuple[object, ...]:
    return result.profile, tuple(result.violations)


def check_lint(text: str) -> None:
    """Same result from a fresh linter and from one linter twice; no crash; positions inside."""
    last = max(len(parse(text).lines), 1)
    for profile in PROFILES:
        first = shared_linter(profile).lint_text(text, "plan.md")
        crashes = [v.message for v in first.violations if v.rule == INTERNAL_ERROR]
        assert crashes == []
        for v in first.violations:
            assert 1 <= v.line <= v.end_line <= last, v
            assert v.column >= 1 and v.end_column >= 1, v
        again = shared_linter(profile).lint_text(text, "plan.md")
        fresh = Linter(list(default_packs()), profile=profile).lint_text(text, "plan.md")
        assert summary(again) == summary(first)
        assert summary(fresh) == summary(first)


@pytest.mark.slow  # several CLI runs or hundreds of generated plans: the whole suite runs it
@given(st.one_of(markdown(), plan()))
@settings(quick, max_examples=100)
def test_generated_markdown_lints_deterministically(text: str) -> None:
    check_lint(text)


@pytest.mark.slow  # several CLI runs or a corpus pass: the whole suite runs it
@needs_corpus
@given(mutated_corpus(max_lines=150))
@settings(quick, max_examples=30)
def test_mutated_corpus_lints_deterministically(text: str) -> None:
    check_lint(text)


# -- front matter ------------------------------------------------------------------------------


# Collections used as mapping keys (``[[]]: x``) once escaped load_yaml as a TypeError.
COLLECTION_KEYS = ["---\n[[]]: x\n---\n", "---\n? a: {b: c}\n---\n", "---\n{a: {}}: x\n---\n"]


@given(front_matter_document())
@settings(quick, max_examples=150)
def test_front_matter_problems_are_reported_not_raised(text: str) -> None:
    document = parse(text)
    assert document.front_matter is not None
    facts = extract_facts(document)
    # read_front_matter gives data or problems, never both and never neither.
    assert (facts.front_matter is None) == bool(facts.front_matter_problems)
    for problem in facts.front_matter_problems:
        assert 1 <= problem.line <= len(document.lines), problem.message


@pytest.mark.parametrize("text", COLLECTION_KEYS)
def test_collection_keys_in_front_matter_are_problems(text: str) -> None:
    facts = extract_facts(parse(text))
    assert facts.front_matter is None and facts.front_matter_problems


@pytest.mark.parametrize("text", COLLECTION_KEYS)
def test_collection_keys_in_front_matter_do_not_crash_the_linter(text: str) -> None:
    result = shared_linter(None).lint_text(text, "plan.md")
    assert INTERNAL_ERROR not in [v.rule for v in result.violations]


# -- Line.column: "1-based column of text[0] in the physical line" -----------------------------

# Each once pointed at the wrong column: indented code, code under an indented fence, a lazy
# line in a list item, an indented HTML block.
LINE_COLUMN_CASES = ["    a", " ```\n a\n```", "- a\n b", "  <!--"]


def misplaced_lines(text: str) -> list[tuple[str, Line]]:
    """Leaf lines whose text is not found at their column (tab-free lines only: a tab that is
    split by indentation becomes spaces in the text)."""
    document = parse(text)
    wrong = []
    for leaf in leaves([*document.top_level(), *document.headings()]):
        for line in leaf.lines:
            physical = document.lines[line.number - 1]
            if "\t" in physical:
                continue
            if physical[line.column - 1 : line.column - 1 + len(line.text)] != line.text:
                wrong.append((leaf.kind, line))
    return wrong


@pytest.mark.parametrize(
    "text",
    [
        "a\n   b\n",
        "> a\n>  b\n",
        "1.  x\n    y\n",
        "  # h #\n",
        "- [ ] task\n",
        "```\n  a\n```\n",
        "> ```\n>   x\n",
        "| a | b |\n|---|---|\n| c | d |\n",
        "<!--\n  x\n-->\n",
        *LINE_COLUMN_CASES,
    ],
)
def test_leaf_lines_point_at_their_text(text: str) -> None:
    assert misplaced_lines(text) == []


def test_empty_document() -> None:
    document = check_document("")
    assert document.top_level() == []
