"""The console's investigations list over a replica of 100,000 cases (1,000,000 timeline entries):
first paint, filters, a header's sort, a case file.

    .venv/bin/python bench/console_investigations.py                  # 100,000 cases
    .venv/bin/python bench/console_investigations.py --cases 20000
    .venv/bin/python bench/console_investigations.py --screenshot sorted.png   # the list sorted by stage

The replica is built once into ``--cache`` (default: the system temp folder) and reused: 100,000
cases over the seven stages and the two endings, each with two of 200 investigators, a reviewer,
two pieces of evidence, an opinion and ten timeline entries (1,000,000 in all), as the change
feed brings them. The measured process then opens it cold, like a console starting: it builds
the investigations pane, shows it, and times until the list's first paint with rows (read in
the background); then the filters the way a person uses them (a stage, typed text, "mine"),
each until the filtered list is painted; then a header clicked, each sortable column in both
directions, over every case, one stage and typed text (the replica read again in that order),
each until the sorted list is painted; then opening a case file until it is shown. Each is
repeated ``--repeat`` times; the median and the worst are reported. Target (issue 12 #6): list
first paint and filter ≤ 200 ms. The typed filter waits 150 ms for the typing to pause before
it reads (``InvestigationsPane``): reported with and without that pause.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.common import pump
from shared.actions.investigation import STAGES

INVESTIGATORS = [f"inv{i:03d}" for i in range(200)]
UNITS = ["城关镇国土所", "南关乡财政所", "东岗镇卫生院", "北塬乡水利站", "河口镇民政办", "新城镇农经站",
         "柳林镇规划所", "西关街道城管中队"]
NAMES = "张王李赵刘陈杨黄周吴郑孙马朱胡郭何高林罗"


def cases(n: int) -> Any:
    rng = random.Random(7)
    phases = [*STAGES, "concluded", "closed"]
    for i in range(n):
        phase = phases[i % len(phases)]
        stage = {"concluded": "preliminary_check", "closed": "supervision"}.get(phase, phase)
        status = phase if phase in ("concluded", "closed") else "open"
        people = rng.sample(INVESTIGATORS, 3)
        at = f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T{8 + i % 10:02d}:{i % 60:02d}:00+08:00"
        name = NAMES[i % len(NAMES)] + "某"
        unit = UNITS[i % len(UNITS)]
        evidence = [{"sha256": f"{i:064x}"[-64:], "filename": f"报告{i}.pdf", "kind": "preliminary_report",
                     "size": 40_000 + i, "attached_by": people[0], "attached_at": at, "supersedes": None},
                    {"sha256": f"{i + 10**9:064x}"[-64:], "filename": f"笔录{i}.pdf", "kind": "other",
                     "size": 9_000, "attached_by": people[1], "attached_at": at, "supersedes": None}]
        timeline = [{"at": at, "actor": people[k % 2], "action": "note", "data": {"text": f"第{k}条记录"}}
                    for k in range(10)]
        yield {"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "title": f"{unit}{name}问题线索{i}",
               "subject": {"name": name, "unit": unit, "title": "所长"}, "stage": stage, "status": status,
               "version": 1 + i % 5, "joint_review": True, "investigators": people[:2], "created_by": "op1",
               "created_at": at, "updated_at": at, "links": [], "filing_approved_by": None, "evidence": evidence,
               "reviewers": people[2:], "opinions": [{"reviewer": people[2], "opinion": "agree", "text": "同意",
                                                      "at": at}], "timeline": timeline}


def build(path: Path, n: int) -> None:
    from desktop.replica.store import Replica

    replica = Replica(path)
    batch: list[dict[str, Any]] = []
    for case in cases(n):
        batch.append(case)
        if len(batch) >= 5000:
            replica.bulk_insert_investigations(batch)
            batch.clear()
    if batch:
        replica.bulk_insert_investigations(batch)
    conn = replica.connect()
    conn.execute("ANALYZE")
    conn.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()))
    ap.add_argument("--screenshot", type=Path, help="save the pane sorted by stage, latest stage first, here")
    args = ap.parse_args()
    path = args.cache / f"yingyan-bench-investigations-{args.cases}.sqlite3"
    if not path.exists():
        t0 = time.perf_counter()
        tmp = path.with_suffix(".building")
        tmp.unlink(missing_ok=True)
        build(tmp, args.cases)
        tmp.rename(path)
        print(f"built {args.cases:,} cases in {time.perf_counter() - t0:.1f} s", file=sys.stderr)

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from desktop.common.api import ApiClient
    from desktop.common.tasks import BackgroundTasks
    from desktop.console.investigations.pane import COLUMN_ORDERS, InvestigationsPane
    from desktop.replica.store import Replica
    from desktop.replica.sync import SyncEngine

    app = QApplication(sys.argv[:1])
    tasks = BackgroundTasks()
    replica = Replica(path)
    client = ApiClient("https://127.0.0.1:9")  # never called: the engine is not started
    engine = SyncEngine(replica, client, tasks)
    session = SimpleNamespace(replica=replica, tasks=tasks, engine=engine, client=client, username=INVESTIGATORS[7],
                              role="leader")

    def until(cond: Any, timeout: float = 60.0) -> None:
        pump(app, cond, timeout)

    listed = [0]

    def painted_after(action: Any) -> float:
        """ms from ``action`` until the list read after it is shown and painted."""
        before = listed[0]
        t0 = time.perf_counter()
        action()
        until(lambda: listed[0] > before)
        pane.table.viewport().repaint()
        return (time.perf_counter() - t0) * 1000

    first: list[float] = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        pane = InvestigationsPane(session)
        pane.listed.connect(lambda: listed.__setitem__(0, listed[0] + 1))
        pane.resize(1600, 900)
        pane.show()
        n0 = listed[0]
        until(lambda n=n0, p=pane: listed[0] > n or p.model.rowCount() > 0)
        pane.table.viewport().repaint()
        first.append((time.perf_counter() - t0) * 1000)
        rows = pane.model.rowCount()
        if _ + 1 < args.repeat:
            pane.close()
            pane.deleteLater()
            app.processEvents()

    results: dict[str, list[float]] = {"first_paint": first, "stage": [], "text_after_pause": [], "text_typed": [],
                                       "mine": [], "all_again": [], "case_file": [], "sort_all": [],
                                       "sort_in_a_stage": [], "sort_typed_text": [], "sort_back_to_newest": []}
    header = pane.table.horizontalHeader()

    def sort(column: int, descending: bool) -> None:
        # What a header's click does (the view asks the proxy, the proxy asks the pane).
        header.setSortIndicator(column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)

    stages = ["filing", "trial_review", "execution", "concluded", "investigation", "supervision", "acceptance"]
    words = ["国土所", "王某", "问题线索12", "卫生院 李某", "inv033", "财政所", "水利站"]
    for k in range(args.repeat):
        results["stage"].append(painted_after(
            lambda k=k: pane.phase.setCurrentIndex(pane.phase.findData(stages[k % len(stages)]))))
        pane.phase.setCurrentIndex(0)
        until(lambda: pane.tasks.running == 0)
        def typed_then_read(word: str) -> None:
            # The text as typed, read at once: the filter's cost without the typing pause.
            pane.filter.blockSignals(True)
            pane.filter.setText(word)
            pane.filter.blockSignals(False)
            pane.reload()

        results["text_after_pause"].append(painted_after(lambda k=k: typed_then_read(words[k % len(words)])))
        results["text_typed"].append(painted_after(lambda k=k: pane.filter.setText(words[k % len(words)] + " ")))
        pane.filter.setText("")
        until(lambda: pane.tasks.running == 0)
        results["mine"].append(painted_after(lambda: pane.mine.setChecked(True)))
        results["all_again"].append(painted_after(lambda: pane.mine.setChecked(False)))
        for column in range(len(COLUMN_ORDERS)):
            for descending in (False, True):
                results["sort_all"].append(painted_after(lambda c=column, d=descending: sort(c, d)))
        painted_after(lambda: sort(0, False))
        results["sort_back_to_newest"].append(painted_after(lambda: sort(-1, False)))
        pane.phase.setCurrentIndex(pane.phase.findData(stages[k % len(stages)]))
        until(lambda: pane.tasks.running == 0)
        for column in range(len(COLUMN_ORDERS)):
            # Each column a change of order (the last, the last change, ascending: not the list's own).
            results["sort_in_a_stage"].append(painted_after(lambda c=column: sort(c, c % 2 == 1)))
        pane.phase.setCurrentIndex(0)
        pane.filter.setText(words[k % len(words)])
        until(lambda: pane.tasks.running == 0 and not pane._debounce.isActive())
        for column in range(len(COLUMN_ORDERS)):
            results["sort_typed_text"].append(painted_after(lambda c=column: sort(c, c % 2 == 1)))
        sort(-1, False)
        until(lambda: pane.tasks.running == 0)
        pane.filter.setText("")
        until(lambda: pane.tasks.running == 0 and not pane._debounce.isActive())
        ids = pane.ids()
        target = ids[(k * 7919) % len(ids)]
        t0 = time.perf_counter()
        pane.select(target)
        until(lambda t=target: pane.casefile.file is not None and pane.casefile.file.inv["id"] == t)
        pane.casefile.repaint()
        results["case_file"].append((time.perf_counter() - t0) * 1000)
    if args.screenshot:
        from bench.common import settle

        pane.table.horizontalHeader().setSortIndicator(COLUMN_ORDERS.index("stage"), Qt.SortOrder.DescendingOrder)
        until(lambda: pane.tasks.running == 0 and pane.order == ("stage", True))
        settle(app, 0.5)
        pane.grab().save(str(args.screenshot))
    report = {"cases": args.cases, "rows_listed": rows, "load": os.getloadavg()[0],
              **{f"{k}_ms": {"median": round(statistics.median(v), 1), "max": round(max(v), 1)}
                 for k, v in results.items()}}
    print(json.dumps(report, ensure_ascii=False, indent=1))
    tasks.discard_pending()
    tasks.wait_idle(10000)
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
