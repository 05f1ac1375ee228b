"""docs/rules.md, generated from the bundled packs: every rule with its documentation.

``python -m planlint.app.docs`` prints it, ``--write`` writes it, ``--check`` exits 1 when the
file differs from the packs (``tests/test_docs.py`` does the same).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from planlint.engine.conditions import Condition
from planlint.engine.packs import Pack, RuleSpec, default_packs

DEFAULT_PATH = Path("docs") / "rules.md"
HEADER = """\
# planlint rules

<!-- Generated from the packs in rules/ by `python -m planlint.app.docs --write`; do not edit. -->

Every rule of the bundled policy packs, by code. `planlint rule NAME` shows the same text in a
terminal; `planlint rules` lists the rules a config leaves active. Severities are the defaults:
a config can change them or turn a rule off (see the README).
"""


def _conditions(condition: Condition | None) -> str:
    if not condition:
        return ""
    parts = []
    for fact, values in condition.items():
        wanted = [f"`{v}`" for v in values if not v.startswith("!")]
        excluded = [f"`{v[1:]}`" for v in values if v.startswith("!")]
        if wanted:
            parts.append(f"{fact} is {' or '.join(wanted)}")
        if excluded:
            parts.append(f"{fact} is not {' or '.join(excluded)}")
    return "; ".join(parts)


def _fence(text: str) -> str:
    """A fence longer than any backtick run in ``text``, so examples with code stay intact."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _rule_section(spec: RuleSpec, profiles: str, section_titles: list[str]) -> list[str]:
    docs = spec.docs
    facts = [
        f"- **Severity:** {spec.severity}",
        f"- **Profiles:** {profiles}",
        f"- **Check kind:** `{spec.check}`",
    ]
    if spec.scope:
        ids = [spec.scope] if isinstance(spec.scope, str) else spec.scope
        titles = " / ".join(section_titles) or ", ".join(ids)
        facts.append(f"- **Section:** {titles} ({', '.join(f'`{i}`' for i in ids)})")
    if spec.when:
        facts.append(f"- **Applies when:** {_conditions(spec.when)}")
    fence = _fence(docs.example)
    return [
        f"## {spec.code} `{spec.name}`",
        "",
        spec.summary,
        "",
        *facts,
        "",
        "**What it does.** " + " ".join(docs.what.split()),
        "",
        "**Why it matters.** " + " ".join(docs.why.split()),
        "",
        "**Example.**",
        "",
        f"{fence}markdown",
        docs.example.rstrip("\n"),
        fence,
        "",
        "**How to fix.** " + " ".join(docs.fix.split()),
        "",
    ]


def render(packs: Sequence[tuple[Path, Pack]] | None = None) -> str:
    """The Markdown of docs/rules.md for ``packs`` (default: the bundled ones)."""
    loaded = list(packs if packs is not None else default_packs())
    profiles = {pack.profile.name: pack.profile for _, pack in loaded if pack.profile is not None}
    rules = sorted(
        ((spec, pack.targets()) for _, pack in loaded for spec in pack.rules),
        key=lambda item: item[0].code,
    )
    lines = [HEADER, "| Code | Name | Severity | Profiles | Summary |", "|---|---|---|---|---|"]
    for spec, targets in rules:
        anchor = f"{spec.code}-{spec.name}".lower()
        lines.append(
            f"| {spec.code} | [`{spec.name}`](#{anchor}) | {spec.severity} "
            f"| {', '.join(targets or []) or 'all'} | {spec.summary} |"
        )
    lines.append("")
    for spec, targets in rules:
        titles = [
            section.title
            for name in targets or list(profiles)
            for section in profiles[name].all_sections()
            if spec.scope is not None and section.id in spec.scope
        ]
        lines += _rule_section(spec, ", ".join(targets or []) or "all", list(dict.fromkeys(titles)))
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m planlint.app.docs", description=__doc__)
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--write", action="store_true", help="write the file")
    action.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    args = parser.parse_args(argv)
    text = render()
    if args.write:
        args.path.parent.mkdir(parents=True, exist_ok=True)
        args.path.write_text(text, encoding="utf-8")
        print(f"wrote {args.path}", file=sys.stderr)
        return 0
    if args.check:
        try:
            current = args.path.read_text(encoding="utf-8")
        except OSError as error:
            print(f"{args.path}: {error.strerror}", file=sys.stderr)
            return 1
        if current != text:
            print(
                f"{args.path} is stale: run `python -m planlint.app.docs --write`", file=sys.stderr
            )
            return 1
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
