"""Terminal output of a push: a progress bar on a terminal, one line per event in a log.

Scheduled tasks write to a log file, where a bar redrawn with carriage returns is noise;
there every file read, batch sent, summary and retry is one plain line with a timestamp
(to the millisecond: a support person can see where the time went).
"""

from __future__ import annotations

import sys
import time
from datetime import datetime
from typing import TextIO

from desktop.township.agent import PushEvent

BAR_WIDTH = 30


class Progress:
    """Turns ``PushEvent``s into terminal output."""

    def __init__(self, stream: TextIO | None = None, *, bar: bool | None = None):
        self.stream = stream or sys.stderr
        self.bar = self.stream.isatty() if bar is None else bar
        self.started = time.monotonic()
        self.done = 0
        self.batches = 0
        self._drawn = False

    def _line(self, text: str) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self._drawn = False
        if not self.bar:
            text = f"{datetime.now().strftime('%Y-%m-%d %H:%M:%S.%f')[:-3]} {text}"
        self.stream.write(text + "\n")
        self.stream.flush()

    def _draw(self, remaining: int) -> None:
        if not self.bar:
            return
        total = self.done + remaining
        frac = self.done / total if total else 1.0
        filled = int(BAR_WIDTH * frac)
        rate = self.done / max(time.monotonic() - self.started, 1e-6)
        self.stream.write(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {self.done:,}/{total:,} records "
                          f"{rate:,.0f}/s  batch {self.batches + 1}")
        self.stream.flush()
        self._drawn = True

    def __call__(self, event: PushEvent) -> None:
        if event.kind == "import" and event.imported:
            r = event.imported
            self._line(f"read {r.path.name} ({r.mapping}): {r.rows} rows, {r.queued} queued, "
                       f"{r.skipped} already queued or sent, {r.rejected} rejected here"
                       + (f"; complete until {r.complete_until}" if r.complete_until else ""))
            for j in r.rejections[:20]:
                where = f", column {j.column}" if j.column else ""
                self._line(f"  row {j.row_no}{where}: {j.code} {j.message}")
            if len(r.rejections) > 20:
                self._line(f"  … {len(r.rejections) - 20} more ('yingyan sync rejected' lists them all)")
            if r.stale_refs:
                shown = ", ".join(f"row {row} (拒收编号 {ref})" for row, ref in r.stale_refs[:10])
                more = f" and {len(r.stale_refs) - 10} more" if len(r.stale_refs) > 10 else ""
                self._line(f"  warning: {shown}{more} name no open rejection here — closed already or from "
                           "another computer's report; 'yingyan sync rejected' lists what is still open")
        elif event.kind == "batch" and event.batch is not None:
            if self.bar:
                self._draw(event.remaining)
            else:
                self._line(f"sending batch {event.batch.batch_id} ({event.batch.count} records"
                           + (f", complete until {event.batch.complete_until})" if event.batch.complete_until
                              else ")"))
        elif event.kind == "retry" and event.batch:
            self._line(f"batch {event.batch.batch_id}: attempt {event.attempt} failed ({event.error}); "
                       f"retrying in {event.delay:.1f} s")
        elif event.kind == "summary" and event.summary is not None and event.batch is not None:
            s = event.summary
            self.done += event.batch.count
            self.batches += 1
            self._line(f"batch {s['batch_id']}: {s['status']} — received {s['received']}, imported {s['imported']}, "
                       f"duplicates {s['duplicates']}, rejected {s['rejected']}; watermark {s.get('watermark')}")
            for e in event.rejections[:20]:
                self._line(f"  row {e.get('row')}: {e.get('code')} {e.get('message')}")
            self._draw(event.remaining)

    def finish(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False
