"""HTTP revalidation and compression shared by the public program and the JSON API.

Both serve bodies that never change within a schedule release, so both answer conditional
requests (RFC 9110 §13) and send gzip bodies compressed once per release and variant.
"""

from __future__ import annotations

import datetime as dt
import gzip

from flask import request

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
