"""What an operator's action does to an alert, applied locally before the server confirms it.

The transitions are ``shared.alerts``, the server's own (the server stays the authority):
escalation hardens yellow to red (人机结合), a dismissal needs a reason. An action the server
would refuse from the alert's current status is refused here too, so the wall never shows a
state the server cannot reach.
"""

from __future__ import annotations

from typing import Any

from shared.alerts import ACTIONS, ACTIVE_STATUSES, COMMUTATIVE, INACTIVE_STATUSES, TRANSITIONS

#: Actions that do not change the alert's version on the server.
VERSIONLESS = COMMUTATIVE

__all__ = ["ACTIONS", "ACTIVE_STATUSES", "INACTIVE_STATUSES", "TRANSITIONS", "VERSIONLESS", "ActionRefused", "check"]


class ActionRefused(ValueError):
    """The action cannot apply to the alert as it stands (the message says why)."""


def check(alert: dict[str, Any], action: str, data: dict[str, Any]) -> None:
    """Raise ``ActionRefused`` when the server would reject this action."""
    if action not in ACTIONS:
        raise ActionRefused(f"unknown action {action!r}")
    if action in TRANSITIONS:
        allowed, _ = TRANSITIONS[action]
        if alert.get("status") not in allowed:
            raise ActionRefused(f"cannot {action} an alert that is {alert.get('status')}")
        if action == "dismiss":
            reason = data.get("reason")
            if not isinstance(reason, str) or not reason.strip():
                raise ActionRefused("dismissing an alert needs a reason")
    elif action == "assign":
        assignee = data.get("assignee")
        if assignee is not None and (not isinstance(assignee, str) or len(assignee) > 100):
            raise ActionRefused("assignee must be a user name or empty")
    elif action == "comment":
        text = data.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ActionRefused("a comment needs text")


def apply(alert: dict[str, Any], action: str, data: dict[str, Any]) -> dict[str, Any]:
    """The alert after ``action`` (a new dict); unchanged when the action does not apply."""
    try:
        check(alert, action, data)
    except ActionRefused:
        return dict(alert)
    out = dict(alert)
    if action in TRANSITIONS:
        out["status"] = TRANSITIONS[action][1]
        if action == "escalate" and out.get("severity") == "yellow":
            out["severity"] = "red"
        if action == "dismiss":
            out["resolution"] = str(data["reason"]).strip()[:2000]
    elif action == "assign":
        out["assignee"] = data.get("assignee") or None
    return out
