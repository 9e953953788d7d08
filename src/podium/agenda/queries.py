"""Database reads of the agenda: one small query each."""

from __future__ import annotations

import hmac
from typing import Any

from sqlalchemy import select

from podium.accounts.models import User
from podium.agenda.models import AgendaFeed, AgendaStar, WidgetSettings
from podium.agenda.services import hash_token
from podium.events.models import Event
from podium.extensions import db
from podium.schedule.models import ScheduleRelease


def starred_guids(user_id: int, event_id: int) -> frozenset[str]:
    """The guids of the sessions ``user_id`` starred in ``event_id`` (one query)."""
    return frozenset(
        db.session.scalars(
            select(AgendaStar.session_guid).where(
                AgendaStar.user_id == user_id, AgendaStar.event_id == event_id
            )
        )
    )


def feed_by_token(token: str) -> AgendaFeed | None:
    """The feed whose secret is ``token``, or None (one query).

    The lookup is by the token's hash; the final comparison is constant-time all the same.
    """
    wanted = hash_token(token)
    feed = db.session.scalar(select(AgendaFeed).where(AgendaFeed.token_hash == wanted))
    if feed is None or not hmac.compare_digest(feed.token_hash, wanted):
        return None
    return feed


def feed_owner(token: str) -> tuple[User, Event] | None:
    """The user and event of the feed whose secret is ``token``, or None (at most three
    queries: the feed, then its user and event by primary key)."""
    feed = feed_by_token(token)
    if feed is None:
        return None
    user = db.session.get(User, feed.user_id)
    event = db.session.get(Event, feed.event_id)
    return (user, event) if user is not None and event is not None else None


def has_feed(user_id: int, event_id: int) -> bool:
    """True when ``user_id`` has a feed address for ``event_id``."""
    return (
        db.session.scalar(
            select(AgendaFeed.id).where(
                AgendaFeed.user_id == user_id, AgendaFeed.event_id == event_id
            )
        )
        is not None
    )


def widget_origins(event_id: int) -> tuple[str, ...]:
    """The origins allowed to frame ``event_id``'s widget, in the order entered (one query)."""
    text = db.session.scalar(
        select(WidgetSettings.allowed_origins).where(WidgetSettings.event_id == event_id)
    )
    return tuple(line for line in (text or "").splitlines() if line)


def release_changelog(release_id: int) -> dict[str, Any]:
    """The changelog of release ``release_id`` against the one before (see
    :func:`podium.schedule.services.changelog`), ``{}`` for an unknown id."""
    return (
        db.session.scalar(select(ScheduleRelease.changelog).where(ScheduleRelease.id == release_id))
        or {}
    )
