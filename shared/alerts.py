"""The alert life cycle's vocabulary (spec 02 §4), shared by the server and the offline console.

The server is the authority; the console applies an operator's action locally before the
server confirms it, and must refuse exactly what the server would refuse.
"""

from __future__ import annotations

#: action -> (statuses it may start from, status it leads to). Escalating, dismissing and
#: promoting an open alert imply its acknowledgement.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "ack": (frozenset({"open"}), "acknowledged"),
    "escalate": (frozenset({"open", "acknowledged"}), "escalated"),
    "dismiss": (frozenset({"open", "acknowledged", "escalated"}), "dismissed"),
    "promote": (frozenset({"open", "acknowledged", "escalated"}), "promoted"),
}
ACTIONS = (*TRANSITIONS, "assign", "comment")
#: Actions that overwrite nothing a person decided: they never conflict and keep the version.
COMMUTATIVE = frozenset({"comment"})
ACTIVE_STATUSES = ("open", "acknowledged", "escalated", "promoted")
INACTIVE_STATUSES = ("resolved", "dismissed")
#: Statuses a person chose; a rule whose condition clears leaves them as they are.
HANDLED_STATUSES = ("acknowledged", "escalated", "promoted", "dismissed")
