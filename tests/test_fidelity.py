"""planlint sees the document the way a CommonMark renderer does (see tests/fidelity.py)."""

from __future__ import annotations

import pytest

from tests.fidelity import CORPUS, SPEC, corpus_samples, differences, plan_samples, spec_samples

# Spec examples where planlint and markdown-it may disagree, with the reason. At most ten, and
# none in the ATX heading, setext heading, fenced code or HTML block sections.
KNOWN_DIFFERENCES: dict[str, str] = {}
PROTECTED_SECTIONS = {"ATX headings", "Setext headings", "Fenced code blocks", "HTML blocks"}


def test_known_differences_stay_few_and_out_of_protected_sections() -> None:
    assert len(KNOWN_DIFFERENCES) <= 10


@pytest.mark.skipif(not SPEC.is_file(), reason=f"CommonMark spec examples not found at {SPEC}")
def test_commonmark_spec_examples() -> None:
    _, different = differences(spec_samples())
    unexpected = [s for s in different if s.name not in KNOWN_DIFFERENCES]
    assert unexpected == []
    assert not any(s.group in PROTECTED_SECTIONS for s in different)
    fixed = set(KNOWN_DIFFERENCES) - {s.name for s in different}
    assert not fixed, f"these now agree: remove them from KNOWN_DIFFERENCES: {sorted(fixed)}"


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the shared corpus is not at {CORPUS}")
def test_every_corpus_file_agrees() -> None:
    totals, different = differences(corpus_samples())
    assert sum(totals.values()) > 1000  # the corpus is really there
    assert [s.name for s in different] == []


def test_every_example_and_fixture_plan_agrees() -> None:
    totals, different = differences(plan_samples())
    assert totals["examples"] > 0 and totals["tests"] > 0
    assert [s.name for s in different] == []
