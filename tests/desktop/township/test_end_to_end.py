"""End to end over TLS: a GBK CSV and an XLSX export reach a real server exactly as exported."""

from __future__ import annotations

import json
from pathlib import Path

from tests.desktop.township.conftest import SyncEnv
from tests.desktop.township.data import assert_server_holds, make_export, write_csv, write_xlsx
from tests.harness import ServerProcess


def status(env: SyncEnv) -> dict:
    r = env.run("status", "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_gbk_csv_and_xlsx_reach_the_server_exactly(logged_in: tuple[SyncEnv, ServerProcess, str],
                                                   tmp_path: Path) -> None:
    env, server, office = logged_in
    day1 = make_export(40, first=1)
    day2 = make_export(30, first=1000)
    csv_file = write_csv(tmp_path / "办件流水_2026-03-01.csv", day1.rows(), encoding="gbk")
    xlsx_file = write_xlsx(tmp_path / "办件流水_2026-03-02.xlsx", day2.rows())

    r = env.run("push", str(csv_file), str(xlsx_file), "--batch-size", "100")
    assert r.returncode == 0, r.stdout + r.stderr

    assert_server_holds(server, office, day1)
    assert_server_holds(server, office, day2)
    s = status(env)
    assert s["queued"] == 0
    assert s["rejected"] == 0
    assert s["sent"] == len(day1.steps) + len(day2.steps)
    # The last batch claimed the end of the later file's day (from its name), clamped to now.
    assert s["watermark"].startswith("2026-03-0")
