"""The administration API's calls, typed with ``shared.admin``'s models, over the one HTTP client.

``AdminApi`` wraps a ``desktop.common.api.ApiClient`` (HTTPS verified against the configured
CA, the server's error codes as ``ApiError``, no answer as ``Unreachable``); ``yingyan admin``
and the console's administration pane make the same calls through it. Every call blocks: the
console runs them through ``desktop.common.tasks``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from desktop.common.api import ApiClient
from shared.admin import (
    AuditPage,
    AuditVerify,
    CalendarStatus,
    CatalogueCheck,
    OfficeToken,
    PasswordSet,
    Setting,
    User,
)

#: Catalogue imports and calendar uploads re-evaluate on the server: give them time.
LONG_TIMEOUT = 600.0


def _seg(value: str) -> str:
    return quote(value, safe="")


class AdminApi:
    def __init__(self, client: ApiClient) -> None:
        self.client = client

    def _get(self, path: str, **params: Any) -> Any:
        return self.client.call("GET", path, params={k: v for k, v in params.items() if v is not None} or None)

    # ---- who ------------------------------------------------------------------------------
    def me(self) -> dict[str, Any]:
        out: dict[str, Any] = self._get("/auth/me")
        return out

    # ---- offices --------------------------------------------------------------------------
    def offices(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = self._get("/offices")["offices"]
        return out

    def add_office(self, *, code: str, name: str, kind: str = "township", parent: str | None = None,
                   silent_hours: int | None = None) -> OfficeToken:
        body: dict[str, Any] = {"code": code, "name": name, "kind": kind, "parent": parent}
        if silent_hours is not None:
            body["silent_hours"] = silent_hours
        return OfficeToken.model_validate(self.client.call("POST", "/offices", json=body))

    def office_token(self, code: str) -> OfficeToken:
        return OfficeToken.model_validate(self.client.call("POST", f"/offices/{_seg(code)}/token"))

    # ---- users ----------------------------------------------------------------------------
    def users(self) -> list[User]:
        return [User.model_validate(u) for u in self._get("/users")["users"]]

    def add_user(self, *, username: str, password: str, role: str, offices: list[str] | None = None,
                 display_name: str = "") -> User:
        out = self.client.call("POST", "/users", json={
            "username": username, "password": password, "role": role, "offices": offices or [],
            "display_name": display_name})
        return User.model_validate(out)

    def update_user(self, username: str, **patch: Any) -> User:
        body = {k: v for k, v in patch.items() if v is not None}
        return User.model_validate(self.client.call("PATCH", f"/users/{_seg(username)}", json=body))

    def reset_password(self, username: str, password: str) -> PasswordSet:
        out = self.client.call("PUT", f"/users/{_seg(username)}/password", json={"password": password})
        return PasswordSet.model_validate(out)

    # ---- catalogue ------------------------------------------------------------------------
    def catalogue(self) -> tuple[int, list[dict[str, Any]]]:
        out = self.client.call("GET", "/catalogue", timeout=LONG_TIMEOUT)
        return int(out["version"]), list(out["items"])

    def check_catalogue(self, items: list[dict[str, Any]]) -> CatalogueCheck:
        out = self.client.call("POST", "/catalogue/dry-run", json={"items": items}, timeout=LONG_TIMEOUT)
        return CatalogueCheck.model_validate(out)

    def put_catalogue(self, items: list[dict[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = self.client.call("PUT", "/catalogue", json={"items": items}, timeout=LONG_TIMEOUT)
        return out

    # ---- calendar -------------------------------------------------------------------------
    def calendar(self, year: int) -> dict[str, Any]:
        out: dict[str, Any] = self._get(f"/calendar/{int(year)}")
        return out

    def put_calendar(self, year: int, body: dict[str, list[str]]) -> dict[str, Any]:
        out: dict[str, Any] = self.client.call("PUT", f"/calendar/{int(year)}", json=body, timeout=LONG_TIMEOUT)
        return out

    def calendar_status(self) -> CalendarStatus:
        return CalendarStatus.model_validate(self._get("/calendar-status"))

    # ---- cameras --------------------------------------------------------------------------
    def cameras(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = self._get("/cameras")["cameras"]
        return out

    def put_camera(self, camera_id: str, body: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = self.client.call("PUT", f"/cameras/{_seg(camera_id)}", json=body)
        return out

    def delete_camera(self, camera_id: str) -> dict[str, Any]:
        out: dict[str, Any] = self.client.call("DELETE", f"/cameras/{_seg(camera_id)}")
        return out

    # ---- settings -------------------------------------------------------------------------
    def settings(self) -> list[Setting]:
        return [Setting.model_validate(s) for s in self._get("/admin/settings")["settings"]]

    def setting(self, name: str) -> Setting:
        return Setting.model_validate(self._get(f"/admin/settings/{_seg(name)}"))

    def put_setting(self, name: str, value: dict[str, Any]) -> Setting:
        return Setting.model_validate(self.client.call("PUT", f"/admin/settings/{_seg(name)}", json=value))

    # ---- audit ----------------------------------------------------------------------------
    def audit(self, *, entity: str | None = None, entity_id: str | None = None, actor: str | None = None,
              action: str | None = None, limit: int = 200, cursor: str | None = None) -> AuditPage:
        return AuditPage.model_validate(self._get("/audit", entity=entity, entity_id=entity_id, actor=actor,
                                                  action=action, limit=limit, cursor=cursor))

    def verify_audit(self) -> AuditVerify:
        return AuditVerify.model_validate(self.client.call("GET", "/audit/verify", timeout=LONG_TIMEOUT))
