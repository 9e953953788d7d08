"""Liveness (``/healthz``) and readiness (``/readyz``) endpoints for load balancers and Docker."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from podium.database import check_migrations_current, check_reachable
from podium.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    """200 ``{"status": "ok"}`` whenever the process answers; touches no database."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():  # type: ignore[no-untyped-def]
    """200 ``{"status": "ok"}`` when the database answers and is at the newest migration.

    Otherwise 503 ``{"status": "not ready", "reason": ...}`` with ``Retry-After``. An
    unreachable database is reported without the driver's message (host, port and user are
    nobody's business outside); the log has it.
    """
    unreachable = check_reachable(db.engine)
    if unreachable:
        current_app.logger.warning("not ready: database unreachable: %s", unreachable)
        return _not_ready("the database does not answer")
    outdated = check_migrations_current(db.engine, current_app.config["MIGRATIONS_DIR"])
    if outdated:
        return _not_ready(outdated)
    return jsonify(status="ok")


def _not_ready(reason: str):  # type: ignore[no-untyped-def]
    from podium.errors import RETRY_AFTER_SECONDS

    return (
        jsonify(status="not ready", reason=reason),
        503,
        {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"},
    )
