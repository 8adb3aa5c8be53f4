"""Secrets an offline action must carry until the server has it, sealed in the replica file.

A registration made at the desk while the server cannot be reached carries the petitioner's
identity and the query password the petitioner chose; the outbox must keep them until the
replay, but the replica file never holds them in clear. They are sealed (AES-GCM) with a key
kept in the OS keyring (as the sign-in tokens are, ``desktop.common.credentials``), opened only
in memory to check, show or send the action, and forgotten (``scrub``) once the server answered.
Without a usable keyring the key lives in this process only: what waits is then readable by no
one after the console quits, and the desk is told so when it queues (``durable``).
"""

from __future__ import annotations

import base64
import json
import logging
import os
import threading
from collections.abc import Iterable, Mapping
from typing import Any

import keyring
import keyring.errors
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

log = logging.getLogger(__name__)

SERVICE = "yingyan-console"
#: the keyring entry of the sealing key (one per OS account: the replica files are too)
ENTRY = "replica-seal-key"
PREFIX = "sealed:v1:"
#: what a sealed value becomes once the server has it
FORGOTTEN = "[sent]"

_lock = threading.Lock()
_key: bytes | None = None
#: whether the key is in the OS keyring (sealed values survive a restart)
durable = False


def _the_key() -> bytes:
    global _key, durable
    with _lock:
        if _key is None:
            try:
                stored = keyring.get_password(SERVICE, ENTRY)
                if stored is None:
                    stored = base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()
                    keyring.set_password(SERVICE, ENTRY, stored)
                _key = base64.b64decode(stored)
                durable = True
            except (keyring.errors.KeyringError, ValueError) as exc:
                log.warning("no usable keyring: secrets of offline actions last only while the console runs (%s)", exc)
                _key = AESGCM.generate_key(bit_length=256)
                durable = False
        return _key


def reset() -> None:
    """Forget the key in memory (tests switch keyrings between cases)."""
    global _key
    with _lock:
        _key = None


def is_sealed(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def seal_value(value: Any) -> str:
    if is_sealed(value):
        return str(value)
    nonce = os.urandom(12)
    blob = AESGCM(_the_key()).encrypt(nonce, json.dumps(value, ensure_ascii=False).encode(), b"outbox")
    return PREFIX + base64.b64encode(nonce + blob).decode()


def open_value(value: Any) -> Any:
    if not is_sealed(value):
        return value
    raw = base64.b64decode(str(value)[len(PREFIX):])
    return json.loads(AESGCM(_the_key()).decrypt(raw[:12], raw[12:], b"outbox"))


class Sealer:
    """Seals the named fields of an action's data (the others stay readable in the outbox pane)."""

    def __init__(self, fields: Iterable[str]) -> None:
        self.fields = frozenset(fields)

    def seal(self, data: Mapping[str, Any]) -> dict[str, Any]:
        return {k: seal_value(v) if k in self.fields and v is not None else v for k, v in data.items()}

    def open(self, data: Mapping[str, Any]) -> dict[str, Any]:
        return {k: open_value(v) if k in self.fields else v for k, v in data.items()}

    def scrub(self, data: Mapping[str, Any]) -> dict[str, Any]:
        return {k: FORGOTTEN if k in self.fields and v is not None else v for k, v in data.items()}
