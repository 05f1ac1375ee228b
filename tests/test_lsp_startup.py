"""`planlint lsp` starts light: it answers ``initialize`` before loading the engine (packs,
grammar, rules, pydantic), loads them once the session is set up, and imports lsprotocol with
attrs' generated code from a cache that a damaged file cannot break.

How fast it starts is measured by ``python -m bench.perf``, not here.
"""

from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from planlint.lsp.protocol import KEEP
from planlint.lsp.server import create_server

REPO = Path(__file__).resolve().parent.parent
TIMEOUT = 60.0

# What only linting needs: none of it may be loaded before the answer to initialize.
HEAVY = ("lark", "pydantic", "ruamel", "planlint.engine", "planlint.markdown", "planlint.facts")


def _frame(message: dict[str, Any]) -> bytes:
    body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _messages(stream: bytes) -> list[dict[str, Any]]:
    found = []
    while stream:
        header, _, rest = stream.partition(b"\r\n\r\n")
        fields = dict(line.split(b":", 1) for line in header.split(b"\r\n"))
        length = int(fields[b"Content-Length"])
        found.append(json.loads(rest[:length]))
        stream = rest[length:]
    return found


def _run(code: str, tmp_path: Path, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-c", code],
        input=stdin,
        cwd=tmp_path,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")},
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )


def test_initialize_is_answered_without_loading_the_engine(tmp_path: Path) -> None:
    # initialize, then exit without `initialized`: nothing asks for the rules.
    session = _frame(
        {
            "id": 1,
            "method": "initialize",
            "params": {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}},
        }
    ) + _frame({"method": "exit"})
    code = (
        "import sys\n"
        "from planlint.cli import main\n"
        "status = main(['lsp'])\n"
        f"heavy = sorted(m for m in sys.modules if m.startswith({HEAVY!r}))\n"
        "sys.stderr.write('\\nloaded: ' + ' '.join(heavy) + '\\n')\n"
        "sys.exit(status)\n"
    )
    (tmp_path / ".planlint.yaml").write_text("select: [missing-section]\n", encoding="utf-8")
    result = _run(code, tmp_path, session)
    errors = result.stderr.decode()
    (answer,) = _messages(result.stdout)
    assert answer["id"] == 1 and "capabilities" in answer["result"], answer
    assert answer["result"]["capabilities"]["textDocumentSync"]["change"] == 1  # full text
    loaded = errors.rpartition("loaded:")[2].split()
    assert loaded == [], errors


class _Documents:
    """A DocumentLinter stand-in that records the warm-up."""

    def __init__(self) -> None:
        self.warmed: list[Path] = []

    def warm_up(self, folder: Path) -> None:
        self.warmed.append(folder)


def test_the_rules_are_loaded_once_the_session_is_set_up(tmp_path: Path) -> None:
    documents = _Documents()
    server = create_server(documents)  # type: ignore[arg-type]

    class Written:
        def write(self, data: bytes) -> None:
            pass

        def close(self) -> None:
            pass

    server.protocol.set_writer(Written())
    params: dict[str, Any] = {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}}
    for message in (
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
    ):
        server.protocol.handle_message(server.protocol.structure_message(message))
        if message["method"] == "initialize":
            assert documents.warmed == []  # the answer does not wait for the rules
    server._worker.submit(lambda: None).result(timeout=TIMEOUT)  # the queue is done
    server.stop()
    assert documents.warmed == [tmp_path]


USE_TYPES = (
    "from planlint.lsp.protocol import types\n"
    "at = types.Position(line=1, character=2)\n"
    "print(at.line, at.character, at == types.Position(1, 2), types.Range(at, at).end.character)\n"
)


def test_the_code_cache_is_written_reused_and_survives_damage(tmp_path: Path) -> None:
    folder = tmp_path / "cache" / "planlint"
    folder.mkdir(parents=True)
    for age in range(5):  # left by earlier versions: the newest KEEP - 1 stay
        old = folder / f"lsprotocol-old{age}.marshal"
        old.write_bytes(b"")
        os.utime(old, ns=(0, (10 - age) * 10**9))
    first = _run(USE_TYPES, tmp_path)
    assert first.returncode == 0, first.stderr.decode()
    expected = b"1 2 True 2\n"
    assert first.stdout == expected
    (cache,) = set(folder.glob("lsprotocol-*.marshal")) - set(folder.glob("*-old*"))
    assert sorted(path.name for path in folder.glob("*-old*")) == [
        f"lsprotocol-old{age}.marshal" for age in range(KEEP - 1)
    ]
    written = cache.stat().st_mtime_ns
    second = _run(USE_TYPES, tmp_path)
    assert second.stdout == expected, second.stderr.decode()
    assert cache.stat().st_mtime_ns == written  # all found: nothing to write again
    cache.write_bytes(b"\xe3not marshal data")
    damaged = _run(USE_TYPES, tmp_path)
    assert damaged.stdout == expected, damaged.stderr.decode()
    assert cache.read_bytes() != b"\xe3not marshal data"  # written again
    # Readable, but not what was written: each entry is checked before it is used.
    position = "<attrs generated methods lsprotocol.types.Position>"
    cache.write_bytes(marshal.dumps({position: 5, "other": (b"", None)}))
    odd = _run(USE_TYPES, tmp_path)
    assert odd.stdout == expected, odd.stderr.decode()
