"""Password hashing (argon2) and session tokens.

A token is `<tenant id hex>.<secret>`; only the SHA-256 of the secret is stored. The tenant part lets
the lookup carry `tenant_id` like every other query.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verified against when the login does not exist, so both paths cost the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_token(tenant_id: uuid.UUID) -> tuple[str, str]:
    """Return (token for the client, hash to store)."""
    secret = secrets.token_urlsafe(32)
    return f"{tenant_id.hex}.{secret}", token_hash(secret)


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def split_token(token: str) -> tuple[uuid.UUID, str] | None:
    """(tenant id, secret hash) of a well-formed token, else None."""
    tenant_hex, _, secret = token.partition(".")
    try:
        return uuid.UUID(hex=tenant_hex), token_hash(secret)
    except ValueError:
        return None
