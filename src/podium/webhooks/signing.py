"""The ``Podium-Signature`` header: HMAC-SHA256 over a timestamp and the body (like Stripe's).

Header value: ``t=<unix seconds>,v1=<hex>`` where ``hex = HMAC_SHA256(secret, "<t>.<body>")``
(the body as the exact bytes received, UTF-8). A receiver recomputes it with the endpoint's
secret, compares in constant time, and rejects a timestamp older than a few minutes, so a
captured delivery cannot be replayed later. Every retry is signed afresh with its own time.
"""

from __future__ import annotations

import hashlib
import hmac
import time

HEADER = "Podium-Signature"
DEFAULT_TOLERANCE_SECONDS = 300


class SignatureError(ValueError):
    """A signature header that is malformed, wrong, or too old."""


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """Hex HMAC-SHA256 of ``b"<timestamp>." + body`` keyed with ``secret``."""
    message = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, *, timestamp: int | None = None) -> str:
    """The header value for ``body`` signed now (or at ``timestamp``, Unix seconds)."""
    when = int(time.time()) if timestamp is None else timestamp
    return f"t={when},v1={signature(secret, when, body)}"


def verify(
    secret: str,
    header: str,
    body: bytes,
    *,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
    now: int | None = None,
) -> int:
    """Check a ``Podium-Signature`` header as a receiver should; return its timestamp.

    Raises:
        SignatureError: the header is malformed, no ``v1`` matches, or the timestamp is more
            than ``tolerance`` seconds away from ``now`` (a replay).
    """
    parts: dict[str, list[str]] = {}
    for item in header.split(","):
        key, sep, value = item.strip().partition("=")
        if not sep:
            raise SignatureError("malformed signature header")
        parts.setdefault(key, []).append(value)
    try:
        timestamp = int(parts["t"][0])
    except (KeyError, ValueError):
        raise SignatureError("the signature header has no timestamp") from None
    expected = signature(secret, timestamp, body)
    if not any(hmac.compare_digest(expected, given) for given in parts.get("v1", [])):
        raise SignatureError("no signature matches")
    current = int(time.time()) if now is None else now
    if abs(current - timestamp) > tolerance:
        raise SignatureError("the signature is too old (a replay?)")
    return timestamp
