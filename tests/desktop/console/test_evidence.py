"""Evidence and node names as the operator reads them: labels, dates, events, money, names."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from desktop import i18n
from desktop.common.tasks import BackgroundTasks
from desktop.console import evidence
from desktop.console.wall_model import COL, AlertWallModel
from desktop.replica.names import NodeNames, item_node_names
from desktop.replica.store import Replica
from tests.desktop.console import fakes
from tests.desktop.console.operator import settled

ITEM = {"code": "QG-D07-001", "name": "建筑工程施工许可", "department": "D07",
        "nodes": [{"code": "review", "name": "审查", "days": 3}, {"code": "site", "name": "现场踏勘", "days": 2}]}


def test_known_keys_have_chinese_labels_and_values_read_like_a_person_wrote_them(qapp: Any) -> None:
    rows = dict(evidence.rows({
        "due": "2026-02-18T17:30:00+08:00",
        "needed_by": {"id": "e9", "type": "decided", "at": "2026-02-20T09:05:00+08:00", "node": "review",
                      "actor": "张三"},
        "charged_fen": 12345,
        "missing": ["reason", "legal_basis"],
        "pairs": [{"steps": ["review", "site"], "actor": "李四", "events": []}],
        "something_new": [1, 2],
    }, {"review": "审查", "site": "现场踏勘"}))
    assert rows["到期时间"] == "2026-02-18 17:30"
    decided = rows["此前已办理"]
    assert decided == "办结「审查」 2026-02-20 09:05 · 张三 #e9"
    assert rows["实收金额"] == "¥123.45"
    assert rows["缺少"] == "理由、法律依据"
    assert rows["同一人办理两个环节"] == "李四: 审查 ↔ 现场踏勘"
    # A key this console does not know is shown as it comes, not hidden.
    assert rows["something_new"] == "1\n2"


def test_english_interface_gets_english_labels(qapp: Any) -> None:
    try:
        i18n.install(qapp, "en")
        assert dict(evidence.rows({"due": "2026-02-18T17:30:00+08:00"})) == {"Due": "2026-02-18 17:30"}
    finally:
        i18n.install(qapp, "zh_CN")


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", '"text"', "null", "12", b"\xff\xfe",
                                 "{\"due\": {\"a\": [[[]]]}}", "{\"due\": \"0001-01-01T00:00:00+14:00\"}"])
def test_garbage_evidence_is_shown_not_fatal(qapp: Any, raw: Any) -> None:
    rows = evidence.rows(raw)
    assert isinstance(rows, list)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in rows)


def test_long_lists_are_cut_and_markup_is_escaped(qapp: Any) -> None:
    events = [{"id": f"e{i}", "type": "accepted", "at": "2026-02-18T09:00:00+08:00",
               "actor": "<script>alert(1)</script>"} for i in range(50)]
    text = dict(evidence.rows({"events": events}))["相关事件"]
    lines = text.split("\n")
    assert len(lines) == evidence.LIST_LIMIT + 1
    assert "42" in lines[-1]
    html = evidence.html_table({"events": events, "<b>": "<img src=x>"})
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html


def test_item_node_names_ignores_malformed_catalogue_rows() -> None:
    assert item_node_names(ITEM) == {"review": "审查", "site": "现场踏勘"}
    bad: Any
    for bad in (None, [], {"nodes": "x"}, {"nodes": [1, {"code": 2, "name": "x"}, {"code": "a"}]}):
        assert item_node_names(bad) == {}


@pytest.fixture
def replica(tmp_path: Path) -> Replica:
    r = Replica(tmp_path / "replica.sqlite3")
    r.apply_changes(fakes.page(offices=("T01",)))
    r.apply_changes(fakes.entities("power_item", [("QG-D07-001", ITEM)]))
    r.apply_changes(fakes.entities("case", [("T01/A1", fakes.case("T01", "A1", power="QG-D07-001"))]))
    node_alert = fakes.alert(1, rule="NODE_OVERDUE", office="T01", case_no="A1") | {"node": "review"}
    orphan = fakes.alert(2, rule="NODE_OVERDUE", office="T01", case_no="Z9") | {"node": "site"}
    r.apply_changes(fakes.page(node_alert, orphan))
    return r


def test_wall_shows_node_names_and_codes_only_when_the_replica_cannot_tell(qapp: Any, qtbot: Any,
                                                                          replica: Replica) -> None:
    model = AlertWallModel(replica, BackgroundTasks())
    settled(qtbot, model)
    shown = {model.alert_id(r): model.index(r, COL["node"]).data() for r in range(model.rowCount())}
    assert shown == {1: "审查", 2: "site"}
    # The missing case arrives: after the catalogue/case change the name replaces the code.
    replica.apply_changes(fakes.entities("case", [("T01/Z9", fakes.case("T01", "Z9", power="QG-D07-001"))]))
    model.names_changed()
    settled(qtbot, model)
    shown = {model.alert_id(r): model.index(r, COL["node"]).data() for r in range(model.rowCount())}
    assert shown == {1: "审查", 2: "现场踏勘"}


def test_node_names_survive_a_catalogue_row_with_bad_json(replica: Replica) -> None:
    conn = replica.connect()
    conn.execute("UPDATE power_items SET data = ? WHERE code = ?", ("{broken", "QG-D07-001"))
    names = NodeNames()
    reader = replica.connect(readonly=True)
    assert names.name(reader, "T01", "A1", "review") == "review"
    assert names.name(reader, None, None, "review") == "review"
    assert names.name(reader, "T01", "A1", None) == ""
    assert json.loads(json.dumps(names.for_case(reader, "T01", "A1"))) == {}
