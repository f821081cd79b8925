"""Callers' phone numbers: normalised, encrypted (AES-GCM), hashed for lookup (HMAC), masked for display.

Both keys are derived from `settings.auth.secret_key` with HKDF under distinct labels, so the hash key
never doubles as the encryption key. The ciphertext is bound to its tenant (associated data): a value
copied into another tenant's row does not decrypt. The hash is over the number alone, so the same
caller is found again in the tenant (repeat callers) without decrypting anything.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import uuid
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from hotline.kernel.settings import get_settings

VERSION = b"\x01"
NONCE_BYTES = 12
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{9,11}$")  # area code + number, e.g. 02584123456
LOCAL_RE = re.compile(r"^[2-9]\d{6,7}$")  # a local number without its area code


def _derive(secret: str, label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"lianxin-hotline", info=label).derive(secret.encode())


@lru_cache(maxsize=4)
def _keys(secret: str) -> tuple[AESGCM, bytes]:
    return AESGCM(_derive(secret, b"pii-encryption-v1")), _derive(secret, b"pii-lookup-hash-v1")


def normalise(raw: str) -> str | None:
    """Digits only, without +86/0086 or separators; None when it is not a plausible number."""
    digits = re.sub(r"[\s\-()（）]", "", raw.strip())
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix):]
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if MOBILE_RE.match(digits) or LANDLINE_RE.match(digits) or LOCAL_RE.match(digits):
        return digits
    return None


def encrypt(tenant_id: uuid.UUID, phone: str) -> bytes:
    aead, _ = _keys(get_settings().auth.secret_key)
    nonce = os.urandom(NONCE_BYTES)
    return VERSION + nonce + aead.encrypt(nonce, phone.encode(), tenant_id.bytes)


def decrypt(tenant_id: uuid.UUID, blob: bytes) -> str:
    aead, _ = _keys(get_settings().auth.secret_key)
    if blob[:1] != VERSION:
        raise ValueError("unknown ciphertext version")
    nonce, body = blob[1:1 + NONCE_BYTES], blob[1 + NONCE_BYTES:]
    return aead.decrypt(nonce, body, tenant_id.bytes).decode()


def lookup_hash(phone: str) -> str:
    _, key = _keys(get_settings().auth.secret_key)
    return hmac.new(key, phone.encode(), hashlib.sha256).hexdigest()


def mask(phone: str) -> str:
    """138****5678 for a mobile; the first three and last four digits of anything long enough."""
    if len(phone) >= 8:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    return "*" * (len(phone) - 2) + phone[-2:]
