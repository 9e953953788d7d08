"""Fixtures of these tests."""

from __future__ import annotations

import pytest
from flask import Flask, g


@pytest.fixture(autouse=True)
def _fresh_user_per_request(app: Flask) -> None:
    """Make each request load its user from its own session cookie.

    The ``app`` fixture keeps one application context open for the whole test and Flask reuses
    it for test-client requests, so Flask-Login's ``g._login_user`` cache would carry one
    client's user into the next client's request (the review and events tests do the same).
    """

    @app.before_request
    def _forget_cached_user() -> None:
        g.pop("_login_user", None)
