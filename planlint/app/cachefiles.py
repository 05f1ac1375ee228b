"""What the cache files of ``planlint.app`` share: a folder never reached through a link, a
file created without following one, a seal only this user's planlint can make, and the stamp
of planlint's own code."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from planlint.core.paths import replace_cache_file, user_cache_dir

IGNORE_ALL = b"# written by planlint: nothing here belongs in git\n*\n"


def linked(directory: Path, path: Path) -> bool:
    """Is the cache folder, a folder inside it on the way to ``path``, or ``path`` itself a
    symbolic link? A repository could ship one to make planlint write (or read) elsewhere."""
    try:
        relative = path.relative_to(directory)
    except ValueError:
        return True
    current = directory
    for part in ("", *relative.parts):
        current = current / part if part else current
        if current.is_symlink():
            return True
    return False


def create_new(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet, without following a link at its name."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        handle = os.open(path, flags, 0o644)
    except FileExistsError:
        return  # there already (or a link is: left alone, never followed)
    with os.fdopen(handle, "wb") as out:
        out.write(data)


def read_cache_file(directory: Path, path: Path) -> dict[str, Any]:
    """The document of the workspace cache file ``path`` in ``directory``; empty when it is
    reached through a link, missing, damaged or not sealed by this user's planlint."""
    return {} if linked(directory, path) else read_sealed(path)


def save_cache_file(directory: Path, path: Path, body: Callable[[], dict[str, Any]]) -> None:
    """Write ``body()`` sealed at ``path`` in the workspace cache ``directory``, beside the
    folder's ``.gitignore``; never through a link (looked for again once the folders are
    made), and quietly not at all where it cannot be written (a read-only checkout, a full
    disk): a cache may make planlint faster, never make it fail. ``body`` is called only once
    the write is safe, so that it may read what others saved meanwhile."""
    try:
        if linked(directory, path):
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        if linked(directory, path):
            return  # planted while the folders were made
        create_new(directory / ".gitignore", IGNORE_ALL)
        write_sealed(path, body())
    except OSError:
        pass


def code_stamp() -> list[list[object]]:
    package = Path(__file__).parent.parent  # the whole planlint package, not just app/
    stamps: list[list[object]] = []
    for folder, _, names in sorted(os.walk(package)):
        for name in sorted(names):
            if name.endswith((".py", ".lark")):
                path = Path(folder, name)
                info = path.stat()
                stamps.append(
                    [path.relative_to(package).as_posix(), info.st_mtime_ns, info.st_size]
                )
    return stamps


# -- sealing -------------------------------------------------------------------------------------
#
# The result and calendar caches live in the workspace, where anyone who can push a commit can
# put a file. Their keys are predictable (derived from the settings, not from a secret), so an
# entry planted in a fixed CI image could answer "clean" for a violating plan. Each cache file
# is therefore sealed with an HMAC under a key kept outside the repository: a random key made
# once in the user's private cache folder, or PLANLINT_CACHE_KEY (for CI jobs that restore
# .planlint_cache but not the user's cache). A file without a valid seal is treated as empty.

KEY_FILE = "result-cache.key"
_SEAL_PREFIX = b"planlint-hmac-sha256:"
_KEY_BYTES = 32


def seal(body: bytes) -> bytes | None:
    """``body`` with a first line that proves this user's planlint wrote it; None when there is
    no key (no private cache folder): such a run neither reads nor writes a workspace cache."""
    key = machine_key()
    if key is None:
        return None
    return _SEAL_PREFIX + _mac(key, body).encode("ascii") + b"\n" + body


def unseal(blob: bytes) -> bytes | None:
    """The body of a sealed file, or None when the seal is missing, wrong or unverifiable."""
    key = machine_key()
    head, newline, body = blob.partition(b"\n")
    if key is None or not newline or not head.startswith(_SEAL_PREFIX):
        return None
    given = head[len(_SEAL_PREFIX) :].decode("ascii", "replace")
    return body if hmac.compare_digest(given, _mac(key, body)) else None


def _mac(key: bytes, body: bytes) -> str:
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def read_sealed(path: Path) -> dict[str, Any]:
    """A sealed JSON cache file's document; empty when it is missing, damaged or not sealed by
    this user's planlint."""
    try:
        body = unseal(path.read_bytes())
        data = json.loads(body) if body is not None else None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def write_sealed(path: Path, document: dict[str, Any]) -> None:
    """Write ``document`` sealed, in one rename; nothing when there is no key to seal it with."""
    sealed = seal(json.dumps(document, separators=(",", ":")).encode("utf-8"))
    if sealed is not None:
        replace_cache_file(path, sealed)


def machine_key() -> bytes | None:
    configured = os.environ.get("PLANLINT_CACHE_KEY")
    if configured:
        return hashlib.sha256(configured.encode("utf-8", "surrogatepass")).digest()
    folder = user_cache_dir()
    if folder is None:
        return None
    path = str(folder / KEY_FILE)
    key = _keys.get(path)
    if key is None:
        key = _key_in(path)
        if key is not None:
            _keys[path] = key
    return key


_keys: dict[str, bytes] = {}  # read once per process and folder


def _key_in(path: str) -> bytes | None:
    """The key kept at ``path``, made on first use; read without following a link."""
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | nofollow, 0o600)
    except FileExistsError:
        pass
    except OSError:
        return None
    else:
        with os.fdopen(handle, "wb") as out:
            out.write(os.urandom(_KEY_BYTES))
    try:
        handle = os.open(path, os.O_RDONLY | nofollow)
    except OSError:
        return None
    with os.fdopen(handle, "rb") as key_file:
        info = os.fstat(key_file.fileno())
        key = key_file.read(_KEY_BYTES + 1)
    if not stat.S_ISREG(info.st_mode) or len(key) != _KEY_BYTES:
        return None  # being written by another run, or not ours: no cache this time
    return key
