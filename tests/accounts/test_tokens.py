"""Signed e-mail link tokens: expiry, single use, purpose separation, tampering."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from podium.accounts.passwords import hash_password
from podium.accounts.tokens import (
    TokenExpired,
    TokenInvalid,
    TokenPurpose,
    issue_token,
    verify_token,
)
from podium.db import utcnow
from podium.extensions import db
from tests.support.factories import UserFactory


def test_token_round_trip_returns_user_and_data(app: Flask) -> None:
    user = UserFactory(email_confirmed_at=None)
    token = issue_token(user=user, purpose=TokenPurpose.CONFIRM_EMAIL, data={"email": user.email})
    verified = verify_token(token=token, purpose=TokenPurpose.CONFIRM_EMAIL)
    assert verified.user.id == user.id
    assert verified.data == {"email": user.email}


def test_token_older_than_lifetime_is_expired(app: Flask) -> None:
    user = UserFactory()
    token = issue_token(
        user=user,
        purpose=TokenPurpose.RESET_PASSWORD,
        issued_at=utcnow() - timedelta(hours=1, seconds=5),
    )
    with pytest.raises(TokenExpired, match=r"This link has expired; ask for a new one\."):
        verify_token(token=token, purpose=TokenPurpose.RESET_PASSWORD)


def test_token_just_inside_lifetime_is_accepted(app: Flask) -> None:
    user = UserFactory()
    token = issue_token(
        user=user,
        purpose=TokenPurpose.RESET_PASSWORD,
        issued_at=utcnow() - timedelta(minutes=59),
    )
    assert verify_token(token=token, purpose=TokenPurpose.RESET_PASSWORD).user.id == user.id


def test_reset_token_is_void_once_password_changed(app: Flask) -> None:
    user = UserFactory()
    token = issue_token(user=user, purpose=TokenPurpose.RESET_PASSWORD)
    user.password_hash = hash_password("another long password")
    db.session.commit()
    with pytest.raises(TokenInvalid, match="already been used"):
        verify_token(token=token, purpose=TokenPurpose.RESET_PASSWORD)


def test_confirm_token_is_void_once_address_confirmed(app: Flask) -> None:
    user = UserFactory(email_confirmed_at=None)
    token = issue_token(user=user, purpose=TokenPurpose.CONFIRM_EMAIL, data={"email": user.email})
    user.email_confirmed_at = utcnow()
    db.session.commit()
    with pytest.raises(TokenInvalid, match="already been used"):
        verify_token(token=token, purpose=TokenPurpose.CONFIRM_EMAIL)


def test_token_for_another_purpose_is_refused(app: Flask) -> None:
    user = UserFactory()
    token = issue_token(user=user, purpose=TokenPurpose.CONFIRM_EMAIL)
    with pytest.raises(TokenInvalid, match="not valid"):
        verify_token(token=token, purpose=TokenPurpose.RESET_PASSWORD)


def test_tampered_token_is_refused(app: Flask) -> None:
    user = UserFactory()
    token = issue_token(user=user, purpose=TokenPurpose.RESET_PASSWORD)
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    with pytest.raises(TokenInvalid, match="check that you copied all of it"):
        verify_token(token=forged, purpose=TokenPurpose.RESET_PASSWORD)


def test_token_of_deactivated_user_is_refused(app: Flask) -> None:
    user = UserFactory()
    token = issue_token(user=user, purpose=TokenPurpose.RESET_PASSWORD)
    user.is_active_account = False
    db.session.commit()
    with pytest.raises(TokenInvalid, match="not valid any more"):
        verify_token(token=token, purpose=TokenPurpose.RESET_PASSWORD)


def test_token_signed_with_another_secret_is_refused(app: Flask) -> None:
    user = UserFactory()
    token = issue_token(user=user, purpose=TokenPurpose.RESET_PASSWORD)
    app.config["SECRET_KEY"] = "a-different-secret-key-0123456789"
    with pytest.raises(TokenInvalid):
        verify_token(token=token, purpose=TokenPurpose.RESET_PASSWORD)
