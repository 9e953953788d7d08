"""API tokens: creating, revoking and recognising them (all token state changes live here).

A token is ``pdm_<prefix>_<secret>``: ``prefix`` is 12 hex digits that find the row, ``secret``
is ``secrets.token_urlsafe(32)``. Only the SHA-256 of the whole token is stored and compared in
constant time, so the token itself is shown once, when it is created, and never again.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import or_, select, update

from podium.accounts.models import User
from podium.api.enums import TokenScope
from podium.api.models import ApiToken
from podium.db import utcnow
from podium.events.models import Event
from podium.extensions import db

TOKEN_PREFIX = "pdm_"  # noqa: S105  a fixed marker that makes leaked tokens greppable, not a secret
MAX_NAME_LENGTH = 100
# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)
_TOKEN = re.compile(r"pdm_([0-9a-f]{12})_([A-Za-z0-9_-]{20,100})\Z", re.ASCII)


class TokenError(ValueError):
    """A token that cannot be created as asked; ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def hash_token(token: str) -> str:
    """SHA-256 (hex) of the whole token text, as stored in ``ApiToken.secret_hash``."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(
    *, event: Event, name: str, scopes: Iterable[str], actor: User | None
) -> tuple[ApiToken, str]:
    """Create a token of ``event`` with ``scopes`` and commit.

    Returns:
        ``(row, token)``: the token text is returned only here; it is not stored.

    Raises:
        TokenError: empty or too long ``name`` (field ``name``), no scope or an unknown one
            (field ``scopes``).
    """
    name = name.strip()
    if not name:
        raise TokenError("Give the token a name, such as the program that will use it.", "name")
    if len(name) > MAX_NAME_LENGTH:
        raise TokenError(f"The name is longer than {MAX_NAME_LENGTH} characters.", "name")
    chosen = sorted(set(scopes))
    unknown = [s for s in chosen if s not in set(TokenScope)]
    if unknown or not chosen:
        raise TokenError("Choose at least one of the listed scopes.", "scopes")
    prefix = secrets.token_hex(6)
    token = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiToken(
        event_id=event.id,
        name=name,
        prefix=prefix,
        secret_hash=hash_token(token),
        scopes=chosen,
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(row)
    db.session.commit()
    return row, token


def revoke_token(*, event: Event, token_id: int) -> bool:
    """Revoke ``event``'s token ``token_id`` (commits); False if unknown or already revoked."""
    revoked = db.session.execute(
        update(ApiToken)
        .where(
            ApiToken.id == token_id, ApiToken.event_id == event.id, ApiToken.revoked_at.is_(None)
        )
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return bool(revoked)


def find_token(text: str) -> ApiToken | None:
    """The live (not revoked) token row ``text`` names, or None (one query at most).

    The stored hash is compared in constant time, so response times say nothing about how
    much of a guessed secret was right.
    """
    match = _TOKEN.match(text)
    if match is None:
        return None
    row = db.session.scalar(
        select(ApiToken).where(ApiToken.prefix == match.group(1), ApiToken.revoked_at.is_(None))
    )
    if row is None or not hmac.compare_digest(row.secret_hash, hash_token(text)):
        return None
    return row


def note_token_use(*, token: ApiToken) -> None:
    """Set ``last_used_at`` to now (UTC) unless it was set less than a minute ago.

    A conditional UPDATE, committed at once, so concurrent requests write it at most once per
    minute and a busy client does not turn every read into a write.
    """
    now = utcnow()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    db.session.execute(
        update(ApiToken)
        .where(
            ApiToken.id == token.id,
            or_(
                ApiToken.last_used_at.is_(None),
                ApiToken.last_used_at <= now - LAST_USED_RESOLUTION,
            ),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
