"""Every change to stars, feeds and widget settings. Keyword-only arguments; no ``request``.

Callers check permissions (see :mod:`podium.agenda.permissions`) and that a guid names a
session of the published program; these functions check shapes and keep the rows consistent.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from podium.accounts.models import User
from podium.agenda.models import GUID_MAX_LENGTH, AgendaFeed, AgendaStar, WidgetSettings
from podium.events.models import Event
from podium.extensions import db

MAX_STARS_PER_EVENT = 1000  # FOSDEM has ~1000 sessions; more stars than that is no agenda
MAX_ORIGINS = 20
FEED_TOKEN_BYTES = 32  # 256 random bits: not guessable, and not derived from the user id
_HOST = re.compile(
    r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)


class AgendaError(ValueError):
    """Bad input; ``field`` names the form field it concerns, ``str()`` says what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def star_session(*, user: User, event: Event, guid: str) -> bool:
    """Star the session ``guid`` for ``user``; True if it was not starred before.

    Raises:
        AgendaError: ``guid`` is empty or too long, or the user has ``MAX_STARS_PER_EVENT``.
    """
    _check_guid(guid)
    if _count(user, event) >= MAX_STARS_PER_EVENT:
        raise AgendaError(
            "star", _("An agenda holds at most %(n)s sessions.", n=MAX_STARS_PER_EVENT)
        )
    db.session.add(AgendaStar(user_id=user.id, event_id=event.id, session_guid=guid))
    try:
        db.session.commit()
    except IntegrityError:  # already starred (perhaps by a double click on another worker)
        db.session.rollback()
        return False
    return True


def unstar_session(*, user: User, event: Event, guid: str) -> bool:
    """Remove ``user``'s star on ``guid``; True if there was one."""
    result = db.session.execute(
        delete(AgendaStar).where(
            AgendaStar.user_id == user.id,
            AgendaStar.event_id == event.id,
            AgendaStar.session_guid == guid,
        )
    )
    db.session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def merge_stars(*, user: User, event: Event, guids: Iterable[str]) -> set[str]:
    """Add the stars a browser kept (before its user logged in) to the stored ones.

    Blank, over-long and repeated guids are ignored, as is anything beyond
    ``MAX_STARS_PER_EVENT`` in all. Returns every guid ``user`` has starred in ``event`` now.
    """
    have = set(
        db.session.scalars(
            select(AgendaStar.session_guid).where(
                AgendaStar.user_id == user.id, AgendaStar.event_id == event.id
            )
        )
    )
    for guid in guids:
        if len(have) >= MAX_STARS_PER_EVENT:
            break
        if guid and len(guid) <= GUID_MAX_LENGTH and guid not in have:
            have.add(guid)
            db.session.add(AgendaStar(user_id=user.id, event_id=event.id, session_guid=guid))
    try:
        db.session.commit()
    except IntegrityError:  # a concurrent star of the same session: retry once, it is there now
        db.session.rollback()
        return merge_stars(user=user, event=event, guids=guids)
    return have


def regenerate_feed(*, user: User, event: Event) -> str:
    """Give ``user`` a new secret feed token for ``event``, revoking any earlier one.

    Returns the token (URL-safe text); only its hash is stored, so this is the one time it
    can be shown.
    """
    token = secrets.token_urlsafe(FEED_TOKEN_BYTES)
    db.session.execute(
        delete(AgendaFeed).where(AgendaFeed.user_id == user.id, AgendaFeed.event_id == event.id)
    )
    db.session.add(AgendaFeed(user_id=user.id, event_id=event.id, token_hash=hash_token(token)))
    db.session.commit()
    return token


def revoke_feed(*, user: User, event: Event) -> bool:
    """Delete ``user``'s feed for ``event``; True if there was one."""
    result = db.session.execute(
        delete(AgendaFeed).where(AgendaFeed.user_id == user.id, AgendaFeed.event_id == event.id)
    )
    db.session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def hash_token(token: str) -> str:
    """The stored form of a feed token: SHA-256, hex (64 characters)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def set_widget_origins(*, event: Event, text: str) -> list[str]:
    """Store the origins (one per line in ``text``) allowed to frame ``event``'s widget.

    Returns the normalised origins (``scheme://host[:port]``, lower case, de-duplicated).

    Raises:
        AgendaError: on field ``origins``, naming the first line that is not an origin.
    """
    origins = parse_origins(text)
    settings = db.session.get(WidgetSettings, event.id)
    if settings is None:
        settings = WidgetSettings(event_id=event.id)
        db.session.add(settings)
    settings.allowed_origins = "\n".join(origins)
    db.session.commit()
    return origins


def parse_origins(text: str) -> list[str]:
    """Origins from ``text``, one per line (blank lines ignored), normalised.

    Only ``http``/``https`` with a host name or IPv4 address and an optional port; no path, query,
    user name or wildcard: each one is written into a ``frame-ancestors`` directive as is.

    Raises:
        AgendaError: on field ``origins``, quoting the offending line.
    """
    origins: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        origin = _origin(line)
        if origin is None:
            raise AgendaError(
                "origins",
                _(
                    "%(line)s is not a web origin; write it like https://www.example.org "
                    "(scheme, host and optional port, nothing else).",
                    line=repr(line[:80]),
                ),
            )
        if origin not in origins:
            origins.append(origin)
    if len(origins) > MAX_ORIGINS:
        raise AgendaError(
            "origins", _("At most %(n)s origins may embed the widget.", n=MAX_ORIGINS)
        )
    return origins


def _origin(line: str) -> str | None:
    try:
        parts = urlsplit(line)
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if (
        parts.scheme.lower() not in ("http", "https")
        or parts.username is not None
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or not _HOST.match(host)
    ):
        return None
    return f"{parts.scheme.lower()}://{host}" + (f":{port}" if port is not None else "")


def _check_guid(guid: str) -> None:
    if not guid or len(guid) > GUID_MAX_LENGTH:
        raise AgendaError("star", _("No such session in the published schedule."))


def _count(user: User, event: Event) -> int:
    return (
        db.session.scalar(
            select(func.count()).where(
                AgendaStar.user_id == user.id, AgendaStar.event_id == event.id
            )
        )
        or 0
    )
