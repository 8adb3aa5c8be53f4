"""What an operator does in a running console, and what the server then says: shared by the console's tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from desktop.console.wall_model import COL
from tests.harness import event


def red_batch(case_no: str) -> list[dict[str, Any]]:
    """A case decided without completing its procedure nodes: SKIPPED_NODE (red), raised on arrival."""
    return [
        event(case_no, "received", "2026-02-26T09:00:00+08:00"),
        event(case_no, "accepted", "2026-02-26T09:10:00+08:00"),
        event(case_no, "decided", "2026-03-02T07:00:00+08:00", result="approved"),
    ]


def server_alert(server: Any, alert_id: int) -> dict[str, Any]:
    r = server.call("GET", f"/alerts/{alert_id}")
    assert r.status == 200, r.body
    data: dict[str, Any] = r.json()
    return data


def history(server: Any, alert_id: int) -> list[str]:
    """The actions the server recorded on an alert, oldest first."""
    return [h["action"] for h in server_alert(server, alert_id)["history"]]


def press(qtbot: Any, window: Any, alert_id: int, key: Qt.Key) -> None:
    """Select the alert on the wall and press a triage key there."""
    assert window.wall.select_alert(alert_id)
    window.wall.table.setFocus()
    qtbot.keyClick(window.wall.table, key)


def status(window: Any, alert_id: int) -> str:
    """The wall's status cell for the alert, or "" when it is not on the wall."""
    row = window.wall.model.row_of(alert_id)
    return "" if row is None else window.wall.model.index(row, COL["status"]).data()


def settled(qtbot: Any, model: Any, timeout: int = 10_000) -> None:
    """Wait until the wall has read everything asked of it (its reads run in the background)."""
    qtbot.waitUntil(lambda: not model.busy, timeout=timeout)


def look(replica: Any, query: Any, *args: Any) -> Any:
    """Read the replica as a test does: one of ``desktop.replica.queries`` on a connection of its own.

    (The console's own reads go through its workers; ``Replica.read`` refuses the UI thread.)
    """
    conn = replica.connect(readonly=True)
    try:
        return query(conn, *args)
    finally:
        conn.close()


def console_as(qtbot: Any, live_server: Any, tmp_path: Path, user: tuple[str, str], role: str,
                display: str) -> Any:
    """A console window signed in as a new user of ``role``, live."""
    from desktop.common.api import ApiClient
    from desktop.console.session import open_session
    from desktop.console.window import ConsoleWindow
    from desktop.replica import sync

    r = live_server.call("POST", "/users", {"username": user[0], "password": user[1], "role": role,
                                            "display_name": display})
    assert r.status == 201, r.body
    client = ApiClient(f"https://127.0.0.1:{live_server.port}", str(live_server.ca_file))
    info = client.login(*user)
    session = open_session(client, user[0], role=info["role"], replica_file=tmp_path / f"{user[0]}.sqlite3",
                           wait=2.0)
    window = ConsoleWindow(session)
    qtbot.addWidget(window)
    window.resize(1600, 900)
    window.show()
    session.engine.start()
    qtbot.waitUntil(lambda: session.engine.state == sync.LIVE, timeout=15000)
    return window
