"""The rejected-records report: a CSV or XLSX the clerk fixes and imports again.

Each rejected row is written with the export's own columns and values (so the same mapping
reads it back), followed by where and why: row number in the original file, the code, the
field, the column, the reason (``desktop.township.reasons``: in Chinese, naming the column,
the cell and the mapping's own words — 初审/审批, not the protocol's node codes) and what to
do about it. The 拒收编号 column ties a fixed row back
to its rejection, which is then closed when the row is imported.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from desktop.township.advice import advice
from desktop.township.agent import REJECTION_REF_COLUMN
from desktop.township.outbox import Outbox
from desktop.township.reasons import Explainer, catalogue_translate

EXTRA_COLUMNS = ("原文件", "原行号", "错误来源", "错误代码", "字段", "列", "原因", "处理建议", REJECTION_REF_COLUMN)
ORIGIN_TEXT = {"local": "本机校验", "server": "服务器"}


def rejection_groups(box: Outbox) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Rows to export, grouped by mapping (each mapping has its own columns)."""
    groups: dict[str, tuple[list[str], list[list[Any]]]] = {}
    # The report is Chinese (its headers, the advice) whatever the language of the window.
    explainer = Explainer(box.home, catalogue_translate("zh_CN"))
    for r in box.open_rejections():
        headers: list[str] = json.loads(r["headers"]) if r["headers"] else []
        source = json.loads(r["source"]) if r["source"] else []
        key = r["mapping"] or "unknown"
        if isinstance(source, dict):  # a JSON line: its keys are the columns
            headers = list(source)
            values = [source[h] if not isinstance(source[h], dict | list) else json.dumps(source[h], ensure_ascii=False)
                      for h in headers]
            key = f"{key}:{','.join(headers)}"
        else:
            values = list(source) + [""] * (len(headers) - len(source))
        base = [h for h in headers if h not in EXTRA_COLUMNS]
        values = [v for h, v in zip(headers, values, strict=False) if h not in EXTRA_COLUMNS]
        _cols, rows = groups.setdefault(key, (base + list(EXTRA_COLUMNS), []))
        rows.append([*values, r["file"] or "", r["row_no"] or "", ORIGIN_TEXT.get(r["origin"], r["origin"]),
                     r["code"], r["field"] or "", r["column_name"] or "", explainer.explain(dict(r)), advice(r["code"]),
                     r["id"]])
    return groups


def export_rejections(box: Outbox, target: Path) -> list[Path]:
    """Write the report; CSV (UTF-8 with BOM, so Excel shows the Chinese) or XLSX by suffix."""
    groups = rejection_groups(box)
    written: list[Path] = []
    if target.suffix.lower() == ".xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        book.remove(book.active)
        for i, (_key, (cols, rows)) in enumerate(groups.items() or [("", (list(EXTRA_COLUMNS), []))]):
            ws = book.create_sheet(f"被拒记录{i + 1}" if len(groups) > 1 else "被拒记录")
            ws.append(cols)
            for row in rows:
                # Everything as text: the clerk's case numbers and ID numbers must not turn into
                # numbers in scientific notation when Excel opens the file.
                ws.append([str(v) if v is not None else "" for v in row])
            for col in ws.iter_cols(min_row=1, max_row=ws.max_row):
                for cell in col:
                    cell.number_format = "@"
        book.save(target)
        written.append(target)
        return written
    items = list(groups.items()) or [("", (list(EXTRA_COLUMNS), []))]
    for i, (_key, (cols, rows)) in enumerate(items):
        path = target if i == 0 else target.with_name(f"{target.stem}-{i + 1}{target.suffix}")
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f)
            w.writerow(cols)
            w.writerows(rows)
        written.append(path)
    return written
