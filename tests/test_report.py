"""Output formats: what each one prints for hand-built results."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

# jsonschema ships no type information; "unused-ignore" keeps mypy quiet should
# types-jsonschema ever be installed.
from jsonschema import (  # type: ignore[import-untyped, unused-ignore]
    Draft4Validator,
    Draft7Validator,
    Draft202012Validator,
)

from planlint import __version__
from planlint.core.results import Edit, FileResult, Fix, RuleInfo, Severity, Violation
from planlint.report import FORMATS, JsonReport, make_formatter, report_schema
from planlint.report.common import repo_relative
from planlint.report.full import underline
from planlint.report.github import escape_data, escape_property
from planlint.report.jsontext import dumps_indented
from planlint.report.summary import Tally
from planlint.report.text import PlainPrinter, RichPrinter, make_console, prints_plain

SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
ANSI = re.compile(r"\x1b\[[0-9;]*m")

RULES = {
    "rollback-required": RuleInfo(
        code="PL001",
        name="rollback-required",
        severity=Severity.ERROR,
        summary="Every plan needs a rollback section.",
        what="The plan has no rollback section.",
        why="Without one, nobody knows how to undo a bad rollout.",
        example="## Rollback\n\n```sh\nkubectl rollout undo deploy/web\n```",
        fix="Add a `## Rollback` section.",
        profiles=("default", "k8s"),
    ),
    "vague-window": RuleInfo(
        code="PL002",
        name="vague-window",
        severity=Severity.WARNING,
        summary="Maintenance windows need explicit times.",
        what="A window like 'tonight' is ambiguous.",
        why="People in other time zones read it differently.",
        example="Window: 2024-05-01 22:00-23:00 UTC",
        fix="Give start, end and time zone.",
    ),
    "owner-named": RuleInfo(
        code="PL003",
        name="owner-named",
        severity=Severity.INFO,
        summary="Name an owner for each step.",
        what="A step has no owner.",
        why="Unowned steps get skipped.",
        example="",
        fix="Add `Owner: @someone`.",
    ),
}

DEPLOY_LINES = (
    "# Deploy web [v2]",
    "",
    "## Rollout [bold]now[/bold]",
    "Window: tonight, 50% of pods",
    "Step: drain",
)


def violation(
    rule: str, line: int, column: int, end_column: int, message: str, **kw: Any
) -> Violation:
    info = RULES[rule]
    fields: dict[str, Any] = {"end_line": line, "severity": info.severity} | kw
    return Violation(
        rule=rule,
        code=info.code,
        message=message,
        line=line,
        column=column,
        end_column=end_column,
        **fields,
    )


def results() -> list[FileResult]:
    """A clean file, a file with a finding of every severity, and one below the threshold."""
    deploy = [
        # Deliberately out of order: formatters report in line order.
        violation("owner-named", 5, 1, 12, "Step 'drain' has no owner", section="Rollout"),
        violation(
            "rollback-required",
            3,
            4,
            11,
            "No rollback for [bold]Rollout[/bold]: 100%, really\nsecond line",
            section="Rollout",
        ),
        violation(
            "vague-window", 4, 9, 16, "Window 'tonight' has no time zone", hint="Write 22:00 UTC."
        ),
    ]
    return [
        FileResult(path="clean.md", profile="default", lines=("# Fine",)),
        FileResult(
            path="plans/sub/deploy.md",
            profile="k8s",
            violations=deploy,
            lines=DEPLOY_LINES,
            profile_source="config",
            profile_reason="named by the config glob 'plans/**'",
        ),
        FileResult(
            path="plans/notes.md",
            profile=None,
            violations=[violation("owner-named", 1, 1, 2, "No owner")],
            lines=("x",),
        ),
    ]


def render(name: str, files: list[FileResult] | None = None, **options: Any) -> str:
    out = io.StringIO()
    defaults: dict[str, Any] = {"rules": RULES, "root": Path.cwd(), "color": False}
    formatter = make_formatter(name, out, **(defaults | options))
    for result in results() if files is None else files:
        formatter.add(result)
    formatter.finish()
    return out.getvalue()


@pytest.fixture(autouse=True)
def in_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run every test from a fake repository root, so relative paths resolve into it.

    The terminal environment is pinned too: rich reads TERM, NO_COLOR and friends.
    """
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TERM", "xterm")
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "COLORTERM", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


# --- full -------------------------------------------------------------------------------


def test_full_shows_location_source_line_carets_and_hint() -> None:
    output = render("full")
    assert (
        "plans/sub/deploy.md:3:4: error PL001 [rollback-required] "
        "No rollback for [bold]Rollout[/bold]: 100%, really second line\n"
        " 3 | ## Rollout [bold]now[/bold]\n"
        "   |    ^^^^^^^\n"
        "   = help: Add a `## Rollback` section.\n"
    ) in output
    # violation.hint wins over the rule summary
    assert (
        "plans/sub/deploy.md:4:9: warning PL002 [vague-window] Window 'tonight' has no time zone\n"
        " 4 | Window: tonight, 50% of pods\n"
        "   |         ^^^^^^^\n"
        "   = help: Write 22:00 UTC.\n"
    ) in output
    assert output.endswith("Found 4 problems (1 error, 1 warning, 2 infos) in 2 of 3 files.\n")


def test_full_reports_in_line_order() -> None:
    output = render("full")
    positions = [output.index(f"deploy.md:{n}:") for n in (3, 4, 5)]
    assert positions == sorted(positions)


def test_full_does_not_interpret_markup() -> None:
    output = render("full", color=True)
    plain = ANSI.sub("", output)
    assert "[bold]Rollout[/bold]" in plain
    assert "## Rollout [bold]now[/bold]" in plain
    # colour changes the styling, never the characters
    assert "\x1b[" in output
    assert plain == render("full", color=False)


def test_full_colours_severities() -> None:
    output = render("full", color=True)
    assert "\x1b[1;31merror" in output
    assert "\x1b[1;33mwarning" in output
    assert "\x1b[1;34minfo" in output


def test_full_without_source_lines_still_reports() -> None:
    unreadable = FileResult(
        path="gone.md", profile=None, violations=[violation("vague-window", 2, 1, 3, "msg")]
    )
    assert render("full", [unreadable]) == (
        "gone.md:2:1: warning PL002 [vague-window] msg\n"
        "   = help: Give start, end and time zone.\n"
        "\n"
        "Found 1 problem (0 errors, 1 warning, 0 infos) in 1 of 1 file.\n"
    )


def test_full_clean_summary() -> None:
    assert render("full", results()[:1]) == "All checked: 1 file, no problems.\n"
    assert render("concise", []) == "All checked: 0 files, no problems.\n"


@pytest.mark.parametrize(
    ("source", "span", "expected"),
    [
        ("## Rollout", (1, 4, 1, 11), ("## Rollout", 3, 7)),
        # empty or inverted span: still one caret
        ("abc", (1, 2, 1, 2), ("abc", 1, 1)),
        ("abc", (1, 3, 1, 1), ("abc", 2, 1)),
        # past the end of the line (e.g. "missing text here")
        ("abc", (1, 6, 1, 9), ("abc", 5, 1)),
        # continues onto later lines: underline to the end of this one
        ("abcdef", (1, 3, 4, 2), ("abcdef", 2, 4)),
        # tabs are expanded so the caret line matches the shown line
        ("\tx\ty", (1, 2, 1, 3), ("    x   y", 4, 1)),
        # wide characters take two cells
        ("日本 go", (1, 4, 1, 6), ("日本 go", 5, 2)),
        ("a日本", (1, 2, 1, 4), ("a日本", 1, 4)),
    ],
)
def test_underline(
    source: str, span: tuple[int, int, int, int], expected: tuple[str, int, int]
) -> None:
    line, column, end_line, end_column = span
    found = Violation("r", "X", Severity.ERROR, "m", line, column, end_line, end_column)
    assert underline(source, found) == expected


# --- concise, quiet, statistics -------------------------------------------------------


def test_concise_exact_lines() -> None:
    assert render("concise").splitlines() == [
        # Which profile set the rules, and why; none for a file without one (its finding says).
        "plans/sub/deploy.md: linted as k8s, named by the config glob 'plans/**'",
        "plans/sub/deploy.md:3:4: error PL001 [rollback-required] "
        "No rollback for [bold]Rollout[/bold]: 100%, really second line",
        "plans/sub/deploy.md:4:9: warning PL002 [vague-window] Window 'tonight' has no time zone",
        "plans/sub/deploy.md:5:1: info PL003 [owner-named] Step 'drain' has no owner",
        "plans/notes.md:1:1: info PL003 [owner-named] No owner",
        "Found 4 problems (1 error, 1 warning, 2 infos) in 2 of 3 files.",
    ]


@pytest.mark.parametrize("name", ["full", "concise"])
def test_quiet_prints_only_violations(name: str) -> None:
    assert render(name, results()[:1], quiet=True) == ""
    output = render(name, quiet=True)
    assert "Found" not in output
    assert "deploy.md:3:4: error" in output


def test_statistics_counts_by_rule() -> None:
    expected = [
        "2  PL003  owner-named        info",
        "1  PL001  rollback-required  error",
        "1  PL002  vague-window       warning",
    ]
    assert render("concise", statistics=True).splitlines() == [
        *expected,
        "Found 4 problems (1 error, 1 warning, 2 infos) in 2 of 3 files.",
    ]
    assert render("full", statistics=True, quiet=True).splitlines() == expected


def test_tally_sentence_and_counts() -> None:
    tally = Tally()
    for result in results():
        tally.add(result)
    assert tally.total == 4
    assert tally.at_or_above(Severity.WARNING) == 2
    assert tally.by_rule() == {"owner-named": 2, "rollback-required": 1, "vague-window": 1}
    assert [rule.code for rule in tally.statistics()] == ["PL003", "PL001", "PL002"]


def test_text_formats_stream() -> None:
    out = io.StringIO()
    formatter = make_formatter("concise", out, rules=RULES, root=Path.cwd(), color=False)
    formatter.add(results()[1])
    assert out.getvalue().count("\n") == 4  # the profile line and 3 findings, before finish()


# --- json -----------------------------------------------------------------------------


def test_json_validates_against_the_shipped_schema() -> None:
    document = json.loads(render("json"))
    Draft202012Validator.check_schema(report_schema())
    Draft202012Validator(report_schema()).validate(document)
    JsonReport.model_validate(document)


def test_json_output_is_what_the_models_write() -> None:
    # The report is written from plain data, not through the models (they would cost every
    # run the pydantic import); read back and written again through them, it is the same text.
    edits = (Edit(2, 1, 2, 1, "## Rollback\r\n\tTODO — «é» 🚀\n"), Edit(7, 3, 9, 1, ""))
    fixed = violation(
        "owner-named", 2, 1, 3, 'No owner: "\x1b[31m" \\ \u2028 ünïcode', fix=Fix("insert", edits)
    )
    files = [*results(), FileResult(path="plans/é 🚀.md", profile=None, violations=[fixed])]
    text = render("json", files)
    assert JsonReport.model_validate_json(text).model_dump_json(indent=2) + "\n" == text
    assert '"fix"' in text and "🚀" in text  # written as is, not \\u-escaped


def test_json_shape_and_values() -> None:
    document = json.loads(render("json"))
    assert list(document) == ["version", "files", "summary"]
    assert document["version"] == 1
    assert [f["path"] for f in document["files"]] == [
        "clean.md",
        "plans/sub/deploy.md",
        "plans/notes.md",
    ]
    clean, deploy, _ = document["files"]
    assert clean == {
        "path": "clean.md",
        "profile": "default",
        "profile_source": None,
        "profile_reason": "",
        "violations": [],
    }
    first = deploy["violations"][0]
    assert list(first) == [
        "rule",
        "code",
        "severity",
        "message",
        "line",
        "column",
        "end_line",
        "end_column",
        "section",
    ]
    assert first == {
        "rule": "rollback-required",
        "code": "PL001",
        "severity": "error",
        "message": "No rollback for [bold]Rollout[/bold]: 100%, really\nsecond line",
        "line": 3,
        "column": 4,
        "end_line": 3,
        "end_column": 11,
        "section": "Rollout",
    }
    assert [v["severity"] for v in deploy["violations"]] == ["error", "warning", "info"]
    assert document["summary"] == {
        "files": 3,
        "violations": 4,
        "errors": 1,
        "warnings": 1,
        "infos": 2,
        "by_rule": {"owner-named": 2, "rollback-required": 1, "vague-window": 1},
    }


def test_json_schema_rejects_unknown_fields() -> None:
    document = json.loads(render("json"))
    document["files"][1]["violations"][0]["extra"] = True
    assert not Draft202012Validator(report_schema()).is_valid(document)


def test_json_is_deterministic() -> None:
    first = render("json")
    shuffled = results()
    shuffled[1].violations.reverse()
    assert render("json", shuffled) == first
    assert first.endswith("}\n")


def test_json_ignores_text_options() -> None:
    assert render("json", statistics=True, quiet=True) == render("json")


# --- sarif ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return schema


# The OASIS schema declares draft-04; its keywords mean the same under draft-07.
@pytest.mark.parametrize("validator", [Draft4Validator, Draft7Validator])
def test_sarif_validates_against_the_official_schema(
    sarif_schema: dict[str, Any], validator: Any
) -> None:
    validator.check_schema(sarif_schema)
    document = json.loads(render("sarif"))
    validator(sarif_schema, format_checker=validator.FORMAT_CHECKER).validate(document)
    empty = json.loads(render("sarif", []))
    validator(sarif_schema).validate(empty)
    assert empty["runs"][0]["results"] == []


def test_sarif_tool_and_rules() -> None:
    document = json.loads(render("sarif"))
    assert document["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert document["version"] == "2.1.0"
    (run,) = document["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "planlint"
    assert driver["version"] == __version__
    assert driver["informationUri"].startswith("https://")
    assert [rule["id"] for rule in driver["rules"]] == ["PL001", "PL002", "PL003"]
    rollback = driver["rules"][0]
    assert rollback["name"] == "rollback-required"
    assert rollback["shortDescription"] == {"text": "Every plan needs a rollback section."}
    assert rollback["fullDescription"] == {"text": "The plan has no rollback section."}
    assert rollback["defaultConfiguration"] == {"level": "error"}
    assert rollback["properties"] == {"tags": ["planlint", "default", "k8s"]}
    assert rollback["help"]["text"] == (
        "The plan has no rollback section.\n\n"
        "Why it matters: Without one, nobody knows how to undo a bad rollout.\n\n"
        "Example:\n## Rollback\n\n```sh\nkubectl rollout undo deploy/web\n```\n\n"
        "How to fix: Add a `## Rollback` section."
    )
    # The example contains a ``` fence, so the help wraps it in a longer one.
    assert "````markdown\n## Rollback\n\n```sh\n" in rollback["help"]["markdown"]
    assert "**How to fix:** Add a `## Rollback` section." in rollback["help"]["markdown"]
    # An empty example is left out rather than rendered as an empty block.
    assert "Example" not in driver["rules"][2]["help"]["text"]


def test_sarif_only_describes_active_rules() -> None:
    active = {"vague-window": RULES["vague-window"]}
    document = json.loads(render("sarif", rules=active))
    (run,) = document["runs"]
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == ["PL002"]
    by_rule = {result["ruleId"]: result for result in run["results"]}
    assert by_rule["PL002"]["ruleIndex"] == 0
    assert "ruleIndex" not in by_rule["PL001"]


def test_sarif_results_levels_and_locations() -> None:
    (run,) = json.loads(render("sarif"))["runs"]
    rules = run["tool"]["driver"]["rules"]
    results_ = run["results"]
    assert [(r["ruleId"], r["level"]) for r in results_] == [
        ("PL001", "error"),
        ("PL002", "warning"),
        ("PL003", "note"),
        ("PL003", "note"),
    ]
    for result in results_:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    first = results_[0]
    assert first["message"] == {
        "text": "No rollback for [bold]Rollout[/bold]: 100%, really\nsecond line"
    }
    assert first["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": "plans/sub/deploy.md", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 3, "startColumn": 4, "endLine": 3, "endColumn": 11},
            }
        }
    ]


def test_sarif_uris_are_relative_to_the_root(
    in_repo: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    (in_repo / "docs").mkdir()
    monkeypatch.chdir(in_repo / "docs")
    outside = tmp_path_factory.mktemp("elsewhere") / "plan.md"
    files = [
        FileResult(
            path="my plan.md", profile=None, violations=[violation("vague-window", 1, 1, 2, "m")]
        ),
        FileResult(
            path=str(outside), profile=None, violations=[violation("vague-window", 1, 1, 2, "m")]
        ),
    ]
    (run,) = json.loads(render("sarif", files, root=in_repo))["runs"]
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    assert locations == [
        {"uri": "docs/my%20plan.md", "uriBaseId": "%SRCROOT%"},
        {"uri": outside.as_uri()},
    ]


def test_repo_relative(in_repo: Path) -> None:
    assert repo_relative("plans/sub/deploy.md", in_repo) == "plans/sub/deploy.md"
    assert repo_relative(str(in_repo / "a.md"), in_repo) == "a.md"
    assert repo_relative("../outside.md", in_repo) is None


# --- github ---------------------------------------------------------------------------


def test_github_escaping() -> None:
    assert escape_data("100%: a, b\r\nc") == "100%25: a, b%0D%0Ac"
    assert escape_property("100%: a, b\r\nc") == "100%25%3A a%2C b%0D%0Ac"


def test_github_commands() -> None:
    assert render("github").splitlines() == [
        "::error file=plans/sub/deploy.md,line=3,col=4,endLine=3,endColumn=11,"
        "title=planlint rollback-required (PL001)"
        "::No rollback for [bold]Rollout[/bold]: 100%25, really%0Asecond line",
        "::warning file=plans/sub/deploy.md,line=4,col=9,endLine=4,endColumn=16,"
        "title=planlint vague-window (PL002)::Window 'tonight' has no time zone",
        "::notice file=plans/sub/deploy.md,line=5,col=1,endLine=5,endColumn=12,"
        "title=planlint owner-named (PL003)::Step 'drain' has no owner",
        "::notice file=plans/notes.md,line=1,col=1,endLine=1,endColumn=2,"
        "title=planlint owner-named (PL003)::No owner",
    ]


def test_github_escapes_paths_relative_to_root(
    in_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (in_repo / "sub").mkdir()
    monkeypatch.chdir(in_repo / "sub")
    odd = FileResult(
        path="a:b,c.md", profile=None, violations=[violation("vague-window", 1, 1, 2, "m")]
    )
    assert render("github", [odd], root=in_repo).startswith(
        "::warning file=sub/a%3Ab%2Cc.md,line=1,"
    )


# --- junit ----------------------------------------------------------------------------


def junit(files: list[FileResult] | None = None, **options: Any) -> ET.Element:
    text = render("junit", files, **options)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


def test_junit_counts_and_failures() -> None:
    suite = junit()
    assert suite.tag == "testsuite"
    assert suite.attrib == {
        "name": "planlint",
        "tests": "3",
        "failures": "1",
        "errors": "0",
        "skipped": "0",
    }
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert list(cases) == ["clean.md", "plans/sub/deploy.md", "plans/notes.md"]
    assert all(case.get("classname") == "planlint" for case in cases.values())
    assert list(cases["clean.md"]) == []

    deploy = cases["plans/sub/deploy.md"]
    failure = deploy.find("failure")
    assert failure is not None
    assert failure.attrib == {"message": "1 problem", "type": "planlint"}
    assert failure.text == (
        "plans/sub/deploy.md:3:4: error PL001 [rollback-required] "
        "No rollback for [bold]Rollout[/bold]: 100%, really second line"
    )
    assert deploy.findtext("system-out") == (
        "plans/sub/deploy.md:4:9: warning PL002 [vague-window] Window 'tonight' has no time zone\n"
        "plans/sub/deploy.md:5:1: info PL003 [owner-named] Step 'drain' has no owner"
    )
    notes = cases["plans/notes.md"]
    assert notes.find("failure") is None
    assert notes.findtext("system-out") == "plans/notes.md:1:1: info PL003 [owner-named] No owner"


def test_junit_fail_on_moves_the_threshold() -> None:
    suite = junit(fail_on=Severity.INFO)
    assert suite.get("failures") == "2"
    deploy = next(c for c in suite.iter("testcase") if c.get("name") == "plans/sub/deploy.md")
    failure = deploy.find("failure")
    assert failure is not None
    assert failure.get("message") == "3 problems"
    assert deploy.find("system-out") is None


def test_junit_survives_characters_xml_cannot_hold() -> None:
    nasty = FileResult(
        path="a<&>.md",
        profile=None,
        violations=[violation("rollback-required", 1, 1, 2, 'bell\x07 "quoted" <tag> & more')],
    )
    case = junit([nasty]).find("testcase")
    assert case is not None
    assert case.get("name") == "a<&>.md"
    # The bell is shown escaped, as in every line format (it never reaches a terminal).
    assert case.findtext("failure") == (
        'a<&>.md:1:1: error PL001 [rollback-required] bell\\x07 "quoted" <tag> & more'
    )


# --- the factory ----------------------------------------------------------------------


@pytest.mark.parametrize("name", FORMATS)
def test_every_format_handles_no_files_and_all_files(name: str) -> None:
    render(name, [])
    assert render(name) == render(name)


def test_unknown_format_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown output format 'xml'"):
        make_formatter("xml", io.StringIO(), rules=RULES, root=Path.cwd())


# -- plain text without rich, where rich would print it plain -------------------------------------

ROLES = ["", "location", "error", "warning", "info", "code", "rule", "count", "clean"]
NASTY = "\t\r\n\x07\x08\x0b\x0c\x1b\x7f\x00 漢字🚀\u2028é[bold]x"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(alphabet=st.sampled_from(NASTY) | st.characters(), max_size=12),
            st.sampled_from(ROLES),
        ),
        max_size=6,
    )
)
def test_plain_printer_writes_what_rich_writes_uncoloured(parts: list[tuple[str, str]]) -> None:
    rich_out, plain_out = io.StringIO(), io.StringIO()
    RichPrinter(make_console(rich_out, None)).line(tuple(parts))
    PlainPrinter(plain_out).line(tuple(parts))
    assert plain_out.getvalue() == rich_out.getvalue()


def test_plain_only_where_rich_would_not_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    assert prints_plain(io.StringIO(), None)
    assert prints_plain(Terminal(), False)
    assert not prints_plain(Terminal(), None)
    assert not prints_plain(io.StringIO(), True)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert not prints_plain(io.StringIO(), None)
    out = io.StringIO()
    make_formatter("concise", out, rules={}, root=Path("."), fail_on=Severity.ERROR).finish()
    assert "\x1b[" in out.getvalue()  # FORCE_COLOR: rich colours the summary


def test_concise_to_a_pipe_loads_no_rich(tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "from planlint.report import make_formatter\n"
        "from planlint.core.results import FileResult, Severity\n"
        "from pathlib import Path\n"
        "f = make_formatter('concise', sys.stdout, rules={}, root=Path('.'), "
        "fail_on=Severity.ERROR)\n"
        "f.add(FileResult('a.md', None, []))\n"
        "f.finish()\n"
        "print('rich' in sys.modules, file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
    )
    assert result.stdout == "All checked: 1 file, no problems.\n"
    assert result.stderr.strip() == "False"


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # NaN and infinities too: written as json.dumps writes them
    | st.text()  # control characters, quotes, backslashes, surrogates, astral characters
    | st.sampled_from([Severity.ERROR, True, 0, -1, "", "\u2028", "é 🚀"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.tuples(children, children)
        | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=400)
@given(JSON_VALUES)
def test_indented_json_is_what_json_dumps_writes(value: object) -> None:
    # The JSON, SARIF and GitLab reports are written by dumps_indented (json.dumps with indent
    # encodes in pure Python, most of a cached run's time): it must not change a byte.
    assert dumps_indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_indented_json_wants_text_keys() -> None:
    with pytest.raises(TypeError, match="keys must be text"):
        dumps_indented({1: "one"})


@pytest.mark.parametrize("output", ["concise", "github", "full"])
def test_control_characters_never_reach_the_terminal_or_the_log(
    tmp_path: Path, output: str
) -> None:
    """A plan's text and a file name can hold escape sequences (``\\x1b[2J`` clears a
    screen, ``\\x1b]8;;`` makes a link): line formats show them escaped."""
    from tests.helpers import run_planlint

    name = "evil\x1b[31m.md"
    (tmp_path / name).write_text(
        "## Deployment Summary\n- TODO \x1b]8;;http://x\x07click\x1b]8;;\x07 here\n",
        encoding="utf-8",
    )
    result = run_planlint("check", "--no-cache", f"--format={output}", name, cwd=tmp_path)
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\\x1b" in result.stdout
