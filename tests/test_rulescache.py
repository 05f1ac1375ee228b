"""The rules cache: a run that loads its rules from it reports exactly what a run that
validates the packs reports, never imports pydantic, and survives a damaged or stale entry."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from planlint.app import rulescache
from planlint.app.batch import RunSettings, settings_key
from planlint.core.frozen import Frozen, LazyPattern, freeze
from planlint.facts.frontmatter import FrontMatterData
from planlint.facts.frontmatter_quick import KEYS, quick_front_matter
from tests.helpers import first_fast, run_and_list_imports, run_planlint
from tests.test_batch import TEAM_PACK

NO_RULES_CACHE = {"PLANLINT_NO_RULES_CACHE": "1"}


@pytest.fixture(autouse=True)
def own_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path_factory.mktemp("user-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))  # the subprocesses inherit it
    return folder / "planlint"


def json_report(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    result = run_planlint(
        "check", "--format", "json", "--no-cache", "plans", *args, cwd=repo, env=env
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    return result.stdout


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("rules-*.pickle"))


@pytest.mark.slow  # several CLI runs or hundreds of generated plans: the whole suite runs it
def test_rules_from_the_cache_report_what_validated_rules_report(
    repo: Path, own_cache: Path
) -> None:
    validated = json_report(repo, env=NO_RULES_CACHE)
    assert not entries(own_cache), "PLANLINT_NO_RULES_CACHE must write no entry"
    assert json_report(repo) == validated  # validates, then saves
    assert len(entries(own_cache)) == 1
    assert json_report(repo) == validated  # loaded from the entry
    assert json_report(repo, "--jobs", "2") == validated
    for fmt in ("sarif", "concise"):
        args = ("check", "--format", fmt, "--no-cache", "plans")
        cached = run_planlint(*args, cwd=repo)
        assert cached.stdout == run_planlint(*args, cwd=repo, env=NO_RULES_CACHE).stdout


def test_a_run_with_cached_rules_imports_no_pydantic(repo: Path) -> None:
    argv = ["check", "--no-cache", "plans/a/clean"]
    first = run_and_list_imports(argv, repo, ("pydantic",))
    assert (first[0], first[2]) == (0, ["pydantic"])  # validates the packs
    second = run_and_list_imports(argv, repo, ("pydantic",))
    assert (second[0], second[2]) == (0, [])  # front matter of plain text only
    assert second[1] == first[1]


@pytest.mark.slow  # several CLI runs or hundreds of generated plans: the whole suite runs it
def test_selection_and_config_make_their_own_entries(repo: Path, own_cache: Path) -> None:
    everything = json_report(repo)
    assert json_report(repo, "--ignore", "missing-section") != everything
    (repo / ".planlint.yaml").write_text("rules:\n  missing-section: off\n", encoding="utf-8")
    configured = json_report(repo)
    assert configured == json_report(repo, env=NO_RULES_CACHE)
    assert '"missing-section"' not in configured
    assert len(entries(own_cache)) == 3


@pytest.mark.slow  # several CLI runs or hundreds of generated plans: the whole suite runs it
def test_changed_pack_named_by_the_config_makes_the_entry_stale(repo: Path) -> None:
    pack = repo / "team.yaml"
    pack.write_text(TEAM_PACK, encoding="utf-8")
    (repo / ".planlint.yaml").write_text("packs: [team.yaml]\n", encoding="utf-8")
    first = json_report(repo)
    assert "TM001" in first
    pack.write_text(TEAM_PACK.replace("rollback\\b", "yolo\\b"), encoding="utf-8")
    second = json_report(repo)
    assert second != first
    assert second == json_report(repo, env=NO_RULES_CACHE)


@pytest.mark.parametrize(
    "damage",
    first_fast(
        [b"", b"not a pickle", pickle.dumps(7), pickle.dumps((1, 2)), pickle.dumps(("a", "b"))]
    ),
)
def test_damaged_entry_is_rebuilt(repo: Path, own_cache: Path, damage: bytes) -> None:
    validated = json_report(repo, env=NO_RULES_CACHE)
    json_report(repo)
    (entry,) = entries(own_cache)
    entry.write_bytes(damage)
    assert json_report(repo) == validated
    assert entry.read_bytes() != damage  # saved again


@pytest.mark.slow  # several CLI runs or a corpus pass: the whole suite runs it
def test_unwritable_cache_folder_is_skipped(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = repo / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert json_report(repo) == json_report(repo, env=NO_RULES_CACHE)


def test_old_entries_are_pruned(own_cache: Path, tmp_path: Path) -> None:
    from planlint.app.linter import build_linter

    linter = build_linter(None)
    settings = RunSettings.of(linter)
    for index in range(rulescache.KEEP + 4):
        rulescache.save(f"{index:032x}", linter.compiled, settings)
    assert len(entries(own_cache)) == rulescache.KEEP
    assert rulescache.load(f"{rulescache.KEEP + 3:032x}") is not None  # the newest stay
    key = settings_key(None, [], {})
    assert rulescache.load(key) is None  # never saved


# -- the frozen copies linting reads ---------------------------------------------------------------


def test_freeze_keeps_every_field_and_is_read_only() -> None:
    model = FrontMatterData.model_validate({"profile": "deploy-plan", "window": "Mon 09:00 UTC"})
    frozen = freeze(model)
    assert isinstance(frozen, Frozen)
    assert {name: getattr(frozen, name) for name in KEYS} == model.model_dump(include=set(KEYS))
    with pytest.raises(AttributeError):
        frozen.profile = "other"
    assert pickle.loads(pickle.dumps(frozen)).profile == "deploy-plan"


def test_lazy_pattern_matches_as_the_pattern_and_pickles_as_text() -> None:
    compiled = re.compile(r"roll\s*back (\w+)", re.IGNORECASE)
    lazy = freeze(compiled)
    assert isinstance(lazy, LazyPattern)
    text = "We ROLL BACK quickly, then roll back again."
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    data = pickle.dumps(lazy)
    assert b"roll" in data and b"_sre" not in data  # the text, not the compiled program
    loaded = pickle.loads(data)
    assert "search" not in vars(loaded)  # not compiled until used
    assert loaded.search(text).group(1) == "quickly"
    assert (loaded.pattern, loaded.flags) == (compiled.pattern, compiled.flags)


# -- front matter read without the model -----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "profile: deploy-plan\n",
        "profile: rollout-plan\ntitle: Upgrade\nauthors: [a, b]\nrisk: high\n",
        "window: 'Tuesday 2026-12-01 09:00–10:30 UTC'\ntimezone: Europe/Berlin\nflag: new-tax\n",
        "owner: ops\nenvironment: production\nchange_type: hotfix\n",
    ],
)
def test_plain_front_matter_reads_as_the_model_reads_it(text: str) -> None:
    assert set(KEYS) == set(FrontMatterData.model_fields)  # a new field must be read here too
    quick = quick_front_matter(text)
    assert quick is not None
    model = FrontMatterData.model_validate(_yaml(text))
    assert {key: getattr(quick, key) for key in KEYS} == model.model_dump(include=set(KEYS))


@pytest.mark.parametrize(
    "text",
    [
        "risk: 3\n",  # not text: the model explains
        "window: {start: 2026-12-01 09:00, end: 2026-12-01 10:00}\n",
        "profile: [a, b]\n",
        "- a list\n",
        "profile: a\nprofile: b\n",  # a duplicate key
        "profile: 'unclosed\n",
        "1: one\n",
    ],
)
def test_anything_else_goes_to_the_model(text: str) -> None:
    assert quick_front_matter(text) is None


def _yaml(text: str) -> object:
    from planlint.core.yamlio import load_yaml_quick

    return load_yaml_quick(text) or {}
