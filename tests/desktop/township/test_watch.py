"""``yingyan sync watch``: a file is taken once it stops growing, once per content."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

from desktop.township.outbox import Outbox
from desktop.township.watch import Watcher
from tests.desktop.township.conftest import SyncEnv
from tests.desktop.township.data import CaseReader, assert_server_holds, make_export, write_csv
from tests.desktop.township.helpers import wait_until
from tests.harness import ServerProcess


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_growing_file_is_taken_only_when_it_has_settled(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    box = Outbox(tmp_path / "home")
    taken: list[tuple[str, bytes]] = []
    clock = Clock()

    def take(path: Path) -> None:
        taken.append((path.name, path.read_bytes()))

    watcher = Watcher(box, folder, take, settle=2, clock=clock)

    f = folder / "办件流水_2026-03-01.csv"
    f.write_bytes(b"part one\n")
    (folder / "~$lock.xlsx").write_bytes(b"excel lock file")
    watcher.scan()
    clock.now = 5
    with f.open("ab") as fh:
        fh.write(b"part two\n")  # still being written
    assert watcher.scan() == []
    clock.now = 6
    assert watcher.scan() == []  # unchanged for only 1 s
    clock.now = 8
    [outcome] = watcher.scan()
    assert outcome.processed
    assert taken == [(f.name, b"part one\npart two\n")]

    clock.now = 20
    assert watcher.scan() == []  # processed once
    # The same content under another name (a copy) is not processed again…
    (folder / "copy.csv").write_bytes(f.read_bytes())
    watcher.scan()
    clock.now = 30
    [copy] = watcher.scan()
    assert not copy.processed
    # …a changed file is. A new watcher (restarted agent) remembers what was processed.
    again = Watcher(box, folder, take, settle=2, clock=clock)
    again.scan()
    clock.now = 40
    assert [o.processed for o in again.scan()] == [False, False]
    with f.open("ab") as fh:
        fh.write(b"part three\n")
    again.scan()
    clock.now = 50
    assert [o.path.name for o in again.scan() if o.processed] == [f.name]
    assert len(taken) == 2


def test_watch_pushes_files_dropped_in_a_folder(logged_in: tuple[SyncEnv, ServerProcess, str],
                                                 tmp_path: Path) -> None:
    env, server, office = logged_in
    folder = tmp_path / "exports"
    folder.mkdir()
    watcher = env.popen("watch", str(folder), "--interval", "0.2", "--settle", "0.4", "--no-progress")
    try:
        exports = [make_export(8, first=1), make_export(8, first=500)]
        for i, export in enumerate(exports):
            # Written elsewhere and moved in, as export tools do (a partial file is never seen).
            tmp = write_csv(tmp_path / f"tmp{i}.csv", export.rows())
            tmp.rename(folder / f"办件流水_2026-03-0{i + 1}.csv")
        last_case = str(exports[1].steps[-1].row["办件编号"])
        reader = CaseReader(server)
        wait_until(lambda: len(reader.events(office, last_case)) == len(exports[1].expected()[last_case]),
                   timeout=60, what="the watched files on the server")
        reader.close()
        for export in exports:
            assert_server_holds(server, office, export)
    finally:
        watcher.send_signal(signal.SIGINT)
        try:
            out, _ = watcher.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            # Say where it hangs: faulthandler (PYTHONFAULTHANDLER) prints every thread on SIGABRT.
            watcher.send_signal(signal.SIGABRT)
            out, _ = watcher.communicate(timeout=30)
            raise AssertionError(f"`yingyan sync watch` did not stop on Ctrl-C:\n{out}") from None
    assert watcher.returncode == 0, out
    assert "watching" in out
