"""Petitions: protected identity, facts for the rules, the JSON every reader sees.

A petition's JSON is one shape everywhere — ``GET /petitions/{id}``, the change feed, the
mutation engine's entity (``shared.actions.petition``) — with the petitioner as
``"[protected]"``; only :func:`reveal_petitioner`, for the petition desk, decrypts it, and
every such read is an audit entry.
"""

from __future__ import annotations

import base64
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.audit import service as audit
from server.db import one_of, one_of_chunks
from server.petitions.models import Petition, PetitionEvent
from server.security import DataKey
from shared.rules.petition import PetitionEventFact, PetitionFacts, petition_duplicate, petition_state
from shared.timeutil import Instant, format_instant

PROTECTED = "[protected]"
#: Roles that receive a petitioner's identity (spec 01: nobody else, ever).
IDENTITY_ROLES = frozenset({"petition_officer"})


def identity_key(key: DataKey, id_number: str | None) -> str | None:
    if not id_number or not id_number.strip():
        return None
    return key.digest(b"petitioner-id:" + id_number.strip().upper().encode())


def encrypt_petitioner(key: DataKey, petition_id: str, petitioner: dict[str, Any] | None) -> bytes | None:
    if petitioner is None:
        return None
    return key.encrypt(orjson.dumps(petitioner), associated=petition_id.encode())


def decrypt_petitioner(key: DataKey, p: Petition) -> dict[str, Any] | None:
    if p.petitioner_enc is None:
        return None
    data: dict[str, Any] = orjson.loads(key.decrypt(p.petitioner_enc, associated=p.id.encode()))
    return data


def encrypt_text(key: DataKey, context: str, text: str) -> str:
    """A short protected text (an attachment's file name) encrypted for a JSON column."""
    return base64.b64encode(key.encrypt(text.encode(), associated=context.encode())).decode()


def decrypt_text(key: DataKey, context: str, blob: str) -> str:
    return key.decrypt(base64.b64decode(blob), associated=context.encode()).decode()


def attachments_json(p: Petition, key: DataKey | None = None) -> list[dict[str, Any]]:
    """A petition's attachments; their file names only with the key (for the desk)."""
    out = []
    for a in p.attachments or ():
        shown = {k: v for k, v in a.items() if k != "filename_enc"}
        shown["filename"] = PROTECTED
        if key is not None and a.get("filename_enc"):
            shown["filename"] = decrypt_text(key, f"{p.id}/{a['sha256']}", a["filename_enc"])
        out.append(shown)
    return out


def reveal_petitioner(session: Session, key: DataKey, p: Petition, *, actor: str, role: str,
                      at: Instant) -> dict[str, Any] | None:
    """The petitioner in clear, for the petition desk only; the read itself is audited."""
    if role not in IDENTITY_ROLES:
        raise PermissionError("only the petition desk reads a petitioner's identity")
    audit.append(session, at=at, actor=actor, action="petition.identity_viewed", entity="petition",
                 entity_id=p.id)
    return decrypt_petitioner(key, p)


def load_events(session: Session, ids: Sequence[str]) -> dict[str, list[PetitionEvent]]:
    out: dict[str, list[PetitionEvent]] = defaultdict(list)
    for chunk in one_of_chunks(ids):
        for e in session.scalars(select(PetitionEvent).where(one_of(session, PetitionEvent.petition_id, chunk))):
            out[e.petition_id].append(e)
    for events in out.values():
        events.sort(key=event_order)
    return out


def event_order(e: PetitionEvent) -> tuple[int, int, str]:
    """Events in time; at one instant an office's first, then the desk's in the order it made them."""
    return (e.at, -1 if e.seq is None else e.seq, e.id)


def load_merged(session: Session, ids: Sequence[str]) -> dict[str, list[str]]:
    """For each primary among ``ids``, the petitions merged into it (in id order)."""
    out: dict[str, list[str]] = defaultdict(list)
    for part in one_of_chunks(ids):
        rows = session.execute(select(Petition.merged_into, Petition.id)
                               .where(one_of(session, Petition.merged_into, part)).order_by(Petition.id))
        for primary, pid in rows:
            if primary is not None:
                out[primary].append(pid)
    return out


def load_duplicates(session: Session, petitions: Sequence[Petition]) -> dict[str, tuple[str, int, str | None]]:
    """For each petition that repeats an earlier one: (that petition's id, received_at, receipt code)."""
    keyed = [p for p in petitions if p.identity_key]
    wanted = {(p.identity_key, p.subject_name) for p in keyed}
    identities = sorted({ik for ik, _ in wanted if ik})
    peers: dict[tuple[str | None, str], list[tuple[int, str]]] = defaultdict(list)
    receipts: dict[str, str | None] = {}
    for part in one_of_chunks(identities):
        rows = session.execute(
            select(Petition.identity_key, Petition.subject_name, Petition.received_at, Petition.id,
                   Petition.receipt_code).where(
                one_of(session, Petition.identity_key, part)
            )
        )
        for ik, name, at, pid, receipt in rows:
            if (ik, name) in wanted:
                peers[(ik, name)].append((at, pid))
                receipts[pid] = receipt
    out: dict[str, tuple[str, int, str | None]] = {}
    for p in keyed:
        found = petition_duplicate((p.received_at, p.id), peers[(p.identity_key, p.subject_name)])
        if found:
            out[p.id] = (found[1], found[0], receipts.get(found[1]))
    return out


def is_desk_event(e: PetitionEvent) -> bool:
    """Made at the centre (no batch carried it): complete at once (spec 06 §3)."""
    return e.batch_id is None


def build_facts(p: Petition, events: Sequence[PetitionEvent],
                duplicate: tuple[str, int, str | None] | None) -> PetitionFacts:
    return PetitionFacts(
        id=p.id,
        received_at=p.received_at,
        events=[PetitionEventFact(e.id, e.type, e.at, e.days or 0, is_desk_event(e)) for e in events],
        duplicate_of=duplicate[:2] if duplicate else None,
        duplicate_receipt=duplicate[2] if duplicate else None,
    )


def status_of(events: Sequence[PetitionEvent]) -> str:
    """The petition's state from every stored event (the rules' own function)."""
    return petition_state(e.type for e in events)


def petition_json(p: Petition, office_code: str, *, events: Sequence[PetitionEvent],
                  duplicates: Sequence[str] = ()) -> dict[str, Any]:
    """A petition as every reader and the change feed see it: the petitioner protected."""
    return {
        "id": p.id,
        "office": office_code,
        "channel": p.channel,
        "received_at": format_instant(p.received_at),
        "anonymous": p.anonymous,
        "petitioner": None if p.petitioner_enc is None else PROTECTED,
        "subject": p.subject,
        "category": p.category,
        "content": p.content,
        "receipt_code": p.receipt_code,
        "status": p.status,
        "merged_into": p.merged_into,
        "duplicates": list(duplicates),
        "investigations": list(p.investigations or ()),
        "attachments": attachments_json(p),
        "events": [petition_event_json(e) for e in events],
        "version": p.version,
    }


def petition_event_json(e: PetitionEvent) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": e.id,
        "type": e.type,
        "at": format_instant(e.at),
        "actor": e.actor,
        "days": e.days,
        "text": e.text,
    }
    if e.substantiated is not None:
        out["substantiated"] = e.substantiated
    return out
