"""Server-shaped alerts and change-feed pages for tests that do not need a running server."""

from __future__ import annotations

import itertools
from typing import Any

from shared.rules.common import RULES
from shared.timeutil import format_instant, parse_instant

BASE = parse_instant("2026-03-02T08:00:00+08:00")
_seq = itertools.count(1)


def alert(alert_id: int, *, severity: str = "yellow", rule: str | None = None, office: str = "T01",
          case_no: str | None = None, status: str = "open", minutes: int | None = None, version: int = 1,
          message: str | None = None, assignee: str | None = None, message_en: str | None = None) -> dict[str, Any]:
    rule = rule or ("OVERDUE" if severity == "red" else "DEADLINE_NEAR")
    info = RULES[rule]
    raised = BASE + 60_000_000 * (alert_id if minutes is None else minutes)
    return {
        "id": alert_id, "rule": rule, "rule_name": {"zh_CN": info.name_zh, "en": info.name_en},
        "severity": severity, "status": status, "condition_cleared": False,
        "subject": {"type": "case", "office": office, "case_no": case_no or f"2026-{alert_id:07d}"},
        "node": None, "raised_at": format_instant(raised), "as_of": format_instant(raised),
        "updated_at": format_instant(raised), "message": message or f"case {alert_id} {rule}",
        "message_en": message_en,
        "evidence": {"due": format_instant(raised)}, "assignee": assignee, "resolution": None, "version": version,
    }


def page(*alerts: dict[str, Any], offices: tuple[str, ...] = (), more: bool = False) -> dict[str, Any]:
    changes = [{"seq": next(_seq), "entity": "office", "id": o, "op": "upsert",
                "data": {"code": o, "name": f"{o} 便民服务中心", "kind": "township"}} for o in offices]
    changes += [{"seq": next(_seq), "entity": "alert", "id": str(a["id"]), "op": "upsert", "data": a}
                for a in alerts]
    return {"changes": changes, "cursor": f"c1.{next(_seq)}", "more": more}


def case(office: str, case_no: str, *, state: str = "in_progress", power: str = "QG-D07-001",
         day: int = 0) -> dict[str, Any]:
    received = BASE - 86_400_000_000 * (10 - day)
    return {"office": office, "case_no": case_no, "power_code": power, "state": state,
            "received_at": format_instant(received), "due": format_instant(received + 5 * 86_400_000_000),
            "version": 1}


def entities(kind: str, rows: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    return {"changes": [{"seq": next(_seq), "entity": kind, "id": key, "op": "upsert", "data": data}
                        for key, data in rows], "cursor": f"c1.{next(_seq)}", "more": False}
