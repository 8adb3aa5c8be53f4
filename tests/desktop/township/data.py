"""Generated township exports (办件流水) and what the server should hold afterwards.

Every test makes its own data: a number of cases, each with the steps a real case goes
through, written as GBK CSV, XLSX (dates as real Excel dates on some rows and as text on
others; case numbers as numbers) or JSON lines.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

CST = timezone(timedelta(hours=8))
HEADERS = ["办件编号", "事项编码", "事项名称", "办理环节", "操作类型", "操作时间", "经办人", "申请人",
           "申请人证件号", "办理渠道", "收费金额(元)", "办理意见", "法律依据", "备注"]
#: The server's catalogue in tests/harness.py: item → (name, node names in order, fee in yuan)
ITEMS = {
    "QG-D07-001": ("建筑工程施工许可", [("初审", "review"), ("审批", "approve")], None),
    "QG-D03-002": ("食品经营许可", [("现场核查", "check"), ("签发", "sign")], "50.00"),
}


@dataclass
class Step:
    """One row of the export and the event the server should store for it."""

    row: dict[str, Any]
    type: str
    at: datetime
    node: str | None = None


@dataclass
class Export:
    """A generated day of 办件流水 and the events expected per case."""

    steps: list[Step] = field(default_factory=list)

    def expected(self) -> dict[str, list[tuple[str, datetime, str | None]]]:
        out: dict[str, list[tuple[str, datetime, str | None]]] = {}
        for s in self.steps:
            out.setdefault(str(s.row["办件编号"]), []).append((s.type, s.at, s.node))
        return {k: sorted(v, key=_key) for k, v in out.items()}

    def rows(self) -> list[dict[str, Any]]:
        return [s.row for s in self.steps]


def _key(e: tuple[str, datetime, str | None]) -> tuple[str, str, str]:
    return (e[1].isoformat(), e[0], e[2] or "")


def make_export(cases: int, *, first: int = 1, day: str = "2026-03-01", prefix: str = "2026") -> Export:
    """``cases`` cases received on ``day`` (before the test server's simulated now)."""
    base = datetime.fromisoformat(day).replace(hour=8, tzinfo=CST)
    exp = Export()
    for n in range(first, first + cases):
        case_no = f"{prefix}{n:07d}"
        power = "QG-D07-001" if n % 3 else "QG-D03-002"
        name, nodes, fee = ITEMS[power]
        t = base + timedelta(minutes=(n * 7) % 600)
        common = {"办件编号": case_no, "事项编码": power, "事项名称": name, "申请人": f"张{n}",
                  "申请人证件号": f"350505198001{n % 10000:04d}1X"[:18], "办理渠道": "窗口", "收费金额(元)": "",
                  "办理意见": "", "法律依据": "", "备注": ""}

        def add(op: str, typ: str, minutes: int, *, node_name: str = "", node: str | None = None,
                actor: str = "S0301", t: datetime = t, common: dict[str, Any] = common, **extra: Any) -> None:
            at = t + timedelta(minutes=minutes)
            row = {**common, "办理环节": node_name or op, "操作类型": op,
                   "操作时间": at.strftime("%Y-%m-%d %H:%M:%S"), "经办人": actor, **extra}
            exp.steps.append(Step(row, typ, at, node))

        add("收件", "received", 0)
        add("受理", "accepted", 5)
        add("审核", "node_completed", 20, node_name=nodes[0][0], node=nodes[0][1], actor="S0302")
        add("审核", "node_completed", 40, node_name=nodes[1][0], node=nodes[1][1], actor="S0303")
        if fee:
            charged: dict[str, Any] = {"收费金额(元)": fee}
            add("收费", "fee_charged", 50, **charged)
        add("办结", "decided", 60, 办理意见="准予许可")
        add("送达", "delivered", 70)
    return exp


def write_csv(path: Path, rows: list[dict[str, Any]], encoding: str = "gbk") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        w = csv.DictWriter(f, fieldnames=HEADERS)
        w.writeheader()
        for r in rows:
            w.writerow({h: r.get(h, "") for h in HEADERS})
    return path


def write_xlsx(path: Path, rows: list[dict[str, Any]], *, title: str | None = "XX镇便民服务中心 办件流水") -> Path:
    """Like Excel would: a title line, real dates on even rows, text dates on odd ones, numbers as numbers."""
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    if title:
        ws.append([title])
    ws.append(HEADERS)
    for i, r in enumerate(rows):
        values: list[Any] = []
        for h in HEADERS:
            v = r.get(h, "")
            if h == "操作时间" and i % 2 == 0:
                v = datetime.strptime(v, "%Y-%m-%d %H:%M:%S")  # a real Excel date cell
            elif h == "办件编号" and i % 3 == 0:
                v = int(v)  # a number cell: must come back as the same text
            elif h == "收费金额(元)" and v:
                v = float(v)
            values.append(v if v != "" else None)
        ws.append(values)
    for row in ws.iter_rows(min_row=3 if title else 2):
        cell = row[HEADERS.index("操作时间")]
        if isinstance(cell.value, datetime):
            cell.number_format = "yyyy-mm-dd hh:mm:ss"
    book.save(path)
    return path


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


class CaseReader:
    """Reads cases over one kept-alive TLS connection (hundreds of GETs; a handshake each is slow)."""

    def __init__(self, server: Any):
        import http.client

        self.server = server
        self.conn = http.client.HTTPSConnection("127.0.0.1", server.port, context=server.ssl_context(), timeout=60)
        self.token = server.admin_token

    def events(self, office: str, case_no: str) -> list[tuple[str, datetime, str | None]]:
        self.conn.request("GET", f"/api/v1/approval-cases/{office}/{case_no}",
                          headers={"Authorization": f"Bearer {self.token}"})
        r = self.conn.getresponse()
        body = r.read()
        if r.status == 404:
            return []
        assert r.status == 200, body
        events = json.loads(body)["events"]
        return sorted(((e["type"], datetime.fromisoformat(e["at"]), e.get("node")) for e in events), key=_key)

    def close(self) -> None:
        self.conn.close()


def assert_server_holds(server: Any, office: str, export: Export) -> None:
    """Every expected event is on the server exactly once, and nothing else for these cases."""
    reader = CaseReader(server)
    try:
        for case_no, expected in export.expected().items():
            got = reader.events(office, case_no)
            assert got == expected, f"case {case_no}: server has {got}, expected {expected}"
    finally:
        reader.close()
