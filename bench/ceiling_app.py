"""The ceiling reference for bench_http.py: a bare Flask view returning fixed bytes.

Serves each file of the folder ``BENCH_CEILING_DIR`` at ``/<name>`` (read once at start), with
``Content-Encoding: gzip`` for ``*.gz`` files, so the difference to Podium's cached views is
what Podium itself adds per request (routing, the one SQL query, sessions, conditional-request
handling, headers) for the same bytes on the wire.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, Response, abort

app = Flask(__name__)
FILES = {path.name: path.read_bytes() for path in Path(os.environ["BENCH_CEILING_DIR"]).iterdir()}


@app.get("/<name>")
def serve(name: str) -> Response:
    """The same bytes every time."""
    body = FILES.get(name)
    if body is None:
        abort(404)
    response = Response(body, content_type="application/octet-stream")
    if name.endswith(".gz"):
        response.headers["Content-Encoding"] = "gzip"
    return response
