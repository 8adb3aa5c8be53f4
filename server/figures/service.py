"""The month's figures: risk index, evaluation and statistics, cached once a month is closed.

Keyword-only functions over a session. A month is *closed* once the server's clock has passed
its end: its figures are computed once, stored in ``monthly_figures`` under the digest of the
settings in force, and answered from there until a record for that month changes (a late
batch, an alert dismissed, a card revoked: :func:`invalidate`). The month in progress is
computed on every read. At the first sweep after a month's end, :func:`judge_month_end`
raises ``RISK_LEVEL`` on every office whose level worsened against the month before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

import orjson
from pydantic import BaseModel
from sqlalchemy import and_, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.alerts.service import AlertSync
from server.cards.models import Card
from server.cases.models import ApprovalCase, ApprovalEvent, Evaluation
from server.changes.service import ChangeWriter
from server.context import Context
from server.figures import risk
from server.figures.models import MonthlyFigures
from server.notices.models import Notice
from server.offices.models import Office
from server.petitions.models import Petition, PetitionEvent
from server.reminders.models import RiskReminder
from server.settings.service import current
from shared.protocol import EvaluationOut, RiskIndexOut, StatisticsOut
from shared.risk import (
    LEVELS,
    Charge,
    alert_item,
    index_rows,
    local_month,
    month_bounds,
    month_text,
    previous_month,
)
from shared.rules.common import run_rules
from shared.rules.risk import RiskMonthView
from shared.scores import UnitCounts, evaluation_rows, statistics_of
from shared.settings import EvaluationSettings, RiskIndexSettings
from shared.timeutil import Instant, day_start, local_day

BY = ("office", "department")
GOOD_RATINGS = ("satisfied", "basically_satisfied")
PETITION_OVERDUE = ("PETITION_ACCEPT_OVERDUE", "PETITION_HANDLE_OVERDUE")


class _Offices:
    def __init__(self, session: Session, now: Instant):
        self.rows = list(session.scalars(select(Office).order_by(Office.code)))
        self.codes = {o.id: o.code for o in self.rows}
        self.names = {o.id: o.name for o in self.rows}
        self.as_of = {o.id: o.as_of(now) for o in self.rows}
        #: The units judged: every office but the centre itself.
        self.judged = [o.code for o in self.rows if not o.is_centre]
        self.name_by_code = {o.code: o.name for o in self.rows}


def _digest(*settings: Any) -> str:
    return hashlib.sha256(orjson.dumps([s.model_dump(mode="json") for s in settings])).hexdigest()


def _cached(ctx: Context, session: Session, *, kind: str, month: tuple[int, int], by: str, digest: str,
            now: Instant, compute: Any, model: type[BaseModel]) -> bytes:
    """``compute()`` as the answer's JSON, or the stored JSON of a closed month computed with the
    same settings (sent as it is: no decoding and encoding a month of points on every read).

    What is computed is checked against the answer's ``model`` once, here.
    ``session`` may be a read session: a closed month's result is stored in a write
    transaction of its own (two readers computing the same month at once store the same body)."""
    _start, end = month_bounds(*month)
    text = month_text(*month)
    closed = end <= now
    if closed:
        row = session.get(MonthlyFigures, (kind, text, by))
        if row is not None and row.digest == digest:
            return row.body.encode()
    body = model.model_validate(compute()).model_dump_json().encode()
    if closed:
        _store(ctx, kind=kind, month=text, by=by, digest=digest, body=body.decode(), now=now)
    return body


def _store(ctx: Context, *, kind: str, month: str, by: str, digest: str, body: str, now: Instant) -> None:
    """Keep a closed month's result. Two first readers of the same month compute the same body:
    the one whose insert loses the race keeps nothing, and answers what it computed."""
    try:
        with ctx.db.writing() as w:
            stored = w.get(MonthlyFigures, (kind, month, by))
            if stored is None:
                w.add(MonthlyFigures(kind=kind, month=month, by=by, digest=digest, body=body, computed_at=now))
            else:
                stored.digest, stored.body, stored.computed_at = digest, body, now
    except IntegrityError:
        pass


# ---- the risk index -------------------------------------------------------------------


def _charges(session: Session, offices: _Offices, month: tuple[int, int]) -> list[Charge]:
    start, end = month_bounds(*month)
    return risk.charges(session, start, end, codes=offices.codes, names=offices.names, as_of=offices.as_of)


def risk_index(ctx: Context, session: Session, *, month: tuple[int, int], by: str, now: Instant) -> bytes:
    """The answer of ``GET /risk-index`` as JSON."""
    settings = current(session, RiskIndexSettings, "risk-index")

    def compute() -> dict[str, Any]:
        offices = _Offices(session, now)
        charges = _charges(session, offices, month)
        if by == "office":
            rows = index_rows(charges, by="office", settings=settings, names=offices.name_by_code,
                              everyone=offices.judged)
        else:
            rows = index_rows(charges, by="staff", settings=settings)
        return {"month": month_text(*month), "by": by, "rows": rows}

    return _cached(ctx, session, kind="risk", month=month, by=by, digest=_digest(settings), now=now, compute=compute,
                   model=RiskIndexOut)


def judge_month_end(ctx: Context, session: Session, *, now: Instant, changes: ChangeWriter) -> int:
    """Raise ``RISK_LEVEL`` for the month that ended last, once: each office whose level is worse
    than the month before's. Returns the alerts raised."""
    month = previous_month(*local_month(now))
    text = month_text(*month)
    if session.get(MonthlyFigures, ("risk_level", text, "office")) is not None:
        return 0
    settings = current(session, RiskIndexSettings, "risk-index")
    offices = _Offices(session, now)
    this = {r["key"]: r for r in index_rows(_charges(session, offices, month), by="office", settings=settings,
                                            names=offices.name_by_code, everyone=offices.judged)}
    before = {r["key"]: r["level"] for r in index_rows(_charges(session, offices, previous_month(*month)),
                                                       by="office", settings=settings, everyone=offices.judged)}
    sync = AlertSync(session, changes, offices.codes, now)
    by_code = {o.code: o for o in offices.rows}
    start, _end = month_bounds(*month)
    for code, row in this.items():
        office = by_code.get(code)
        prior = before.get(code, "green")
        # A unit's first month has no level to worsen from: an office registered during the
        # month is judged from the next month on.
        if office is None or office.is_centre or office.created_at >= start:
            continue
        hits = run_rules("risk", RiskMonthView(code, text, row["index"], row["level"], prior))
        if not hits:
            continue
        key = ("office", str(office.id))
        sync.load([key])
        # Only this month's RISK_LEVEL is added: other rules and months stay as they are.
        sync.apply(subject=key, subject_ref=code, office_id=office.id, hits=hits, as_of=now, only_rules=frozenset())
    sync.flush()
    session.add(MonthlyFigures(kind="risk_level", month=text, by="office", digest="",
                               body=orjson.dumps({"levels": {k: r["level"] for k, r in this.items()},
                                                  "before": before}).decode(),
                               computed_at=now))
    return sync.raised


# ---- counts for the evaluation and the statistics ----------------------------------------


def _unit_counts(ctx: Context, session: Session, offices: _Offices, month: tuple[int, int], by: str,
                 risk_settings: RiskIndexSettings) -> dict[str, UnitCounts]:
    start, end = month_bounds(*month)
    catalogue = ctx.catalogue(session)
    departments: dict[str, str] = {}

    def dept(power_code: str) -> str:
        if power_code not in departments:
            item = catalogue.latest(power_code)
            departments[power_code] = item.department if item is not None else "?"
        return departments[power_code]

    out: dict[str, UnitCounts] = {}
    if by == "office":
        for code in offices.judged:
            out[code] = UnitCounts()

    def unit(office_id: int, power_code: str | None) -> UnitCounts | None:
        if by == "office":
            code = offices.codes.get(office_id)
            return None if code is None else out.setdefault(code, UnitCounts())
        if power_code is None:
            return None
        return out.setdefault(dept(power_code), UnitCounts(office_level=False))

    for office_id, power in session.execute(select(ApprovalCase.office_id, ApprovalCase.power_code)
                                            .where(ApprovalCase.received_at >= start, ApprovalCase.received_at < end)):
        u = unit(office_id, power)
        if u is not None:
            u.received += 1
    decided = list(session.execute(
        select(ApprovalCase.id, ApprovalCase.office_id, ApprovalCase.power_code, ApprovalCase.due,
               ApprovalCase.closed_at, ApprovalCase.used_hours)
        .where(ApprovalCase.closed_at >= start, ApprovalCase.closed_at < end, ApprovalCase.state.like("decided%"))))
    # One statement for the month's suspensions (a join, not thousands of IN lists).
    supplemented: set[int] = set()
    for case_id, data in session.execute(
            select(ApprovalEvent.case_id, ApprovalEvent.data)
            .join(ApprovalCase, ApprovalCase.id == ApprovalEvent.case_id)
            .where(ApprovalCase.closed_at >= start, ApprovalCase.closed_at < end, ApprovalEvent.type == "suspended")):
        if (data or {}).get("reason_code") == "supplement":
            supplemented.add(case_id)
    for case_id, office_id, power, due, closed_at, used_hours in decided:
        u = unit(office_id, power)
        if u is None:
            continue
        u.decided += 1
        u.early += 1 if due is not None and closed_at is not None and closed_at < due else 0
        u.one_time += 0 if case_id in supplemented else 1
        item = catalogue.latest(power)
        if used_hours is not None and item is not None and item.limit_days:
            u.timed += 1
            u.used_fraction_sum += used_hours / (item.limit_days * 24)
            u.working_days_sum += used_hours / 24

    alerts = risk.alert_rows(session, start, end)
    case_ids = sorted({int(r[7]) for r in alerts if r[6] == "case"})
    case_power: dict[int, str] = {}
    for i in range(0, len(case_ids), 500):
        case_power.update(session.execute(select(ApprovalCase.id, ApprovalCase.power_code)
                                          .where(ApprovalCase.id.in_(case_ids[i:i + 500]))).tuples().all())
    for _aid, rule, severity, _status, office_id, _ev, subject_type, subject_id, _at in alerts:
        u = unit(office_id, case_power.get(int(subject_id)) if subject_type == "case" else None)
        if u is None:
            continue
        u.alerts_by_rule[rule] = u.alerts_by_rule.get(rule, 0) + 1
        if rule == "OFFICE_SILENT":
            u.silent_alerts += 1
        elif subject_type == "case" and alert_item(rule, severity) is not None:
            if severity == "red":
                u.red_alerts += 1
            else:
                u.yellow_alerts += 1

    rating_rows = session.execute(
        select(Evaluation.office_id, Evaluation.rating, ApprovalCase.power_code)
        .outerjoin(ApprovalCase, and_(ApprovalCase.office_id == Evaluation.office_id,
                                      ApprovalCase.case_no == Evaluation.case_no))
        .where(Evaluation.at >= start, Evaluation.at < end))
    for office_id, rating, power in rating_rows:
        u = unit(office_id, power)
        if u is not None:
            u.ratings += 1
            u.satisfied += 1 if rating in GOOD_RATINGS else 0

    for office_id, _node in session.execute(select(RiskReminder.office_id, RiskReminder.node)
                                            .where(RiskReminder.created_at >= start, RiskReminder.created_at < end)):
        if by == "office":
            u = unit(office_id, None)
            if u is not None:
                u.reminders += 1

    if by == "office":
        for office_id, kind in session.execute(select(Card.office_id, Card.kind).where(
                Card.issued_at >= start, Card.issued_at < end, Card.status == "active")):
            u = unit(office_id, None)
            if u is not None:
                if kind == "red":
                    u.red_cards += 1
                else:
                    u.yellow_cards += 1
        for (office_id,) in session.execute(select(Notice.office_id).where(Notice.issued_at >= start,
                                                                           Notice.issued_at < end)):
            u = unit(office_id, None)
            if u is not None:
                u.notices_issued += 1
        for office_id, due, replied_at in session.execute(
                select(Notice.office_id, Notice.reply_due, Notice.replied_at)
                .where(Notice.reply_due >= start, Notice.reply_due < end)):
            u = unit(office_id, None)
            if u is None:
                continue
            u.notices_due += 1
            if replied_at is not None and replied_at < due:
                u.notices_on_time += 1
            elif replied_at is not None or offices.as_of.get(office_id, 0) >= due:
                u.notices_late += 1
        _petitions(session, offices, start, end, unit)
    return out


def _counts(ctx: Context, session: Session, offices: _Offices, month: tuple[int, int], by: str,
            risk_settings: RiskIndexSettings, now: Instant) -> dict[str, UnitCounts]:
    """The month's counts per unit; a closed month's are counted once and kept (the evaluation
    of the next month reads them as its "month before", the statistics as their own)."""
    _start, end = month_bounds(*month)
    text = month_text(*month)
    if end <= now:
        row = session.get(MonthlyFigures, ("counts", text, by))
        if row is not None:
            return {k: UnitCounts(**v, office_level=by == "office") for k, v in orjson.loads(row.body).items()}
    counts = _unit_counts(ctx, session, offices, month, by, risk_settings)
    if end <= now:
        _store(ctx, kind="counts", month=text, by=by, digest="",
               body=orjson.dumps({k: c.as_json() for k, c in counts.items()}).decode(), now=now)
    return counts


def _petitions(session: Session, offices: _Offices, start: Instant, end: Instant, unit: Any) -> None:
    from server.alerts.models import Alert

    for office_id, status in session.execute(select(Petition.office_id, Petition.status).where(
            Petition.received_at >= start, Petition.received_at < end)):
        u = unit(office_id, None)
        if u is not None:
            u.petitions_by_status[status] = u.petitions_by_status.get(status, 0) + 1
    finished = list(session.execute(
        select(Petition.id, Petition.office_id).join(PetitionEvent, PetitionEvent.petition_id == Petition.id)
        .where(PetitionEvent.type.in_(("replied", "closed")), PetitionEvent.at >= start, PetitionEvent.at < end)
        .distinct()))
    ids = [r[0] for r in finished]
    late: set[str] = set()
    for i in range(0, len(ids), 500):
        late.update(session.scalars(select(Alert.subject_id).where(
            Alert.subject_type == "petition", Alert.subject_id.in_(ids[i:i + 500]), Alert.rule.in_(PETITION_OVERDUE))))
    for pid, office_id in finished:
        u = unit(office_id, None)
        if u is not None:
            u.petitions_finished += 1
            u.petitions_on_time += 0 if pid in late else 1


def evaluation(ctx: Context, session: Session, *, month: tuple[int, int], by: str, now: Instant) -> bytes:
    """The answer of ``GET /evaluation`` as JSON."""
    weights = current(session, EvaluationSettings, "evaluation")
    risk_settings = current(session, RiskIndexSettings, "risk-index")

    def compute() -> dict[str, Any]:
        offices = _Offices(session, now)
        this = _counts(ctx, session, offices, month, by, risk_settings, now)
        before = _counts(ctx, session, offices, previous_month(*month), by, risk_settings, now)
        names = offices.name_by_code if by == "office" else _department_names(ctx, session)
        rows = evaluation_rows(this, names=names, before=before, weights=weights, risk=risk_settings)
        return {"month": month_text(*month), "by": by, "weights": weights.model_dump(mode="json"), "rows": rows}

    return _cached(ctx, session, kind="evaluation", month=month, by=by, digest=_digest(weights, risk_settings), now=now,
                   compute=compute, model=EvaluationOut)


def statistics(ctx: Context, session: Session, *, month: tuple[int, int], by: str, now: Instant) -> bytes:
    """The answer of ``GET /statistics`` as JSON."""
    risk_settings = current(session, RiskIndexSettings, "risk-index")

    def compute() -> dict[str, Any]:
        offices = _Offices(session, now)
        counts = _counts(ctx, session, offices, month, by, risk_settings, now)
        names = offices.name_by_code if by == "office" else _department_names(ctx, session)
        rows = [{"key": k, "name": names.get(k, k), **statistics_of(c)} for k, c in sorted(counts.items())]
        total = UnitCounts()
        for c in counts.values():
            for name, value in vars(c).items():
                if isinstance(value, dict):
                    merged = getattr(total, name)
                    for key, n in value.items():
                        merged[key] = merged.get(key, 0) + n
                elif isinstance(value, bool):
                    continue
                else:
                    setattr(total, name, getattr(total, name) + value)
        return {"month": month_text(*month), "by": by, "rows": rows, "total": statistics_of(total)}

    return _cached(ctx, session, kind="statistics", month=month, by=by, digest=_digest(risk_settings), now=now,
                   compute=compute, model=StatisticsOut)


def _department_names(ctx: Context, session: Session) -> dict[str, str]:
    names: dict[str, str] = {}
    for entries in ctx.catalogue(session).versions.values():
        item = entries[-1][2]
        if item.department_name:
            names.setdefault(item.department, item.department_name)
    return names


def invalidate(session: Session, instants: Iterable[Instant | None], *, now: Instant) -> None:
    """Drop the cached figures of the closed months these instants fall in (a record of theirs
    changed); the month-end judgement (``risk_level``) stays: it was made at the month's end."""
    # Only closed months are stored: the month in progress is computed on every read anyway.
    # A batch's thousands of instants fall on a few days: each day's month is found once.
    days = {local_day(t) for t in instants if t is not None}
    months = {month_text(*m) for m in {local_month(day_start(d)) for d in days} if month_bounds(*m)[1] <= now}
    if months:
        session.execute(delete(MonthlyFigures).where(MonthlyFigures.month.in_(sorted(months)),
                                                     MonthlyFigures.kind != "risk_level"))


__all__ = ["BY", "LEVELS", "evaluation", "invalidate", "judge_month_end", "risk_index", "statistics"]
