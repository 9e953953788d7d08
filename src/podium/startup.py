"""Start-up for long-running processes (web server, mail worker): fail fast, in one line.

Under gunicorn the checks run once, in the master, before any port is opened
(``docker/gunicorn.conf.py`` runs ``python -m podium.startup`` from its ``on_starting`` hook):
a wrong setting or an unreachable database stops gunicorn with the one-line error, and the
container's restart policy retries. Workers then only build the app (:func:`create_worker_app`):
one respawned while the database is away must come up and answer 503, not stop the server.
"""

from __future__ import annotations

import sys

from flask import Flask

from podium import create_app
from podium.config import ConfigError
from podium.database import check_reachable
from podium.extensions import db

# gunicorn's exit status for "worker failed to boot": the master stops instead of respawning
# the worker once a second with the port open (gunicorn.arbiter.Arbiter.WORKER_BOOT_ERROR).
WORKER_BOOT_ERROR = 3


def verify_database(app: Flask) -> None:
    """Raise :class:`ConfigError` naming ``DATABASE_URL`` if the database does not answer."""
    with app.app_context():
        problem = check_reachable(db.engine)
        db.engine.dispose()
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


def create_worker_app() -> Flask:
    """Create the app for a gunicorn worker; on a bad setting print one line and exit 3.

    The database is not checked here (the master did, once): see the module docstring.
    """
    try:
        return create_app()
    except ConfigError as exc:
        print(f"podium: {exc}", file=sys.stderr)
        raise SystemExit(WORKER_BOOT_ERROR) from None


if __name__ == "__main__":
    # `python -m podium.startup`: the pre-flight check gunicorn's master runs (exit 0 or 2).
    create_checked_app()
