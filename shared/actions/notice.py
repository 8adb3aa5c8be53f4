"""Supervision notice actions (spec 06 §4–5): issue, reply, annotate.

A 督办通知书 goes to a unit, names the alerts behind it and demands a written reply within
``reply_days`` working days. Its ``reply_due`` comes from the working-day clock (spec 02 §2)
started at ``issued_at``: the console shows the replica's own estimate, the server fills in
the value from its calendar when it stores the notice (``reply_due`` is None until then).
A reply comes on paper (recorded at the centre with ``reply``) or in the office's batch
(a ``notice_reply`` record). Lateness is the rule ``NOTICE_REPLY_OVERDUE``'s (``shared.rules.notice``).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictInt, StrictStr

from shared.actions import register
from shared.actions.alert import NonBlank
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
    uuid_id,
)
from shared.actions.card import (
    ANNOTATORS,
    ISSUERS,
    AlertIds,
    OfficeCode,
    TextData,
    annotate,
    check_issue_common,
    entry,
    logged,
    then,
    visible,
)

DEFAULT_REPLY_DAYS = 5
NOTICE_STATUSES = ("awaiting", "replied")
ReplyText = Annotated[NonBlank, Field(max_length=20_000)]


class IssueNoticeData(ActionData):
    office: OfficeCode
    subject: Annotated[NonBlank, Field(max_length=200)]
    body: Annotated[StrictStr, Field(max_length=20_000)] = ""
    alerts: AlertIds = Field(default_factory=list)
    reply_days: Annotated[StrictInt, Field(ge=1, le=60)] = DEFAULT_REPLY_DAYS


class ReplyData(ActionData):
    text: ReplyText


def _check_issue(_state: State, data: IssueNoticeData, actor: Actor, world: World) -> Refusal | None:
    return check_issue_common(data.office, data.alerts, actor, world)


def _issue(state: State | None, data: IssueNoticeData, actor: Actor, world: World) -> Applied:
    assert state is not None
    return Applied({
        "id": state["id"], "office": data.office, "subject": data.subject.strip(), "body": data.body,
        "alerts": list(data.alerts), "issued_by": actor.name, "issued_at": world.now(),
        "reply_days": data.reply_days, "reply_due": None, "status": "awaiting", "replied_at": None,
        "reply": None, "replied_by": None, "version": 1,
        "timeline": [entry(actor, world, "issue", logged(data))],
    })


def _check_reply(notice: State, _data: ReplyData, _actor: Actor, _world: World) -> Refusal | None:
    if notice.get("status") == "replied":
        return refuse("STAGE_ORDER", "the notice has already been answered", "该督办通知已回复")
    return None


def _reply(notice: State | None, data: ReplyData, actor: Actor, world: World) -> Applied:
    assert notice is not None
    out = then(notice, actor, world, "reply", logged(data))
    out["status"] = "replied"
    out["replied_at"] = world.now()
    out["reply"] = data.text
    out["replied_by"] = actor.name
    return Applied(out)


ACTIONS: dict[str, ActionSpec] = {
    "issue": ActionSpec("issue", IssueNoticeData, ISSUERS, _issue, _check_issue, creates=True,
                        identity=("office", "subject"), summary="a supervision notice demanding a reply (督办通知书)"),
    "reply": ActionSpec("reply", ReplyData, ISSUERS, _reply, _check_reply, conflicts=True,
                        summary="record a reply received on paper"),
    "annotate": ActionSpec("annotate", TextData, ANNOTATORS, annotate, summary="a leader's annotation (批阅)"),
}

KIND = register(EntityKind("notice", visible, ACTIONS, uuid_id))
