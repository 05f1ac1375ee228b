"""The two builds: pure Python (the default) and the optional compiled core (mypyc, built with
``PLANLINT_COMPILE=1 pip install .``). ``planlint --version`` names the one running, and both
must write the very same reports.

The comparison needs a compiled build: set ``PLANLINT_COMPILED_PYTHON`` to the python of a
virtualenv that has one installed (``.ci/run`` makes ``.ci-venv-compiled``), else it skips.
"""

from __future__ import annotations

import ast
import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from planlint import __version__
from planlint.core.build import build_name, is_compiled, probe_file
from tests.helpers import run_planlint

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
COMPILED_PYTHON = "PLANLINT_COMPILED_PYTHON"  # the python of a virtualenv with the compiled build
VERSION_LINE = re.compile(r"planlint (\S+) \((compiled|pure Python)\)")


def _compiled_modules() -> list[str]:
    """The modules ``hatch_build.py`` compiles, read from it (hatchling need not be here)."""
    tree = ast.parse((ROOT / "hatch_build.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "COMPILED" for target in node.targets
        ):
            paths: list[str] = ast.literal_eval(node.value)
            return [path.removesuffix(".py").replace("/", ".") for path in paths]
    raise AssertionError("hatch_build.py has no COMPILED list")


def _is_extension(file: str | None) -> bool:
    return (file or "").endswith((".so", ".pyd"))


def test_the_version_line_names_the_build(tmp_path: Path) -> None:
    result = run_planlint("--version", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    match = VERSION_LINE.fullmatch(result.stdout.strip())
    assert match is not None, result.stdout
    assert match.group(1) == __version__
    # The process that printed it loads the same planlint as this one (the suite's own run).
    assert match.group(2) == build_name()


def test_the_build_named_is_the_build_loaded() -> None:
    modules = [importlib.import_module(name) for name in _compiled_modules()]
    assert "planlint.markdown.lexer" in {module.__name__ for module in modules}
    kinds = {module.__name__: _is_extension(module.__file__) for module in modules}
    # A build compiles all of them or none: a half-compiled install is a broken one.
    assert len(set(kinds.values())) == 1, kinds
    assert is_compiled() == kinds["planlint.markdown.lexer"]
    assert build_name() == ("compiled" if is_compiled() else "pure Python")


def test_the_build_is_the_one_expected() -> None:
    """``.ci/run`` runs the suite once per build and says which it means to run: a run that
    loaded the other one (the source tree before the installed package, say) proves nothing."""
    expected = os.environ.get("PLANLINT_EXPECT_BUILD")
    if not expected:
        pytest.skip("PLANLINT_EXPECT_BUILD is not set (.ci/run sets it for each of its runs)")
    assert build_name() == expected, f"expected the {expected} build, loaded {probe_file()}"


def test_the_build_is_found_without_importing_the_parser(tmp_path: Path) -> None:
    """``--version`` finds the lexer's file without importing it (and Lark with it), and finds
    the very file that the import then loads."""
    code = (
        "import sys; from planlint.core.build import probe_file; found = probe_file(); "
        "print('planlint.markdown.lexer' in sys.modules); "
        "import planlint.markdown.lexer as lexer; print(found == lexer.__file__)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stdout.split() == ["False", "True"], result.stdout + result.stderr
    assert probe_file() == sys.modules["planlint.markdown.lexer"].__file__


def _compiled_planlint() -> Path:
    python = os.environ.get(COMPILED_PYTHON, "")
    if not python:
        pytest.skip(
            f"no compiled build to compare with: set {COMPILED_PYTHON} to the python of a "
            "virtualenv with `PLANLINT_COMPILE=1 pip install .` in it (.ci/run does)"
        )
    script = Path(python).with_name("planlint.exe" if os.name == "nt" else "planlint")
    assert script.is_file(), f"{COMPILED_PYTHON}={python}, but {script} does not exist"
    return script


def _env() -> dict[str, str]:
    # Nothing that would put this source tree (or another planlint) before the installed one.
    drop = {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP"}
    return {key: value for key, value in os.environ.items() if key not in drop}


def _reports(command: list[str], paths: list[str]) -> bytes:
    result = subprocess.run(
        [*command, "check", "--format", "json", "--no-cache", "--exit-zero", *paths],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    return result.stdout


def _samples(name: str) -> list[str]:
    if name == "examples":
        return ["examples"]
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent: no corpus sample to compare")
    return [str(path) for path in sorted(CORPUS.rglob("*.md"))[::8]]


@pytest.mark.slow
@pytest.mark.parametrize("sample", ["examples", "corpus"])
def test_the_compiled_build_writes_the_same_reports_byte_for_byte(sample: str) -> None:
    compiled = _compiled_planlint()
    version = subprocess.run(
        [str(compiled), "--version"], env=_env(), capture_output=True, text=True, check=False
    )
    assert version.stdout.strip() == f"planlint {__version__} (compiled)", (
        f"{COMPILED_PYTHON} names a python whose planlint is not the compiled build: "
        f"{version.stdout}{version.stderr}"
    )
    if is_compiled():
        pytest.skip("this suite runs the compiled build itself: no pure build to compare with")
    paths = _samples(sample)
    # This suite's planlint, pure Python: run from the source tree (``-m`` puts it first).
    expected = _reports([sys.executable, "-m", "planlint"], paths)
    assert b'"violations": [\n' in expected, f"{sample}: the pure build reported nothing"
    actual = _reports([str(compiled)], paths)
    assert actual == expected, f"{sample}: the compiled build's JSON report differs"
