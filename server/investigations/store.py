"""Investigations in the mutation engine: loaded as the case file, saved as what the step
added (timeline entries, evidence, opinions and links are only ever inserted), fed to the
change log for admin and leaders (topic ``investigation``) and, per person, to the case's
investigators, reviewers and the operator or petition officer who opened it."""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from server.changes.service import register_audience
from server.evidence.service import register_holder
from server.investigations import service
from server.investigations.models import (
    INVESTIGATOR,
    REVIEWER,
    Investigation,
    InvestigationEntry,
    InvestigationEvidence,
    InvestigationLink,
    InvestigationOpinion,
    InvestigationPerson,
)
from server.mutations.stores import STORES, ServerWorld, evidence_path, register_store
from server.uow import Work
from shared.actions import Actor, State, Step
from shared.actions.investigation import CREATOR_ROLES
from shared.timeutil import parse_instant

TOPIC = "investigation"
_SCALARS = ("title", "subject", "stage", "status", "version", "joint_review", "filing_approved_by")


def _new(before: State | None, after: State, key: str) -> list[Any]:
    return list(after.get(key) or ())[len((before or {}).get(key) or ()):]


def people_of(state: State) -> set[str]:
    return set(state.get("investigators") or ()) | set(state.get("reviewers") or ())


class InvestigationStore:
    entity = "investigation"

    def load(self, work: Work, entity_id: str) -> State | None:
        return service.load(work.session, investigation_id=entity_id)

    def save(self, work: Work, step: Step, actor: Actor, mutation_id: str) -> None:
        s, before, after = work.session, step.before, step.after
        row = service.find(s, investigation_id=step.entity_id) if before is not None else None
        if row is None:
            row = Investigation(id=step.entity_id, created_by=after["created_by"], created_at=work.now)
            s.add(row)
        for name in _SCALARS:
            setattr(row, name, after.get(name))
        row.updated_at = parse_instant(after["updated_at"]) if after.get("updated_at") else work.now
        s.flush()  # the new row's pk
        pk = row.pk
        if before is None or list(before.get("investigators") or ()) != list(after.get("investigators") or ()):
            s.execute(delete(InvestigationPerson).where(InvestigationPerson.investigation_pk == pk,
                                                        InvestigationPerson.relation == INVESTIGATOR))
            s.add_all(InvestigationPerson(investigation_pk=pk, relation=INVESTIGATOR, username=name, position=i)
                      for i, name in enumerate(after.get("investigators") or ()))
        known = len((before or {}).get("reviewers") or ())
        s.add_all(InvestigationPerson(investigation_pk=pk, relation=REVIEWER, username=name, position=known + i)
                  for i, name in enumerate(_new(before, after, "reviewers")))
        known = len((before or {}).get("links") or ())
        s.add_all(InvestigationLink(investigation_pk=pk, type=link["type"], ref=str(link["id"]), position=known + i)
                  for i, link in enumerate(_new(before, after, "links")))
        known = len((before or {}).get("evidence") or ())
        for i, e in enumerate(_new(before, after, "evidence")):
            # The size is the stored blob's (the action's check made sure it is stored).
            e["size"] = os.stat(evidence_path(work.ctx.settings.data_dir, e["sha256"])).st_size
            s.add(InvestigationEvidence(investigation_pk=pk, sha256=e["sha256"], filename=e["filename"],
                                        kind=e["kind"], size=e["size"], attached_by=e["attached_by"],
                                        attached_at=parse_instant(e["attached_at"]), supersedes=e.get("supersedes"),
                                        position=known + i))
        s.add_all(InvestigationOpinion(investigation_pk=pk, reviewer=o["reviewer"], opinion=o["opinion"],
                                       text=o["text"], at=parse_instant(o["at"]))
                  for o in _new(before, after, "opinions"))
        s.add_all(InvestigationEntry(investigation_pk=pk, at=parse_instant(t["at"]), actor=t["actor"],
                                     action=t["action"], data=t["data"])
                  for t in _new(before, after, "timeline"))
        s.flush()
        if people_of(after) - people_of(before or {}):
            self._send_linked_alerts(work, after)
        if people_of(before or {}) - people_of(after):
            self._withdraw(work, step.entity_id, after, people_of(before or {}) - people_of(after))

    def _withdraw(self, work: Work, investigation_id: str, state: State, gone: set[str]) -> None:
        """An investigator taken off the case: their laptop drops it, and the alerts it linked
        that no other case of theirs links. Only people whose role reads investigations through
        their cases alone are told (an admin or a leader reads every case anyway)."""
        world = ServerWorld(work)
        gone = {name for name in gone if world.user_role(name) == "investigator"}
        if not gone:
            return
        work.changes.withdraw(entity="investigation", entity_id=investigation_id, people=gone, at=work.now)
        alert_ids = [str(link["id"]) for link in state.get("links") or () if link.get("type") == "alert"]
        still = service.people_of_alerts(work.session, alert_ids) if alert_ids else {}
        for alert_id in alert_ids:
            work.changes.withdraw(entity="alert", entity_id=alert_id, people=gone - still.get(alert_id, set()),
                                  at=work.now)

    def _send_linked_alerts(self, work: Work, state: State) -> None:
        """Someone newly on the case receives the alerts it links (the alerts' audience
        resolver names them once the rows above are in)."""
        alerts = STORES["alert"]
        for link in state.get("links") or ():
            if link.get("type") != "alert":
                continue
            alert = alerts.load(work, str(link["id"]))
            if alert is not None:
                topic, data, people = alerts.feed(work, alert)
                work.changes.add(topic=topic, entity="alert", entity_id=str(alert["id"]), data=data, at=work.now,
                                 audience=people)

    def feed(self, work: Work, state: State) -> tuple[str, dict[str, Any], set[str]]:
        audience = people_of(state)
        creator = str(state.get("created_by") or "")
        if creator and ServerWorld(work).user_role(creator) in CREATOR_ROLES:
            audience.add(creator)
        return TOPIC, state, audience


def _alert_audience(session: Session, alert_ids: list[str]) -> dict[str, set[str]]:
    return service.people_of_alerts(session, alert_ids)


register_store(InvestigationStore())
register_audience("alert", _alert_audience)
register_holder("investigation", service.holding)
