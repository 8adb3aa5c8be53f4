"""Which years' holidays the server knows, the warnings about the missing ones, and what loading
a year changes.

* ``status`` — for the health answer, the console's status bar, the big screen and
  ``yingyan admin calendar show``: this year's holidays missing, or next year's from
  1 November (the ``calendar-warning`` setting) until they are loaded.
* ``provisional`` — a case whose clocks count through a year without holidays has a
  provisional due instant (the API's ``clocks.provisional``).
* ``reevaluate_year`` — after a year is loaded, every case whose clocks that year can move
  is evaluated again in the same transaction; each alert that changes and each due instant
  that moves is audited as caused by the calendar change (``detail.cause = "calendar"``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from server.alerts.models import Alert
from server.audit import service as audit
from server.cases.models import ApprovalCase
from server.changes.service import ChangeWriter
from server.context import Context
from server.evaluation import Evaluator
from server.offices.models import Office
from server.settings.service import current
from shared.admin import CalendarStatus, CalendarYearState
from shared.calendar import CalendarSource, WorkCalendar
from shared.rules import CaseResult
from shared.settings import CalendarWarningSettings
from shared.timeutil import Instant, date_to_day, day_start, format_instant, to_datetime

CHUNK = 500


def warn_from(session: Session) -> tuple[int, int]:
    s = current(session, CalendarWarningSettings, "calendar-warning")
    return s.from_month, s.from_day


def warning_text(year: int) -> str:
    return (f"the holidays of {year} are not loaded: working days in {year} are counted as Monday–Friday only "
            f"and due instants that reach into {year} are provisional; load the State Council's arrangement "
            f"(yingyan admin calendar import)")


def status(ctx: Context, session: Session) -> CalendarStatus:
    now = ctx.now(session)
    today = to_datetime(now).date()
    cal = ctx.calendar(session)
    month, day = warn_from(session)
    missing = cal.missing_years(today, (month, day))
    years = []
    for y in range(today.year - 1, today.year + 2):
        source = cal.source(y)
        years.append(CalendarYearState(year=y, source=source.value, loaded=source is not CalendarSource.WEEKDAYS))
    return CalendarStatus(now=format_instant(now) or "", year=today.year, warn_from=f"{month:02d}-{day:02d}",
                          years=years, missing=missing, warnings=[warning_text(y) for y in missing])


def provisional(calendar: WorkCalendar, result: CaseResult) -> dict[str, Any]:
    """``{"provisional": bool, "provisional_years": [...]}`` for a case's clocks."""
    spans: list[tuple[Instant | None, Instant | None]] = []
    if result.clock is not None:
        spans.append((result.clock.counting_from, result.clock.due))
    if result.acceptance is not None:
        spans.append((result.acceptance.counting_from, result.acceptance.due))
    spans.extend((n.started_at, n.due) for n in result.nodes)
    years = calendar.provisional_years(spans)
    return {"provisional": bool(years), "provisional_years": years}


@dataclass
class Reevaluation:
    cases: int = 0
    alerts_changed: int = 0
    dues_moved: int = 0


_ALERT_FIELDS = ("status", "severity", "condition_cleared", "message_en")


def _chunks(values: Sequence[int]) -> Iterable[Sequence[int]]:
    for i in range(0, len(values), CHUNK):
        yield values[i : i + CHUNK]


def _alerts(session: Session, case_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    out: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(case_ids):
        rows = session.execute(
            select(Alert.id, Alert.subject_id, Alert.office_id, Alert.subject_ref, Alert.rule, Alert.node,
                   *(getattr(Alert, f) for f in _ALERT_FIELDS))
            .where(Alert.subject_type == "case", Alert.subject_id.in_([str(i) for i in chunk]))
        )
        for alert_id, _sid, office_id, ref, rule, node, *values in rows:
            out[alert_id] = {"office_id": office_id, "case_no": ref, "rule": rule, "node": node or None,
                             **dict(zip(_ALERT_FIELDS, values, strict=True))}
    return out


def _dues(session: Session, case_ids: Sequence[int]) -> dict[int, tuple[int, str, int | None]]:
    out: dict[int, tuple[int, str, int | None]] = {}
    for chunk in _chunks(case_ids):
        for cid, office_id, case_no, due in session.execute(
            select(ApprovalCase.id, ApprovalCase.office_id, ApprovalCase.case_no, ApprovalCase.due)
            .where(ApprovalCase.id.in_(chunk))
        ):
            out[cid] = (office_id, case_no, due)
    return out


def reevaluate_year(ctx: Context, session: Session, *, year: int, now: Instant, actor: str,
                    changes: ChangeWriter, cause_seq: int) -> Reevaluation:
    """Evaluate again every case whose clocks ``year``'s calendar can move, and audit what changed.

    A case closed before the year began cannot change (its working time and its comparison
    with a due instant in the year are the same on any calendar of that year); every other case
    is evaluated. Call inside the write transaction that stored the year.
    """
    year_start = day_start(date_to_day(date(year, 1, 1)))
    ids = sorted(session.scalars(
        select(ApprovalCase.id).where(or_(ApprovalCase.closed_at.is_(None), ApprovalCase.closed_at >= year_start))
    ))
    report = Reevaluation(cases=len(ids))
    if not ids:
        return report
    alerts_before = _alerts(session, ids)
    dues_before = _dues(session, ids)
    ev = Evaluator(ctx, session, now, changes)
    ev.cases(ids)
    ev.finish()
    session.flush()
    alerts_after = _alerts(session, ids)
    dues_after = _dues(session, ids)
    codes: dict[int, str] = dict(session.execute(select(Office.id, Office.code)).tuples().all())
    cause = {"cause": "calendar", "year": year, "calendar_audit_seq": cause_seq}
    for alert_id, after in sorted(alerts_after.items()):
        before = alerts_before.get(alert_id)
        state_before = {f: before[f] for f in _ALERT_FIELDS} if before else None
        state_after = {f: after[f] for f in _ALERT_FIELDS}
        if state_before == state_after:
            continue
        report.alerts_changed += 1
        audit.append(session, at=now, actor=actor, action="alert.reevaluated", entity="alert",
                     entity_id=str(alert_id), before=state_before, after=state_after,
                     detail={**cause, "rule": after["rule"], "node": after["node"],
                             "case": f"{codes.get(after['office_id'], '')}/{after['case_no']}",
                             "before": state_before, "after": state_after})
    for cid, (office_id, case_no, due) in sorted(dues_after.items()):
        old = dues_before.get(cid, (office_id, case_no, None))[2]
        if old == due:
            continue
        report.dues_moved += 1
        ref = f"{codes.get(office_id, '')}/{case_no}"
        audit.append(session, at=now, actor=actor, action="case.due_moved", entity="case", entity_id=ref,
                     before={"due": format_instant(old)}, after={"due": format_instant(due)},
                     detail={**cause, "before": {"due": format_instant(old)}, "after": {"due": format_instant(due)}})
    return report
