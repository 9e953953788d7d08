"""A cap on how many mails one address receives per hour, whoever triggers them.

Sign-up, address changes, password resets and invitations all mail an address someone typed
in; without a cap, a stranger's inbox can be flooded through any of them (each is also rate
limited per client address, which many clients defeat). The count lives in the database, so
every worker and replica shares it, and it is taken inside the caller's transaction: a
rolled-back change does not use up a mail.

Addresses are counted in a canonical form (:func:`canonical_address`), so spelling variants
that reach the same mailbox share one count.
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import datetime

from flask import current_app
from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from podium.db import utcnow
from podium.extensions import db
from podium.mail.models import MailRecipientCount

CAP_SETTING = "MAIL_PER_RECIPIENT_PER_HOUR"

# Providers that ignore dots in the local part and know two domain names for one mailbox.
_DOTLESS_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def _visible(text: str) -> str:
    # Format characters (zero-width space/joiners, soft hyphen, BOM, bidi marks) and spaces
    # change the string but not where a mail goes.
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf" and not ch.isspace())


def _ascii_domain(domain: str) -> str:
    labels = [label for label in domain.split(".") if label]
    try:
        # "bücher.example" and "xn--bcher-kva.example" are one domain.
        return ".".join(label.encode("idna").decode("ascii") for label in labels)
    except UnicodeError:
        return ".".join(labels)


def canonical_address(address: str) -> str:
    """The form of ``address`` that spelling variants of one mailbox share, for counting.

    Applies Unicode NFKC (full-width ``\uff45`` → ``e``, ``\uff20`` → ``@``) and case folding, drops
    spaces and invisible format characters, unquotes a quoted local part, drops a ``+tag``
    sub-address and trailing dots of the domain, writes the domain in IDNA ASCII, and for
    Gmail drops dots in the local part. Not for sending: only to compare addresses.

    >>> canonical_address(" Some.One+x@GoogleMail.com. ")
    'someone@gmail.com'
    """
    text = _visible(unicodedata.normalize("NFKC", address).casefold())
    local, at, domain = text.rpartition("@")
    if not at:
        return text
    if len(local) >= 2 and local.startswith('"') and local.endswith('"'):
        local = local[1:-1]
    local = local.split("+", 1)[0]
    domain = _ascii_domain(domain)
    if domain in _DOTLESS_DOMAINS:
        domain = _DOTLESS_DOMAINS[domain]
        local = local.replace(".", "")
    return f"{local}@{domain}"


def _address_hash(address: str) -> str:
    return hashlib.sha256(canonical_address(address).encode()).hexdigest()


def _insert_for_dialect():  # type: ignore[no-untyped-def]
    name = db.session.get_bind().dialect.name
    return postgresql_insert if name == "postgresql" else sqlite_insert


def take_mail_allowance(address: str, *, now: datetime | None = None) -> bool:
    """Count one mail to ``address`` in the current UTC clock hour; say if it may go out.

    The count is raised atomically (an upsert), so concurrent requests on any number of
    processes never both get the last allowance. Uses the caller's transaction (no commit).

    Args:
        address: the recipient as it will be sent to.
        now: aware UTC instant (tests); default now.

    Returns:
        True while this address got at most ``MAIL_PER_RECIPIENT_PER_HOUR`` mails (this one
        included) in this hour; False once that is exceeded.
    """
    hour = int((now or utcnow()).timestamp() // 3600)
    digest = _address_hash(address)
    table = MailRecipientCount.__table__
    statement = (
        _insert_for_dialect()(table)
        .values(address_hash=digest, hour=hour, count=1)
        .on_conflict_do_update(
            index_elements=[table.c.address_hash, table.c.hour],
            set_={"count": table.c.count + 1},
        )
        .returning(table.c.count)
    )
    count = db.session.execute(statement).scalar_one()
    if count == 1:
        # The address's first mail this hour: forget its past hours. Only its own rows, which
        # the upsert above has serialised; deleting other addresses' rows here could deadlock
        # with concurrent requests. So the table holds one row per address ever mailed, as the
        # outbox holds one per mail.
        db.session.execute(
            delete(MailRecipientCount).where(
                MailRecipientCount.address_hash == digest, MailRecipientCount.hour < hour
            )
        )
    return count <= int(current_app.config[CAP_SETTING])
