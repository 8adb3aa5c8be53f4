"""The console's administration pane against a real server (issue 16, done-when 3 and 5).

An administrator adds a user through the dialog and that user signs in; issues an office
token; imports a catalogue through the dry-run table (twenty problems, nothing imported; the
fixed file imports); changes a setting and sees it in the audit view. On the simulated clock,
a case counting into 2027 shows a provisional due and the holiday notice until 2027 is loaded
through the calendar tab. Every model passes ``qtmodeltester``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.admin_data import ARRANGEMENT_2027, sheet, write_xlsx
from tests.harness import event, running_server

ADMIN = ("chief", "chief-password-1")


def _admin_window(qtbot: Any, server: Any, tmp_path: Path) -> Any:
    from desktop.common.api import ApiClient
    from desktop.console.session import open_session
    from desktop.console.window import ConsoleWindow
    from desktop.replica import sync

    r = server.call("POST", "/users", {"username": ADMIN[0], "password": ADMIN[1], "role": "admin",
                                       "display_name": "系统管理员"})
    assert r.status == 201, r.body
    client = ApiClient(f"https://127.0.0.1:{server.port}", str(server.ca_file))
    client.login(*ADMIN)
    session = open_session(client, ADMIN[0], role="admin", replica_file=tmp_path / "replica.sqlite3", wait=2.0)
    window = ConsoleWindow(session)
    qtbot.addWidget(window)
    window.resize(1600, 900)
    window.show()
    session.engine.max_backoff = 1.0
    session.engine.start()
    qtbot.waitUntil(lambda: session.engine.state == sync.LIVE, timeout=15000)
    return window


@pytest.fixture
def admin_console(qtbot: Any, live_server: Any, tmp_path: Path, settings_dir: Path,
                  keyring_file: Path) -> Iterator[Any]:
    window = _admin_window(qtbot, live_server, tmp_path)
    yield window
    window.close()
    window.session.shutdown(15000)


def _pane(qtbot: Any, window: Any) -> Any:
    from desktop.console.admin.hooks import show_administration

    return show_administration(window)


def _idle(qtbot: Any, tab: Any) -> None:
    qtbot.waitUntil(lambda: tab.busy == 0, timeout=30000)


def test_add_a_user_and_sign_in_as_them(qtbot: Any, admin_console: Any, live_server: Any) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from desktop.common.api import ApiClient

    pane = _pane(qtbot, admin_console)
    tab = pane.users
    _idle(qtbot, tab)
    assert tab.select(ADMIN[0])
    dialog = tab.open_add()
    dialog.username.setText("clerk-li")
    dialog.display_name.setText("李文书")
    dialog.role.setCurrentIndex(dialog.role.findData("leader"))
    dialog.offices.setText("T01, T02")
    dialog.password.setText("short")
    dialog.password_again.setText("short")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible()
    assert dialog.problem.text()
    dialog.password.setText("leader-password-1")
    dialog.password_again.setText("leader-password-1")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: any(u.username == "clerk-li" for u in tab.users), timeout=15000)
    _idle(qtbot, tab)
    assert tab.selected() is not None
    assert tab.selected().username == "clerk-li"

    client = ApiClient(f"https://127.0.0.1:{live_server.port}", str(live_server.ca_file))
    info = client.login("clerk-li", "leader-password-1")
    assert info["role"] == "leader"
    assert info["offices"] == ["T01", "T02"]
    assert client.me()["name"] == "clerk-li"

    # Disabling signs them out; the table says so.
    box = None

    def confirmation() -> Any:
        from PySide6.QtWidgets import QApplication, QMessageBox

        return next((w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()), None)

    tab.toggle_disabled()
    qtbot.waitUntil(lambda: confirmation() is not None, timeout=5000)
    box = confirmation()
    from PySide6.QtWidgets import QMessageBox

    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: any(u.username == "clerk-li" and u.disabled for u in tab.users), timeout=15000)
    from desktop.common.api import ApiError

    with pytest.raises(ApiError) as exc:
        client.me()
    assert exc.value.status == 401


def test_issue_an_office_token(qtbot: Any, admin_console: Any, live_server: Any, tmp_path: Path) -> None:
    pane = _pane(qtbot, admin_console)
    pane.show_tab(pane.offices)
    tab = pane.offices
    _idle(qtbot, tab)
    assert tab.model.rowCount() == 2
    old_token = live_server.tokens["T01"]
    assert tab.select("T01")
    tab.issue_token("T01")
    qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog.isVisible(), timeout=15000)
    token = tab.dialog.field.text()
    assert len(token) >= 40
    assert live_server.call("GET", "/auth/me", token=token).json()["office"] == "T01"
    assert live_server.call("GET", "/auth/me", token=old_token).status == 401
    saved = tmp_path / "T01.token"
    tab.dialog.save_to(str(saved))
    assert saved.read_text().strip() == token
    assert saved.stat().st_mode & 0o777 == 0o600

    # A new office under a county, shown in the tree under it.
    from PySide6.QtWidgets import QDialogButtonBox

    dialog = tab.open_add()
    dialog.code.setText("C01")
    dialog.name.setText("泉港区")
    dialog.kind.setCurrentIndex(dialog.kind.findData("centre"))
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: any(o["code"] == "C01" for o in tab.offices), timeout=15000)
    _idle(qtbot, tab)
    tab.dialog.close()
    dialog = tab.open_add()
    dialog.code.setText("T09")
    dialog.name.setText("界山镇便民服务中心")
    dialog.parent_office.setCurrentIndex(dialog.parent_office.findData("C01"))
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: any(o["code"] == "T09" for o in tab.offices), timeout=15000)
    _idle(qtbot, tab)
    county = next(n for n in tab.model.roots if n.code == "C01")
    assert [c.code for c in county.children] == ["T09"]


def test_import_a_catalogue_through_the_dry_run_table(qtbot: Any, admin_console: Any, live_server: Any,
                                                      tmp_path: Path) -> None:
    pane = _pane(qtbot, admin_console)
    pane.show_tab(pane.catalogue)
    tab = pane.catalogue
    _idle(qtbot, tab)
    assert tab.model.rowCount() == 2
    version = tab.version

    rows, expected = sheet(broken=True)
    tab.import_file(str(write_xlsx(tmp_path / "bad.xlsx", rows)))
    qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog.isVisible(), timeout=30000)
    dialog = tab.dialog
    assert not dialog.import_button.isEnabled()
    records = dialog.problems.records()
    assert len(records) == 20
    for row, column, words in expected:
        assert any(r["row"] == row and r["column"] == column and words in r["problem"].message for r in records), \
            (row, column, words)
    # Each reason is said in the interface's language (the console runs in Chinese here).
    shown = {r["problem"].message.key: r["message"] for r in records}
    assert shown["committed_exceeds"] == "承诺时限（30）超过法定时限（20）"
    assert all(r["message"] != str(r["problem"].message) for r in records)
    assert dialog.table.isVisible()
    dialog.close()
    assert live_server.call("GET", "/catalogue").json()["version"] == version

    good, _ = sheet(broken=False)
    tab.import_file(str(write_xlsx(tmp_path / "good.xlsx", good)))
    qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog is not dialog and tab.dialog.isVisible(),
                    timeout=30000)
    dialog = tab.dialog
    assert dialog.report.check is not None
    assert len(dialog.report.check.added) == 20
    assert dialog.import_button.isEnabled()
    assert not dialog.table.isVisible()
    dialog.import_button.click()
    qtbot.waitUntil(lambda: tab.version == version + 1 and tab.model.rowCount() == 22, timeout=30000)
    assert str(version + 1) in dialog.summary.text()

    # Browse: the filter matches codes, names, departments and node names; the detail shows the procedure.
    tab.filter.setText("bad-1")
    assert tab.proxy.rowCount() == 10  # BAD-1 and BAD-10 … BAD-19
    tab.filter.setText("现场核查")
    assert tab.proxy.rowCount() == 2  # GOOD-01 and the test catalogue's QG-D03-002
    tab.filter.setText("现场核查 good")
    assert tab.proxy.rowCount() == 1
    tab.table.setCurrentIndex(tab.proxy.index(0, 0))
    assert "签发" in tab.detail.toPlainText()
    tab.filter.clear()
    assert tab.proxy.rowCount() == 22

    exported = tmp_path / "out.csv"
    tab.export_file(str(exported))
    qtbot.waitUntil(lambda: exported.exists() and "out.csv" in tab.status.text(), timeout=15000)


def test_change_a_setting_and_see_it_in_the_audit_view(qtbot: Any, admin_console: Any, live_server: Any) -> None:
    pane = _pane(qtbot, admin_console)
    pane.show_tab(pane.settings)
    tab = pane.settings
    _idle(qtbot, tab)
    assert not tab.save_button.isEnabled()
    assert tab.set_value("office-silent", "hours", "36")
    assert tab.save_button.isEnabled()
    tab.save_button.click()
    qtbot.waitUntil(lambda: not tab.model.changed and tab.model.values["office-silent"]["hours"] == 36,
                    timeout=15000)
    assert live_server.call("GET", "/admin/settings/office-silent").json()["value"] == {"hours": 36}

    # A value the setting refuses is not sent at all.
    tab.set_value("calendar-warning", "from_month", "13")
    tab.save_button.click()
    assert tab.status.text()
    assert "calendar-warning" in tab.model.changed
    assert live_server.call("GET", "/admin/settings/calendar-warning").json()["version"] == 0

    pane.show_tab(pane.audit)
    audit = pane.audit
    qtbot.waitUntil(lambda: audit.verified is not None and bool(audit.entries), timeout=15000)
    entry = next(e for e in audit.entries if e["action"] == "settings.put")
    assert entry["entity_id"] == "office-silent"
    assert entry["actor"] == ADMIN[0]
    assert entry["change"] == "hours: 24 → 36"
    assert audit.verified.intact
    assert "✓" in audit.chain.text()
    audit.entity.setCurrentIndex(audit.entity.findData("setting"))
    qtbot.waitUntil(lambda: audit.busy == 0 and all(e["entity"] == "setting" for e in audit.entries), timeout=15000)


def test_models_pass_qtmodeltester(qtbot: Any, qtmodeltester: Any, admin_console: Any) -> None:
    from desktop.admin.views import catalogue_rows, office_tree
    from desktop.console.admin.models import CatalogueModel, CatalogueProxy, OfficeTreeModel, SettingsModel
    from server.demo_data import demo_catalogue
    from shared import settings as registry
    from shared.admin import Setting

    model = CatalogueModel()
    model.set_rows(catalogue_rows(demo_catalogue(departments=3, items=40)))
    qtmodeltester.check(model)
    proxy = CatalogueProxy()
    proxy.setSourceModel(model)
    proxy.set_filter("审批")
    qtmodeltester.check(proxy)
    offices: list[dict[str, Any]] = [{"code": "C1", "name": "市", "kind": "centre", "parent": None},
               {"code": "K1", "name": "县", "kind": "centre", "parent": "C1"},
               {"code": "T1", "name": "镇", "kind": "township", "parent": "K1"},
               {"code": "T2", "name": "镇2", "kind": "township", "parent": "K1"},
               {"code": "X1", "name": "loop a", "kind": "township", "parent": "X2"},
               {"code": "X2", "name": "loop b", "kind": "township", "parent": "X1"}]
    tree = OfficeTreeModel()
    tree.set_roots(office_tree(offices))
    qtmodeltester.check(tree)
    settings = SettingsModel(lambda n, f: f or n)
    settings.set_settings([Setting(name=s.name, title=s.title, value=s.default().model_dump(),
                                   default=s.default().model_dump(), fields=s.fields())
                           for s in registry.SETTINGS.values()])
    qtmodeltester.check(settings)
    pane = _pane(qtbot, admin_console)
    for tab in (pane.users, pane.cameras, pane.audit):
        qtmodeltester.check(tab.model)


@pytest.fixture
def december_console(qtbot: Any, tmp_path: Path, settings_dir: Path, keyring_file: Path) -> Iterator[Any]:
    """An administrator's console on a server whose simulated clock is at 2026-12-20, with a case
    accepted that day under a 10-working-day limit."""
    item = {"code": "CD-D01-010", "name": "建设工程规划许可", "department": "D01", "legal_days": 20,
            "committed_days": 10, "nodes": []}
    with running_server(tmp_path, simulated_clock="2026-12-20T18:00:00+08:00") as server:
        assert server.call("PUT", "/catalogue", {"items": [item]}).status == 200
        token = server.call("POST", "/offices", {"code": "T01", "name": "城关镇", "kind": "township"}).json()["token"]
        r = server.post_batch("T01", token, [
            event("2026-1220-01", "received", "2026-12-20T09:00:00+08:00", power=str(item["code"])),
            event("2026-1220-01", "accepted", "2026-12-20T10:00:00+08:00", power=str(item["code"]))],
            complete_until="2026-12-20T18:00:00+08:00")
        assert r.json()["imported"] == 2
        window = _admin_window(qtbot, server, tmp_path)
        try:
            yield window
        finally:
            window.close()
            window.session.shutdown(15000)


def test_provisional_due_and_the_holiday_notice_until_2027_is_loaded(qtbot: Any, december_console: Any,
                                                                     tmp_path: Path) -> None:
    window = december_console
    label = window.calendar_notice_label
    qtbot.waitUntil(lambda: label.isVisible(), timeout=15000)
    assert "2027" in label.text()
    window.open_case("T01", "2026-1220-01")
    pane = window.case_pane
    qtbot.waitUntil(lambda: pane.detail is not None, timeout=15000)
    summary = pane.summary.text()
    assert "2027-01-02 00:00" in summary
    assert "2027" in summary.split("2027-01-02 00:00", 1)[1]  # the provisional note after the due
    assert pane.detail["clocks"]["provisional"] is True
    window.show_bigscreen()
    from desktop.console.admin.hooks import bigscreen_notice

    bigscreen_notice(window.bigscreen, window.calendar_notice.text)
    from PySide6.QtWidgets import QLabel

    banner = window.bigscreen.findChild(QLabel, "calendar_notice")
    assert banner is not None
    assert banner.isVisible()
    assert "2027" in banner.text()
    window.bigscreen.close()

    admin = _pane(qtbot, window)
    admin.show_tab(admin.calendar)
    tab = admin.calendar
    _idle(qtbot, tab)
    tab.year.setValue(2027)
    qtbot.waitUntil(lambda: tab.busy == 0 and "2027" in tab.source.text(), timeout=15000)
    fixture = tmp_path / "holidays-2027.txt"
    fixture.write_text(ARRANGEMENT_2027, encoding="utf-8")
    dialog = tab.open_file(str(fixture))
    assert dialog.load_button.isEnabled()
    dialog.load_button.click()
    qtbot.waitUntil(lambda: "2027" in tab.status.text() and tab.busy == 0, timeout=30000)
    assert "1" in tab.status.text()
    qtbot.waitUntil(lambda: not label.isVisible(), timeout=30000)
    pane.refresh()
    qtbot.waitUntil(lambda: pane.detail is not None and pane.detail["clocks"]["due"].startswith("2027-01-05"),
                    timeout=15000)
    qtbot.waitUntil(lambda: "2027-01-05 00:00" in pane.summary.text(), timeout=15000)
    assert "provisional" not in pane.summary.text()
    assert "暂定" not in pane.summary.text()
