"""Petitions in the mutation engine: the desk's actions become the petition events a batch
would carry, stored beside the offices' own, and the petition is evaluated at once.

``register`` stores the petition as a batch would (identity encrypted, password hashed,
the record's digest so that the same record sent later in a batch is a duplicate); every
other action appends the events its step added and updates the desk's own fields (merge
link, conversions, attachments). The petition's clocks and alerts are then re-evaluated in
the same transaction: what the centre records is complete at once (spec 06 §3).
"""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import select

from server.evaluation import Evaluator
from server.mutations.stores import register_store
from server.offices.models import Office
from server.petitions import service
from server.petitions.models import Petition, PetitionEvent
from server.security import hash_password
from server.uow import Work
from shared import protocol
from shared.actions import Actor, State, Step
from shared.actions.petition import RegisterData
from shared.timeutil import parse_instant, to_instant


class PetitionStore:
    entity = "petition"

    def load(self, work: Work, entity_id: str) -> State | None:
        row = work.session.execute(
            select(Petition, Office.code).join(Office, Office.id == Petition.office_id).where(Petition.id == entity_id)
        ).first()
        if row is None:
            return None
        p, code = row
        events = service.load_events(work.session, [p.id]).get(p.id, [])
        merged = service.load_merged(work.session, [p.id]).get(p.id, [])
        return service.petition_json(p, code, events=events, duplicates=merged)

    def save(self, work: Work, step: Step, actor: Actor, mutation_id: str) -> None:
        if step.before is None:
            assert isinstance(step.data, RegisterData)
            self._register(work, step, step.data)
        else:
            self._update(work, step)
        # Evaluate now: clocks, alerts and the open deadline follow the new events at once.
        evaluator = Evaluator(work.ctx, work.session, work.now, work.changes)
        evaluator.petitions([step.entity_id])
        evaluator.finish()
        stored = self.load(work, step.entity_id)
        assert stored is not None
        # What the feed and the audit record is the petition exactly as stored.
        step.after.clear()
        step.after.update(stored)

    def _register(self, work: Work, step: Step, data: RegisterData) -> None:
        ctx = work.ctx
        office_id = work.session.scalar(select(Office.id).where(Office.code == data.office))
        assert office_id is not None, "checked by the action"
        raw = data.record(step.entity_id, step.after.get("receipt_code") if data.receipt_code is None else None)
        record = protocol.parse_record(raw)
        assert isinstance(record, protocol.Petition)
        petitioner = record.petitioner.model_dump() if record.petitioner else None
        digest = ctx.key.digest(orjson.dumps(raw, option=orjson.OPT_SORT_KEYS))
        work.session.add(Petition(
            id=step.entity_id, office_id=office_id, channel=record.channel, received_at=to_instant(record.received_at),
            anonymous=record.anonymous,
            petitioner_enc=service.encrypt_petitioner(ctx.key, step.entity_id, petitioner),
            identity_key=service.identity_key(ctx.key, record.petitioner.id_number if record.petitioner else None),
            subject=record.subject.model_dump(exclude_none=True), subject_name=record.subject.name.strip(),
            subject_unit=(record.subject.unit or "").strip()[:200] or None,
            category=record.category, content=record.content, receipt_code=record.receipt_code,
            password_hash=hash_password(record.query_password) if record.query_password else None,
            status="registered", digest=digest, batch_id=None, version=int(step.after["version"]),
            investigations=[], attachments=[],
        ))
        work.session.flush()

    def _update(self, work: Work, step: Step) -> None:
        p = work.session.get(Petition, step.entity_id)
        assert p is not None
        before = {e["id"] for e in (step.before or {}).get("events") or ()}
        for n, event in enumerate(step.after.get("events") or ()):
            if event["id"] in before:
                continue
            body = {k: event.get(k) for k in ("petition_id", "type", "at", "actor", "days", "text", "substantiated")}
            body |= {"kind": "petition_event", "id": event["id"], "petition_id": p.id}
            work.session.add(PetitionEvent(
                id=event["id"], petition_id=p.id, type=event["type"], at=parse_instant(event["at"]),
                actor=event.get("actor"), days=event.get("days"), text=event.get("text"),
                substantiated=event.get("substantiated"), seq=n,
                digest=work.ctx.key.digest(orjson.dumps({k: v for k, v in body.items() if v is not None},
                                                        option=orjson.OPT_SORT_KEYS)),
                batch_id=None,
            ))
        p.merged_into = step.after.get("merged_into")
        p.investigations = list(step.after.get("investigations") or ())
        stored = {a.get("sha256"): a for a in p.attachments or ()}
        attachments = []
        for a in step.after.get("attachments") or ():
            kept = stored.get(a.get("sha256"))
            if kept is None:
                # A file's name may name the petitioner: kept encrypted, like the identity.
                kept = {k: v for k, v in a.items() if k != "filename"}
                kept["filename_enc"] = service.encrypt_text(work.ctx.key, f"{p.id}/{a['sha256']}",
                                                            str(getattr(step.data, "filename", "")).strip())
            attachments.append(kept)
        p.attachments = attachments
        p.status = str(step.after.get("status") or p.status)
        p.version = int(step.after["version"])
        work.session.flush()

    def feed(self, work: Work, state: State) -> tuple[str, dict[str, Any], set[str]]:
        return "petition", state, set()

    def taken(self, work: Work, field: str, value: str) -> bool:
        if field != "receipt_code":
            raise KeyError(field)
        return work.session.scalar(select(Petition.id).where(Petition.receipt_code == value)) is not None


register_store(PetitionStore())
