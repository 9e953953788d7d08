"""The Podium-Signature header: what a receiver checks (no database needed)."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from podium.webhooks.signing import SignatureError, sign, signature, verify

SECRET = "whsec_test"
BODY = b'{"id":"1","type":"ping"}'


def test_header_is_timestamp_and_hmac_sha256_of_timestamp_dot_body() -> None:
    header = sign(SECRET, BODY, timestamp=1_700_000_000)
    expected = hmac.new(SECRET.encode(), b"1700000000." + BODY, hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"
    assert signature(SECRET, 1_700_000_000, BODY) == expected
    assert verify(SECRET, header, BODY, now=1_700_000_100) == 1_700_000_000


@pytest.mark.parametrize(
    ("header_secret", "body", "now", "message"),
    [
        ("other-secret", BODY, 1_700_000_000, "no signature matches"),
        (SECRET, BODY + b" ", 1_700_000_000, "no signature matches"),
        (SECRET, BODY, 1_700_000_301, "the signature is too old (a replay?)"),
    ],
)
def test_wrong_secret_changed_body_or_replay_is_refused(
    header_secret: str, body: bytes, now: int, message: str
) -> None:
    header = sign(header_secret, BODY, timestamp=1_700_000_000)
    with pytest.raises(SignatureError) as refused:
        verify(SECRET, header, body, now=now)
    assert str(refused.value) == message


@pytest.mark.parametrize("header", ["", "v1=abc", "t=x,v1=abc", "garbage"])
def test_malformed_headers_are_refused(header: str) -> None:
    with pytest.raises(SignatureError):
        verify(SECRET, header, BODY)
