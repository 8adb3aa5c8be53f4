"""The console MSI: built from the tree, its tables checked with msiinfo, its signature verified,
and installed, upgraded, downgrade-refused and uninstalled with Wine's msiexec.

The MSI is built once per session (signed with a throwaway certificate made here) and reused;
the upgrade package reuses the staged payload. Needs wixl, msitools, osslsigncode, openssl and
wine (Debian packages); skipped without them, failing on CI (YINGYAN_REQUIRE_ALL=1).
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.version import Version

from tests.conftest import require_commands

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "installer" / "build.py"

#: The product's UpgradeCode is a contract with every deployed console: it must never change.
UPGRADE_CODE = "{6E1B7F1C-3A9D-4C2B-9E57-0D4C8A1F5B23}"
SERVER_URL = "https://sync.example:8443"
MSI_KEY = r"HKLM\Software\Yingyan\Console"

pytestmark = pytest.mark.slow


def project_version() -> str:
    return str(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"])


def next_version(version: str) -> str:
    major, minor, micro = [*Version(version).release, 0, 0][:3]
    return f"{major}.{minor}.{micro + 1}"


def run(cmd: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, check=False, **kw)  # type: ignore[call-overload]


@dataclass
class Built:
    msi: Path
    version: str
    build_dir: Path
    out_dir: Path
    ca: Path
    sign_args: list[str]
    seconds: float


def make_signing_cert(folder: Path) -> tuple[Path, Path, Path]:
    """A throwaway CA and a code-signing certificate issued by it (PEM)."""
    folder.mkdir(parents=True, exist_ok=True)
    ca_key, ca, key, csr, cert = (folder / n for n in ("ca.key", "ca.pem", "sign.key", "sign.csr", "sign.pem"))
    ext = folder / "ext.cnf"
    ext.write_text("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\n")
    steps = [
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            ca_key,
            "-out",
            ca,
            "-days",
            "2",
            "-subj",
            "/CN=Yingyan Test CA",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ],
        [
            "openssl",
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            key,
            "-out",
            csr,
            "-subj",
            "/CN=Yingyan Test Code Signing",
        ],
        [
            "openssl",
            "x509",
            "-req",
            "-in",
            csr,
            "-CA",
            ca,
            "-CAkey",
            ca_key,
            "-CAcreateserial",
            "-out",
            cert,
            "-days",
            "2",
            "-extfile",
            ext,
        ],
    ]
    for step in steps:
        proc = run([str(s) for s in step])
        assert proc.returncode == 0, proc.stderr
    return ca, cert, key


def build(out_dir: Path, build_dir: Path, sign_args: list[str], version: str | None = None) -> tuple[Path, float]:
    args = [sys.executable, str(BUILD), "--out-dir", str(out_dir), "--build-dir", str(build_dir), *sign_args]
    if version:
        args += ["--version", version]
    started = time.monotonic()
    proc = run(args, timeout=900)
    seconds = time.monotonic() - started
    assert proc.returncode == 0, proc.stdout + proc.stderr
    msi = out_dir / f"Yingyan-Console-{version or project_version()}-x64.msi"
    assert msi.is_file(), proc.stdout
    print(proc.stdout)
    return msi, seconds


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    require_commands("wixl", "wixl-heat", "msiinfo", "msibuild", "osslsigncode", "openssl")
    base = tmp_path_factory.mktemp("msi")
    ca, cert, key = make_signing_cert(base / "pki")
    sign_args = ["--sign-cert", str(cert), "--sign-key", str(key)]
    msi, seconds = build(base / "dist", base / "build", sign_args)
    return Built(msi, project_version(), base / "build", base / "dist", ca, sign_args, seconds)


def table(msi: Path, name: str) -> list[dict[str, str]]:
    """Rows of one MSI table via ``msiinfo export`` (.idt: names, types, key line, rows)."""
    # Tables with binary columns (Icon) are exported with their streams as files in the
    # working directory: keep those next to the MSI, not in the checkout.
    proc = subprocess.run(["msiinfo", "export", str(msi), name], capture_output=True, check=True, cwd=msi.parent)
    lines = proc.stdout.decode("cp1252").split("\r\n")
    columns = lines[0].split("\t")
    return [dict(zip(columns, line.split("\t"), strict=False)) for line in lines[3:] if line]


def properties(msi: Path) -> dict[str, str]:
    return {r["Property"]: r["Value"] for r in table(msi, "Property")}


# --------------------------------------------------------------------------- tables


def test_the_msi_stays_small(built: Built) -> None:
    size_mb = built.msi.stat().st_size / 1e6
    # How long a build takes is in BENCHMARKS.md (its commands); a build that hangs is the run's timeout.
    print(f"MSI {built.msi.name}: {size_mb:.1f} MB, built in {built.seconds:.0f} s")
    assert size_mb < 200


def test_product_properties(built: Built) -> None:
    props = properties(built.msi)
    assert props["ALLUSERS"] == "1"
    assert props["UpgradeCode"] == UPGRADE_CODE
    assert f'UpgradeCode = "{UPGRADE_CODE[1:-1]}"' in (ROOT / "installer" / "yingyan.wxs").read_text()
    assert props["ProductVersion"] == built.version
    assert props["ProductName"] == "Yingyan Console"
    assert props["Manufacturer"] == "Yingyan"
    assert props["ARPPRODUCTICON"] == "yingyan.ico"
    secure = props["SecureCustomProperties"].split(";")
    assert {"SERVERURL", "CAFILE", "WIX_UPGRADE_DETECTED", "WIX_DOWNGRADE_DETECTED"} <= set(secure)
    summary = run(["msiinfo", "suminfo", str(built.msi)]).stdout
    assert "Template: x64;1033" in summary


def test_major_upgrade_rows(built: Built) -> None:
    rows = table(built.msi, "Upgrade")
    assert all(r["UpgradeCode"] == UPGRADE_CODE for r in rows)
    by_property = {r["ActionProperty"]: r for r in rows}
    older = by_property["WIX_UPGRADE_DETECTED"]
    newer = by_property["WIX_DOWNGRADE_DETECTED"]
    assert (older["VersionMin"], older["VersionMax"]) == ("", built.version)
    assert (newer["VersionMin"], newer["VersionMax"]) == (built.version, "")
    assert int(newer["Attributes"]) & 2  # msidbUpgradeAttributesOnlyDetect
    same = by_property["WIX_SAME_VERSION_UPGRADE_DETECTED"]  # a rebuild replaces, not joins
    assert (same["VersionMin"], same["VersionMax"]) == (built.version, built.version)
    assert int(same["Attributes"]) & 0x300 == 0x300  # both bounds inclusive
    conditions = {r["Condition"] for r in table(built.msi, "LaunchCondition")}
    assert "NOT WIX_DOWNGRADE_DETECTED" in conditions
    sequence = {r["Action"]: int(r["Sequence"]) for r in table(built.msi, "InstallExecuteSequence")}
    assert sequence["InstallValidate"] < sequence["RemoveExistingProducts"] < sequence["InstallInitialize"]


def test_shortcut_and_icon(built: Built) -> None:
    (shortcut,) = table(built.msi, "Shortcut")
    assert shortcut["Directory_"] == "ProgramMenuFolder"
    assert shortcut["Target"] == r"[INSTALLDIR]python\pythonw.exe"
    assert shortcut["Arguments"] == "-m desktop"
    assert shortcut["Icon_"] == "yingyan.ico"
    assert [r["Name"] for r in table(built.msi, "Icon")] == ["yingyan.ico"]


def test_registry_rows_and_remembered_properties(built: Built) -> None:
    rows = {r["Name"]: r for r in table(built.msi, "Registry")}
    for name in ("SERVERURL", "CAFILE"):
        assert rows[name]["Root"] == "2"  # HKEY_LOCAL_MACHINE
        assert rows[name]["Key"] == r"Software\Yingyan\Console"
        assert rows[name]["Value"] == f"[{name}]"
    components = {r["Component"]: r for r in table(built.msi, "Component")}
    assert components["ServerUrlRegistry"]["Condition"] == "SERVERURL"
    assert components["CaFileRegistry"]["Condition"] == "CAFILE"
    searches = {r["Signature_"]: r for r in table(built.msi, "RegLocator")}
    assert searches["FindServerUrl"]["Key"] == r"Software\Yingyan\Console"
    assert int(searches["FindVlc"]["Type"]) & 16  # 64-bit registry view
    assert searches["FindVlc"]["Key"] == r"SOFTWARE\VideoLAN\VLC"


def test_every_component_is_64_bit(built: Built) -> None:
    components = table(built.msi, "Component")
    assert len(components) > 1000
    assert all(int(c["Attributes"]) & 256 for c in components)  # msidbComponentAttributes64bit
    dirs = {r["Directory"]: r for r in table(built.msi, "Directory")}
    assert dirs["INSTALLDIR"]["Directory_Parent"] == "ProgramFiles64Folder"


def test_payload_has_windows_dependencies_only(built: Built) -> None:
    site = built.build_dir / "stage" / "python" / "Lib" / "site-packages"
    names = {p.name.split("-")[0].lower() for p in site.glob("*.dist-info")}
    assert {"pyside6_essentials", "python_vlc", "keyring", "pywin32_ctypes", "tzdata", "yingyan"} <= names
    assert not names & {"secretstorage", "jeepney"}  # Linux-only dependencies of keyring
    pth = (built.build_dir / "stage" / "python" / "python313._pth").read_text()
    assert "Lib\\site-packages" in pth
    assert "import site" in pth.splitlines()
    assert (site / "desktop" / "cli.py").is_file()


def test_signature_stream_and_verification(built: Built, tmp_path: Path) -> None:
    streams = run(["msiinfo", "streams", str(built.msi)]).stdout.split()
    assert "\x05DigitalSignature" in streams
    ok = run(["osslsigncode", "verify", "-CAfile", str(built.ca), "-in", str(built.msi)])
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "Signature verification: ok" in ok.stdout
    other_ca, _cert, _key = make_signing_cert(tmp_path / "other")
    bad = run(["osslsigncode", "verify", "-CAfile", str(other_ca), "-in", str(built.msi)])
    assert bad.returncode != 0


def test_bundled_vlc_replaces_the_registry_search(tmp_path: Path) -> None:
    require_commands("wixl")
    wxs = ROOT / "installer" / "yingyan.wxs"
    defines = ["-D", "Version=1.0.0", "-D", "StageDir=x", "-D", "IconFile=x", "-D", "Toolset=wixl"]
    bundled = run(["wixl", "-E", *defines, "-D", "BundledVlc=1", str(wxs)])
    searched = run(["wixl", "-E", *defines, "-D", "BundledVlc=0", str(wxs)])
    assert bundled.returncode == searched.returncode == 0, bundled.stderr + searched.stderr
    assert 'Id="FindVlc"' in searched.stdout
    assert 'Id="FindVlc"' not in bundled.stdout
    assert 'Property Id="VLCDIR" Value="bundled"' in bundled.stdout

    # installer/build.py is a script, not a package module: load it under its own name.
    spec = importlib.util.spec_from_file_location("yingyan_installer_build", BUILD)
    assert spec is not None
    assert spec.loader is not None
    build_module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = build_module  # dataclasses look their module up there
    spec.loader.exec_module(build_module)
    vlc = tmp_path / "vlc-3.0.21"
    (vlc / "plugins" / "access").mkdir(parents=True)
    (vlc / "libvlc.dll").write_bytes(b"MZ")
    (vlc / "libvlccore.dll").write_bytes(b"MZ")
    stage = tmp_path / "stage"
    assert build_module.stage_vlc(stage, vlc) is True
    assert (stage / "vlc" / "libvlccore.dll").is_file()
    assert build_module.stage_vlc(stage, None) is False
    assert not (stage / "vlc").exists()
    with pytest.raises(build_module.BuildError):
        build_module.stage_vlc(stage, tmp_path)


# --------------------------------------------------------------------------- Wine


class Wine:
    """A private Wine prefix and helpers to run Windows programs in it."""

    def __init__(self, prefix: Path) -> None:
        self.prefix = prefix
        self.env = {
            **os.environ,
            "WINEPREFIX": str(prefix),
            "WINEDEBUG": "-all",
            "WINEARCH": "win64",
            # No Mono/Gecko download prompts: nothing here needs them.
            "WINEDLLOVERRIDES": "mscoree,mshtml=",
        }
        self.drive_c = prefix / "drive_c"

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        # stdin/stdout must be pipes: Wine gives python.exe invalid handles for plain files.
        return subprocess.run(
            ["wine", *args],
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            env=self.env,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            check=False,
        )

    def msiexec(self, *args: str, log: str) -> tuple[int, str]:
        proc = self.run("msiexec", *args, "/l*v", f"C:\\{log}", timeout=600)
        text = (self.drive_c / log).read_text(encoding="utf-8", errors="replace")
        return proc.returncode, text

    def reg_query(self, key: str, value: str | None = None) -> str | None:
        args = ["reg", "query", key] + (["/v", value] if value else [])
        proc = self.run(*args)
        return proc.stdout if proc.returncode == 0 else None

    def products(self) -> list[dict[str, str]]:
        """Add/Remove Programs entries named Yingyan Console."""
        out = self.reg_query(r"HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall") or ""
        found = []
        for key in (line.strip() for line in out.splitlines() if line.strip().startswith("HKEY")):
            values = {
                m.group(1): m.group(2).strip()
                for m in re.finditer(r"^[ \t]+(\S+)[ \t]+REG_\w+[ \t]*(.*)$", self.reg_query(key) or "", re.M)
            }
            if values.get("DisplayName") == "Yingyan Console":
                found.append(values)
        return found


def property_in_log(log: str, name: str) -> str | None:
    match = re.search(rf"^Property\(S\): {name} = (.*)$", log, re.M)
    return match.group(1).strip() if match else None


@pytest.fixture
def wine(tmp_path: Path) -> Iterator[Wine]:
    require_commands("wine", "wineserver")
    w = Wine(tmp_path / "prefix")
    proc = subprocess.run(["wineboot", "-i"], capture_output=True, text=True, env=w.env, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    yield w
    subprocess.run(["wineserver", "-k"], env=w.env, capture_output=True, check=False)


def check_install(wine: Wine, python: Path) -> tuple[int, str]:
    proc = wine.run(str(python), "-m", "desktop", "--check-install", timeout=300)
    return proc.returncode, proc.stdout + proc.stderr


#: What cannot work inside Wine 8 and is therefore checked on Windows (docs/admin/install.md):
#: Qt needs icuuc.dll, which Wine lacks; the test's VLC is a placeholder file.
EXPECTED_WINE_FAILURES = {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "python-vlc", "libvlc"}


def test_install_upgrade_downgrade_uninstall_with_wine(built: Built, wine: Wine) -> None:
    install_dir = wine.drive_c / "Program Files" / "Yingyan Console"
    python = install_dir / "python" / "python.exe"

    # 1. Silent per-machine install with the server address.
    rc, log1 = wine.msiexec("/i", str(built.msi), "/qn", f"SERVERURL={SERVER_URL}", log="install1.log")
    assert rc == 0, log1[-3000:]
    for rel in (
        "python/python.exe",
        "python/pythonw.exe",
        "python/python313._pth",
        "python/Lib/site-packages/desktop/cli.py",
        "python/Lib/site-packages/PySide6/Qt6Core.dll",
    ):
        assert (install_dir / rel).is_file(), rel
    assert SERVER_URL in (wine.reg_query(MSI_KEY, "SERVERURL") or "")
    assert wine.reg_query(MSI_KEY, "CAFILE") is None  # not given: not written
    assert property_in_log(log1, "ALLUSERS") == "1"
    # No VLC in this prefix: the install goes on and says so in the log.
    assert "VLC media player 3 (64-bit) not found" in (property_in_log(log1, "YINGYAN_VLC_WARNING") or "")
    menu = property_in_log(log1, "ProgramMenuFolder")
    assert menu, "ProgramMenuFolder not in the log"
    shortcut = wine.drive_c / menu[3:].replace("\\", "/") / "Yingyan Console.lnk"
    assert shortcut.is_file()
    (product,) = wine.products()
    assert product["DisplayVersion"] == built.version
    assert product["Publisher"] == "Yingyan"
    assert product["InstallLocation"] == "C:\\Program Files\\Yingyan Console\\"

    # 2. The installed Python resolves the MSI's value, and a policy value overrides it.
    rc, out = check_install(wine, python)
    assert f"server URL: {SERVER_URL}  [from installer registry {MSI_KEY[:4]}\\{MSI_KEY[5:]}\\SERVERURL]" in out, out
    assert re.search(r"\[ ok \] Python: 3\.13\.\d+ \(64-bit\)", out), out
    assert "[ ok ] PySide6: imports" in out, out
    assert "[FAIL] libvlc: not found; install VLC media player 3 (64-bit" in out, out
    failed = set(re.findall(r"^\s+\[FAIL\] ([^:]+):", out, re.M))
    assert failed <= EXPECTED_WINE_FAILURES, out
    assert rc == (1 if failed else 0)

    policy = r"HKLM\Software\Policies\Yingyan\Console"
    assert wine.run("reg", "add", policy, "/v", "SERVERURL", "/d", "https://policy.example", "/f").returncode == 0
    # A (placeholder) 64-bit VLC registered the way VLC's installer does it.
    (wine.drive_c / "vlc" / "plugins").mkdir(parents=True)
    (wine.drive_c / "vlc" / "libvlc.dll").write_bytes(b"MZ")
    vlc_key = r"HKLM\SOFTWARE\VideoLAN\VLC"
    assert wine.run("reg", "add", vlc_key, "/v", "InstallDir", "/d", "C:\\vlc", "/f").returncode == 0
    rc, out = check_install(wine, python)
    assert f"server URL: https://policy.example  [from policy registry {policy}\\SERVERURL]" in out, out
    assert "[ ok ] libvlc found: C:\\vlc\\libvlc.dll [installed VLC" in out, out
    assert wine.run("reg", "delete", policy, "/f").returncode == 0

    # 3. Version N+1 over it (payload reused): one product, the server address remembered,
    #    VLC now found by the installer's registry search.
    newer = next_version(built.version)
    msi2, seconds = build(built.out_dir, built.build_dir, built.sign_args, newer)
    print(f"N+1 build reusing the stage: {seconds:.0f} s")
    rc, log2 = wine.msiexec("/i", str(msi2), "/qn", log="install2.log")
    assert rc == 0, log2[-3000:]
    (product,) = wine.products()
    assert product["DisplayVersion"] == newer
    assert newer in (wine.reg_query(MSI_KEY, "Version") or "")
    assert SERVER_URL in (wine.reg_query(MSI_KEY, "SERVERURL") or "")
    assert property_in_log(log2, "YINGYAN_VLC_WARNING") is None
    assert property_in_log(log2, "VLCDIR") == "C:\\vlc"
    assert python.is_file()

    # 4. A rebuild of the same version (new ProductCode) replaces it instead of joining it.
    first_code = product["UninstallString"].split("/X")[-1]
    rebuilt, _seconds = build(built.out_dir, built.build_dir, built.sign_args, newer)
    rc, log_same = wine.msiexec("/i", str(rebuilt), "/qn", log="same-version.log")
    assert rc == 0, log_same[-3000:]
    assert property_in_log(log_same, "WIX_SAME_VERSION_UPGRADE_DETECTED") == first_code
    (product,) = wine.products()
    assert product["DisplayVersion"] == newer
    assert product["UninstallString"].split("/X")[-1] != first_code
    assert SERVER_URL in (wine.reg_query(MSI_KEY, "SERVERURL") or "")

    # 5. The older package is refused over the newer one.
    rc, log3 = wine.msiexec("/i", str(built.msi), "/qn", log="downgrade.log")
    assert rc != 0
    # FindRelatedProducts saw the newer product, so the downgrade launch condition failed.
    assert re.fullmatch(r"\{[0-9A-F-]{36}\}", property_in_log(log3, "WIX_DOWNGRADE_DETECTED") or "")
    (product,) = wine.products()
    assert product["DisplayVersion"] == newer

    # 6. Uninstall leaves no files, no shortcut, no registry key, no product.
    rc, log4 = wine.msiexec("/x", str(rebuilt), "/qn", log="uninstall.log")
    assert rc == 0, log4[-3000:]
    leftovers = [p for p in install_dir.rglob("*") if p.is_file()] if install_dir.exists() else []
    assert leftovers == []
    assert not install_dir.exists()
    assert not shortcut.exists()
    assert wine.reg_query(MSI_KEY) is None
    assert wine.products() == []
