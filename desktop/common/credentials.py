"""Sign-in tokens in the OS keyring (Windows Credential Manager, Secret Service, Keychain).

Tokens are never written to a file by the console (spec 05). One definition of the keyring
entries, used by everything that signs in or reads a sign-in (the console's sign-in dialog,
its start-up, ``yingyan wall --server``):

* service ``yingyan-console``;
* the token under ``<server>|<user name>``, so one workstation can sign in to a county and a
  city server, as different people;
* the user name last signed in to a server under ``<server>|`` (no user is called ""), so a
  program that knows only the server (the standalone video wall) finds the console's token.

``<server>`` is the server URL in one spelling: lower case, without a trailing ``/`` or the
``/api/v1`` suffix. Tests select a file-backed mock of the OS keyring through
``PYTHON_KEYRING_BACKEND``; the code here does not know the difference.
"""

from __future__ import annotations

import contextlib
import logging

import keyring
import keyring.errors

SERVICE = "yingyan-console"
API_SUFFIX = "/api/v1"
log = logging.getLogger(__name__)


def server_key(server_url: str) -> str:
    """The server part of the entry names: ``HTTPS://Host:8443/api/v1/`` → ``https://host:8443``."""
    url = server_url.strip().rstrip("/").lower()
    if url.endswith(API_SUFFIX):
        url = url[: -len(API_SUFFIX)].rstrip("/")
    return url


def token_entry(server_url: str, username: str) -> str:
    """The keyring user-name field under which ``username``'s token for this server is kept."""
    return f"{server_key(server_url)}|{username}"


def last_user_entry(server_url: str) -> str:
    """The keyring user-name field holding who signed in to this server last."""
    return token_entry(server_url, "")


def load_token(server_url: str, username: str) -> str | None:
    if not username:
        return None
    try:
        return keyring.get_password(SERVICE, token_entry(server_url, username))
    except keyring.errors.KeyringError as exc:
        # No usable keyring (e.g. a headless session): the user signs in each time.
        log.warning("keyring unavailable: %s", exc)
        return None


def save_token(server_url: str, username: str, token: str) -> bool:
    """Keep ``username``'s token and remember them as the last user of this server."""
    try:
        keyring.set_password(SERVICE, token_entry(server_url, username), token)
        keyring.set_password(SERVICE, last_user_entry(server_url), username)
    except keyring.errors.KeyringError as exc:
        log.warning("keyring unavailable, the token is kept for this session only: %s", exc)
        return False
    return True


def forget_token(server_url: str, username: str) -> None:
    # Nothing stored, or no keyring: either way there is nothing to forget.
    with contextlib.suppress(keyring.errors.KeyringError):
        keyring.delete_password(SERVICE, token_entry(server_url, username))


def last_user(server_url: str) -> str | None:
    """Who signed in to this server last on this OS account (None if nobody, or no keyring)."""
    try:
        return keyring.get_password(SERVICE, last_user_entry(server_url)) or None
    except keyring.errors.KeyringError as exc:
        log.warning("keyring unavailable: %s", exc)
        return None


def find_token(server_url: str, username: str | None = None) -> tuple[str, str] | None:
    """(user name, token) of ``username``, or of the last user signed in to this server."""
    user = username or last_user(server_url)
    if not user:
        return None
    token = load_token(server_url, user)
    return (user, token) if token else None
