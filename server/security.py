"""Secrets: token hashing, Argon2id passwords, AES-GCM for protected fields, HMAC digests.

Tokens are random (256 bits) and stored as SHA-256 digests — a fast hash is enough for
high-entropy secrets. Passwords are low-entropy and get Argon2id. The data key lives in
``DIR/secrets/data.key``, never in the database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_hasher = PasswordHasher()
#: Verified against when a receipt code or user is unknown, so that both paths cost the same.
DUMMY_HASH = _hasher.hash("yingyan-dummy-password")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


class DataKey:
    """AES-256-GCM for protected fields and HMAC for record digests, from one master key."""

    def __init__(self, key: bytes):
        if len(key) != 32:
            raise ValueError("data key must be 32 bytes")
        self._aead = AESGCM(hashlib.sha256(b"yingyan-aead" + key).digest())
        self._mac = hashlib.sha256(b"yingyan-mac" + key).digest()

    @classmethod
    def generate(cls) -> bytes:
        return os.urandom(32)

    @classmethod
    def from_file_text(cls, text: str) -> DataKey:
        return cls(base64.b64decode(text.strip()))

    def encrypt(self, plaintext: bytes, associated: bytes = b"") -> bytes:
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(nonce, plaintext, associated)

    def decrypt(self, blob: bytes, associated: bytes = b"") -> bytes:
        return self._aead.decrypt(blob[:12], blob[12:], associated)

    def digest(self, data: bytes) -> str:
        return hmac.new(self._mac, data, hashlib.sha256).hexdigest()
