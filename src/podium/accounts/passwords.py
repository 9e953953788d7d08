"""Password hashing with Argon2id (argon2-cffi), the OWASP-recommended algorithm."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

_default_hasher = PasswordHasher()
# Unit tests hash hundreds of passwords; the PASSWORD_HASH_FAST flag trades strength for speed.
_fast_hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)

MIN_PASSWORD_LENGTH = 10


def _hasher() -> PasswordHasher:
    return _fast_hasher if current_app.config.get("PASSWORD_HASH_FAST") else _default_hasher


def hash_password(password: str) -> str:
    """Return the Argon2id hash of ``password`` (a PHC string)."""
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches ``password_hash``; False for an empty or foreign hash."""
    if not password_hash:
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
