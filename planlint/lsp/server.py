"""The language server: pygls over stdio, linting in a worker thread.

Each open document is linted when opened or saved, and a moment after the last change
(``debounce`` seconds) so that typing does not queue a lint per keystroke. Lints run one at a
time in a worker thread, which keeps the server answering hovers and code actions meanwhile; a
result is published only if the document has not changed since, so the latest text wins.

The server answers ``initialize`` before it loads the engine (packs, grammar, rules): an editor
sends nothing else until it has that answer. The worker loads them right after
``initialized``, which the first lint then finds done (or waits for, in the same queue).
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from planlint import __version__
from planlint.core.results import Violation
from planlint.lsp import convert
from planlint.lsp.linting import DocumentLinter, Outcome
from planlint.lsp.positions import UTF8, UTF16, UTF32, PositionMap
from planlint.lsp.protocol import (
    JsonRpcException,
    LanguageServer,
    LanguageServerProtocol,
    TextDocument,
    collect_start_up_garbage,
    from_fs_path,
    to_fs_path,
    types,
)

logger = logging.getLogger("planlint.lsp")

DEFAULT_DEBOUNCE = 0.3  # seconds after the last change before linting
CODE_ACTION_KINDS = [types.CodeActionKind.QuickFix, convert.FIX_ALL]


@dataclass(frozen=True, slots=True)
class Linted:
    """One lint of one version of a document, with the positions of that very text."""

    version: int | None
    text: str
    outcome: Outcome
    positions: PositionMap

    @property
    def violations(self) -> list[Violation]:
        return self.outcome.result.violations if self.outcome.result is not None else []


class _Protocol(LanguageServerProtocol):
    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            # pygls drops a request whose params it cannot read; answer it, or the client
            # would wait for that answer forever.
            if "id" in data and "method" in data:
                self._send_response(data["id"], error=error.to_response_error())
            raise

    def _send_response(
        self,
        msg_id: Any,
        result: Any | None = None,
        error: types.ResponseError | None = None,
    ) -> None:
        """pygls puts the traceback of a handler that failed into its error reply: the editor
        gets the message, the server's log (stderr) keeps the traceback, which names files and
        source lines the client has no business seeing."""
        if error is not None and error.data is not None:
            error = types.ResponseError(code=error.code, message=error.message)
        super()._send_response(msg_id, result, error)


class PlanlintServer(LanguageServer):
    def __init__(self, documents: DocumentLinter, debounce: float = DEFAULT_DEBOUNCE) -> None:
        # Full sync: the client sends the whole text, so no incremental edit can be misapplied
        # (pygls splits lines as str.splitlines does, which the LSP does not).
        super().__init__(
            "planlint", __version__, types.TextDocumentSyncKind.Full, protocol_cls=_Protocol
        )
        self.documents = documents
        self.debounce = debounce
        self.shutdown_requested = False
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="planlint-lint")
        self._pending: dict[str, asyncio.Task[None]] = {}
        self._linted: dict[str, Linted] = {}
        self._problems_shown: set[str] = set()

    # -- errors ----------------------------------------------------------------------------------

    def report_server_error(self, error: Exception, source: object) -> None:
        """pygls calls this for errors outside a request (a malformed message, a failing
        notification handler): log them, in the editor's log too, and carry on."""
        logger.error("internal error: %s", error, exc_info=error)
        try:
            self.window_log_message(
                types.LogMessageParams(
                    type=types.MessageType.Error, message=f"planlint: internal error: {error}"
                )
            )
        except Exception:  # the client is gone: stderr has it
            logger.debug("could not send the error to the client", exc_info=True)

    # -- linting ---------------------------------------------------------------------------------

    def warm_up(self) -> None:
        """Load the engine and the workspace's rules in the worker, queued before any lint."""
        if self.shutdown_requested:
            return
        root = self.workspace.root_path
        folder = Path(root) if root else Path.cwd()
        self._worker.submit(self._warm_up, folder)

    def _warm_up(self, folder: Path) -> None:
        collect_start_up_garbage()
        try:
            self.documents.warm_up(folder)
        except Exception:  # the lint that follows reports what went wrong
            logger.debug("loading the rules ahead of the first lint failed", exc_info=True)

    def _encoding(self) -> str:
        chosen = self.workspace.position_encoding
        value = str(getattr(chosen, "value", chosen) or UTF16)
        return value if value in (UTF8, UTF16, UTF32) else UTF16

    def schedule(self, uri: str, delay: float, fresh: bool = False) -> None:
        """Lint ``uri`` after ``delay`` seconds, replacing a lint still waiting for it."""
        if self.shutdown_requested:
            return
        waiting = self._pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        self._pending[uri] = asyncio.ensure_future(self._lint_and_publish(uri, delay, fresh))

    async def _lint_and_publish(self, uri: str, delay: float, fresh: bool) -> None:
        try:
            if delay > 0:
                await asyncio.sleep(delay)
            linted = await self.lint(uri, fresh=fresh)
            if linted is not None:
                self.publish(uri, linted)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # a bug in one lint must not take the server down
            self.report_server_error(error, type(error))
        finally:
            if self._pending.get(uri) is asyncio.current_task():
                del self._pending[uri]

    async def lint(self, uri: str, fresh: bool = False) -> Linted | None:
        """The lint of the document's current text (reused unless ``fresh``), or None when it
        is not open or changed while being linted (the change brings its own lint)."""
        document = self._open_document(uri)
        if document is None:
            return None
        text, version = document.source, document.version
        cached = self._linted.get(uri)
        if not fresh and cached is not None and cached.version == version and cached.text == text:
            return cached
        path = _path_of(uri)
        root = self.workspace.root_path
        fallback = Path(root) if root else Path.cwd()
        display = str(path) if path is not None else uri
        outcome = await asyncio.get_running_loop().run_in_executor(
            self._worker, self.documents.lint, PositionMap.lintable(text), path, display, fallback
        )
        current = self._open_document(uri)
        if current is None or current.version != version or current.source != text:
            return None
        linted = Linted(version, text, outcome, PositionMap(text, self._encoding()))
        self._linted[uri] = linted
        return linted

    def _open_document(self, uri: str) -> TextDocument | None:
        """The open document behind ``uri``. The workspace keeps documents under their
        percent-decoded URI: a path with a space, an accent, `+` or `[`, and every Windows
        path (``file:///c%3A/…``), is found by that name only."""
        found: TextDocument | None = self.workspace.text_documents.get(unquote(uri))
        return found

    def publish(self, uri: str, linted: Linted) -> None:
        diagnostics = [convert.diagnostic(v, linted.positions) for v in linted.violations]
        problem = linted.outcome.problem
        if problem is not None:
            config_uri = from_fs_path(problem.path) if Path(problem.path).is_file() else None
            diagnostics.append(convert.config_diagnostic(problem, config_uri))
            if str(problem) not in self._problems_shown:  # once, not on every keystroke
                self._problems_shown.add(str(problem))
                self.window_show_message(
                    types.ShowMessageParams(
                        type=types.MessageType.Error,
                        message=f"planlint cannot use its configuration: {problem}",
                    )
                )
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, version=linted.version, diagnostics=diagnostics)
        )

    def forget(self, uri: str) -> None:
        waiting = self._pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        self._linted.pop(uri, None)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    def stop(self) -> None:
        """Cancel waiting lints and let the worker go (a lint under way finishes unseen)."""
        for task in self._pending.values():
            task.cancel()
        self._pending.clear()
        self._worker.shutdown(wait=False, cancel_futures=True)

    def takes_document_changes(self) -> bool:
        workspace = self.client_capabilities.workspace
        edits = workspace.workspace_edit if workspace is not None else None
        return bool(edits is not None and edits.document_changes)


def _path_of(uri: str) -> Path | None:
    """The file behind a ``file:`` URI; None for an unsaved (``untitled:``) document."""
    path = to_fs_path(uri) if uri.startswith("file:") else None
    return Path(path) if path else None


def _wants(only: Sequence[str] | None, kind: str) -> bool:
    """Is ``kind`` among the requested kinds? They are hierarchical: ``source`` asks for
    ``source.fixAll.planlint`` too."""
    if only is None:
        return True
    return any(kind == str(k) or kind.startswith(f"{k}.") for k in (_kind(k) for k in only))


def _kind(kind: object) -> str:
    return str(getattr(kind, "value", kind))


def create_server(documents: DocumentLinter, debounce: float = DEFAULT_DEBOUNCE) -> PlanlintServer:
    server = PlanlintServer(documents, debounce)

    @server.feature(types.INITIALIZE)
    def initialize(ls: PlanlintServer, params: types.InitializeParams) -> None:
        options = params.initialization_options
        if isinstance(options, dict) and "debounce" in options:
            value = options["debounce"]
            if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
                ls.debounce = float(value)
            else:
                logger.warning("initializationOptions.debounce: want seconds >= 0, got %r", value)

    @server.feature(types.INITIALIZED)
    def initialized(ls: PlanlintServer, params: types.InitializedParams) -> None:
        ls.warm_up()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: PlanlintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: PlanlintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, ls.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: PlanlintServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0, fresh=True)  # the config may have changed too

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: PlanlintServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=CODE_ACTION_KINDS),
    )
    async def code_action(
        ls: PlanlintServer, params: types.CodeActionParams
    ) -> list[types.CodeAction] | None:
        uri = params.text_document.uri
        linted = await ls.lint(uri)
        if linted is None:
            return None
        only = [_kind(kind) for kind in params.context.only] if params.context.only else None
        changes = ls.takes_document_changes()
        actions: list[types.CodeAction] = []
        if _wants(only, types.CodeActionKind.QuickFix.value):
            actions += convert.quick_fixes(
                linted.violations, params.range, uri, linted.version, linted.positions, changes
            )
        if _wants(only, convert.FIX_ALL):
            every = convert.fix_all(
                linted.violations, uri, linted.version, linted.positions, changes
            )
            if every is not None:
                actions.append(every)
        return actions

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: PlanlintServer, params: types.HoverParams) -> types.Hover | None:
        linted = await ls.lint(params.text_document.uri)
        if linted is None:
            return None
        rules = linted.outcome.rules
        return convert.hover(linted.violations, params.position, rules, linted.positions)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: PlanlintServer, params: None) -> None:
        ls.shutdown_requested = True
        ls.stop()

    return server


def serve(
    config: Path | None = None,
    packs: Sequence[Path] = (),
    debounce: float = DEFAULT_DEBOUNCE,
    log_level: str = "warning",
) -> int:
    """Run the server on stdin/stdout until the client says exit (0) or goes away without a
    shutdown request (1, as the LSP says)."""
    logging.basicConfig(
        stream=sys.stderr,
        level=log_level.upper(),
        format="planlint lsp: %(levelname)s %(name)s: %(message)s",
    )
    # stdout carries the protocol: anything else printed there would corrupt it. The server
    # writes to a copy of it, and file descriptor 1 becomes stderr for everything else.
    sys.stdout.flush()
    protocol_out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    server = create_server(DocumentLinter(config, packs), debounce)
    try:
        server.start_io(sys.stdin.buffer, protocol_out)
    finally:
        server.stop()
        if not protocol_out.closed:
            protocol_out.close()
    return 0 if server.shutdown_requested else 1
