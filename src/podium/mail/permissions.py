"""Who may read the outbox: site administrators only (mails hold links that log people in)."""

from __future__ import annotations

from podium.accounts.permissions import is_site_admin, require_admin

__all__ = ["can_read_outbox", "require_outbox_reader"]


def can_read_outbox(user: object) -> bool:
    """True for site administrators."""
    return is_site_admin(user)  # type: ignore[arg-type]


def require_outbox_reader() -> None:
    """Send anonymous visitors to log in; abort 403 for everyone but administrators."""
    require_admin()
