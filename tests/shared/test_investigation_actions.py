"""The investigation table (spec 06 §2) without a server: stage order, gates and their order,
conflicts and versions, the supersede chain, opinions, and promote as one operation."""

from __future__ import annotations

from typing import Any

from shared.actions import Actor, Conflict, Plan, Refusal, plan
from shared.actions.investigation import STAGES, gate_missing, next_targets

CID = "18334ea5-bb6f-5a55-8426-68ac525cb247"
LI = Actor("li", "investigator")
BOSS = Actor("boss", "leader")
WANG = Actor("wang", "investigator")


class World:
    def __init__(self, *states: tuple[str, str, dict[str, Any]], stored: frozenset[str] = frozenset()):
        self.states = {(e, i): s for e, i, s in states}
        self.stored = stored

    def now(self) -> str:
        return "2026-04-13T10:00:00+08:00"

    def get(self, entity: str, entity_id: str) -> dict[str, Any] | None:
        return self.states.get((entity, entity_id))

    def user_role(self, username: str) -> str | None:
        return {"li": "investigator", "wang": "investigator", "sun": "investigator", "boss": "leader"}.get(username)

    def blob_stored(self, sha256: str) -> bool:
        return sha256 in self.stored

    def office_exists(self, code: str) -> bool:
        return True

    def unique_taken(self, entity: str, field: str, value: str) -> bool:
        return False


def case(stage: str = "acceptance", **extra: Any) -> dict[str, Any]:
    base = {"id": CID, "title": "t", "subject": {"name": "赵某"}, "stage": stage, "status": "open", "version": 3,
            "joint_review": False, "investigators": ["li"], "reviewers": [], "created_by": "op", "links": [],
            "filing_approved_by": None, "evidence": [], "opinions": [], "timeline": []}
    return {**base, **extra}


def run(action: str, state: dict[str, Any] | None, data: dict[str, Any], *, actor: Actor = LI,
        base_version: int | None = None, world: World | None = None) -> Any:
    w = world or World(*([("investigation", CID, state)] if state else []), stored=frozenset({"a" * 64, "b" * 64}))
    return plan("investigation", action, entity_id=CID, data=data, base_version=base_version, actor=actor, world=w)


def evidence(kind: str, sha: str = "a" * 64) -> dict[str, Any]:
    return {"sha256": sha, "kind": kind, "filename": "f", "supersedes": None}


def test_one_step_at_a_time_never_back_and_the_message_says_where_it_may_go() -> None:
    for i, stage in enumerate(STAGES):
        allowed = next_targets(case(stage))
        assert allowed[0:1] == (STAGES[i + 1:i + 2] or ("closed",))
        for target in STAGES:
            if target not in allowed:
                refused = run("transition", case(stage), {"to": target})
                assert isinstance(refused, Refusal)
                assert refused.code == "STAGE_ORDER"
                assert stage in refused.message
                assert all(a in refused.message for a in allowed)
    assert next_targets(case("preliminary_check")) == ("filing", "concluded")
    assert next_targets(case("supervision")) == ("closed",)
    assert next_targets(case("supervision", status="closed")) == ()
    done = run("transition", case("preliminary_check", status="concluded"), {"to": "filing"})
    assert isinstance(done, Refusal)
    assert done.code == "STAGE_ORDER"
    assert "案件已予以了结" in done.message_zh


def test_gates_name_what_is_missing_in_the_tables_order() -> None:
    refused = run("transition", case("preliminary_check"), {"to": "filing"})
    assert isinstance(refused, Refusal)
    assert (refused.code, refused.missing) == ("GATE_UNMET", ("preliminary_report", "filing_approval"))
    assert "初核报告" in refused.message_zh
    joint = case("trial_review", joint_review=True, reviewers=["wang", "sun"],
                 opinions=[{"reviewer": "sun", "opinion": "agree"}, {"reviewer": "wang", "opinion": "agree"},
                           {"reviewer": "wang", "opinion": "comment"}])
    # The latest opinion counts: wang's comment after an agreement is not a decision.
    assert gate_missing(joint, "execution") == ("trial_decision", "opinion:wang")
    joint["evidence"] = [evidence("trial_decision")]
    joint["opinions"].append({"reviewer": "wang", "opinion": "disagree"})
    assert gate_missing(joint, "execution") == ()
    assert gate_missing(case("supervision"), "closed") == ()
    assert gate_missing(case("execution"), "supervision") == ("execution_record",)


def test_checks_in_the_spec_order() -> None:
    hidden = run("transition", case(), {"to": "nowhere"}, actor=Actor("zhao", "investigator"), base_version=1)
    assert isinstance(hidden, Refusal)
    assert hidden.code == "NOT_FOUND"
    reviewer = run("transition", case(reviewers=["wang"]), {"to": "nowhere"}, actor=WANG, base_version=1)
    assert isinstance(reviewer, Refusal)
    assert reviewer.code == "FORBIDDEN"
    assert isinstance(run("transition", case(), {"to": "nowhere"}, base_version=1), Conflict)
    missing = run("transition", case("acceptance"), {"to": "concluded"})
    assert isinstance(missing, Refusal)
    assert (missing.code, missing.field) == ("MISSING_FIELD", "reason"), "fields before state"
    admin_opinion = run("opinion", case(), {"opinion": "agree", "text": "x"}, actor=Actor("root", "admin"))
    assert isinstance(admin_opinion, Refusal)
    assert admin_opinion.code == "FORBIDDEN", "only a requested reviewer gives an opinion"


def test_versions_move_for_transition_assign_and_approval_only() -> None:
    moved = run("transition", case(), {"to": "preliminary_check"}, base_version=3)
    assert isinstance(moved, Plan)
    assert (moved.version, moved.steps[0].after["stage"]) == (4, "preliminary_check")
    for action, data, actor in (("note", {"text": "走访"}, LI), ("annotate", {"text": "阅"}, BOSS),
                                ("request_review", {"reviewers": ["wang"]}, LI),
                                ("attach", {"sha256": "a" * 64, "filename": "f.pdf", "kind": "other"}, LI)):
        kept = run(action, case(), data, actor=actor, base_version=1)
        assert isinstance(kept, Plan), (action, kept)
        assert kept.version == 3, action
        assert kept.steps[0].after["timeline"][-1]["action"] == action
    approved = run("approve_filing", case("preliminary_check"), {}, actor=BOSS)
    assert isinstance(approved, Plan)
    assert (approved.version, approved.steps[0].after["filing_approved_by"]) == (4, "boss")
    early = run("approve_filing", case("acceptance"), {}, actor=BOSS)
    assert isinstance(early, Refusal)
    assert early.code == "STAGE_ORDER"


def test_evidence_is_never_replaced_a_correction_supersedes() -> None:
    first = case("trial_review", evidence=[evidence("trial_decision")])
    again = run("attach", first, {"sha256": "a" * 64, "filename": "g", "kind": "other"})
    assert isinstance(again, Refusal)
    assert (again.code, again.field) == ("INVALID_FIELD", "sha256")
    stray = run("attach", first, {"sha256": "b" * 64, "filename": "g", "kind": "other", "supersedes": "c" * 64})
    assert isinstance(stray, Refusal)
    assert stray.field == "supersedes"
    fixed = run("attach", first, {"sha256": "b" * 64, "filename": "审理决定(更正).pdf", "kind": "trial_decision",
                                  "supersedes": "a" * 64})
    assert isinstance(fixed, Plan)
    kept = fixed.steps[0].after["evidence"]
    assert [(e["sha256"], e["supersedes"]) for e in kept] == [("a" * 64, None), ("b" * 64, "a" * 64)]
    assert first["evidence"] == [evidence("trial_decision")], "the stored state is not touched"
    unstored = run("attach", first, {"sha256": "d" * 64, "filename": "g", "kind": "other"})
    assert isinstance(unstored, Refusal)
    assert unstored.code == "EVIDENCE_MISSING"


def test_assignment_and_reviewers_name_real_people() -> None:
    wrong = run("assign", case(), {"investigators": ["boss"]}, actor=BOSS)
    assert isinstance(wrong, Refusal)
    assert (wrong.code, wrong.field) == ("INVALID_FIELD", "investigators")
    assigned = run("assign", case(), {"investigators": ["sun", "sun", "li"]}, actor=BOSS)
    assert isinstance(assigned, Plan)
    assert assigned.steps[0].after["investigators"] == ["sun", "li"]
    asked = run("request_review", case(reviewers=["wang"]), {"reviewers": ["sun", "wang"]})
    assert isinstance(asked, Plan)
    assert asked.steps[0].after["reviewers"] == ["wang", "sun"]
    assert asked.steps[0].after["joint_review"] is True


def test_create_and_promote_are_one_operation() -> None:
    alert = {"id": 17, "status": "acknowledged", "version": 2, "subject": {"type": "case", "office": "T01"}}
    world = World(("alert", "17", alert))
    made = plan("investigation", "create", entity_id=CID, base_version=None, actor=LI, world=world,
                data={"title": "超标准收费", "subject": {"name": "赵某"}, "source": {"type": "alert", "id": 17}})
    # An investigator cannot see an unlinked alert: the source is refused as unknown.
    assert isinstance(made, Refusal)
    assert made.field == "source.id"
    op = Actor("op", "operator")
    made = plan("investigation", "create", entity_id=CID, base_version=None, actor=op, world=world,
                data={"title": "超标准收费", "subject": {"name": "赵某"}, "source": {"type": "alert", "id": 17}})
    assert isinstance(made, Plan)
    inv, linked = (s.after for s in made.steps)
    assert (inv["id"], inv["version"], inv["links"]) == (CID, 1, [{"type": "alert", "id": 17}])
    assert (linked["status"], linked["version"], linked["links"]) == (
        "promoted", 3, [{"type": "investigation", "id": CID}])
    promoted = plan("alert", "promote", entity_id=17, data={}, base_version=None, actor=op, world=world)
    assert isinstance(promoted, Plan)
    assert [(s.entity, s.spec.name) for s in promoted.steps] == [("alert", "promote"), ("investigation", "create")]
    assert promoted.steps[0].after["version"] == 3, "the alert's version moves once"


def test_a_petition_source_links_back_through_the_desk() -> None:
    pid = "8d4f0a1e-3c52-4e5b-9a0b-1f6c0d2e3a4b"
    petition = {"id": pid, "version": 1, "investigations": [], "events": [], "subject": {"name": "张某"}}
    po = Actor("xf", "petition_officer")
    data = {"title": "信访转立案", "subject": {"name": "张某"}, "source": {"type": "petition", "id": pid}}
    unknown = plan("investigation", "create", entity_id=CID, data=data, base_version=None, actor=po, world=World())
    assert isinstance(unknown, Refusal)
    assert unknown.field == "source.id", "a petition that does not exist is no source"
    world = World(("petition", pid, petition))
    both = plan("investigation", "create", entity_id=CID, data=data, base_version=None, actor=po, world=world)
    assert isinstance(both, Plan)
    assert [(s.entity, s.spec.name) for s in both.steps] == [("investigation", "create"), ("petition", "link")]
    assert both.steps[1].after["investigations"] == [CID]
    assert both.steps[1].after["version"] == 1, "a link is no desk action: the petition's version stays"
    listed = World(("petition", pid, {**petition, "investigations": [CID]}))
    once = plan("investigation", "create", entity_id=CID, data=data, base_version=None, actor=po, world=listed)
    assert isinstance(once, Plan)
    assert len(once.steps) == 1, "a convert that already listed the case is not linked twice"
