"""The caches cannot be planted: a workspace cache file counts only when this user's planlint
sealed it, and the user's cache folder (pickles, the sealing key) is used only when private.

The attack these tests play: a repository (a fixed CI image and workspace) ships a
``.planlint_cache`` whose entry says a violating plan is clean. Each test also shows the entry
is really consulted when sealed with the right key, so it cannot pass by never reading it.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from planlint.app import cachefiles
from planlint.core.paths import user_cache_dir
from tests.conftest import BAD_PLAN
from tests.helpers import read_cache, run_planlint, write_cache


def lint(repo: Path, env: dict[str, str] | None = None) -> tuple[int, list[str]]:
    result = run_planlint("check", "--format", "json", "plan.md", cwd=repo, env=env)
    assert "Traceback" not in result.stderr, result.stderr
    files = json.loads(result.stdout)["files"]
    return result.returncode, [v["rule"] for f in files for v in f["violations"]]


def planted(repo: Path) -> tuple[Path, dict[str, object]]:
    """The cache of a violating plan, with its entry changed to say the plan is clean."""
    (repo / "plan.md").write_text(BAD_PLAN, encoding="utf-8")
    code, rules = lint(repo)
    assert code == 1 and "missing-section" in rules
    (path,) = (repo / ".planlint_cache").rglob("v*/*.json")
    document = read_cache(path)
    for entry in document["files"].values():
        entry["violations"] = []
    return path, document


def test_an_unsealed_planted_entry_does_not_answer(tmp_path: Path) -> None:
    path, document = planted(tmp_path)
    path.write_text(json.dumps(document), encoding="utf-8")  # the old, unsealed layout
    code, rules = lint(tmp_path)
    assert code == 1 and "missing-section" in rules
    write_cache(path, document)  # the control: sealed with this user's key, it is believed
    assert lint(tmp_path) == (0, [])


def test_an_entry_sealed_with_another_key_does_not_answer(tmp_path: Path) -> None:
    path, document = planted(tmp_path)
    forged = cachefiles._SEAL_PREFIX + b"0" * 64 + b"\n" + json.dumps(document).encode()
    path.write_bytes(forged)
    assert lint(tmp_path)[0] == 1
    # Sealed by planlint, but under another machine's key (PLANLINT_CACHE_KEY of another job).
    write_cache(path, document)
    code, rules = lint(tmp_path, env={"PLANLINT_CACHE_KEY": "another machine"})
    assert code == 1 and "missing-section" in rules


def test_the_key_can_come_from_the_environment(tmp_path: Path) -> None:
    (tmp_path / "plan.md").write_text(BAD_PLAN, encoding="utf-8")
    env = {"PLANLINT_CACHE_KEY": "a CI secret", "XDG_CACHE_HOME": str(tmp_path / "fresh")}
    first = lint(tmp_path, env=env)
    (cache,) = (tmp_path / ".planlint_cache").rglob("v*/*.json")
    before = cache.stat().st_mtime_ns
    env["XDG_CACHE_HOME"] = str(tmp_path / "another-fresh-machine")
    assert lint(tmp_path, env=env) == first
    assert cache.stat().st_mtime_ns == before, "a fully cached run does not rewrite the cache"


def test_the_private_cache_folder_is_closed_to_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = tmp_path / "planlint"
    folder.mkdir(mode=0o777)
    os.chmod(folder, 0o777)  # made by an older planlint, or by someone else's umask
    assert user_cache_dir() == folder
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_linked_or_foreign_cache_folder_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PLANLINT_CACHE_KEY", raising=False)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "planlint").symlink_to(elsewhere)
    assert user_cache_dir() is None
    assert cachefiles.machine_key() is None  # and so no workspace cache is read or written
    if not hasattr(os, "getuid") or os.getuid() != 0:
        pytest.skip("making a folder another user owns needs root")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "shared"))
    (tmp_path / "shared" / "planlint").mkdir(parents=True)
    os.chown(tmp_path / "shared" / "planlint", 4242, -1)
    assert user_cache_dir() is None


def test_a_linked_key_file_is_not_followed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLANLINT_CACHE_KEY", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = user_cache_dir()
    assert folder is not None
    target = tmp_path / "somebody-elses-key"
    target.write_bytes(b"k" * 32)
    (folder / cachefiles.KEY_FILE).symlink_to(target)
    assert cachefiles.machine_key() is None
    assert cachefiles.seal(b"{}") is None and cachefiles.unseal(b"anything\n{}") is None
    assert target.read_bytes() == b"k" * 32


def test_a_link_planted_at_the_temporary_name_is_never_written_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cache files are written to a fresh name first. Were the name predictable, a link
    planted there would send the write anywhere; the name is random and created exclusively,
    so even a guessed one (forced here) is refused rather than followed."""
    import tempfile

    from planlint.core.paths import replace_cache_file

    outside = tmp_path / "outside.txt"
    outside.write_text("precious", encoding="utf-8")
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / ".guessed.tmp").symlink_to(outside)
    monkeypatch.setattr(tempfile, "_get_candidate_names", lambda: iter(lambda: "guessed", None))
    with pytest.raises(FileExistsError):
        replace_cache_file(folder / "entry.json", b"{}")
    assert outside.read_text(encoding="utf-8") == "precious"
    assert not (folder / "entry.json").exists()
