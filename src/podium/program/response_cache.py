"""Answering repeated anonymous requests for the public program without running Flask.

Under load most requests are the same few anonymous GETs (the grid, session pages, exports)
whose response only changes with the event and its latest release. Flask's own work for one of
them (request context, session, login, language, rate limiter, headers) cost several times
the cached body itself. :class:`ResponseCache` is a WSGI layer in front of Flask that keeps
the exact responses views marked with :func:`mark_shareable` and replays them while the
program's tables are unchanged, as told by a :class:`~podium.program.changes.ChangeSignal`
(no query per request). It is the same kind of cache as the compose stack's reverse proxy,
inside each web process, so a deployment without that proxy gets most of its benefit.

A request is answered from here only when it is a ``GET`` without ``Authorization``,
``Range`` or cookies other than the language cookie, and the same request (path, query,
host, scheme, ``Accept-Encoding``, ``Accept-Language``, language cookie, ``Origin`` and
conditional headers) got a stored response under the current change token. A response is
stored only when the view marked it, its status is 200 or 304, it says ``Cache-Control:
public`` and it sets no cookie.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import request

from podium.i18n.locales import LANGUAGE_COOKIE
from podium.program.body_files import SPILLED_BODY_KEY, SpilledBody, wsgi_iterable
from podium.program.cache import BoundedCache
from podium.program.changes import ChangeSignal

MARK = "podium.shareable"
DEFAULT_MAX_BYTES = 32 * 1024 * 1024
DEFAULT_MAX_ENTRIES = 4096
STORABLE_STATUSES = ("200 OK", "304 NOT MODIFIED")
# Request headers the stored response may depend on (besides the URL): part of the key.
KEY_HEADERS = (
    "HTTP_HOST",
    "HTTP_ACCEPT_ENCODING",
    "HTTP_ACCEPT_LANGUAGE",
    "HTTP_COOKIE",
    "HTTP_ORIGIN",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
)

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def mark_shareable() -> None:
    """Say that the current response depends on nothing but this request, the event and its
    latest release. Whether it may be shared is still its ``Cache-Control``'s to say: only a
    ``public`` response is stored, so a view marks whatever it renders from the release and
    leaves private events, logged-in users and flash messages to the header it already sets."""
    request.environ[MARK] = True


@dataclass(frozen=True)
class StoredResponse:
    """A complete response: WSGI status line, headers, body (in memory or the render cache's
    file) and the change token it was rendered under."""

    token: Hashable
    status: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | SpilledBody


class ResponseCache:
    """WSGI middleware replaying stored public responses while ``signal``'s token holds.

    ``max_bytes``/``max_entries`` bound the bodies it keeps alive (usually the same ``bytes``
    objects or files the program's render cache holds, so the real cost is lower).
    """

    def __init__(
        self,
        app: WsgiApp,
        signal: ChangeSignal,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_entries: int = DEFAULT_MAX_ENTRIES,
    ) -> None:
        self.app = app
        self.signal = signal
        self.store: BoundedCache[StoredResponse] = BoundedCache(
            max_entries=max_entries, max_bytes=max_bytes, size=lambda r: len(r.body) + 500
        )

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        key = request_key(environ)
        if key is None:
            return self.app(environ, start_response)
        # Read before rendering: a change during the render leaves the stored copy stale-marked.
        token = self.signal.token()
        if token is None:
            return self.app(environ, start_response)
        stored = self.store.get(key)
        if stored is not None and stored.token == token:
            replayed = _replay_body(stored.body, environ)
            if replayed is not None:
                start_response(stored.status, list(stored.headers))
                return replayed
        return self._render(key, token, environ, start_response)

    def _render(
        self,
        key: Hashable,
        token: Hashable,
        environ: dict[str, Any],
        start_response: Callable[..., Any],
    ) -> Any:
        started: list[Any] = []

        def remember(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            started[:] = [status, headers]
            return start_response(status, headers, exc_info)

        body = self.app(environ, remember)
        if not environ.get(MARK) or not started or not _storable(*started):
            return body
        status, headers = started
        spilled = environ.get(SPILLED_BODY_KEY)
        if spilled is not None:
            # The view sends a file; keep its handle, not a copy of its bytes.
            self.store.put(key, StoredResponse(token, status, tuple(headers), spilled))
            return body
        try:
            chunks = list(body)
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
        # One chunk is the very bytes object the render cache holds: no copy.
        data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
        self.store.put(key, StoredResponse(token, status, tuple(headers), data))
        return [data] if data else []


def _replay_body(body: bytes | SpilledBody, environ: dict[str, Any]) -> Any:
    """The WSGI iterable for a stored body; None when its file is gone (render it again)."""
    if isinstance(body, SpilledBody):
        try:
            return wsgi_iterable(body, environ)
        except FileNotFoundError:
            return None
    return [body] if body else []


def request_key(environ: dict[str, Any]) -> Hashable | None:
    """What identifies a cacheable request, or None when it must reach Flask."""
    if environ.get("REQUEST_METHOD") != "GET":
        return None
    if "HTTP_AUTHORIZATION" in environ or "HTTP_RANGE" in environ:
        return None
    cookie = environ.get("HTTP_COOKIE")
    if cookie and not _only_language_cookie(cookie):
        return None
    return (
        environ.get("wsgi.url_scheme"),
        environ.get("SCRIPT_NAME", ""),
        environ.get("PATH_INFO", ""),
        environ.get("QUERY_STRING", ""),
        *(environ.get(name) for name in KEY_HEADERS),
    )


def _only_language_cookie(cookie: str) -> bool:
    return all(
        part.split("=", 1)[0].strip() == LANGUAGE_COOKIE
        for part in cookie.split(";")
        if part.strip()
    )


def _storable(status: str, headers: list[tuple[str, str]]) -> bool:
    if status.upper() not in STORABLE_STATUSES:
        return False
    public = False
    for name, value in headers:
        lowered = name.lower()
        if lowered == "set-cookie" or lowered.startswith("x-ratelimit") or lowered == "retry-after":
            return False
        if lowered == "cache-control":
            public = "public" in value.lower() and "private" not in value.lower()
    return public
