"""One signed-in console session: API client, replica, background tasks and sync engine together.

``app.run`` builds one after sign-in; tests build one against the real test server and drive
the same window a user would.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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

    def shutdown(self, wait_ms: int = 5000) -> None:
        """Stop syncing and let workers finish (a long-poll is abandoned, not awaited)."""
        self.engine.stop()
        self.tasks.discard_pending()
        self.client.close()
        self.tasks.wait_idle(wait_ms)


def open_session(client: ApiClient, username: str, *, role: str = "", tasks: BackgroundTasks | None = None,
                 replica_file: Path | None = None, wait: float = 25.0, parent: QObject | None = None) -> Session:
    tasks = tasks or BackgroundTasks(parent)
    replica = Replica(replica_file or replica_path(client.server_url, username))
    engine = SyncEngine(replica, client, tasks, wait=wait, parent=parent)
    return Session(client=client, replica=replica, tasks=tasks, engine=engine, username=username, role=role)
