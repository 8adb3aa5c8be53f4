"""A Chengdu-sized catalogue: imported with ``yingyan admin`` and browsed in the console (issue 16).

    .venv/bin/python bench/admin_catalogue.py [--items 7500] [--departments 49] [--rounds 5]

1. **Import.** A 7,500-item workbook (the demo generator at Chengdu's scale: 49 departments,
   one row per procedure node) is imported end to end by ``yingyan admin catalogue import``
   as a separate process against a real server over TLS: reading the sheet, checking every
   row, the server's dry run, the upload and the new catalogue version, with the progress
   bar. Baseline, same run: the same items sent as one ``PUT /catalogue`` (no file, no
   checks, no dry run).
2. **Console.** The administration pane's catalogue view is given the 7,500 items (as the
   server answers ``GET /catalogue``): *open* = rows built, model filled, departments listed,
   view laid out and painted; *filter* = one word typed into the filter box and the view
   repainted. Baseline, same run: Qt's own ``QSortFilterProxyModel.setFilterFixedString``
   over the same model (it matches one column; ours matches code, name, department, node
   names and risk points).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from server.demo_data import demo_catalogue
from shared.catalogue_io import write_catalogue
from tests.harness import ROOT, YINGYAN, ServerProcess
from tests.server.support import cpu_seconds


def bench_import(items: list[dict[str, Any]], tmp: Path) -> dict[str, float]:
    server = ServerProcess(tmp / "data", simulated_clock=None)
    server.init()
    server.start()
    try:
        sheet = tmp / "catalogue.xlsx"
        write_catalogue(items, sheet)
        rows = sum(max(1, len(i.get("nodes") or [])) for i in items)
        assert server.proc is not None
        server_cpu = cpu_seconds(server.proc.pid)
        children = os.times()
        started = time.perf_counter()
        done = subprocess.run([*YINGYAN, "admin", "--server", f"https://127.0.0.1:{server.port}", "--data-dir",
                               str(server.data_dir), "catalogue", "import", str(sheet)], cwd=ROOT,
                              capture_output=True, text=True, timeout=600, check=False)
        cli = time.perf_counter() - started
        after = os.times()
        cli_cpu = (after.children_user - children.children_user) + (after.children_system - children.children_system)
        cli_server_cpu = cpu_seconds(server.proc.pid) - server_cpu
        assert done.returncode == 0, done.stdout + done.stderr
        assert f"imported {len(items)} items" in done.stdout, done.stdout
        body = json.dumps({"items": items}, ensure_ascii=False).encode()
        server_cpu = cpu_seconds(server.proc.pid)
        started = time.perf_counter()
        r = server.call("PUT", "/catalogue", raw=body, timeout=600)
        raw = time.perf_counter() - started
        put_server_cpu = cpu_seconds(server.proc.pid) - server_cpu
        assert r.status == 200, r.body[:300]
        print(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "")
        print(done.stdout.strip())
        return {"cli_s": cli, "put_s": raw, "rows": rows, "bytes": len(body), "cli_cpu": cli_cpu,
                "cli_server_cpu": cli_server_cpu, "put_server_cpu": put_server_cpu}
    finally:
        server.stop()


def bench_console(items: list[dict[str, Any]], rounds: int) -> dict[str, float]:
    from PySide6.QtCore import QSortFilterProxyModel
    from PySide6.QtWidgets import QApplication, QTableView

    from desktop.admin.client import AdminApi
    from desktop.admin.views import catalogue_rows
    from desktop.common.tasks import BackgroundTasks
    from desktop.console.admin.catalogue import CatalogueTab
    from desktop.console.admin.models import CatalogueModel

    app = QApplication.instance() or QApplication(sys.argv[:1])
    tasks = BackgroundTasks()
    opens, filters, qt_filters = [], [], []
    cpu_opens, cpu_filters = [], []
    words = ["许可", "D17", "现场核查", "降低条件", "QG-D3"]
    for n in range(rounds):
        tab = CatalogueTab(AdminApi(None), tasks)  # type: ignore[arg-type]
        tab.resize(1600, 900)
        tab.show()
        app.processEvents()
        started, cpu = time.perf_counter(), time.process_time()
        tab.show_catalogue((1, items, catalogue_rows(items)))
        tab.table.viewport().repaint()
        app.processEvents()
        opens.append(time.perf_counter() - started)
        cpu_opens.append(time.process_time() - cpu)
        word = words[n % len(words)]
        started, cpu = time.perf_counter(), time.process_time()
        tab.filter.setText(word)
        tab.table.viewport().repaint()
        app.processEvents()
        filters.append(time.perf_counter() - started)
        cpu_filters.append(time.process_time() - cpu)
        assert 0 < tab.proxy.rowCount() < len(items), (word, tab.proxy.rowCount())

        # Qt's own filter over the same model, in the same run.
        model = CatalogueModel()
        model.set_rows(catalogue_rows(items))
        proxy = QSortFilterProxyModel()
        proxy.setSourceModel(model)
        proxy.setFilterKeyColumn(1)
        view = QTableView()
        view.setModel(proxy)
        view.resize(1600, 900)
        view.show()
        app.processEvents()
        started = time.perf_counter()
        proxy.setFilterFixedString(word)
        view.viewport().repaint()
        app.processEvents()
        qt_filters.append(time.perf_counter() - started)
        view.close()
        tab.close()
        tab.deleteLater()
        app.processEvents()
    return {"open_cpu_ms": statistics.median(cpu_opens) * 1000, "filter_cpu_ms": statistics.median(cpu_filters) * 1000,
            "open_ms": statistics.median(opens) * 1000, "open_max_ms": max(opens) * 1000,
            "filter_ms": statistics.median(filters) * 1000, "filter_max_ms": max(filters) * 1000,
            "qt_filter_ms": statistics.median(qt_filters) * 1000}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=7500)
    ap.add_argument("--departments", type=int, default=49)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    items = demo_catalogue(departments=args.departments, items=args.items)
    tmp = Path(tempfile.mkdtemp(prefix="yingyan-bench-catalogue-"))
    imp = bench_import(items, tmp)
    print(f"import of {len(items)} items ({imp['rows']:.0f} sheet rows) with yingyan admin: {imp['cli_s']:.2f} s; "
          f"plain PUT /catalogue of the same items ({imp['bytes'] / 1e6:.1f} MB): {imp['put_s']:.2f} s; "
          f"ratio {imp['cli_s'] / imp['put_s']:.1f}; CPU time: yingyan admin {imp['cli_cpu']:.2f} s + server "
          f"{imp['cli_server_cpu']:.2f} s (plain PUT: server {imp['put_server_cpu']:.2f} s)")
    con = bench_console(items, args.rounds)
    print(f"console catalogue view, {len(items)} items, median of {args.rounds}: open {con['open_ms']:.0f} ms "
          f"(worst {con['open_max_ms']:.0f}), filter {con['filter_ms']:.0f} ms (worst {con['filter_max_ms']:.0f}); "
          f"Qt's one-column filter {con['qt_filter_ms']:.0f} ms; ratio {con['filter_ms'] / con['qt_filter_ms']:.2f}; "
          f"CPU time: open {con['open_cpu_ms']:.0f} ms, filter {con['filter_cpu_ms']:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
