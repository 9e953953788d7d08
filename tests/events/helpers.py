"""Shared by tests/events and tests/cfp: test-app adjustments the shared fixtures lack.

- A stand-in ``accounts.login`` route while the accounts blueprint is not installed
  (Flask-Login redirects anonymous visitors there); with the real feature it does nothing.
- The ``app`` fixture keeps one application context open for the whole test, and Flask reuses
  it for every test-client request, so ``g`` (where Flask-Login caches the current user) would
  carry one request's user into the next client's request. Forgetting it before each request
  makes every request load its user from its own session cookie, as in production.
"""

from __future__ import annotations

from flask import Flask, g


def ensure_login_endpoint(app: Flask) -> None:
    """Add ``/account/login`` as ``accounts.login`` if no blueprint provides it yet."""
    if "accounts.login" not in app.view_functions:
        app.add_url_rule("/account/login", "accounts.login", lambda: "log in here")


def forget_user_between_requests(app: Flask) -> None:
    """Drop Flask-Login's per-context user cache at the start of every request."""

    @app.before_request
    def _forget_cached_user() -> None:
        g.pop("_login_user", None)
