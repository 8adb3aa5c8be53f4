"""Faults on the way: each test ends with every record on the server exactly once and nothing queued.

The agent runs as a subprocess (``yingyan sync push``), as a scheduled task would run it.
"""

from __future__ import annotations

import json
import signal
from pathlib import Path

from tests.desktop.township.conftest import Office, SyncEnv
from tests.desktop.township.data import assert_server_holds, make_export, write_csv
from tests.desktop.township.helpers import batches_done, failed_attempts, wait_until
from tests.desktop.township.proxy import CuttingProxy
from tests.harness import ServerProcess


def status(env: SyncEnv) -> dict:
    r = env.run("status", "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def assert_all_accounted(env: SyncEnv, total: int) -> None:
    s = status(env)
    assert s["queued"] == 0, s
    assert s["rejected"] == 0, s
    assert s["sent"] == total, s


def test_agent_killed_mid_push_resumes_without_duplicates(logged_in: tuple[SyncEnv, ServerProcess, str],
                                                          tmp_path: Path) -> None:
    env, server, office = logged_in
    export = make_export(150)
    f = write_csv(tmp_path / "办件流水_2026-03-01.csv", export.rows())
    agent = env.popen("push", str(f), "--batch-size", "100", "--no-progress")
    try:
        wait_until(lambda: batches_done(env.home) >= 2 or agent.poll() is not None, what="two batches answered")
        agent.send_signal(signal.SIGKILL)
        agent.wait(30)
    finally:
        if agent.poll() is None:
            agent.kill()
    assert agent.returncode == -signal.SIGKILL, "the push finished before it could be killed"
    killed_at = batches_done(env.home)
    assert killed_at < len(export.steps) // 100

    # The scheduled task runs again with the same file: it resumes, the server gets each record once.
    r = env.run("push", str(f), "--batch-size", "100", "--no-progress")
    assert r.returncode == 0, r.stdout + r.stderr
    assert_server_holds(server, office, export)
    assert_all_accounted(env, len(export.steps))


def test_server_killed_mid_batch_and_restarted(logged_in: tuple[SyncEnv, ServerProcess, str], tmp_path: Path) -> None:
    env, server, office = logged_in
    export = make_export(250)
    f = write_csv(tmp_path / "办件流水_2026-03-01.csv", export.rows())
    agent = env.popen("push", str(f), "--batch-size", "400", "--retry-base", "0.1", "--no-progress")
    try:
        wait_until(lambda: batches_done(env.home) >= 1 or agent.poll() is not None, what="the first batch")
        server.kill()
        wait_until(lambda: failed_attempts(env.home) >= 1 or agent.poll() is not None,
                   what="the agent noticing the server is gone")
        assert agent.poll() is None, "the push ended while the server was down"
        server.start()
        out, _ = agent.communicate(timeout=120)
    finally:
        if agent.poll() is None:
            agent.kill()
    assert agent.returncode == 0, out
    assert "retrying" in out
    assert_server_holds(server, office, export)
    assert_all_accounted(env, len(export.steps))


def test_link_that_cuts_every_third_connection(sync_env: SyncEnv, server: ServerProcess, office: Office,
                                                tmp_path: Path) -> None:
    export = make_export(90)
    f = write_csv(tmp_path / "办件流水_2026-03-01.csv", export.rows())
    with CuttingProxy(server.port, every=3) as proxy:
        r = sync_env.run("login", "--server", f"https://127.0.0.1:{proxy.port}", "--office", office.code,
                         "--ca", str(server.ca_file), stdin=office.token)
        assert r.returncode == 0, r.stderr
        r = sync_env.run("push", str(f), "--batch-size", "60", "--no-gzip", "--retry-base", "0.01",
                         "--no-progress")
        assert r.returncode == 0, r.stdout + r.stderr
        cuts = list(proxy.cuts)
    # Both kinds of fault happened: half a request, and a batch imported whose answer was lost.
    assert {how for _, how, _ in cuts} == {"request", "response"}, cuts
    assert_server_holds(server, office.code, export)
    assert_all_accounted(sync_env, len(export.steps))


def test_same_file_imported_twice(logged_in: tuple[SyncEnv, ServerProcess, str], tmp_path: Path,
                                  sync_env: SyncEnv) -> None:
    env, server, office = logged_in
    export = make_export(60)
    f = write_csv(tmp_path / "办件流水_2026-03-01.csv", export.rows())
    first = env.run("push", str(f), "--no-progress")
    assert first.returncode == 0, first.stderr
    second = env.run("push", str(f), "--no-progress")
    assert second.returncode == 0, second.stderr
    assert f"{len(export.steps)} already queued or sent" in second.stderr
    assert_server_holds(server, office, export)
    assert_all_accounted(env, len(export.steps))

    # A second machine (or a wiped outbox) sends the same file: the server counts duplicates.
    other = SyncEnv(tmp_path / "other-home", {**env.env, "YINGYAN_SYNC_HOME": str(tmp_path / "other-home")})
    token = json.loads((Path(env.env["YINGYAN_TEST_KEYRING"])).read_text())
    r = other.run("login", "--server", f"https://127.0.0.1:{server.port}", "--office", office,
                  "--ca", str(server.ca_file), stdin=next(iter(token.values())))
    assert r.returncode == 0, r.stderr
    r = other.run("push", str(f), "--no-progress")
    assert r.returncode == 0, r.stderr
    s = status(other)
    assert (s["imported"], s["duplicates"]) == (0, len(export.steps))
    assert_server_holds(server, office, export)
