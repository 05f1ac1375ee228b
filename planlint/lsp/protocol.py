"""lsprotocol and pygls, imported with attrs' generated methods loaded from a cache.

``lsprotocol.types`` defines some 550 attrs classes. attrs writes each one's ``__init__``,
``__eq__`` and ``__repr__`` as source and compiles it while the class is made, which is half
of the quarter second that importing the module costs, and an editor waits for all of it before
the server answers ``initialize``. The code objects are the same on every start (the source,
attrs, lsprotocol and Python being the same), so the first start saves them with ``marshal``
in the user's cache folder, beside the grammar and rules caches, and later starts use them
instead of compiling. The garbage collector is paused meanwhile.

Each saved code object is used only for the very source attrs asks to compile (its file name
and a digest of the source must match); anything else is compiled as attrs would. The file's
name carries Python's, attrs' and lsprotocol's identities, so an upgrade never meets a stale
file. A missing, damaged or unwritable cache only costs the compile. Like the rules cache's
pickles, the file runs as code: it lives in a folder only the user writes.
``PLANLINT_NO_LSP_CACHE=1`` turns it off.

Everything in ``planlint.lsp`` takes these names from here, so that whichever module is
imported first, lsprotocol is imported through the cache.
"""

from __future__ import annotations

import gc
import hashlib
import importlib.util
import marshal
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from types import CodeType
from typing import Any

_Compile = Callable[..., None]
_Entries = dict[str, tuple[bytes, CodeType]]  # attrs' file name → (source digest, code)


def _digest(script: str) -> bytes:
    return hashlib.blake2b(script.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _identity(module: str) -> str | None:
    """The installed module's file, size and time: reading a version from the package metadata
    (``attr.__version__`` does) would cost more than a cache hit saves."""
    try:
        spec = importlib.util.find_spec(module)
    except ImportError:  # not installed: the import that follows says so
        return None
    if spec is None or spec.origin is None:
        return None
    try:
        status = os.stat(spec.origin)
    except OSError:
        return None
    return f"{spec.origin}|{status.st_size}|{status.st_mtime_ns}"


def _cache_file() -> Path | None:
    if os.environ.get("PLANLINT_NO_LSP_CACHE") or "lsprotocol.types" in sys.modules:
        return None
    from planlint.core.paths import user_cache_dir

    attrs, lsprotocol = _identity("attr._make"), _identity("lsprotocol.types")
    if attrs is None or lsprotocol is None:
        return None
    folder = user_cache_dir()
    if folder is None:
        return None
    key = f"{sys.version}|{sys.implementation.cache_tag}|{attrs}|{lsprotocol}"
    name = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return folder / f"lsprotocol-{name}.marshal"


def _read(path: Path) -> _Entries:
    try:
        entries = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}  # none yet, or damaged: written again
    if not isinstance(entries, dict):
        return {}
    return {
        name: entry
        for name, entry in entries.items()
        if isinstance(entry, tuple)
        and len(entry) == 2
        and isinstance(entry[0], bytes)
        and isinstance(entry[1], CodeType)
    }


@contextmanager
def attrs_code_cache() -> Iterator[None]:
    """Within the block, attrs takes the code of the methods it writes from the cache."""
    path = _cache_file()
    if path is None:  # turned off, or nothing to cache for
        yield
        return
    import attr._make as make

    original: _Compile | None = getattr(make, "_compile_and_eval", None)
    if original is None:  # an attrs that works otherwise
        yield
        return
    entries = _read(path)
    compiled: _Entries = {}

    def compile_and_eval(*args: Any, **kwargs: Any) -> None:
        # attrs' private helper: called the way we know, or handed back to attrs untouched,
        # so that another attrs release costs the cache, never the server's start.
        known = ("script", "globs", "locs", "filename")
        if not args or len(args) > len(known) or set(kwargs) - set(known[len(args) :]):
            assert original is not None
            original(*args, **kwargs)
            return
        named = {**dict(zip(known, args, strict=False)), **kwargs}
        script, filename = named["script"], named.get("filename", "")
        globs: dict[str, Any] | None = named.get("globs")
        locs: Mapping[str, object] | None = named.get("locs")
        if not isinstance(script, str) or not isinstance(filename, str):
            assert original is not None
            original(*args, **kwargs)
            return
        digest = _digest(script)
        found = entries.get(filename)
        if found is not None and found[0] == digest:
            code = found[1]
        else:
            code = compile(script, filename, "exec")
            if found is None:  # a known name with other source varies by run (a hash seed)
                compiled[filename] = (digest, code)
        eval(code, globs, locs)

    make._compile_and_eval = compile_and_eval
    try:
        yield
    finally:
        make._compile_and_eval = original
    if compiled:
        _write(path, {**entries, **compiled})


KEEP = 4  # files kept: one per Python environment in use, and an upgrade's old one


def _write(path: Path, entries: _Entries) -> None:
    from planlint.core.paths import replace_cache_file

    # a full disk, a folder gone: compiled again next time
    with suppress(OSError, ValueError):
        replace_cache_file(path, marshal.dumps(entries))
    # A file is written only on a first start (after an install or upgrade): the time to let
    # the oldest go, that no lsprotocol upgrade leaves another behind for good.
    with suppress(OSError):
        others = [other for other in path.parent.glob("lsprotocol-*.marshal") if other != path]
        others.sort(key=lambda other: other.stat().st_mtime_ns, reverse=True)
        for old in others[KEEP - 1 :]:
            old.unlink()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No garbage collection while the classes are made: the import allocates many objects
    and frees few, so the collections it would set off (a tenth of its time) find little to
    free. What it made is then moved out of the collector's sight (``gc.freeze``), or the
    first collection after it would scan it all the same; ``collect_start_up_garbage`` frees
    what it left (attrs remakes each class with slots, dropping the first) once the server
    has answered ``initialize``."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def collect_start_up_garbage() -> None:
    """Free what importing lsprotocol left unreachable (some 17,000 objects, 40 ms of
    collecting), which ``gc.freeze`` would otherwise keep for the life of the server."""
    gc.unfreeze()
    gc.collect()


with _collector_paused(), attrs_code_cache():
    from lsprotocol import types
    from pygls.exceptions import JsonRpcException
    from pygls.lsp.server import LanguageServer
    from pygls.protocol import LanguageServerProtocol
    from pygls.uris import from_fs_path, to_fs_path
    from pygls.workspace import TextDocument

__all__ = [
    "JsonRpcException",
    "LanguageServer",
    "LanguageServerProtocol",
    "TextDocument",
    "collect_start_up_garbage",
    "from_fs_path",
    "to_fs_path",
    "types",
]
