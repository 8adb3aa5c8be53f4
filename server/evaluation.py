"""Re-evaluating subjects and the sweep of the clock rules.

A batch re-evaluates the cases and petitions it touched, plus those of its office whose
next clock instant its new ``as_of`` has passed. The sweep does the same for every office
when time moves, using the ``next_check`` index instead of scanning every case.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from server.alerts.service import AlertSync
from server.cases import service as cases
from server.cases.models import ApprovalCase
from server.cases.service import CaseRow
from server.catalogue.models import SweepRun
from server.changes.service import ChangeWriter, lock_for_commit_order
from server.context import Context
from server.db import LOCK_SWEEP, advisory_xact_lock, bulk_update, one_of, table_of, try_advisory_xact_lock
from server.notices import service as notices
from server.notices.models import Notice
from server.offices.models import Office
from server.petitions import service as petitions
from server.petitions.models import Petition
from server.reminders import service as reminders
from server.settings.service import current
from shared.rules import RULES, evaluate_petition, office_silent
from shared.rules.approval import CaseEvent, DuplicateRef, Rating
from shared.rules.case_state import CaseState, build, evaluate_state, fold
from shared.rules.notice import notice_reply_overdue
from shared.settings import OfficeSilentSettings
from shared.timeutil import HOUR, format_instant

#: The rules an office's own evaluation decides: its other alerts (none today) stay as they are.
OFFICE_RULES = frozenset(code for code, info in RULES.items() if info.subject == "office")


def office_json(o: Office, now: int) -> dict[str, object]:
    return {
        "code": o.code,
        "name": o.name,
        "kind": o.kind,
        "parent": o.parent,
        "watermark": format_instant(o.watermark),
        "as_of": format_instant(o.as_of(now)),
        "last_batch_at": format_instant(o.last_batch_at),
        "created_at": format_instant(o.created_at),
        "version": o.version,
    }


#: The case columns an evaluation writes back (with ``rule_state`` when the state changed).
CASE_COLUMNS = ("state", "due", "closed_at", "used_hours", "ratings", "next_check", "version")


@dataclass
class _CaseWrites:
    """A chunk's writes to its cases, made at the end in one UPDATE a case."""

    updates: list[dict[str, Any]] = field(default_factory=list)
    states: dict[int, dict[str, Any]] = field(default_factory=dict)
    """Changed rule states by case id."""

    def write(self, session: Session) -> None:
        # A changed rule state goes with the case's other changed columns.
        columns = CASE_COLUMNS
        plain: list[dict[str, Any]] = []
        with_state: list[dict[str, Any]] = []
        for u in self.updates:
            js = self.states.pop(u["_id"], None)
            if js is None:
                plain.append(u)
            else:
                with_state.append(u | {"rule_state": js})
        table = table_of(ApprovalCase)
        bulk_update(session, table, plain, columns)
        bulk_update(session, table, with_state, (*columns, "rule_state"))
        bulk_update(session, table, [{"_id": cid, "rule_state": js} for cid, js in self.states.items()],
                    ("rule_state",))


class _Offices(dict[int, Office]):
    """The offices an evaluation has used, each loaded on first use: a batch needs only its
    own (and those of the few cases it reaches in other offices), and a province has 1,500
    of them (loading them all as ORM objects was a third of a province-day batch's time)."""

    def __init__(self, session: Session, now: int):
        super().__init__()
        self.session = session
        self.now = now
        #: each office's ``as_of``, asked for several times per subject (an ORM read and a branch
        #: each time, a twentieth of a sweep's time); dropped when the office is set again
        self._as_of: dict[int, int] = {}

    def __missing__(self, office_id: int) -> Office:
        office = self.session.get(Office, office_id)
        if office is None:
            raise KeyError(office_id)
        self[office_id] = office
        return office

    def __setitem__(self, office_id: int, office: Office) -> None:
        self._as_of.pop(office_id, None)
        super().__setitem__(office_id, office)

    def as_of(self, office_id: int) -> int:
        """The office's evaluation instant at ``now``. Its watermark does not move while an
        evaluator is at work: batches and corrections move it before they evaluate."""
        found = self._as_of.get(office_id)
        if found is None:
            found = self._as_of[office_id] = self[office_id].as_of(self.now)
        return found


class Evaluator:
    """Evaluates subjects inside one write transaction and records the alert changes."""

    def __init__(self, ctx: Context, session: Session, now: int, changes: ChangeWriter):
        self.ctx = ctx
        self.session = session
        self.now = now
        self.changes = changes
        self.offices = _Offices(session, now)
        # Codes never change, and all of them are one small Core read: duplicates and alerts
        # name offices other than the one evaluated.
        self.codes: dict[int, str] = dict(session.execute(select(Office.id, Office.code)).all())
        self.alerts = AlertSync(session, changes, self.codes, now)
        self.catalogue = ctx.catalogue(session)
        self.calendar = ctx.calendar(session)
        self.evaluated = 0
        self.reminder_candidates: list[reminders.Candidate] = []
        self.reminders_created = 0
        #: cases whose rule state was built from their history, and late events a state could not take
        self.states_built = 0
        self.folds_fallen_back = 0
        self.silent_hours = current(session, OfficeSilentSettings, "office-silent").hours

    def as_of(self, office_id: int) -> int:
        return self.offices.as_of(office_id)

    # ---- approval cases ---------------------------------------------------------------
    def cases(
        self, case_ids: Iterable[int], *, touched: frozenset[int] = frozenset(),
        new_events: Mapping[int, Sequence[CaseEvent]] | None = None,
    ) -> None:
        """Evaluate these cases. ``new_events`` are the events this transaction stored for
        them: they are folded into each case's rule state; no other event may have been
        stored for a case since its state (a case without one builds it from its history)."""
        ids = sorted(set(case_ids))
        for start in range(0, len(ids), 2000):
            self._cases_chunk(ids[start : start + 2000], touched, new_events or {})

    def _case_state(self, c: CaseRow, new: Sequence[CaseEvent] | None) -> CaseState | None:
        """The case's rule state with its new events folded in; None when it must be built from
        the history: no (current) state, a late event the state cannot take exactly, or an
        ``as_of`` before the instant the state was pruned to."""
        state = CaseState.from_json(orjson.loads(c.rule_state) if c.rule_state else None)
        if state is None or (state.horizon is not None and self.as_of(c.office_id) < state.horizon):
            return None
        if new:
            state = fold(state, new)
            if state is None:
                self.folds_fallen_back += 1
        return state

    def _cases_chunk(self, ids: list[int], touched: frozenset[int],
                     new_events: Mapping[int, Sequence[CaseEvent]]) -> None:
        # Write pending ORM changes (received_at of new cases) before reading with Core below.
        self.session.flush()
        rows = cases.load_cases(self.session, ids)
        ratings = cases.load_ratings(self.session, rows)
        dups = cases.load_duplicates(self.session, rows, self.codes)
        self.alerts.load(("case", str(c.id)) for c in rows)
        out = _CaseWrites()
        # Each state is read (from its stored text), folded and evaluated in turn, not all of a
        # chunk's at once: thousands of live states make the garbage collector scan them again
        # and again. Cases built from their history come after the others, their events read
        # in one go.
        rebuild: list[CaseRow] = []
        for c in rows:
            new = new_events.get(c.id)
            state = self._case_state(c, new)
            if state is None:
                rebuild.append(c)
            else:
                self._evaluate_case(c, state, bool(new), touched, ratings, dups, out)
        if rebuild:
            self.states_built += len(rebuild)
            history = cases.load_case_events(self.session, [c.id for c in rebuild])
            for c in rebuild:
                self._evaluate_case(c, build(history.get(c.id, [])), True, touched, ratings, dups, out)
        out.write(self.session)

    def _evaluate_case(
        self, c: CaseRow, state: CaseState, state_changed: bool, touched: frozenset[int],
        ratings: Mapping[tuple[int, str], Sequence[Any]], dups: Mapping[int, DuplicateRef], out: _CaseWrites,
    ) -> None:
        as_of = self.as_of(c.office_id)
        if state_changed:
            # Stored pruned to this as_of (the event instants it has passed no longer matter).
            # An unchanged state is not written again: it stays valid for every later as_of.
            out.states[c.id] = state.pruned(as_of).to_json()
        item = self.catalogue.in_force(c.power_code, state.anchor())
        if item is None:
            return
        code = self.codes[c.office_id]
        case_ratings = ratings.get((c.office_id, c.case_no), [])
        result = evaluate_state(state, item, self.calendar, as_of,
                                ratings=[Rating(r.id, r.rating, r.at) for r in case_ratings],
                                duplicate_of=dups.get(c.id), office=code, case_no=c.case_no)
        self.evaluated += 1
        current = item.node(result.current_node) if result.current_node else None
        if current is not None and current.risk is not None:
            office = self.offices[c.office_id]
            self.reminder_candidates.append(
                reminders.Candidate(c.id, c.office_id, code, office.name, c.case_no, item, current.code)
            )
        due = result.clock.due if result.clock else None
        # Only a closed case's working time is final; an open one's grows with every sweep
        # and would flood the change feed.
        used = round(result.used / HOUR, 3) if result.clock and result.closed_at is not None else None
        counts: dict[str, int] = {}
        for r in case_ratings:
            counts[r.rating] = counts.get(r.rating, 0) + 1
        new = {"state": result.state, "due": due, "closed_at": result.closed_at, "used_hours": used,
               "ratings": counts or None}
        changed = any(getattr(c, k) != v for k, v in new.items()) or c.id in touched
        if changed or c.next_check != result.next_instant:
            version = c.version + 1 if changed else c.version
            new |= {"next_check": result.next_instant, "version": version}
            out.updates.append({"_id": c.id, **new})
            for k, v in new.items():
                setattr(c, k, v)
        if changed:
            self.changes.add(topic="case", entity="case", entity_id=f"{code}/{c.case_no}",
                             data=cases.case_summary(c, code), at=self.now)
        self.alerts.apply(subject=("case", str(c.id)), subject_ref=c.case_no, office_id=c.office_id,
                          hits=result.hits, as_of=as_of)

    # ---- petitions --------------------------------------------------------------------
    def petitions(self, ids: Iterable[str], *, touched: frozenset[str] = frozenset()) -> None:
        all_ids = sorted(set(ids))
        for start in range(0, len(all_ids), 2000):
            chunk = all_ids[start : start + 2000]
            rows = list(self.session.scalars(select(Petition).where(one_of(self.session, Petition.id, chunk))))
            events = petitions.load_events(self.session, chunk)
            dups = petitions.load_duplicates(self.session, rows)
            merged = petitions.load_merged(self.session, chunk)
            self.alerts.load(("petition", p.id) for p in rows)
            for p in rows:
                as_of = self.as_of(p.office_id)
                evs = events.get(p.id, [])
                # Desk events are seen as soon as their time has passed (spec 06 §3).
                result = evaluate_petition(petitions.build_facts(p, evs, dups.get(p.id)), as_of, self.now)
                self.evaluated += 1
                p.next_check = result.next_instant
                p.deadline = result.open_due()
                status = petitions.status_of(evs)
                if p.status != status or p.id in touched:
                    p.status = status
                    p.version += 1
                    self.changes.add(topic="petition", entity="petition", entity_id=p.id,
                                     data=petitions.petition_json(p, self.codes[p.office_id], events=evs,
                                                                  duplicates=merged.get(p.id, [])), at=self.now)
                self.alerts.apply(subject=("petition", p.id), subject_ref=p.id, office_id=p.office_id,
                                  hits=result.hits, as_of=as_of)

    # ---- supervision notices ---------------------------------------------------------
    def notices(self, ids: Iterable[str]) -> None:
        """``NOTICE_REPLY_OVERDUE`` on each notice, on its addressed office's ``as_of``."""
        all_ids = sorted(set(ids))
        for start in range(0, len(all_ids), 2000):
            rows = list(self.session.scalars(select(Notice).where(
                one_of(self.session, Notice.id, all_ids[start : start + 2000]))))
            self.alerts.load(("notice", n.id) for n in rows)
            for n in rows:
                as_of = self.as_of(n.office_id)
                hit, n.next_check = notice_reply_overdue(notices.facts(n, self.codes[n.office_id]), as_of)
                self.evaluated += 1
                self.alerts.apply(subject=("notice", n.id), subject_ref=n.id, office_id=n.office_id,
                                  hits={hit.key: hit} if hit else {}, as_of=as_of)

    def due_notices(self, office_id: int) -> list[str]:
        as_of = self.as_of(office_id)
        return list(self.session.scalars(
            select(Notice.id).where(Notice.office_id == office_id, Notice.next_check <= as_of)
        ))

    # ---- offices ----------------------------------------------------------------------
    def office(self, office: Office) -> None:
        if office.is_centre:
            hit, next_at = None, None  # the server's own office is complete at once, never silent
        else:
            hit, next_at = office_silent(now=self.now, watermark=office.watermark, created_at=office.created_at,
                                         silent_hours=office.silent_hours or self.silent_hours)
        office.next_silent_check = next_at
        key = ("office", str(office.id))
        self.alerts.load([key])
        self.alerts.apply(subject=key, subject_ref=office.code, office_id=office.id,
                          hits={hit.key: hit} if hit else {}, as_of=self.now, only_rules=OFFICE_RULES)

    def due_cases(self, office_id: int) -> list[int]:
        as_of = self.as_of(office_id)
        return list(self.session.scalars(
            select(ApprovalCase.id).where(ApprovalCase.office_id == office_id, ApprovalCase.next_check <= as_of)
        ))

    def due(self, kind: str, office_id: int, *, after: int | str | None, limit: int) -> list[Any]:
        """Up to ``limit`` ids of the office's subjects of ``kind`` whose clock instant its
        ``as_of`` has passed, in id order after ``after`` (the sweep's cursor)."""
        model: Any = {"case": ApprovalCase, "petition": Petition, "notice": Notice}[kind]
        query = select(model.id).where(model.office_id == office_id, model.next_check <= self.as_of(office_id))
        if after is not None:
            query = query.where(model.id > after)
        return list(self.session.scalars(query.order_by(model.id).limit(limit)))

    def offices_with_due(self, kind: str) -> set[int]:
        """The offices that have subjects of ``kind`` due at their ``as_of``, in one query over
        the offices' ``(office_id, next_check)`` index. Against each office's own ``as_of``, not
        ``now``: an office whose watermark lags has subjects due by ``now`` that it is not due
        to answer for, and asking each such office at every sweep cost two queries apiece."""
        model: Any = {"case": ApprovalCase, "petition": Petition, "notice": Notice}[kind]
        # The ids are listed so that each office is a seek on the index, not a scan of all of it.
        return set(self.session.scalars(
            select(model.office_id).join(Office, Office.id == model.office_id)
            .where(model.office_id.in_(sorted(self.codes)), Office.as_of_reached(model.next_check, self.now))
            .group_by(model.office_id)
        ))

    def due_petitions(self, office_id: int) -> list[str]:
        as_of = self.as_of(office_id)
        return list(self.session.scalars(
            select(Petition.id).where(Petition.office_id == office_id, Petition.next_check <= as_of)
        ))

    def finish(self) -> None:
        self.alerts.flush()
        self.reminders_created += reminders.create_reminders(self.session, self.reminder_candidates, now=self.now,
                                                             changes=self.changes)
        self.reminder_candidates = []


@dataclass
class SweepReport:
    ran: bool
    evaluated: int = 0
    raised: int = 0
    seconds: float = 0.0
    #: write transactions the sweep took (each one chunk of at most ``SWEEP_CHUNK`` subjects)
    transactions: int = 0
    #: cases whose rule state was built from their history (none had one, or a late event)
    states_built: int = 0
    folds_fallen_back: int = 0


#: Subjects evaluated per write transaction of the sweep, at most. Each transaction holds the
#: write lock (SQLite) or the commit-order lock (PostgreSQL) that a township's batch needs, so
#: it must stay short.
SWEEP_CHUNK = 1000
#: Seconds a sweep transaction should hold that lock: after each chunk the next one is sized
#: from the time a subject took, so a slower database (PostgreSQL's round trips: about 1 ms a
#: case, against SQLite's 0.3 ms) or a busier machine gets smaller chunks, not longer waits.
SWEEP_HOLD = 0.3
#: The smallest chunk: below it the per-transaction work (the evaluator's reads) dominates.
SWEEP_MIN_CHUNK = 50


@dataclass
class _Cursor:
    """Where a sweep stands: the kind of subject it is on, the office, and the last id done.

    Ids move forward only, so a subject whose clock instant stays passed after its evaluation
    (it should not, but a rule could be wrong) is evaluated once per sweep, not forever."""

    kind: int = 0
    office: int = 0
    after: int | str | None = None
    #: per kind, the offices with anything due when the sweep first looked: asked once a sweep,
    #: not once a chunk (``now`` stays the same throughout, and a batch evaluates its own
    #: office's due subjects itself)
    candidates: dict[str, set[int]] = field(default_factory=dict)


_KINDS = ("case", "petition", "notice")


def sweep(ctx: Context, *, wait: bool = False, notify: bool = True, chunk: int = SWEEP_CHUNK,
          hold: float = SWEEP_HOLD) -> SweepReport:
    """Evaluate every clock rule whose instant has passed, once, across all processes.

    The sweep works in short transactions of at most ``chunk`` subjects, each committing and
    sized to hold the lock about ``hold`` seconds, so a township's batch never waits behind
    the whole midnight sweep, only behind one chunk. Every
    chunk reads what is due inside its own transaction under the commit-order lock, so two
    processes sweeping at once share the work and still raise each alert once. The instant is
    read once: every chunk evaluates up to the same ``now``.

    The periodic sweep skips when another process is sweeping (it would find nothing left to
    do); moving the simulated clock waits for it, because it must answer only after every rule
    up to the new instant has been evaluated.
    """
    started = time.time()
    report = SweepReport(ran=True)
    cursor = _Cursor()
    now: int | None = None
    wrote = False
    budget = chunk
    while True:
        held_from = 0.0
        with ctx.db.writing() as session:
            if wait:
                advisory_xact_lock(session, LOCK_SWEEP)
            elif not try_advisory_xact_lock(session, LOCK_SWEEP):
                if report.transactions == 0:
                    return SweepReport(ran=False)
                finished = False
                break  # another process took over the rest
            # Like every writer that evaluates, the sweep must not interleave with a batch or an
            # operator's mutation: it would write alerts from a stale reading.
            lock_for_commit_order(session)
            held_from = time.perf_counter()
            if now is None:
                now = ctx.now(session)
            changes = ChangeWriter()
            ev = Evaluator(ctx, session, now, changes)
            finished = _sweep_chunk(ev, cursor, budget)
            if finished:
                # Once every subject is done: the offices' own rules and the month's verdict. An
                # office is evaluated when its silence is due (or it has none on record): a batch,
                # a watermark correction and a change of the silence setting evaluate it or clear
                # its instant themselves. A silent office's instant is the next whole hour of its
                # silence, when its alert's message counts one hour more.
                due_offices = list(session.scalars(select(Office).where(
                    or_(Office.next_silent_check.is_(None), Office.next_silent_check <= now)
                ).order_by(Office.id)))
                ev.alerts.load([("office", str(office.id)) for office in due_offices])  # one query, not one each
                for office in due_offices:
                    ev.offices[office.id] = office
                    ev.office(office)
            ev.finish()
            raised = ev.alerts.raised
            if finished:
                # Imported here: the figures read the stores this module's evaluator writes.
                from server.figures.service import judge_month_end

                raised += judge_month_end(ctx, session, now=now, changes=changes)
            wrote = bool(changes.flush(session)) or wrote
            report.evaluated += ev.evaluated
            report.states_built += ev.states_built
            report.folds_fallen_back += ev.folds_fallen_back
            report.raised += raised
            report.transactions += 1
            if finished:
                report.seconds = time.time() - started
                session.add(SweepRun(now=now, process=ctx.process, evaluated=report.evaluated, started=started,
                                     seconds=report.seconds))
        if notify and wrote:
            # Consoles hear of each chunk's alerts as it commits, not at the end of the sweep.
            ctx.committed()
            wrote = False
        if finished:
            return report
        if ev.evaluated:
            per_subject = (time.perf_counter() - held_from) / ev.evaluated
            budget = min(chunk, max(SWEEP_MIN_CHUNK, int(hold / per_subject) if per_subject > 0 else chunk))
        # A township's batch waiting for the lock goes before the next chunk: writers take
        # their turns in order (``Database.writing``).
    # Broken off: what this process did is still on record.
    report.seconds = time.time() - started
    with ctx.db.writing() as session:
        session.add(SweepRun(now=now, process=ctx.process, evaluated=report.evaluated, started=started,
                             seconds=report.seconds))
    return report


def _sweep_chunk(ev: Evaluator, cursor: _Cursor, budget: int) -> bool:
    """Evaluate up to ``budget`` due subjects from ``cursor`` on; True when none is left.

    A chunk gathers the due subjects of one kind across offices and evaluates them together:
    reading their rows, ratings, duplicates and alerts costs a few queries per evaluation
    call, however many subjects it takes, and most offices have only a few due at a time."""
    offices = sorted(ev.codes)
    while cursor.kind < len(_KINDS):
        kind = _KINDS[cursor.kind]
        gathered: list[Any] = []
        # Asked once rather than office by office: most sweeps find nothing due in most offices,
        # and a province has 1,500 of them.
        if kind not in cursor.candidates:
            cursor.candidates[kind] = ev.offices_with_due(kind)
        candidates = cursor.candidates[kind]
        while cursor.office < len(offices) and budget > 0:
            if offices[cursor.office] not in candidates:
                cursor.office += 1
                cursor.after = None
                continue
            ids = ev.due(kind, offices[cursor.office], after=cursor.after, limit=budget)
            gathered += ids
            budget -= len(ids)
            if budget <= 0:
                cursor.after = ids[-1]
            else:
                cursor.office += 1
                cursor.after = None
        if gathered:
            if kind == "case":
                ev.cases(gathered)
            elif kind == "petition":
                ev.petitions(gathered)
            else:
                ev.notices(gathered)
        if budget <= 0:
            return False
        cursor.kind += 1
        cursor.office = 0
    return True
