"""The GitHub Action (action.yml), checked and run the way a runner runs a composite action.

The file is validated as a composite action; then its ``run:`` steps execute in order in a
subprocess, with ``${{ inputs.* }}``, ``github.*`` and ``runner.*`` expressions substituted,
the step's ``env:``, ``shell: bash`` as GitHub invokes it (``bash --noprofile --norc -eo
pipefail``) and ``GITHUB_OUTPUT``/``GITHUB_STEP_SUMMARY`` files, on a temporary git repository
holding one clean and one broken plan. Only ``actions/setup-python`` is not run: the Python
that runs the tests stands in for it. The install step really pip-installs this checkout into a
fresh virtualenv (once per module), so these tests are marked slow.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped, unused-ignore]
import pytest
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parent.parent
ACTION = REPO / "action.yml"
SARIF_SCHEMA = REPO / "tests" / "data" / "sarif-schema-2.1.0.json"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
GIT = shutil.which("git")
BASH = shutil.which("bash")
INSTALL_TIMEOUT = 900  # seconds: pip builds planlint and fetches its dependencies

slow = pytest.mark.slow  # the tests that run the action need the installed virtualenv

CLEAN_PLAN = """\
---
profile: deploy-plan
---
# Deployment plan: checkout v2.14

## Deployment Summary

Ship checkout v2.14 to production behind the canary.
"""

BROKEN_PLAN = """\
---
profile: deploy-plan
---
# Deployment plan: checkout v2.15

## Deployment Summary

Ship checkout v2.15 to [ENVIRONMENT], owner [NAME].
"""

# A warning only: the change window has no time zone.
WARNING_PLAN = """\
---
profile: deploy-plan
window: Tuesday 2026-12-08 09:00–10:30
---
# Deployment plan: checkout v2.16

## Deployment Summary

Ship checkout v2.16.
"""

# The repository's config keeps these tests to three rules, so that they do not change
# whenever a rule is added to the bundled packs.
CONFIG = "select: [unfilled-placeholder, window-missing-timezone, prompt-leak]\n"


def _load_action() -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe", pure=True).load(ACTION.read_text(encoding="utf-8"))
    return data


# -- the file is a valid composite action ---------------------------------------------------------


def test_action_metadata_is_a_composite_action() -> None:
    action = _load_action()
    assert set(action) <= {"name", "description", "author", "branding", "inputs", "outputs", "runs"}
    assert action["name"] and action["description"]
    assert action["runs"]["using"] == "composite"
    for name, spec in action["inputs"].items():
        assert re.fullmatch(r"[a-z][a-z0-9-]*", name), name
        assert spec["description"], f"input {name} needs a description"
        assert set(spec) <= {"description", "required", "default", "deprecationMessage"}
        assert isinstance(spec.get("default", ""), str), f"input {name}: defaults are strings"
    assert {"paths", "config", "fail-on", "args", "python-version"} <= set(action["inputs"])
    assert action["inputs"]["fail-on"]["default"] == "error"


def test_every_step_is_well_formed() -> None:
    steps = _load_action()["runs"]["steps"]
    ids = [step["id"] for step in steps if "id" in step]
    assert len(ids) == len(set(ids))
    for step in steps:
        assert ("run" in step) != ("uses" in step), step
        if "run" in step:
            assert step.get("shell") == "bash", f"{step.get('name')}: a run step needs a shell"
        else:
            assert re.fullmatch(r"[\w-]+/[\w-]+@v\d+", step["uses"]), "pin actions to a version"
    setup = [step for step in steps if step.get("uses", "").startswith("actions/setup-python@")]
    assert setup and setup[0]["with"]["python-version"] == "${{ inputs.python-version }}"
    assert steps.index(setup[0]) == 0  # before anything runs python


def test_outputs_come_from_a_step_that_exists() -> None:
    action = _load_action()
    ids = {step["id"] for step in action["runs"]["steps"] if "id" in step}
    assert "sarif-file" in action["outputs"]
    for name, spec in action["outputs"].items():
        assert spec["description"]
        match = re.fullmatch(r"\$\{\{ steps\.([\w-]+)\.outputs\.([\w-]+) \}\}", spec["value"])
        assert match and match.group(1) in ids, f"output {name}: {spec['value']}"


def test_expressions_name_declared_inputs_and_stay_out_of_scripts() -> None:
    action = _load_action()
    for step in action["runs"]["steps"]:
        # Inputs reach scripts through env:, never spliced into the script (script injection).
        assert not EXPRESSION.search(step.get("run", "")), step["name"]
        for value in [*(step.get("env") or {}).values(), *(step.get("with") or {}).values()]:
            for expression in EXPRESSION.findall(str(value)):
                context, _, name = expression.partition(".")
                assert context in {"inputs", "github"}, expression
                if context == "inputs":
                    assert name in action["inputs"], f"undeclared input {name}"


# -- running it --------------------------------------------------------------------------------


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    summary: str
    workspace: Path


def _substitute(text: str, values: Mapping[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        expression = match.group(1)
        assert expression in values, f"the test does not know the expression {expression!r}"
        return values[expression]

    return EXPRESSION.sub(value, text)


def _read_outputs(path: Path) -> dict[str, str]:
    outputs = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, equals, value = line.partition("=")
        assert equals, f"GITHUB_OUTPUT line without '=': {line!r}"
        outputs[name] = value
    return outputs


def run_action(venv: Path, workspace: Path, inputs: Mapping[str, str], which: str = "lint") -> Run:
    """Run the action's ``run:`` steps: ``install`` (the steps before linting) or ``lint``."""
    action = _load_action()
    unknown = set(inputs) - set(action["inputs"])
    assert not unknown, f"not inputs of the action: {unknown}"
    temp = workspace.parent / f"{workspace.name}-runner-temp"
    temp.mkdir(exist_ok=True)
    values = {f"inputs.{name}": spec.get("default", "") for name, spec in action["inputs"].items()}
    values.update({f"inputs.{name}": value for name, value in inputs.items()})
    values.update(
        {
            "github.action_path": str(REPO),
            "github.workspace": str(workspace),
            "runner.temp": str(temp),
        }
    )
    output_file, summary_file = temp / "output", temp / "summary"
    output_file.write_text("", encoding="utf-8")
    summary_file.write_text("", encoding="utf-8")
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP"}
    }
    environment.update(
        {
            # actions/setup-python puts its Python first on PATH; the test's virtualenv does.
            "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
            "PYTHONNOUSERSITE": "1",
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_ACTION_PATH": str(REPO),
            "GITHUB_OUTPUT": str(output_file),
            "GITHUB_STEP_SUMMARY": str(summary_file),
            "RUNNER_TEMP": str(temp),
        }
    )
    stdout, stderr, returncode = "", "", 0
    run_steps = [
        step
        for step in action["runs"]["steps"]
        if "run" in step and (step.get("id") == "planlint") == (which == "lint")
    ]
    for step in run_steps:
        env = {**environment}
        env.update({k: _substitute(str(v), values) for k, v in (step.get("env") or {}).items()})
        script = temp / "step.sh"
        script.write_text(_substitute(step["run"], values), encoding="utf-8")
        assert BASH is not None
        done = subprocess.run(
            [BASH, "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT,
            check=False,
        )
        stdout, stderr, returncode = stdout + done.stdout, stderr + done.stderr, done.returncode
        if returncode != 0:
            break  # a failing step stops the action, as on a runner
    return Run(
        returncode,
        stdout,
        stderr,
        _read_outputs(output_file),
        summary_file.read_text(encoding="utf-8"),
        workspace,
    )


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtualenv where the action's own install step has installed planlint."""
    if BASH is None:
        pytest.skip("bash is not installed")
    where = tmp_path_factory.mktemp("action-venv")
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    workspace = tmp_path_factory.mktemp("install-workspace")
    installed = run_action(where, workspace, {}, which="install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return where


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "docs" / "rollouts").mkdir(parents=True)
    if GIT is not None:
        subprocess.run([GIT, "init", "-q", str(repo)], check=True)
    (repo / ".planlint.yaml").write_text(CONFIG, encoding="utf-8")
    (repo / "docs" / "rollouts" / "clean.md").write_text(CLEAN_PLAN, encoding="utf-8")
    (repo / "docs" / "rollouts" / "broken.md").write_text(BROKEN_PLAN, encoding="utf-8")
    return repo


def _sarif(run: Run) -> dict[str, Any]:
    path = run.workspace / run.outputs["sarif-file"]
    sarif: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(sarif)
    return sarif


@slow
def test_the_install_step_installs_this_checkout(venv: Path) -> None:
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import planlint; print(planlint.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONNOUSERSITE": "1"},
        cwd=venv,
    )
    assert Path(where.stdout.strip()).resolve().is_relative_to(venv.resolve())


@slow
def test_a_broken_plan_fails_after_writing_annotations_and_sarif(
    venv: Path, workspace: Path
) -> None:
    run = run_action(venv, workspace, {"paths": "docs/rollouts/**/*.md"})
    assert run.returncode == 1, run.stdout + run.stderr
    annotations = [line for line in run.stdout.splitlines() if line.startswith("::")]
    assert annotations == [
        "::error file=docs/rollouts/broken.md,line=8,col=24,endLine=8,endColumn=37,"
        "title=planlint unfilled-placeholder (PL201)::unfilled placeholder [ENVIRONMENT]",
        "::error file=docs/rollouts/broken.md,line=8,col=45,endLine=8,endColumn=51,"
        "title=planlint unfilled-placeholder (PL201)::unfilled placeholder [NAME]",
    ]
    assert run.outputs == {"sarif-file": "planlint.sarif", "violations": "2", "exit-code": "1"}
    results = _sarif(run)["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in results] == [
        {"uri": "docs/rollouts/broken.md", "uriBaseId": "%SRCROOT%"}
    ] * 2
    assert "**2 violation(s)** in 2 plan file(s): 2 error(s), 0 warning(s), 0 info." in run.summary
    assert "| `unfilled-placeholder` | 2 |" in run.summary


@slow
def test_a_clean_plan_passes(venv: Path, workspace: Path) -> None:
    run = run_action(venv, workspace, {"paths": "docs/rollouts/clean.md"})
    assert run.returncode == 0, run.stdout + run.stderr
    assert not [line for line in run.stdout.splitlines() if line.startswith("::")]
    assert _sarif(run)["runs"][0]["results"] == []
    assert run.outputs["violations"] == "0" and run.outputs["exit-code"] == "0"
    assert "No violations in 1 plan file(s)." in run.summary


@slow
def test_fail_on_decides_whether_a_warning_fails(venv: Path, workspace: Path) -> None:
    (workspace / "docs" / "rollouts" / "broken.md").unlink()
    (workspace / "docs" / "rollouts" / "late.md").write_text(WARNING_PLAN, encoding="utf-8")
    lenient = run_action(venv, workspace, {"paths": "docs/rollouts"})
    assert lenient.returncode == 0, lenient.stdout + lenient.stderr
    assert any(
        line.startswith("::warning file=docs/rollouts/late.md,line=3")
        for line in lenient.stdout.splitlines()
    )
    strict = run_action(venv, workspace, {"paths": "docs/rollouts", "fail-on": "warning"})
    assert strict.returncode == 1
    assert len(_sarif(strict)["runs"][0]["results"]) == 1  # written before the step failed


@slow
def test_config_baseline_and_args_inputs_reach_planlint(venv: Path, workspace: Path) -> None:
    # A config elsewhere, and a baseline that records the broken plan's two placeholders.
    (workspace / ".planlint.yaml").rename(workspace / "ci-planlint.yaml")
    recorded = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-m",
            "planlint",
            "check",
            "docs",
            "--config",
            "ci-planlint.yaml",
            "--write-baseline",
            "baseline.json",
        ],
        cwd=workspace,
        capture_output=True,
        text=True,
        check=False,
    )
    assert recorded.returncode == 0, recorded.stderr
    plan = workspace / "docs" / "rollouts" / "broken.md"
    plan.write_text(BROKEN_PLAN.replace("# Deployment plan", "Owner: [TEAM]\n\n# Deployment plan"))
    inputs = {
        "paths": "docs/rollouts/clean.md\ndocs/rollouts/broken.md",
        "config": "ci-planlint.yaml",
        "baseline": "baseline.json",
        "args": "--ignore prompt-leak",
        "sarif-file": "reports/out.sarif",
    }
    (workspace / "reports").mkdir()
    run = run_action(venv, workspace, inputs)
    assert run.returncode == 1, run.stdout + run.stderr
    annotations = [line for line in run.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 1 and "unfilled placeholder [TEAM]" in annotations[0]
    assert "2 known violations hidden by the baseline baseline.json" in run.stderr
    assert run.outputs["sarif-file"] == "reports/out.sarif"
    assert len(_sarif(run)["runs"][0]["results"]) == 1


@slow
def test_a_missing_path_fails_with_exit_code_two(venv: Path, workspace: Path) -> None:
    run = run_action(venv, workspace, {"paths": "docs/nowhere"})
    assert run.returncode == 2
    assert "'docs/nowhere': no such file or directory" in run.stderr
    assert run.outputs["exit-code"] == "2"


@slow
def test_a_broken_config_is_reported_in_the_summary(venv: Path, workspace: Path) -> None:
    (workspace / ".planlint.yaml").write_text("select: [no-such-rule]\n", encoding="utf-8")
    run = run_action(venv, workspace, {})
    assert run.returncode == 2
    assert ".planlint.yaml:1: select: unknown rule 'no-such-rule'" in run.stderr
    assert run.outputs == {"sarif-file": "", "violations": "0", "exit-code": "2"}
    assert "planlint could not lint the plans (exit code 2)" in run.summary
