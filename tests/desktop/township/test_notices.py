"""A township reads the supervision notices addressed to it (``yingyan sync notices``) and
answers one from its own register (the ``duban_huifu`` mapping), through the agent, to a
real server: the notice is replied, by that office, and no other office's notice is shown."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from tests.desktop.township.conftest import SyncEnv
from tests.harness import ServerProcess


def _issue(server: ServerProcess, office: str, subject: str) -> str:
    nid = str(uuid.uuid4())
    r = server.call("POST", "/mutations", {"mutations": [{
        "id": str(uuid.uuid4()), "entity": "notice", "entity_id": nid, "action": "issue",
        "data": {"office": office, "subject": subject, "body": "请书面回复", "reply_days": 3}}]})
    assert r.status == 200
    assert r.json()["results"][0]["status"] == "applied", r.body
    return nid


def test_list_and_answer_the_notices_of_this_office(logged_in: tuple[SyncEnv, ServerProcess, str],
                                                    tmp_path: Path) -> None:
    env, server, office = logged_in
    other = f"X{uuid.uuid4().hex[:5]}"
    assert server.call("POST", "/offices", {"code": other, "name": "另一个镇", "kind": "township"}).status == 201
    mine = _issue(server, office, "关于窗口纪律的督办通知")
    _issue(server, other, "不是本镇的通知")

    listed = env.run("notices", "--json")
    assert listed.returncode == 0, listed.stdout + listed.stderr
    notices = json.loads(listed.stdout)
    assert [(n["id"], n["status"]) for n in notices] == [(mine, "awaiting")]
    text = env.run("notices", "--awaiting")
    assert mine in text.stdout
    assert "1 notices" in text.stdout

    # A reply written a little before the server's (simulated) now.
    now = datetime.fromisoformat(server.call("GET", "/admin/clock").json()["now"]) - timedelta(minutes=30)
    export = tmp_path / "督办回复_导出.csv"
    export.write_text("通知编号,回复时间,回复内容\r\n"
                      f"{mine},{now:%Y-%m-%d %H:%M},已按要求整改并书面报告\r\n", encoding="gbk")
    pushed = env.run("push", str(export), "--mapping", "duban_huifu")
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr
    shown = server.call("GET", f"/notices/{mine}").json()
    assert (shown["status"], shown["reply"], shown["replied_by"]) == ("replied", "已按要求整改并书面报告", office)
    assert json.loads(env.run("notices", "--json", "--awaiting").stdout) == []
