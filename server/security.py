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
import threading
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_hasher = PasswordHasher()
#: Verified against when a user is unknown, so that both paths cost the same.
DUMMY_HASH = _hasher.hash("yingyan-dummy-password")
#: A petition's query password: Argon2id at OWASP's recommended minimum (19 MiB, 2 passes, one
#: lane), ~25 ms on one core. Offices send up to ``MAX_BATCH_QUERY_PASSWORDS`` per batch, which the
#: default parameters (64 MiB, 3 passes, 4 lanes: ~300 ms here) would turn into minutes of CPU.
_query_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
#: Verified against when a receipt code is unknown: the same cost as a real query password.
DUMMY_QUERY_HASH = _query_hasher.hash("yingyan-dummy-password")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def hash_query_password(password: str) -> str:
    return _query_hasher.hash(password)


def verify_password(stored_hash: str | None, password: str, *, dummy: str = DUMMY_HASH) -> bool:
    """Whether ``password`` matches; an unknown account (None) verifies ``dummy`` to cost the same."""
    try:
        return _hasher.verify(stored_hash or dummy, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


class HashPool:
    """Argon2id hashing off the request thread and outside every transaction, at most ``workers``
    at a time for the whole process (argon2 releases the GIL while it works).

    One core is left to the rest of the server on a small machine: a batch of petitions then
    slows nobody's heartbeat or login, it only takes its own time.
    """

    def __init__(self, workers: int | None = None):
        self.workers = workers or max(1, (os.cpu_count() or 2) - 1)
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def hash_query_passwords(self, passwords: list[str]) -> list[str]:
        if not passwords:
            return []
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="argon2")
            pool = self._pool
        return list(pool.map(hash_query_password, passwords))

    def shutdown(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


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
