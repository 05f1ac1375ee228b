"""Differential fidelity: planlint's section tree against markdown-it-py, written elsewhere.

For each document we compare what lint rules rely on: the top-level headings (level, title with
inline markup stripped, start line), every code block (start and end line) and the top-level
list items (ordered or bullet, start line). markdown-it runs in CommonMark mode with GFM tables
and the front-matter plugin, since plans and the OpenShift proposals start with YAML front matter.

Run ``python -m tests.fidelity`` to print the agreement figures per CommonMark spec section and
per corpus folder; ``tests/test_fidelity.py`` holds the targets.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin
from ruamel.yaml import YAML

from planlint.app.treeview import tree_json
from planlint.markdown import Code, ListBlock, parse
from planlint.markdown.nodes import walk_blocks

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
SPEC = CORPUS / "commonmark" / "spec.json"

Outline = tuple[list[tuple[int, str, int]], list[tuple[int, int]], list[tuple[bool, int]]]

_MARKDOWN_IT = MarkdownIt("commonmark").enable("table").use(front_matter_plugin)


def ours(text: str) -> Outline:
    document = parse(text)
    headings = [
        (h["level"], " ".join(h["title"].split()), h["line"])
        for h in tree_json("", document)["headings"]
    ]
    roots = document.body()
    code = sorted((b.start_line, b.end_line) for b in walk_blocks(roots) if isinstance(b, Code))
    top_blocks = [*document.blocks, *(b for s in document.walk_sections() for b in s.blocks)]
    items = [
        (block.ordered, item.start_line)
        for block in top_blocks
        if isinstance(block, ListBlock)
        for item in block.items
    ]
    return headings, code, sorted(items, key=lambda item: item[1])


def _inline_text(token: Token) -> str:
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(_inline_text(child))
    return "".join(parts)


def reference(text: str) -> Outline:
    tokens = _MARKDOWN_IT.parse(text)
    headings, code, items = [], [], []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.level == 0 and token.map:
            title = " ".join(_inline_text(tokens[index + 1]).split())
            headings.append((int(token.tag[1]), title, token.map[0] + 1))
        elif token.type in ("fence", "code_block") and token.map:
            code.append((token.map[0] + 1, token.map[1]))
        elif token.type == "list_item_open" and token.level == 1 and token.map:
            items.append((token.markup in (".", ")"), token.map[0] + 1))
    return headings, sorted(code), sorted(items, key=lambda item: item[1])


@dataclass(frozen=True)
class Sample:
    group: str  # spec section or folder
    name: str  # example number or path
    text: str


def spec_samples() -> Iterator[Sample]:
    for example in json.loads(SPEC.read_text(encoding="utf-8")):
        yield Sample(example["section"], str(example["example"]), example["markdown"])


def corpus_samples() -> Iterator[Sample]:
    for path in sorted(CORPUS.rglob("*.md")):
        folder = path.relative_to(CORPUS).parts[0]
        yield Sample(folder, str(path.relative_to(CORPUS)), path.read_text(encoding="utf-8"))


def plan_samples() -> Iterator[Sample]:
    """The example plans, and every plan text in the rule fixtures."""
    for path in sorted((REPO / "examples").rglob("*.md")):
        yield Sample("examples", str(path.relative_to(REPO)), path.read_text(encoding="utf-8"))
    yaml = YAML(typ="safe", pure=True)
    for path in sorted((REPO / "rules" / "cases").glob("*.yaml")):
        data: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            text = case.get("fail", case.get("pass"))
            yield Sample("tests", f"{path.name}::{case['name']}", text)


def differences(samples: Iterator[Sample]) -> tuple[Counter[str], list[Sample]]:
    """(documents per group, the samples on which planlint and markdown-it disagree)."""
    totals: Counter[str] = Counter()
    different = []
    for sample in samples:
        totals[sample.group] += 1
        if ours(sample.text) != reference(sample.text):
            different.append(sample)
    return totals, different


def _print_figures(title: str, samples: Iterator[Sample]) -> None:
    totals, different = differences(samples)
    failed = Counter(sample.group for sample in different)
    print(f"\n{title}")
    for group, total in totals.items():
        agree = total - failed[group]
        print(f"  {group:<45} {agree:>5} / {total:<5} {100 * agree / total:6.1f}%")
    agree = sum(totals.values()) - len(different)
    print(f"  {'all':<45} {agree:>5} / {sum(totals.values()):<5}")
    for sample in different:
        print(f"  differs: {sample.group}: {sample.name}")


def main() -> None:
    if not CORPUS.is_dir():
        raise SystemExit(f"the corpus is not at {CORPUS}")
    _print_figures("CommonMark spec examples", spec_samples())
    _print_figures("Corpus files", corpus_samples())
    _print_figures("Example and fixture plans", plan_samples())


if __name__ == "__main__":
    main()
