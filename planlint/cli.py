"""The command line: ``planlint check|rules|rule|schema``.

Exit codes (a contract): 0 no violation at or above --fail-on; 1 violations; 2 usage, config
or pack errors, or a path that named no file.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from planlint import __version__

if TYPE_CHECKING:
    from planlint.engine.runner import Linter
    from planlint.model import RuleInfo

EXIT_OK, EXIT_VIOLATIONS, EXIT_USAGE = 0, 1, 2
SEVERITIES = ("error", "warning", "info")
COMMANDS = ("check", "rules", "rule", "tree", "schema")


class CommandError(Exception):
    """A problem to report as ``planlint: error: …`` with exit code 2."""


def _parser() -> argparse.ArgumentParser:
    from planlint.report import FORMATS

    parser = argparse.ArgumentParser(
        prog="planlint",
        description="Lint rollout and deployment plans written in Markdown.",
    )
    parser.add_argument("--version", action="version", version=f"planlint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="lint plan files (the default command)")
    check.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files, directories (searched for *.md) or globs (** allowed); default: .",
    )
    check.add_argument("--profile", help="lint every file as this profile")
    check.add_argument(
        "--pack",
        action="append",
        default=[],
        metavar="FILE",
        help="load an extra policy pack (repeatable)",
    )
    check.add_argument("--config", metavar="FILE", help="use this config instead of searching")
    check.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="output format (default: full on a terminal, concise otherwise)",
    )
    check.add_argument(
        "--select", metavar="RULES", help="only these rules (names or codes, comma-separated)"
    )
    check.add_argument(
        "--ignore", metavar="RULES", help="skip these rules (names or codes, comma-separated)"
    )
    check.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        default=None,
        help="lowest severity that fails the run (default: error)",
    )
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even with violations")
    check.add_argument("--statistics", action="store_true", help="count violations per rule")
    check.add_argument("--quiet", "-q", action="store_true", help="print violations only")

    rules = commands.add_parser("rules", help="list the rules")
    rules.add_argument("--pack", action="append", default=[], metavar="FILE")
    rules.add_argument("--config", metavar="FILE")
    rules.add_argument("--json", action="store_true", help="as JSON")
    rules.add_argument("--markdown", action="store_true", help="as a Markdown table")

    rule = commands.add_parser("rule", help="show a rule's documentation")
    rule.add_argument("name", help="rule name or code")
    rule.add_argument("--pack", action="append", default=[], metavar="FILE")
    rule.add_argument("--config", metavar="FILE")

    tree = commands.add_parser("tree", help="show the section tree planlint sees in a file")
    tree.add_argument("file", help="a Markdown file")
    tree.add_argument("--json", action="store_true", help="as JSON")

    schema = commands.add_parser("schema", help="print a JSON Schema")
    from planlint.schemas import SCHEMAS

    schema.add_argument("name", choices=sorted(SCHEMAS), help="which schema")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] not in COMMANDS and not args_list[0].startswith("-"):
        args_list.insert(0, "check")  # `planlint docs/` means `planlint check docs/`
    parser = _parser()
    args = parser.parse_args(args_list)
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "rules":
            return _rules(args)
        if args.command == "rule":
            return _rule(args)
        if args.command == "tree":
            return _tree(args)
        if args.command == "schema":
            from planlint.schemas import SCHEMAS

            print(json.dumps(SCHEMAS[args.name](), indent=2))
            return EXIT_OK
        parser.print_help()
        return EXIT_USAGE
    except CommandError as error:
        print(f"planlint: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`planlint … | head`): stop quietly, as other Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_VIOLATIONS


def _split(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [item.strip() for item in value.split(",") if item.strip()]


def _linter(args: argparse.Namespace, **options: object) -> Linter:
    from planlint.engine.config import find_config, load_config
    from planlint.engine.packs import PackError, default_packs, load_pack
    from planlint.engine.runner import Linter, UsageError

    try:
        config_path = Path(args.config) if args.config else find_config(Path.cwd())
        if args.config and not config_path.is_file():  # type: ignore[union-attr]
            raise CommandError(f"config file {args.config!r} does not exist")
        config = load_config(config_path)
        extra = [config.root / pack for pack in config.config.packs]
        for index, pack in enumerate(extra):
            if not pack.is_file():
                line = config.line_of("packs", index)
                raise PackError(config.path or "config", line, f"packs: {pack} does not exist")
        extra += [Path(pack) for pack in args.pack]
        packs = [*default_packs(), *((path, load_pack(path)) for path in extra)]
        return Linter(packs, config, **options)  # type: ignore[arg-type]
    except PackError as error:
        raise CommandError(str(error)) from None
    except UsageError as error:
        raise CommandError(str(error)) from None


def _repository_root(start: Path) -> Path:
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def _check(args: argparse.Namespace) -> int:
    from planlint.model import Severity
    from planlint.paths import display_path, expand, matches
    from planlint.report import make_formatter

    linter = _linter(
        args, profile=args.profile, select=_split(args.select), ignore=_split(args.ignore) or []
    )
    files, missing = expand(args.paths or ["."])
    exclude = linter.config.config.exclude
    if exclude:
        files = [file for file in files if not matches(file, exclude, linter.config.root)]
    for item in missing:
        print(f"planlint: error: {item.argument!r}: {item.reason}", file=sys.stderr)
    if not files and not missing:
        print("planlint: warning: no Markdown files to lint", file=sys.stderr)
    fail_on = Severity.parse(args.fail_on or linter.config.config.fail_on or "error")
    output_format = args.format or ("full" if sys.stdout.isatty() else "concise")
    formatter = make_formatter(
        output_format,
        sys.stdout,
        rules=linter.rule_infos(),
        root=_repository_root(Path.cwd()),
        fail_on=fail_on,
        statistics=args.statistics,
        quiet=args.quiet,
    )
    failed = False
    for file in files:
        result = linter.lint_file(file, display_path(file))
        failed = failed or any(v.severity >= fail_on for v in result.violations)
        formatter.add(result)
    formatter.finish()
    if missing:
        return EXIT_USAGE
    return EXIT_VIOLATIONS if failed and not args.exit_zero else EXIT_OK


def _rules(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    catalogue = _linter(args).catalogue()
    if args.json:
        rows = [
            {
                "code": info.code,
                "name": info.name,
                "profiles": list(info.profiles) or ["*"],
                "severity": info.severity.label,
                "summary": info.summary,
            }
            for info in catalogue
        ]
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    if args.markdown:
        print(markdown_table(catalogue), end="")
        return EXIT_OK
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("code", "name", "profile", "severity"):
        table.add_column(column, no_wrap=True)
    table.add_column("summary", overflow="fold")
    for info in catalogue:
        table.add_row(
            info.code,
            info.name,
            ", ".join(info.profiles) or "all",
            info.severity.label,
            info.summary,
        )
    # Piped output is read by tools and people alike: do not wrap it at 80 columns.
    Console(highlight=False, width=None if sys.stdout.isatty() else 160).print(table)
    return EXIT_OK


def _tree(args: argparse.Namespace) -> int:
    from rich.console import Console

    from planlint.markdown.parser import parse
    from planlint.paths import display_path
    from planlint.source import ReadError, read_source
    from planlint.treeview import print_tree, tree_json

    path = Path(args.file)
    try:
        document = parse(read_source(path).text)
    except ReadError as error:
        raise CommandError(f"{args.file}: {error.message}") from None
    if args.json:
        print(json.dumps(tree_json(display_path(path), document), indent=2, ensure_ascii=False))
    else:
        print_tree(display_path(path), document, Console(highlight=False))
    return EXIT_OK


def markdown_table(catalogue: Sequence[RuleInfo]) -> str:
    lines = ["| Code | Name | Profiles | Severity | What it checks |", "|---|---|---|---|---|"]
    for info in catalogue:
        profiles = ", ".join(info.profiles) or "all"
        lines.append(
            f"| {info.code} | `{info.name}` | {profiles} | {info.severity.label} | {info.summary} |"
        )
    return "\n".join(lines) + "\n"


def _rule(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.markdown import Markdown

    catalogue = _linter(args).catalogue()
    found = next((info for info in catalogue if args.name in (info.name, info.code)), None)
    if found is None:
        names = [info.name for info in catalogue]
        close = difflib.get_close_matches(args.name, names, n=3)
        hint = f"; did you mean {' or '.join(close)}?" if close else "; `planlint rules` lists them"
        raise CommandError(f"unknown rule {args.name!r}{hint}")
    profiles = ", ".join(found.profiles) or "all profiles"
    text = (
        f"# {found.name} ({found.code})\n\n"
        f"*{found.summary}*  \n"
        f"Default severity: **{found.severity.label}** · Profiles: {profiles}\n\n"
        f"## What it does\n\n{found.what}\n\n## Why it matters\n\n{found.why}\n\n"
        f"## Example\n\n```markdown\n{found.example.rstrip()}\n```\n\n"
        f"## How to fix\n\n{found.fix}\n"
    )
    if sys.stdout.isatty():
        Console().print(Markdown(text))
    else:
        print(text, end="")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
