"""The administration API against a real server over TLS: settings, users, the audit view, the
catalogue dry run, the calendar status; typed request bodies in the OpenAPI document; bad input."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest

from tests.harness import CATALOGUE, ServerProcess, event
from tests.server.support import assert_error, create_user, login, ok_batch, server_from_template


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, server_template: Path) -> Iterator[ServerProcess]:
    s = server_from_template(server_template, tmp_path_factory.mktemp("admin") / "data")
    s.start()
    try:
        s.tokens = s.setup_basic(("T01",))
        yield s
    finally:
        s.stop()


def _audit(server: ServerProcess, **filters: str) -> list[dict[str, Any]]:
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    r = server.call("GET", f"/audit?{query}")
    assert r.status == 200, r.body
    return r.json()["entries"]


def test_settings_have_defaults_and_changes_are_audited_before_and_after(server: ServerProcess) -> None:
    listed = server.call("GET", "/admin/settings").json()["settings"]
    assert {s["name"] for s in listed} >= {"risk-index", "office-silent", "calendar-warning"}
    risk = server.call("GET", "/admin/settings/risk-index").json()
    assert risk["value"] == risk["default"]
    assert risk["version"] == 0
    assert risk["value"]["red_alert"] == -10

    weights = {**risk["value"], "red_alert": -12, "green_from": 90}
    r = server.call("PUT", "/admin/settings/risk-index", weights)
    assert r.status == 200, r.body
    assert r.json()["value"]["red_alert"] == -12
    assert r.json()["version"] == 1
    assert server.call("GET", "/admin/settings/risk-index").json()["updated_by"] == "admin"

    entry = _audit(server, entity="setting", entity_id="risk-index")[0]
    assert entry["action"] == "settings.put"
    assert entry["actor"] == "admin"
    assert entry["detail"]["changed"] == {"red_alert": {"before": -10, "after": -12},
                                          "green_from": {"before": 85, "after": 90}}
    assert entry["before_digest"]
    assert entry["after_digest"]
    assert entry["before_digest"] != entry["after_digest"]


@pytest.mark.parametrize(("path", "body", "status", "code"), [
    ("/admin/settings/office-silent", {"hours": 0}, 400, "INVALID_REQUEST"),
    ("/admin/settings/office-silent", {"hours": "24"}, 400, "INVALID_REQUEST"),
    ("/admin/settings/office-silent", {"hours": 24, "extra": 1}, 400, "INVALID_REQUEST"),
    ("/admin/settings/office-silent", [24], 400, "INVALID_REQUEST"),
    ("/admin/settings/risk-index", {"yellow_from": 95}, 400, "INVALID_REQUEST"),
    ("/admin/settings/calendar-warning", {"from_month": 2, "from_day": 30}, 400, "INVALID_REQUEST"),
    ("/admin/settings/no-such", {"hours": 1}, 404, "NOT_FOUND"),
])
def test_bad_setting_values_are_refused_and_change_nothing(server: ServerProcess, path: str, body: Any,
                                                            status: int, code: str) -> None:
    before = server.call("GET", "/admin/settings").json()
    err = assert_error(server.call("PUT", path, body), status, code)
    assert err["message"]
    assert server.call("GET", "/admin/settings").json() == before


def test_bodies_keep_the_protocols_limits(server: ServerProcess) -> None:
    path = "/admin/settings/office-silent"
    assert_error(server.call("PUT", path, raw=b"hours=24", headers={"Content-Type": "text/plain"}), 415)
    assert_error(server.call("PUT", path, raw=b"{\"hours\": ", headers={}), 400, "INVALID_JSON")
    assert_error(server.call("PUT", path, raw=b"{\"hours\": 1, \"x\": \"" + b"a" * 70_000 + b"\"}"), 413)
    assert_error(server.call("PUT", path, {"hours": 1, "note": "a\u0000b"}), 400, "INVALID_REQUEST")
    zipped = gzip.compress(json.dumps({"hours": 30}).encode())
    r = server.call("PUT", path, raw=zipped, headers={"Content-Encoding": "gzip"})
    assert r.status == 200, r.body
    assert r.json()["value"] == {"hours": 30}
    assert server.call("PUT", path, {"hours": 24}).status == 200


def test_only_administrators(server: ServerProcess) -> None:
    operator = create_user(server, "operator")
    office = server.tokens["T01"]
    for token in (operator, office):
        assert_error(server.call("GET", "/admin/settings", token=token), 403)
        assert_error(server.call("PUT", "/admin/settings/office-silent", {"hours": 1}, token=token), 403)
        assert_error(server.call("GET", "/audit", token=token), 403)
        assert_error(server.call("PATCH", "/users/admin", {"disabled": True}, token=token), 403)
        assert_error(server.call("POST", "/catalogue/dry-run", {"items": []}, token=token), 403)
    assert_error(server.call("GET", "/admin/settings", token=None), 401)
    assert server.call("GET", "/calendar-status", token=operator).status == 200
    assert_error(server.call("GET", "/calendar-status", token=office), 403)


def test_disable_enable_and_reset_a_users_password(server: ServerProcess) -> None:
    token = create_user(server, "operator", username="op-chen", password="first-password")
    assert server.call("GET", "/auth/me", token=token).status == 200

    r = server.call("PATCH", "/users/op-chen", {"disabled": True})
    assert r.status == 200
    assert r.json()["disabled"] is True
    assert_error(server.call("GET", "/auth/me", token=token), 401)
    assert_error(server.call("POST", "/auth/token", {"username": "op-chen", "password": "first-password"},
                             token=None), 401)
    assert server.call("PATCH", "/users/op-chen", {"disabled": False}).status == 200
    token = login(server, "op-chen", "first-password")

    r = server.call("PUT", "/users/op-chen/password", {"password": "second-password"})
    assert r.status == 200
    assert r.json() == {"username": "op-chen", "sessions_ended": 1}
    assert_error(server.call("GET", "/auth/me", token=token), 401)
    assert_error(server.call("POST", "/auth/token", {"username": "op-chen", "password": "first-password"},
                             token=None), 401)
    login(server, "op-chen", "second-password")

    r = server.call("PATCH", "/users/op-chen", {"role": "leader", "offices": ["T01"], "display_name": "陈科长"})
    assert r.json()["role"] == "leader"
    assert r.json()["offices"] == ["T01"]
    entries = [e for e in _audit(server, entity="user", entity_id="op-chen") if e["action"] != "auth.login"]
    assert [e["action"] for e in entries][:4] == ["user.update", "user.password", "user.update", "user.update"]
    assert entries[0]["detail"]["changed"]["role"] == {"before": "operator", "after": "leader"}
    assert "second-password" not in json.dumps(entries)
    assert "first-password" not in json.dumps(entries)


@pytest.mark.parametrize(("path", "method", "body", "status"), [
    ("/users/nobody", "PATCH", {"disabled": True}, 404),
    ("/users/nobody/password", "PUT", {"password": "long-enough-1"}, 404),
    ("/users/admin/password", "PUT", {"password": "short"}, 400),
    ("/users/admin", "PATCH", {"role": "superuser"}, 400),
    ("/users/admin", "PATCH", {"disabled": "yes"}, 400),
    ("/users/admin", "PATCH", {"offices": "T01"}, 400),
    ("/users/admin", "PATCH", {"password": "sneaky-change"}, 400),
    ("/users/admin", "PATCH", {"disabled": True}, 409),
    ("/users/admin", "PATCH", {"role": "operator"}, 409),
])
def test_bad_user_changes(server: ServerProcess, path: str, method: str, body: Any, status: int) -> None:
    assert_error(server.call(method, path, body), status)


def test_the_admin_token_survives_the_admins_password_reset(server: ServerProcess) -> None:
    assert server.call("PUT", "/users/admin/password", {"password": "admin-password-1"}).status == 200
    assert server.call("GET", "/auth/me").status == 200  # the data directory's token still works


def test_audit_view_filters_pages_and_verifies(server: ServerProcess) -> None:
    for hours in (30, 31, 32):
        assert server.call("PUT", "/admin/settings/office-silent", {"hours": hours}).status == 200
    first = server.call("GET", "/audit?entity=setting&entity_id=office-silent&limit=2").json()
    assert len(first["entries"]) == 2
    assert first["next"]
    assert [e["detail"]["after"]["hours"] for e in first["entries"]] == [32, 31]
    second = server.call("GET", f"/audit?entity=setting&entity_id=office-silent&limit=2&cursor={first['next']}")
    assert second.json()["entries"][0]["detail"]["after"]["hours"] == 30
    assert all(e["actor"] == "admin" for e in _audit(server, actor="admin"))
    assert _audit(server, actor="nobody-at-all") == []
    verified = server.call("GET", "/audit/verify").json()
    assert verified["intact"] is True
    assert verified["entries"] >= 5
    assert verified["broken_seq"] is None
    assert_error(server.call("GET", "/audit?cursor=abc"), 400, "INVALID_CURSOR")
    assert_error(server.call("GET", "/audit?limit=0"), 400)
    assert_error(server.call("GET", "/audit?entity=" + "x" * 500), 400)


def test_catalogue_dry_run_reports_and_stores_nothing(server: ServerProcess) -> None:
    before = server.call("GET", "/catalogue").json()
    changed = dict(CATALOGUE[0], committed_days=4)
    items = [changed, CATALOGUE[1],
             {"code": "NEW-1", "name": "新事项", "department": "D01", "legal_days": 10},
             {"code": "BAD 1", "name": "", "department": "D01", "legal_days": -1},
             {"code": "NEW-1", "name": "again", "department": "D01", "legal_days": 10}]
    r = server.call("POST", "/catalogue/dry-run", {"items": items})
    assert r.status == 200, r.body
    report = r.json()
    assert report["changed"] == ["QG-D07-001"]
    assert report["added"] == ["NEW-1"]
    assert report["unchanged"] == 1
    fields = {(p["index"], p["field"]) for p in report["problems"]}
    assert {(3, "code"), (3, "name"), (3, "legal_days"), (4, "code")} <= fields
    assert report["version"] == before["version"]
    assert server.call("GET", "/catalogue").json() == before
    assert_error(server.call("POST", "/catalogue/dry-run", {"items": "all"}), 400)
    assert_error(server.call("POST", "/catalogue/dry-run", {"items": [], "extra": 1}), 400)


def test_case_shows_the_catalogue_version_it_was_accepted_under(server: ServerProcess) -> None:
    tokens = server.tokens
    ok_batch(server, "T01", tokens["T01"], [event("V-1", "received", "2026-03-02T07:00:00+08:00"),
                                           event("V-1", "accepted", "2026-03-02T07:10:00+08:00")])
    first = server.call("GET", "/approval-cases/T01/V-1").json()
    old_version = first["catalogue_version"]
    assert first["item"]["committed_days"] == 5
    server.call("PUT", "/admin/clock", {"now": "2026-03-02T12:00:00+08:00"})
    r = server.call("PUT", "/catalogue", {"items": [dict(CATALOGUE[0], committed_days=3)]})
    assert r.status == 200
    server.call("PUT", "/admin/clock", {"now": "2026-03-02T14:00:00+08:00"})
    summary = ok_batch(server, "T01", tokens["T01"], [event("V-2", "received", "2026-03-02T13:00:00+08:00"),
                                                     event("V-2", "accepted", "2026-03-02T13:10:00+08:00")],
                       complete_until="2026-03-02T13:30:00+08:00")
    assert summary["imported"] == 2, summary
    old, new = (server.call("GET", f"/approval-cases/T01/{n}").json() for n in ("V-1", "V-2"))
    assert old["catalogue_version"] == old_version
    assert old["item"]["committed_days"] == 5
    assert new["catalogue_version"] == r.json()["version"]
    assert new["item"]["committed_days"] == 3
    assert old["clocks"]["limit_days"] == 5
    assert new["clocks"]["limit_days"] == 3


def test_openapi_describes_the_administration_bodies(server: ServerProcess) -> None:
    doc = server.call("GET", "/openapi.json", token=None).json()
    paths = doc["paths"]
    for path, method, schema in (
        ("/api/v1/admin/settings/risk-index", "put", "RiskIndexSettings"),
        ("/api/v1/admin/settings/office-silent", "put", "OfficeSilentSettings"),
        ("/api/v1/users/{username}", "patch", "UserPatch"),
        ("/api/v1/users/{username}/password", "put", "PasswordIn"),
        ("/api/v1/catalogue/dry-run", "post", "CatalogueCheckIn"),
    ):
        body = paths[path][method]["requestBody"]["content"]["application/json"]["schema"]
        assert body == {"$ref": f"#/components/schemas/{schema}"}, (path, body)
        assert paths[path][method]["responses"]["200"]["content"]["application/json"]["schema"]
    weights = doc["components"]["schemas"]["RiskIndexSettings"]["properties"]
    assert weights["red_alert"]["default"] == -10
    assert "description" in weights["red_alert"]
    assert "/api/v1/audit" in paths
    assert "/api/v1/calendar-status" in paths


def test_office_silent_hours_follow_the_setting(server: ServerProcess) -> None:
    assert server.call("PUT", "/admin/settings/office-silent", {"hours": 200}).status == 200
    assert server.call("POST", "/offices", {"code": "S01", "name": "静默镇", "kind": "township"}).status == 201
    now = server.call("GET", "/admin/clock").json()["now"]

    def silent() -> list[dict[str, Any]]:
        alerts = server.call("GET", "/alerts?rule=OFFICE_SILENT&office=S01").json()["alerts"]
        return [a for a in alerts if a["status"] == "open"]

    from datetime import datetime, timedelta

    later = (datetime.fromisoformat(now) + timedelta(hours=30)).isoformat()
    assert server.call("PUT", "/admin/clock", {"now": later}).status == 200
    assert silent() == []  # 30 h of 200
    assert server.call("PUT", "/admin/settings/office-silent", {"hours": 24}).status == 200
    nudge = (datetime.fromisoformat(later) + timedelta(seconds=1)).isoformat()
    assert server.call("PUT", "/admin/clock", {"now": nudge}).status == 200
    alerts = silent()
    assert len(alerts) == 1
    assert alerts[0]["evidence"]["silent_hours"] == 24


def test_a_silent_office_s_alert_counts_whole_hours_and_is_not_rewritten_between_them(server: ServerProcess) -> None:
    # The wall's "已 N 小时未报送" follows the clock hour by hour; between two whole hours the
    # sweeps leave the alert alone (with 1,516 offices, rewriting each silent one at every
    # sweep would fill the change feed and hold the write lock for nothing).
    from datetime import datetime, timedelta

    assert server.call("POST", "/offices", {"code": "S02", "name": "失联镇", "kind": "township"}).status == 201
    created = datetime.fromisoformat(server.call("GET", "/admin/clock").json()["now"])

    def move_to(hours: float) -> dict[str, Any]:
        at = (created + timedelta(hours=hours)).isoformat()
        assert server.call("PUT", "/admin/clock", {"now": at}).status == 200
        alerts = server.call("GET", "/alerts?rule=OFFICE_SILENT&office=S02").json()["alerts"]
        assert len(alerts) == 1
        return cast(dict[str, Any], alerts[0])

    first = move_to(30.25)
    assert "已 30 小时未报送数据" in first["message"]
    assert move_to(30.5)["version"] == move_to(30.99)["version"] == first["version"]
    assert move_to(30.99)["message"] == first["message"]
    later = move_to(31.01)
    assert "已 31 小时未报送数据" in later["message"]
    assert later["version"] > first["version"]
