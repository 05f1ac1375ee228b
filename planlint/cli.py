"""The command line: ``planlint check|rules|rule|schema``.

Exit codes (a contract): 0 no violation at or above --fail-on; 1 violations; 2 usage, config
or pack errors, or a path that named no file.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from planlint import __version__

if TYPE_CHECKING:
    import datetime as dt

    from planlint.app.baseline import Baseline, BaselineWriter
    from planlint.app.batch import ResultCache, RunSettings
    from planlint.app.calendar import CalendarSettings
    from planlint.core.results import FileResult, RuleInfo, Severity
    from planlint.engine.compiled import CompiledLinter
    from planlint.engine.runner import Linter
    from planlint.facts.calendar import Calendar
    from planlint.report import Formatter

EXIT_OK, EXIT_VIOLATIONS, EXIT_USAGE = 0, 1, 2
SEVERITIES = ("error", "warning", "info")
# planlint.app.schemas builds every pydantic model: spelled out here to keep it off the start-up
# path (tests/test_schemas.py checks the two agree)
SCHEMA_NAMES = ("config", "front-matter", "pack", "report")
COMMANDS = (
    "check",
    "rules",
    "rule",
    "profile",
    "check-kind",
    "tree",
    "schema",
    "test-policy",
    "lsp",
    "new",
    "calendar",
)


class CommandError(Exception):
    """A problem to report as ``planlint: error: …`` with exit code 2."""


def _parser(only_check: bool = False) -> argparse.ArgumentParser:
    """The command line; with ``only_check``, the ``check`` command alone (what a pre-commit
    hook or a CI step runs: the other commands' arguments cost it time and are never read)."""
    from planlint.report import FORMATS

    parser = argparse.ArgumentParser(
        prog="planlint",
        description="Lint rollout and deployment plans written in Markdown.",
    )
    from planlint.core.build import build_name

    version = f"planlint {__version__} ({build_name()})"
    parser.add_argument("--version", action="version", version=version)
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
    check.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        default=1,
        metavar="N",
        help="lint in N processes; 0 = one per CPU (default: 1)",
    )
    check.add_argument(
        "--no-cache",
        action="store_true",
        help="lint every file afresh; read and write no result cache",
    )
    check.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="where results are cached (default: .planlint_cache beside the config, or at the "
        "top of the repository; or $PLANLINT_CACHE_DIR)",
    )
    check.add_argument(
        "--fix", action="store_true", help="apply the safe fixes, then report what remains"
    )
    check.add_argument(
        "--diff",
        action="store_true",
        help="print the fixes as a unified diff and write nothing; exit 1 if there are any",
    )
    check.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="with --fix or --diff, also apply unsafe fixes (moving sections into order)",
    )
    check.add_argument(
        "--report",
        action="append",
        default=[],
        metavar="FORMAT=FILE",
        help="also write a FORMAT report to FILE, from the same run (repeatable)",
    )
    recorded = check.add_mutually_exclusive_group()
    recorded.add_argument(
        "--baseline", metavar="FILE", help="report only violations that FILE does not record"
    )
    recorded.add_argument(
        "--write-baseline", metavar="FILE", help="record today's violations in FILE, exit 0"
    )

    if only_check:
        return parser

    rules = commands.add_parser("rules", help="list the rules")
    rules.add_argument("--pack", action="append", default=[], metavar="FILE")
    rules.add_argument("--config", metavar="FILE")
    rules.add_argument("--json", action="store_true", help="as JSON")
    rules.add_argument("--markdown", action="store_true", help="as a Markdown table")
    rules.add_argument("--profile", help="only the rules that apply to this profile")

    rule = commands.add_parser("rule", help="show a rule's documentation")
    rule.add_argument("name", help="rule name or code")
    rule.add_argument("--pack", action="append", default=[], metavar="FILE")
    rule.add_argument("--config", metavar="FILE")

    check_kind = commands.add_parser(
        "check-kind", help="show a check kind's documentation and options (for pack authors)"
    )
    check_kind.add_argument("name", nargs="?", help="a check kind; none lists them all")

    profile = commands.add_parser(
        "profile", help="show a profile's sections and how a plan is recognised as it"
    )
    profile.add_argument("name", nargs="?", help="a profile; none lists them all")
    profile.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (a table on a terminal) or json (default: text)",
    )
    profile.add_argument("--pack", action="append", default=[], metavar="FILE")
    profile.add_argument("--config", metavar="FILE")

    tree = commands.add_parser(
        "tree", help="show the section tree planlint sees in a file, and its profile's sections"
    )
    tree.add_argument("file", help="a Markdown file")
    tree.add_argument("--json", action="store_true", help="as JSON")
    tree.add_argument("--profile", help="read the file as this profile, as check --profile does")
    tree.add_argument("--pack", action="append", default=[], metavar="FILE")
    tree.add_argument("--config", metavar="FILE")

    test_policy = commands.add_parser(
        "test-policy", help="run the test cases of policy packs (cases: and cases/*.yaml)"
    )
    test_policy.add_argument(
        "packs", nargs="+", metavar="PACK", help="pack files, or folders of *.yaml packs"
    )
    test_policy.add_argument(
        "--pack", action="append", default=[], metavar="FILE", help="load, but do not test"
    )
    test_policy.add_argument("--quiet", "-q", action="store_true", help="print failures only")

    lsp = commands.add_parser("lsp", help="run the language server for editors (over stdio)")
    lsp.add_argument("--config", metavar="FILE", help="use this config for every document")
    lsp.add_argument(
        "--pack", action="append", default=[], metavar="FILE", help="load an extra policy pack"
    )
    lsp.add_argument(
        "--debounce",
        type=float,
        default=0.3,
        metavar="SECONDS",
        help="wait this long after the last change before linting (default: 0.3)",
    )
    lsp.add_argument(
        "--log-level", choices=("error", "warning", "info", "debug"), default="warning"
    )
    lsp.add_argument("--stdio", action="store_true", help=argparse.SUPPRESS)  # clients add it

    new = commands.add_parser("new", help="write a plan skeleton for a profile")
    new.add_argument("path", nargs="?", metavar="PATH", help="file to write (default: stdout)")
    new.add_argument("--profile", required=True, help="rollout-plan, deploy-plan, or a pack's")
    new.add_argument("--environment", help="tailor the sections to this environment")
    new.add_argument("--force", action="store_true", help="overwrite PATH if it exists")
    new.add_argument("--pack", action="append", default=[], metavar="FILE")
    new.add_argument("--config", metavar="FILE")

    calendar = commands.add_parser(
        "calendar",
        help="every plan's window in time order, with its conflicts and freezes",
    )
    calendar.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="plans to show (files, directories, globs); default: the config's calendar.plans",
    )
    calendar.add_argument("--config", metavar="FILE", help="use this config instead of searching")
    calendar.add_argument(
        "--format",
        choices=("table", "json", "ics"),
        default="table",
        help="a table (plain text when piped), JSON, or an iCalendar feed (RFC 5545)",
    )
    calendar.add_argument(
        "--from", dest="since", type=_day, metavar="DATE", help="only windows ending after DATE"
    )
    calendar.add_argument(
        "--to", dest="until", type=_day, metavar="DATE", help="only windows starting by DATE"
    )
    calendar.add_argument(
        "--link-base",
        metavar="URL",
        help="with --format ics, each event links to URL + the plan's path "
        "(default: a file:// link)",
    )
    calendar.add_argument("--no-cache", action="store_true", help="read every plan afresh")
    calendar.add_argument("--cache-dir", metavar="DIR", help="where plans' entries are cached")

    schema = commands.add_parser("schema", help="print a JSON Schema")
    schema.add_argument("name", choices=SCHEMA_NAMES, help="which schema")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] not in COMMANDS and not args_list[0].startswith("-"):
        args_list.insert(0, "check")  # `planlint docs/` means `planlint check docs/`
    parser = _parser(only_check=args_list[:1] == ["check"])
    args = parser.parse_args(args_list)
    try:
        previous = signal.signal(signal.SIGTERM, _terminated)
    except ValueError:  # not the main thread (a program that embeds planlint): its signals
        previous = None
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "rules":
            return _rules(args)
        if args.command == "rule":
            return _rule(args)
        if args.command == "profile":
            return _profile(args)
        if args.command == "check-kind":
            return _check_kind(args)
        if args.command == "tree":
            return _tree(args)
        if args.command == "test-policy":
            return _test_policy(args)
        if args.command == "lsp":
            return _lsp(args)
        if args.command == "new":
            return _new(args)
        if args.command == "calendar":
            return _calendar_command(args)
        if args.command == "schema":
            from planlint.app.schemas import SCHEMAS

            print(json.dumps(SCHEMAS[args.name](), indent=2))
            return EXIT_OK
        parser.print_help()
        return EXIT_USAGE
    except CommandError as error:
        print(f"planlint: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Terminated:
        # A CI step cancelled or timed out: the workers of --jobs are already gone (their pool
        # ends them on the way out), and nothing half-done is left as a result.
        print("planlint: stopped by SIGTERM", file=sys.stderr)
        return 128 + signal.SIGTERM
    except BrokenPipeError:
        # The reader went away (`planlint … | head`): stop quietly, as other Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_VIOLATIONS
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


class Terminated(BaseException):
    """SIGTERM arrived: a BaseException, so no ``except Exception`` on the way (a file's
    internal-error guard) takes it for one file's failure and carries on."""


def _terminated(signum: int, frame: object) -> None:
    raise Terminated


def _split(value: str | None) -> list[str] | None:
    if value is None:
        return None
    items = [item.strip() for item in value.split(",") if item.strip()]
    if not items:  # `--select "$RULES"` with the variable unset must not select nothing
        raise CommandError(f"an empty rule list ({value!r}) selects nothing: name rules or drop it")
    return items


def _config_path(args: argparse.Namespace) -> Path | None:
    from planlint.core.paths import find_config

    if args.config and not Path(args.config).is_file():
        raise CommandError(f"config file {args.config!r} does not exist")
    return Path(args.config) if args.config else find_config(Path.cwd())


def _linter(args: argparse.Namespace, **options: object) -> Linter:
    from planlint.app.linter import build_linter
    from planlint.engine.packs import PackError
    from planlint.engine.runner import UsageError

    config_path = _config_path(args)
    try:
        return build_linter(config_path, [Path(pack) for pack in args.pack], **options)
    except PackError as error:
        raise CommandError(str(error)) from None
    except UsageError as error:
        raise CommandError(str(error)) from None


def _lsp(args: argparse.Namespace) -> int:
    if args.debounce < 0:
        raise CommandError("--debounce: want seconds >= 0")
    if args.config and not Path(args.config).is_file():
        raise CommandError(f"config file {args.config!r} does not exist")
    try:
        from planlint.lsp.server import serve
    except ModuleNotFoundError as error:  # pygls is an extra: `check` must not need it
        if (error.name or "").partition(".")[0] not in ("pygls", "lsprotocol"):
            raise
        raise CommandError("`planlint lsp` needs pygls: pip install 'planlint[lsp]'") from None
    packs = [Path(pack) for pack in args.pack]
    config = Path(args.config) if args.config else None
    return serve(config, packs, args.debounce, args.log_level)


def _repository_root(start: Path) -> Path:
    from planlint.core.paths import repository_root

    return repository_root(start) or start


def _check(args: argparse.Namespace) -> int:
    from planlint.app.batch import settings_key
    from planlint.core.paths import display_path, expand, matches
    from planlint.core.results import Severity
    from planlint.report import TeeFormatter, make_formatter

    options = {
        "profile": args.profile,
        "select": _split(args.select),
        "ignore": _split(args.ignore) or [],
    }
    config_path = _config_path(args)
    key = settings_key(config_path, [Path(pack) for pack in args.pack], options)
    built: list[tuple[CompiledLinter, RunSettings]] = []
    calendar: Calendar | None = None

    def rules() -> tuple[CompiledLinter, RunSettings]:  # only when a file needs linting
        if not built:
            built.append(_compiled_rules(args, key, options))
        return built[0]

    def linter() -> CompiledLinter:
        compiled = rules()[0]
        compiled.calendar = calendar  # the other plans and the freezes, read once below
        return compiled

    cache = _cache(args, config_path, key)
    settings = cache.settings if cache is not None else None
    if settings is None:
        settings = rules()[1]
        if cache is not None:
            cache.keep_settings(settings)
    files, missing = expand(args.paths or ["."])
    if settings.exclude:
        root = config_path.parent if config_path is not None else Path.cwd()
        files = [file for file in files if not matches(file, settings.exclude, root)]
    for item in missing:
        print(f"planlint: error: {item.argument!r}: {item.reason}", file=sys.stderr)
    if not files and not missing:
        print("planlint: warning: no Markdown files to lint", file=sys.stderr)
    if settings.calendar is not None:  # else the calendar's modules are never imported
        calendar = _run_calendar(args, config_path, settings.calendar, files)
    fail_on = Severity.parse(args.fail_on or settings.fail_on or "error")
    if args.unsafe_fixes and not (args.fix or args.diff):
        print(
            "planlint: warning: --unsafe-fixes does nothing without --fix or --diff",
            file=sys.stderr,
        )
    if args.diff:
        from planlint.app.fixing import print_diffs

        named = [(file, display_path(file)) for file in files]
        pending = print_diffs(
            linter(), named, unsafe=args.unsafe_fixes, out=sys.stdout.buffer, err=sys.stderr
        )
        return EXIT_USAGE if missing else EXIT_VIOLATIONS if pending else EXIT_OK
    output_format = args.format or ("full" if sys.stdout.isatty() else "concise")
    formatter = make_formatter(
        output_format,
        sys.stdout,
        rules=settings.rules,
        root=_repository_root(Path.cwd()),
        fail_on=fail_on,
        statistics=args.statistics,
        quiet=args.quiet,
    )
    reports = _extra_reports(args.report, settings.rules, fail_on)
    formatter = TeeFormatter([formatter, *(report for _, _, report in reports)])
    baseline, recorder = _baselines(args)
    failed = False
    fixer = None
    if args.fix:
        from planlint.app.fixing import Fixer

        fixer = Fixer(linter(), unsafe=args.unsafe_fixes, err=sys.stderr)
    if fixer is not None:  # fixing writes files: one at a time, and never from the cache
        results: Iterable[FileResult] = (fixer.fix(file, display_path(file)) for file in files)
    else:
        results = _results(args, linter, cache, files, output_format, calendar)
    for result in results:
        if recorder is not None:
            recorder.add(result)
            continue
        if baseline is not None:
            result = baseline.filter(result)
        failed = failed or any(v.severity >= fail_on for v in result.violations)
        formatter.add(result)
    if recorder is not None:
        return _write_baseline(recorder, missing)
    formatter.finish()
    if fixer is not None:  # the fix count goes with the text summary, never into JSON or SARIF
        text_output = output_format in ("full", "concise") and not args.quiet
        fixer.finish(sys.stdout if text_output else sys.stderr)
    _save_reports(reports)
    if baseline is not None and not args.quiet:
        _baseline_notes(baseline)
    if missing:
        return EXIT_USAGE
    if fixer is not None and fixer.failed:
        return EXIT_VIOLATIONS  # fixes that were not written: never a silent success
    return EXIT_VIOLATIONS if failed and not args.exit_zero else EXIT_OK


def _cache_dir(args: argparse.Namespace, config_path: Path | None) -> Path | None:
    """Where the caches go: none with --no-cache."""
    if args.no_cache:
        return None
    from planlint.app.batch import default_cache_dir

    return Path(args.cache_dir) if args.cache_dir else default_cache_dir(config_path)


def _run_calendar(
    args: argparse.Namespace, config_path: Path | None, config: CalendarSettings, files: list[Path]
) -> Calendar:
    """The change calendar the config keeps: its freezes, and every plan placed on it."""
    from planlint.app.calendar import CalendarError, build_calendar

    try:
        return build_calendar(config, files, _cache_dir(args, config_path))
    except CalendarError as error:
        raise CommandError(str(error)) from None


def _day(value: str) -> dt.date:
    import datetime

    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"want a date such as 2026-12-01: {value!r}") from None


def _calendar_command(args: argparse.Namespace) -> int:
    import datetime as dt

    from planlint.app.calendar import CalendarError, calendar_view
    from planlint.core.paths import expand
    from planlint.engine.packs import PackError
    from planlint.report.calendar import calendar_ics, calendar_json, calendar_text, table_rows

    config_path = _config_path(args)
    files, missing = expand(args.paths) if args.paths else ([], [])
    for item in missing:
        print(f"planlint: error: {item.argument!r}: {item.reason}", file=sys.stderr)
    since = dt.datetime.combine(args.since, dt.time(0), dt.timezone.utc) if args.since else None
    until = None
    if args.until:
        until = dt.datetime.combine(args.until + dt.timedelta(days=1), dt.time(0), dt.timezone.utc)
    if since and until and until <= since:
        raise CommandError("--to is before --from")
    try:
        agenda = calendar_view(
            config_path, files, bool(args.paths), since, until, _cache_dir(args, config_path)
        )
    except (PackError, CalendarError) as error:
        raise CommandError(str(error)) from None
    if args.format == "json":
        bounds = (args.since, args.until)
        document = calendar_json(agenda, *(b.isoformat() if b else None for b in bounds))
        print(json.dumps(document, indent=2, ensure_ascii=False))
    elif args.format == "ics":
        base: str | None = args.link_base

        def link(path: str) -> str:
            if base:
                from urllib.parse import quote

                return base + quote(path)
            root = config_path.parent if config_path is not None else Path.cwd()
            target = Path(path) if Path(path).is_absolute() else root / path
            return target.resolve().as_uri()

        sys.stdout.flush()
        sys.stdout.buffer.write(calendar_ics(agenda, link))
    elif sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table

        from planlint.report.calendar import HEADERS

        table = Table(header_style="bold")
        for header in HEADERS:
            table.add_column(header, overflow="fold")
        for cells in table_rows(agenda):
            table.add_row(*cells, style="red" if cells[-1] != "-" else None)
        console = Console(highlight=False)
        console.print(table)
        for entry in agenda.unplaced:
            console.print(f"not on the calendar: {entry.path}: {entry.problem}", markup=False)
    else:
        sys.stdout.write(calendar_text(agenda))
    return EXIT_USAGE if missing else EXIT_OK


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = -1
    if jobs < 0:
        raise argparse.ArgumentTypeError(f"want a number of processes (0 = one per CPU): {value!r}")
    return jobs


# The formats that read the source lines: the full one shows them, gitlab and baselines
# fingerprint them. The others are spared splitting (and sending back) every file's lines.
NEEDS_LINES = frozenset({"full", "gitlab"})


def _cache(args: argparse.Namespace, config_path: Path | None, key: str) -> ResultCache | None:
    """The result cache for this run's settings; none with --no-cache, and none when fixing
    (fixes are made from a fresh lint, and write files)."""
    directory = None if args.fix or args.diff else _cache_dir(args, config_path)
    if directory is None:
        return None
    from planlint.app.batch import ResultCache

    return ResultCache(directory, key)


def _compiled_rules(
    args: argparse.Namespace, key: str, options: dict[str, object]
) -> tuple[CompiledLinter, RunSettings]:
    from planlint.app.rulescache import load_or_build

    return load_or_build(key, lambda: _linter(args, **options))


def _results(
    args: argparse.Namespace,
    linter: Callable[[], CompiledLinter],
    cache: ResultCache | None,
    files: Sequence[Path],
    output_format: str,
    calendar: Calendar | None = None,
) -> Iterator[FileResult]:
    from planlint.app.batch import cpu_count, lint_files

    formats = {output_format, *(report.partition("=")[0] for report in args.report)}
    keep_lines = bool(formats & NEEDS_LINES) or bool(args.baseline or args.write_baseline)
    jobs = args.jobs or cpu_count()
    salt = calendar.digest if calendar is not None else ""
    return lint_files(linter, files, jobs=jobs, cache=cache, keep_lines=keep_lines, salt=salt)


def _extra_reports(
    values: Sequence[str], rules: Mapping[str, RuleInfo], fail_on: Severity
) -> list[tuple[str, io.StringIO, Formatter]]:
    """``--report FORMAT=FILE``: formatters writing to buffers, saved once the run is over."""
    from planlint.report import FORMATS, make_formatter

    reports = []
    for value in values:
        name, equals, target = value.partition("=")
        if not equals or name not in FORMATS or not target:
            raise CommandError(
                f"--report {value!r}: expected FORMAT=FILE, FORMAT one of {', '.join(FORMATS)}"
            )
        buffer = io.StringIO()
        report = make_formatter(
            name,
            buffer,
            rules=rules,
            root=_repository_root(Path.cwd()),
            fail_on=fail_on,
            color=False,
        )
        reports.append((target, buffer, report))
    return reports


def _save_reports(reports: Sequence[tuple[str, io.StringIO, Formatter]]) -> None:
    from planlint.core.paths import replace_file

    for target, buffer, _ in reports:
        try:
            replace_file(Path(target), buffer.getvalue())  # a full disk keeps the old report
        except OSError as error:
            raise CommandError(f"--report: cannot write {target!r}: {error.strerror}") from None


def _baselines(args: argparse.Namespace) -> tuple[Baseline | None, BaselineWriter | None]:
    if not args.write_baseline and not args.baseline:
        return None, None  # the usual run: no need to import the baseline models
    from planlint.app.baseline import BaselineError, BaselineWriter, load_baseline

    if args.write_baseline:
        return None, BaselineWriter(Path(args.write_baseline))
    try:
        return load_baseline(Path(args.baseline)), None
    except BaselineError as error:
        raise CommandError(str(error)) from None


def _write_baseline(recorder: BaselineWriter, missing: Sequence[object]) -> int:
    from planlint.app.baseline import BaselineError

    try:
        recorder.write()
    except BaselineError as error:
        raise CommandError(str(error)) from None
    from planlint.report.common import plural

    count = plural(len(recorder.entries), "violation")
    files = plural(len(recorder.files), "file")
    print(f"planlint: recorded {count} in {files} in {recorder.path}", file=sys.stderr)
    return EXIT_USAGE if missing else EXIT_OK


def _baseline_notes(baseline: Baseline) -> None:
    from planlint.app.baseline import summarise
    from planlint.report.common import plural

    hidden = plural(baseline.hidden, "known violation")
    print(f"planlint: {hidden} hidden by the baseline {baseline.path}", file=sys.stderr)
    stale = baseline.stale()
    if stale:
        print(
            f"planlint: {len(stale)} baseline {'entry' if len(stale) == 1 else 'entries'} "
            "no longer found "
            f"({summarise(stale)}); shrink it with --write-baseline {baseline.path}",
            file=sys.stderr,
        )


def _rules(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    linter = _linter(args)
    catalogue = linter.catalogue()
    if args.profile is not None:
        from planlint.app.profileview import UnknownProfile, find_profile, rules_for_profile

        try:
            find_profile(linter.profiles, args.profile)
        except UnknownProfile as error:
            raise CommandError(str(error)) from None
        catalogue = rules_for_profile(catalogue, args.profile)
    if args.json:
        rows = [
            {
                "code": info.code,
                "name": info.name,
                "profiles": list(info.profiles) or ["*"],
                "severity": info.severity.label,
                "summary": info.summary,
                "when": {fact: list(values) for fact, values in info.when},
            }
            for info in catalogue
        ]
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    if args.markdown:
        from planlint.app.catalogue import markdown_table

        print(markdown_table(catalogue), end="")
        return EXIT_OK
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("code", "name", "profile", "severity", "when"):
        table.add_column(column, no_wrap=True)
    table.add_column("summary", overflow="fold")
    for info in catalogue:
        table.add_row(
            info.code,
            info.name,
            ", ".join(info.profiles) or "all",
            info.severity.label,
            info.when_text() or "always",
            info.summary,
        )
    # Piped output is read by tools and people alike: do not wrap it at 80 columns.
    Console(highlight=False, width=None if sys.stdout.isatty() else 160).print(table)
    return EXIT_OK


def _tree(args: argparse.Namespace) -> int:
    from rich.console import Console

    from planlint.app.treeview import match_profile, print_tree, read_tree, tree_json
    from planlint.core.paths import display_path
    from planlint.core.source import ReadError

    path = Path(args.file)
    try:
        document = read_tree(path)
    except ReadError as error:
        raise CommandError(f"{args.file}: {error.message}") from None
    linter = _linter(args, profile=args.profile)
    match = match_profile(linter.compiled, document, path, display_path(path))
    if args.json:
        data = tree_json(display_path(path), document, match)
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print_tree(display_path(path), document, Console(highlight=False), match)
    return EXIT_OK


def _profile(args: argparse.Namespace) -> int:
    from rich.console import Console

    from planlint.app import profileview

    profiles = _linter(args).profiles
    chosen = list(profiles.values())
    if args.name is not None:
        try:
            chosen = [profileview.find_profile(profiles, args.name)]
        except profileview.UnknownProfile as error:
            raise CommandError(str(error)) from None
    if args.format == "json":  # one profile as an object, the listing as a list of them
        data = [profileview.profile_json(profile) for profile in chosen]
        print(json.dumps(data[0] if args.name else data, indent=2, ensure_ascii=False))
    elif not sys.stdout.isatty():  # piped: plain lines, never wrapped at 80 columns
        one = args.name is not None
        lines = profileview.profile_lines(chosen[0]) if one else profileview.listing_lines(chosen)
        print("\n".join(lines))
    elif args.name is not None:
        profileview.print_profile(chosen[0], Console(highlight=False))
    else:
        profileview.print_listing(chosen, Console(highlight=False))
    return EXIT_OK


def _test_policy(args: argparse.Namespace) -> int:
    from planlint.app.policytest import load_suite, result_lines, run_suite, summary_line
    from planlint.engine.packs import PackError

    try:
        suite = load_suite([Path(p) for p in args.packs], [Path(p) for p in args.pack])
        results = run_suite(suite)
    except PackError as error:
        raise CommandError(str(error)) from None
    for result in results:
        if not (args.quiet and result.passed):
            print("\n".join(result_lines(result)))
    for warning in suite.warnings:
        print(f"planlint: warning: {warning}", file=sys.stderr)
    print(summary_line(results))
    return EXIT_OK if all(result.passed for result in results) else EXIT_VIOLATIONS


def _new(args: argparse.Namespace) -> int:
    from planlint.app.skeleton import UnknownProfile, skeleton_for

    linter = _linter(args)
    try:
        text = skeleton_for(linter, args.profile, args.environment)
    except UnknownProfile as error:
        raise CommandError(str(error)) from None
    if args.path is None:
        sys.stdout.write(text)
        return EXIT_OK
    path = Path(args.path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w" if args.force else "x", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
    except FileExistsError:
        raise CommandError(f"{args.path} already exists; use --force to overwrite it") from None
    except OSError as error:
        raise CommandError(f"cannot write {args.path}: {error.strerror or error}") from None
    print(f"planlint: wrote a {args.profile} skeleton to {args.path}", file=sys.stderr)
    glob = linter.glob_for(path)
    if glob is not None and glob[1] != args.profile:
        print(
            f"planlint: warning: the config glob {glob[0]!r} maps {args.path} to {glob[1]}; "
            f"the plan's `profile: {args.profile}` wins, but `planlint check` warns "
            "(profile-mismatch) until the config or the file's place agrees",
            file=sys.stderr,
        )
    return EXIT_OK


def _check_kind(args: argparse.Namespace) -> int:
    from planlint.app.kinddocs import kind_markdown, render
    from planlint.engine.check_api import BUILTIN
    from planlint.engine.kinds import check_kinds

    kinds = {name: kind for name, kind in check_kinds().items() if name != BUILTIN}
    if args.name is None:
        text = render()
    elif args.name in kinds:
        text = kind_markdown(kinds[args.name])
    else:
        import difflib

        close = difflib.get_close_matches(args.name, list(kinds), n=3)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise CommandError(f"unknown check kind {args.name!r}{hint}; known: {', '.join(kinds)}")
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(text))
    else:
        print(text, end="")
    return EXIT_OK


def _rule(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.markdown import Markdown

    catalogue = _linter(args).catalogue()
    found = next((info for info in catalogue if args.name in (info.name, info.code)), None)
    if found is None:
        names = [info.name for info in catalogue]
        import difflib

        close = difflib.get_close_matches(args.name, names, n=3)
        hint = f"; did you mean {' or '.join(close)}?" if close else "; `planlint rules` lists them"
        raise CommandError(f"unknown rule {args.name!r}{hint}")
    from planlint.app.catalogue import rule_markdown

    text = rule_markdown(found)
    if sys.stdout.isatty():
        Console().print(Markdown(text))
    else:
        print(text, end="")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
