"""Does cost grow in proportion to input? Lint 1×, 4× and 16× inputs and print the ratios.

Cases: a corpus sample concatenated 1×, 4× and 16× (and, for comparison, longer prefixes of
the corpus, whose cost also depends on which files they take in), many headings, lists and
block quotes nested deep, one very long line, and every regular expression of the shipped
packs on long lines of repeated characters (the inputs that make a backtracking regex
explode). Linear cost means the 16× input takes about 16× the time; the issue's bar is at
most 17×. Timings are the best of several runs, measured side by side in one process.

    python -m bench.scaling            # print the table
    python -m bench.scaling --write    # also record it in BENCHMARKS.md
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from bench.record import machine, write_section
from planlint.engine.packs import default_packs
from planlint.engine.runner import Linter

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
SIZES = (1, 4, 16)
REPEATS = 5


SAMPLE = 250_000  # characters of the corpus in the 1× file


def corpus_concatenated(times: int) -> str:
    """The corpus sample (its first files, 250 kB) concatenated ``times`` times: the same text,
    so the only thing that grows is the size."""
    return "\n".join([corpus_prefix(SAMPLE)] * times)


def corpus_prefix(limit: int) -> str:
    """The first ``limit`` characters of the corpus, files joined in name order. A longer
    prefix holds other files too, so it measures the mix of content as well as the size."""
    pieces: list[str] = []
    total = 0
    for path in sorted(CORPUS.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        pieces.append(text)
        total += len(text)
        if total >= limit:
            break
    return "\n".join(pieces)[:limit]


def _plan_with_line(plan: str, char: str, size: int) -> str:
    return plan + "\n" + char * (10_000 * size) + "\n"


def _cases() -> dict[str, Callable[[int], str]]:
    plan = (REPO / "examples" / "clean" / "rollout-plan.md").read_text(encoding="utf-8")
    cases: dict[str, Callable[[int], str]] = {
        "plan repeated": lambda n: plan * (4 * n),
        "headings": lambda n: "".join(f"## Section {i}\ntext\n" for i in range(2_000 * n)),
        "nested list (one line)": lambda n: "- " * (1_000 * n) + "x\n",
        "nested quotes": lambda n: ">" * (2_000 * n) + " x\n",
        "nested list (indented)": lambda n: "".join(
            "  " * i + "- x\n" for i in range(int(100 * n**0.5))
        ),  # input grows as depth², so depth grows as √n
        "long prose line": lambda n: "The rollback was rehearsed in staging. " * (2_000 * n),
        "backtick runs": lambda n: "- check ``x` " * (5_000 * n) + "\n",
        "unclosed comments": lambda n: "- check <!-- " * (5_000 * n) + "\n",
    }
    # Every check, not only the packs' patterns, on one long line of one character (the
    # checks' own regexes and scanners; ">" is the nested-quotes case above).
    for char in "*`[<$|-_ #(aX1.!]/:":
        cases[f"plan + line of {char!r}×n"] = partial(_plan_with_line, plan, char)
    if CORPUS.is_dir():
        cases["corpus concatenated"] = corpus_concatenated
        cases["corpus prefix (other files too)"] = lambda n: corpus_prefix(SAMPLE * n)
    return cases


def _best_seconds(action: Callable[[], object]) -> float:
    """The fastest of REPEATS runs: other processes only ever add time, so the minimum is the
    steadiest estimate of the cost itself."""
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def _search_all(patterns: list[re.Pattern[str]], line: str) -> None:
    for pattern in patterns:
        pattern.search(line)


def _regex_rows() -> list[tuple[str, list[float]]]:
    """Every pattern the packs ship, on 10k/40k/160k-character lines of one repeated character."""
    patterns: list[str] = []
    for _, pack in default_packs():
        for rule in pack.rules:
            for value in rule.options.values():
                items = value if isinstance(value, list) else [value]
                patterns += [item for item in items if isinstance(item, str) and "\\" in item]
    rows = []
    compiled = [re.compile(p, re.IGNORECASE) for p in patterns]
    for char in "*`[<$|-_ #>(aX1.":
        seconds = []
        for size in SIZES:
            line = char * (10_000 * size)
            seconds.append(_best_seconds(partial(_search_all, compiled, line)))
        rows.append((f"pack regexes on {char!r}×n", seconds))
    return rows


def measure() -> list[tuple[str, list[float]]]:
    linter = Linter(list(default_packs()), profile="rollout-plan")
    rows = []
    for name, make in _cases().items():
        texts = [make(size) for size in SIZES]
        seconds = [_best_seconds(partial(linter.lint_text, text, "bench.md")) for text in texts]
        rows.append((name, seconds))
        print(table(rows[-1:]).splitlines()[-1], file=sys.stderr, flush=True)  # progress
    return rows + _regex_rows()


def table(rows: list[tuple[str, list[float]]]) -> str:
    lines = ["| case | 1× (s) | 4× (s) | 16× (s) | 4×/1× | 16×/1× |", "|---|---|---|---|---|---|"]
    for name, (one, four, sixteen) in rows:
        base = max(one, 1e-9)
        lines.append(
            f"| {name} | {one:.4f} | {four:.4f} | {sixteen:.4f} | "
            f"{four / base:.1f} | {sixteen / base:.1f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="record the table in BENCHMARKS.md")
    args = parser.parse_args()
    result = table(measure())
    print(result)
    if args.write:
        header = (
            f"`python -m bench.scaling` on {machine()}; best of {REPEATS} runs. "
            "Ratios near 4 and 16 mean linear cost; timings under a millisecond are noise.\n\n"
        )
        write_section("Scaling", header + result)


if __name__ == "__main__":
    main()
