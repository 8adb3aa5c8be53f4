"""The petitioner's status page ``/status`` (spec 06 §3), over HTTP and in a real browser.

Over HTTP: the same answers, limits and lockout as ``POST /api/v1/public/petition-status``
(they share one counter), strict headers, no identity, the form refused from another site or
without its token, and garbage refused cleanly. In headless Chromium (Debian's, driven by
Selenium through Debian's chromedriver): a petitioner fills the form on a phone-sized and a
desktop-sized screen and reads the answer, and five wrong passwords lock the code. The
screenshots go to ``docs/screenshots/``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
import ssl
import tempfile
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.conftest import require_commands
from tests.harness import ROOT, ServerProcess
from tests.server.support import create_user, mutate, server_from_template

SCREENSHOTS = ROOT / "docs" / "screenshots"
IDENTITY = ("孙某某", "350521198512120033", "13800001111", "城关镇某村")
CONTENT = "反映城关镇市场监管所赵某办理食品经营许可时超标准收费八十元"
PASSWORD = "Sun-query-2026"
REPLY = "经核查，反映问题属实，已责令退还多收的八十元。<script>alert(1)</script>"


@dataclass
class Page:
    status: int
    body: str
    headers: dict[str, str]
    cookies: dict[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), "")


@dataclass
class World:
    server: ServerProcess
    codes: dict[str, str] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.server.port}"

    def fetch(self, method: str, path: str, *, form: dict[str, str] | None = None, raw: bytes | None = None,
              cookie: str | None = None, headers: dict[str, str] | None = None) -> Page:
        hdrs = {"Accept": "text/html"}
        data = raw
        if form is not None:
            data = urlencode(form).encode()
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        if cookie is not None:
            hdrs["Cookie"] = f"__Host-status-csrf={cookie}"
        hdrs.update(headers or {})
        req = urllib.request.Request(self.origin + path, data=data, method=method, headers=hdrs)
        ctx = ssl.create_default_context(cafile=str(self.server.ca_file))
        try:
            with urllib.request.urlopen(req, context=ctx, timeout=60) as r:
                page = Page(r.status, r.read().decode(), dict(r.headers))
        except urllib.error.HTTPError as e:
            page = Page(e.code, e.read().decode(errors="replace"), dict(e.headers))
        for value in [v for k, v in page.headers.items() if k.lower() == "set-cookie"]:
            name, _, rest = value.partition("=")
            page.cookies[name] = rest.split(";")[0]
        return page

    def form_token(self) -> tuple[str, str]:
        """Open the page as a browser would: its cookie and the form's hidden token."""
        page = self.fetch("GET", "/status")
        token = re.search(r'name="csrf" value="([^"]+)"', page.body)
        assert token is not None
        return page.cookies["__Host-status-csrf"], token.group(1)

    def ask(self, code: str, password: str, **kw: Any) -> Page:
        cookie, token = self.form_token()
        return self.fetch("POST", "/status", form={"csrf": token, "receipt_code": code, "password": password},
                          cookie=cookie, headers={"Origin": self.origin}, **kw)


def register(server: ServerProcess, token: str, *, content: str = CONTENT) -> tuple[str, str]:
    pid = str(uuid.uuid4())
    res = mutate(server, token, "petition", pid, "register", {
        "office": "C00", "channel": "visit", "received_at": "2026-04-13T10:00:00+08:00",
        "petitioner": {"name": IDENTITY[0], "id_number": IDENTITY[1], "phone": IDENTITY[2], "address": IDENTITY[3]},
        "anonymous": False, "subject": {"name": "赵某", "unit": "城关镇市场监管所", "title": "窗口人员"},
        "category": "fees", "content": content, "query_password": PASSWORD})
    assert res["status"] == "applied", res
    return pid, res["receipt_code"]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, server_template: Path) -> Iterator[World]:
    server = server_from_template(server_template, tmp_path_factory.mktemp("status-page") / "data",
                                  simulated_clock="2026-04-13T10:30:00+08:00")
    server.start()
    try:
        server.setup_basic(("T01",))
        centre = {"code": "C00", "name": "县电子监察中心", "kind": "centre"}
        assert server.call("POST", "/offices", centre).status == 201
        desk = create_user(server, "petition_officer")
        w = World(server)
        for name in ("replied", "registered", "merged", "locked_http", "locked_shared", "browser", "browser_lock"):
            pid, code = register(server, desk)
            w.codes[name] = code
            w.codes[name + ":id"] = pid
        replied = w.codes["replied:id"]
        for action, data in (("accept", {}), ("extend", {"days": 15}), ("reply", {"text": REPLY})):
            assert mutate(server, desk, "petition", replied, action, data)["status"] == "applied"
        browser = w.codes["browser:id"]
        for action, data in (("accept", {}), ("extend", {"days": 15})):
            assert mutate(server, desk, "petition", browser, action, data)["status"] == "applied"
        assert mutate(server, desk, "petition", w.codes["merged:id"], "merge", {"into": replied})["status"] == "applied"
        yield w
    finally:
        server.stop()


def assert_strict_headers(page: Page) -> None:
    csp = page.header("Content-Security-Policy")
    for directive in ("default-src 'none'", "style-src 'self'", "form-action 'self'", "frame-ancestors 'none'",
                      "base-uri 'none'"):
        assert directive in csp, csp
    assert "unsafe" not in csp
    assert "script-src" not in csp, "no script is allowed at all (default-src 'none')"
    assert "no-store" in page.header("Cache-Control")
    assert page.header("X-Content-Type-Options") == "nosniff"
    assert page.header("X-Frame-Options") == "DENY"
    assert page.header("Strict-Transport-Security").startswith("max-age=")
    assert page.header("Referrer-Policy") in ("same-origin", "no-referrer")
    assert page.header("Content-Type").startswith("text/html")


def test_the_form_page_is_static_strict_and_sets_its_token(world: World) -> None:
    page = world.fetch("GET", "/status")
    assert page.status == 200
    assert_strict_headers(page)
    assert "<script" not in page.body.lower()
    assert 'lang="zh-CN"' in page.body
    assert 'name="viewport"' in page.body
    cookie = next(v for k, v in page.headers.items() if k.lower() == "set-cookie")
    for attribute in ("Secure", "HttpOnly", "SameSite=strict", "Path=/"):
        assert attribute.lower() in cookie.lower(), cookie
    assert world.fetch("GET", "/status/style.css").header("Content-Type").startswith("text/css")


def test_the_page_answers_as_the_api_does_and_shows_no_identity(world: World) -> None:
    page = world.ask(world.codes["replied"], PASSWORD)
    assert page.status == 200, page.body
    assert_strict_headers(page)
    assert "已答复" in page.body
    assert html.escape("经核查，反映问题属实，已责令退还多收的八十元。") in page.body
    assert "<script>alert(1)</script>" not in page.body, "the reply is escaped"
    assert "&lt;script&gt;" in page.body
    for secret in (*IDENTITY, CONTENT, PASSWORD):
        assert secret not in page.body
    api = world.server.call("POST", "/public/petition-status",
                            {"receipt_code": world.codes["replied"], "password": PASSWORD}, token=None).json()
    assert api["status"] == "replied"
    assert api["reply"] == REPLY
    # A merged petition's status is its primary's progress and reply.
    merged = world.ask(world.codes["merged"], PASSWORD)
    assert merged.status == 200
    assert "已答复" in merged.body
    assert html.escape("经核查，反映问题属实") in merged.body
    # Typed with spaces between the digit groups, as printed on the slip.
    code = world.codes["registered"]
    spaced = world.ask(" ".join(code[i : i + 4] for i in range(0, 16, 4)), PASSWORD)
    assert spaced.status == 200
    assert "已登记" in spaced.body
    assert "2026年4月28日 24:00" in spaced.body, "acceptance due: 15 days, the end of 28 April"


def test_wrong_code_and_wrong_password_read_the_same(world: World) -> None:
    wrong_password = world.ask(world.codes["registered"], "not-the-password")
    wrong_code = world.ask("1234567890123456", PASSWORD)
    assert wrong_password.status == wrong_code.status == 404
    strip = re.compile(r'name="csrf" value="[^"]+"')
    assert strip.sub("", wrong_password.body) == strip.sub("", wrong_code.body)
    assert "查询码或查询密码不正确" in wrong_code.body
    assert_strict_headers(wrong_code)


def test_five_failures_lock_the_code_on_the_page_and_the_api_alike(world: World) -> None:
    code = world.codes["locked_shared"]
    for n in range(3):
        assert world.ask(code, f"guess-{n}").status == 404
    for n in range(3, 5):
        assert world.server.call("POST", "/public/petition-status", {"receipt_code": code, "password": f"guess-{n}"},
                                 token=None).status == 404
    locked = world.ask(code, PASSWORD)
    assert locked.status == 429, "the right password no longer helps"
    assert int(locked.header("Retry-After")) > 0
    assert "暂时锁定" in locked.body
    assert world.server.call("POST", "/public/petition-status", {"receipt_code": code, "password": PASSWORD},
                             token=None).status == 429
    assert world.ask(world.codes["registered"], PASSWORD).status == 200, "other codes still answer"


def test_the_form_is_refused_from_another_site_or_without_its_token(world: World) -> None:
    code = world.codes["locked_http"]
    cookie, token = world.form_token()
    form = {"csrf": token, "receipt_code": code, "password": PASSWORD}
    refusals = [
        world.fetch("POST", "/status", form=form),  # no cookie: a cross-site form cannot send it
        world.fetch("POST", "/status", form=form | {"csrf": "x" * 43}, cookie=cookie),
        world.fetch("POST", "/status", form={k: v for k, v in form.items() if k != "csrf"}, cookie=cookie),
        world.fetch("POST", "/status", form=form, cookie=cookie, headers={"Origin": "https://evil.example"}),
        world.fetch("POST", "/status", form=form, cookie=cookie, headers={"Sec-Fetch-Site": "cross-site"}),
    ]
    for page in refusals:
        assert page.status == 403
        assert "已受理" not in page.body
        assert "页面已过期" in page.body
        assert_strict_headers(page)
    # None of them counted as a failure against the code: it still answers.
    assert world.ask(code, PASSWORD).status == 200


@pytest.mark.parametrize(("body", "ctype"), [
    (b'{"receipt_code": "1", "password": "x"}', "application/json"),
    (b"receipt_code=" + b"1" * 5000, "application/x-www-form-urlencoded"),
    (b"\xff\xfe\x00garbage", "application/x-www-form-urlencoded"),
    (b"", "application/x-www-form-urlencoded"),
    (b"receipt_code=&password=", "application/x-www-form-urlencoded"),
    (b"receipt_code=%00&password=%00", "application/x-www-form-urlencoded"),
])
def test_garbage_gets_a_clear_page_not_a_crash(world: World, body: bytes, ctype: str) -> None:
    cookie, token = world.form_token()
    if ctype.endswith("urlencoded") and body.startswith(b"receipt_code"):
        body = f"csrf={token}&".encode() + body
    page = world.fetch("POST", "/status", raw=body, cookie=cookie, headers={"Content-Type": ctype})
    assert page.status in (400, 403), page.status
    assert "<form" in page.body, "the person can try again"
    assert_strict_headers(page)


# --- in a real browser --------------------------------------------------------------------------


def spki_pin(server: ServerProcess) -> str:
    """The server certificate's key, base64 SHA-256: Chromium trusts exactly this key."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    cert = x509.load_pem_x509_certificate((server.data_dir / "tls" / "server.pem").read_bytes())
    spki = cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(spki).digest()).decode()


@pytest.fixture(scope="module")
def browser(world: World) -> Iterator[Any]:
    require_commands("chromium", "chromedriver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="yingyan-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}", "--lang=zh-CN",
                "--hide-scrollbars", f"--ignore-certificate-errors-spki-list={spki_pin(world.server)}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def screen(driver: Any, width: int, height: int, *, mobile: bool) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})


def submit(driver: Any, world: World, code: str, password: str) -> None:
    """Fill the form and send it, as a person does; returns once the answer's page has loaded."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    driver.get(world.origin + "/status")
    # A mark on the form's document: the answer is a new document without it. (Waiting for an
    # element to go stale is not reliable: Chromium may answer "Node with given id does not
    # belong to the document" instead of "stale" while the old page unloads.)
    driver.execute_script("window.yingyanFormPage = true")
    driver.find_element(By.ID, "receipt_code").send_keys(code)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait = WebDriverWait(driver, 30, ignored_exceptions=(WebDriverException,))
    wait.until(lambda d: d.execute_script("return window.yingyanFormPage === undefined"
                                          " && document.readyState === 'complete'"))


def text_of(driver: Any) -> str:
    from selenium.webdriver.common.by import By

    return str(driver.find_element(By.TAG_NAME, "main").text)


@pytest.mark.parametrize(("width", "height", "mobile", "name"),
                         [(390, 844, True, "status-page-phone"), (1280, 800, False, "status-page-desktop")])
def test_a_petitioner_reads_the_status_in_a_browser(browser: Any, world: World, width: int, height: int,
                                                     mobile: bool, name: str) -> None:
    screen(browser, width, height, mobile=mobile)
    submit(browser, world, world.codes["browser"], PASSWORD)
    shown = text_of(browser)
    assert "已受理" in shown
    assert "正在办理" in shown
    assert "2026年6月27日 24:00 前办结答复" in shown, shown
    assert "已依法延期 15 日" in shown
    for secret in (*IDENTITY, CONTENT, PASSWORD):
        assert secret not in browser.page_source
    # Nothing runs on the page, and nothing is wider than the screen.
    assert browser.execute_script("return document.scripts.length") == 0
    assert browser.execute_script("return document.documentElement.scrollWidth") <= width
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


def test_five_wrong_passwords_lock_the_code_in_a_browser(browser: Any, world: World) -> None:
    screen(browser, 390, 844, mobile=True)
    code = world.codes["browser_lock"]
    for n in range(5):
        submit(browser, world, code, f"wrong-{n}")
        assert "查询码或查询密码不正确" in text_of(browser), n
    submit(browser, world, code, PASSWORD)
    shown = text_of(browser)
    assert "暂时锁定" in shown
    assert "已登记" not in shown, "the right password is not enough while the code is locked"
    browser.save_screenshot(str(SCREENSHOTS / "status-page-locked-phone.png"))
