"""The site's front page: public events, newest first."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select

from podium.events.models import Event
from podium.extensions import db

bp = Blueprint("home", __name__)


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    """List public events (one query)."""
    events = db.session.scalars(
        select(Event).where(Event.is_public.is_(True)).order_by(Event.start_date.desc())
    ).all()
    return render_template("home/index.html", events=events)
