"""The public status page ``/status`` (spec 06 §3): a petitioner types the receipt code and
password and reads the status, the deadlines and the reply.

Server-rendered (Jinja2, autoescaped), no JavaScript, in Chinese, laid out for a phone. It
answers exactly as ``POST /api/v1/public/petition-status`` — the same service, the same
limits and lockout — and shows nothing about who petitioned. The form is protected against
cross-site submission (a double-submit token in a ``SameSite=Strict`` cookie, and the
``Origin`` / ``Sec-Fetch-Site`` headers checked), and every page carries a strict Content
Security Policy and is never cached.
"""

from __future__ import annotations

import hmac
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from jinja2 import Environment, FileSystemLoader, select_autoescape

from server.deps import ContextDep
from server.errors import ApiError
from server.petitions import public
from shared.timeutil import parse_instant_or_none, to_datetime

router = APIRouter(include_in_schema=False)
HERE = Path(__file__).resolve().parent
TEMPLATES = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]),
                        trim_blocks=True, lstrip_blocks=True)
STYLE = (HERE / "static" / "status.css").read_bytes()
CSRF_COOKIE = "__Host-status-csrf"
MAX_FORM_BYTES = 4096

#: Every response of the page: no script, no framing, no referrer, nothing cached.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}
NO_STORE = {"Cache-Control": "no-store, max-age=0", "Pragma": "no-cache", "Expires": "0"}

STATUS_ZH = {
    "registered": ("已登记", "您的信访事项已登记，正在审查是否受理。"),
    "accepted": ("已受理", "您的信访事项已受理，正在办理。"),
    "not_accepted": ("不予受理", "您的信访事项经审查不予受理。"),
    "replied": ("已答复", "您的信访事项已办理并答复。"),
    "closed": ("已办结", "您的信访事项已办结。"),
    "merged": ("已合并办理", "您的信访事项已与同一事项合并办理。"),
}


def _when(text: str | None, *, deadline: bool = False) -> str | None:
    """An instant as people write it; a deadline at midnight is the end of the day before
    (2026-04-29T00:00 is 2026年4月28日 24:00)."""
    instant = parse_instant_or_none(text)
    if instant is None:
        return None
    d = to_datetime(instant)
    if deadline and (d.hour, d.minute, d.second) == (0, 0, 0):
        d = to_datetime(instant - 1)
        return f"{d.year}年{d.month}月{d.day}日 24:00"
    return f"{d.year}年{d.month}月{d.day}日 {d.hour:02d}:{d.minute:02d}"


def _headers(request: Request, *, cache: bool = False) -> dict[str, str]:
    out = dict(SECURITY_HEADERS)
    if request.url.scheme == "https":
        out["Strict-Transport-Security"] = "max-age=31536000"
    if not cache:
        out |= NO_STORE
    return out


def _page(request: Request, token: str, *, status: int = 200, answer: dict[str, Any] | None = None,
          error: str | None = None, extra_headers: dict[str, str] | None = None) -> Response:
    view = None
    if answer is not None:
        name, sentence = STATUS_ZH.get(answer["status"], (answer["status"], ""))
        deadlines = answer.get("deadlines") or {}
        waiting = answer["status"]
        view = {
            "status": name,
            "sentence": sentence,
            "received_at": _when(answer.get("received_at")),
            "accept_due": _when(deadlines.get("accept_due"), deadline=True) if waiting == "registered" else None,
            "handle_due": _when(deadlines.get("handle_due"), deadline=True) if waiting == "accepted" else None,
            "extension_days": deadlines.get("extension_days") or 0,
            "reply": answer.get("reply"),
        }
    html = TEMPLATES.get_template("status.html").render(token=token, answer=view, error=error)
    headers = _headers(request) | (extra_headers or {})
    response = Response(html, status_code=status, media_type="text/html; charset=utf-8", headers=headers)
    response.set_cookie(CSRF_COOKIE, token, path="/", secure=True, httponly=True, samesite="strict")
    return response


def _token(request: Request) -> str:
    token = request.cookies.get(CSRF_COOKIE) or ""
    return token if 20 <= len(token) <= 100 and token.isascii() else secrets.token_urlsafe(32)


@router.get("/status")
def status_form(request: Request) -> Response:
    return _page(request, _token(request))


@router.get("/status/style.css")
def status_style(request: Request) -> Response:
    return Response(STYLE, media_type="text/css; charset=utf-8",
                    headers=_headers(request, cache=True) | {"Cache-Control": "public, max-age=86400"})


def _same_origin(request: Request) -> bool:
    """Whether the form was sent from this page: browsers say so in ``Sec-Fetch-Site``; older
    ones in ``Origin``; a client that sends neither still needs the token from the cookie."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("origin")
    if origin is None:
        return True
    host = request.headers.get("host", "")
    return origin in (f"https://{host}", f"http://{host}")


async def _form(request: Request) -> dict[str, str] | None:
    """The urlencoded form, or None when it is not one (wrong type, too big, not UTF-8)."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/x-www-form-urlencoded":
        return None
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return None
    try:
        fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=10, strict_parsing=False)
    except (UnicodeDecodeError, ValueError):
        return None
    return {k: v[0] for k, v in fields.items() if v}


@router.post("/status")
async def status_query(request: Request, ctx: ContextDep) -> Response:
    cookie = request.cookies.get(CSRF_COOKIE) or ""
    form = await _form(request)
    token = _token(request)
    if form is None:
        return _page(request, token, status=400, error="请通过本页面的表单提交查询。")
    sent = form.get("csrf", "")
    if not cookie or not hmac.compare_digest(cookie.encode(), sent.encode()) or not _same_origin(request):
        return _page(request, secrets.token_urlsafe(32), status=403,
                     error="页面已过期或来源不明，请在本页面重新输入查询码和密码。")
    code = form.get("receipt_code", "").strip()
    password = form.get("password", "")
    if not code or not password or len(code) > 64 or len(password) > 1000 or "\x00" in code + password:
        return _page(request, token, status=400, error="请输入16位查询码和查询密码。")
    address = request.client.host if request.client else "unknown"
    try:
        answer = await run_in_threadpool(public.status_answer, ctx, receipt_code=code, password=password,
                                         address=address)
    except ApiError as exc:
        if exc.status == 429:
            retry = int((exc.headers or {}).get("Retry-After", "900"))
            minutes = max(1, (retry + 59) // 60)
            return _page(request, token, status=429, extra_headers={"Retry-After": str(retry)},
                         error=f"查询失败次数过多，该查询码已暂时锁定，请约 {minutes} 分钟后再试。")
        return _page(request, token, status=exc.status, error="查询码或查询密码不正确，请核对后重新输入。")
    return _page(request, token, answer=answer)
