"""Petitions: protected identity, facts for the rules, what each role may see."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.petitions.models import Petition, PetitionEvent
from server.security import DataKey
from shared.rules.petition import PetitionEventFact, PetitionFacts, petition_duplicate
from shared.timeutil import format_instant

PROTECTED = "[protected]"


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


def load_events(session: Session, ids: Sequence[str]) -> dict[str, list[PetitionEvent]]:
    out: dict[str, list[PetitionEvent]] = defaultdict(list)
    for i in range(0, len(ids), 500):
        for e in session.scalars(select(PetitionEvent).where(PetitionEvent.petition_id.in_(ids[i : i + 500]))):
            out[e.petition_id].append(e)
    for events in out.values():
        events.sort(key=lambda e: (e.at, e.id))
    return out


def load_duplicates(session: Session, petitions: Sequence[Petition]) -> dict[str, tuple[str, int]]:
    keyed = [p for p in petitions if p.identity_key]
    wanted = {(p.identity_key, p.subject_name) for p in keyed}
    identities = sorted({ik for ik, _ in wanted if ik})
    peers: dict[tuple[str | None, str], list[tuple[int, str]]] = defaultdict(list)
    for i in range(0, len(identities), 500):
        rows = session.execute(
            select(Petition.identity_key, Petition.subject_name, Petition.received_at, Petition.id).where(
                Petition.identity_key.in_(identities[i : i + 500])
            )
        )
        for ik, name, at, pid in rows:
            if (ik, name) in wanted:
                peers[(ik, name)].append((at, pid))
    out: dict[str, tuple[str, int]] = {}
    for p in keyed:
        found = petition_duplicate((p.received_at, p.id), peers[(p.identity_key, p.subject_name)])
        if found:
            out[p.id] = (found[1], found[0])
    return out


def build_facts(p: Petition, events: Sequence[PetitionEvent], duplicate: tuple[str, int] | None) -> PetitionFacts:
    return PetitionFacts(
        id=p.id,
        received_at=p.received_at,
        events=[PetitionEventFact(e.id, e.type, e.at, e.days or 0) for e in events],
        duplicate_of=duplicate,
    )


def petition_json(p: Petition, office_code: str, *, petitioner: dict[str, Any] | None = None,
                  reveal: bool = False) -> dict[str, Any]:
    """A petition as the API shows it; the petitioner only when ``reveal`` (petition desk)."""
    return {
        "id": p.id,
        "office": office_code,
        "channel": p.channel,
        "received_at": format_instant(p.received_at),
        "anonymous": p.anonymous,
        "petitioner": (petitioner if reveal else (None if p.anonymous else PROTECTED)),
        "subject": p.subject,
        "category": p.category,
        "content": p.content,
        "receipt_code": p.receipt_code,
        "status": p.status,
        "primary_id": p.primary_id,
        "version": p.version,
    }


def petition_event_json(e: PetitionEvent) -> dict[str, Any]:
    return {
        "id": e.id,
        "type": e.type,
        "at": format_instant(e.at),
        "actor": e.actor,
        "days": e.days,
        "text": e.text,
    }
