"""Reading exports and mapping them to records: encodings, Excel cells, value tables, stable ids."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.township.mapping import MappingError, RowError, find_mapping, mapping_from_dict
from desktop.township.readers import SourceRow, detect_encoding, read_table
from tests.desktop.township.data import make_export, write_csv, write_xlsx


def records(path: Path, office: str = "T03") -> list[dict]:
    mapping = find_mapping("banjian")
    table = read_table(path, mapping.wanted_columns())
    return [mapping.map_row(row, office, table.headers) for row in table.rows]


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
def test_csv_in_every_township_encoding_gives_the_same_records(tmp_path: Path, encoding: str) -> None:
    export = make_export(5)
    reference = records(write_csv(tmp_path / "ref.csv", export.rows(), encoding="utf-8"))
    got = records(write_csv(tmp_path / f"{encoding}.csv", export.rows(), encoding=encoding))
    assert got == reference
    assert {r["type"] for r in got} >= {"received", "accepted", "node_completed", "decided", "delivered"}


def test_encoding_detection() -> None:
    text = "办件编号,申请人\n1,㐀张三\n"  # 㐀 is in GB18030 but not in GBK
    assert detect_encoding(text.encode("gb18030")) == "gb18030"
    assert detect_encoding(text.encode("utf-8")) == "utf-8"
    assert detect_encoding(b"\xef\xbb\xbf" + text.encode("utf-8")) == "utf-8-sig"
    assert detect_encoding("办件".encode("gbk")) == "gb18030"


def test_xlsx_with_real_dates_text_dates_and_number_cells_matches_the_csv(tmp_path: Path) -> None:
    export = make_export(6)
    from_csv = records(write_csv(tmp_path / "day.csv", export.rows()))
    from_xlsx = records(write_xlsx(tmp_path / "day.xlsx", export.rows()))
    # Same ids and same content: the same day exported either way is the same records.
    assert from_xlsx == from_csv
    fee = next(r for r in from_xlsx if r["type"] == "fee_charged")
    assert fee["amount_fen"] == 5000


def test_excel_serial_date_and_header_below_a_title(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["某镇便民服务中心 办件流水"])
    ws.append([])
    ws.append(["办件编号", "事项编码", "操作类型", "操作时间"])
    ws.append([2026000123, "QG-D07-001", "受理", 46082.375])  # a date typed as a bare serial number
    book.save(tmp_path / "serial.xlsx")
    [rec] = records(tmp_path / "serial.xlsx")
    assert rec["case_no"] == "2026000123"
    assert datetime.fromisoformat(rec["at"]) == datetime.fromisoformat("2026-03-01T09:00:00+08:00")


def test_bad_cells_name_the_row_and_column(tmp_path: Path) -> None:
    rows = make_export(1).rows()
    rows[1]["操作类型"] = "补录"
    rows[2]["操作时间"] = "2026-02-30 09:00"
    rows[3]["办件编号"] = ""
    mapping = find_mapping("banjian")
    table = read_table(write_csv(tmp_path / "bad.csv", rows), mapping.wanted_columns())
    errors = {}
    for row in table.rows:
        try:
            mapping.map_row(row, "T03", table.headers)
        except RowError as e:
            errors[row.row] = e
    assert sorted(errors) == [3, 4, 5]  # header is row 1
    assert (errors[3].code, errors[3].column) == ("INVALID_FIELD", "操作类型 (E)")
    assert "补录" in errors[3].message
    assert (errors[4].code, errors[4].column) == ("INVALID_FIELD", "操作时间 (F)")
    assert (errors[5].code, errors[5].field) == ("MISSING_FIELD", "case_no")


def test_local_validation_uses_the_protocol_codes() -> None:
    mapping = find_mapping("banjian")
    row = SourceRow(7, {"办件编号": "X1", "事项编码": "QG-D07-001", "操作类型": "收费", "操作时间": "2026-03-01 09:00",
                        "收费金额(元)": "0"})
    with pytest.raises(RowError) as err:
        mapping.map_row(row, "T03", list(row.cells))
    # shared.protocol.parse_record decides: amount_fen must be > 0
    assert (err.value.code, err.value.field, err.value.column) == ("INVALID_FIELD", "amount_fen", "收费金额(元) (E)")


def test_ids_are_stable_and_belong_to_the_office(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", make_export(3).rows())
    first, again, other = records(path), records(path), records(path, office="T04")
    assert [r["id"] for r in first] == [r["id"] for r in again]
    assert not {r["id"] for r in first} & {r["id"] for r in other}
    assert len({r["id"] for r in first}) == len(first)


@settings(deadline=None)  # timing is not the property; a loaded CI machine must not fail it
@given(st.integers(min_value=1, max_value=10**11))
def test_yuan_to_fen_is_exact(fen: int) -> None:
    mapping = find_mapping("banjian")
    text = f"{Decimal(fen) / 100:.2f}"
    row = SourceRow(2, {"办件编号": "C1", "事项编码": "P1", "操作类型": "收费", "操作时间": "2026-03-01 09:00",
                        "收费金额(元)": text})
    assert mapping.map_row(row, "T03", list(row.cells))["amount_fen"] == fen


def test_broken_mapping_files_say_what_is_wrong() -> None:
    with pytest.raises(MappingError, match="system"):
        mapping_from_dict({"mapping": {"name": "x"}})
    with pytest.raises(MappingError, match="value table 'nope'"):
        mapping_from_dict({"mapping": {"name": "x", "system": "s"},
                           "fields": {"type": {"column": "T", "values": "nope"}}})
    with pytest.raises(MappingError, match="parse"):
        mapping_from_dict({"mapping": {"name": "x", "system": "s"}, "fields": {"at": {"column": "T", "parse": "date"}}})


def test_ratings_export_and_protocol_jsonl(tmp_path: Path) -> None:
    from desktop.township.mapping import guess_mapping

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["办件编号", "评价结果", "评价时间", "评价内容"])
    ws.append(["2026000001", "很差", datetime(2026, 3, 1, 15, 0), "等了很久"])
    ws.append(["2026000002", "满意", "2026/03/01 16:05", None])
    book.save(tmp_path / "评价_2026-03-01.xlsx")
    table = read_table(tmp_path / "评价_2026-03-01.xlsx", set())
    mapping = guess_mapping(table.headers, table.format)
    assert mapping is not None
    assert mapping.name == "pingjia"
    got = [mapping.map_row(r, "T03", table.headers) for r in table.rows]
    assert [(r["kind"], r["rating"], r["at"]) for r in got] == [
        ("evaluation", "very_poor", "2026-03-01T15:00:00+08:00"),
        ("evaluation", "satisfied", "2026-03-01T16:05:00+08:00"),
    ]
    end = mapping.period_end_from_name("评价_2026-03-01.xlsx")
    assert end is not None
    assert end.isoformat() == "2026-03-02T00:00:00+08:00"

    petition = {"kind": "petition", "channel": "letter", "received_at": "2026-03-01T09:30:00+08:00",
                "petitioner": {"name": "李某", "id_number": "350505198001011234"}, "anonymous": False,
                "subject": {"name": "张某", "unit": "某镇国土所"}, "category": "land", "content": "…",
                "receipt_code": "4821937561028374", "query_password": "secret-123"}
    (tmp_path / "x.jsonl").write_text(json.dumps(petition, ensure_ascii=False) + "\n{not json\n", encoding="utf-8")
    table = read_table(tmp_path / "x.jsonl")
    records_mapping = guess_mapping([], "jsonl")
    assert records_mapping is not None
    rows = list(table.rows)
    first = records_mapping.map_row(rows[0], "T03")
    assert first["petitioner"]["name"] == "李某"
    assert first["id"] == records_mapping.map_row(rows[0], "T03")["id"]  # stable without an id in the file
    with pytest.raises(RowError, match="line 2 is not valid JSON"):
        records_mapping.map_row(rows[1], "T03")


def test_terminal_progress_bar() -> None:
    import io

    from desktop.township.agent import PushEvent
    from desktop.township.outbox import Batch
    from desktop.township.progress import Progress

    out = io.StringIO()
    p = Progress(out, bar=True)
    b = Batch(1, "b-1", 50, None, 0)
    p(PushEvent("batch", batch=b, remaining=100))
    p(PushEvent("summary", batch=b, remaining=50, summary={
        "batch_id": "b-1", "status": "ok", "received": 50, "imported": 50, "duplicates": 0, "rejected": 0,
        "watermark": None}))
    p.finish()
    text = out.getvalue()
    assert "[" + "." * 30 + "] 0/100 records" in text
    assert "#" * 15 + "." * 15 + "] 50/100 records" in text
    assert "batch b-1: ok" in text


def test_record_ids_are_rfc4122_uuid5() -> None:
    import uuid

    from desktop.township.mapping import NAMESPACE, _uuid5

    for name in ("T03\x1fsys\x1f2026001\x1freceived\x1f\x1f2026-03-01T09:00:00+08:00", "", "办件"):
        assert _uuid5(NAMESPACE.bytes, name) == str(uuid.uuid5(NAMESPACE, name))


def test_notice_replies_export(tmp_path: Path) -> None:
    """A township answers the county's supervision notices from its own register (duban_huifu)."""
    from desktop.township.mapping import guess_mapping

    notice = "151610b0-723f-5cc1-b4e1-67870a12f0a5"
    path = tmp_path / "督办回复_2026-04-21.csv"
    path.write_text("通知编号,回复时间,回复内容\r\n"
                    f"{notice},2026-04-21 01:00,已退还多收费用并对责任人批评教育\r\n"
                    "not-a-notice-number,2026-04-21 02:00,x\r\n", encoding="gbk")
    table = read_table(path, set())
    mapping = guess_mapping(table.headers, table.format)
    assert mapping is not None
    assert mapping.name == "duban_huifu"
    rows = list(table.rows)
    first = mapping.map_row(rows[0], "T01", table.headers)
    assert {k: first[k] for k in ("kind", "notice_id", "at", "text")} == {
        "kind": "notice_reply", "notice_id": notice, "at": "2026-04-21T01:00:00+08:00",
        "text": "已退还多收费用并对责任人批评教育"}
    assert first["id"] == mapping.map_row(rows[0], "T01", table.headers)["id"], "the same row, the same id"
    with pytest.raises(RowError) as bad:
        mapping.map_row(rows[1], "T01", table.headers)
    assert bad.value.field == "notice_id"
