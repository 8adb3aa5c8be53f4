"""Investigation actions (spec 06 §2, §5): create, transition, approve_filing, attach, note,
assign, request_review, opinion, annotate.

An investigation is the JSON of ``GET /api/v1/investigations/{id}``. Its stages run in one
order, one step at a time, never back (程序监察: the system refuses, and says why); the gates
into ``filing``, ``trial_review``, ``execution`` and ``supervision`` name what is missing in
the order of the spec's table. Evidence, notes, opinions and annotations only ever grow.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, StrictBool, StrictInt, StrictStr

from shared.actions import kind_of, register
from shared.actions.alert import CommentText, NonBlank
from shared.actions.base import (
    ActionData,
    ActionSpec,
    Actor,
    Applied,
    EntityKind,
    FollowUp,
    Refusal,
    State,
    World,
    refuse,
    roles,
    row_id,
    uuid_id,
)

#: The seven stages, in the only order a case may take them.
STAGES = ("acceptance", "preliminary_check", "filing", "investigation", "trial_review", "execution", "supervision")
#: Where a transition may lead besides the next stage: the two endings and the stage they end from.
ENDINGS = {"concluded": "preliminary_check", "closed": "supervision"}
TARGETS = (*STAGES, *ENDINGS)
STATUSES = ("open", "concluded", "closed")
EVIDENCE_KINDS = ("preliminary_report", "investigation_report", "trial_decision", "execution_record", "other")
OPINIONS = ("agree", "disagree", "comment")
#: Opinions the execution gate counts as given (a comment is not a decision).
DECIDING_OPINIONS = frozenset({"agree", "disagree"})
#: The evidence each gated stage needs (the first item of its gate).
GATE_EVIDENCE = {"filing": "preliminary_report", "trial_review": "investigation_report",
                 "execution": "trial_decision", "supervision": "execution_record"}
#: Who may be asked for an opinion: people who can see the case once asked.
REVIEWER_ROLES = frozenset({"investigator", "leader", "admin"})
#: Roles that see the investigations they opened (read only).
CREATOR_ROLES = frozenset({"operator", "petition_officer"})

STAGE_ZH = {"acceptance": "受理", "preliminary_check": "初核", "filing": "立案", "investigation": "调查",
            "trial_review": "审理", "execution": "执行", "supervision": "监督", "concluded": "予以了结",
            "closed": "结案"}
MISSING_ZH = {"preliminary_report": "初核报告", "investigation_report": "调查报告", "trial_decision": "审理决定",
              "execution_record": "执行记录", "filing_approval": "领导立案审批"}

Sha256 = Annotated[StrictStr, Field(pattern=r"^[0-9a-f]{64}$")]
UserName = Annotated[StrictStr, Field(min_length=1, max_length=100)]


def _distinct(names: list[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        if name not in out:
            out.append(name)
    return out


People = Annotated[list[UserName], Field(max_length=50), AfterValidator(_distinct)]


class SubjectData(ActionData):
    name: Annotated[NonBlank, Field(max_length=100)]
    unit: Annotated[StrictStr, Field(max_length=200)] | None = None
    title: Annotated[StrictStr, Field(max_length=100)] | None = None


class SourceData(ActionData):
    type: Literal["alert", "petition"]
    id: StrictInt | Annotated[StrictStr, Field(max_length=64)]


class CreateData(ActionData):
    title: Annotated[NonBlank, Field(max_length=200)]
    subject: SubjectData
    investigators: People | None = None
    joint_review: StrictBool = False
    source: SourceData | None = None


class TransitionData(ActionData):
    to: Literal[TARGETS]  # type: ignore[valid-type]
    reason: Annotated[StrictStr, Field(max_length=2_000)] | None = None


class ApproveData(ActionData):
    text: Annotated[StrictStr, Field(max_length=2_000)] | None = None


class AttachData(ActionData):
    sha256: Sha256
    filename: Annotated[NonBlank, Field(max_length=255)]
    kind: Literal[EVIDENCE_KINDS]  # type: ignore[valid-type]
    supersedes: Sha256 | None = None


class TextData(ActionData):
    text: CommentText


class AssignData(ActionData):
    investigators: Annotated[People, Field(min_length=1)]


class ReviewData(ActionData):
    reviewers: Annotated[People, Field(min_length=1)]


class OpinionData(ActionData):
    opinion: Literal[OPINIONS]  # type: ignore[valid-type]
    text: CommentText


# --- who sees, who may ---------------------------------------------------------------------


def visible(actor: Actor, inv: State, _world: World) -> bool:
    """Spec 06 §2 "Who sees what": anyone else gets NOT_FOUND, never FORBIDDEN."""
    if actor.role in ("admin", "leader"):
        return True
    if actor.role == "investigator":
        return actor.name in (inv.get("investigators") or ()) or actor.name in (inv.get("reviewers") or ())
    if actor.role in CREATOR_ROLES:
        return inv.get("created_by") == actor.name
    return False


def _assigned(actor: Actor, inv: State | None) -> bool:
    return inv is not None and actor.role == "investigator" and actor.name in (inv.get("investigators") or ())


def assigned_or_admin(actor: Actor, inv: State | None) -> bool:
    """An investigator assigned to the case, or the administrator."""
    return actor.role == "admin" or _assigned(actor, inv)


def _note_takers(actor: Actor, inv: State | None) -> bool:
    """An assigned investigator, a reviewer, a leader (批阅) or the administrator."""
    if actor.role in ("admin", "leader") or _assigned(actor, inv):
        return True
    return inv is not None and actor.name in (inv.get("reviewers") or ())


def _review_requesters(actor: Actor, inv: State | None) -> bool:
    return actor.role in ("admin", "leader") or _assigned(actor, inv)


def _reviewer(actor: Actor, inv: State | None) -> bool:
    """Only a requested reviewer gives an opinion — not even the administrator otherwise."""
    return inv is not None and actor.name in (inv.get("reviewers") or ())


# --- stages and gates --------------------------------------------------------------------


def next_targets(inv: State) -> tuple[str, ...]:
    """Where a transition may lead from the case as it stands (nothing once it has ended)."""
    if inv.get("status", "open") != "open":
        return ()
    stage = str(inv.get("stage"))
    i = STAGES.index(stage) if stage in STAGES else -1
    out = [STAGES[i + 1]] if 0 <= i < len(STAGES) - 1 else []
    out += [end for end, start in ENDINGS.items() if start == stage]
    return tuple(out)


def gate_missing(inv: State, to: str) -> tuple[str, ...]:
    """What the gate into ``to`` still lacks, in the order of the spec's gate table."""
    attached = {e.get("kind") for e in inv.get("evidence") or ()}
    missing: list[str] = []
    needed = GATE_EVIDENCE.get(to)
    if needed is not None and needed not in attached:
        missing.append(needed)
    if to == "filing" and not inv.get("filing_approved_by"):
        missing.append("filing_approval")
    if to == "execution" and inv.get("joint_review"):
        latest: dict[str, str] = {}
        for o in inv.get("opinions") or ():
            latest[str(o.get("reviewer"))] = str(o.get("opinion"))
        missing += [f"opinion:{r}" for r in inv.get("reviewers") or () if latest.get(r) not in DECIDING_OPINIONS]
    return tuple(missing)


def _missing_zh(item: str) -> str:
    if item.startswith("opinion:"):
        return f"{item.split(':', 1)[1]} 的会审意见"
    return MISSING_ZH.get(item, item)


def _check_transition(inv: State, data: TransitionData, _actor: Actor, _world: World) -> Refusal | None:
    if data.to == "concluded" and not (data.reason or "").strip():
        return refuse("MISSING_FIELD", "reason is required to conclude a case", "予以了结须说明理由", field="reason")
    allowed = next_targets(inv)
    if data.to not in allowed:
        status, stage = inv.get("status", "open"), str(inv.get("stage"))
        if status != "open":
            return refuse("STAGE_ORDER", f"the case is {status}: nothing moves it any more",
                          f"案件已{STAGE_ZH.get(str(status), status)}，不能再变更阶段")
        names = ", ".join(allowed)
        names_zh = "、".join(STAGE_ZH[t] for t in allowed)
        return refuse("STAGE_ORDER", f"cannot move from {stage} to {data.to}; the current stage is {stage}, "
                      f"the next allowed: {names}",
                      f"不能从「{STAGE_ZH.get(stage, stage)}」转入「{STAGE_ZH[data.to]}」：当前阶段为"
                      f"「{STAGE_ZH.get(stage, stage)}」，只能转入「{names_zh}」")
    missing = gate_missing(inv, data.to)
    if missing:
        return refuse("GATE_UNMET", f"the gate into {data.to} is not met; missing: {', '.join(missing)}",
                      f"转入「{STAGE_ZH[data.to]}」的条件未满足，缺少：{'、'.join(_missing_zh(m) for m in missing)}",
                      missing=missing)
    return None


def _check_approve(inv: State, _data: ApproveData, _actor: Actor, _world: World) -> Refusal | None:
    if inv.get("status", "open") != "open" or inv.get("stage") != "preliminary_check":
        stage = str(inv.get("stage"))
        return refuse("STAGE_ORDER", f"filing is approved during preliminary_check; the case is at {stage}",
                      f"立案审批只能在「初核」阶段进行，案件当前为「{STAGE_ZH.get(stage, stage)}」")
    return None


def _check_attach(inv: State, data: AttachData, _actor: Actor, world: World) -> Refusal | None:
    attached = {str(e.get("sha256")) for e in inv.get("evidence") or ()}
    if data.sha256 in attached:
        return refuse("INVALID_FIELD", "this file is already attached to the case (attach a correction with "
                      "supersedes)", "该文件已附加到本案（更正请用新文件并注明所替代的文件）", field="sha256")
    if data.supersedes is not None and data.supersedes not in attached:
        return refuse("INVALID_FIELD", "supersedes must name a file attached to this case",
                      "所替代的文件必须是本案已附加的证据", field="supersedes")
    if not world.blob_stored(data.sha256):
        return refuse("EVIDENCE_MISSING", "the file was never uploaded: PUT /evidence/{sha256} first",
                      "证据文件尚未上传，请先上传文件", field="sha256")
    return None


def _unknown_people(names: list[str], world: World, allowed: frozenset[str]) -> list[str]:
    return [n for n in names if world.user_role(n) not in allowed]


def _check_assign(_inv: State, data: AssignData, _actor: Actor, world: World) -> Refusal | None:
    return _people_refusal("investigators", _unknown_people(data.investigators, world, frozenset({"investigator"})))


def _check_review(_inv: State, data: ReviewData, _actor: Actor, world: World) -> Refusal | None:
    return _people_refusal("reviewers", _unknown_people(data.reviewers, world, REVIEWER_ROLES))


def _people_refusal(field: str, wrong: list[str]) -> Refusal | None:
    if not wrong:
        return None
    names = ", ".join(n[:40] for n in wrong[:5])
    what = "investigators" if field == "investigators" else "investigators or leaders"
    what_zh = "调查人员" if field == "investigators" else "调查人员或领导"
    return refuse("INVALID_FIELD", f"{field}: not active {what}: {names}",
                  f"{field} 中以下用户不是在职的{what_zh}：{names}", field=field)


def _check_create(_inv: State | None, data: CreateData, actor: Actor, world: World) -> Refusal | None:
    if data.investigators:
        wrong = _people_refusal("investigators",
                                _unknown_people(data.investigators, world, frozenset({"investigator"})))
        if wrong is not None:
            return wrong
    src = data.source
    if src is None:
        return None
    kind = kind_of(src.type)
    if src.type == "alert":
        sid = row_id(src.id)
    else:
        sid = uuid_id(src.id)
    state = None if sid is None or kind is None else world.get(src.type, sid)
    if sid is None or (kind is not None and (state is None or not kind.visible(actor, state, world))):
        what_zh = "预警" if src.type == "alert" else "信访件"
        return refuse("INVALID_FIELD", f"source: no such {src.type}", f"来源{what_zh}不存在", field="source.id")
    return None


# --- effects -----------------------------------------------------------------------------


def _entry(actor: Actor, world: World, action: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"at": world.now(), "actor": actor.name, "action": action, "data": data}


def _then(inv: State, actor: Actor, world: World, action: str, data: dict[str, Any]) -> State:
    """A copy of the case with one more timeline entry (lists are copied, never shared)."""
    out = dict(inv)
    out["timeline"] = [*(inv.get("timeline") or ()), _entry(actor, world, action, data)]
    for key in ("investigators", "reviewers", "links", "evidence", "opinions"):
        out[key] = list(inv.get(key) or ())
    return out


def _logged(data: ActionData) -> dict[str, Any]:
    return data.model_dump(mode="json", exclude_none=True)


def _source_link(src: SourceData) -> dict[str, Any]:
    if src.type == "alert":
        return {"type": "alert", "id": int(row_id(src.id) or 0)}
    return {"type": "petition", "id": uuid_id(src.id)}


def _create(inv: State | None, data: CreateData, actor: Actor, world: World) -> Applied:
    assert inv is not None  # a create sees {"id": …}
    inv_id = str(inv["id"])
    investigators = list(data.investigators or ())
    if actor.role == "investigator" and actor.name not in investigators:
        investigators.insert(0, actor.name)
    now = world.now()
    links = [] if data.source is None else [_source_link(data.source)]
    out: State = {
        "id": inv_id, "title": data.title.strip(), "subject": data.subject.model_dump(mode="json"),
        "stage": STAGES[0], "status": "open", "version": 1, "joint_review": data.joint_review,
        "investigators": investigators, "created_by": actor.name, "created_at": now, "updated_at": now,
        "links": links, "filing_approved_by": None, "evidence": [], "reviewers": [], "opinions": [],
        "timeline": [_entry(actor, world, "create", _logged(data))],
    }
    return Applied(out, follow=tuple(f for link in links if (f := _link_back(inv_id, link, world)) is not None))


def _link_back(inv_id: str, link: dict[str, Any], world: World) -> FollowUp | None:
    """The source's side of the link, in the same operation: an alert becomes ``promoted`` and
    names the case (unless it already does — ``promote`` links it itself, and one operation
    bumps its version once); a petition lists the case when the desk's entity is registered
    with an internal ``link`` action taking ``{"investigation": id}`` (and not when its
    ``convert`` already listed it)."""
    kind = kind_of(str(link["type"]))
    if kind is None or "link" not in kind.actions:
        return None  # the link is kept on the investigation's side only
    source = world.get(str(link["type"]), str(link["id"]))
    if source is None:
        return None
    # An alert names its cases in ``links``; a petition in ``investigations`` (spec 06 §3).
    for back in source.get("links") or ():
        if back.get("type") == "investigation" and back.get("id") == inv_id:
            return None
    if inv_id in (source.get("investigations") or ()):
        return None
    return FollowUp(str(link["type"]), str(link["id"]), "link", {"investigation": inv_id})


def _transition(inv: State | None, data: TransitionData, actor: Actor, world: World) -> Applied:
    assert inv is not None
    logged: dict[str, Any] = {"from": inv.get("stage"), "to": data.to}
    if data.reason:
        logged["reason"] = data.reason.strip()
    out = _then(inv, actor, world, "transition", logged)
    if data.to in ENDINGS:
        out["status"] = data.to  # the stage stays where the case ended
    else:
        out["stage"] = data.to
    out["updated_at"] = world.now()
    return Applied(out)


def _approve(inv: State | None, data: ApproveData, actor: Actor, world: World) -> Applied:
    assert inv is not None
    out = _then(inv, actor, world, "approve_filing", _logged(data))
    out["filing_approved_by"] = actor.name
    out["updated_at"] = world.now()
    return Applied(out)


def _attach(inv: State | None, data: AttachData, actor: Actor, world: World) -> Applied:
    assert inv is not None
    out = _then(inv, actor, world, "attach", _logged(data))
    # ``size`` is the stored blob's: the server fills it in when it saves the step.
    out["evidence"].append({"sha256": data.sha256, "filename": data.filename.strip(), "kind": data.kind,
                            "size": None, "attached_by": actor.name, "attached_at": world.now(),
                            "supersedes": data.supersedes})
    return Applied(out)


def _timeline_only(action: str) -> Any:
    def apply(inv: State | None, data: ActionData, actor: Actor, world: World) -> Applied:
        assert inv is not None
        return Applied(_then(inv, actor, world, action, _logged(data)))

    return apply


def _assign(inv: State | None, data: AssignData, actor: Actor, world: World) -> Applied:
    assert inv is not None
    out = _then(inv, actor, world, "assign", {"investigators": data.investigators,
                                              "before": list(inv.get("investigators") or ())})
    out["investigators"] = list(data.investigators)
    out["updated_at"] = world.now()
    return Applied(out)


def _request_review(inv: State | None, data: ReviewData, actor: Actor, world: World) -> Applied:
    assert inv is not None
    out = _then(inv, actor, world, "request_review", _logged(data))
    out["joint_review"] = True
    out["reviewers"] = _distinct([*out["reviewers"], *data.reviewers])
    return Applied(out)


def _opinion(inv: State | None, data: OpinionData, actor: Actor, world: World) -> Applied:
    assert inv is not None
    out = _then(inv, actor, world, "opinion", _logged(data))
    out["opinions"].append({"reviewer": actor.name, "opinion": data.opinion, "text": data.text,
                            "at": world.now()})
    return Applied(out)


ACTIONS: dict[str, ActionSpec] = {
    "create": ActionSpec("create", CreateData, roles("operator", "investigator", "petition_officer", "admin"),
                         _create, _check_create, creates=True, identity=("title", "subject"),
                         summary="open a case (by hand, from an alert or from a petition)"),
    "transition": ActionSpec("transition", TransitionData, assigned_or_admin, _transition, _check_transition,
                             conflicts=True, summary="move to the next stage when its gate holds, or end the case"),
    "approve_filing": ActionSpec("approve_filing", ApproveData, roles("leader", "admin"), _approve, _check_approve,
                                 conflicts=True, summary="a leader approves filing (立案审批)"),
    "attach": ActionSpec("attach", AttachData, assigned_or_admin, _attach, _check_attach,
                         summary="add a stored file as evidence; a correction supersedes, never replaces"),
    "note": ActionSpec("note", TextData, _note_takers, _timeline_only("note"), summary="a note in the timeline"),
    "assign": ActionSpec("assign", AssignData, roles("leader", "admin"), _assign, _check_assign, conflicts=True,
                         summary="replace the assigned investigators"),
    "request_review": ActionSpec("request_review", ReviewData, _review_requesters, _request_review, _check_review,
                                 summary="ask for a joint review (内网会审)"),
    "opinion": ActionSpec("opinion", OpinionData, _reviewer, _opinion,
                          summary="a requested reviewer's opinion; dissent stays on record"),
    "annotate": ActionSpec("annotate", TextData, roles("leader", "admin"), _timeline_only("annotate"),
                           summary="a leader's annotation (批阅)"),
}

KIND = register(EntityKind("investigation", visible, ACTIONS, uuid_id))
