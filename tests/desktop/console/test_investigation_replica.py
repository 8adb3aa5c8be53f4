"""Investigations in the replica, without Qt: the shared rules decide offline as the server
would, as the person who acts; the case file's gate checklist agrees with the server's
``error.missing``; hostile feed items, files and fetched bytes are refused cleanly and lose
nothing.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path
from typing import Any

import pytest

from desktop.replica import evidence, investigations
from desktop.replica.evidence import EvidenceFileError
from desktop.replica.store import Replica
from shared.actions.investigation import STAGES, gate_missing


def _case(**over: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": str(uuid.uuid4()), "title": "张某违规审批", "subject": {"name": "张某", "unit": "城关镇国土所"},
        "stage": "preliminary_check", "status": "open", "version": 3, "joint_review": False,
        "investigators": ["li.inv"], "created_by": "op1", "created_at": "2026-03-02T09:00:00+08:00",
        "updated_at": "2026-03-02T09:00:00+08:00", "links": [], "filing_approved_by": None, "evidence": [],
        "reviewers": [], "opinions": [], "timeline": []}
    out.update(over)
    return out


@pytest.fixture
def replica(tmp_path: Path) -> Replica:
    r = Replica(tmp_path / "replica.sqlite3")
    r.set_actor("li.inv", "investigator")
    return r


def _feed(replica: Replica, *cases: Any) -> None:
    replica.apply_changes({"cursor": str(uuid.uuid4()), "changes": [
        {"entity": "investigation", "id": str(c.get("id") if isinstance(c, dict) else c), "data": c} for c in cases]})


def test_actions_offline_are_the_shared_rules_as_the_signed_in_person(replica: Replica) -> None:
    case = _case()
    _feed(replica, case)
    cid = case["id"]
    changed, refused = replica.enqueue([cid], "transition", {"to": "filing"}, entity="investigation")
    assert changed == []
    assert refused[0][1].refusal.code == "GATE_UNMET"
    assert refused[0][1].refusal.missing == ("preliminary_report", "filing_approval")
    # Only a requested reviewer gives an opinion: the investigator is refused, as by the server.
    _changed, refused = replica.enqueue([cid], "opinion", {"opinion": "agree", "text": "同意"},
                                        entity="investigation")
    assert refused[0][1].refusal.code == "FORBIDDEN"
    sha = "a" * 64
    changed, _ = replica.enqueue([cid], "attach", {"sha256": sha, "filename": "初核报告.pdf",
                                                   "kind": "preliminary_report"}, entity="investigation")
    assert changed == [cid]
    file = replica.read(investigations.case_file, cid)
    assert file is not None
    assert file.evidence[0]["attached_by"] == "li.inv", "shown as the person's own, before the server says so"
    assert file.gate == [("preliminary_report", True), ("filing_approval", False)]
    assert file.pending == 1
    # The attachment keeps the version (it never conflicts): the base of the next action is 3.
    replica.enqueue([cid], "note", {"text": "记录"}, entity="investigation")
    assert {m["base_version"] for m in replica.pending_mutations()} == {3}


def test_gate_checklist_agrees_with_the_servers_missing_list() -> None:
    case = _case(stage="trial_review", joint_review=True, reviewers=["wang.rev", "zhao.lead"],
                 evidence=[{"sha256": "b" * 64, "kind": "trial_decision"}],
                 opinions=[{"reviewer": "wang.rev", "opinion": "disagree", "text": "不同意"},
                           {"reviewer": "zhao.lead", "opinion": "comment", "text": "再议"}])
    items = investigations.gate_items(case, "execution")
    assert items == [("trial_decision", True), ("opinion:wang.rev", True), ("opinion:zhao.lead", False)]
    assert [i for i, holds in items if not holds] == list(gate_missing(case, "execution"))


def test_list_filters_by_stage_text_and_mine(replica: Replica) -> None:
    a = _case(title="南关乡财政所王某挪用专项资金", subject={"name": "王某", "unit": "南关乡财政所"})
    b = _case(stage="filing", investigators=["other"], reviewers=["li.inv"])
    c = _case(status="concluded", investigators=["other"])
    _feed(replica, a, b, c)
    ids = lambda **kw: {r["id"] for r in replica.read(investigations.investigation_list, **kw)}  # noqa: E731
    assert ids() == {a["id"], b["id"], c["id"]}
    assert ids(phase="filing") == {b["id"]}
    assert ids(phase="concluded") == {c["id"]}
    assert ids(text="财政所 王某") == {a["id"]}
    assert ids(text="100%_") == set()
    assert ids(mine="li.inv") == {a["id"], b["id"]}
    assert ids(mine="li") == set(), "a name is matched whole"
    # Whom a joint review may ask while the server cannot be: everyone the cases here name, once.
    assert replica.read(investigations.people_named) == ["li.inv", "other"]


def test_garbage_in_the_feed_is_stored_without_breaking_the_list(replica: Replica) -> None:
    good = _case()
    hostile: dict[str, Any] = {
        "id": str(uuid.uuid4()), "title": "x" * 10_000, "subject": "not an object", "stage": None,
        "status": 7, "evidence": "nope", "investigators": [1, None, "li.inv"], "timeline": None,
               "opinions": [None, "x"], "links": [{"type": "alert", "id": "17"}, None]}
    _feed(replica, good, hostile)
    rows = replica.read(investigations.investigation_list)
    assert {r["id"] for r in rows} == {good["id"], hostile["id"]}
    bad = next(r for r in rows if r["id"] == hostile["id"])
    assert len(bad["title"]) == 200
    file = replica.read(investigations.case_file, hostile["id"])
    assert file is not None
    assert file.evidence == []
    assert file.opinions == []
    assert file.alerts == []
    # An action on it is decided by the shared rules and refused in words, not a crash.
    _changed, refused = replica.enqueue([hostile["id"]], "transition", {"to": "filing"}, entity="investigation")
    assert refused


def test_files_to_attach_too_big_missing_or_a_folder_are_refused(replica: Replica, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(EvidenceFileError):
        replica.keep_file(tmp_path / "missing.pdf")
    with pytest.raises(EvidenceFileError):
        replica.keep_file(tmp_path)
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * 2048)
    monkeypatch.setattr(evidence, "MAX_FILE", 1024)
    with pytest.raises(EvidenceFileError):
        replica.keep_file(big)
    assert not any(p.is_file() for p in evidence.cache_dir(replica).rglob("*")), "nothing half-kept"
    monkeypatch.setattr(evidence, "MAX_FILE", 100 * 1024 * 1024)
    sha, size = replica.keep_file(big)
    assert sha == hashlib.sha256(b"x" * 2048).hexdigest()
    assert size == 2048
    assert replica.verify_evidence(sha) == evidence.VERIFIED
    assert replica.blobs_to_upload([{"action": "attach", "data": {"sha256": sha}}]) == [sha]
    replica.mark_uploaded(sha)
    assert replica.blobs_to_upload([{"action": "attach", "data": {"sha256": sha}}]) == []


def test_bytes_from_the_server_are_kept_only_if_they_hash_right(replica: Replica) -> None:
    content = "审理决定书".encode() * 100
    sha = hashlib.sha256(content).hexdigest()
    with pytest.raises(EvidenceFileError):
        replica.keep_fetched(sha, content + b"!")
    assert replica.verify_evidence(sha) == evidence.MISSING
    replica.keep_fetched(sha, content)
    assert replica.verify_evidence(sha) == evidence.VERIFIED
    path = replica.evidence_path(sha)
    path.write_bytes(content[:-1] + b"?")
    assert replica.verify_evidence(sha) == evidence.MISMATCH


def test_evidence_to_fetch_lists_each_missing_file_once(replica: Replica) -> None:
    shas = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(3)]
    ev = [{"sha256": s, "kind": "other", "filename": f"{i}.pdf"} for i, s in enumerate(shas)]
    _feed(replica, _case(evidence=ev), _case(evidence=[*ev[:1], {"sha256": "bad"}]))
    replica.keep_fetched(hashlib.sha256(b"0").hexdigest(), b"0")
    assert sorted(replica.read(investigations.evidence_to_fetch)) == sorted(shas[1:])


def test_a_case_withdrawn_from_this_laptop_leaves_with_its_kept_files(replica: Replica) -> None:
    """Taken off a case, an investigator's laptop drops it and the evidence only it named;
    a file another case here names, or one not yet on the server, stays."""
    shared_sha, own_sha, waiting_sha = (hashlib.sha256(x).hexdigest() for x in (b"shared", b"own", b"waiting"))
    for content, sha in ((b"shared", shared_sha), (b"own", own_sha)):
        replica.keep_fetched(sha, content)
    kept_sha, _size = replica.keep_file(_waiting_file(replica, b"waiting"))
    assert kept_sha == waiting_sha  # attached offline: the server has not got it yet
    ev = lambda sha: {"sha256": sha, "filename": "x.pdf", "kind": "other", "attached_by": "li.inv",  # noqa: E731
                      "attached_at": "2026-03-02T09:00:00+08:00", "size": 1}
    gone, stays = _case(evidence=[ev(shared_sha), ev(own_sha)]), _case(evidence=[ev(shared_sha)])
    _feed(replica, gone, stays)
    replica.apply_changes({"cursor": str(uuid.uuid4()), "changes": [
        {"entity": "investigation", "id": gone["id"], "op": "delete", "data": None}]})
    assert {r["id"] for r in replica.read(investigations.investigation_list)} == {stays["id"]}
    assert not replica.evidence_path(own_sha).exists()
    assert replica.evidence_path(shared_sha).exists()
    assert replica.evidence_path(waiting_sha).exists()


def _waiting_file(replica: Replica, content: bytes) -> Path:
    path = replica.evidence_path("0" * 64).parent.parent / "incoming.bin"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def _many_cases(n: int) -> list[dict[str, Any]]:
    """``n`` cases with many equal values (and some missing) in every sortable column."""
    phases = [*STAGES, "concluded", "closed"]
    out = []
    for i in range(n):
        phase = phases[i * 7 % len(phases)]
        subject = {"name": f"{'张王李赵'[i % 4]}某", "unit": f"{'东西南北'[i % 5 % 4]}关镇财政所"} if i % 11 else {}
        out.append(_case(id=str(uuid.UUID(int=i * 7919 + 1, version=4)), title=f"{'乙甲丙'[i % 3]}问题线索{i % 50:02d}",
                         subject=subject, stage=phase if phase in STAGES else "preliminary_check",
                         status=phase if phase not in STAGES else "open",
                         investigators=[f"inv{i % 13:02d}"], evidence=[{"sha256": f"{k:064x}"} for k in range(i % 4)],
                         updated_at=f"2026-03-{1 + i % 20:02d}T09:00:00+08:00"))
    return out


def test_the_list_sorts_the_whole_replica_by_each_column_both_ways(replica: Replica) -> None:
    """A page in any order is the first rows of every matching case in that order (equal values
    kept in one order by the last change and the id), as far as it is paged."""
    cases = _many_cases(1200)
    replica.bulk_insert_investigations(cases)
    rank = {p: i for i, p in enumerate([*STAGES, "concluded", "closed"])}
    value = {
        "title": lambda c: c["title"], "subject_name": lambda c: c["subject"].get("name"),
        "subject_unit": lambda c: c["subject"].get("unit"),
        "stage": lambda c: rank[c["stage"] if c["status"] == "open" else c["status"]],
        "investigators": lambda c: c["investigators"][0], "evidence_count": lambda c: len(c["evidence"]),
        "updated_at": lambda c: c["updated_at"]}
    assert set(value) == set(investigations.ORDERS)
    for key, of in value.items():
        for descending in (False, True):
            # A missing value sorts first, as SQLite sorts NULL.
            expected = sorted(cases, key=lambda c, of=of: ((of(c) is not None, of(c)), c["updated_at"], c["id"]),
                              reverse=descending)
            page = replica.read(investigations.investigation_list, order=key, descending=descending, limit=500)
            assert [r["id"] for r in page] == [c["id"] for c in expected[:500]], (key, descending)
            second = replica.read(investigations.investigation_list, order=key, descending=descending, limit=500,
                                  offset=500)
            assert [r["id"] for r in second] == [c["id"] for c in expected[500:1000]], (key, descending)
    # Under a filter: the first rows of the filtered cases, in the order asked for.
    filing = sorted((c for c in cases if c["stage"] == "filing" and c["status"] == "open"),
                    key=lambda c: (c["title"], c["updated_at"], c["id"]), reverse=True)
    page = replica.read(investigations.investigation_list, phase="filing", order="title", descending=True, limit=20)
    assert [r["id"] for r in page] == [c["id"] for c in filing[:20]]
    by_stage = replica.read(investigations.investigation_list, phase="filing", order="stage", descending=False,
                             limit=20)
    assert [r["id"] for r in by_stage] == [c["id"] for c in sorted(filing, key=lambda c: (c["updated_at"],
                                                                                           c["id"]))[:20]]


def test_each_order_walks_an_index_and_an_unknown_key_is_refused(replica: Replica) -> None:
    replica.bulk_insert_investigations(_many_cases(50))
    conn = replica.connect()
    try:
        for key in investigations.ORDERS:
            for descending in (False, True):
                sql = "EXPLAIN QUERY PLAN SELECT id FROM investigations ORDER BY " + ", ".join(
                    k + (" DESC" if descending else "") for k in investigations.order_keys(key))
                plan = " ".join(str(r[3]) for r in conn.execute(sql))
                assert "TEMP B-TREE" not in plan, (key, plan)
    finally:
        conn.close()
    for hostile in ("title; DROP TABLE investigations", "body", "id DESC", "", "TITLE"):
        with pytest.raises(ValueError, match="cannot be sorted"):
            replica.read(investigations.investigation_list, order=hostile)
    assert len(replica.read(investigations.investigation_list)) == 50
