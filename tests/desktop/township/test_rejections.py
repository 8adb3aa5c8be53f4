"""A file with bad rows: the good rows arrive; the bad ones come back with row and reason, get fixed, arrive."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import openpyxl

from tests.desktop.township.conftest import SyncEnv
from tests.desktop.township.data import Export, assert_server_holds, make_export, write_csv
from tests.harness import ServerProcess


def test_bad_rows_come_back_with_reasons_and_can_be_fixed(logged_in: tuple[SyncEnv, ServerProcess, str],
                                                          tmp_path: Path) -> None:
    env, server, office = logged_in
    export = make_export(12)
    rows = [dict(r) for r in export.rows()]  # the file's rows; export keeps what should arrive
    # Rows are numbered as in Excel: header is row 1, rows[i] is row i + 2.
    broken = {
        3: ("操作类型", "补录", "INVALID_FIELD", "本机校验"),       # not in the value table
        6: ("操作时间", "2026-02-30 10:00", "INVALID_FIELD", "本机校验"),  # no such day
        9: ("办件编号", "", "MISSING_FIELD", "本机校验"),
        14: ("事项编码", "QG-D99-001", "UNKNOWN_POWER", "服务器"),      # only the server knows the catalogue
    }
    originals = {n: rows[n - 2][col] for n, (col, *_rest) in broken.items()}
    for n, (col, value, _code, _origin) in broken.items():
        rows[n - 2][col] = value
    # A node the item does not have: also only the server can tell.
    node_row = next(i for i, r in enumerate(rows) if r["办理环节"] == "审批" and i + 2 not in broken)
    rows[node_row]["办理环节"] = "复审"
    broken[node_row + 2] = ("办理环节", "复审", "UNKNOWN_NODE", "服务器")
    originals[node_row + 2] = "审批"
    f = write_csv(tmp_path / "办件流水_2026-03-01.csv", rows)

    r = env.run("push", str(f), "--no-progress")
    assert r.returncode == 1, r.stdout + r.stderr  # 1: some records were rejected

    good_steps = Export([s for i, s in enumerate(export.steps) if i + 2 not in broken])
    bad_cases = {export.steps[n - 2].row["办件编号"] for n in broken}
    assert_server_holds(server, office, Export([s for s in good_steps.steps if s.row["办件编号"] not in bad_cases]))

    # The report: every bad row, its number, the reason and who found it.
    report = tmp_path / "被拒记录.xlsx"
    assert env.run("rejected", "--export", str(report)).returncode == 0
    ws = openpyxl.load_workbook(report).active
    header = [c.value for c in ws[1]]
    listed = {int(row[header.index("原行号")]): row for row in ws.iter_rows(min_row=2, values_only=True)}
    assert set(listed) == set(broken)
    for n, (_col, _value, code, origin) in broken.items():
        row = listed[n]
        assert (row[header.index("错误代码")], row[header.index("错误来源")]) == (code, origin), row
        assert row[header.index("原因")]
        assert row[header.index("处理建议")]
    assert listed[14][header.index("列")] == "事项编码 (B)"
    assert "权力事项目录" in listed[14][header.index("处理建议")]
    # The reasons are Chinese and in the clerk's terms: the steps as the export names them
    # (初审, 审批), not the catalogue's node codes (review, approve); the cell as typed.
    reasons = {n: str(row[header.index("原因")]) for n, row in listed.items()}
    for n, reason in reasons.items():
        assert re.search(r"[A-Za-z]{3,}", reason) is None, f"row {n}: {reason}"
    for words, n in ((("复审", "初审、审批", "办理环节"), node_row + 2), (("QG-D99-001", "目录"), 14),
                     (("补录", "操作类型", "收件"), 3), (("2026-02-30 10:00", "操作时间"), 6), (("办件编号",), 9)):
        missing = [w for w in words if w not in reasons[n]]
        assert missing == [], f"row {n}: {reasons[n]}"

    # The clerk fixes the cells in the report and imports it again with the same mapping.
    for row_cells in ws.iter_rows(min_row=2):
        n = int(row_cells[header.index("原行号")].value)
        row_cells[header.index(broken[n][0])].value = originals[n]
    ws.parent.save(report)
    r = env.run("push", str(report), "--mapping", "banjian", "--no-progress")
    assert r.returncode == 0, r.stdout + r.stderr
    assert_server_holds(server, office, export)
    status = json.loads(env.run("status", "--json").stdout)
    assert (status["queued"], status["rejected"]) == (0, 0)

    # The CSV report of an empty list still opens in Excel (BOM, headers).
    env.run("rejected", "--export", str(tmp_path / "none.csv"))
    with (tmp_path / "none.csv").open(encoding="utf-8-sig") as fh:
        assert next(csv.reader(fh))[-1] == "拒收编号"


def _report_rows(path: Path) -> tuple[list[str], dict[int, tuple[Any, ...]]]:
    ws = openpyxl.load_workbook(path).active
    header = [str(c.value) for c in ws[1]]
    return header, {int(row[header.index("原行号")]): row for row in ws.iter_rows(min_row=2, values_only=True)}


def test_pushing_the_same_file_again_keeps_the_rejection_numbers_and_the_fix_closes_them(
        logged_in: tuple[SyncEnv, ServerProcess, str], tmp_path: Path) -> None:
    """The clerk pushes the file twice before fixing it: 拒收编号 stay the same, and the fix closes them all."""
    env, server, office = logged_in
    export = make_export(6)
    rows = [dict(r) for r in export.rows()]
    broken = {
        3: ("操作类型", "补录"),           # local: not in the value table
        5: ("办件编号", ""),               # local: no key, so no record id
        8: ("事项编码", "QG-D99-001"),     # server: not in the catalogue
    }
    node_row = next(i for i, r in enumerate(rows) if r["办理环节"] == "审批" and i + 2 not in broken)
    broken[node_row + 2] = ("办理环节", "复审")  # server: the item has no such node
    originals = {n: rows[n - 2][col] for n, (col, _v) in broken.items()}
    for n, (col, value) in broken.items():
        rows[n - 2][col] = value
    f = write_csv(tmp_path / "办件流水_2026-03-01.csv", rows)

    assert env.run("push", str(f), "--no-progress").returncode == 1
    first = tmp_path / "被拒记录-1.xlsx"
    assert env.run("rejected", "--export", str(first)).returncode == 0
    header, listed = _report_rows(first)
    numbers = {n: row[header.index("拒收编号")] for n, row in listed.items()}
    assert set(numbers) == set(broken)

    # The same file again (the clerk is not sure it went): nothing new, the same numbers.
    r = env.run("push", str(f), "--no-progress")
    assert r.returncode == 1, r.stdout + r.stderr
    second = tmp_path / "被拒记录-2.xlsx"
    assert env.run("rejected", "--export", str(second)).returncode == 0
    header2, listed2 = _report_rows(second)
    assert {n: row[header2.index("拒收编号")] for n, row in listed2.items()} == numbers
    assert json.loads(env.run("status", "--json").stdout)["rejected"] == len(broken)

    # The clerk fixes the FIRST report (the one printed before the second push) and imports it.
    book = openpyxl.load_workbook(first)
    ws = book.active
    for cells in ws.iter_rows(min_row=2):
        n = int(cells[header.index("原行号")].value)
        cells[header.index(broken[n][0])].value = originals[n]
    book.save(first)
    r = env.run("push", str(first), "--mapping", "banjian", "--no-progress")
    assert r.returncode == 0, r.stdout + r.stderr
    assert_server_holds(server, office, export)
    status = json.loads(env.run("status", "--json").stdout)
    assert (status["queued"], status["rejected"]) == (0, 0), status
    assert "0 open rejections" in env.run("rejected").stdout

    # A number that names nothing open here (a report from another computer, say) is not
    # silently taken: the push warns about it.
    ws.cell(row=2, column=header.index("拒收编号") + 1).value = "9999"
    book.save(first)
    r = env.run("push", str(first), "--mapping", "banjian", "--no-progress")
    assert r.returncode == 0, r.stdout + r.stderr
    said = r.stdout + r.stderr
    assert "拒收编号 9999" in said
    assert said.count("warning") == 1, said  # the other rows' numbers were closed by this very fix
