"""The office token lives in the OS keyring (Windows Credential Manager, macOS Keychain, Secret Service).

Never in a file written by us, never on a command line (where other users see it in the
process list): ``login`` reads it from standard input or a hidden prompt. Without a usable
keyring the agent says so and stops; it does not fall back to a file.
"""

from __future__ import annotations

import os
import sys

import keyring
import keyring.backends.fail
import keyring.errors

SERVICE = "yingyan-sync"
DOC = "docs/sync-agent.md, section 'Linux without a desktop'"


class NoKeyring(Exception):
    """There is no usable OS keyring on this machine."""


def _secret_service_problem() -> str | None:
    """Why the Secret Service backend cannot be used (its own check), or None if it can."""
    try:
        from keyring.backends import SecretService

        SecretService.Keyring.priority  # noqa: B018 - the property raises with the reason
    except Exception as exc:  # any failure of the check is the reason to show
        return str(exc) or exc.__class__.__name__
    return None


NO_DBUS, NO_SECRET_SERVICE, NO_BACKEND = "no-dbus", "no-secret-service", "no-backend"


def keyring_problem() -> str | None:
    """Why there is no usable OS keyring (``NO_DBUS``, ``NO_SECRET_SERVICE``, ``NO_BACKEND``), or None.

    On Linux the keyring is a Secret Service (gnome-keyring, KeePassXC) on the user's D-Bus
    session bus: a desktop login has both, an SSH session or a system service has neither.
    The keyring library's own message then recommends a plain-text file backend, which this
    agent must never use, so the cause and the fix are worded here (and in the window).
    """
    if not isinstance(keyring.get_keyring(), keyring.backends.fail.Keyring):
        return None
    if not sys.platform.startswith("linux"):
        return NO_BACKEND
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return NO_DBUS
    return NO_SECRET_SERVICE


def missing_keyring() -> str | None:
    """What to tell the user on the command line when there is no usable OS keyring."""
    problem = keyring_problem()
    if problem is None:
        return None
    if problem == NO_BACKEND:
        return (f"no OS keyring is available to keep the office token ({sys.platform}); the token is never "
                "written to a file")
    if problem == NO_DBUS:
        return ("no OS keyring to keep the office token in: this session has no D-Bus session bus, so no "
                "Secret Service (gnome-keyring, KeePassXC) can answer — as in an SSH session or a system "
                "service. On a desktop, run the command in a terminal of the graphical login. Without a "
                "desktop, run it inside a D-Bus session with gnome-keyring unlocked: "
                "dbus-run-session -- sh -c 'printf %s \"$KEYRING_PASSWORD\" | gnome-keyring-daemon --unlock "
                f"--components=secrets >/dev/null && yingyan sync login …' (see {DOC}). "
                "The token is never written to a file.")
    reason = _secret_service_problem() or "no Secret Service backend"
    return ("no OS keyring to keep the office token in: there is a D-Bus session, but no Secret Service is "
            f"running in it ({reason}). Start one for this user — gnome-keyring-daemon --start --components=secrets "
            f"(unlocked), or KeePassXC with its Secret Service integration on — and try again (see {DOC}). "
            "The token is never written to a file.")


def check_keyring() -> None:
    """Raise ``NoKeyring`` with what to do when the token could not be kept."""
    problem = missing_keyring()
    if problem:
        raise NoKeyring(problem)


def _user(server: str, office: str) -> str:
    return f"{office}@{server.rstrip('/')}"


def store_token(server: str, office: str, token: str) -> None:
    try:
        keyring.set_password(SERVICE, _user(server, office), token)
    except keyring.errors.KeyringError as exc:
        check_keyring()
        raise NoKeyring(f"cannot store the token in the OS keyring ({exc}); is it locked? On Linux unlock the "
                        f"Secret Service (gnome-keyring) of this user (see {DOC})") from None


def load_token(server: str, office: str) -> str | None:
    try:
        return keyring.get_password(SERVICE, _user(server, office))
    except keyring.errors.KeyringError as exc:
        check_keyring()
        raise NoKeyring(f"cannot read the OS keyring ({exc}); is it locked? (see {DOC})") from None


def delete_token(server: str, office: str) -> bool:
    try:
        keyring.delete_password(SERVICE, _user(server, office))
    except keyring.errors.PasswordDeleteError:
        return False
    except keyring.errors.KeyringError as exc:
        check_keyring()
        raise NoKeyring(f"cannot change the OS keyring ({exc})") from None
    return True
