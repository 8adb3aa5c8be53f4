"""The weeks before ``yingyan demo``'s start, synced at full speed, with what a centre did in them.

A county's statistics, its monthly evaluation and its risk index mean something only over a
month, so before the time-lapse starts the demo replays the previous month and the days of
this one up to the start: every township syncs each day's records at the day's end (the
server's clock moved to that evening first, so the time rules run as they would have), and
on the way the centre's people act as they would in such a month:

* the petition desk registers a visit at the counter and accepts it, and a township's own
  register brings a letter about the same complaint, which a phone call repeats (一信多投:
  the desk has a merge suggestion waiting), later extended by 15 days;
* the duty operator issues a yellow card to the unit with the most active red signals and
  a second one later, and supervision notices to two units: one answers in its next batch,
  the other only after its reply date has passed (``NOTICE_REPLY_OVERDUE`` is raised and
  then resolved by the late reply).

Everything goes through the public API with the people's own tokens, as the console would
send it: the demo is a client like any other.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from desktop.common.api import ClientError
from shared.timeutil import DAY, HOUR, Instant, format_instant, local_day

#: the centre's people besides the administrator: username → (password, role, display name)
DEMO_PEOPLE: dict[str, tuple[str, str, str]] = {
    "demo": ("demo-operator-2026", "operator", "演示值班员"),
    "leader": ("demo-leader-2026", "leader", "演示分管领导"),
    "xinfang": ("demo-desk-2026", "petition_officer", "演示信访干部"),
}
#: the office the desk registers petitions at (the centre itself)
CENTRE = {"code": "C00", "name": "县电子监察中心", "kind": "centre"}
NS = uuid.UUID("6b1f3f0e-2f4a-4d0b-9a51-3c2e7d9a8b10")

PETITION_LAND = {
    "channel": "visit", "anonymous": False,
    "petitioner": {"name": "林某某", "id_number": "350521197803150021", "phone": "13905951234",
                   "address": "城关镇后埔村"},
    "subject": {"name": "陈某", "unit": "城关镇国土所", "title": "所长"},
    "category": "land",
    "content": "反映城关镇国土所陈某在办理宅基地审批时拖延不办，多次要求提供与审批无关的材料，并暗示需要“打点”。",
    # chosen by the petitioner at the counter; the receipt code is the server's
    "query_password": "Demo-visit-2026",
}
PETITION_LETTER = {
    "kind": "petition", "channel": "letter", "anonymous": False,
    "petitioner": {"name": "林某某", "id_number": "350521197803150021", "phone": "13905951234"},
    "subject": {"name": "陈某", "unit": "城关镇国土所", "title": ""},
    "category": "land",
    "content": "城关镇国土所陈所长办理我家宅基地审批拖了三个多月，一直让补与审批无关的材料，还暗示要“意思意思”。",
    # the township's register gives the receipt code it handed over with the password
    "receipt_code": "3505210126000417", "query_password": "Demo-query-2026",
}
PETITION_PHONE = {
    "channel": "phone", "anonymous": True, "petitioner": None,
    "subject": {"name": "陈某", "unit": "城关镇国土所", "title": ""},
    "category": "land",
    "content": "来电反映：城关镇国土所陈某办理宅基地审批久拖不办，要求补充无关材料，群众意见很大。",
    "query_password": "Demo-phone-2026",
}


def _id(*parts: object) -> str:
    return str(uuid.uuid5(NS, "/".join(str(p) for p in parts)))


@dataclass
class Story:
    """What the centre's people do on given days of the history (fractions of it, so a short
    history still tells the whole story in order)."""

    api: Any
    tokens: dict[str, str]
    days: int
    say: Callable[[str], None] = print
    people: dict[str, str] = field(default_factory=dict)
    #: office → records to add to its next batch (notice replies, a petition letter)
    extra: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    notices: dict[str, tuple[str, str]] = field(default_factory=dict)
    done: set[str] = field(default_factory=set)

    def sign_in(self) -> None:
        for username, (password, _role, _name) in DEMO_PEOPLE.items():
            self.people[username] = self.api.call("POST", "/auth/token",
                                                  {"username": username, "password": password})["token"]

    def mutate(self, who: str, entity: str, entity_id: str, action: str, data: dict[str, Any]) -> bool:
        result = self.api.call("POST", "/mutations", {"mutations": [{
            "id": _id("mutation", who, entity, entity_id, action, len(self.done)), "entity": entity,
            "entity_id": entity_id, "action": action, "data": data}]}, token=self.people[who])["results"][0]
        if result["status"] != "applied":
            error = result.get("error") or {}
            self.say(f"  ({who}: {entity} {action} not applied: {error.get('code')} {error.get('message')})")
            return False
        return True

    def red_offices(self) -> list[tuple[str, list[int]]]:
        """Offices by their active red signals, most first, with the ids."""
        page = self.api.call("GET", "/alerts?severity=red&active=true&limit=1000", token=self.people["demo"])
        by: dict[str, list[int]] = {}
        for alert in page["alerts"]:
            by.setdefault(alert["subject"]["office"], []).append(int(alert["id"]))
        offices = [o for o in by if o in self.tokens]
        return sorted(((o, by[o]) for o in offices), key=lambda x: (-len(x[1]), x[0]))

    def _once(self, name: str, at: float, day: int) -> bool:
        if name in self.done or day < int(at * self.days):
            return False
        self.done.add(name)
        return True

    def records(self, office: str) -> list[dict[str, Any]]:
        return self.extra.pop(office, [])

    def on_day(self, day: int, evening: Instant) -> None:
        """After day ``day`` (0-based) of the history has been synced; ``evening`` is its end."""
        when = format_instant(evening - 6 * HOUR)
        offices = list(self.tokens)
        if self._once("desk registers a visit", 0.1, day):
            pid = _id("petition", "visit")
            self.people["petition_visit"] = pid
            if self.mutate("xinfang", "petition", pid, "register",
                           {"office": CENTRE["code"], "received_at": when, **PETITION_LAND}):
                self.say("  信访: the desk registered a visit about 城关镇国土所")
        if self._once("desk accepts", 0.15, day) and "petition_visit" in self.people:
            self.mutate("xinfang", "petition", self.people["petition_visit"], "accept", {})
        if self._once("a township's letter", 0.2, day):
            letter = dict(PETITION_LETTER, id=_id("petition", "letter"), received_at=when)
            self.extra.setdefault(offices[0], []).append(letter)
        if self._once("the same by phone", 0.25, day):
            self.mutate("xinfang", "petition", _id("petition", "phone"), "register",
                        {"office": CENTRE["code"], "received_at": when, **PETITION_PHONE})
        if self._once("a yellow card", 0.35, day):
            self._card("yellow", 0)
        if self._once("two notices", 0.4, day):
            worst = self.red_offices()
            for n, (office, alerts) in enumerate(worst[1:3] or worst[:2]):
                nid = _id("notice", office)
                if self.mutate("demo", "notice", nid, "issue", {
                        "office": office, "subject": "关于超时办理问题的督办通知",
                        "body": "请于期限内书面回复整改情况及对责任人的处理意见。", "alerts": alerts[:3],
                        "reply_days": 3}):
                    self.notices["on time" if n == 0 else "late"] = (office, nid)
                    self.say(f"  督办: a supervision notice to {office}, reply within 3 working days")
        if self._once("a reply on time", 0.45, day) and "on time" in self.notices:
            office, nid = self.notices["on time"]
            self.extra.setdefault(office, []).append({
                "kind": "notice_reply", "id": _id("reply", nid), "notice_id": nid, "at": when,
                "text": "已对超时办理的件逐一核查，对责任人进行了批评教育，并调整了审批流程。"})
        if self._once("a second yellow card", 0.6, day):
            self._card("yellow", 1)
        if self._once("a late reply", 0.75, day) and "late" in self.notices:
            office, nid = self.notices["late"]
            self.extra.setdefault(office, []).append({
                "kind": "notice_reply", "id": _id("reply", nid), "notice_id": nid, "at": when,
                "text": "收到督办通知后已组织整改，因人员调整回复迟延，特此说明。"})
        if self._once("the desk extends", 0.8, day) and "petition_visit" in self.people:
            self.mutate("xinfang", "petition", self.people["petition_visit"], "extend", {"days": 15})

    def _card(self, kind: str, place: int) -> None:
        worst = self.red_offices()
        if len(worst) <= place:
            return
        office, alerts = worst[place]
        if self.mutate("demo", "card", _id("card", kind, office), "issue", {
                "kind": kind, "office": office, "reason": "本月红色预警集中，超时办理问题突出", "alerts": alerts[:5]}):
            self.say(f"  亮牌: a {kind} card to {office} ({len(alerts)} active red signals)")


def sync_history(api: Any, tokens: dict[str, str], sims: list[Any], first: Instant, start: Instant, *,
                 say: Callable[[str], None] = print) -> Story:
    """Sync every day from ``first`` up to ``start`` (the demo's start), telling the story on the way.

    The server's clock must stand at ``first`` (the server is started there). Each day: the
    clock moves to 23:59, each township posts the day's records, then the centre acts.
    """
    days = max(0, (local_day(start) - local_day(first)))
    story = Story(api, tokens, days, say)
    story.sign_in()
    day_start = first
    midnight = first - (first + 8 * HOUR) % DAY
    for day in range(days):
        evening = min(start, midnight + (day + 1) * DAY - 1_000_000)  # 23:59:59 local
        api.call("PUT", "/admin/clock", {"now": format_instant(evening)}, timeout=300)
        for sim, (code, token) in zip(sims, tokens.items(), strict=True):
            records = sim.records_between(day_start, evening) + story.records(code)
            _post(api, code, token, evening, records, say)
        story.on_day(day, evening)
        day_start = evening
        if day % 7 == 6:
            say(f"  … {format_instant(evening)[:10]} synced")
    # What the last day's story added goes in with the records up to the start.
    if start > day_start:
        api.call("PUT", "/admin/clock", {"now": format_instant(start)}, timeout=300)
        for sim, (code, token) in zip(sims, tokens.items(), strict=True):
            _post(api, code, token, start, sim.records_between(day_start, start) + story.records(code), say)
    return story


def _post(api: Any, office: str, token: str, until: Instant, records: list[dict[str, Any]],
          say: Callable[[str], None] = print) -> None:
    # The server takes up to 5,000 records a batch; a township's day is far fewer, but the
    # demo may be asked for many offices.
    for i in range(0, max(1, len(records)), 5000):
        chunk = records[i:i + 5000]
        try:
            summary = api.call("POST", "/batches", {"batch_id": str(uuid.uuid4()), "office": office,
                                                    "complete_until": format_instant(until), "records": chunk},
                               token=token, timeout=300)
        except ClientError as exc:
            raise SystemExit(f"the demo's history could not be synced for {office}: {exc}") from exc
        for error in summary.get("errors") or []:
            say(f"  ({office}: a record was refused: {error})")
