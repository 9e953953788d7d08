"""Signed, expiring, single-use tokens for e-mail links (confirmation, password reset).

A token is an itsdangerous ``URLSafeTimedSerializer`` payload signed with ``SECRET_KEY`` and a
per-purpose salt, so a reset token never confirms an address and vice versa. It carries the
user id, optional data (the address being confirmed) and a *fingerprint*: a hash of the account
state the link is about to change (e-mail and its confirmation time; password hash, security
stamp and e-mail). Using the link changes that state, so the fingerprint no longer matches and
the same link is refused the second time without storing anything.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from podium.accounts.models import User
from podium.extensions import db


class TokenPurpose(StrEnum):
    """What a token may be used for; each purpose has its own salt and lifetime setting."""

    CONFIRM_EMAIL = "confirm-email"
    RESET_PASSWORD = "reset-password"  # noqa: S105  a salt name, not a password


# Lifetimes in seconds; overridable in app.config under these keys (tests shorten them).
DEFAULT_MAX_AGE_SECONDS = {
    TokenPurpose.CONFIRM_EMAIL: 3 * 24 * 3600,
    TokenPurpose.RESET_PASSWORD: 3600,
}
MAX_AGE_CONFIG_KEYS = {
    TokenPurpose.CONFIRM_EMAIL: "CONFIRM_TOKEN_MAX_AGE_SECONDS",
    TokenPurpose.RESET_PASSWORD: "RESET_TOKEN_MAX_AGE_SECONDS",
}


class TokenError(Exception):
    """A link cannot be used; ``str(error)`` tells the person why, in one sentence."""


class TokenExpired(TokenError):
    """The link is authentic but older than its lifetime."""


class TokenInvalid(TokenError):
    """The link is forged, damaged, for another purpose, or was already used."""


@dataclass(frozen=True)
class TokenData:
    """A verified token: the user it belongs to and the data it carried (e.g. ``email``)."""

    user: User
    data: dict[str, Any]


def _fingerprint(user: User, purpose: TokenPurpose) -> str:
    if purpose is TokenPurpose.CONFIRM_EMAIL:
        confirmed = user.email_confirmed_at.isoformat() if user.email_confirmed_at else ""
        state = f"{user.email}|{confirmed}"
    else:
        # The address too: a reset link mailed to an old address must die when it changes.
        state = f"{user.password_hash}|{user.security_stamp}|{user.email}"
    # Keyed so the fingerprint reveals nothing about the password hash to a token holder.
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, state.encode(), hashlib.sha256).hexdigest()[:32]


def _serializer(purpose: TokenPurpose) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"podium.{purpose}")


def max_age_seconds(purpose: TokenPurpose) -> int:
    """How long a ``purpose`` token stays valid, in seconds (config key or default)."""
    return int(
        current_app.config.get(MAX_AGE_CONFIG_KEYS[purpose], DEFAULT_MAX_AGE_SECONDS[purpose])
    )


class _ClockedSerializer(URLSafeTimedSerializer):
    """A serializer whose signer stamps a given instant instead of the current time."""

    def __init__(self, secret_key: str, salt: str, issued_at: datetime) -> None:
        timestamp = int(issued_at.timestamp())

        class _Signer(self.default_signer):  # type: ignore[name-defined,misc]
            def get_timestamp(self) -> int:
                return timestamp

        super().__init__(secret_key, salt=salt, signer=_Signer)


def issue_token(
    *,
    user: User,
    purpose: TokenPurpose,
    data: dict[str, Any] | None = None,
    issued_at: datetime | None = None,
) -> str:
    """Return a URL-safe token for ``user`` and ``purpose`` carrying ``data``.

    Args:
        issued_at: aware instant to stamp instead of now (tests use it to make expired links).
    """
    payload = {"uid": user.id, "fp": _fingerprint(user, purpose), "data": data or {}}
    if issued_at is None:
        return _serializer(purpose).dumps(payload)
    salt = f"podium.{purpose}"
    return _ClockedSerializer(current_app.config["SECRET_KEY"], salt, issued_at).dumps(payload)


def verify_token(*, token: str, purpose: TokenPurpose) -> TokenData:
    """Check ``token`` and return its user and data.

    Raises:
        TokenExpired: the signature is good but the link is older than its lifetime.
        TokenInvalid: bad signature, other purpose, unknown user, or already used.
    """
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age_seconds(purpose))
    except SignatureExpired:
        raise TokenExpired(_("This link has expired; ask for a new one.")) from None
    except BadSignature:
        raise TokenInvalid(_("This link is not valid; check that you copied all of it.")) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("uid"), int):
        raise TokenInvalid(_("This link is not valid; check that you copied all of it."))
    user = db.session.get(User, payload["uid"])
    if user is None or not user.is_active:
        raise TokenInvalid(_("This link is not valid any more."))
    if not hmac.compare_digest(str(payload.get("fp", "")), _fingerprint(user, purpose)):
        raise TokenInvalid(_("This link has already been used or was replaced by a newer one."))
    data = payload.get("data")
    return TokenData(user=user, data=data if isinstance(data, dict) else {})
