"""Patterns a repository writes run in time linear in the text: its packs' and config's
regexes on RE2 (``planlint.core.linear``), its globs on an automaton (``planlint.core.paths``).

Each test bounds a run with a subprocess timeout (a hang fails it), and shows the pattern is
really applied, so that a test cannot pass by never running the pattern.
"""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planlint.app.linter import build_linter
from planlint.core import regexcache
from planlint.core.linear import LinearPattern, compile_linear, linear_problem
from planlint.core.paths import Glob
from tests.helpers import run_planlint

PACK = """\
pack: acme
applies_to: [deploy-plan]
rules:
  - code: AC001
    name: forbidden-words
    severity: error
    summary: A pattern the repository wrote.
    message: "found '{{phrase}}'"
    check: forbidden-phrases
    scope: "*"
    options:
      phrases: [{pattern}]
    docs: {{what: x, why: x, example: x, fix: x}}
"""
PLAN = "---\nprofile: deploy-plan\n---\n# Plan\n\n## Deployment Summary\n\n{line}\n"


def lint(root: Path, pattern: str, line: str) -> tuple[int, list[str], str]:
    (root / "pack.yaml").write_text(PACK.format(pattern=json.dumps(pattern)), encoding="utf-8")
    (root / "plan.md").write_text(PLAN.format(line=line), encoding="utf-8")
    result = run_planlint(
        "check", "--no-cache", "--format", "json", "--pack", "pack.yaml",
        "--select", "forbidden-words", "plan.md", cwd=root, timeout=60,
    )  # fmt: skip
    assert "Traceback" not in result.stderr, result.stderr
    if result.returncode == 2:
        return 2, [], result.stderr
    files = json.loads(result.stdout)["files"]
    return result.returncode, [v["message"] for f in files for v in f["violations"]], ""


def test_a_catastrophic_pack_pattern_finishes_and_still_matches(tmp_path: Path) -> None:
    # On Python's engine each of these takes hours on a line of 40 000 'a's and a 'c'.
    assert lint(tmp_path, "(a+)+b", "a" * 40_000 + "c") == (0, [], "")
    assert lint(tmp_path, "(x|x)*y", "x" * 40_000) == (0, [], "")
    code, messages, _ = lint(tmp_path, "(a+)+b", "then a" + "a" * 30 + "b follows")
    assert code == 1 and messages[0].startswith("found '" + "a" * 31 + "b'")


@pytest.mark.parametrize(
    ("pattern", "advice"),
    [
        ("(?<=deploy )friday", "lookbehind"),
        ("friday(?! morning)", "lookahead"),
        (r"(\w+) \1", "backreferences"),
        (r"done\Z", r"write \z"),
    ],
)
def test_a_construct_re2_lacks_is_refused_when_the_pack_loads(
    tmp_path: Path, pattern: str, advice: str
) -> None:
    code, _, stderr = lint(tmp_path, pattern, "deploy friday")
    assert code == 2
    assert "pack.yaml:11: rule 'forbidden-words': options: the pattern" in stderr
    assert advice in stderr and "RE2" in stderr


def test_config_rule_options_run_on_re2_and_planlints_own_patterns_do_not(
    tmp_path: Path,
) -> None:
    config = tmp_path / ".planlint.yaml"
    config.write_text(
        "rules:\n  wishful-verification:\n    options:\n      phrases: ['(a+)+b']\n",
        encoding="utf-8",
    )
    linter = build_linter(config)
    assert regexcache.is_linear("(a+)+b")
    (rule,) = [r for r in linter.compiled.rules if r.name == "wishful-verification"]
    (phrase,) = rule.options.phrases
    assert isinstance(regexcache.compile_pattern(phrase.pattern, re.IGNORECASE), LinearPattern)
    # A bundled pattern with lookbehind stays on Python's engine (RE2 could not run it).
    bundled = next(p for r in linter.compiled.rules for p in _patterns(r.options) if "(?<" in p)
    assert not regexcache.is_linear(bundled)
    config.write_text(
        "rules:\n  wishful-verification:\n    options:\n      phrases: ['(?<=a)b']\n",
        encoding="utf-8",
    )
    from planlint.engine.packs import PackError

    with pytest.raises(PackError, match=r"rules\.wishful-verification\.options: the pattern"):
        build_linter(config)


def _patterns(options: object) -> list[str]:
    found = []
    for value in vars(options).values():
        for item in value if isinstance(value, list) else [value]:
            if hasattr(item, "pattern") and isinstance(item.pattern, str):
                found.append(item.pattern)
    return found


def test_rules_loaded_from_the_rules_cache_stay_on_re2(tmp_path: Path) -> None:
    config = tmp_path / ".planlint.yaml"
    config.write_text(
        "rules:\n  wishful-verification:\n    options:\n      phrases: ['(c+)+d']\n",
        encoding="utf-8",
    )
    saved = pickle.dumps(build_linter(config).compiled)
    regexcache._linear.clear()
    regexcache._built.clear()
    pickle.loads(saved)  # what the rules cache does in a later run
    assert isinstance(regexcache.compile_pattern("(c+)+d", re.IGNORECASE), LinearPattern)


def test_linear_matches_read_like_re_matches() -> None:
    pattern = compile_linear(r"(?P<word>\pL+)-(\d+)", re.IGNORECASE)
    found = pattern.search("see Élan-42 now")
    assert found is not None
    assert found.span() == (4, 11) and found.start("word") == 4 and found.end("word") == 8
    assert found.group("word") == "Élan" and found[2] == "42" and found.groupdict()
    assert [m.span("word") for m in pattern.finditer("a-1 b-2")] == [(0, 1), (4, 5)]
    assert pattern.sub(lambda m: m.group("word").upper(), "x-1 y") == "X y"
    assert compile_linear("ÉLAN", re.IGNORECASE).search("élan") is not None
    assert linear_problem("deploy|release") is None


# -- globs -------------------------------------------------------------------------------------


def backtracking_glob(pattern: str) -> re.Pattern[str]:
    """The regex translation globs had before: the reference the automaton must agree with."""
    parts, index = [], 0
    while index < len(pattern):
        for token, regex in (("**/", "(?:.*/)?"), ("**", ".*"), ("*", "[^/]*"), ("?", "[^/]")):
            if pattern.startswith(token, index):
                parts.append(regex)
                index += len(token)
                break
        else:
            parts.append(re.escape(pattern[index]))
            index += 1
    return re.compile("".join(parts) + r"\Z")


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b", ".", "/", "*", "**", "**/", "?"]), max_size=7),
    st.text(alphabet="ab./", max_size=10),
)
def test_globs_match_as_their_regex_translation_does(tokens: list[str], path: str) -> None:
    pattern = "".join(tokens)
    assert Glob(pattern).match(path) == bool(backtracking_glob(pattern).match(path))


def test_a_glob_of_many_double_stars_finishes(tmp_path: Path) -> None:
    glob = "**a" * 30 + "**b.md"
    (tmp_path / ".planlint.yaml").write_text(f"exclude: ['{glob}']\n", encoding="utf-8")
    (tmp_path / ("a" * 200 + ".md")).write_text(PLAN.format(line="x"), encoding="utf-8")
    (tmp_path / ("a" * 30 + "b.md")).write_text(PLAN.format(line="x"), encoding="utf-8")
    result = run_planlint("check", "--format", "json", ".", cwd=tmp_path, timeout=60)
    assert "Traceback" not in result.stderr
    paths = [f["path"] for f in json.loads(result.stdout)["files"]]
    assert paths == ["a" * 200 + ".md"]  # the other one is excluded: the glob really ran
