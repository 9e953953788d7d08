"""Error pages: HTML for people, JSON under ``/api/`` and for the export endpoints' clients."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import Conflict, HTTPException, InternalServerError

from podium.extensions import db

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
}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def render_error(exc: HTTPException):  # type: ignore[no-untyped-def]
    """Render ``exc`` as JSON ``{"error": {"code", "title", "message"}}`` or the HTML page."""
    code = exc.code or 500
    title = TITLES.get(code, exc.name)
    message = exc.description or ""
    if _wants_json():
        response = jsonify(error={"code": code, "title": title, "message": message})
    else:
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
        return render_error(
            Conflict(
                "Another request changed the same thing at the same moment (perhaps the form "
                "was sent twice), so this one was not saved. Reload the page and check."
            )
        )

    app.register_error_handler(IntegrityError, _concurrent_change)

    def _unexpected(exc: Exception):  # type: ignore[no-untyped-def]
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(InternalServerError())

    if not app.testing:
        app.register_error_handler(Exception, _unexpected)
