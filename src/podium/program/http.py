"""HTTP revalidation, compression and cached bodies shared by the public program and the API.

Both serve bodies that never change within a schedule release, so both answer conditional
requests (RFC 9110 §13) and send gzip bodies compressed once per release and variant.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import gzip
import hashlib
from collections.abc import Callable, Hashable
from typing import Any

from flask import Response, request

from podium.program.body_files import (
    SPILLED_BODY_KEY,
    SpilledBody,
    as_bytes,
    keep,
    present,
    wsgi_iterable,
)
from podium.program.cache import caches

GZIP_LEVEL = 6  # once per release and variant, so a good ratio is worth the CPU


def is_fresh(etag: str, modified: dt.datetime | None) -> bool:
    """True when the client's copy is current: its ``If-None-Match`` holds ``etag``, or,
    without that header, its ``If-Modified-Since`` is not before ``modified`` (aware UTC;
    ``None`` when unknown, which never counts as fresh).

    ``If-None-Match`` uses the weak comparison (RFC 9110 §13.1.2): a proxy that compresses
    responses (nginx, CDNs) turns ``"tag"`` into ``W/"tag"``, and its clients must still
    get 304.
    """
    if request.if_none_match:
        return request.if_none_match.contains_weak(etag)
    since = request.if_modified_since
    return since is not None and modified is not None and modified.replace(microsecond=0) <= since


def accepts_gzip() -> bool:
    """True when the request's ``Accept-Encoding`` allows gzip."""
    return request.accept_encodings["gzip"] > 0


def gzip_body(body: bytes) -> bytes:
    """``body`` gzip-compressed with a zero timestamp, so equal bodies give equal bytes."""
    return gzip.compress(body, GZIP_LEVEL, mtime=0)


def variant_tag(parts: tuple[Any, ...]) -> str:
    """A short, stable hex digest of ``parts`` (their ``repr``) for an ETag."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=6).hexdigest()


def cached_body(
    key: tuple[Hashable, ...], build: Callable[[], bytes], gzipped: bool
) -> bytes | SpilledBody:
    """The cached body for ``key`` (or its gzip form), building and keeping it on a miss.

    ``key`` must start with the release key. Bodies from 32 kB on are kept in a file
    (:mod:`podium.program.body_files`), smaller ones as ``bytes``; send either with
    :func:`body_response`. A miss allocates a lot briefly (an lxml tree, a list of calendar
    lines, a large JSON document); handing the freed memory back to the system afterwards
    keeps a worker's resident size near its steady state.
    """
    body = _kept(key, build)
    if not gzipped:
        return body
    return _kept((*key, "gzip"), lambda: gzip_body(as_bytes(body)))


def _kept(key: tuple[Hashable, ...], build: Callable[[], bytes]) -> bytes | SpilledBody:
    """The render cache's body for ``key``; built, kept and memory trimmed when it is missing
    or its file was deleted from under the process."""
    rendered = caches().rendered
    body = rendered.get(key)
    if body is None or not present(body):  # type: ignore[arg-type]
        body = rendered.put(key, keep(build()))
        release_memory()
    return body  # type: ignore[return-value]


def body_response(body: bytes | SpilledBody, **options: Any) -> Response:
    """A response sending ``body`` (``options`` as for :class:`flask.Response`); a file-kept
    body goes out through the server's ``sendfile`` with its ``Content-Length`` set."""
    if not isinstance(body, SpilledBody):
        return Response(body, **options)
    response = Response(wsgi_iterable(body, request.environ), direct_passthrough=True, **options)
    response.content_length = len(body)
    request.environ[SPILLED_BODY_KEY] = body
    return response


def release_memory() -> None:
    """Hand memory freed by a large build back to the system (glibc's ``malloc_trim``)."""
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def _malloc_trim() -> Callable[[int], int] | None:
    # glibc only (Linux); elsewhere the memory simply stays with the process.
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None


_MALLOC_TRIM = _malloc_trim()
