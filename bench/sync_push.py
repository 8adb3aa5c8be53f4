"""Township agent throughput: ``yingyan sync push`` end to end vs the server's own ingest rate.

One run, two fresh servers (same catalogue, same office T03, both over TLS on loopback):

1. **server alone** — the records the agent would produce (same mapping, same ids, same
   5,000-record batches) are posted directly, one batch after another, uncompressed, over a
   kept-alive connection; the clock runs from the first request to the last summary.
2. **agent** — ``yingyan sync push FILE`` runs as a subprocess, as a scheduled task would:
   Python start, reading the CSV, mapping, local validation, the SQLite outbox, gzip, TLS,
   summaries; the clock runs from start to exit.

The agent's added cost is ``agent / server - 1`` (target ≤ 25 %). The agent's own critical
path is also reported: its wall time minus the time one of its batches was on the wire
(from the timestamped log lines of ``push --no-progress``) — start-up, reading the first
batch, gaps between batches, the end. Unlike the totals, it hardly changes with other load
on the machine. Rounds alternate the two
on fresh servers; the best time of each is reported (other work on the machine only ever
adds time), with every round's numbers and the CPU seconds each side used (Linux: the
server's from /proc, the agent's from its rusage), which load on the machine changes little.

    .venv/bin/python bench/sync_push.py [--records 100000] [--rounds 3] [--batch-size 5000] [--json]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop.township.agent import build_body  # noqa: E402
from desktop.township.mapping import find_mapping  # noqa: E402
from desktop.township.outbox import Batch  # noqa: E402
from desktop.township.readers import read_table  # noqa: E402
from tests.desktop.township.data import make_export, write_csv  # noqa: E402
from tests.desktop.township.mock_keyring import BACKEND, FILE_ENV  # noqa: E402
from tests.harness import CATALOGUE, ServerProcess  # noqa: E402

OFFICE = "T03"


def fresh_server(base: Path, name: str) -> tuple[ServerProcess, str]:
    server = ServerProcess(base / name)
    server.init()
    server.start()
    assert server.call("PUT", "/catalogue", {"items": CATALOGUE}).status == 200
    r = server.call("POST", "/offices", {"code": OFFICE, "name": "T03 便民服务中心", "kind": "township"})
    assert r.status == 201, r.body
    return server, r.json()["token"]


def make_file(base: Path, records: int) -> tuple[Path, int]:
    per_case = 6.33  # steps per generated case on average (a third of the items charge a fee)
    export = make_export(int(records / per_case) + 1)
    rows = export.rows()[:records]
    return write_csv(base / "办件流水_2026-03-01.csv", rows, encoding="gbk"), len(rows)


def agent_batches(path: Path, batch_size: int) -> list[bytes]:
    """The batches the agent sends for this file: same records, ids, order and complete_until.

    As the agent does for an office's first sync: every batch but the last claims only the
    earliest time among the first batch's records; the last claims the end of the file's day.
    """
    mapping = find_mapping("banjian")
    table = read_table(path, mapping.wanted_columns())
    import orjson

    records = [mapping.map_row(row, OFFICE, table.headers) for row in table.rows]
    payloads = [orjson.dumps(r).decode() for r in records]
    first = min((r["at"] for r in records[:batch_size]), key=datetime.fromisoformat)
    end = mapping.period_end_from_name(path.name)
    assert end is not None
    bodies = []
    for i in range(0, len(payloads), batch_size):
        last = i + batch_size >= len(payloads)
        batch = Batch(0, str(uuid.uuid4()), len(payloads[i : i + batch_size]), end.isoformat() if last else first, 0)
        bodies.append(build_body(batch, OFFICE, payloads[i : i + batch_size]))
    return bodies


def server_cpu(server: ServerProcess) -> float:
    """CPU seconds the server process has used (user + system), from /proc."""
    assert server.proc is not None
    fields = Path(f"/proc/{server.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def post_direct(server: ServerProcess, token: str, bodies: list[bytes]) -> float:
    conn = http.client.HTTPSConnection("127.0.0.1", server.port, context=server.ssl_context(), timeout=600)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    start = time.perf_counter()
    for body in bodies:
        conn.request("POST", "/api/v1/batches", body=body, headers=headers)
        r = conn.getresponse()
        summary = json.loads(r.read())
        if r.status != 200 or summary["rejected"]:
            raise SystemExit(f"direct post failed: {summary}")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def run_agent(server: ServerProcess, token: str, path: Path, home: Path, batch_size: int) -> tuple[float, float, dict]:
    env = dict(os.environ, YINGYAN_SYNC_HOME=str(home), PYTHON_KEYRING_BACKEND=BACKEND, PYTHONPATH=str(ROOT))
    env[FILE_ENV] = str(home.parent / f"{home.name}-mock-os-keyring.json")
    cmd = [sys.executable, "-m", "shared.cli", "sync"]
    subprocess.run([*cmd, "login", "--server", f"https://127.0.0.1:{server.port}", "--office", OFFICE,
                    "--ca", str(server.ca_file)], input=token, text=True, check=True, env=env, cwd=ROOT,
                   capture_output=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start_wall = datetime.now()
    start = time.perf_counter()
    r = subprocess.run([*cmd, "push", str(path), "--batch-size", str(batch_size), "--no-progress"], text=True,
                       env=env, cwd=ROOT, capture_output=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        raise SystemExit(f"agent push failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    status = json.loads(subprocess.run([*cmd, "status", "--json"], text=True, env=env, cwd=ROOT,
                                       capture_output=True, check=True).stdout)
    status["on_the_wire"] = on_the_wire(r.stderr, start_wall)
    return elapsed, cpu, status


LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) (sending batch|batch) ([0-9a-f-]{36})")


def on_the_wire(log: str, start: datetime) -> float:
    """Seconds during which one of the agent's batches was sent and not yet answered (from its log)."""
    sent: dict[str, float] = {}
    spans = []
    for line in log.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        t = (datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f") - start).total_seconds()
        if m.group(2) == "sending batch":
            sent[m.group(3)] = t
        elif m.group(3) in sent:
            spans.append((sent.pop(m.group(3)), t))
    total, reach = 0.0, float("-inf")
    for a, b in sorted(spans):  # the union: a summary is logged after the next batch went out
        if b > reach:
            total += b - max(a, reach)
            reach = b
    return total


def one_round(base: Path, i: int, path: Path, n: int, bodies: list[bytes], batch_size: int) -> dict:
    direct_server, direct_token = fresh_server(base, f"direct-{i}")
    try:
        cpu0 = server_cpu(direct_server)
        direct = post_direct(direct_server, direct_token, bodies)
        direct_cpu = server_cpu(direct_server) - cpu0
    finally:
        direct_server.stop()
    agent_server, agent_token = fresh_server(base, f"agent-{i}")
    try:
        cpu0 = server_cpu(agent_server)
        agent, agent_cpu, status = run_agent(agent_server, agent_token, path, base / f"agent-home-{i}", batch_size)
        agent_server_cpu = server_cpu(agent_server) - cpu0
    finally:
        agent_server.stop()
    if (status["queued"], status["sent"], status["imported"]) != (0, n, n):
        raise SystemExit(f"the agent did not deliver every record exactly once: {status}")
    return {"server_seconds": round(direct, 2), "agent_seconds": round(agent, 2),
            "agent_critical_path": round(agent - status["on_the_wire"], 2),
            "server_cpu": round(direct_cpu, 1), "server_cpu_with_agent": round(agent_server_cpu, 1),
            "agent_cpu": round(agent_cpu, 1), "load": round(os.getloadavg()[0], 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=5000)
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="yy-sync-bench-") as tmp:
        base = Path(tmp)
        path, n = make_file(base, args.records)
        bodies = agent_batches(path, args.batch_size)
        rounds = []
        for i in range(args.rounds):
            rounds.append(one_round(base, i, path, n, bodies, args.batch_size))
            if not args.json:
                r = rounds[-1]
                print(f"  round {i + 1}: server alone {r['server_seconds']:6.2f} s, agent {r['agent_seconds']:6.2f} s, "
                      f"of which the agent's own critical path {r['agent_critical_path']:5.2f} s "
                      f"(CPU: agent {r['agent_cpu']} s, server {r['server_cpu']} s alone and "
                      f"{r['server_cpu_with_agent']} s with the agent; load {r['load']})", flush=True)
    best_server = min(r["server_seconds"] for r in rounds)
    best_agent = min(r["agent_seconds"] for r in rounds)
    result = {
        "records": n, "batches": len(bodies), "batch_size": args.batch_size, "rounds": rounds,
        "server_seconds": best_server, "server_rate": round(n / best_server),
        "agent_seconds": best_agent, "agent_rate": round(n / best_agent),
        "agent_overhead_pct": round((best_agent / best_server - 1) * 100, 1),
        "agent_critical_path_seconds": min(r["agent_critical_path"] for r in rounds),
        "agent_cpu_seconds": min(r["agent_cpu"] for r in rounds),
        "server_cpu_seconds": min(r["server_cpu"] for r in rounds),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{n:,} records in {len(bodies)} batches of {args.batch_size:,} (GBK CSV, TLS on loopback), "
              f"best of {len(rounds)} rounds")
        print(f"  server alone (same batches posted directly): {best_server:6.2f} s  {n / best_server:8,.0f} records/s")
        print(f"  agent end to end (yingyan sync push):        {best_agent:6.2f} s  {n / best_agent:8,.0f} records/s")
        print(f"  agent adds {result['agent_overhead_pct']:+.1f} % to the server's time (target ≤ 25 %); "
              f"agent CPU {result['agent_cpu_seconds']} s vs server CPU {result['server_cpu_seconds']} s")
        print(f"  agent's own critical path (not overlapped with a batch on the wire): "
              f"{result['agent_critical_path_seconds']:.2f} s = "
              f"{result['agent_critical_path_seconds'] / best_server * 100:.1f} % of the server's time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
