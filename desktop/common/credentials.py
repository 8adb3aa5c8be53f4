"""Sign-in tokens in the OS keyring (Windows Credential Manager, Secret Service, Keychain).

Tokens are never written to a file by the console (spec 05). The keyring entry is named by
service ``yingyan-console`` and ``<server URL>|<user name>``, so one workstation can sign in
to a county and a city server. Tests select a file-backed mock of the OS keyring through
``PYTHON_KEYRING_BACKEND``; the code here does not know the difference.
"""

from __future__ import annotations

import contextlib
import logging

import keyring
import keyring.errors

SERVICE = "yingyan-console"
log = logging.getLogger(__name__)


def _key(server_url: str, username: str) -> str:
    return f"{server_url.rstrip('/').lower()}|{username}"


def load_token(server_url: str, username: str) -> str | None:
    try:
        return keyring.get_password(SERVICE, _key(server_url, username))
    except keyring.errors.KeyringError as exc:
        # No usable keyring (e.g. a headless session): the user signs in each time.
        log.warning("keyring unavailable: %s", exc)
        return None


def save_token(server_url: str, username: str, token: str) -> bool:
    try:
        keyring.set_password(SERVICE, _key(server_url, username), token)
    except keyring.errors.KeyringError as exc:
        log.warning("keyring unavailable, the token is kept for this session only: %s", exc)
        return False
    return True


def forget_token(server_url: str, username: str) -> None:
    # Nothing stored, or no keyring: either way there is nothing to forget.
    with contextlib.suppress(keyring.errors.KeyringError):
        keyring.delete_password(SERVICE, _key(server_url, username))
