"""A township's petition register reaches the county: the shipped mappings (``xinfang`` for the
register, ``xinfang_banli`` for what was done with each petition) and their GBK samples, through
the agent's command line, to a real server.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from desktop.township.mapping import MappingError, find_mapping, guess_mapping, mapping_from_dict
from desktop.township.readers import read_table
from tests.desktop.township.conftest import SyncEnv
from tests.harness import CATALOGUE, ROOT, ServerProcess, running_server
from tests.server.support import create_user, list_all

SAMPLES = ROOT / "resources" / "sync-mappings" / "samples"
REGISTER = SAMPLES / "信访登记_2026-04-13.csv"
EVENTS = SAMPLES / "信访办理_2026-04-14.csv"


def mapped(path: Path, mapping_name: str, office: str = "T05") -> list[dict[str, Any]]:
    mapping = find_mapping(mapping_name)
    table = read_table(path, mapping.wanted_columns())
    return [mapping.map_row(row, office, table.headers) for row in table.rows]


def test_the_samples_are_gbk_and_each_finds_its_mapping() -> None:
    for path, name in ((REGISTER, "xinfang"), (EVENTS, "xinfang_banli")):
        raw = path.read_bytes()
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        raw.decode("gbk")
        table = read_table(path, None)
        found = guess_mapping(table.headers, "csv")
        assert found is not None
        assert found.name == name


def test_the_register_and_its_events_name_the_same_petitions() -> None:
    petitions = mapped(REGISTER, "xinfang")
    events = mapped(EVENTS, "xinfang_banli")
    assert [p["channel"] for p in petitions] == ["letter", "visit", "phone", "hotline"]
    assert [p["category"] for p in petitions] == ["fees", "other", "land", "approval"]
    assert petitions[0]["petitioner"]["name"] == "张某某"
    assert petitions[0]["received_at"] == "2026-04-13T09:20:00+08:00"
    assert petitions[1]["received_at"] == "2026-04-13T10:05:00+08:00", "2026年4月13日 10:05"
    anonymous_asks, anonymous_quiet = petitions[2], petitions[3]
    assert anonymous_asks["anonymous"] is True
    assert "petitioner" not in anonymous_asks
    assert anonymous_asks["receipt_code"] == "6200000000000003"
    assert "receipt_code" not in anonymous_quiet
    ids = {p["id"] for p in petitions}
    assert {e["petition_id"] for e in events} <= ids
    assert [e["type"] for e in events] == ["accepted", "assigned", "extended", "accepted", "replied", "closed",
                                           "not_accepted"]
    assert events[2]["days"] == 15
    assert events[5]["substantiated"] is True
    assert events[1]["text"] == "城关镇纪委"
    # Stable: the same rows give the same ids; another office's rows are other records.
    assert mapped(REGISTER, "xinfang") == petitions
    assert {p["id"] for p in mapped(REGISTER, "xinfang", office="T06")}.isdisjoint(ids)


def test_an_xlsx_register_gives_the_same_records_as_the_csv(tmp_path: Path) -> None:
    rows = list(csv.reader(io.StringIO(REGISTER.read_bytes().decode("gbk"))))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["城关镇信访登记簿"])
    for row in rows:
        sheet.append(row)
    book.save(tmp_path / "信访登记_2026-04-13.xlsx")
    assert mapped(tmp_path / "信访登记_2026-04-13.xlsx", "xinfang") == mapped(REGISTER, "xinfang")


def test_a_ref_field_needs_its_source_system() -> None:
    base = {"mapping": {"name": "x", "system": "s", "kind": "petition_event"}}
    with pytest.raises(MappingError, match="ref"):
        mapping_from_dict(base | {"fields": {"petition_id": {"column": "信访编号", "parse": "ref"}}})
    with pytest.raises(MappingError, match="ref"):
        mapping_from_dict(base | {"fields": {"petition_id": {"column": "信访编号", "ref": "township-petition"}}})


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server of its own whose clock is past the samples' days (the shared one is in March)."""
    with running_server(tmp_path_factory.mktemp("petition-sync"),
                        simulated_clock="2026-04-15T08:00:00+08:00") as s:
        assert s.call("PUT", "/catalogue", {"items": CATALOGUE}).status == 200
        yield s


def test_the_samples_reach_the_county_through_the_agent(logged_in: tuple[SyncEnv, ServerProcess, str],
                                                        tmp_path: Path) -> None:
    env, server, office = logged_in
    r = env.run("push", str(REGISTER), str(EVENTS))
    assert r.returncode == 0, r.stdout + r.stderr
    petitions = {p["receipt_code"]: p for p in list_all(server, f"/petitions?office={office}", "petitions")}
    assert len(petitions) == 4
    letter = petitions["6200000000000001"]
    assert (letter["status"], letter["deadlines"]["extension_days"]) == ("accepted", 15)
    assert [e["type"] for e in letter["events"]] == ["accepted", "assigned", "extended"]
    assert letter["petitioner"] == "[protected]"
    closed = petitions["6200000000000002"]
    assert closed["status"] == "closed"
    assert closed["events"][-1]["substantiated"] is True
    assert petitions["6200000000000003"]["status"] == "not_accepted"
    assert petitions["6200000000000003"]["petitioner"] is None
    assert petitions[None]["status"] == "registered", "the hotline call with no code"

    # The identity arrived whole, for the desk's eyes only.
    desk = create_user(server, "petition_officer")
    shown = server.call("GET", f"/petitions/{letter['id']}", token=desk).json()
    assert shown["petitioner"] == {"name": "张某某", "id_number": "350521198001010011", "phone": "13900000001",
                                   "address": "城关镇示例村1号"}
    # The petitioner reads the township's reply with the password chosen at the township.
    status = server.call("POST", "/public/petition-status",
                         {"receipt_code": "6200000000000002", "password": "示例密码-0002"}, token=None)
    assert status.status == 200, status.body
    assert status.json()["reply"] == "经核查，反映问题属实，已责令补发克扣的补贴。"

    # Sending the same files again sends nothing new.
    again = env.run("push", str(REGISTER), str(EVENTS))
    assert again.returncode == 0, again.stdout + again.stderr
    after = list_all(server, f"/petitions?office={office}", "petitions")
    assert sorted(len(p["events"]) for p in after) == sorted(len(p["events"]) for p in petitions.values())
    s = json.loads(env.run("status", "--json").stdout)
    assert (s["queued"], s["rejected"]) == (0, 0)


def test_a_bad_register_row_is_refused_here_with_its_column(logged_in: tuple[SyncEnv, ServerProcess, str],
                                                            tmp_path: Path) -> None:
    env, _server, _office = logged_in
    rows = list(csv.reader(io.StringIO(REGISTER.read_bytes().decode("gbk"))))
    rows[1][4] = ""  # 信访人 left empty on a petition that is not anonymous
    rows[2][1] = "传真"  # a channel the register's mapping does not know
    for row in rows[1:]:  # codes of their own: the server refuses a code another petition holds
        row[13] = row[13].replace("62", "63", 1)
    bad = tmp_path / "信访登记_2026-04-13.csv"
    with bad.open("w", encoding="gbk", newline="") as f:
        csv.writer(f).writerows(rows)
    shutil.copy(EVENTS, tmp_path / EVENTS.name)
    r = env.run("push", str(bad))
    assert r.returncode == 1, r.stdout + r.stderr
    listed = env.run("rejected")
    assert "petitioner" in listed.stdout
    assert "MISSING_FIELD" in listed.stdout
    assert "信访方式" in listed.stdout
    s = json.loads(env.run("status", "--json").stdout)
    assert s["rejected"] == 2, listed.stdout
