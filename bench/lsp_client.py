"""A small Language Server Protocol client over stdio, as an editor speaks it to ``planlint lsp``.

Content-Length framing and JSON-RPC 2.0, a reader thread filling an inbox, and a timeout on every
wait so that a hung server fails instead of hanging. The benchmark times the server with it;
tests may use it too.

    python -m bench.lsp_client [PLAN]   # time initialize and one lint after a change
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

Message = dict[str, Any]
TIMEOUT = 30.0  # seconds for any one answer


def server_command(*args: str) -> list[str]:
    """``planlint lsp`` as editors start it: the installed command, else ``python -m``."""
    script = Path(sys.executable).with_name("planlint")
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "planlint"]
    return [*command, "lsp", *args]


def read_frame(stream: IO[bytes]) -> bytes | None:
    """One message's body from a language server's output (its headers read and dropped);
    None once the server has closed it."""
    headers: dict[str, str] = {}
    while True:
        line = stream.readline()
        if not line:
            return None
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.decode("ascii").partition(":")
        headers[name.strip().lower()] = value.strip()
    return stream.read(int(headers["content-length"]))


class Client:
    """One server process and the messages read from it so far."""

    def __init__(
        self,
        command: Sequence[str],
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
        timeout: float = TIMEOUT,
    ) -> None:
        self.started = time.perf_counter()  # before the process exists: start-up counts
        self.process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.stdin: IO[bytes] = self.process.stdin
        self.timeout = timeout
        self.inbox: queue.Queue[tuple[float, Message] | None] = queue.Queue()
        self.seen: list[Message] = []
        self.next_id = 0
        reader = threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True)
        reader.start()

    def _read(self, stream: IO[bytes]) -> None:
        while (body := read_frame(stream)) is not None:
            # the time of arrival, taken here: the test thread may look at it much later
            self.inbox.put((time.perf_counter(), json.loads(body)))
        self.inbox.put(None)  # the server closed its output

    def send(self, message: Message) -> float:
        """Send one message; the time it was sent."""
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        sent = time.perf_counter()
        self.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.stdin.flush()
        return sent

    def notify(self, method: str, params: Any) -> float:
        return self.send({"method": method, "params": params})

    def request(self, method: str, params: Any) -> tuple[Any, float]:
        """The result of a request, and when its answer arrived."""
        self.next_id += 1
        number = self.next_id
        self.send({"id": number, "method": method, "params": params})
        arrived, answer = self.wait(lambda m: m.get("id") == number and "method" not in m)
        if "error" in answer:
            raise RuntimeError(f"{method} failed: {answer['error']}")
        return answer.get("result"), arrived

    def wait(self, matches: Callable[[Message], bool]) -> tuple[float, Message]:
        """The next message that ``matches``, and when it arrived."""
        deadline = time.monotonic() + self.timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no expected message within {self.timeout}s; got {self.seen}")
            try:
                item = self.inbox.get(timeout=left)
            except queue.Empty:
                continue
            if item is None:
                error = self.process.stderr.read().decode() if self.process.stderr else ""
                raise RuntimeError(f"the server stopped; got {self.seen}; stderr: {error}")
            arrived, message = item
            self.seen.append(message)
            if matches(message):
                return arrived, message

    def initialize(self, root: Path, options: Message | None = None) -> float:
        """Initialize the session; the seconds from the process start to the answer."""
        params: Message = {
            "processId": os.getpid(),
            "rootUri": root.as_uri(),
            "capabilities": {"workspace": {"workspaceEdit": {"documentChanges": True}}},
        }
        if options is not None:
            params["initializationOptions"] = options
        _, arrived = self.request("initialize", params)
        self.notify("initialized", {})
        return arrived - self.started

    def open(self, uri: str, text: str, version: int = 1) -> float:
        document = {"uri": uri, "languageId": "markdown", "version": version, "text": text}
        return self.notify("textDocument/didOpen", {"textDocument": document})

    def change(self, uri: str, version: int, text: str) -> float:
        document = {"uri": uri, "version": version}
        changes = [{"text": text}]
        return self.notify(
            "textDocument/didChange", {"textDocument": document, "contentChanges": changes}
        )

    def diagnostics(self, uri: str, version: int) -> tuple[float, list[Message]]:
        """The diagnostics published for this version of the document, and when."""
        arrived, message = self.wait(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == uri
                and m["params"].get("version") == version
            )
        )
        found: list[Message] = message["params"]["diagnostics"]
        return arrived, found

    def close(self, kill: bool = False) -> int:
        """Ask the server to shut down and exit; its exit code (killed if it does not, or
        at once with ``kill``)."""
        try:
            if self.process.poll() is None and not kill:
                self.request("shutdown", None)
                self.notify("exit", None)
                return self.process.wait(timeout=self.timeout)
        except (OSError, RuntimeError, TimeoutError, subprocess.TimeoutExpired):
            pass
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait(timeout=self.timeout)
            for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
                if stream is not None:
                    stream.close()
        return self.process.returncode


def time_initialize(root: Path, env: dict[str, str] | None = None) -> float:
    """Seconds from starting ``planlint lsp`` to its answer to ``initialize``."""
    client = Client(server_command(), cwd=root, env=env)
    try:
        return client.initialize(root)
    finally:
        client.close(kill=True)  # not waiting for the rules it has begun to load


def time_diagnostics(
    edits: Sequence[str], root: Path, env: dict[str, str] | None = None
) -> list[float]:
    """Seconds from each ``didChange`` (to the next of ``edits``, texts of ``plan.md`` in
    ``root``) to the diagnostics of that version, with no debounce (``debounce: 0``): the lint
    and the messages, not the wait for typing to stop. The first text is opened, not timed:
    that first lint waits for the rules to load."""
    client = Client(server_command(), cwd=root, env=env)
    uri = (root / "plan.md").as_uri()
    try:
        client.initialize(root, {"debounce": 0})
        client.open(uri, edits[0])
        client.diagnostics(uri, 1)
        times = []
        for version, text in enumerate(edits[1:], start=2):
            sent = client.change(uri, version, text)
            arrived, _ = client.diagnostics(uri, version)
            times.append(arrived - sent)
        return times
    finally:
        client.close()


def main() -> None:
    import statistics
    import tempfile

    plan_path = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        starts = [time_initialize(root) for _ in range(5)]
        print(f"initialize: median {statistics.median(starts):.3f} s of {starts}")
        if plan_path is not None:
            plan = plan_path.read_text(encoding="utf-8")
            # a different text each time: an edit, which no cached lint answers
            edits = [f"{plan}\n- Note {n}: watch the error rate.\n" for n in range(12)]
            lints = time_diagnostics(edits, root)
            print(f"diagnostics after a change: median {statistics.median(lints) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
