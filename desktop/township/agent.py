"""Importing export files into the outbox, and pushing the outbox to the server.

Import and push run side by side during ``yingyan sync push FILE``: as soon as a full batch
of records is queued it goes out while the rest of the file is still being read, so the
agent adds little to the time the server needs anyway. Partial batches are formed only
once the import has finished.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import orjson

from desktop.township import outbox as ob
from desktop.township.client import Backoff, Client, FatalError, RetryableError, sleep_or_stop
from desktop.township.mapping import (
    Mapping,
    MappingError,
    RowError,
    available_mappings,
    find_mapping,
    guess_mapping,
)
from desktop.township.readers import ReadError, SourceRow, read_table

IMPORT_CHUNK = 5000
#: ``--until`` without an offset, and no mapping to say otherwise: China Standard Time.
BEIJING = timezone(timedelta(hours=8))
#: Column the rejected-records export adds: a fixed row imported again takes that rejection over
#: (it closes when the server accepts the row).
REJECTION_REF_COLUMN = "拒收编号"


class ImportFailed(Exception):
    """A whole file cannot be imported (unreadable, no fitting mapping, columns missing)."""


class Stopped(Exception):
    """The push was asked to stop (window closed, Ctrl-C); the queue is intact."""


class GaveUp(Exception):
    """Retries ran past the allowed time; records stay queued for the next run."""


@dataclass
class ImportResult:
    path: Path
    mapping: str
    upload_id: int
    rows: int = 0
    queued: int = 0
    skipped: int = 0
    rejected: int = 0
    complete_until: str | None = None
    rejections: list[ob.LocalRejection] = field(default_factory=list)
    #: (row, 拒收编号) of fixed rows whose number names no open rejection of this outbox.
    stale_refs: list[tuple[int, int]] = field(default_factory=list)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def parse_until(text: str, mapping: Mapping | None = None) -> str:
    """``--until``: a date means the end of that day; a time without offset is the mapping's zone."""
    tz = mapping.tz if mapping else BEIJING
    text = text.strip()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    if day is not None and len(text) <= 10:
        return datetime.combine(day + timedelta(days=1), time(0), tz).isoformat()
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"--until {text!r} is neither a date (2026-03-01) nor a time (2026-03-01T18:00:00+08:00)") \
            from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value.isoformat()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def import_file(box: ob.Outbox, path: Path, office: str, *, mapping: Mapping | str | None = None,
                until: str | None = None, on_chunk: Callable[[], None] | None = None) -> ImportResult:
    """Read, map, validate and queue one export file; bad rows become local rejections."""
    path = Path(path)
    chosen: Mapping | None = find_mapping(mapping, box.home) if isinstance(mapping, str) else mapping
    try:
        wanted = chosen.wanted_columns() if chosen else {c for m in available_mappings(box.home).values()
                                                         for c in m.wanted_columns()}
        table = read_table(path, wanted, chosen.sheet if chosen else None)
    except (ReadError, MappingError) as exc:
        raise ImportFailed(str(exc)) from None
    if chosen is None:
        chosen = guess_mapping(table.headers, table.format, box.home)
        if chosen is None:
            raise ImportFailed(f"{path.name}: no mapping fits its columns ({', '.join(table.headers[:12])}); "
                               "name one with --mapping")
    if chosen.format == "table":
        missing = chosen.missing_columns(table.headers)
        if missing:
            raise ImportFailed(f"{path.name}: column(s) {', '.join(missing)} missing for mapping {chosen.name!r} "
                               f"(the file has: {', '.join(table.headers[:15])})")
    columns = {}
    for rule in chosen.rules:
        col = next((c for c in rule.columns if c in table.headers), None)
        if col:
            columns[rule.name] = col
    sha = file_sha256(path)
    upload_id = box.begin_upload(path=path, sha256=sha, mapping=chosen.name, fmt=table.format,
                                 encoding=table.encoding, headers=table.headers, columns=columns)
    result = ImportResult(path, chosen.name, upload_id)
    seen: dict[str, tuple[int, str]] = {}
    first_at: str | None = None
    last_at: str | None = None
    chunk: list[SourceRow] = []

    def flush() -> None:
        nonlocal first_at, last_at
        mapped: list[tuple[SourceRow, dict[str, Any] | RowError]] = []
        for row in chunk:
            try:
                mapped.append((row, chosen.map_row(row, office, table.headers)))
            except RowError as err:
                mapped.append((row, err))
        ids = [m["id"] for _, m in mapped if isinstance(m, dict)]
        existing = box.existing(ids)
        new: list[ob.QueuedRecord] = []
        requeue: list[ob.QueuedRecord] = []
        rejections: list[ob.LocalRejection] = []
        refs: list[tuple[int, str]] = []
        ref_rows: dict[int, int] = {}
        skipped = 0
        for row, m in mapped:
            source = _source_json(row, table.headers, table.format == "csv")
            ref = _rejection_ref(row)
            if isinstance(m, RowError):
                rejections.append(ob.LocalRejection(None, row.row, m.code, m.field, m.column, m.message, source,
                                                    ref))
                continue
            rid = m["id"]
            payload = orjson.dumps(m).decode()
            earlier = seen.get(rid)
            if earlier is not None:
                if earlier[1] == payload:
                    skipped += 1  # the same row twice in one file: one record
                else:
                    rejections.append(ob.LocalRejection(
                        rid, row.row, "ID_CONFLICT", "id", None,
                        f"row {row.row} has the same key ({', '.join(chosen.key) or 'content'}) as row {earlier[0]} "
                        "but different content; a record is sent once and never changed", source, ref))
                continue
            seen[rid] = (row.row, payload)
            at = m.get("at") or m.get("received_at")
            if at:
                first_at = at if first_at is None or at < first_at else first_at
                last_at = at if last_at is None or at > last_at else last_at
            rec = ob.QueuedRecord(rid, row.row, m.get("kind", ""), m.get("case_no"), m.get("type"), at, payload,
                                  source)
            state = existing.get(rid)
            if state is None:
                new.append(rec)
            elif state[0] == "rejected" or (state[0] == "queued" and state[2] is None and state[1] != rec.digest):
                # Rejected before (the clerk fixed it, or the catalogue now knows the item), or
                # corrected before it went out: queue this version.
                requeue.append(rec)
            elif state[1] == rec.digest:
                skipped += 1  # already queued or sent: the same file imported again
            else:
                rejections.append(ob.LocalRejection(
                    rid, row.row, "ID_CONFLICT", "id", None,
                    f"this row (record {rid}) was already {'sent' if state[0] == 'sent' else 'queued'} with other "
                    "content; records are never changed once sent — send a correction as a new event", source,
                    ref))
                continue
            if ref is not None:
                refs.append((ref, rid))
                ref_rows[ref] = row.row
        stale = box.write_chunk(upload_id, new, requeue, rejections, refs, len(chunk), skipped)
        result.stale_refs.extend((ref_rows[ref], ref) for ref in stale)
        result.rows += len(chunk)
        result.queued += len(new) + len(requeue)
        result.skipped += skipped
        result.rejected += len(rejections)
        result.rejections.extend(rejections)
        chunk.clear()
        if on_chunk:
            on_chunk()

    for row in table.rows:
        chunk.append(row)
        if len(chunk) >= IMPORT_CHUNK:
            flush()
    flush()
    if until is None:
        end = chosen.period_end_from_name(path.name)
        until = end.isoformat() if end else last_at
    result.complete_until = until
    box.finish_upload(upload_id, first_at, until)
    if on_chunk:
        on_chunk()
    return result


def _source_json(row: SourceRow, headers: list[str], text_cells: bool) -> str:
    """The row as the clerk exported it (for the rejected-records report)."""
    if headers:
        cells = row.cells
        if text_cells:  # CSV: every cell is already text
            return orjson.dumps([cells.get(h, "") for h in headers]).decode()
        return orjson.dumps([_cell_text(cells.get(h)) for h in headers]).decode()
    return json.dumps(row.cells, ensure_ascii=False, default=str)


def _rejection_ref(row: SourceRow) -> int | None:
    ref = row.cells.get(REJECTION_REF_COLUMN)
    try:
        return int(float(ref)) if ref not in (None, "") else None
    except (TypeError, ValueError):
        return None


# -- pushing ------------------------------------------------------------------------------


@dataclass
class PushEvent:
    """Something the terminal or the window shows: a batch starting, done, retried, a file read."""

    kind: str  # "import", "batch", "summary", "retry", "idle"
    batch: ob.Batch | None = None
    summary: dict[str, Any] | None = None
    rejections: list[dict[str, Any]] = field(default_factory=list)
    attempt: int = 0
    delay: float = 0.0
    error: str = ""
    remaining: int = 0  # records still queued (not yet accounted for by a summary)
    imported: ImportResult | None = None


@dataclass
class PushResult:
    batches: int = 0
    records: int = 0
    rejected: int = 0
    summaries: list[dict[str, Any]] = field(default_factory=list)


def build_body(batch: ob.Batch, office: str, payloads: list[str]) -> bytes:
    """The batch's JSON, assembled from the stored records: byte-identical on every resend."""
    head: dict[str, Any] = {"batch_id": batch.batch_id, "office": office}
    if batch.complete_until:
        head["complete_until"] = batch.complete_until
    prefix = orjson.dumps(head)[:-1]
    return prefix + b',"records":[' + ",".join(payloads).encode() + b"]}"


@dataclass
class _Outcome:
    batch: ob.Batch
    summary: dict[str, Any] | None = None
    raw: bytes = b""
    split: bool = False


class Pusher:
    """Sends the outbox's batches in order until nothing is queued (or it is told to stop).

    Strictly one batch on the wire at a time, in the order they were formed. What can overlap
    does: while a batch is on the wire the next one is formed, persisted, assembled and
    compressed, and once its summary is in, the next batch goes out before the summary is
    written to the outbox (a crash in between only means resending an already-stored
    batch, which the server answers with the same summary).
    """

    def __init__(self, box: ob.Outbox, client: Client, office: str, *, batch_size: int = ob.DEFAULT_BATCH_RECORDS,
                 backoff: Backoff | None = None, give_up_after: float | None = None,
                 stop: threading.Event | None = None, on_event: Callable[[PushEvent], None] | None = None,
                 clock: Callable[[], float] | None = None, sleep: Callable[[float], bool] | None = None):
        import time as _time

        self.box = box
        self.client = client
        self.office = office
        self.batch_size = max(1, min(batch_size, 10_000))
        self.backoff = backoff or Backoff()
        self.give_up_after = give_up_after
        self.stop = stop or threading.Event()
        self.on_event = on_event or (lambda e: None)
        self.clock = clock or _time.monotonic
        #: Waits between retries; True means "stop now". Tests pass one that records the delays.
        self.sleep = sleep or (lambda seconds: sleep_or_stop(seconds, self.stop))
        #: Batches handed to the sending thread and not yet accounted for (at most two).
        self._out: set[str] = set()
        self._local = threading.local()

    # -- batches to send ---------------------------------------------------------------------
    def _take(self, importing: threading.Event | None, wake: threading.Event | None,
              block: bool) -> tuple[ob.Batch, bytes] | None:
        """The next batch to send with its body; with ``block`` waits for the import to queue more."""
        while True:
            if self.stop.is_set():
                raise Stopped
            # One look at the import's state per round: if it finished after this look, the
            # next round forms the partial batch (deciding on a later look could skip it).
            busy = importing is not None and importing.is_set()
            batch = self.box.next_formed(self._out)
            if batch is None:
                batch = self.box.form_batch(self.batch_size, partial=not busy, clamp=ob.now_iso())
            if batch is not None:
                self._out.add(batch.batch_id)
                return batch, build_body(batch, self.office, self.box.batch_payloads(batch.batch_id))
            if not block or not busy:
                return None
            if wake is not None:
                wake.wait(0.5)
                wake.clear()

    # -- the wire (runs in the sending thread) -----------------------------------------------
    def _wire_box(self) -> ob.Outbox:
        # SQLite connections belong to one thread: the sending thread has its own.
        box = getattr(self._local, "box", None)
        if box is None:
            box = self._local.box = ob.Outbox(self.box.home)
        return box

    def _close_wire_box(self) -> None:
        box = getattr(self._local, "box", None)
        if box is not None:
            box.close()
            self._local.box = None

    def _post(self, batch: ob.Batch, body: bytes) -> _Outcome:
        """One batch until the server answers with its summary (retrying what is worth retrying)."""
        box = self._wire_box()
        started = self.clock()
        attempt = batch.attempts
        while True:
            try:
                raw = self.client.post_batch(body)
                summary = json.loads(raw)
                if summary.get("batch_id") != batch.batch_id or summary.get("received") != batch.count:
                    raise FatalError(f"the server's summary does not match batch {batch.batch_id} "
                                     f"(received {summary.get('received')} of {batch.count})", "SUMMARY_MISMATCH")
                return _Outcome(batch, summary, raw)
            except RetryableError as exc:
                attempt += 1
                box.note_attempt(batch.batch_id, str(exc))
                if self.give_up_after is not None and self.clock() - started > self.give_up_after:
                    raise GaveUp(f"batch {batch.batch_id} not accepted after {attempt} attempts: {exc}") from None
                delay = self.backoff.delay(attempt - 1, exc.retry_after)
                self.on_event(PushEvent("retry", batch=batch, attempt=attempt, delay=delay, error=str(exc)))
                if self.sleep(delay):
                    raise Stopped from None
            except ValueError as exc:  # a 200 whose body is not JSON: something between us mangled it
                attempt += 1
                box.note_attempt(batch.batch_id, f"unreadable summary: {exc}")
                if self.sleep(self.backoff.delay(attempt - 1)):
                    raise Stopped from None
            except FatalError as exc:
                if exc.code == "BATCH_ID_REUSED":
                    batch = box.reissue(batch)
                    body = build_body(batch, self.office, box.batch_payloads(batch.batch_id))
                    continue
                if exc.status == 413 and batch.count > 1:
                    box.split(batch)
                    return _Outcome(batch, split=True)
                box.note_attempt(batch.batch_id, str(exc))
                raise

    # -- the loop ----------------------------------------------------------------------------
    def drain(self, importing: threading.Event | None = None, wake: threading.Event | None = None) -> PushResult:
        result = PushResult()
        # Whatever an earlier drain left unanswered (a give-up in `watch`) goes first again.
        self._out.clear()
        pool = ThreadPoolExecutor(1, thread_name_prefix="yingyan-sync-send")
        try:
            current = self._take(importing, wake, block=True)
            if current is None:
                return result
            fut: Future[_Outcome] | None = self._submit(pool, current)
            upcoming = None
            while fut is not None:
                if upcoming is None:
                    upcoming = self._take(importing, wake, block=False)  # prepared while on the wire
                outcome = _result(fut)
                self._out.discard(outcome.batch.batch_id)
                if outcome.split:
                    # Its records are formed again, in smaller batches (after the one already
                    # prepared: only after a 413, which our size limits should never cause).
                    self.batch_size = max(1, outcome.batch.count // 2)
                fut = None
                if upcoming is not None:
                    fut = self._submit(pool, upcoming)
                    upcoming = None
                if outcome.summary is not None:
                    self._account(outcome, result)
                if fut is None:
                    nxt = self._take(importing, wake, block=True)
                    if nxt is not None:
                        fut = self._submit(pool, nxt)
            return result
        except (KeyboardInterrupt, SystemExit):
            # Interrupted (Ctrl-C in ``watch``): the sending thread must stop retrying before we
            # wait for it below, or a batch the server keeps answering 503 would hold the program
            # for as long as it would have retried.
            self.stop.set()
            raise
        finally:
            pool.submit(self._close_wire_box).result()
            pool.shutdown(wait=True)

    def _submit(self, pool: ThreadPoolExecutor, item: tuple[ob.Batch, bytes]) -> Future[_Outcome]:
        batch, body = item
        self.on_event(PushEvent("batch", batch=batch, remaining=self.box.queued_count()))
        return pool.submit(self._post, batch, body)

    def _account(self, outcome: _Outcome, result: PushResult) -> None:
        assert outcome.summary is not None
        rejections = self.box.apply_summary(outcome.batch, outcome.summary, outcome.raw.decode())
        result.batches += 1
        result.records += outcome.batch.count
        result.rejected += len(rejections)
        result.summaries.append(outcome.summary)
        self.on_event(PushEvent("summary", batch=outcome.batch, summary=outcome.summary, rejections=rejections,
                                remaining=self.box.queued_count()))


def _result(fut: Future[_Outcome]) -> _Outcome:
    """The sending thread's answer, waited for in short steps: Ctrl-C may reach any thread of
    the process, and only a main thread that wakes now and then notices it (a wait without a
    timeout would sleep through it until the batch was answered)."""
    while True:
        try:
            return fut.result(timeout=0.2)
        except FutureTimeout:
            continue


def push_files(home: Path, client: Client, office: str, paths: Iterable[Path], *, mapping: str | None = None,
               until: str | None = None, batch_size: int = ob.DEFAULT_BATCH_RECORDS, backoff: Backoff | None = None,
               give_up_after: float | None = None, stop: threading.Event | None = None,
               on_event: Callable[[PushEvent], None] | None = None) -> tuple[PushResult, list[ImportResult],
                                                                             list[str]]:
    """Import the files (in a thread) while pushing what is queued; returns push and import results."""
    emit = on_event or (lambda e: None)
    paths = list(paths)
    importing = threading.Event()
    wake = threading.Event()
    imports: list[ImportResult] = []
    failures: list[str] = []
    lock = threading.Lock()

    def run_imports() -> None:
        box = ob.Outbox(home)
        try:
            for p in paths:
                try:
                    res = import_file(box, p, office, mapping=mapping, until=until, on_chunk=wake.set)
                except (ImportFailed, MappingError, OSError, ValueError) as exc:
                    with lock:
                        failures.append(f"{p}: {exc}")
                    continue
                with lock:
                    imports.append(res)
                emit(PushEvent("import", imported=res))
        finally:
            box.close()
            importing.clear()
            wake.set()

    guard = ob.push_lock(home)
    guard.__enter__()  # raises Busy before anything is read or sent
    box = ob.Outbox(home)
    thread = None
    try:
        if paths:
            importing.set()
            thread = threading.Thread(target=run_imports, name="yingyan-sync-import", daemon=True)
            thread.start()
        pusher = Pusher(box, client, office, batch_size=batch_size, backoff=backoff, give_up_after=give_up_after,
                        stop=stop, on_event=emit)
        result = pusher.drain(importing, wake)
        if thread is not None:
            thread.join()
        return result, imports, failures
    finally:
        if thread is not None and thread.is_alive():
            # Only when the push failed: let the import finish queueing; the next run sends it.
            thread.join()
        box.close()
        guard.__exit__(None, None, None)
