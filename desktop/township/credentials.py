"""The office token lives in the OS keyring (Windows Credential Manager, macOS Keychain, Secret Service).

Never in a file written by us, never on a command line (where other users see it in the
process list): ``login`` reads it from standard input or a hidden prompt. Without a usable
keyring the agent says so and stops; it does not fall back to a file.
"""

from __future__ import annotations

import keyring
import keyring.errors

SERVICE = "yingyan-sync"


class NoKeyring(Exception):
    """There is no usable OS keyring on this machine."""


def _user(server: str, office: str) -> str:
    return f"{office}@{server.rstrip('/')}"


def store_token(server: str, office: str, token: str) -> None:
    try:
        keyring.set_password(SERVICE, _user(server, office), token)
    except keyring.errors.KeyringError as exc:
        raise NoKeyring(f"cannot store the token in the OS keyring ({exc}); on Linux start a Secret Service "
                        "(e.g. gnome-keyring) for this user") from None


def load_token(server: str, office: str) -> str | None:
    try:
        return keyring.get_password(SERVICE, _user(server, office))
    except keyring.errors.KeyringError as exc:
        raise NoKeyring(f"cannot read the OS keyring ({exc})") from None


def delete_token(server: str, office: str) -> bool:
    try:
        keyring.delete_password(SERVICE, _user(server, office))
    except keyring.errors.PasswordDeleteError:
        return False
    except keyring.errors.KeyringError as exc:
        raise NoKeyring(f"cannot change the OS keyring ({exc})") from None
    return True
