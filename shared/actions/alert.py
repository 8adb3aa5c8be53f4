"""Alert actions (spec 02 §4, 06 §5): acknowledge, escalate, dismiss, promote, assign,
comment, annotate, and the link a new investigation makes to the alert it came from.

An alert is the JSON of ``GET /api/v1/alerts/{id}`` without its history.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StrictStr

from shared.actions import register
from shared.actions.base import (
    ActionData,
    ActionSpec,
    Actor,
    Applied,
    EntityKind,
    FollowUp,
    NoData,
    Refusal,
    State,
    World,
    refuse,
    roles,
    row_id,
)
from shared.alerts import ACTIVE_STATUSES, TRANSITIONS

#: Which alert subjects each role may see (spec 01 Roles): the operator does not see
#: petitions (their identity is the desk's), investigators see only the alerts linked to
#: their investigations.
SUBJECTS_BY_ROLE: dict[str, tuple[str, ...]] = {
    "admin": ("case", "petition", "office", "notice"),
    "operator": ("case", "office", "notice"),
    "leader": ("case", "petition", "office", "notice"),
    "petition_officer": ("petition",),
    "investigator": (),
}
#: Promoting an alert makes an investigation whose id is derived from the alert's, so that
#: the same promotion made on two consoles names the same case.
PROMOTE_NAMESPACE = uuid.UUID("0d7e3c7a-8a43-4f57-9b3e-54f4a1a8b6c1")


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


NonBlank = Annotated[StrictStr, AfterValidator(_not_blank)]
CommentText = Annotated[NonBlank, Field(max_length=10_000)]
Reason = Annotated[NonBlank, Field(max_length=2_000)]


class DismissData(ActionData):
    reason: Reason


class AssignData(ActionData):
    assignee: Annotated[StrictStr, Field(max_length=100)] | None = None


class TextData(ActionData):
    text: CommentText


class PromoteData(ActionData):
    investigation_id: Annotated[StrictStr, Field(max_length=64)] | None = None
    title: Annotated[NonBlank, Field(max_length=200)] | None = None


class LinkData(ActionData):
    investigation: Annotated[StrictStr, Field(max_length=64)]


def visible(actor: Actor, alert: State, world: World) -> bool:
    subject = (alert.get("subject") or {}).get("type")
    if subject in SUBJECTS_BY_ROLE.get(actor.role, ()):
        return True
    # An investigator (or anyone) sees an alert linked to an investigation they may see.
    from shared.actions import kind_of

    kind = kind_of("investigation")
    if kind is None:
        return False
    for link in alert.get("links") or ():
        if link.get("type") == "investigation":
            inv = world.get("investigation", str(link.get("id")))
            if inv is not None and kind.visible(actor, inv, world):
                return True
    return False


def promote_investigation_id(alert_id: object) -> str:
    """The id of the investigation promoting this alert creates, unless the client chose one."""
    return str(uuid.uuid5(PROMOTE_NAMESPACE, f"alert/{alert_id}"))


def _transition_check(action: str) -> Any:
    allowed, _target = TRANSITIONS[action]

    def check(alert: State, _data: Any, _actor: Actor, _world: World) -> Refusal | None:
        status = alert.get("status")
        if status not in allowed:
            return refuse("INVALID_TRANSITION", f"cannot {action} an alert that is {status}",
                          f"预警当前为「{_STATUS_ZH.get(str(status), status)}」，不能{_VERB_ZH[action]}")
        return None

    return check


def _moved(action: str) -> Any:
    def apply(alert: State | None, data: Any, _actor: Actor, _world: World) -> Applied:
        assert alert is not None
        out = dict(alert)
        out["status"] = TRANSITIONS[action][1]
        if action == "escalate" and out.get("severity") == "yellow":
            # 人机结合: a person confirmed the signal, so it hardens to red.
            out["severity"] = "red"
        if action == "dismiss":
            out["resolution"] = data.reason.strip()
        return Applied(out)

    return apply


def _promote(alert: State | None, data: PromoteData, actor: Actor, world: World) -> Applied:
    applied = _moved("promote")(alert, data, actor, world)
    assert alert is not None
    from shared.actions import kind_of

    if kind_of("investigation") is None:
        return applied
    inv_id = data.investigation_id or promote_investigation_id(alert["id"])
    applied.state["links"] = _with_link(alert, inv_id)
    subject = alert.get("subject") or {}
    title = data.title or (alert.get("message") or alert.get("rule") or "")[:200]
    create = FollowUp("investigation", inv_id, "create", {
        "title": title or f"alert {alert['id']}",
        "subject": {"name": subject.get("office") or "?", "unit": subject.get("office")},
        "source": {"type": "alert", "id": alert["id"]},
    })
    return Applied(applied.state, follow=(create,), result={"investigation_id": inv_id})


def _with_link(alert: State, investigation_id: str) -> list[dict[str, Any]]:
    links = [dict(x) for x in alert.get("links") or ()]
    if not any(x.get("type") == "investigation" and x.get("id") == investigation_id for x in links):
        links.append({"type": "investigation", "id": investigation_id})
    return links


def _link(alert: State | None, data: LinkData, _actor: Actor, _world: World) -> Applied:
    assert alert is not None
    out = dict(alert)
    out["links"] = _with_link(alert, data.investigation)
    if out.get("status") in ACTIVE_STATUSES and out.get("status") != "promoted":
        out["status"] = "promoted"
    return Applied(out)


def _assign(alert: State | None, data: AssignData, _actor: Actor, _world: World) -> Applied:
    assert alert is not None
    out = dict(alert)
    out["assignee"] = data.assignee or None
    return Applied(out)


def _check_assign(_alert: State, data: AssignData, _actor: Actor, world: World) -> Refusal | None:
    # An alert followed up by nobody who exists is worse than unassigned: refuse a name that is
    # no active user (a typo on the console, a person who left).
    if data.assignee and world.user_role(data.assignee) is None:
        name = data.assignee[:40]
        return refuse("INVALID_FIELD", f"assignee: no active user is called {name}",
                      f"指派对象：没有名为「{name}」的在职用户", field="assignee")
    return None


def _unchanged(alert: State | None, _data: Any, _actor: Actor, _world: World) -> Applied:
    assert alert is not None
    return Applied(dict(alert))


OPERATORS = roles("operator", "admin")

ACTIONS: dict[str, ActionSpec] = {
    "ack": ActionSpec("ack", NoData, OPERATORS, _moved("ack"), _transition_check("ack"), conflicts=True,
                      summary="acknowledge: a person has seen the signal"),
    "escalate": ActionSpec("escalate", NoData, OPERATORS, _moved("escalate"), _transition_check("escalate"),
                           conflicts=True, summary="confirm the signal; yellow hardens to red"),
    "dismiss": ActionSpec("dismiss", DismissData, OPERATORS, _moved("dismiss"), _transition_check("dismiss"),
                          conflicts=True, summary="dismiss as unfounded, with a reason"),
    "promote": ActionSpec("promote", PromoteData, OPERATORS, _promote, _transition_check("promote"),
                          conflicts=True, summary="open an investigation from the alert"),
    "assign": ActionSpec("assign", AssignData, OPERATORS, _assign, _check_assign, conflicts=True,
                         summary="name the person following the alert up"),
    "comment": ActionSpec("comment", TextData, roles("operator", "admin", "leader"), _unchanged,
                          summary="a remark in the alert's history"),
    "annotate": ActionSpec("annotate", TextData, roles("leader", "admin"), _unchanged,
                           summary="a leader's annotation (批阅)"),
    "link": ActionSpec("link", LinkData, roles(), _link, bumps=True, internal=True,
                       summary="an investigation was opened from the alert"),
}

KIND = register(EntityKind("alert", visible, ACTIONS, row_id))

_STATUS_ZH = {"open": "待处理", "acknowledged": "已确认", "escalated": "已升级", "promoted": "已立案",
              "dismissed": "已排除", "resolved": "已解除"}
_VERB_ZH = {"ack": "确认", "escalate": "升级", "dismiss": "排除", "promote": "转立案"}
