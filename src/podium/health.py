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
    """200 when the database answers and is at the newest migration, else 503 with the reason."""
    problem = check_reachable(db.engine) or check_migrations_current(
        db.engine, current_app.config["MIGRATIONS_DIR"]
    )
    if problem:
        return jsonify(status="unavailable", reason=problem), 503
    return jsonify(status="ok")
