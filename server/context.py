"""What every request and background task shares: settings, database, keys, clock, caches.

Nothing here is state that only one process knows: the simulated clock, the catalogue and
the calendar live in the database, and the caches are keyed by revision numbers read from
it, so several server processes behind a load balancer agree.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.audit.anchor import AuditAnchor, Head
from server.catalogue.models import CalendarYear, Meta, PowerItemVersion
from server.db import Database, open_database
from server.security import DataKey, HashPool
from shared.calendar import WorkCalendar, YearDays
from shared.catalogue import PowerItem
from shared.timeutil import SECOND, Instant, parse_instant, to_instant

log = logging.getLogger("yingyan.server")


@dataclass
class Settings:
    data_dir: Path
    db_url: str
    simulated_clock: Instant | None = None
    clock_rate: float = 0.0
    silent_hours: int = 24
    sweep_interval: float = 15.0
    sms_gateway: str | None = None
    """URL the risk-reminder outbox posts to (the county's SMS/e-mail platform)."""
    sms_gateway_token: str | None = None
    sms_gateway_ca: str | None = None
    outbox_interval: float = 5.0

    @classmethod
    def from_data_dir(cls, data_dir: Path, **overrides: Any) -> Settings:
        db_file = data_dir / "db.url"
        db_url = db_file.read_text().strip() if db_file.exists() else f"sqlite:///{data_dir / 'yingyan.db'}"
        return cls(data_dir=data_dir, db_url=db_url, **overrides)


def real_now() -> Instant:
    return time.time_ns() // 1000


def get_meta(session: Session, key: str) -> str | None:
    row = session.get(Meta, key)
    return row.value if row else None


def set_meta(session: Session, key: str, value: str) -> None:
    row = session.get(Meta, key)
    if row is None:
        session.add(Meta(key=key, value=value))
    else:
        row.value = value


def bump_meta(session: Session, key: str) -> int:
    value = int(get_meta(session, key) or "0") + 1
    set_meta(session, key, str(value))
    return value


class ClockMovedBack(Exception):
    pass


class ServerClock:
    """Real time, or a simulated instant stored in the database (shared by all processes)."""

    def __init__(self, settings: Settings):
        self.simulated = settings.simulated_clock is not None

    def now(self, session: Session) -> Instant:
        if not self.simulated:
            return real_now()
        base = int(get_meta(session, "clock.sim_base") or "0")
        rate = float(get_meta(session, "clock.rate") or "0")
        if rate:
            real_base = int(get_meta(session, "clock.real_base") or "0")
            return base + int((real_now() - real_base) * rate)
        return base

    def start(self, session: Session, start: Instant, rate: float) -> None:
        """At ``serve``: the clock starts at ``start`` unless another process moved it further."""
        stored = get_meta(session, "clock.sim_base")
        current = self.now(session) if stored is not None else None
        self.set(session, max(start, current or start), rate)

    def set(self, session: Session, instant: Instant, rate: float | None = None) -> None:
        if self.now(session) > instant and get_meta(session, "clock.sim_base") is not None:
            raise ClockMovedBack
        set_meta(session, "clock.sim_base", str(instant))
        set_meta(session, "clock.real_base", str(real_now()))
        if rate is not None:
            set_meta(session, "clock.rate", repr(rate))


@dataclass
class CatalogueSnapshot:
    version: int
    versions: dict[str, list[tuple[Instant, int, PowerItem]]] = field(default_factory=dict)

    def latest(self, code: str) -> PowerItem | None:
        entries = self.versions.get(code)
        return entries[-1][2] if entries else None

    def version_in_force(self, code: str, at: Instant | None) -> int | None:
        """The catalogue version of the item version ``in_force`` picks (None if the code is unknown)."""
        entries = self.versions.get(code)
        if not entries:
            return None
        if at is None:
            return entries[-1][1]
        chosen = entries[0][1]
        for valid_from, version, _ in entries:
            if valid_from > at:
                break
            chosen = version
        return chosen

    def in_force(self, code: str, at: Instant | None) -> PowerItem | None:
        """The version in force at ``at`` (the acceptance); the earliest if ``at`` precedes all."""
        entries = self.versions.get(code)
        if not entries:
            return None
        if at is None:
            return entries[-1][2]
        chosen = entries[0][2]
        for valid_from, _, item in entries:
            if valid_from <= at:
                chosen = item
            else:
                break
        return chosen


class _Notifier(Protocol):
    def committed(self) -> None: ...

    def wake_all(self) -> None: ...

    async def wait(self, timeout: float) -> bool: ...


class Context:
    """One server process's view of the shared world."""

    def __init__(self, settings: Settings, db: Database | None = None):
        self.settings = settings
        self.db = db or open_database(settings.db_url)
        key_file = settings.data_dir / "secrets" / "data.key"
        self.key = DataKey.from_file_text(key_file.read_text())
        self.clock = ServerClock(settings)
        self._catalogue: CatalogueSnapshot | None = None
        self._calendar: tuple[int, WorkCalendar] | None = None
        self.process = f"{os.uname().nodename}:{os.getpid()}"
        self.notifier: _Notifier | None = None
        self.stopping = False
        """Set when the process has been asked to stop; long-polls answer at once."""
        self.audit_anchor = AuditAnchor(settings.data_dir, self.key)
        self.db.audit_committed = self._audit_committed
        self.hash_pool = HashPool()
        """Argon2id for petitions' query passwords, off the write lock (see ``HashPool``)."""

    def _audit_committed(self, head: tuple[int, str]) -> None:
        try:
            self.audit_anchor.advance(Head(*head))
        except OSError:  # the commit stands; the head lags until the next one (verify-audit checks)
            log.exception("could not record the audit head in %s", self.audit_anchor.path)

    def committed(self) -> None:
        """Wake long-polls after a commit that wrote changes."""
        if self.notifier is not None:
            self.notifier.committed()

    def now(self, session: Session) -> Instant:
        return self.clock.now(session)

    def catalogue(self, session: Session) -> CatalogueSnapshot:
        version = int(get_meta(session, "catalogue.version") or "0")
        if self._catalogue is None or self._catalogue.version != version:
            snap = CatalogueSnapshot(version)
            rows = session.execute(
                select(PowerItemVersion.code, PowerItemVersion.valid_from, PowerItemVersion.version,
                       PowerItemVersion.data).order_by(PowerItemVersion.code, PowerItemVersion.version)
            )
            for code, valid_from, ver, data in rows:
                snap.versions.setdefault(code, []).append((valid_from, ver, PowerItem.model_validate(data)))
            self._catalogue = snap
        return self._catalogue

    def forget_calendar(self) -> None:
        """Drop the cached calendar: a transaction that read a revision it then rolled back must
        not leave that revision's calendar behind for the next upload that reuses the number."""
        self._calendar = None

    def calendar(self, session: Session) -> WorkCalendar:
        revision = int(get_meta(session, "calendar.revision") or "0")
        if self._calendar is None or self._calendar[0] != revision:
            overrides = {
                row.year: YearDays(
                    frozenset(date.fromisoformat(d) for d in row.holidays),
                    frozenset(date.fromisoformat(d) for d in row.workdays),
                )
                for row in session.scalars(select(CalendarYear))
            }
            self._calendar = (revision, WorkCalendar(overrides=overrides))
        return self._calendar[1]


FUTURE_TOLERANCE = 600 * SECOND
EARLIEST_INSTANT = parse_instant("1970-01-01T00:00:00+08:00")
"""Business timestamps before it are typos (a year like 0202)."""
LATEST_INSTANT = parse_instant("9000-01-01T00:00:00+08:00")
"""Far enough for any deadline, and every clock instant computed from
an instant before it still has an ISO 8601 form (years end at 9999)."""


CLOCK_YEARS = (2000, 2100)
CLOCK_EARLIEST = parse_instant(f"{CLOCK_YEARS[0]}-01-01T00:00:00+08:00")
CLOCK_LATEST = parse_instant(f"{CLOCK_YEARS[1]}-01-01T00:00:00+08:00")
"""A simulated clock lies in [CLOCK_EARLIEST, CLOCK_LATEST): a year like 8755 is a typo, and
would leave every deadline and the change feed's instants centuries away."""


def instant_in_range(moment: datetime) -> Instant | None:
    """``moment`` as an instant if it lies in [1970, 9000) local time, else None."""
    try:
        value = to_instant(moment)
    except (OverflowError, ValueError):
        return None
    return value if EARLIEST_INSTANT <= value < LATEST_INSTANT else None
