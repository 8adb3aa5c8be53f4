"""Reading and writing catalogue files: every mistake found with its row, column and reason."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from server.demo_data import demo_catalogue
from shared import catalogue_io
from shared.catalogue import PowerItem
from shared.catalogue_io import CatalogueFileError, read_catalogue, read_sheet, write_catalogue
from tests.admin_data import sheet, write_xlsx


def _problems(path: Path) -> list[catalogue_io.Problem]:
    with pytest.raises(CatalogueFileError) as exc:
        read_catalogue(path)
    return exc.value.problems


def test_twenty_mistakes_each_reported_with_row_column_and_reason(tmp_path: Path) -> None:
    rows, expected = sheet(broken=True)
    assert len(expected) == 20
    problems = _problems(write_xlsx(tmp_path / "bad.xlsx", rows))
    for row, column, words in expected:
        hits = [p for p in problems if p.row == row and p.column == column and words in p.message]
        assert hits, f"no problem at row {row}, column {column} about {words!r}; got {[str(p) for p in problems]}"
    assert len(problems) == len(expected), [str(p) for p in problems]
    # Every reason carries a key and its values, so a console can say it in its own language.
    assert all(getattr(p.message, "key", "") for p in problems), [p.message for p in problems]


def test_the_console_words_every_reason() -> None:
    import re

    from desktop.console.admin.catalogue import REASONS

    source = Path(catalogue_io.__file__).read_text()
    keys = set(re.findall(r'Reason\(\s*"([a-z_]+)"', source))
    keys |= set(re.findall(r'_file_problem\(\s*"([a-z_]+)"', source))
    keys |= {key for key, _ in catalogue_io._PYDANTIC.values()}
    assert len(keys) > 30
    assert keys <= set(REASONS), keys - set(REASONS)


def test_the_fixed_sheet_reads(tmp_path: Path) -> None:
    rows, _ = sheet(broken=False)
    read = read_catalogue(write_xlsx(tmp_path / "good.xlsx", rows))
    assert len(read.items) == 20
    items = [PowerItem.model_validate(i) for i in read.items]
    assert items[0].code == "GOOD-01"
    assert [n.code for n in items[0].nodes] == ["check", "sign"]
    assert items[1].nodes[1].risk is not None
    assert items[1].nodes[1].risk.level == 3
    assert read.rows[:3] == [2, 4, 6]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".json"])
def test_export_reads_back_the_same(tmp_path: Path, suffix: str) -> None:
    items = demo_catalogue(departments=5, items=60)
    path = tmp_path / f"cat{suffix}"
    write_catalogue(items, path)
    read = read_catalogue(path)
    assert [PowerItem.model_validate(i) for i in read.items] == [PowerItem.model_validate(i) for i in items]


def test_an_items_rows_belong_together_and_agree(tmp_path: Path) -> None:
    header = [c.label for c in catalogue_io.COLUMNS[:6]] + ["环节编码", "环节名称"]
    rows: list[list[Any]] = [header,
            ["A1", "甲", "D1", "", "行政许可", 5, "n1", "一"],
            ["A1", "乙", "D1", "", "行政许可", 5, "n2", "二"],   # the name differs from row 2
            ["B1", "丙", "D1", "", "行政许可", 5, "n1", "一"],
            ["A1", "甲", "D1", "", "行政许可", 5, "n3", "三"]]   # A1 again after B1
    with pytest.raises(CatalogueFileError) as exc:
        read_sheet(enumerate(rows, start=1))
    found = {(p.row, p.column) for p in exc.value.problems}
    assert (3, "B (事项名称)") in found
    assert (5, "A (事项编码)") in found
    assert any("keep an item's rows together" in p.message for p in exc.value.problems)


def test_continuation_rows_may_leave_item_columns_blank() -> None:
    header = ["code", "name", "department", "legal_days", "node_code", "node_name"]
    rows = [header, ["A1", "甲", "D1", "5", "n1", "一"], ["", "", "", "", "n2", "二"]]
    read = read_sheet(enumerate(rows, start=1), source="csv")
    assert [n["code"] for n in read.items[0]["nodes"]] == ["n1", "n2"]


@pytest.mark.parametrize(("name", "data", "words"), [
    ("garbage.xlsx", b"this is not a workbook", "not a readable workbook"),
    ("empty.csv", b"", "is empty"),
    ("nul.csv", b"code,name\x00\n", "NUL"),
    ("binary.csv", bytes(range(128, 256)) * 4, "not text"),
    ("list.json", b'{"items": 5}', "JSON must be"),
    ("broken.json", b'{"items": [', "not valid JSON"),
    ("types.json", json.dumps({"items": [{"code": "X", "name": "n", "department": "D", "legal_days": "5"}]}).encode(),
     "valid integer"),
    ("no-header.csv", b"\n\n,,\n", "empty"),
    ("only-header.csv", "事项编码,事项名称,部门编码,法定时限\n".encode(), "no items"),
    ("missing-columns.csv", b"code,name\nA,B\n", "no 部门编码"),
    ("notes.txt.doc", b"x", "read .xlsx"),
])
def test_bad_files_get_a_clear_problem(tmp_path: Path, name: str, data: bytes, words: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    problems = _problems(path)
    assert any(words in str(p) for p in problems), [str(p) for p in problems]


def test_oversized_and_missing_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "cannot read" in str(_problems(tmp_path / "absent.xlsx")[0])
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * 2048)
    monkeypatch.setattr(catalogue_io, "MAX_FILE_BYTES", 1024)
    assert "larger than" in str(_problems(big)[0])


def test_truncated_workbook(tmp_path: Path) -> None:
    rows, _ = sheet(broken=False)
    whole = write_xlsx(tmp_path / "whole.xlsx", rows).read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole[: len(whole) // 2])
    assert "not a readable workbook" in str(_problems(cut)[0])


def test_hostile_text_is_kept_as_text_in_exports(tmp_path: Path) -> None:
    item = {"code": "X1", "name": "=HYPERLINK(\"http://evil\")", "department": "D1", "legal_days": 5,
            "legal_basis": "+cmd|' /C calc'!A0", "nodes": [{"code": "n", "name": "@SUM(1)"}]}
    data = catalogue_io.export_csv([item])
    cells = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[1]
    assert cells[1].startswith("'=")
    assert cells[10].startswith("'+")
    assert cells[13].startswith("'@")
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    assert read_catalogue(path).items[0]["name"] == item["name"]
    write_catalogue([item], tmp_path / "x.xlsx")
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "x.xlsx").active
    assert ws is not None
    assert ws["B2"].data_type == "s"
    assert read_catalogue(tmp_path / "x.xlsx").items[0]["name"] == item["name"]
