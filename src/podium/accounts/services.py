"""Account state changes: sign-up, confirmation, login, password reset, profile, password.

Every function takes keyword-only arguments and commits its own transaction. None of them
reveals through its outcome whether an address has an account unless the caller already
proved they own it (a valid token or the right password).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from podium.accounts import emails
from podium.accounts.models import User
from podium.accounts.passwords import hash_password, verify_password
from podium.accounts.tokens import TokenInvalid, TokenPurpose, verify_token
from podium.db import utcnow
from podium.extensions import db
from podium.i18n.locales import normalise_language
from podium.mail.services import render_mail


class AccountError(Exception):
    """A request about an account cannot be done; ``field`` names the form field, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class LoginRefused(AccountError):
    """Wrong address or password, or an inactive account (deliberately indistinguishable)."""


class EmailNotConfirmed(AccountError):
    """The password was right but the address is not confirmed yet; a new link was queued."""


def normalize_email(address: str) -> str:
    """Return ``address`` validated and lower-cased.

    Raises:
        AccountError: naming the field ``email`` when it is not an e-mail address.
    """
    try:
        return validate_email(address.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise AccountError(str(exc), field="email") from None


def find_user_by_email(address: str) -> User | None:
    """The user whose (lower-cased) address is ``address``, or ``None``."""
    return db.session.scalar(select(User).where(func.lower(User.email) == address.lower()))


def new_security_stamp() -> str:
    """A fresh random stamp; assigning it logs out every session and voids reset links."""
    return secrets.token_hex(16)


def sign_up(*, email: str, name: str, password: str, language: str | None = None) -> None:
    """Create an unconfirmed account and queue its confirmation link.

    ``language`` (a code of :data:`podium.i18n.locales.LANGUAGES`, the page the form was
    shown in) becomes the account's language, as pretalx does: its mails, the confirmation
    first, are written in the language the person signed up in, and the account page can
    change it. An existing account keeps its own.

    If the address already has a usable account, nothing changes and its owner gets a mail
    saying so; the caller answers identically in both cases. An address known only from an
    invitation (no password yet) is claimed: it gets the password but must be confirmed first.

    Raises:
        AccountError: the address is malformed (field ``email``).
    """
    address = normalize_email(email)
    # Hash before looking the address up, so both answers take the same hashing time.
    password_hash = hash_password(password)
    user = find_user_by_email(address)
    if user is not None and user.password_hash:
        emails.queue_account_exists(user=user)
        db.session.commit()
        return
    if user is None:
        user = User(email=address)
        db.session.add(user)
    user.name = name.strip()
    user.password_hash = password_hash
    if language is not None and user.language is None:
        user.language = language
    # Claiming an invited address must prove ownership again, even if it was confirmed.
    user.email_confirmed_at = None
    user.security_stamp = new_security_stamp()
    db.session.flush()
    emails.queue_confirmation(user=user, email=address)
    db.session.commit()


def confirm_email(*, token: str) -> User:
    """Confirm the address carried by a confirmation ``token`` and make it the user's address.

    Returns:
        The user, now with ``email_confirmed_at`` set (UTC).

    Raises:
        TokenExpired, TokenInvalid: the link is too old, forged or already used.
        AccountError: the address meanwhile belongs to another account.
    """
    verified = verify_token(token=token, purpose=TokenPurpose.CONFIRM_EMAIL)
    user, address = verified.user, str(verified.data.get("email", ""))
    if not address:
        raise TokenInvalid(_("This link is not valid; check that you copied all of it."))
    other = find_user_by_email(address)
    if other is not None and other.id != user.id:
        raise AccountError(_("%(address)s now belongs to another account.", address=address))
    previous = user.email if user.email_confirmed_at is not None else None
    user.email = address
    user.email_confirmed_at = utcnow()
    if previous and previous != address:
        # The old address learns of the change, so a hijacked session cannot move it silently.
        emails.queue_email_changed(user=user, old_email=previous)
    db.session.commit()
    return user


def check_confirmation_token(*, token: str) -> str:
    """Return the address a still-usable confirmation ``token`` would confirm (for its page).

    Raises:
        TokenExpired, TokenInvalid: as :func:`podium.accounts.tokens.verify_token`.
    """
    return str(verify_token(token=token, purpose=TokenPurpose.CONFIRM_EMAIL).data.get("email", ""))


def log_in(*, email: str, password: str) -> User:
    """Check credentials and record the login; the caller then starts a fresh session.

    Returns:
        The user, with ``last_login_at`` set to now (UTC).

    Raises:
        LoginRefused: unknown address, wrong password or inactive account (same message).
        EmailNotConfirmed: right password, unconfirmed address; a new link has been queued.
    """
    refused = LoginRefused(_("E-mail address or password is wrong."))
    try:
        address = normalize_email(email)
    except AccountError:
        raise refused from None
    user = find_user_by_email(address)
    if user is None:
        # Spend the same hashing time as for a real account, so timing does not tell.
        verify_password(_dummy_hash(), password)
        raise refused
    if not verify_password(user.password_hash, password) or not user.is_active:
        raise refused
    if user.email_confirmed_at is None:
        emails.queue_confirmation(user=user, email=user.email)
        db.session.commit()
        raise EmailNotConfirmed(
            _("Please confirm your e-mail address first: we have sent you a new link.")
        )
    user.last_login_at = utcnow()
    db.session.commit()
    return user


_DUMMY_HASHES: dict[bool, str] = {}


def log_out_everywhere(*, user: User) -> None:
    """Invalidate every session of ``user``, including copies of the cookie.

    Sessions live only in the signed cookie, so ending one on the server means changing the
    security stamp every session carries; this ends the user's sessions on all devices.
    """
    user.security_stamp = new_security_stamp()
    db.session.commit()


def _dummy_hash() -> str:
    fast = bool(current_app.config.get("PASSWORD_HASH_FAST"))
    if fast not in _DUMMY_HASHES:
        _DUMMY_HASHES[fast] = hash_password(secrets.token_hex(16))
    return _DUMMY_HASHES[fast]


def request_password_reset(*, email: str) -> None:
    """Queue a reset link if ``email`` has an active account; otherwise do equivalent work.

    The caller shows the same page either way, and the call lasts at least
    ``RESET_MIN_SECONDS`` (default 0.1 s) either way, so neither the answer nor its timing
    reveals which addresses have accounts. A malformed address is treated like an unknown one.
    """
    started = time.monotonic()
    try:
        address = normalize_email(email)
    except AccountError:
        address = ""
    user = find_user_by_email(address) if address else None
    if user is None or not user.is_active:
        render_mail("password_reset", {"name": "", "url": "", "valid_hours": 1})
    else:
        emails.queue_password_reset(user=user)
        db.session.commit()
    # Queueing a mail writes to the database and the other path does not; answering no sooner
    # than a fixed floor hides that difference from someone timing the responses.
    floor = float(current_app.config.get("RESET_MIN_SECONDS", 0.1))
    remaining = floor - (time.monotonic() - started)
    if remaining > 0:
        time.sleep(remaining)


def check_reset_token(*, token: str) -> User:
    """Return the user of a still-usable reset ``token`` (to show the form).

    Raises:
        TokenExpired, TokenInvalid: as :func:`podium.accounts.tokens.verify_token`.
    """
    return verify_token(token=token, purpose=TokenPurpose.RESET_PASSWORD).user


def reset_password(*, token: str, password: str) -> User:
    """Set a new password through a reset ``token``; the link and all sessions stop working.

    A reset proves the person reads the address, so it also confirms it.

    Raises:
        TokenExpired, TokenInvalid: the link is too old, forged or already used.
    """
    user = verify_token(token=token, purpose=TokenPurpose.RESET_PASSWORD).user
    _set_password(user, password)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    emails.queue_password_changed(user=user)
    db.session.commit()
    return user


def _set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.security_stamp = new_security_stamp()


@dataclass(frozen=True)
class ProfileUpdate:
    """What :func:`update_profile` did: ``pending_email`` is the address awaiting confirmation."""

    pending_email: str | None


# ``language`` argument of update_profile when the caller does not change the language.
KEEP_LANGUAGE = "keep"


def update_profile(
    *, user: User, name: str, email: str, language: str | None = KEEP_LANGUAGE
) -> ProfileUpdate:
    """Change the display name (and the language, when given) at once; a new address only
    after it is confirmed.

    ``language`` is one of :data:`podium.i18n.locales.LANGUAGES` or None (no preference: the
    browser's language, else the event's default); the default keeps the stored one.

    The confirmation link goes to the new address; nothing is sent when it already belongs to
    another account, but the answer is the same so the form does not reveal that.

    Raises:
        AccountError: the new address is malformed (field ``email``).
    """
    address = normalize_email(email)
    user.name = name.strip()
    if language != KEEP_LANGUAGE:
        user.language = normalise_language(language)
    pending = None
    if address != user.email:
        pending = address
        if find_user_by_email(address) is None:
            emails.queue_confirmation(user=user, email=address)
    db.session.commit()
    return ProfileUpdate(pending_email=pending)


def change_password(*, user: User, current_password: str, new_password: str) -> User:
    """Replace ``user``'s password after checking the current one; other sessions end.

    Returns:
        The user with a new security stamp: the caller logs the current session in again.

    Raises:
        AccountError: the current password is wrong (field ``current_password``).
    """
    if not verify_password(user.password_hash, current_password):
        raise AccountError(_("This is not your current password."), field="current_password")
    _set_password(user, new_password)
    emails.queue_password_changed(user=user)
    db.session.commit()
    return user
