"""The console's replica predicts the server for investigation actions, as it does for alerts.

Every role sends every investigation action, with good and bad data, to cases in several
stages on a real server; the replica (``desktop.replica.local.check_entity``/``apply_entity``,
the same ``shared.actions`` table) judges the same action on the case as the server held it.
Both must accept or refuse alike, with the same code, and an accepted action must leave the
case as the replica said it would. The one thing the replica cannot know — whether a blob
someone else uploaded is stored — it answers optimistically; that is the only difference allowed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.replica import local
from shared.actions import Actor
from tests.server.support import create_user, new_id, server_from_template, upload

USERS = {"admin": "admin", "op": "operator", "op2": "operator", "li": "investigator", "zhao": "investigator",
         "wang": "investigator", "sun": "investigator", "chen": "leader", "xf": "petition_officer"}
ACTORS = ("admin", "op", "op2", "li", "zhao", "wang", "chen", "xf")
NOT_STORED = "e" * 64


def _states(blobs: dict[str, str]) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """How to bring a case (opened by op, assigned to li) into each state, as the administrator."""
    pre: list[tuple[str, dict[str, Any]]] = [("transition", {"to": "preliminary_check"})]
    report: list[tuple[str, dict[str, Any]]] = [
        ("attach", {"sha256": blobs["pre"], "filename": "初核.pdf", "kind": "preliminary_report"}),
              ("approve_filing", {})]
    to_trial: list[tuple[str, dict[str, Any]]] = [
        ("transition", {"to": "filing"}), ("transition", {"to": "investigation"}),
                ("attach", {"sha256": blobs["inv"], "filename": "调查.pdf", "kind": "investigation_report"}),
                ("transition", {"to": "trial_review"}),
                ("attach", {"sha256": blobs["trial"], "filename": "审理.pdf", "kind": "trial_decision"}),
                ("request_review", {"reviewers": ["wang"]})]
    return {
        "acceptance": [("request_review", {"reviewers": ["wang"]})],
        "preliminary_check": [*pre, ("request_review", {"reviewers": ["wang"]})],
        "filing_ready": [*pre, *report, ("request_review", {"reviewers": ["wang"]})],
        "trial_review": [*pre, *report, *to_trial],
        "concluded": [*pre, ("request_review", {"reviewers": ["wang"]}),
                      ("transition", {"to": "concluded", "reason": "不属实"})],
    }


def _variants(blobs: dict[str, str]) -> list[tuple[str, dict[str, Any]]]:
    return [
        ("transition", {"to": "preliminary_check"}),
        ("transition", {"to": "filing"}),
        ("transition", {"to": "execution"}),
        ("transition", {"to": "concluded"}),
        ("transition", {"to": "concluded", "reason": "反映不实"}),
        ("transition", {"to": "nowhere"}),
        ("approve_filing", {"text": "同意"}),
        ("attach", {"sha256": blobs["extra"], "filename": "补充.pdf", "kind": "other"}),
        ("attach", {"sha256": blobs["extra"], "filename": "补充.pdf", "kind": "other", "supersedes": NOT_STORED}),
        ("attach", {"sha256": NOT_STORED, "filename": "未上传.pdf", "kind": "other"}),
        ("attach", {"sha256": "XYZ", "filename": "x", "kind": "other"}),
        ("note", {"text": "已约谈"}),
        ("note", {"text": "  "}),
        ("assign", {"investigators": ["li", "sun"]}),
        ("assign", {"investigators": ["chen"]}),
        ("assign", {"investigators": []}),
        ("request_review", {"reviewers": ["sun"]}),
        ("request_review", {"reviewers": ["nobody"]}),
        ("opinion", {"opinion": "agree", "text": "同意"}),
        ("opinion", {"opinion": "maybe", "text": "?"}),
        ("annotate", {"text": "阅"}),
        ("delete", {}),
    ]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, server_template: Path) -> Iterator[dict[str, Any]]:
    server = server_from_template(server_template, tmp_path_factory.mktemp("inv-parity") / "data")
    server.start()
    try:
        server.setup_basic(("T01",))
        tokens = {"admin": "admin"}
        for name, role in USERS.items():
            if name != "admin":
                tokens[name] = create_user(server, role, username=name)
        blobs = {k: upload(server, "admin", f"{k} parity ".encode() * 100) for k in ("pre", "inv", "trial", "extra")}
        yield {"server": server, "tokens": tokens, "blobs": blobs}
    finally:
        server.stop()


def _open(server: Any, tokens: dict[str, str], steps: list[tuple[str, dict[str, Any]]], n: int) -> list[str]:
    """``n`` cases opened by op (assigned to li), each brought through ``steps`` by the administrator."""
    ids = [new_id() for _ in range(n)]
    created = server.call("POST", "/mutations", {"mutations": [
        {"id": new_id(), "entity": "investigation", "entity_id": cid, "action": "create",
         "data": {"title": "一致性", "subject": {"name": "某"}, "investigators": ["li"]}} for cid in ids]},
        token=tokens["op"]).json()["results"]
    assert {r["status"] for r in created} == {"applied"}
    setup = [{"id": new_id(), "entity": "investigation", "entity_id": cid, "action": action, "data": data}
             for cid in ids for action, data in steps]
    for start in range(0, len(setup), 1000):  # a request carries at most 1,000 mutations
        done = server.call("POST", "/mutations", {"mutations": setup[start:start + 1000]}).json()["results"]
        assert {r["status"] for r in done} == {"applied"}, [r for r in done if r["status"] != "applied"][:3]
    return ids


def _local(case: dict[str, Any], action: str, data: dict[str, Any], actor: Actor) -> tuple[str, dict[str, Any] | None]:
    try:
        after = local.apply_entity("investigation", case, action, data, actor=actor,
                                   world=local.ReplicaWorld(users=USERS))
    except local.ActionRefused as exc:
        return exc.refusal.code, None
    return "applied", after


#: What an accepted action must leave as the replica predicted (times and sizes are the server's).
COMPARED = ("stage", "status", "version", "joint_review", "investigators", "reviewers", "filing_approved_by")


def _shape(case: dict[str, Any]) -> dict[str, Any]:
    out = {k: case.get(k) for k in COMPARED}
    out["evidence"] = [(e["sha256"], e["kind"], e["supersedes"], e["attached_by"]) for e in case["evidence"]]
    out["opinions"] = [(o["reviewer"], o["opinion"], o["text"]) for o in case["opinions"]]
    out["timeline"] = [(t["actor"], t["action"], t["data"]) for t in case["timeline"]]
    return out


def test_server_and_replica_agree_on_investigation_actions(world: dict[str, Any]) -> None:
    server, tokens, blobs = world["server"], world["tokens"], world["blobs"]
    states, variants = _states(blobs), _variants(blobs)
    differ: list[tuple[Any, ...]] = []
    codes: set[str] = set()
    for state, steps in states.items():
        rows = [(actor, action, data) for actor in ACTORS for action, data in variants]
        ids = _open(server, tokens, steps, len(rows))
        # Cases brought through the same steps differ only in their id (the clock stands still).
        template = server.call("GET", f"/investigations/{ids[0]}").json()
        predictions = [_local(dict(template, id=cid), action, data, Actor(actor, USERS[actor]))
                       for (actor, action, data), cid in zip(rows, ids, strict=True)]
        results: dict[str, dict[str, Any]] = {}
        for actor in ACTORS:
            mine = [(cid, action, data) for (who, action, data), cid in zip(rows, ids, strict=True) if who == actor]
            sent = server.call("POST", "/mutations", {"mutations": [
                {"id": new_id(), "entity": "investigation", "entity_id": cid, "action": action, "data": data}
                for cid, action, data in mine]}, token=tokens[actor]).json()["results"]
            results.update({cid: res for (cid, _a, _d), res in zip(mine, sent, strict=True)})
        for (actor, action, data), cid, (predicted, after) in zip(rows, ids, predictions, strict=True):
            res = results[cid]
            got = "applied" if res["status"] == "applied" else res["error"]["code"]
            codes.add(got)
            unknowable = data.get("sha256") == NOT_STORED and (predicted, got) == ("applied", "EVIDENCE_MISSING")
            if predicted != got:
                differ.append((state, actor, action, str(data)[:50], predicted, got, unknowable))
            elif got == "applied" and after is not None:
                stored = server.call("GET", f"/investigations/{cid}").json()
                if _shape(stored) != _shape(after):
                    differ.append((state, actor, action, "state", _shape(after), _shape(stored), False))
    assert [d for d in differ if not d[-1]] == []
    assert [d for d in differ if d[-1]], "the replica is optimistic about blobs it cannot know"
    assert {"applied", "FORBIDDEN", "NOT_FOUND", "STAGE_ORDER", "GATE_UNMET", "MISSING_FIELD", "INVALID_FIELD",
            "EVIDENCE_MISSING", "UNKNOWN_ACTION"} <= codes, codes
