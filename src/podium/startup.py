"""Start-up for long-running processes (web server, mail worker): fail fast, in one line."""

from __future__ import annotations

import sys

from flask import Flask

from podium import create_app
from podium.config import ConfigError
from podium.database import check_reachable
from podium.extensions import db


def verify_database(app: Flask) -> None:
    """Raise :class:`ConfigError` naming ``DATABASE_URL`` if the database does not answer."""
    with app.app_context():
        problem = check_reachable(db.engine)
    if problem:
        source = app.config["PODIUM_CONFIG"].sources["DATABASE_URL"]
        raise ConfigError(
            "DATABASE_URL",
            f"cannot connect to the database ({problem})",
            "check host, port, user and that the server runs; `podium check` tells more",
            source,
        )


def create_checked_app() -> Flask:
    """Create the app and verify its database, or print one line and exit with status 2."""
    try:
        app = create_app()
        verify_database(app)
    except ConfigError as exc:
        print(f"podium: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    return app
