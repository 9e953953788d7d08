"""Logging a test client in without going through the login form."""

from __future__ import annotations

from flask.testing import FlaskClient

from podium.accounts.models import User


def login(client: FlaskClient, user: User) -> FlaskClient:
    """Make ``client``'s session belong to ``user`` (as Flask-Login stores it); returns it."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client
