"""Compiled patterns kept between runs (planlint.core.regexcache): the same patterns as
re.compile makes, from a file no damage can turn into a wrong match or a crash."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from planlint.core import regexcache

PATTERNS = [
    (r"\b(?:tested|rehears(?:ed|al)|drill(?:ed|s)?)\b", re.IGNORECASE),
    (r"(?P<start>\d{1,2}:\d{2})\s*[–-]\s*(?P<end>\d{1,2}:\d{2})", 0),
    (
        r"""(?<![\w.-])(?P<key>pass(?:word)?)  # a key
         \s*[:=]\s*(?P<value>\S+)""",
        re.IGNORECASE | re.VERBOSE,
    ),
    (r"^- (\w+)$", re.MULTILINE),
    (r"straße|İstanbul", re.IGNORECASE),
]
TEXT = "Tested 09:00–10:30, REHEARSAL done.\n- alpha\nPassword = hunter2\nSTRASSE straße istanbul"


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("PLANLINT_NO_RULES_CACHE", raising=False)
    regexcache.forget()
    yield tmp_path / "planlint"
    regexcache.forget()


def _same(built: re.Pattern[str], pattern: str, flags: int) -> None:
    expected = re.compile(pattern, flags)
    assert (built.pattern, built.flags, built.groups, built.groupindex) == (
        expected.pattern,
        expected.flags,
        expected.groups,
        expected.groupindex,
    )
    assert [m.span() for m in built.finditer(TEXT)] == [m.span() for m in expected.finditer(TEXT)]
    assert [m.groupdict() for m in built.finditer(TEXT)] == [
        m.groupdict() for m in expected.finditer(TEXT)
    ]


@pytest.mark.parametrize(("pattern", "flags"), PATTERNS)
def test_patterns_are_those_re_compile_makes_fresh_and_kept(
    cache_home: Path, pattern: str, flags: int
) -> None:
    _same(regexcache.compile_pattern(pattern, flags), pattern, flags)
    regexcache.save()
    regexcache.forget()  # as a later run: read back from the file
    _same(regexcache.compile_pattern(pattern, flags), pattern, flags)


def test_a_later_process_builds_its_patterns_from_the_kept_code(cache_home: Path) -> None:
    probe = (
        "import re, sys\n"
        "from planlint.core import regexcache\n"
        "pattern = regexcache.compile_pattern(r'\\bdrill(?:ed)?\\b', re.IGNORECASE)\n"
        "regexcache.save()\n"
        "print(len(regexcache._loaded()), bool(pattern.search('We DRILLED it')))\n"
    )
    env = {"XDG_CACHE_HOME": str(cache_home.parent), "PATH": "/usr/bin:/bin"}
    first = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    assert first.stdout.split() == ["1", "True"], first.stderr
    (kept,) = cache_home.glob("regex-*.json")
    assert f"{int(re.IGNORECASE)}:\\bdrill(?:ed)?\\b" in json.loads(kept.read_text("utf-8"))
    second = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    assert second.stdout.split() == ["1", "True"], second.stderr


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        "[]",
        json.dumps({"0:a": "row"}),
        json.dumps({"0:a": [0, [1, 2, 999999], 0, {}, []]}),  # code the engine refuses
        json.dumps({"0:a": [0, ["x"], 0, {}, []]}),
        json.dumps({"0:a": [0, [], 0, {"g": "x"}, []]}),
    ],
)
def test_a_damaged_file_means_compiling_again(cache_home: Path, content: str) -> None:
    cache_home.mkdir(parents=True, exist_ok=True)
    regexcache.forget()
    path = regexcache._path()
    assert path is not None
    path.write_text(content, encoding="utf-8")
    built = regexcache.compile_pattern("a", 0)
    assert built.findall("banana") == ["a", "a", "a"]
    regexcache.save()
    regexcache.forget()
    assert regexcache.compile_pattern("a", 0).findall("banana") == ["a", "a", "a"]


def test_a_bad_pattern_raises_what_re_compile_raises(cache_home: Path) -> None:
    with pytest.raises(re.error):
        regexcache.compile_pattern("(", 0)


def test_nothing_is_written_with_the_rules_cache_off(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANLINT_NO_RULES_CACHE", "1")
    regexcache.forget()
    regexcache.compile_pattern(r"\bcanary\b", re.IGNORECASE)
    regexcache.save()
    assert not list(cache_home.parent.rglob("regex-*.json"))
