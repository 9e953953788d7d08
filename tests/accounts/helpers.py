"""Reading account mails from the outbox and following their links, as a person would."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from sqlalchemy import select

from podium.extensions import db
from podium.mail.models import OutboxMail

_LINK = re.compile(r"http://localhost(/account/[^\s]+)")


def mails_to(address: str) -> list[OutboxMail]:
    """Outbox rows addressed to ``address``, oldest first."""
    db.session.expire_all()
    rows = db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)).all()
    return [m for m in rows if address in m.recipients]


def link_path(mail: OutboxMail, prefix: str) -> str:
    """The path of the first link in the mail's text part that starts with ``prefix``."""
    for match in _LINK.finditer(mail.body_text):
        if match.group(1).startswith(prefix):
            return urlsplit("http://localhost" + match.group(1)).path
    raise AssertionError(f"no {prefix} link in mail {mail.id}:\n{mail.body_text}")
