"""Error pages: HTML for people, JSON under ``/api/`` and for the export endpoints' clients."""

from __future__ import annotations

from contextlib import suppress

from flask import Flask, Response, g, jsonify, render_template, request
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import Conflict, HTTPException, InternalServerError, ServiceUnavailable

from podium.database import describe_database_error
from podium.extensions import db, login_manager
from podium.i18n.locales import DEFAULT_LANGUAGE

# Seconds a client (or the reverse proxy) is asked to wait while the database is unreachable.
RETRY_AFTER_SECONDS = 10

TITLES = {
    400: "Bad request",
    401: "Please log in",
    403: "Forbidden",
    404: "Page not found",
    405: "Method not allowed",
    409: "Changed at the same time",
    413: "File too large",
    429: "Too many requests",
    500: "Something went wrong",
    503: "Temporarily unavailable",
}
# The same titles as people read them, in the request's language (JSON keeps TITLES).
TITLE_LABELS = {
    400: _l("Bad request"),
    401: _l("Please log in"),
    403: _l("Forbidden"),
    404: _l("Page not found"),
    405: _l("Method not allowed"),
    409: _l("Changed at the same time"),
    413: _l("File too large"),
    429: _l("Too many requests"),
    500: _l("Something went wrong"),
    503: _l("Temporarily unavailable"),
}
# What the page says when the code raised a bare abort(code): Werkzeug's own descriptions are
# English and talk to developers ("If you entered the URL manually...").
DEFAULT_MESSAGES = {
    400: _l("The request could not be understood. Go back and try again."),
    403: _l("You do not have access to this page."),
    404: _l("There is no page at this address. Check it, or start again from the home page."),
    405: _l("This address cannot be used this way."),
    413: _l("The upload is too large."),
    429: _l("Too many requests. Wait a moment and try again."),
}
CONFLICT_MESSAGE = _l(
    "Another request changed the same thing at the same moment (perhaps the form "
    "was sent twice), so this one was not saved. Reload the page and check."
)
DATABASE_UNAVAILABLE_MESSAGE = _l(
    "The database does not answer at the moment. Nothing you sent was saved; please try "
    "again in a few seconds."
)


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _for_reader(message: object) -> str:
    """A (lazy) message in the request's language, or in English for JSON clients: API error
    bodies are machine output and stay the same whatever the client's language."""
    if _wants_json():
        with force_locale(DEFAULT_LANGUAGE):
            return str(message)
    return str(message)


def render_error(exc: HTTPException):  # type: ignore[no-untyped-def]
    """Render ``exc`` as JSON ``{"error": {"code", "title", "message"}}`` or the HTML page
    (title in the request's language; JSON titles stay English)."""
    code = exc.code or 500
    message = exc.description or ""
    if _wants_json():
        title = TITLES.get(code, exc.name)
        response = jsonify(error={"code": code, "title": title, "message": message})
    else:
        title = str(TITLE_LABELS.get(code, exc.name))
        if message == type(exc).description:
            message = str(DEFAULT_MESSAGES.get(code, ""))
        response = render_template("errors/error.html", code=code, title=title, message=message)
    headers = dict(exc.get_headers()) if code == 405 else {}
    headers.pop("Content-Type", None)
    return response, code, headers


def register_error_handlers(app: Flask) -> None:
    """Install :func:`render_error` for HTTP errors and a 500 page for unexpected exceptions."""
    app.register_error_handler(HTTPException, render_error)

    def _concurrent_change(exc: IntegrityError):  # type: ignore[no-untyped-def]
        # Services check uniqueness before writing, so a unique constraint firing here means
        # two requests raced (a double click, two organizers at once): the other one won.
        app.logger.warning("integrity error on %s %s: %s", request.method, request.path, exc.orig)
        db.session.rollback()
        return render_error(Conflict(_for_reader(CONFLICT_MESSAGE)))

    app.register_error_handler(IntegrityError, _concurrent_change)
    # Connection refused or lost, server restarting, pool exhausted: the database is away.
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(PoolTimeoutError, _database_unavailable)

    def _unexpected(exc: Exception):  # type: ignore[no-untyped-def]
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(InternalServerError())

    if not app.testing:
        app.register_error_handler(Exception, _unexpected)


def _database_unavailable(exc: Exception) -> Response:
    """503 with ``Retry-After`` while the database is unreachable, never a 500.

    The driver's message (host, port, user) goes to the log only. Nothing here may touch the
    database again: the page is drawn for an anonymous visitor (Flask-Login would load the
    user to draw the header), and if even that fails a plain page is sent.
    """
    from flask import current_app

    current_app.logger.warning(
        "database unavailable on %s %s: %s", request.method, request.path,
        describe_database_error(exc),
    )  # fmt: skip
    with suppress(SQLAlchemyError):  # the connection is gone; the pool discards it
        db.session.rollback()
    # Flask-Login's per-request cache of the user: set, so the layout never asks the database.
    g._login_user = login_manager.anonymous_user()
    # Nor may choosing the page's language look up the event's default language.
    g.event_language = None
    unavailable = ServiceUnavailable(_for_reader(DATABASE_UNAVAILABLE_MESSAGE))
    try:
        body, code, _ = render_error(unavailable)
        response = current_app.make_response((body, code))
    except Exception:  # any failure drawing the page must still give the 503
        current_app.logger.exception("the 503 page could not be rendered")
        response = Response(
            f"503 {TITLES[503]}: {unavailable.description}\n", 503, mimetype="text/plain"
        )
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response
