"""The mails the accounts feature sends; each is queued in the outbox, never sent inline.

Templates live in ``accounts/templates/mail/``. Contexts hold only JSON values (they are
stored with the outbox row). Each mail is written in the account's saved language (English
when it has none).
"""

from __future__ import annotations

from podium.accounts.models import User
from podium.accounts.tokens import TokenPurpose, issue_token, max_age_seconds
from podium.mail.models import OutboxMail
from podium.mail.services import external_url, queue_mail


def _hours(purpose: TokenPurpose) -> int:
    return max(1, max_age_seconds(purpose) // 3600)


def queue_confirmation(*, user: User, email: str, commit: bool = False) -> OutboxMail:
    """Queue the link that confirms ``email`` for ``user`` (a new account or a changed address)."""
    token = issue_token(user=user, purpose=TokenPurpose.CONFIRM_EMAIL, data={"email": email})
    is_change = user.email_confirmed_at is not None and email != user.email
    return queue_mail(
        to=[email],
        template="email_change" if is_change else "confirm_email",
        context={
            "name": user.name,
            "email": email,
            "url": external_url("accounts.confirm", token=token),
            "valid_hours": _hours(TokenPurpose.CONFIRM_EMAIL),
        },
        commit=commit,
        language=user.language,
    )


def queue_password_reset(*, user: User, commit: bool = False) -> OutboxMail:
    """Queue a password reset link for ``user``."""
    token = issue_token(user=user, purpose=TokenPurpose.RESET_PASSWORD)
    return queue_mail(
        to=[user.email],
        template="password_reset",
        context={
            "name": user.name,
            "url": external_url("accounts.reset_password", token=token),
            "valid_hours": _hours(TokenPurpose.RESET_PASSWORD),
        },
        commit=commit,
        language=user.language,
    )


def queue_account_exists(*, user: User, commit: bool = False) -> OutboxMail:
    """Tell the owner of ``user.email`` that someone tried to sign up with it again.

    Sign-up answers the same whether or not the address has an account; this mail is how the
    real owner learns what to do (log in, or reset the password).
    """
    return queue_mail(
        to=[user.email],
        template="account_exists",
        context={
            "name": user.name,
            "login_url": external_url("accounts.login"),
            "reset_url": external_url("accounts.reset_request"),
        },
        commit=commit,
        language=user.language,
    )


def queue_password_changed(*, user: User, commit: bool = False) -> OutboxMail:
    """Warn ``user`` that their password changed, so an intruder's change does not go unseen."""
    return queue_mail(
        to=[user.email],
        template="password_changed",
        context={"name": user.name, "reset_url": external_url("accounts.reset_request")},
        commit=commit,
        language=user.language,
    )


def queue_email_changed(*, user: User, old_email: str, commit: bool = False) -> OutboxMail:
    """Tell ``old_email`` that the account now uses ``user.email``."""
    return queue_mail(
        to=[old_email],
        template="email_changed",
        context={
            "name": user.name,
            "new_email": user.email,
            "reset_url": external_url("accounts.reset_request"),
        },
        commit=commit,
        language=user.language,
    )
