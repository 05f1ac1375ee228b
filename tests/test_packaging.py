"""The wheel: built from the working tree, installed (not editable) into a fresh virtualenv,
and run from a directory outside the source tree, so that the bundled policy packs and JSON
Schemas can only come from inside the installed package.

The wheel and the virtualenv are built once per module (pip fetches hatchling and planlint's
dependencies, so this needs the package index, like ``pip install .`` does).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

PIP_TIMEOUT = 900  # seconds


def _run(
    command: list[str | Path],
    cwd: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=None if env is None else dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"{result.args} exited {result.returncode}:\n" + (
        result.stdout + result.stderr
    )
    return result.stdout


def _clean_env() -> dict[str, str]:
    """The caller's environment without anything that could put the source tree (or another
    planlint) on the installed interpreter's path."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP"}
    }
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["PYTHONNOUSERSITE"] = "1"
    env["COLUMNS"] = "200"  # `planlint rules` prints a table as wide as the terminal
    return env


def _bin(venv: Path, name: str) -> Path:
    folder = venv / ("Scripts" if os.name == "nt" else "bin")
    return folder / (f"{name}.exe" if os.name == "nt" else name)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory, repo_root: Path) -> Path:
    out = tmp_path_factory.mktemp("wheelhouse")
    command: list[str | Path] = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", out]
    _ok(_run([*command, repo_root], out, _clean_env(), timeout=PIP_TIMEOUT))
    wheels = sorted(out.glob("planlint-*.whl"))
    assert len(wheels) == 1, f"expected one planlint wheel, found {wheels}"
    return wheels[0]


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Path:
    where = tmp_path_factory.mktemp("venv")
    env = _clean_env()
    _ok(_run([sys.executable, "-m", "venv", where], where, env))
    python = _bin(where, "python")
    _ok(_run([python, "-m", "pip", "install", "-q", wheel], where, env, timeout=PIP_TIMEOUT))
    return where


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """An empty directory outside the source tree to run the installed planlint in."""
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


def _planlint(venv: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return _run([_bin(venv, "planlint"), *args], cwd, _clean_env())


def test_wheel_bundles_the_packs_and_schemas(wheel: Path, repo_root: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    rules = repo_root / "rules"
    packs = {f"planlint/rules/{path.relative_to(rules)}" for path in rules.rglob("*.yaml")}
    schemas = {f"planlint/schemas/{path.name}" for path in (repo_root / "schemas").glob("*.json")}
    assert packs, "no policy packs in rules/"
    assert schemas, "no JSON Schemas in schemas/"
    assert {name for name in names if name.startswith("planlint/rules/")} == packs
    assert {name for name in names if name.startswith("planlint/schemas/")} == schemas
    assert "planlint/py.typed" in names
    assert "planlint/cli.py" in names
    stray = sorted(
        name
        for name in names
        if not name.startswith(("planlint/", "planlint-"))
        or "__pycache__" in name
        or name.endswith(".pyc")
    )
    assert not stray, f"unexpected files in the wheel: {stray}"


def test_wheel_declares_the_console_script(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        (entry_points,) = [
            n for n in archive.namelist() if n.endswith(".dist-info/entry_points.txt")
        ]
        text = archive.read(entry_points).decode("utf-8")
    assert "planlint = planlint.cli:main" in text


def test_installed_package_finds_its_bundled_data(venv: Path, workdir: Path) -> None:
    script = (
        "import json, planlint, planlint.core.resources as r;"
        "print(json.dumps([planlint.__file__, str(r.rules_dir()), str(r.schemas_dir()),"
        " [p.name for p in r.bundled_packs()]]))"
    )
    output = _ok(_run([_bin(venv, "python"), "-c", script], workdir, _clean_env()))
    init, rules, schemas, packs = json.loads(output)
    package = Path(init).resolve().parent
    assert package.is_relative_to(venv.resolve()), f"planlint imported from {package}"
    assert Path(rules).resolve() == package / "rules"
    assert Path(schemas).resolve() == package / "schemas"
    assert "deploy-plan.yaml" in packs


def test_rules_lists_the_bundled_rules(venv: Path, workdir: Path) -> None:
    table = _ok(_planlint(venv, workdir, "rules"))
    assert "missing-section" in table
    assert "numbered-list-outside-steps" in table
    listed = {rule["name"] for rule in json.loads(_ok(_planlint(venv, workdir, "rules", "--json")))}
    assert {"missing-section", "numbered-list-outside-steps"} <= listed
    # The same catalogue as the source tree's own planlint.
    here = _run([sys.executable, "-m", "planlint", "rules", "--json"], workdir, os.environ)
    assert listed == {rule["name"] for rule in json.loads(_ok(here))}


def test_check_lints_with_the_bundled_packs(
    venv: Path, workdir: Path, bad_plan_text: str, clean_plan_text: str
) -> None:
    (workdir / "bad.md").write_text(bad_plan_text, encoding="utf-8")
    (workdir / "clean.md").write_text(clean_plan_text, encoding="utf-8")
    bad = _planlint(venv, workdir, "check", "bad.md")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "[missing-section]" in bad.stdout
    assert "Deployment Steps" in bad.stdout
    clean = _planlint(venv, workdir, "check", "clean.md")
    assert clean.returncode == 0, clean.stdout + clean.stderr


def test_schema_command_works_from_the_wheel(venv: Path, workdir: Path) -> None:
    schema = json.loads(_ok(_planlint(venv, workdir, "schema", "pack")))
    assert schema["title"] == "planlint policy pack"
