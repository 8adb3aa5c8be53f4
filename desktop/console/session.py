"""One signed-in console session: API client, replica, background tasks and sync engine together.

``app.run`` builds one after sign-in; tests build one against the real test server and drive
the same window a user would. When the server refuses the token later (expired, revoked) the
session stays open — replica, outbox and window — and ``signed_in_again`` carries on with a
new token.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject

from desktop.common.api import ApiClient
from desktop.common.paths import replica_path
from desktop.common.tasks import BackgroundTasks
from desktop.replica.store import Replica
from desktop.replica.sync import SyncEngine


@dataclass
class Session:
    client: ApiClient
    replica: Replica
    tasks: BackgroundTasks
    engine: SyncEngine
    username: str
    role: str = ""

    @property
    def signed_out(self) -> bool:
        """The server refused the token: the operator works on the replica until signing in again."""
        return self.engine.signed_out

    def signed_in_again(self, info: dict[str, Any]) -> None:
        """A new token for the same user (``info`` is the login answer): sync on where it stopped.

        The replica and the outbox stay as they are; the change feed goes on from the stored
        cursor and queued actions are replayed (by mutation id, so each reaches the server once).
        """
        user = str(info.get("username") or self.username)
        if user != self.username:
            raise ValueError(f"signed in as {user!r}, but this session is {self.username!r}'s")
        self.client.token = str(info["token"])
        self.role = str(info.get("role") or self.role)
        replica, user, role = self.replica, self.username, self.role
        self.tasks.run(lambda: replica.set_actor(user, role), label="actor", local=True)
        self.engine.resume()

    def shutdown(self, wait_ms: int = 5000) -> None:
        """Stop syncing and let workers finish (a long-poll is abandoned, not awaited)."""
        self.engine.stop()
        self.tasks.discard_pending()
        self.client.close()
        self.tasks.wait_idle(wait_ms)
        self.replica.close()


def open_session(client: ApiClient, username: str, *, role: str = "", tasks: BackgroundTasks | None = None,
                 replica_file: Path | None = None, wait: float = 25.0, parent: QObject | None = None) -> Session:
    tasks = tasks or BackgroundTasks(parent)
    replica = Replica(replica_file or replica_path(client.server_url, username))
    if role:
        # Offline actions are checked as this person's (an opinion is a requested reviewer's).
        replica.set_actor(username, role)
    # Built on the UI thread: from here on every read of the replica goes through the workers.
    replica.forbid_reads_on(threading.current_thread())
    engine = SyncEngine(replica, client, tasks, wait=wait, parent=parent)
    return Session(client=client, replica=replica, tasks=tasks, engine=engine, username=username, role=role)
