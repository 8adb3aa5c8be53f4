"""Test data for administration: a catalogue sheet with twenty different mistakes, and its fixed twin.

Each mistake sits on its own power item, so every one is reported independently; ``EXPECTED``
holds (row, column letter, words of the reason) for each. The same sheet serves the CLI's
tests, the console's import test and the shared reader's tests. ``ARRANGEMENT_2027`` is a
2027 holiday arrangement for tests only (the State Council had not announced 2027's when it
was written): New Year 01-01..01-03 and a Spring Festival week, with two adjusted Saturdays.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from shared.catalogue_io import COLUMNS

KEYS = [c.key for c in COLUMNS]
LETTER = {key: chr(ord("A") + i) for i, key in enumerate(KEYS)}


def _item(code: str, **fields: Any) -> dict[str, Any]:
    base = {"code": code, "name": f"事项{code}", "department": "D07", "department_name": "住房和城乡建设局",
            "kind": "行政许可", "legal_days": 20, "committed_days": 10, "acceptance_days": 5, "fee_fen": 0,
            "legal_basis": "《建筑法》第八条"}
    base.update(fields)
    return base


def _node(code: str, name: str, days: Any = 2, **extra: Any) -> dict[str, Any]:
    return {"node_code": code, "node_name": name, "node_days": days, **extra}


# Each entry: the item's rows (item fields on the first row, nodes on each), the broken version's
# change, the column it concerns and words of the reason; fixed rows are the entry's ``good``.
def _cases() -> list[tuple[str, list[dict[str, Any]], list[dict[str, Any]], str, str, int]]:
    """(label, good rows, broken rows, column key, reason words, offset of the broken row)."""
    good_nodes = [_node("review", "初审"), _node("approve", "审批", 1, risk_level=3, risk_point="降低条件审批",
                                                  risk_measure="双人复核")]
    out = []

    def case(label: str, code: str, broken_item: dict[str, Any] | None, key: str, words: str,
             nodes_broken: list[dict[str, Any]] | None = None, offset: int = 0) -> None:
        good_rows = [{**_item(code), **good_nodes[0]}, good_nodes[1]]
        item = {**_item(code), **(broken_item or {})}
        nodes = nodes_broken or good_nodes
        broken_rows = [{**item, **nodes[0]}, *nodes[1:]]
        out.append((label, good_rows, broken_rows, key, words, offset))

    case("text in a number column", "BAD-01", {"legal_days": "十五"}, "legal_days", "not a number")
    case("committed above legal", "BAD-02", {"committed_days": 30}, "committed_days", "exceeds the legal limit")
    case("fractional days", "BAD-03", None, "node_days", "not a whole number",
         [_node("review", "初审", 2.5), good_nodes[1]])
    case("negative fee", "BAD-04", {"fee_fen": -100}, "fee_fen", "greater than or equal to 0")
    case("unknown kind", "BAD-05", {"kind": "行政强制"}, "kind", "licensing")
    case("empty name", "BAD-06", {"name": ""}, "name", "empty")
    case("empty department", "BAD-07", {"department": ""}, "department", "empty")
    case("department code with a space", "BAD-08", {"department": "D 07"}, "department", "pattern")
    case("reserved node code", "BAD-09", None, "node_code", "reserved",
         [_node("accept", "受理审查"), good_nodes[1]])
    case("node code twice", "BAD-10", None, "node_code", "already used on row",
         [_node("review", "初审"), _node("review", "复审")], offset=1)
    case("risk level out of range", "BAD-11", None, "risk_level", "less than or equal to 3",
         [good_nodes[0], _node("approve", "审批", 1, risk_level=5, risk_point="降低条件审批")], offset=1)
    case("risk point without level", "BAD-12", None, "risk_level", "needs its level",
         [good_nodes[0], _node("approve", "审批", 1, risk_point="降低条件审批")], offset=1)
    case("risk level without point", "BAD-13", None, "risk_point", "needs the risk point",
         [good_nodes[0], _node("approve", "审批", 1, risk_level=2)], offset=1)
    case("separation names no node", "BAD-14", {"separate_duties": "review/sign"}, "separate_duties",
         "not a node of this item")
    case("separation not a pair", "BAD-15", {"separate_duties": "review-approve"}, "separate_duties",
         "not a pair of steps")
    case("a date in a days column", "BAD-16", {"warn_days": datetime(2026, 3, 1)}, "warn_days", "holds a date")
    case("node without a name", "BAD-17", None, "node_name", "needs its name",
         [_node("review", ""), good_nodes[1]])
    case("limit beyond ten years", "BAD-18", {"legal_days": 9999}, "legal_days", "less than or equal to 3650")
    case("item code with a slash", "BAD-19", {"code": "BAD/20"}, "code", "pattern")
    return out


def _row(values: dict[str, Any], extra: Any = None, with_extra: bool = False) -> list[Any]:
    row = [values.get(k) for k in KEYS]
    if with_extra:
        row.append(extra)
    return row


def sheet(broken: bool) -> tuple[list[list[Any]], list[tuple[int, str, str]]]:
    """The sheet's rows (header first) and, for the broken one, every expected (row, column, words)."""
    header: list[Any] = [c.label for c in COLUMNS]
    expected: list[tuple[int, str, str]] = []
    if broken:
        header.append("备注X")  # mistake 20: a column the importer does not know
        expected.append((1, f"{chr(ord('A') + len(KEYS))} (备注X)", "unknown column"))
    rows: list[list[Any]] = [header]
    good_item = _item("GOOD-01")
    rows.append(_row({**good_item, **_node("check", "现场核查", 1)}, with_extra=broken))
    rows.append(_row(_node("sign", "签发", 1), with_extra=broken))
    for _label, good_rows, broken_rows, key, words, offset in _cases():
        chosen = broken_rows if broken else good_rows
        first = len(rows) + 1
        for r in chosen:
            rows.append(_row(r, with_extra=broken))
        if broken:
            expected.append((first + offset, f"{LETTER[key]} ({COLUMNS[KEYS.index(key)].label})", words))
    return rows, expected


def write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "catalogue"
    for r in rows:
        ws.append(r)
    book.save(path)
    return path


ARRANGEMENT_2027 = """\
# 2027 holiday arrangement — a TEST FIXTURE, not the State Council's announcement
2027-01-01..2027-01-03  holiday  元旦
2027-02-06..2027-02-12  holiday  春节
2027-02-13              workday  春节调休
2027-02-20              workday  春节调休
"""
