"""The petition desk in the console, against a real server over TLS (issue 13, done-when 3 and 5).

A petition officer registers a petition at the counter (the slip is printed as a PDF with the
receipt code), accepts it, extends its handling limit and is refused the extension beyond 30
days with the reason shown, merges a second petition from a merge suggestion read side by side,
converts the first into an investigation, and reads the petitioner's identity — an audited read.
A registration made offline reaches the server exactly once. After the session, neither the
server's whole log nor anything the console wrote holds the petitioner's name, phone or ID.
"""

from __future__ import annotations

import json
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

NAME, ID_NUMBER, PHONE, ADDRESS = "欧阳秀英", "350521196502281234", "13905957788", "前进路18号"
PASSWORD = "counter-pw-7"
SECRETS = (NAME, ID_NUMBER, PHONE, ADDRESS, PASSWORD)
OFFICER = ("desk", "desk-pass-1")
CONTENT = "反映某镇国土所张某在宅基地审批中收取好处费五千元，并拖延办理三个月"


@pytest.fixture
def desk_server(tmp_path: Path) -> Iterator[Any]:
    """A real server with the centre's office, a township and a petition officer; log at debug, access log on."""
    from tests.harness import running_server

    with running_server(tmp_path, extra_args=["--log-level", "debug", "--access-log"]) as server:
        server.tokens = server.setup_basic(("T01",))
        centre = {"code": "C00", "name": "县电子监察中心", "kind": "centre"}
        assert server.call("POST", "/offices", centre).status == 201
        r = server.call("POST", "/users", {"username": OFFICER[0], "password": OFFICER[1],
                                           "role": "petition_officer", "display_name": "信访员"})
        assert r.status == 201, r.body
        yield server


@pytest.fixture
def desk(qtbot: Any, desk_server: Any, tmp_path: Path, settings_dir: Path, keyring_file: Path) -> Iterator[Any]:
    """The console signed in as the petition officer, live, with the desk's tab in front."""
    from desktop.common.api import ApiClient
    from desktop.console.session import open_session
    from desktop.console.window import ConsoleWindow
    from desktop.replica import sealed, sync

    sealed.reset()
    client = ApiClient(f"https://127.0.0.1:{desk_server.port}", str(desk_server.ca_file))
    info = client.login(*OFFICER)
    session = open_session(client, OFFICER[0], role=info["role"], replica_file=tmp_path / "desk.sqlite3", wait=2.0)
    window: Any = ConsoleWindow(session)
    qtbot.addWidget(window)
    window.resize(1600, 950)
    window.show()
    session.engine.max_backoff = 1.0
    session.engine.start()
    qtbot.waitUntil(lambda: session.engine.state == sync.LIVE, timeout=15000)
    assert window.tabs.currentWidget() is window.desk
    qtbot.waitUntil(lambda: window.desk.centre == "C00", timeout=10000)
    yield window
    window.close()
    session.shutdown(15000)


def fill_registration(dialog: Any, *, subject: str = "张某", content: str = CONTENT, anonymous: bool = False,
                      password: str = PASSWORD) -> None:
    dialog.channel.setCurrentIndex(dialog.channel.findData("visit"))
    if anonymous:
        dialog.anonymous.setChecked(True)
    else:
        dialog.name.setText(NAME)
        dialog.id_number.setText(ID_NUMBER)
        dialog.phone.setText(PHONE)
        dialog.address.setText(ADDRESS)
    dialog.subject_name.setText(subject)
    dialog.subject_unit.setText("某镇国土所")
    dialog.subject_title.setText("所长")
    dialog.category.setCurrentIndex(dialog.category.findData("land"))
    dialog.content.setPlainText(content)
    dialog.password.setText(password)


def register(qtbot: Any, desk: Any, **kw: Any) -> tuple[str, str]:
    """Register through the form; returns (petition id, receipt code)."""
    pane = desk.desk
    dialog = pane.open_registration()
    fill_registration(dialog, **kw)
    codes: list[str] = []
    dialog.registered.connect(lambda _pid, data: codes.append(str(data.get("receipt_code") or "")))
    pid = dialog.petition_id
    dialog.submit_button.click()
    assert dialog.password.text() == "", "the password leaves the field at once"
    qtbot.waitUntil(lambda: bool(codes), timeout=10000)
    return pid, codes[0]


def server_petition(server: Any, pid: str) -> dict[str, Any]:
    r = server.call("GET", f"/petitions/{pid}")
    return r.json() if r.status == 200 else {}


def wait_server(qtbot: Any, server: Any, pid: str, test: Any, timeout: int = 15000) -> dict[str, Any]:
    seen: list[dict[str, Any]] = []

    def ok() -> bool:
        p = server_petition(server, pid)
        seen[:] = [p]
        return bool(p) and bool(test(p))

    qtbot.waitUntil(ok, timeout=timeout)
    return seen[0]


def test_a_session_at_the_desk(qtbot: Any, qtmodeltester: Any, desk: Any, desk_server: Any, tmp_path: Path) -> None:
    pane = desk.desk
    view = pane.view
    # --- register at the counter: the slip is printed with the receipt code
    pid, code = register(qtbot, desk)
    assert len(code) == 16
    qtbot.waitUntil(lambda: pane.last_receipt is not None, timeout=15000)
    pdf = pane.last_receipt
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert " ".join(code[i:i + 4] for i in range(0, 16, 4)) in text
    assert "/status" in text
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", str(pdf), str(tmp_path / "receipt")], check=True)
    assert (tmp_path / "receipt.png").stat().st_size > 1000
    stored = wait_server(qtbot, desk_server, pid, lambda p: p["receipt_code"] == code)
    assert stored["office"] == "C00"
    # The list shows it, sent (no longer waiting), with its acceptance countdown.
    qtbot.waitUntil(lambda: any(p["id"] == pid and not p["pending"] for p in pane.items), timeout=15000)
    assert pane.select(pid)
    qtbot.waitUntil(lambda: view.petition is not None and view.petition.get("id") == pid, timeout=5000)
    assert code in view.header.text()
    assert "15" in view.deadlines.text() or "left" in view.deadlines.text() or "剩" in view.deadlines.text()
    assert NAME not in view.header.text(), "the identity is hidden by default"
    # --- accept, extend; the extension beyond 30 days is refused with the reason
    view.accept()
    wait_server(qtbot, desk_server, pid, lambda p: p["status"] == "accepted")
    view.extend(20)
    wait_server(qtbot, desk_server, pid, lambda p: p["deadlines"]["extension_days"] == 20)
    view.extend(15)
    qtbot.waitUntil(lambda: view.refusal.isVisible(), timeout=5000)
    assert "延期累计不得超过 30 日" in view.refusal.text()
    assert "最多还可延期 10 日" in view.refusal.text(), "the whole reason, in Chinese"
    # --- a second petition about the same complaint: merged from the suggestion
    other, other_code = register(qtbot, desk, content=CONTENT.replace("五千元", "5000元").replace("三个月", "3个月"))
    wait_server(qtbot, desk_server, other, lambda p: p["receipt_code"] == other_code)
    qtbot.waitUntil(lambda: pane.select(other), timeout=15000)
    qtbot.waitUntil(lambda: bool(view.suggestions) and view.suggestions[0]["petition_id"] == pid, timeout=15000)
    qtmodeltester.check(view.suggestion_model)
    qtbot.waitUntil(lambda: view.merge_button.isEnabled(), timeout=5000)
    assert "5000元" in view.left.toPlainText()
    assert "五千元" in view.right.toPlainText()
    assert "background-color:#7a4a00" in view.left.toHtml().replace(" ", "") or "#7a4a00" in view.left.toHtml()
    view.merge_button.click()
    wait_server(qtbot, desk_server, other, lambda p: p["merged_into"] == pid)
    assert other in server_petition(desk_server, pid)["duplicates"]
    # --- convert the first into an investigation
    assert pane.select(pid)
    qtbot.waitUntil(lambda: view.petition_id == pid and other_code in view.deadlines.text(), timeout=15000)
    view.convert("张某收取好处费问题")
    converted = wait_server(qtbot, desk_server, pid, lambda p: p["investigations"])
    investigation = converted["investigations"][0]
    r = desk_server.call("GET", f"/investigations/{investigation}")
    assert r.status == 200, r.body
    assert r.json()["title"] == "张某收取好处费问题"
    # --- reply and close; a blank or oversized reply is refused whole, nothing sent
    view.reply("x" * 20_000)
    qtbot.waitUntil(lambda: view.refusal.isVisible() and "text" in view.refusal.text(), timeout=5000)
    view.reply("经核查，反映的收取好处费问题属实，已转立案调查。")
    wait_server(qtbot, desk_server, pid, lambda p: p["status"] == "replied")
    qtbot.waitUntil(lambda: view.buttons["close"].isEnabled(), timeout=10000)
    view.close_petition("已答复信访人", substantiated=True)
    closed = wait_server(qtbot, desk_server, pid, lambda p: p["status"] == "closed")
    assert closed["events"][-1]["substantiated"] is True
    qtbot.waitUntil(lambda: not any(b.isEnabled() for k, b in view.buttons.items() if k != "identity"),
                    timeout=10000)
    # --- the identity: asked, audited
    view.ask_identity()
    qtbot.waitUntil(lambda: view.identity_question is not None and view.identity_question.isVisible(), timeout=5000)
    assert "审计" in view.identity_question.text() or "audit" in view.identity_question.text()
    view.identity_question.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: view.identity_box is not None and view.identity_box.isVisible(), timeout=10000)
    assert NAME in view.identity_box.text()
    assert PHONE in view.identity_box.text()
    audit = desk_server.call("GET", f"/audit?entity=petition&id={pid}").json()
    entries = audit.get("entries") or audit.get("items") or []
    assert any(e["action"] == "petition.identity_viewed" and e["actor"] == OFFICER[0] for e in entries), audit
    view.identity_box.close()
    for model in (pane.model, view.events):
        qtmodeltester.check(model)
    # --- the other exports this console makes: the statistics, as PDF and as a workbook
    desk.show_stats()
    qtbot.waitUntil(lambda: desk.stats.stats is not None, timeout=20000)
    exports: list[Path] = []
    (tmp_path / "exports").mkdir()
    for kind in ("pdf", "xlsx"):
        desk.stats.export(tmp_path / "exports" / f"statistics.{kind}", kind, on_done=exports.append)
    qtbot.waitUntil(lambda: len(exports) == 2, timeout=20000)
    # --- done-when 5: nothing the session left behind names the petitioner
    leaks = identity_leaks(desk_server, pane, exports)
    assert leaks == [], leaks


def identity_leaks(server: Any, pane: Any, exports: list[Path]) -> list[str]:
    """Where the petitioner's name, ID, phone, address or password appear: the server's whole log,
    every receipt slip and export the console wrote (text and bytes), and the replica file."""
    found = []
    log = server.log_path.read_text(errors="replace")
    assert "POST /api/v1/mutations" in log, "the access log is on"
    assert "GET /api/v1/petitions/" in log, "the identity was read: its request is in the log, its answer not"
    places: list[tuple[str, str]] = [("the server log", log)]
    for pdf in [*sorted(pane.receipt_folder.glob("*.pdf")), *(p for p in exports if p.suffix == ".pdf")]:
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        places.append((f"{pdf.name} (text)", text))
        places.append((f"{pdf.name} (bytes)", pdf.read_bytes().decode("latin-1")))
    for book in (p for p in exports if p.suffix == ".xlsx"):
        with zipfile.ZipFile(book) as z:
            places += [(f"{book.name}/{n}", z.read(n).decode("utf-8", errors="replace")) for n in z.namelist()]
    replica = pane.session.replica.path
    for f in sorted(replica.parent.glob(replica.name + "*")):
        places.append((f.name, f.read_bytes().decode("utf-8", errors="replace")))
    for where, text in places:
        for secret in SECRETS:
            if secret in text or json.dumps(secret).strip('"') in text:
                found.append(f"{secret!r} in {where}")
    return found


def test_a_registration_made_offline_reaches_the_server_once(qtbot: Any, desk: Any, desk_server: Any) -> None:
    from desktop.common.api import Unreachable
    from desktop.replica import sync

    pane = desk.desk
    desk.act_offline.setChecked(True)
    assert desk.session.engine.state == sync.OFFLINE
    pid, code = register(qtbot, desk, subject="李某", content="反映村委会李某挪用扶贫款")
    # Shown at once, waiting; the identity and the password are not in the replica file in clear.
    qtbot.waitUntil(lambda: any(p["id"] == pid and p["pending"] for p in pane.items), timeout=10000)
    replica = desk.session.replica.path
    raw = b"".join(f.read_bytes() for f in replica.parent.glob(replica.name + "*"))
    for secret in SECRETS:
        assert secret.encode() not in raw, secret
    assert server_petition(desk_server, pid) == {}
    # The outbox pane lists it by its receipt code, readable, without what is sealed.
    desk.conflicts.reload()
    qtbot.waitUntil(lambda: len(desk.conflicts.model.records()) == 1, timeout=5000)
    shown = [desk.conflicts.model.data(desk.conflicts.model.index(0, c)) for c in range(3)]
    assert code in shown[0]
    assert "登记" in shown[2]
    # Back online, the first answer is lost on the way (the server applied it): the console
    # sends the same mutation again, and the server does not register the petition twice.
    client = desk.session.client
    real = client.mutations
    lost: list[int] = []

    def answer_lost(batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
        results = real(batch)
        if not lost:
            lost.append(len(batch))
            raise Unreachable("the answer was lost")
        return results

    client.mutations = answer_lost
    desk.act_offline.setChecked(False)
    wait_server(qtbot, desk_server, pid, lambda p: p["receipt_code"] == code)
    qtbot.waitUntil(lambda: any(p["id"] == pid and not p["pending"] for p in pane.items), timeout=20000)
    assert lost == [1], "the first answer was lost, and the mutation sent again"
    listed = desk_server.call("GET", f"/petitions?q={code}").json()["petitions"]
    assert [p["id"] for p in listed] == [pid]
    conn = desk.session.replica.connect(readonly=True)
    try:
        counts = dict(conn.execute(
            "SELECT state, COUNT(*) FROM outbox WHERE entity = 'petition' GROUP BY state").fetchall())
    finally:
        conn.close()
    assert counts == {"applied": 1}


def test_a_refused_registration_keeps_what_was_typed(qtbot: Any, desk: Any) -> None:
    pane = desk.desk
    dialog = pane.open_registration()
    fill_registration(dialog, subject="", content="x" * 5)
    dialog.submit_button.click()
    qtbot.waitUntil(lambda: dialog.refusal.isVisible(), timeout=5000)
    assert "subject" in dialog.refusal.text()
    assert dialog.isVisible()
    assert dialog.name.text() == NAME, "nothing typed is lost"
    assert dialog.password.text() == "", "the password is typed again, never kept"
    # Oversized content (a pasted file): refused with the field named, kept as typed, nothing cut.
    dialog.subject_name.setText("张某")
    dialog.content.setPlainText("反映" * 60_000)
    dialog.password.setText(PASSWORD)
    dialog.refusal.hide()
    dialog.submit_button.click()
    qtbot.waitUntil(lambda: dialog.refusal.isVisible(), timeout=5000)
    assert "content" in dialog.refusal.text()
    assert len(dialog.content.toPlainText()) == 120_000
    assert pane.session.replica.pending_mutations() == []
    dialog.reject()


def test_other_roles_have_no_desk(qtbot: Any, console: Any) -> None:
    assert console.desk is None
    assert all(console.tabs.tabText(i) not in ("信访台", "Petition desk") for i in range(console.tabs.count()))



def test_not_accepted_with_its_reason_assigned_elsewhere_refused(qtbot: Any, desk: Any, desk_server: Any) -> None:
    pane, view = desk.desk, desk.desk.view
    pid, _code = register(qtbot, desk, subject="钱某", content="反映邻居钱某占用公共通道", anonymous=True,
                          password="anon-pass-9")
    qtbot.waitUntil(lambda: pane.select(pid), timeout=15000)
    qtbot.waitUntil(lambda: view.petition is not None and view.petition.get("id") == pid, timeout=5000)
    assert not view.buttons["assign"].isEnabled(), "nothing to assign before acceptance"
    view.assign("城关镇政府")
    qtbot.waitUntil(lambda: view.refusal.isVisible(), timeout=5000)
    assert "请先受理" in view.refusal.text()
    view.not_accept("   ")
    qtbot.waitUntil(lambda: "reason" in view.refusal.text(), timeout=5000)
    view.not_accept("不属于纪检监察机关受理范围，已告知向所在社区反映")
    done = wait_server(qtbot, desk_server, pid, lambda p: p["status"] == "not_accepted")
    assert done["events"][0]["text"].startswith("不属于纪检监察机关受理范围")
    assert done["petitioner"] is None, "anonymous: nobody to protect"


def test_without_a_centre_office_the_form_says_what_is_missing(qtbot: Any, desk: Any) -> None:
    pane = desk.desk
    pane.centre = None
    dialog = pane.open_registration()
    fill_registration(dialog)
    dialog.submit_button.click()
    assert dialog.refusal.isVisible()
    assert "中心" in dialog.refusal.text()
    assert dialog.password.text() == PASSWORD, "nothing was sent: the petitioner need not type it again"
    dialog.reject()


def test_the_outbox_pane_reads_a_petition_conflict_in_words(qapp: Any) -> None:
    """Accepted offline while another officer accepted it: the pane says the petition's state in
    words, and why applying mine again would be refused, whole."""
    from desktop.console.conflicts import compare_html, retry_refusal

    pid = "0b0e6c8e-0000-4000-8000-000000000001"
    current = {"id": pid, "office": "C00", "channel": "visit", "received_at": "2026-04-13T09:00:00+08:00",
               "anonymous": True, "petitioner": None, "subject": {"name": "赵某"}, "category": "fees",
               "content": "反映收费", "receipt_code": None, "status": "accepted", "merged_into": None,
               "duplicates": [], "investigations": [], "attachments": [], "version": 2,
               "events": [{"id": "e1", "type": "accepted", "at": "2026-04-13T10:00:00+08:00", "actor": "desk2",
                           "days": None, "text": None}]}
    m = {"id": "m1", "entity": "petition", "entity_id": pid, "action": "accept", "state": "conflict", "data": {},
         "base_version": 1, "current": current, "result": {"status": "conflict"}}
    html = compare_html(m)
    assert "severity" not in html.lower()
    assert "严重" not in html
    why = retry_refusal(m)
    assert why is not None
    assert "已作出是否受理的决定" in why
