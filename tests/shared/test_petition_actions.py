"""The petition desk's action table (spec 06 §3), as the server and the console both run it.

Who may act, in which state each action applies, the extension limit, which actions conflict
on a stale version, that every applied action bumps the version, that ``register`` judges a
record exactly as a batch does, and that neither the petitioner nor the password is echoed.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from shared import protocol
from shared.actions import Actor, Conflict, Plan, Refusal, plan, redacted
from shared.actions.petition import PROTECTED, RegisterData, state_of
from shared.rules.petition import PetitionEventFact, PetitionFacts, evaluate_petition, petition_state
from shared.timeutil import parse_instant

PID = "64fdb799-a8e2-5eeb-8e38-d21378593d99"
OTHER = "bc5d2f8b-424e-5a5f-8a14-4430e7d919b9"
DESK = Actor("xf1", "petition_officer")
ADMIN = Actor("root", "admin")
NOW = "2026-04-13T10:30:00+08:00"


class World:
    """A world of dicts, as the console's replica holds it."""

    def __init__(self, *petitions: dict[str, Any], blobs: tuple[str, ...] = (), codes: tuple[str, ...] = ()):
        self.entities = {("petition", p["id"]): p for p in petitions}
        self.blobs = set(blobs)
        self.codes = set(codes)

    def now(self) -> str:
        return NOW

    def get(self, entity: str, entity_id: str) -> dict[str, Any] | None:
        return self.entities.get((entity, entity_id))

    def user_role(self, username: str) -> str | None:
        return None

    def blob_stored(self, sha256: str) -> bool:
        return sha256 in self.blobs

    def office_exists(self, code: str) -> bool:
        return code in ("C00", "T01")

    def unique_taken(self, entity: str, field: str, value: str) -> bool:
        return entity == "petition" and field == "receipt_code" and value in self.codes


def registration(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "office": "C00", "channel": "visit", "received_at": "2026-04-13T10:00:00+08:00",
        "petitioner": {"name": "孙某某", "id_number": "350521198512120033", "phone": "13800001111",
                       "address": "城关镇某村"},
        "anonymous": False, "subject": {"name": "赵某", "unit": "城关镇市场监管所", "title": "窗口人员"},
        "category": "fees", "content": "反映城关镇市场监管所赵某办理食品经营许可时超标准收费八十元",
        "query_password": "Sun-query-2026",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not _DROP}


_DROP = object()


def registered(pid: str = PID, **changes: Any) -> dict[str, Any]:
    out = plan("petition", "register", entity_id=pid, data=registration(**changes), base_version=None, actor=DESK,
               world=World())
    assert isinstance(out, Plan), out
    return out.steps[0].after


def act(petition: dict[str, Any], action: str, data: dict[str, Any] | None = None, *, actor: Actor = DESK,
        base_version: int | None = None, world: World | None = None) -> Refusal | Conflict | Plan:
    return plan("petition", action, entity_id=petition["id"], data=data or {}, base_version=base_version,
                actor=actor, world=world or World(petition))


def then(petition: dict[str, Any], *steps: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    for action, data in steps:
        out = act(petition, action, data)
        assert isinstance(out, Plan), (action, out)
        petition = out.steps[0].after
    return petition


def code(outcome: Refusal | Conflict | Plan) -> str:
    if isinstance(outcome, Refusal):
        return outcome.code
    return "conflict" if isinstance(outcome, Conflict) else "applied"


# Petitions in every state the desk meets them in.
STATES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "registered": [],
    "accepted": [("accept", {})],
    "assigned": [("accept", {}), ("assign", {"unit": "城关镇纪委"})],
    "not_accepted": [("not_accept", {"reason": "不属于纪检监察机关受理范围"})],
    "replied": [("accept", {}), ("reply", {"text": "经核查，已责令退还多收费用。"})],
    "closed": [("accept", {}), ("reply", {"text": "已处理"}), ("close", {})],
    "refused_closed": [("not_accept", {"reason": "重复"}), ("close", {"text": "已告知"})],
}
ACTIONS: dict[str, dict[str, Any]] = {
    "accept": {}, "not_accept": {"reason": "不属于受理范围"}, "assign": {"unit": "城关镇纪委"},
    "extend": {"days": 10}, "reply": {"text": "已处理"}, "close": {"substantiated": True},
    "convert": {"title": "信访转立案"},
}
#: What each action does in each state: applied, or the refusal's code.
TABLE = {
    "registered": {"accept": "applied", "not_accept": "applied", "assign": "PETITION_STATE",
                   "extend": "PETITION_STATE", "reply": "PETITION_STATE", "close": "PETITION_STATE",
                   "convert": "applied"},
    "accepted": {"accept": "PETITION_STATE", "not_accept": "PETITION_STATE", "assign": "applied",
                 "extend": "applied", "reply": "applied", "close": "PETITION_STATE", "convert": "applied"},
    "assigned": {"accept": "PETITION_STATE", "not_accept": "PETITION_STATE", "assign": "applied",
                 "extend": "applied", "reply": "applied", "close": "PETITION_STATE", "convert": "applied"},
    "not_accepted": {"accept": "PETITION_STATE", "not_accept": "PETITION_STATE", "assign": "PETITION_STATE",
                     "extend": "PETITION_STATE", "reply": "PETITION_STATE", "close": "applied",
                     "convert": "applied"},
    "replied": {"accept": "PETITION_STATE", "not_accept": "PETITION_STATE", "assign": "applied",
                "extend": "applied", "reply": "applied", "close": "applied", "convert": "applied"},
    "closed": dict.fromkeys(ACTIONS, "PETITION_STATE"),
    "refused_closed": dict.fromkeys(ACTIONS, "PETITION_STATE"),
}


@pytest.mark.parametrize("state", list(STATES))
def test_each_action_applies_only_in_its_order(state: str) -> None:
    petition = then(registered(), *STATES[state])
    got = {action: code(act(petition, action, data)) for action, data in ACTIONS.items()}
    assert got == TABLE[state]


def test_nothing_but_attach_happens_to_a_merged_petition() -> None:
    primary = registered(OTHER)
    dup = registered()
    out = act(dup, "merge", {"into": OTHER}, world=World(dup, primary))
    assert isinstance(out, Plan)
    merged = out.steps[0].after
    assert (merged["status"], merged["merged_into"]) == ("merged", OTHER)
    assert out.steps[1].after["duplicates"] == [PID], "the primary knows its duplicates"
    world = World(merged, out.steps[1].after, blobs=("a" * 64,))
    for action, data in ACTIONS.items():
        assert code(act(merged, action, data, world=world)) == "PETITION_STATE", action
    assert code(act(merged, "merge", {"into": OTHER}, world=world)) == "PETITION_STATE"
    assert code(act(merged, "attach", {"sha256": "a" * 64, "filename": "来信.pdf"}, world=world)) == "applied"


def test_merge_refuses_itself_a_merged_target_a_primary_and_an_unknown_one() -> None:
    a, b, c = registered(), registered(OTHER), registered("0c7a9f2e-0a0b-4c5d-8e9f-101112131415")
    assert code(act(a, "merge", {"into": PID})) == "PETITION_STATE"
    missing = act(a, "merge", {"into": "7d7d7d7d-0000-4000-8000-000000000000"})
    assert isinstance(missing, Refusal)
    assert (missing.code, missing.field) == ("INVALID_FIELD", "into")
    out = act(b, "merge", {"into": c["id"]}, world=World(b, c))
    assert isinstance(out, Plan)
    b_merged, c_primary = out.steps[0].after, out.steps[1].after
    assert code(act(a, "merge", {"into": OTHER}, world=World(a, b_merged, c_primary))) == "PETITION_STATE", \
        "a petition merged into another cannot be a primary"
    assert code(act(c_primary, "merge", {"into": PID}, world=World(a, b_merged, c_primary))) == "PETITION_STATE", \
        "a primary cannot itself be merged away from its duplicates"


def test_extensions_stop_at_thirty_days_in_all() -> None:
    petition = then(registered(), ("accept", {}), ("extend", {"days": 20}))
    refused = act(petition, "extend", {"days": 11})
    assert isinstance(refused, Refusal)
    assert refused.code == "EXTENSION_LIMIT"
    assert "已延期 20 日" in refused.message_zh, "the desk is told what was granted"
    assert "还可延期 10 日" in refused.message_zh, "and what is left"
    assert code(act(petition, "extend", {"days": 10})) == "applied"
    for bad in (0, 31, -1, "10", 10.0, None, True):
        out = act(petition, "extend", {"days": bad})
        assert code(out) in ("INVALID_FIELD", "MISSING_FIELD"), bad
    assert code(act(petition, "extend", {})) == "MISSING_FIELD"


def test_only_the_desk_acts_and_is_told_forbidden_not_not_found() -> None:
    petition = registered()
    for role in ("operator", "leader", "investigator"):
        for action, data in ACTIONS.items():
            assert code(act(petition, action, data, actor=Actor("x", role), base_version=0)) == "FORBIDDEN", role
    assert code(act(petition, "accept", actor=ADMIN)) == "applied"


def test_decisions_merge_and_close_conflict_on_a_stale_version_the_rest_do_not() -> None:
    petition = then(registered(), ("accept", {}), ("reply", {"text": "已处理"}))
    assert petition["version"] == 3
    stale = 2
    assert code(act(petition, "close", {}, base_version=stale)) == "conflict"
    assert code(act(petition, "close", {}, base_version=3)) == "applied"
    for action, data in (("assign", {"unit": "纪委"}), ("extend", {"days": 5}), ("reply", {"text": "补充答复"})):
        assert code(act(petition, action, data, base_version=stale)) == "applied", action
    fresh = registered()
    assert code(act(fresh, "accept", base_version=0)) == "conflict"
    assert code(act(fresh, "not_accept", {"reason": "x"}, base_version=0)) == "conflict"
    other = registered(OTHER)
    assert code(act(fresh, "merge", {"into": OTHER}, base_version=0, world=World(fresh, other))) == "conflict"
    # A conflict shows the petition as stored, the petitioner still protected.
    conflict = act(fresh, "accept", base_version=0)
    assert isinstance(conflict, Conflict)
    assert conflict.current["petitioner"] == PROTECTED


def test_every_applied_desk_action_bumps_the_version_and_adds_its_event() -> None:
    petition = registered()
    assert petition["version"] == 1
    steps: list[tuple[str, dict[str, Any], str]] = [
             ("accept", {}, "accepted"), ("assign", {"unit": " 城关镇纪委 "}, "assigned"),
             ("extend", {"days": 15}, "extended"), ("reply", {"text": "经核查属实，已退还多收费用。"}, "replied"),
             ("close", {"text": "办结", "substantiated": True}, "closed")]
    for n, (action, data, event_type) in enumerate(steps, start=2):
        out = act(petition, action, data)
        assert isinstance(out, Plan)
        assert out.version == n
        petition = out.steps[0].after
        event = petition["events"][-1]
        assert (event["type"], event["actor"], event["at"]) == (event_type, "xf1", NOW)
    assert [e["text"] for e in petition["events"]][1] == "城关镇纪委"
    assert petition["events"][2]["days"] == 15
    assert petition["events"][-1]["substantiated"] is True
    assert len({e["id"] for e in petition["events"]}) == len(steps)
    assert petition["status"] == "closed"


def test_the_desk_state_is_the_rules_state() -> None:
    petition = then(registered(), *STATES["replied"])
    facts = PetitionFacts(PID, parse_instant(petition["received_at"]), [
        PetitionEventFact(e["id"], e["type"], parse_instant(e["at"]), e["days"] or 0, True)
        for e in petition["events"]])
    result = evaluate_petition(facts, parse_instant("2026-04-13T09:00:00+08:00"), parse_instant(NOW))
    assert result.status == state_of(petition) == petition_state(e["type"] for e in petition["events"]) == "replied"
    # Township records (not the desk's) wait for the office's watermark; the desk's do not.
    office_facts = PetitionFacts(PID, facts.received_at, [PetitionEventFact(e.id, e.type, e.at, e.days)
                                                          for e in facts.events])
    assert evaluate_petition(office_facts, parse_instant("2026-04-13T09:00:00+08:00")).status == "registered"
    # The furthest step counts, whatever order an office sent its records in.
    assert petition_state(["replied", "accepted", "closed"]) == "closed"
    assert petition_state(["accepted", "merged", "replied"]) == "merged"
    assert petition_state(["not_accepted", "accepted"]) == "not_accepted"
    assert petition_state([]) == "registered"


# --- register: the same judgement as a batch's petition record ---------------------------------

GARBAGE: list[dict[str, Any]] = [
    {"channel": "email"},
    {"channel": None},
    {"channel": _DROP},
    {"received_at": "2026-04-13 10:00"},
    {"received_at": "yesterday"},
    {"received_at": _DROP},
    {"petitioner": None},
    {"petitioner": "孙某某 350521198512120033"},
    {"petitioner": {"name": "", "id_number": "350521198512120033"}},
    {"petitioner": {"name": "孙某某" * 100}},
    {"petitioner": {"name": ["孙某某"]}},
    {"petitioner": {"name": "孙某某", "id_number": 350521198512120033}},
    {"anonymous": True},
    {"anonymous": "yes"},
    {"subject": None},
    {"subject": {"name": ""}},
    {"subject": {"unit": "城关镇"}},
    {"subject": "赵某"},
    {"category": "bribery"},
    {"content": 42},
    {"content": "长" * 100_001},
    {"receipt_code": "12345"},
    {"receipt_code": 4821937561028374},
    {"receipt_code": "48219375610283741"},
    {"query_password": "Qz9!x"},
    {"query_password": 123456},
    {"query_password": "x" * 201},
]


@pytest.mark.parametrize("change", GARBAGE, ids=[str(list(g))[:40] + str(i) for i, g in enumerate(GARBAGE)])
def test_register_refuses_what_a_batch_refuses_with_the_same_code_and_field(change: dict[str, Any]) -> None:
    data = registration(**change)
    record = {"kind": "petition", "id": PID, **{k: v for k, v in data.items() if k != "office"}}
    if "receipt_code" not in record and (record.get("anonymous") is not True or "query_password" in record):
        record["receipt_code"] = "0" * 16  # the server generates it
    with pytest.raises(protocol.Rejection) as batch:
        protocol.parse_record(record)
    out = plan("petition", "register", entity_id=PID, data=data, base_version=None, actor=DESK, world=World())
    assert isinstance(out, Refusal), out
    assert (out.code, out.field) == (batch.value.code, batch.value.field)
    shown = repr(out.as_error())
    for secret in ("孙某某", "350521198512120033", "13800001111", "城关镇某村", "Sun-query-2026", "Qz9!x"):
        assert secret not in shown, f"the refusal echoes {secret!r}"


def test_register_refuses_unknown_fields_a_future_time_an_unknown_office_and_a_used_code() -> None:
    def reg(world: World | None = None, **changes: Any) -> Refusal | Conflict | Plan:
        return plan("petition", "register", entity_id=PID, data=registration(**changes), base_version=None,
                    actor=DESK, world=world or World())

    typo = reg(subjct={"name": "赵某"})
    assert isinstance(typo, Refusal)
    assert (typo.code, typo.field) == ("INVALID_FIELD", "subjct")
    assert code(reg(kind="petition")) == "INVALID_FIELD", "the record's kind is not the desk's to send"
    future = reg(received_at="2026-04-13T10:41:00+08:00")
    assert isinstance(future, Refusal)
    assert (future.code, future.field) == ("FUTURE_TIMESTAMP", "received_at")
    assert code(reg(received_at="2026-04-13T10:40:00+08:00")) == "applied", "ten minutes ahead is tolerated"
    assert code(reg(received_at="0202-04-13T10:00:00+08:00")) == "INVALID_FIELD"
    assert code(reg(office="T99")) == "INVALID_FIELD"
    assert code(reg(office="")) == "INVALID_FIELD"
    assert code(reg(office=_DROP)) == "MISSING_FIELD"
    used = reg(World(codes=("4821937561028374",)), receipt_code="4821937561028374")
    assert isinstance(used, Refusal)
    assert (used.code, used.field) == ("INVALID_FIELD", "receipt_code")
    assert code(reg(receipt_code="4821937561028375")) == "applied"


def test_register_generates_a_unique_receipt_code_unless_nobody_will_ask() -> None:
    out = plan("petition", "register", entity_id=PID, data=registration(), base_version=None, actor=DESK,
               world=World())
    assert isinstance(out, Plan)
    code_ = out.result["receipt_code"]
    assert len(code_) == 16
    assert code_.isdigit()
    assert code_[0] != "0"
    assert out.steps[0].after["receipt_code"] == code_
    assert out.steps[0].after["petitioner"] == PROTECTED
    assert "Sun-query-2026" not in repr(out.steps[0].after)
    # Anonymous, no password: no status query wanted, no code.
    quiet = plan("petition", "register", entity_id=PID, base_version=None, actor=DESK, world=World(),
                 data=registration(petitioner=None, anonymous=True, query_password=_DROP))
    assert isinstance(quiet, Plan)
    assert quiet.result == {}
    assert quiet.steps[0].after["receipt_code"] is None
    assert quiet.steps[0].after["petitioner"] is None
    # Anonymous with a password: a code is generated so the petitioner can ask.
    asked = plan("petition", "register", entity_id=PID, base_version=None, actor=DESK, world=World(),
                 data=registration(petitioner=None, anonymous=True))
    assert isinstance(asked, Plan)
    assert len(asked.result["receipt_code"]) == 16


def test_a_generated_code_avoids_the_codes_in_use(monkeypatch: pytest.MonkeyPatch) -> None:
    import shared.actions.petition as module

    draws = iter([4821937561028374 - 10**15, 4821937561028374 - 10**15, 5930248675139485 - 10**15])
    monkeypatch.setattr(module.secrets, "randbelow", lambda _n: next(draws))
    world = World(codes=("4821937561028374",))
    assert module.new_receipt_code(world) == "5930248675139485"


def test_the_password_and_the_petitioner_never_reach_an_audit_entry_or_a_repr() -> None:
    data = registration()
    shown = redacted(data, RegisterData)
    assert shown["query_password"] == "[secret]"
    assert shown["petitioner"] == "[protected]"
    parsed = RegisterData.model_validate(data)
    assert "Sun-query-2026" not in repr(parsed)
    assert "孙某某" not in repr(parsed)


def test_convert_opens_the_investigation_with_the_petition_as_its_source() -> None:
    petition = registered()
    out = act(petition, "convert", {"investigation_id": "99180ced-3b1f-516e-9f53-03d1b2046db5",
                                    "title": "信访转立:超标准收费"})
    assert isinstance(out, Plan)
    assert out.result == {"investigation_id": "99180ced-3b1f-516e-9f53-03d1b2046db5"}
    assert [(s.entity, s.spec.name) for s in out.steps][:2] == [("petition", "convert"), ("investigation", "create")]
    inv = out.steps[1].after
    assert {"type": "petition", "id": PID} in inv["links"]
    assert inv["subject"]["name"] == "赵某"
    after = next(s.after for s in reversed(out.steps) if s.entity == "petition")
    assert after["investigations"] == ["99180ced-3b1f-516e-9f53-03d1b2046db5"]
    assert after["version"] == 2, "one desk action, one version"
    assert code(act(petition, "convert", {"investigation_id": "not-a-uuid", "title": "x"})) == "INVALID_FIELD"
    derived = act(petition, "convert", {"title": "信访转立案"})
    assert isinstance(derived, Plan)
    assert derived.result["investigation_id"]


def test_attach_needs_the_blob_stored_first() -> None:
    petition = registered()
    blob = "ab" * 32
    assert code(act(petition, "attach", {"sha256": blob, "filename": "来信扫描件.pdf"})) == "EVIDENCE_MISSING"
    done = act(petition, "attach", {"sha256": blob, "filename": "来信扫描件.pdf"}, world=World(petition, blobs=(blob,)))
    assert isinstance(done, Plan)
    assert done.steps[0].after["attachments"][0]["sha256"] == blob
    assert done.steps[0].after["attachments"][0]["filename"] == PROTECTED, "a file name may name the petitioner"
    assert code(act(petition, "attach", {"sha256": blob.upper(), "filename": "x"})) == "INVALID_FIELD"
    assert code(act(petition, "attach", {"sha256": blob, "filename": " "})) == "INVALID_FIELD"


def test_state_is_not_changed_in_place() -> None:
    petition = registered()
    before = copy.deepcopy(petition)
    act(petition, "accept")
    act(petition, "merge", {"into": OTHER}, world=World(petition, registered(OTHER)))
    assert petition == before
