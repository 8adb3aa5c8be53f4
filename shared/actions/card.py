"""Card actions (spec 06 §4–5): issue, revoke, annotate.

A card (黄牌/红牌) goes to a unit (an office), optionally to a person in it, and names the
alerts that earned it. Nothing about a card is ever erased: a leader may revoke it, and the
card stays on record as revoked with who did it and why. Leaders annotate (批阅) in its
timeline. :func:`check_issue_common` and :func:`entry` are shared with notices.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, StrictInt, StrictStr

from shared.actions import kind_of, register
from shared.actions.alert import NonBlank, Reason
from shared.actions.alert import TextData as TextData
from shared.actions.base import (
    ActionData,
    ActionSpec,
    Actor,
    Applied,
    EntityKind,
    Refusal,
    State,
    World,
    refuse,
    roles,
    uuid_id,
)

#: Who sees cards and notices (spec 01 Roles: operators issue them, leaders read everything).
READERS = frozenset({"admin", "operator", "leader"})
CARD_KINDS = ("yellow", "red")
CARD_STATUSES = ("active", "revoked")
MAX_ALERTS = 200

OfficeCode = Annotated[StrictStr, Field(min_length=1, max_length=32)]
StaffId = Annotated[NonBlank, Field(max_length=100)]


def _distinct_ids(ids: list[int]) -> list[int]:
    out: list[int] = []
    for i in ids:
        if i not in out:
            out.append(i)
    return out


AlertIds = Annotated[list[Annotated[StrictInt, Field(ge=1, le=2**63 - 1)]], Field(max_length=MAX_ALERTS),
                     AfterValidator(_distinct_ids)]


class IssueCardData(ActionData):
    kind: Literal["yellow", "red"]
    office: OfficeCode
    staff: StaffId | None = None
    reason: Reason
    alerts: AlertIds = Field(default_factory=list)


class RevokeData(ActionData):
    reason: Reason


def visible(actor: Actor, _state: State, _world: World) -> bool:
    return actor.role in READERS


def check_issue_common(office: str, alerts: list[int], actor: Actor, world: World) -> Refusal | None:
    """The office must be registered and every alert one the issuer may see."""
    if not world.office_exists(office):
        return refuse("INVALID_FIELD", f"office: no office {office[:32]!r} is registered",
                      f"单位「{office[:32]}」未登记", field="office")
    alert_kind = kind_of("alert")
    for alert_id in alerts:
        state = world.get("alert", str(alert_id))
        if state is None or alert_kind is None or not alert_kind.visible(actor, state, world):
            return refuse("INVALID_FIELD", f"alerts: no alert {alert_id}", f"预警 {alert_id} 不存在",
                          field="alerts")
    return None


def entry(actor: Actor, world: World, action: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"at": world.now(), "actor": actor.name, "action": action, "data": data}


def then(state: State, actor: Actor, world: World, action: str, data: dict[str, Any]) -> State:
    """A copy of the entity with one more timeline entry (lists copied, never shared)."""
    out = dict(state)
    out["alerts"] = list(state.get("alerts") or ())
    out["timeline"] = [*(state.get("timeline") or ()), entry(actor, world, action, data)]
    return out


def logged(data: ActionData) -> dict[str, Any]:
    return data.model_dump(mode="json", exclude_none=True)


def _check_issue(_state: State, data: IssueCardData, actor: Actor, world: World) -> Refusal | None:
    return check_issue_common(data.office, data.alerts, actor, world)


def _issue(state: State | None, data: IssueCardData, actor: Actor, world: World) -> Applied:
    assert state is not None  # a create sees {"id": …}
    return Applied({
        "id": state["id"], "kind": data.kind, "office": data.office,
        "staff": data.staff.strip() if data.staff else None, "reason": data.reason.strip(),
        "alerts": list(data.alerts), "issued_by": actor.name, "issued_at": world.now(), "status": "active",
        "revoked_by": None, "revoke_reason": None, "version": 1,
        "timeline": [entry(actor, world, "issue", logged(data))],
    })


def _check_revoke(card: State, _data: RevokeData, _actor: Actor, _world: World) -> Refusal | None:
    if card.get("status") != "active":
        return refuse("STAGE_ORDER", "the card is already revoked", "该牌已撤销")
    return None


def _revoke(card: State | None, data: RevokeData, actor: Actor, world: World) -> Applied:
    assert card is not None
    out = then(card, actor, world, "revoke", logged(data))
    out["status"] = "revoked"
    out["revoked_by"] = actor.name
    out["revoke_reason"] = data.reason.strip()
    return Applied(out)


def annotate(state: State | None, data: TextData, actor: Actor, world: World) -> Applied:
    assert state is not None
    return Applied(then(state, actor, world, "annotate", logged(data)))


ISSUERS = roles("operator", "admin")
ANNOTATORS = roles("leader", "admin")

ACTIONS: dict[str, ActionSpec] = {
    "issue": ActionSpec("issue", IssueCardData, ISSUERS, _issue, _check_issue, creates=True,
                        identity=("kind", "office", "reason"), summary="a yellow or red card to a unit or a person"),
    "revoke": ActionSpec("revoke", RevokeData, ANNOTATORS, _revoke, _check_revoke, conflicts=True,
                         summary="revoke a card (it stays on record as revoked)"),
    "annotate": ActionSpec("annotate", TextData, ANNOTATORS, annotate, summary="a leader's annotation (批阅)"),
}

KIND = register(EntityKind("card", visible, ACTIONS, uuid_id))
