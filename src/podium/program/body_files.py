"""Large rendered bodies kept in files instead of the worker's heap, sent with ``sendfile``.

A FOSDEM-size release renders to about 12 MB of pages and exports (each plain and gzipped).
Held as ``bytes`` in every gunicorn worker they were most of a worker's growth after start;
in a file they live in the kernel's page cache instead, which is not the process's resident
memory, and gunicorn hands them to the socket with ``sendfile`` without copying them through
Python. :class:`SpilledBody` is the handle the caches keep; its file exists as long as some
cache references the handle, and is deleted when the last reference goes (or at exit).

Each process writes to its own private directory (``mkdtemp``, mode 0700) under the system's
temporary folder (``TMPDIR`` moves it, e.g. onto a tmpfs), so no other user can plant a body
and no two processes share files. Directories left behind by killed processes of the same
user on the same host are removed when the next process creates its own; a file deleted from
under a process (a ``/tmp`` cleaner) is simply rendered again.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import shutil
import socket
import tempfile
import threading
import weakref
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

# Bodies from this size on go to a file: the open/fstat/close per request (~10 µs) is noise
# against sending them, and below it the heap cost is small.
SPILL_THRESHOLD = 32 * 1024
BLOCK_SIZE = 64 * 1024
DIRECTORY_PREFIX = "podium-bodies-"
# Set in the WSGI environ when a view sends a file-kept body, so the response cache
# (podium.program.response_cache) keeps the handle instead of reading the file back.
SPILLED_BODY_KEY = "podium.spilled_body"


class SpilledBody:
    """An immutable rendered body stored in a file: ``len()`` is its size in bytes.

    Created by :func:`spill`; the file is removed when the object is garbage-collected.
    """

    __slots__ = ("__weakref__", "length", "path")

    def __init__(self, path: str, length: int) -> None:
        self.path = path
        self.length = length

    def __len__(self) -> int:
        return self.length

    def open(self) -> IO[bytes]:
        """The file opened for reading; ``FileNotFoundError`` if its directory was removed."""
        return open(self.path, "rb")

    def read_bytes(self) -> bytes:
        """The whole body in memory (for compressing it once)."""
        return Path(self.path).read_bytes()


class _Directory:
    """This process's private directory of body files, created on first use."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pid = 0
        self._path = ""
        self._names = itertools.count()

    def new_file(self) -> tuple[str, int]:
        """A fresh file name in this process's directory, and the process id that owns it."""
        with self._lock:
            # First use, first use after a fork, or the directory was removed from under us.
            if self._pid != os.getpid() or not os.path.isdir(self._path):
                self._pid = os.getpid()
                _remove_orphans(Path(tempfile.gettempdir()))
                self._path = tempfile.mkdtemp(prefix=f"{_own_prefix()}{self._pid}-")
                atexit.register(_remove_directory, self._path, self._pid)
            return os.path.join(self._path, f"{next(self._names)}.body"), self._pid


_DIRECTORY = _Directory()


def spill(data: bytes) -> SpilledBody:
    """Write ``data`` to a new private file and return its handle.

    Raises ``OSError`` when the file cannot be written (a full disk); callers keep the bytes.
    """
    path, pid = _DIRECTORY.new_file()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise
    body = SpilledBody(path, len(data))
    weakref.finalize(body, _remove_file, path, pid)
    return body


def present(body: bytes | SpilledBody) -> bool:
    """False when ``body``'s file has been deleted from under this process."""
    return not isinstance(body, SpilledBody) or os.path.exists(body.path)


def keep(data: bytes) -> bytes | SpilledBody:
    """``data`` itself when small, else a :class:`SpilledBody` (``data`` if writing fails)."""
    if len(data) < SPILL_THRESHOLD:
        return data
    try:
        return spill(data)
    except OSError:
        return data


def as_bytes(body: bytes | SpilledBody) -> bytes:
    """The bytes of ``body`` wherever they are kept."""
    return body.read_bytes() if isinstance(body, SpilledBody) else body


def wsgi_iterable(body: SpilledBody, environ: dict[str, Any]) -> Iterable[bytes]:
    """An iterable sending ``body``'s file: the server's ``wsgi.file_wrapper`` (``sendfile``
    under gunicorn, which closes the file) when it offers one, else 64 kB blocks read by a
    generator that opens the file only when iterated and always closes it.

    Raises:
        FileNotFoundError: the file is gone (checked now, so the caller can render again).
    """
    wrapper = environ.get("wsgi.file_wrapper")
    if wrapper is not None:
        return wrapper(body.open(), BLOCK_SIZE)  # type: ignore[no-any-return]
    if not os.path.exists(body.path):
        raise FileNotFoundError(body.path)
    return _blocks(body.path)


def _blocks(path: str) -> Iterator[bytes]:
    with open(path, "rb") as file:
        while block := file.read(BLOCK_SIZE):
            yield block


def _remove_file(path: str, pid: int) -> None:
    # A forked child inherits the finalizers of its parent's bodies: the files are not its own.
    if os.getpid() == pid:
        with contextlib.suppress(OSError):
            os.unlink(path)


def _remove_directory(path: str, pid: int) -> None:
    if os.getpid() == pid:
        shutil.rmtree(path, ignore_errors=True)


def _own_prefix() -> str:
    # The host name keeps containers sharing one folder from judging each other's process ids.
    host = "".join(c for c in socket.gethostname() if c.isalnum())[:32] or "host"
    return f"{DIRECTORY_PREFIX}{host}-"


def _remove_orphans(folder: Path) -> None:
    """Remove this host's directories whose process is gone (killed before its clean-up)."""
    uid = os.getuid()
    prefix = _own_prefix()
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            if not entry.name.startswith(prefix):
                continue
            pid_text = entry.name[len(prefix) :].split("-", 1)[0]
            try:
                if entry.stat().st_uid != uid or not pid_text.isdigit():
                    continue
            except OSError:
                continue
            if not _alive(int(pid_text)):
                shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
