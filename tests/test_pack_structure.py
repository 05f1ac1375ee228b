"""Packs for real policies: facts from metadata, nested sections, scopes over many sections,
severities by condition and the ``answered`` kind, each shown on a small pack."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from planlint.engine.config import LoadedConfig
from planlint.engine.packs import PackError, default_packs, load_pack
from planlint.engine.runner import Linter

ROOT = Path(__file__).resolve().parent.parent
KEP_PACK = ROOT / "examples" / "packs" / "kep-prr.yaml"

PACK = """\
pack: questions
facts:
  - name: stage
    from:
      - file: "{stem}.meta.yaml"
        key: release.stage
      - label: Stage
      - front_matter: stage
    default: unknown
profile:
  name: questions
  title: Questions
  detect: {min_sections: 1}
  sections:
    - id: intro
      title: Introduction
    - id: review
      title: Review
      sections:
        - id: rollback
          title: Rollback
          sections:
            - id: tested
              title: Were upgrade and rollback tested
        - id: scale
          title: Scalability
          when: {stage: [beta, stable]}
rules:
  - code: QS001
    name: unanswered
    severity: error
    severities:
      - when: {stage: [alpha, unknown]}
        severity: warning
    check: answered
    scope: review/*
    summary: s
    message: "'{section}' {detail} (stage {stage})"
    docs: {what: w, why: y, example: e, fix: f}
"""


def _linter(tmp_path: Path, pack: str = PACK) -> Linter:
    path = tmp_path / "pack.yaml"
    path.write_text(pack, encoding="utf-8")
    config = LoadedConfig(path=tmp_path / ".planlint.yaml")  # the repository is tmp_path
    return Linter([*default_packs(), (path, load_pack(path))], config, profile="questions")


def _lint(tmp_path: Path, text: str, name: str = "plan.md") -> list[tuple[str, int, str, str]]:
    plan = tmp_path / name
    plan.write_text(text, encoding="utf-8")
    result = _linter(tmp_path).lint_text(text, name, plan)
    return [(v.rule, v.line, v.severity.name.lower(), v.message) for v in result.violations]


PLAN = """\
## Introduction
x
## Review
* **Were upgrade and rollback tested?**

Yes, 1.30 → 1.29 → 1.30 on kind.
"""


def test_a_fact_from_a_file_beside_the_plan_sets_requirements_and_severity(
    tmp_path: Path,
) -> None:
    (tmp_path / "plan.meta.yaml").write_text("release: {stage: beta}\n", encoding="utf-8")
    found = _lint(tmp_path, PLAN + "### Rollback\n<!-- template -->\n")
    assert ("missing-section", 3, "error", "required section 'Scalability' is missing") in [
        (rule, line, severity, message.split(" (")[0]) for rule, line, severity, message in found
    ]
    unanswered = [f for f in found if f[0] == "unanswered"]
    assert unanswered == [
        (
            "unanswered",
            7,
            "error",
            "'Rollback' it has no answer (stage beta) (looked in 'Rollback', lines 7–8)",
        ),
    ]


def test_the_next_source_and_the_default(tmp_path: Path) -> None:
    found = _lint(tmp_path, "Stage: alpha\n\n" + PLAN)
    assert not any("Scalability" in message for *_, message in found)  # not asked at alpha
    found = _lint(tmp_path, PLAN + "### Rollback\n\nTBD\n")
    assert [(rule, severity) for rule, _, severity, _ in found if rule == "unanswered"] == [
        ("unanswered", "warning")  # stage unknown: the default
    ]


@pytest.mark.skipif(os.name == "nt", reason="symlinks")
def test_a_fact_file_is_not_read_outside_the_repository(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    repo = tmp_path / "repo"
    outside.mkdir()
    repo.mkdir()
    (outside / "secret.yaml").write_text("release: {stage: beta}\n", encoding="utf-8")
    (repo / "plan.meta.yaml").symlink_to(outside / "secret.yaml")
    found = _lint(repo, PLAN)
    assert not any("Scalability" in message for *_, message in found)  # stage stayed unknown


def test_nested_sections_are_found_at_any_depth_and_as_bold_items(tmp_path: Path) -> None:
    text = "## Introduction\nx\n## Review\n#### Rollback\n* **Were upgrade and rollback tested?**\n"
    found = _lint(tmp_path, text + "\nNo. Will be tested before beta.\n")
    assert [f for f in found if f[0] == "missing-section"] == []
    # The answer below the list belongs to the question: it is answered (denied, but answered).
    assert not any("Were upgrade" in message for rule, _, _, message in found)


def test_a_missing_nested_section_is_reported_at_its_parent(tmp_path: Path) -> None:
    found = _lint(tmp_path, "## Introduction\nx\n## Review\n### Rollback\nnotes\n")
    missing = [(line, message) for rule, line, _, message in found if rule == "missing-section"]
    assert missing and missing[0][0] == 4 and "Were upgrade and rollback tested" in missing[0][1]


@pytest.mark.parametrize(
    ("answer", "answered"),
    [
        ("N/A", False),
        ("TBD.", False),
        ("Will be added in beta.", False),
        ("<!-- Describe manual testing. -->", False),
        ("- [ ] run the upgrade test", False),
        ("Not applicable: the feature keeps no state.", True),
        ("```\nkind create cluster\n```", True),
        ("- [x] ran 1.30 → 1.29 → 1.30", True),
        ("`apiserver_request_total`", True),  # code alone is an answer
    ],
)
def test_what_counts_as_an_answer(tmp_path: Path, answer: str, answered: bool) -> None:
    text = (
        f"## Introduction\nx\n## Review\nq\n### Rollback\nr\n"
        f"#### Were upgrade and rollback tested?\n\n{answer}\n"
    )
    found = [f for f in _lint(tmp_path, text) if f[0] == "unanswered"]
    assert (found == []) is answered, found


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ("    scope: nowhere\n", "scope 'nowhere' is no section"),
        ("    scope: nowhere/*\n", "scope 'nowhere/*' is no section"),
        ("    when: {colour: [red]}\n", "when: unknown fact 'colour'"),
        ("", "give it a scope"),
    ],
)
def test_pack_mistakes_are_load_errors(tmp_path: Path, change: str, words: str) -> None:
    pack = PACK.replace("    scope: review/*\n", change)
    with pytest.raises(PackError, match=words.replace("*", r"\*").replace("(", r"\(")):
        _linter(tmp_path, pack)


def test_scope_lists_and_every_section(tmp_path: Path) -> None:
    """A section that holds other sections of the scope is a group: they answer for it."""
    text = "## Introduction\n\n## Review\n### Rollback\n#### Were upgrade and rollback tested?\n"
    for scope, reported in (
        ("[tested, rollback]", {"tested"}),
        ("'*'", {"tested", "intro"}),
        ("[rollback]", {"rollback"}),
    ):
        pack = PACK.replace("scope: review/*", f"scope: {scope}")
        path = tmp_path / "plan.md"
        path.write_text(text, encoding="utf-8")
        result = _linter(tmp_path, pack).lint_text(text, "plan.md", path)
        sections = {v.section for v in result.violations if v.rule == "unanswered"}
        assert sections == reported, (scope, result.violations)


def test_the_kep_pack_passes_its_own_cases() -> None:
    from planlint.cli import main

    assert main(["test-policy", "--quiet", str(KEP_PACK)]) == 0


KEPS = ROOT.parent / "shared" / "corpus" / "keps"


@pytest.mark.slow
@pytest.mark.skipif(not KEPS.is_dir(), reason="the KEP corpus (../shared/corpus/keps) is absent")
def test_the_kep_pack_finds_unanswered_rollback_questions() -> None:
    from bench.kep import HELDOUT, LABELS, measure

    for labels in (LABELS, HELDOUT):
        scores, _, _ = measure(labels)
        assert scores["no answer"].precision >= 0.95 and scores["no answer"].recall >= 0.95
        assert scores["flagged"].precision >= 0.95 and scores["flagged"].recall >= 0.9


def test_a_pack_extends_another_and_keeps_anchors_in_x_keys(tmp_path: Path) -> None:
    from planlint.app.linter import build_linter

    (tmp_path / "base.yaml").write_text(PACK, encoding="utf-8")
    team = """\
pack: team
extends: [base.yaml]
x-docs: &docs {what: w, why: y, example: e, fix: f}
applies_to: [questions]
rules:
  - code: TM001
    name: rollback-unanswered
    check: answered
    scope: rollback
    summary: s
    message: "{section}: {detail}"
    docs: *docs
"""
    (tmp_path / "team.yaml").write_text(team, encoding="utf-8")
    (tmp_path / ".planlint.yaml").write_text("packs: [team.yaml]\n", encoding="utf-8")
    linter = build_linter(tmp_path / ".planlint.yaml", profile="questions")
    text = "## Introduction\nx\n## Review\nq\n### Rollback\n"
    rules = {v.rule for v in linter.lint_text(text, "plan.md").violations}
    assert {"rollback-unanswered", "unanswered"} <= rules


@pytest.mark.parametrize(
    ("extends", "words"),
    [("[team.yaml]", "a cycle"), ("[../elsewhere.yaml]", "outside the repository")],
)
def test_extends_mistakes(tmp_path: Path, extends: str, words: str) -> None:
    from planlint.app.linter import build_linter

    repo = tmp_path / "repo"
    repo.mkdir()
    (tmp_path / "elsewhere.yaml").write_text("pack: elsewhere\n", encoding="utf-8")
    (repo / "team.yaml").write_text(f"pack: team\nextends: {extends}\n", encoding="utf-8")
    (repo / ".planlint.yaml").write_text("packs: [team.yaml]\n", encoding="utf-8")
    with pytest.raises(PackError, match=words):
        build_linter(repo / ".planlint.yaml")


@pytest.mark.parametrize(("read_code", "covered"), [(False, False), (True, True)])
def test_a_topic_may_read_inline_code(tmp_path: Path, read_code: bool, covered: bool) -> None:
    pack = f"""\
pack: metrics
applies_to: [deploy-plan]
rules:
  - code: MT001
    name: metric-named
    check: covers
    scope: verification
    options:
      topics:
        - name: a metric ending in _total
          read_code: {str(read_code).lower()}
          patterns: ['\\w+_total\\b']
    summary: s
    message: "no {{topic}}"
    docs: {{what: w, why: y, example: e, fix: f}}
"""
    path = tmp_path / "metrics.yaml"
    path.write_text(pack, encoding="utf-8")
    linter = Linter([*default_packs(), (path, load_pack(path))], profile="deploy-plan")
    text = "## Verification & Observability\n- Metric name: `apiserver_request_total`\n"
    rules = [v.rule for v in linter.lint_text(text, "plan.md").violations]
    assert ("metric-named" not in rules) is covered


@pytest.mark.parametrize(
    ("message", "words"),
    [
        ("'{title}' {detail}", "{title} is filled by neither the check 'answered' nor a fact"),
        ("{section.__class__}", "is not a plain name"),
        ("{section:>999999999}", "may not carry a format"),
        ("{section!r}", "may not carry a format"),
        ("{section} at {stage}", None),  # a declared fact
    ],
)
def test_message_placeholders_are_checked_when_the_pack_loads(
    tmp_path: Path, message: str, words: str | None
) -> None:
    pack = PACK.replace(
        """message: "'{section}' {detail} (stage {stage})\"""", f'message: "{message}"'
    )
    assert message in pack
    if words is None:
        _linter(tmp_path, pack)
        return
    with pytest.raises(PackError, match=re.escape(words)):
        _linter(tmp_path, pack)


def test_a_section_at_another_level_is_named_in_the_hint() -> None:
    text = (
        "## Deployment Summary\n- x\n### Pre-Deployment Checks\n- CI green.\n"
        "## Deployment Steps\n1. Run it.\n## Verification & Observability\n- ok\n"
        "## Rollback Readiness\n- back\n## Next Actions\n- later\n"
    )
    linter = Linter(list(default_packs()), profile="deploy-plan")
    found = [v for v in linter.lint_text(text, "plan.md").violations if v.rule == "missing-section"]
    assert len(found) == 1 and found[0].fix is None
    assert "'Pre-Deployment Checks' (line 3) is a level-3 heading" in (found[0].hint or "")
