"""The layers of ARCHITECTURE.md hold: import-linter's contracts pass on the real package and fail
on a copy where a check imports a formatter; no modules import each other in a circle; the page
names every module in the tree."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "planlint"


def _lint_imports(package_parent: Path) -> subprocess.CompletedProcess[str]:
    """import-linter with the repository's contracts, on the ``planlint`` found in
    ``package_parent`` (run from there, where import-linter looks first)."""
    script = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(script), str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=package_parent,
        env={**os.environ, "PYTHONPATH": str(package_parent)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_layer_contracts_hold() -> None:
    run = _lint_imports(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def test_the_layer_contracts_fail_when_a_check_imports_a_formatter(tmp_path: Path) -> None:
    copy = tmp_path / "planlint"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    check = copy / "engine" / "checks" / "prose.py"
    check.write_text(
        check.read_text(encoding="utf-8") + "\nfrom planlint.report import full  # noqa\n",
        encoding="utf-8",
    )
    run = _lint_imports(tmp_path)
    assert run.returncode != 0
    assert "planlint.engine is not allowed to import planlint.report" in run.stdout or (
        "planlint.engine.checks.prose -> planlint.report.full" in run.stdout
    ), run.stdout


def _graph() -> grimp.ImportGraph:
    return grimp.build_graph("planlint", exclude_type_checking_imports=True, cache_dir=None)


def _circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(edges.get(successor, ())))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_circles_are_found() -> None:  # the helper below must be able to fail
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _circles({"a": {"b"}, "b": set()}) == []


def test_no_modules_import_each_other_in_a_circle() -> None:
    graph = _graph()
    edges = {
        module: set(graph.find_modules_directly_imported_by(module)) for module in graph.modules
    }
    assert _circles(edges) == []


def test_no_sibling_packages_import_each_other_in_a_circle() -> None:
    """Between the packages at each level (core, markdown, …; engine.checks and engine.options),
    imports run one way. A parent and its own subpackage are not siblings: the engine's
    internal direction is its own contract in pyproject.toml."""
    graph = _graph()
    packages = {module for module in graph.modules if graph.find_children(module)}

    def package_of(module: str) -> str:
        return module if module in packages else module.rpartition(".")[0]

    edges: dict[str, set[str]] = {}
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            source, target = package_of(module), package_of(imported)
            if (
                source == target
                or source.startswith(target + ".")
                or target.startswith(source + ".")
            ):
                continue
            edges.setdefault(source, set()).add(target)
    assert _circles(edges) == []


def _architecture_sections() -> dict[str, str]:
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    sections: dict[str, str] = {}
    for match in re.finditer(
        r"^\*\*`(planlint/[\w/.]*)`\*\*(.*?)(?=^\*\*`|^## |\Z)", text, re.M | re.S
    ):
        sections[match.group(1)] = match.group(2)
    return sections


def test_architecture_md_names_every_module_in_its_package() -> None:
    sections = _architecture_sections()
    unnamed = []
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix not in (".py", ".lark") or path.name == "__init__.py":
            continue
        relative = path.relative_to(PACKAGE)
        top = relative.parts[0]
        if len(relative.parts) == 1:  # cli.py, __main__.py, fixes.py
            if path.name != "cli.py" and f"`{path.name}`" not in sections["planlint/cli.py"]:
                unnamed.append(str(relative))
            continue
        section = sections.get(f"planlint/{top}/", "")
        if len(relative.parts) > 2:  # engine/checks/*, engine/options/*: named as a folder
            named = f"`{relative.parts[1]}/`" in section
        else:
            name = path.stem if path.suffix == ".py" else path.name
            named = f"`{name}`" in section
        if not named:
            unnamed.append(str(relative))
    assert unnamed == [], "ARCHITECTURE.md does not describe these modules"


def test_architecture_md_names_only_packages_that_exist() -> None:
    for path in _architecture_sections():
        assert (ROOT / path).exists(), path


@pytest.mark.parametrize("front_door", ["planlint.lsp.server", "planlint.lsp.linting"])
def test_the_language_server_imports_nothing_from_the_command_line(front_door: str) -> None:
    graph = _graph()
    assert not graph.chain_exists(importer=front_door, imported="planlint.cli")
