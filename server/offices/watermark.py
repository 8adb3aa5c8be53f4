"""An administrator corrects an office's watermark (issue: a wrong ``complete_until`` sticks).

The watermark only moves forward by batches; a wrong one (a clerk's typo, or a hostile office)
would make every genuine record after it ``BACKDATED``. The correction may move it back. Events
flagged back-dated only because of the wrong watermark (dated at or after the corrected one: no
true watermark was ever later than that) lose the flag, and the office's cases, petitions and
silence are evaluated again. The correction, its reason and both values go to the audit log.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from server.audit import service as audit
from server.cases.models import ApprovalCase, ApprovalEvent
from server.changes.service import ChangeWriter, lock_for_commit_order
from server.context import Context
from server.evaluation import Evaluator, office_json
from server.offices.models import Office
from server.petitions.models import Petition
from shared.timeutil import Instant, format_instant


class UnknownOffice(LookupError):
    pass


def correct_watermark(ctx: Context, *, code: str, watermark: Instant, reason: str, actor: str) -> dict[str, Any]:
    """Set the office's watermark to ``watermark``; returns the office as the API shows it."""
    changes = ChangeWriter()
    with ctx.db.writing() as session:
        lock_for_commit_order(session)
        office = session.scalars(select(Office).where(Office.code == code)).one_or_none()
        if office is None:
            raise UnknownOffice(code)
        now = ctx.now(session)
        before = office.watermark
        office.watermark = watermark
        office.version += 1
        case_ids = list(session.scalars(select(ApprovalCase.id).where(ApprovalCase.office_id == office.id)))
        cleared = list(session.scalars(
            select(ApprovalEvent.case_id).where(ApprovalEvent.case_id.in_(select(ApprovalCase.id).where(
                ApprovalCase.office_id == office.id)), ApprovalEvent.backdated, ApprovalEvent.at >= watermark)
        ))
        if cleared:
            session.execute(update(ApprovalEvent).where(
                ApprovalEvent.case_id.in_(set(cleared)), ApprovalEvent.backdated, ApprovalEvent.at >= watermark
            ).values(backdated=False))
            # Their rule states counted those flags: built again from the history on evaluation.
            session.execute(update(ApprovalCase).where(ApprovalCase.id.in_(set(cleared))).values(rule_state=None))
        ev = Evaluator(ctx, session, now, changes)
        ev.offices[office.id] = office
        ev.cases(case_ids, touched=frozenset(cleared))
        ev.petitions(session.scalars(select(Petition.id).where(Petition.office_id == office.id)))
        ev.office(office)
        ev.finish()
        out = office_json(office, now)
        changes.add(topic="office", entity="office", entity_id=office.code, data=out, at=now)
        audit.append(session, at=now, actor=actor, action="office.watermark", entity="office", entity_id=office.code,
                     before={"watermark": format_instant(before)}, after={"watermark": format_instant(watermark)},
                     detail={"reason": reason, "backdated_cleared": len(cleared),
                             "from": format_instant(before), "to": format_instant(watermark)})
        changes.flush(session)
    ctx.committed()
    return out
