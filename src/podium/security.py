"""Security headers sent with every response, and NUL characters kept away from the database."""

from __future__ import annotations

from flask import Flask, Request, Response, abort, request
from flask_babel import gettext as _
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter

# The largest id a database INTEGER column holds (PostgreSQL's is 32-bit signed).
MAX_ID = 2**31 - 1

# No inline script anywhere: every script is a file under /static, so 'self' suffices.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def register_security_headers(app: Flask) -> None:
    """Add CSP, frame, referrer and MIME-sniffing headers unless a view set its own.

    In production also ``Strict-Transport-Security`` (``HSTS_MAX_AGE`` seconds; 0 sends
    none). A response that says nothing about caching gets ``Cache-Control: private,
    no-cache``: only what a view marks ``public`` (the public program and its exports) may be
    stored by a shared cache such as a reverse proxy.
    """
    hsts_max_age = int(app.config.get("HSTS_MAX_AGE") or 0)
    hsts = (
        f"max-age={hsts_max_age}" if app.config.get("ENV") == "production" and hsts_max_age else ""
    )

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        # A view that lets named sites frame it (the schedule widget) says so in its CSP;
        # X-Frame-Options cannot name sites, so such a response must not send DENY.
        if "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]:
            response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Cache-Control", "private, no-cache")
        if hsts:
            response.headers.setdefault("Strict-Transport-Security", hsts)
        return response


class NulFreeRequest(Request):
    """Flask's request with NUL characters removed from submitted form fields (names and values).

    PostgreSQL refuses NUL in text, so one pasted NUL would turn any save into a 500; it never
    means anything in typed text, so it is dropped and the rest of the input is kept.
    """

    def _load_form_data(self) -> None:
        super()._load_form_data()
        form = self.__dict__.get("form")
        if form and any("\x00" in k or "\x00" in v for k, v in form.items(multi=True)):
            self.__dict__["form"] = ImmutableMultiDict(
                (k.replace("\x00", ""), v.replace("\x00", "")) for k, v in form.items(multi=True)
            )


class IdConverter(IntegerConverter):
    """``<int:...>`` limited to 0..:data:`MAX_ID`: a larger number is no id and answers 404
    instead of overflowing the database driver (a 500)."""

    def __init__(self, map, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def parse_id(value: str | None) -> int | None:
    """An id typed into a query string (``?track=12``): ASCII digits up to :data:`MAX_ID`,
    else ``None`` (``"²".isdigit()`` is true but ``int("²")`` fails)."""
    if not value or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if number <= MAX_ID else None


def register_input_hygiene(app: Flask) -> None:
    """Bound ``<int:...>`` URL parts, strip NUL from form fields, refuse NUL in URLs (400).

    Slugs, tokens and filters from the URL reach database queries, where PostgreSQL would fail
    with a 500 on a NUL (``%00``); such an address is never one Podium made. Call it before
    registering blueprints so their routes use :class:`IdConverter`.
    """
    app.url_map.converters["int"] = IdConverter
    app.request_class = NulFreeRequest

    @app.before_request
    def _refuse_nul_in_url() -> None:
        if "\x00" in request.path or any(
            "\x00" in k or "\x00" in v for k, v in request.args.items(multi=True)
        ):
            abort(400, _("The address contains a NUL character (%00)."))


def safe_next_path(target: str | None) -> str | None:
    """``target`` when it is a same-site path ("/…"), else None: redirecting to whatever a
    form or query says would be an open redirect, which helps phishing.

    Browsers drop tabs and newlines from URLs (WHATWG URL parsing) and Werkzeug drops them
    from the Location header, so "/\\t/evil.example" would become "//evil.example": any
    control character or whitespace is refused rather than normalised like a browser.
    """
    if not target or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None
