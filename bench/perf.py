"""How fast is planlint, next to a reference measured in the same run?

Every figure is a whole process (start-up included), the median of ``--runs`` runs, and is
reported as a ratio against its reference, measured side by side:

- the corpus (``../shared/corpus``, Kubernetes KEPs and OpenShift enhancements) and a set of
  generated plans: planlint checking every file with every rule of a profile in one process,
  cache off, against markdown-it-py only parsing the same files;
- the same run with ``--jobs 0`` (one process per CPU), against one process;
- an immediate second run with the cache on and no file changed, against the cold run;
- ``planlint check`` on one plan, cold (``--no-cache``) and from the cache, against
  ``python -c pass``;
- peak memory (max RSS) of the corpus run;
- scaling: one file made of the corpus concatenated 1×, 4× and 16×;
- the language server (``planlint lsp``, driven over stdio by ``bench.lsp_client``): its
  answer to ``initialize``, from the process start, against ``python -c pass``; and its
  diagnostics after a change to a 200-line plan, without the debounce, against the lint of
  that text alone (in this process);
- the KEP Production Readiness Review pack (``examples/packs/kep-prr.yaml``, as its header
  runs it) on the KEPs of the corpus, against markdown-it-py parsing the same files;
- the parser alone on the corpus, pure Python and compiled, against markdown-it-py, and the
  compiled build's whole lint of the corpus against markdown-it-py and against the pure build's.
  The compiled build (``PLANLINT_COMPILE=1 pip install .``, see the README) is measured in the
  virtualenv whose python ``PLANLINT_COMPILED_PYTHON`` (or ``--compiled-python``) names; without
  one, its rows say it was not measured.

    python -m bench.perf                 # print the table
    python -m bench.perf --write         # also record it in BENCHMARKS.md
    python -m bench.perf --runs 1 --quick   # a fast look (a quarter of the corpus)
    python -m bench.perf --only lsp kep     # some of the rows
    PLANLINT_COMPILED_PYTHON=.ci-venv-compiled/bin/python python -m bench.perf  # compiled too
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.record import REPO, machine, write_section

CORPUS = REPO.parent / "shared" / "corpus"
KEPS = CORPUS / "keps"
KEP_PACK = REPO / "examples" / "packs" / "kep-prr.yaml"
PLAN = REPO / "examples" / "clean" / "rollout-plan.md"
# 240 lines, with violations (and fixes) to turn into diagnostics
LSP_PLAN = REPO / "examples" / "broken" / "non-canonical-heading.md"
SECTIONS = ("corpus", "generated", "one-plan", "scaling", "lsp", "kep", "build")
MDIT = """\
import sys
from markdown_it import MarkdownIt
parser = MarkdownIt("commonmark")
for path in open(sys.argv[1], encoding="utf-8").read().splitlines():
    with open(path, encoding="utf-8") as handle:
        parser.parse(handle.read())
"""
# planlint's parser alone (the section tree), reading the same files the same way.
PARSE = """\
import sys
from planlint.markdown import parse
for path in open(sys.argv[1], encoding="utf-8").read().splitlines():
    with open(path, encoding="utf-8") as handle:
        parse(handle.read())
"""
COMPILED_PYTHON = "PLANLINT_COMPILED_PYTHON"
NOT_MEASURED = "not measured: no compiled build"


@dataclass(frozen=True)
class Timing:
    seconds: float  # median wall time
    max_rss_mb: float  # the largest peak resident memory over the runs


# As on a user's machine, Python may keep compiled bytecode: a sandbox that forbids it
# (PYTHONDONTWRITEBYTECODE) would make every run compile planlint's source again.
ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
# The compiled build runs from its own virtualenv: nothing may put this source tree before it.
COMPILED_ENVIRONMENT = {
    k: v for k, v in ENVIRONMENT.items() if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}
}


def run(
    command: Sequence[str], runs: int, env: dict[str, str] | None = None, cwd: Path = REPO
) -> Timing:
    """Median wall time of ``runs`` runs of a process, and its peak memory (from wait4)."""
    env = ENVIRONMENT if env is None else env
    times, peaks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=cwd
        )
        _, status, usage = os.wait4(process.pid, 0)
        times.append(time.perf_counter() - start)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in (0, 1):
            error = process.stderr.read().decode() if process.stderr else ""
            raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {error}")
        if process.stderr:
            process.stderr.close()
        peaks.append(usage.ru_maxrss / 1024)  # kilobytes on Linux
    return Timing(statistics.median(times), max(peaks))


def planlint(*args: str) -> list[str]:
    """``planlint check`` as users run it: the installed command, else ``python -m``."""
    script = Path(sys.executable).with_name("planlint")
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "planlint"]
    return [*command, "check", "--format", "json", "--exit-zero", *args]


def generate_plans(folder: Path, count: int) -> list[Path]:
    """Realistic plans: the clean examples with their steps, signals and names varied."""
    random.seed(7)
    sources = sorted((REPO / "examples" / "clean").glob("*.md"))
    plans = []
    for index in range(count):
        text = sources[index % len(sources)].read_text(encoding="utf-8")
        services = ["checkout", "payments", "search", "profile", "billing", "ledger"]
        text = text.replace("checkout", random.choice(services))
        extra = "".join(
            f"- Step note {n}: watch `p99_latency_ms` stay below {random.randint(200, 900)} ms "
            f"for {random.randint(2, 15)} minutes.\n"
            for n in range(random.randint(0, 30))
        )
        path = folder / f"plan-{index:04d}.md"
        path.write_text(text + "\n" + extra, encoding="utf-8")
        plans.append(path)
    return plans


@dataclass
class Row:
    what: str
    seconds: float
    reference: str
    reference_seconds: float
    target: str
    passed: bool | None  # None: a figure for reference, with no target
    note: str = ""  # instead of the figures: why the row was not measured

    @property
    def ratio(self) -> float:
        return self.seconds / max(self.reference_seconds, 1e-9)


def corpus_rows(
    name: str, files: list[Path], runs: int, cache_dir: Path
) -> tuple[list[Row], float]:
    listing = cache_dir / f"{name}.txt"
    listing.write_text("\n".join(str(path) for path in files), encoding="utf-8")
    paths = [str(path) for path in files]
    reference = run([sys.executable, "-c", MDIT, str(listing)], runs)
    cold = run(planlint("--no-cache", "--profile", "rollout-plan", *paths), runs)
    jobs = run(planlint("--no-cache", "--jobs", "0", "--profile", "rollout-plan", *paths), runs)
    cache = cache_dir / f"cache-{name}"
    cached_args = planlint("--cache-dir", str(cache), "--profile", "rollout-plan", *paths)
    run(cached_args, 1)  # fills the cache
    warm = run(cached_args, runs)
    label = f"{name} ({len(files)} files)"
    rows = [
        Row(
            f"{label}: lint, 1 process",
            cold.seconds,
            "markdown-it-py parse",
            reference.seconds,
            "≤ 1× (pure Python)",  # the second speed round's target; compiled: its own row
            cold.seconds <= reference.seconds,
        ),
        Row(
            f"{label}: lint, --jobs 0 ({os.cpu_count()} CPUs)",
            jobs.seconds,
            "1 process",
            cold.seconds,
            "≤ 1/1.7 = 0.59×",
            jobs.seconds <= cold.seconds / 1.7,
        ),
        Row(
            f"{label}: unchanged re-run, cache on",
            warm.seconds,
            "cold run, 1 process",
            cold.seconds,
            "≤ 0.05×",
            warm.seconds <= 0.05 * cold.seconds,
        ),
    ]
    return rows, cold.max_rss_mb


@dataclass(frozen=True)
class Command:
    """A process to time in another virtualenv or folder than the default (the compiled one)."""

    argv: list[str]
    env: dict[str, str]
    cwd: Path


def interleaved(commands: dict[str, list[str] | Command], runs: int) -> dict[str, Timing]:
    """Each command ``runs`` times, taking turns, so that a noisy minute on a shared machine
    slows them all alike instead of only whichever ran then."""
    samples: dict[str, list[Timing]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            if isinstance(command, Command):
                samples[name].append(run(command.argv, 1, command.env, command.cwd))
            else:
                samples[name].append(run(command, 1))
    return {
        name: Timing(
            statistics.median(timing.seconds for timing in timings),
            max(timing.max_rss_mb for timing in timings),
        )
        for name, timings in samples.items()
    }


def single_plan_rows(runs: int, cache_dir: Path) -> list[Row]:
    plan = str(PLAN)
    # Nothing cached at all: the grammar tables and the rules are built from scratch, as on
    # the very first run after installing (a figure for reference, with no target).
    first = run(
        planlint("--no-cache", plan),
        runs,
        env={**ENVIRONMENT, "PLANLINT_NO_GRAMMAR_CACHE": "1", "PLANLINT_NO_RULES_CACHE": "1"},
    )
    run(planlint(plan), 1)  # the grammar tables and the rules land in the user cache once
    cached_args = planlint("--cache-dir", str(cache_dir / "cache-one"), plan)
    run(cached_args, 1)
    timings = interleaved(
        {
            "floor": [sys.executable, "-c", "pass"],
            "cold": planlint("--no-cache", plan),
            "warm": cached_args,
        },
        runs,
    )
    floor, cold, warm = timings["floor"], timings["cold"], timings["warm"]
    return [
        Row(
            "one plan, whole process, first run ever (no grammar or rules cache)",
            first.seconds,
            "python -c pass",
            floor.seconds,
            "none (reference)",
            None,
        ),
        Row(
            "one plan, whole process, --no-cache (an edited plan: rules cache warm)",
            cold.seconds,
            "python -c pass",
            floor.seconds,
            "≤ 8×",
            cold.seconds <= 8 * floor.seconds,
        ),
        Row(
            "one plan, whole process, cached",
            warm.seconds,
            "python -c pass",
            floor.seconds,
            "≤ 4×",
            warm.seconds <= 4 * floor.seconds,
        ),
    ]


def scaling_row(runs: int) -> Row:
    from bench.scaling import corpus_concatenated
    from planlint.engine.packs import default_packs
    from planlint.engine.runner import Linter

    linter = Linter(list(default_packs()), profile="rollout-plan")
    texts = {size: corpus_concatenated(size) for size in (1, 16)}
    linter.lint_text(texts[1], "corpus.md")  # first use compiles the patterns: not timed
    times: dict[int, list[float]] = {size: [] for size in texts}
    for _ in range(runs):  # interleaved, so that a noisy minute slows both sizes alike
        for size, text in texts.items():
            start = time.perf_counter()
            linter.lint_text(text, "corpus.md")
            times[size].append(time.perf_counter() - start)
    seconds = [statistics.median(times[size]) for size in texts]
    return Row(
        "corpus sample concatenated 16× (4 MB) vs 1× (250 kB)",
        seconds[1],
        "1×",
        seconds[0],
        "≤ 17×",
        seconds[1] <= 17 * seconds[0],
    )


def lsp_rows(runs: int, scratch: Path) -> list[Row]:
    from bench.lsp_client import time_diagnostics, time_initialize
    from planlint.app.linter import build_linter

    root = scratch / "lsp"
    (root / ".git").mkdir(parents=True)  # a repository without a config: the default packs
    # The first start ever writes lsprotocol's code cache, as a user's first start does.
    time_initialize(root, ENVIRONMENT)
    floor, starts = [], []
    for _ in range(runs):  # taking turns, as the one-plan rows do
        floor.append(run([sys.executable, "-c", "pass"], 1).seconds)
        starts.append(time_initialize(root, ENVIRONMENT))
    plan = LSP_PLAN.read_text(encoding="utf-8")
    # a different text each time, as typing makes: no lint of an earlier text answers it
    edits = [f"{plan}\n- Note {n}: watch the error rate.\n" for n in range(runs + 1)]
    after_change = time_diagnostics(edits, root, ENVIRONMENT)
    linter = build_linter(None)  # what the server lints with there
    linter.lint_text(plan, "plan.md", root / "plan.md")  # first use compiles the patterns
    alone = []
    for text in edits[1:]:
        start = time.perf_counter()
        linter.lint_text(text, "plan.md", root / "plan.md")
        alone.append(time.perf_counter() - start)
    lines = len(plan.splitlines())
    initialize, diagnostics = statistics.median(starts), statistics.median(after_change)
    return [
        Row(
            "LSP: initialize answered, whole process (lsprotocol code cache warm)",
            initialize,
            "python -c pass",
            statistics.median(floor),
            "≤ 0.3 s",
            initialize <= 0.3,
        ),
        Row(
            f"LSP: diagnostics after a change, {lines}-line plan, without the debounce",
            diagnostics,
            "the lint alone, in-process",
            statistics.median(alone),
            "≤ 50 ms",
            diagnostics <= 0.050,
        ),
    ]


def kep_row(runs: int, quick: bool, cache_dir: Path) -> Row:
    files = sorted(KEPS.glob("*.md"))[:: 4 if quick else 1]
    listing = cache_dir / "keps.txt"
    listing.write_text("\n".join(str(path) for path in files), encoding="utf-8")
    pack = ["--pack", str(KEP_PACK), "--profile", "kep", "--select", "KEP,missing-section"]
    timings = interleaved(
        {
            "reference": [sys.executable, "-c", MDIT, str(listing)],
            "lint": planlint("--no-cache", *pack, *(str(path) for path in files)),
        },
        runs,
    )
    return Row(
        f"KEPs ({len(files)} files): the KEP PRR pack, 1 process",
        timings["lint"].seconds,
        "markdown-it-py parse",
        timings["reference"].seconds,
        "none (reference)",
        None,
    )


def compiled_planlint(python: str) -> Path | None:
    """The compiled build's ``planlint`` beside ``python``, checked to be the compiled build."""
    if not python:
        return None
    script = Path(python).with_name("planlint")
    result = subprocess.run(
        [str(script), "--version"],
        capture_output=True,
        text=True,
        env=COMPILED_ENVIRONMENT,
        cwd=Path(python).parent,
        check=False,
    )
    if not result.stdout.strip().endswith("(compiled)"):
        raise SystemExit(
            f"{COMPILED_PYTHON}={python}: its planlint is not the compiled build "
            f"({result.stdout.strip() or result.stderr.strip()})"
        )
    return script


def _not_measured(what: str, reference: str, target: str) -> Row:
    return Row(what, 0.0, reference, 0.0, target, None, note=NOT_MEASURED)


def build_rows(files: list[Path], runs: int, cache_dir: Path, compiled_python: str) -> list[Row]:
    """The parser alone, pure and compiled, and the compiled build's whole lint, each against
    markdown-it-py parsing the same files; measured taking turns."""
    listing = cache_dir / "corpus-parse.txt"
    listing.write_text("\n".join(str(path.resolve()) for path in files), encoding="utf-8")
    paths = [str(path.resolve()) for path in files]
    label = f"corpus ({len(files)} files)"
    script = compiled_planlint(compiled_python)
    commands: dict[str, list[str] | Command] = {
        "mdit": [sys.executable, "-c", MDIT, str(listing)],
        "parse": [sys.executable, "-c", PARSE, str(listing)],  # the source tree: cwd is REPO
    }
    if script is not None:
        lint_args = ["--no-cache", "--profile", "rollout-plan", *paths]
        outside = cache_dir / "compiled-cwd"  # ``-c`` puts the cwd first: not the source tree
        outside.mkdir(exist_ok=True)
        commands["compiled parse"] = Command(
            [compiled_python, "-c", PARSE, str(listing)], COMPILED_ENVIRONMENT, outside
        )
        commands["lint"] = planlint(*lint_args)
        commands["compiled lint"] = Command(
            [str(script), "check", "--format", "json", "--exit-zero", *lint_args],
            COMPILED_ENVIRONMENT,
            REPO,  # as the pure lint: the same config; the script's folder comes first
        )
    timings = interleaved(commands, runs)
    mdit = timings["mdit"].seconds
    rows = [
        Row(
            f"{label}: parse only, pure Python",
            timings["parse"].seconds,
            "markdown-it-py parse",
            mdit,
            "≤ 0.6×",
            timings["parse"].seconds <= 0.6 * mdit,
        )
    ]
    parse_compiled = f"{label}: parse only, compiled"
    lint_compiled = f"{label}: lint, 1 process, compiled"
    if script is None:
        return [
            *rows,
            _not_measured(parse_compiled, "markdown-it-py parse", "≤ 0.25×"),
            _not_measured(lint_compiled, "markdown-it-py parse", "≤ 0.5×"),
            _not_measured(f"{label}: parse only, compiled", "pure Python parse", "none"),
            _not_measured(f"{label}: lint, compiled", "pure Python lint", "none"),
        ]
    compiled_parse = timings["compiled parse"].seconds
    compiled_lint = timings["compiled lint"].seconds
    return [
        *rows,
        Row(
            parse_compiled,
            compiled_parse,
            "markdown-it-py parse",
            mdit,
            "≤ 0.25×",
            compiled_parse <= 0.25 * mdit,
        ),
        Row(
            lint_compiled,
            compiled_lint,
            "markdown-it-py parse",
            mdit,
            "≤ 0.5×",
            compiled_lint <= 0.5 * mdit,
        ),
        Row(
            f"{label}: parse only, compiled",
            compiled_parse,
            "pure Python parse",
            timings["parse"].seconds,
            "none (reference)",
            None,
        ),
        Row(
            f"{label}: lint, compiled",
            compiled_lint,
            "pure Python lint",
            timings["lint"].seconds,
            "none (reference)",
            None,
        ),
    ]


def _met(passed: bool | None) -> str:
    return "—" if passed is None else "yes" if passed else "**no**"


def table(rows: list[Row], rss: float | None) -> str:
    lines = [
        "| measurement | time (s) | reference | reference (s) | ratio | target | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        if row.note:
            lines.append(f"| {row.what} | {row.note} | {row.reference} | | | {row.target} | — |")
            continue
        lines.append(
            f"| {row.what} | {row.seconds:.3f} | {row.reference} | {row.reference_seconds:.3f} "
            f"| {row.ratio:.2f}× | {row.target} | {_met(row.passed)} |"
        )
    if rss is not None:  # the corpus was linted
        met = "yes" if rss < 200 else "**no**"
        lines.append(
            f"| corpus lint, peak memory (max RSS) | {rss:.0f} MB | | | | < 200 MB | {met} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--compiled-python",
        default=os.environ.get(COMPILED_PYTHON, ""),
        metavar="PYTHON",
        help=f"the python of a virtualenv with the compiled build (default: ${COMPILED_PYTHON})",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (the median)")
    parser.add_argument("--quick", action="store_true", help="a quarter of the corpus")
    parser.add_argument("--write", action="store_true", help="record the table in BENCHMARKS.md")
    parser.add_argument(
        "--only", nargs="+", choices=SECTIONS, default=SECTIONS, help="measure only these rows"
    )
    args = parser.parse_args()
    if args.write and set(args.only) != set(SECTIONS):
        parser.error("--write records the whole table: drop --only")
    rows: list[Row] = []
    rss: float | None = None
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        if "corpus" in args.only and CORPUS.is_dir():
            corpus = sorted(CORPUS.rglob("*.md"))[:: 4 if args.quick else 1]
            found, rss = corpus_rows("corpus", corpus, args.runs, scratch)
            rows += found
        elif "corpus" in args.only:
            print(f"{CORPUS} is absent: the corpus rows are skipped", file=sys.stderr)
        if "generated" in args.only:
            plans_dir = scratch / "plans"
            plans_dir.mkdir()
            found, _ = corpus_rows(
                "generated plans", generate_plans(plans_dir, 300), args.runs, scratch
            )
            rows += found
        if "one-plan" in args.only:
            rows += single_plan_rows(max(args.runs, 11), scratch)
        if "scaling" in args.only and CORPUS.is_dir():
            rows.append(scaling_row(args.runs))
        if "lsp" in args.only:
            rows += lsp_rows(max(args.runs, 11), scratch)
        if "kep" in args.only and KEPS.is_dir():
            rows.append(kep_row(args.runs, args.quick, scratch))
        elif "kep" in args.only:
            print(f"{KEPS} is absent: the KEP pack row is skipped", file=sys.stderr)
        if "build" in args.only and CORPUS.is_dir():
            sample = sorted(CORPUS.rglob("*.md"))[:: 4 if args.quick else 1]
            rows += build_rows(sample, args.runs, scratch, args.compiled_python)
    result = table(rows, rss)
    print(result)
    if args.write:
        header = (
            f"`python -m bench.perf --runs {args.runs}` on {machine()}. Each time is a whole "
            "process (start-up included), the median of the runs; every ratio compares two "
            "figures measured in the same run (the one-plan rows take turns with `python -c "
            "pass`, at least 11 runs each). Lint runs use `--profile rollout-plan` (every "
            "rule of the profile) and `--format json`; bytecode caching is allowed, as on a "
            "user's machine.\n\n"
        )
        write_section("Performance", header + result)


if __name__ == "__main__":
    main()
