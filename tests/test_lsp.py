"""`planlint lsp`: the position arithmetic, the LSP messages, and a real session over stdio.

The session test speaks the protocol itself (Content-Length framing, JSON-RPC) to
``python -m planlint lsp`` in a subprocess, as an editor would; every wait has a timeout so
that a hung server fails the test instead of hanging CI.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pytest
from lsprotocol import types

from bench.lsp_client import read_frame
from planlint.app.catalogue import rule_markdown
from planlint.app.linter import build_linter
from planlint.core.results import Edit, Fix, Severity, Violation
from planlint.lsp import convert
from planlint.lsp.linting import DocumentLinter
from planlint.lsp.positions import UTF8, UTF16, UTF32, PositionMap, code_units
from planlint.lsp.server import _wants

REPO = Path(__file__).resolve().parent.parent
TIMEOUT = 30.0  # seconds for any one answer: generous for a loaded CI machine, finite

# A deploy plan with two known violations: a placeholder after an emoji on line 1 (an astral
# character: two UTF-16 code units) and a missing 'Pre-Deployment Checks' section, which has a fix.
BROKEN_PLAN = """\
- NOTES: checkout v2.14 🚀 ships [X%] of traffic
- ENVIRONMENT: staging

## Deployment Summary
- Deploys checkout v2.14 to staging; a normal release with no schema change.

## Deployment Steps
1. Run `deploy/staging/deploy.sh` (automated).

## Verification & Observability
- 5xx rate < 0.5% for 10 minutes.

## Rollback Readiness
- Roll back with `deploy/staging/rollback.sh`; rehearsed in staging on 2026-11-20.

## Next Actions
- Ops watches the dashboards for an hour after the deploy.
"""

# Other rules come and go as the packs grow: the tests look at these two only.
SELECT = "select: [unfilled-placeholder, missing-section]\n"

FIXED_PLAN = BROKEN_PLAN.replace("ships [X%] of traffic", "ships 5% of traffic").replace(
    "## Deployment Steps",
    "## Pre-Deployment Checks\n- CI is green and approvals are in.\n\n## Deployment Steps",
)


def violation(line: int, column: int, end_column: int, fix: Fix | None = None) -> Violation:
    return Violation(
        "unfilled-placeholder",
        "PL201",
        Severity.ERROR,
        "unfilled placeholder [X%]",
        line,
        column,
        line,
        end_column,
        fix=fix,
    )


# -- positions -----------------------------------------------------------------------------------


def test_an_astral_character_before_the_range_counts_twice_in_utf16() -> None:
    text = "- NOTES: 🚀 [X%]\n"
    column = text.index("[") + 1  # planlint's 1-based character column: 12
    positions = PositionMap(text)
    start, end = positions.span(1, column, 1, column + 4)
    assert (start.line, start.character) == (0, 12)  # 11 characters, the rocket two units
    assert end.character == 16
    assert PositionMap(text, UTF32).point(1, column).character == 11
    assert PositionMap(text, UTF8).point(1, column).character == 14  # the rocket is 4 bytes


def test_code_units() -> None:
    assert code_units("a🚀é", UTF16) == 4
    assert code_units("a🚀é", UTF8) == 7
    assert code_units("a🚀é", UTF32) == 3


def test_lines_break_as_the_lsp_says_not_as_splitlines() -> None:
    # U+2028 and a form feed are inside a line for an editor; CR, LF and CRLF end one.
    positions = PositionMap("a\u2028b\x0cc\r\nd\re\nf")
    assert positions.lines == ["a\u2028b\x0cc", "d", "e", "f"]
    assert positions.point(2, 1).line == 1
    assert positions.point(4, 2).line == 3


def test_positions_are_clamped_into_the_document() -> None:
    positions = PositionMap("ab\ncd\n")
    assert positions.point(1, 99).character == 2  # past the end of a line: its end
    past = positions.point(9, 1)  # past the last line: the end of the document
    assert (past.line, past.character) == (2, 0)
    start, end = positions.span(2, 2, 1, 1)  # an end before the start collapses onto it
    assert start == end


def test_a_byte_order_mark_shifts_the_first_line_only() -> None:
    text = "\ufeff# [X%]\n[Y]\n"
    positions = PositionMap(text)
    assert PositionMap.lintable(text) == "# [X%]\n[Y]\n"
    assert positions.point(1, 3).character == 3  # after the mark the client still has
    assert positions.point(2, 1).character == 0


# -- conversions ---------------------------------------------------------------------------------


def test_a_diagnostic_carries_code_source_severity_and_range() -> None:
    found = convert.diagnostic(violation(1, 12, 16), PositionMap("- NOTES: 🚀 [X%]"))
    assert found.code == "PL201"
    assert found.source == "planlint"
    assert found.severity == types.DiagnosticSeverity.Error
    assert (found.range.start.character, found.range.end.character) == (12, 16)
    assert found.data == {"rule": "unfilled-placeholder", "fixable": False}


def test_a_fix_becomes_a_quickfix_with_a_versioned_edit() -> None:
    text = "- NOTES: 🚀 [X%]\r\nnext\r\n"
    fix = Fix("fill in the share", (Edit(1, 12, 1, 16, "5%"), Edit(2, 1, 2, 1, "a\nb\n")))
    positions = PositionMap(text)
    wanted = types.Range(start=types.Position(0, 13), end=types.Position(0, 13))
    (action,) = convert.quick_fixes(
        [violation(1, 12, 16, fix)], wanted, "file:///p.md", 7, positions, True
    )
    assert action.kind == types.CodeActionKind.QuickFix
    assert action.title.startswith("fill in the share")
    assert action.is_preferred is True
    assert action.edit is not None and action.edit.document_changes is not None
    (document_edit,) = action.edit.document_changes
    assert isinstance(document_edit, types.TextDocumentEdit)
    assert document_edit.text_document.version == 7
    first, second = document_edit.edits
    assert isinstance(first, types.TextEdit) and isinstance(second, types.TextEdit)
    assert (first.range.start.character, first.range.end.character) == (12, 16)
    assert first.new_text == "5%"
    assert second.new_text == "a\r\nb\r\n"  # the document's own line endings
    plain = convert.quick_fixes(
        [violation(1, 12, 16, fix)], wanted, "file:///p.md", 7, positions, False
    )
    assert plain[0].edit is not None and plain[0].edit.changes is not None


def test_no_quickfix_outside_the_requested_range_or_without_a_fix() -> None:
    fix = Fix("fill in", (Edit(1, 1, 1, 2, "x"),))
    elsewhere = types.Range(start=types.Position(3, 0), end=types.Position(3, 1))
    positions = PositionMap("ab\n\n\nline four\n")
    assert convert.quick_fixes([violation(1, 1, 2, fix)], elsewhere, "u", 1, positions, True) == []
    here = types.Range(start=types.Position(0, 0), end=types.Position(0, 1))
    assert convert.quick_fixes([violation(1, 1, 2)], here, "u", 1, positions, True) == []


def test_fix_all_takes_safe_fixes_that_do_not_overlap() -> None:
    first = Fix("one", (Edit(1, 1, 1, 5, "x"),))
    overlapping = Fix("two", (Edit(1, 3, 1, 8, "y"),))
    unsafe = Fix("three", (Edit(3, 1, 3, 2, "z"),), safe=False)
    same_point = Fix("four", (Edit(2, 1, 2, 1, "a"),))
    also_same_point = Fix("five", (Edit(2, 1, 2, 1, "b"),))
    chosen = convert.compatible_fixes([first, overlapping, unsafe, same_point, also_same_point])
    assert chosen == [first, same_point, also_same_point]
    violations = [violation(1, 1, 2, fix) for fix in (first, overlapping, unsafe)]
    action = convert.fix_all(violations, "u", 1, PositionMap("abcdefgh\n\nx\n"), False)
    assert action is not None and action.kind == "source.fixAll.planlint"
    assert action.edit is not None and action.edit.changes is not None
    assert [edit.new_text for edit in action.edit.changes["u"]] == ["x"]
    assert convert.fix_all([violation(1, 1, 2)], "u", 1, PositionMap("ab"), False) is None


def test_code_action_kinds_are_hierarchical() -> None:
    assert _wants(None, convert.FIX_ALL)
    assert _wants(["source"], convert.FIX_ALL)
    assert _wants(["source.fixAll"], convert.FIX_ALL)
    assert not _wants(["source.fixAll"], "quickfix")
    assert not _wants(["source.fix"], convert.FIX_ALL)  # a prefix must end at a dot


def test_hover_shows_what_planlint_rule_shows() -> None:
    info = build_linter(None).rule_infos()["unfilled-placeholder"]
    positions = PositionMap("- NOTES: [X%]\n")
    found = violation(1, 10, 14)
    on = convert.hover([found], types.Position(0, 11), {info.name: info}, positions)
    assert on is not None and isinstance(on.contents, types.MarkupContent)
    assert on.contents.kind == types.MarkupKind.Markdown
    assert rule_markdown(info) in on.contents.value
    assert "PL201" in on.contents.value and info.why in on.contents.value
    assert convert.hover([found], types.Position(0, 2), {info.name: info}, positions) is None


# -- configuration, found from the document's own path -------------------------------------------


def test_the_config_is_found_from_the_document_and_reloaded_when_it_changes(
    tmp_path: Path,
) -> None:
    plans = tmp_path / "repo" / "docs"
    plans.mkdir(parents=True)
    (tmp_path / "repo" / ".git").mkdir()
    config = tmp_path / "repo" / ".planlint.yaml"
    config.write_text(SELECT + "ignore: [unfilled-placeholder]\n", encoding="utf-8")
    plan = plans / "plan.md"
    documents = DocumentLinter()

    def rules() -> list[str]:
        outcome = documents.lint(BROKEN_PLAN, plan, str(plan), Path.cwd())
        assert outcome.problem is None and outcome.result is not None
        return [v.rule for v in outcome.result.violations]

    assert rules() == ["missing-section"]
    config.write_text(SELECT + "ignore: [missing-section]\n", encoding="utf-8")
    os.utime(config, ns=(time.time_ns(), time.time_ns() + 10**9))  # a clearly newer mtime
    assert rules() == ["unfilled-placeholder"]


def test_a_broken_config_is_an_outcome_naming_file_and_line(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".planlint.yaml").write_text("fail_on: error\nrules:\n  nope: off\n", "utf-8")
    outcome = DocumentLinter().lint(BROKEN_PLAN, tmp_path / "p.md", "p.md", Path.cwd())
    assert outcome.result is None and outcome.problem is not None
    assert outcome.problem.path.endswith(".planlint.yaml")
    assert outcome.problem.line == 3
    assert "nope" in outcome.problem.message


def test_excluded_documents_get_no_diagnostics(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".planlint.yaml").write_text('exclude: ["archive/**"]\n', encoding="utf-8")
    (tmp_path / "archive").mkdir()
    documents = DocumentLinter()
    outcome = documents.lint(BROKEN_PLAN, tmp_path / "archive" / "p.md", "p.md", Path.cwd())
    assert outcome.result is None and outcome.problem is None
    kept = documents.lint(BROKEN_PLAN, tmp_path / "p.md", "p.md", Path.cwd())
    assert kept.result is not None and kept.result.violations


def test_a_document_that_is_not_a_plan_gets_the_unknown_profile_warning() -> None:
    outcome = DocumentLinter().lint("# Shopping list\n\n- eggs\n", None, "untitled:1", REPO)
    assert outcome.result is not None
    assert [v.rule for v in outcome.result.violations] == ["unknown-profile"]


# -- a real session over stdio -------------------------------------------------------------------


class Client:
    """The client side of an LSP connection to a subprocess, framing messages itself."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdin is not None and process.stdout is not None
        self.process = process
        self.stdin: IO[bytes] = process.stdin
        self.inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.seen: list[dict[str, Any]] = []  # every message read so far
        self.next_id = 0
        threading.Thread(target=self._read, args=(process.stdout,), daemon=True).start()

    def _read(self, stream: IO[bytes]) -> None:
        while (body := read_frame(stream)) is not None:
            self.inbox.put(json.loads(body))
        self.inbox.put(None)  # the server closed its output

    def send(self, message: dict[str, Any]) -> None:
        self.send_raw(json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8"))

    def send_raw(self, body: bytes) -> None:
        self.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        number = self.next_id
        self.send({"id": number, "method": method, "params": params})
        answer = self.wait(lambda m: m.get("id") == number and "method" not in m)
        assert "error" not in answer, answer
        return answer.get("result")

    def wait(self, matches: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no expected message within {TIMEOUT}s; got {self.seen}")
            try:
                message = self.inbox.get(timeout=left)
            except queue.Empty:
                continue
            if message is None:
                raise AssertionError(f"the server stopped; got {self.seen}")
            self.seen.append(message)
            if matches(message):
                return message

    def find(self, matches: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        """A message already read that matches, else the next one that does."""
        return next((m for m in self.seen if matches(m)), None) or self.wait(matches)

    def diagnostics(self, uri: str, version: int) -> list[dict[str, Any]]:
        message = self.wait(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == uri
                and m["params"].get("version") == version
            )
        )
        found: list[dict[str, Any]] = message["params"]["diagnostics"]
        return found


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Client]:
    (tmp_path / ".git").mkdir()  # the config search stops here, as in a repository
    (tmp_path / ".planlint.yaml").write_text(SELECT, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "planlint", "lsp", "--debounce", "0.05"],
        cwd=tmp_path,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    client = Client(process)
    try:
        client.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": tmp_path.as_uri(),
                "capabilities": {"workspace": {"workspaceEdit": {"documentChanges": True}}},
                # overrides --debounce: long enough that two edits sent together are one lint
                "initializationOptions": {"debounce": 0.5},
            },
        )
        client.notify("initialized", {})
        yield client
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=TIMEOUT)
        for stream in (process.stdin, process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def _open(client: Client, uri: str, text: str, version: int = 1) -> None:
    document = {"uri": uri, "languageId": "markdown", "version": version, "text": text}
    client.notify("textDocument/didOpen", {"textDocument": document})


def _change(client: Client, uri: str, version: int, text: str) -> None:
    document = {"uri": uri, "version": version}
    client.notify(
        "textDocument/didChange", {"textDocument": document, "contentChanges": [{"text": text}]}
    )


def apply(text: str, edit: dict[str, Any]) -> str:
    """Apply one LSP text edit as an editor does: positions in UTF-16 code units."""

    def offset(position: dict[str, int]) -> int:
        lines = text.split("\n")
        before = sum(len(line) + 1 for line in lines[: position["line"]])
        units = 0
        for index, char in enumerate(lines[position["line"]]):
            if units >= position["character"]:
                return before + index
            units += 2 if ord(char) > 0xFFFF else 1
        return before + len(lines[position["line"]])

    start, end = offset(edit["range"]["start"]), offset(edit["range"]["end"])
    new_text: str = edit["newText"]
    return text[:start] + new_text + text[end:]


def _stop(client: Client) -> int:
    assert client.request("shutdown", None) is None
    client.notify("exit", None)
    return client.process.wait(timeout=TIMEOUT)


def test_a_session_diagnoses_fixes_and_explains(server: Client, tmp_path: Path) -> None:
    uri = (tmp_path / "plan.md").as_uri()
    _open(server, uri, BROKEN_PLAN)
    found = {d["code"]: d for d in server.diagnostics(uri, 1)}
    assert set(found) == {"PL201", "PL101"}
    placeholder = found["PL201"]
    assert placeholder["source"] == "planlint" and placeholder["severity"] == 1
    column = BROKEN_PLAN.index("[X%]")  # in characters; the rocket before it is two units
    assert placeholder["range"] == {
        "start": {"line": 0, "character": column + 1},
        "end": {"line": 0, "character": column + 5},
    }
    missing = found["PL101"]
    assert missing["range"]["start"] == {"line": 6, "character": 0}

    actions = server.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": missing["range"],
            "context": {"diagnostics": [missing]},
        },
    )
    quick = [a for a in actions if a["kind"] == "quickfix"]
    assert len(quick) == 1 and "Pre-Deployment Checks" in quick[0]["title"]
    (change,) = quick[0]["edit"]["documentChanges"]
    assert change["textDocument"] == {"uri": uri, "version": 1}
    (edit,) = change["edits"]
    assert edit["range"]["start"] == {"line": 6, "character": 0}
    assert edit["newText"].startswith("## Pre-Deployment Checks\n")
    assert any(a["kind"] == "source.fixAll.planlint" for a in actions)

    hover = server.request(
        "textDocument/hover",
        {"textDocument": {"uri": uri}, "position": {"line": 0, "character": column + 2}},
    )
    assert hover["contents"]["kind"] == "markdown"
    assert "unfilled-placeholder (PL201)" in hover["contents"]["value"]
    assert "## Why it matters" in hover["contents"]["value"]
    nothing = server.request(
        "textDocument/hover",
        {"textDocument": {"uri": uri}, "position": {"line": 4, "character": 3}},
    )
    assert nothing is None

    # The editor applies the quick fix: the section is there (with a TODO to fill in).
    fixed = apply(BROKEN_PLAN, edit)
    _change(server, uri, 2, fixed)
    after_fix = server.diagnostics(uri, 2)
    assert [(d["code"], d["range"]["start"]["line"]) for d in after_fix] == [
        ("PL201", 0),
        ("PL201", fixed.splitlines().index("TODO: write this section.")),
    ]

    # Two quick edits: the debounce lints only the latest text, which is clean.
    _change(server, uri, 3, BROKEN_PLAN.replace("[X%]", "[Y%]"))
    _change(server, uri, 4, FIXED_PLAN)
    assert server.diagnostics(uri, 4) == []
    published = [
        m["params"] for m in server.seen if m.get("method") == "textDocument/publishDiagnostics"
    ]
    assert [p["version"] for p in published] == [1, 2, 4]
    server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    cleared = server.wait(
        lambda m: (
            m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and m["params"].get("version") is None
        )
    )
    assert cleared["params"]["diagnostics"] == []
    assert _stop(server) == 0


def test_a_broken_config_is_reported_and_the_server_survives_bad_input(
    server: Client, tmp_path: Path
) -> None:
    (tmp_path / ".planlint.yaml").write_text("rules:\n  no-such-rule: off\n", encoding="utf-8")
    server.send_raw(b"{this is not json")  # a broken message: logged, not fatal
    server.notify("textDocument/didChange", {"textDocument": {"uri": "file:///nowhere.md"}})
    server.send({"id": 99, "method": "textDocument/hover", "params": {"nonsense": True}})
    refused = server.wait(lambda m: m.get("id") == 99)
    assert refused["error"]["code"] == -32602  # invalid params: an answer, not a crash
    uri = (tmp_path / "plan.md").as_uri()
    _open(server, uri, BROKEN_PLAN)
    (problem,) = server.diagnostics(uri, 1)
    assert problem["code"] == "config"
    assert ".planlint.yaml:2:" in problem["message"] and "no-such-rule" in problem["message"]
    assert problem["relatedInformation"][0]["location"]["range"]["start"]["line"] == 1
    shown = server.find(lambda m: m.get("method") == "window/showMessage")
    assert ".planlint.yaml:2:" in shown["params"]["message"]
    # The config is fixed: saving lints again with it.
    (tmp_path / ".planlint.yaml").write_text("select: [unfilled-placeholder]\n", "utf-8")
    server.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    (placeholder,) = server.diagnostics(uri, 1)
    assert placeholder["code"] == "PL201"
    assert _stop(server) == 0


def test_exit_without_shutdown_is_an_error_exit(server: Client) -> None:
    server.notify("exit", None)
    assert server.process.wait(timeout=TIMEOUT) == 1


@pytest.mark.parametrize("missing", ["pygls", "lsprotocol"])
def test_without_pygls_the_command_says_how_to_install_it(tmp_path: Path, missing: str) -> None:
    hide_pygls = (
        f"import sys; sys.modules[{missing!r}] = None; "
        "from planlint.cli import main; sys.exit(main(['lsp']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", hide_pygls],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    assert "pip install 'planlint[lsp]'" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_does_not_import_pygls() -> None:
    code = (
        "import sys; from planlint.cli import main; main(['check', '--quiet', 'examples/clean']); "
        "print('pygls' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.stdout.strip().endswith("False"), result.stdout + result.stderr


@pytest.mark.parametrize("name", ["my plans/plan one.md", "plän+[1].md"])
def test_a_uri_with_percent_escapes_gets_its_diagnostics(
    server: Client, tmp_path: Path, name: str
) -> None:
    """Editors escape spaces, accents, `+` and `[` (and `c:` on Windows) in file URIs."""
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    uri = path.as_uri().replace("+", "%2B")
    assert "%" in uri
    _open(server, uri, BROKEN_PLAN)
    found = {d["code"] for d in server.diagnostics(uri, 1)}
    assert "PL201" in found
    assert _stop(server) == 0


def test_a_windows_uri_from_vs_code_gets_its_diagnostics(server: Client) -> None:
    """VS Code on Windows sends ``file:///c%3A/…``: the drive's colon escaped."""
    uri = "file:///c%3A/Users/dev/plans/plan%20one.md"
    _open(server, uri, BROKEN_PLAN)
    assert "PL201" in {d["code"] for d in server.diagnostics(uri, 1)}
    assert _stop(server) == 0


def test_an_error_reply_carries_no_traceback() -> None:
    """A handler that fails is answered with its message only: pygls would put the traceback
    (file paths, source lines) into the reply's data."""
    from pygls.exceptions import JsonRpcInternalError

    from planlint.lsp.server import create_server

    class Written:
        def __init__(self) -> None:
            self.data = b""

        def write(self, data: bytes) -> None:
            self.data += data

        def close(self) -> None:
            pass

    server = create_server(DocumentLinter())
    written = Written()
    server.protocol.set_writer(written)
    try:
        raise RuntimeError("boom in /home/someone/secret/path.py")
    except RuntimeError:
        error = JsonRpcInternalError.of(sys.exc_info())  # type: ignore[no-untyped-call]
    assert error.data and "traceback" in error.data  # what pygls would send
    server.protocol._send_response(7, error=error.to_response_error())
    body = written.data.split(b"\r\n\r\n", 1)[-1]
    reply = json.loads(body)
    assert reply["id"] == 7
    assert reply["error"]["message"] == "RuntimeError: boom in /home/someone/secret/path.py"
    assert "data" not in reply["error"] and b"Traceback" not in body and b'.py", line' not in body
