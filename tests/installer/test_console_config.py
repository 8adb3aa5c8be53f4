"""Unit tests of the console's configuration chain, libvlc locator and command line (no Wine)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from desktop import cli, vlc_locate
from desktop.config import MSI_KEY, POLICY_KEY, ConfigError, load_config, user_config_dir


def fake_registry(values: dict[tuple[str, str], str]) -> Callable[[str, str], str | None]:
    return lambda key, name: values.get((key, name))


POLICY = {(POLICY_KEY, "SERVERURL"): "https://policy.example", (POLICY_KEY, "CAFILE"): r"C:\policy-ca.pem"}
MSI = {(MSI_KEY, "SERVERURL"): "https://msi.example", (MSI_KEY, "CAFILE"): r"C:\msi-ca.pem"}


def write_toml(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "console.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_each_level_overrides_the_ones_below(tmp_path: Path) -> None:
    write_toml(tmp_path, 'server_url = "https://file.example"\nca_file = "/etc/file-ca.pem"\n')
    env = {"YINGYAN_SERVER_URL": "https://env.example", "YINGYAN_CA_FILE": "/env-ca.pem"}
    reg = fake_registry({**POLICY, **MSI})
    cli_values = {"server_url": "https://cli.example", "ca_file": "/cli-ca.pem"}

    cfg = load_config(cli_values, env, reg, tmp_path)
    assert (cfg.server_url.value, cfg.server_url.source) == ("https://cli.example", "command line --server")
    assert cfg.ca_file.source == "command line --ca"

    cfg = load_config({}, env, reg, tmp_path)
    assert cfg.server_url.value == "https://env.example"
    assert cfg.server_url.source == "environment YINGYAN_SERVER_URL"
    assert cfg.ca_file.value == "/env-ca.pem"

    cfg = load_config({}, {}, reg, tmp_path)
    assert cfg.server_url.value == "https://file.example"
    assert cfg.server_url.source == f"config file {tmp_path / 'console.toml'}"

    (tmp_path / "console.toml").unlink()
    cfg = load_config({}, {}, reg, tmp_path)
    assert cfg.server_url.value == "https://policy.example"
    assert cfg.server_url.source == rf"policy registry HKLM\{POLICY_KEY}\SERVERURL"
    assert cfg.ca_file.value == r"C:\policy-ca.pem"

    cfg = load_config({}, {}, fake_registry(MSI), tmp_path)
    assert cfg.server_url.value == "https://msi.example"
    assert cfg.server_url.source == rf"installer registry HKLM\{MSI_KEY}\SERVERURL"

    cfg = load_config({}, {}, fake_registry({}), tmp_path)
    assert cfg.server_url.value is None
    assert not cfg.server_url.is_set


def test_levels_are_independent_per_setting(tmp_path: Path) -> None:
    cfg = load_config({"server_url": "https://cli.example"}, {}, fake_registry(MSI), tmp_path)
    assert cfg.server_url.source == "command line --server"
    assert cfg.ca_file.value == r"C:\msi-ca.pem"


def test_empty_values_do_not_hide_lower_levels(tmp_path: Path) -> None:
    write_toml(tmp_path, 'server_url = ""\n')
    cfg = load_config(
        {"server_url": ""},
        {"YINGYAN_SERVER_URL": "  "},
        fake_registry({**MSI, (POLICY_KEY, "SERVERURL"): ""}),
        tmp_path,
    )
    assert cfg.server_url.value == "https://msi.example"


def test_relative_ca_in_config_file_is_relative_to_the_file(tmp_path: Path) -> None:
    write_toml(tmp_path, 'ca_file = "certs/ca.pem"\n')
    cfg = load_config({}, {}, fake_registry({}), tmp_path)
    assert cfg.ca_file.value == str(tmp_path / "certs" / "ca.pem")


def test_broken_config_file_is_an_error_naming_it(tmp_path: Path) -> None:
    path = write_toml(tmp_path, "server_url = [unclosed\n")
    with pytest.raises(ConfigError, match=str(path)):
        load_config({}, {}, fake_registry({}), tmp_path)


def test_config_dir_per_platform_and_override(tmp_path: Path) -> None:
    assert (
        user_config_dir({"LOCALAPPDATA": r"C:\Users\u\AppData\Local"}, "win32")
        == Path(r"C:\Users\u\AppData\Local") / "Yingyan"
    )
    assert user_config_dir({"XDG_CONFIG_HOME": "/x"}, "linux") == Path("/x/yingyan")
    assert user_config_dir({}, "linux") == Path.home() / ".config" / "yingyan"
    assert user_config_dir({"YINGYAN_CONFIG_DIR": str(tmp_path)}, "win32") == tmp_path


def test_config_dir_env_is_used_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YINGYAN_CONFIG_DIR", str(tmp_path))
    monkeypatch.delenv("YINGYAN_SERVER_URL", raising=False)
    write_toml(tmp_path, 'server_url = "https://file.example"\n')
    cfg = load_config()
    assert cfg.config_file == tmp_path / "console.toml"
    assert cfg.server_url.value == "https://file.example"


def test_no_registry_is_read_off_windows(tmp_path: Path) -> None:
    if sys.platform == "win32":
        pytest.skip("checks the non-Windows default")
    cfg = load_config({}, {}, None, tmp_path)
    assert cfg.server_url.source == "not set"


# --------------------------------------------------------------------------- libvlc


def make_vlc(folder: Path, platform: str = "win32") -> Path:
    (folder / "plugins").mkdir(parents=True)
    lib = folder / vlc_locate.library_name(platform)
    lib.write_bytes(b"")
    return lib


def test_bundled_vlc_next_to_python_folder(tmp_path: Path) -> None:
    exe = tmp_path / "python" / "python.exe"
    exe.parent.mkdir()
    exe.write_bytes(b"")
    lib = make_vlc(tmp_path / "vlc")
    reg = fake_registry({(vlc_locate.VLC_REGISTRY_KEY, "InstallDir"): str(tmp_path / "other")})
    found = vlc_locate.locate("win32", {}, reg, str(exe))
    assert found is not None
    assert found.library == lib.resolve()
    assert found.plugins == (tmp_path / "vlc" / "plugins").resolve()
    assert found.source.startswith("bundled folder")


def test_registry_vlc_when_nothing_is_bundled(tmp_path: Path) -> None:
    lib = make_vlc(tmp_path / "VideoLAN" / "VLC")
    reg = fake_registry({(vlc_locate.VLC_REGISTRY_KEY, "InstallDir"): str(tmp_path / "VideoLAN" / "VLC")})
    env: dict[str, str] = {}
    found = vlc_locate.prepare(env, "win32", reg, str(tmp_path / "app" / "python.exe"))
    assert found is not None
    assert found.source.startswith("installed VLC")
    assert env == {
        vlc_locate.LIB_ENV: str(lib),
        vlc_locate.MODULE_ENV: str(tmp_path / "VideoLAN" / "VLC" / "plugins"),
    }


def test_registry_pointing_to_nothing_is_not_found(tmp_path: Path) -> None:
    reg = fake_registry({(vlc_locate.VLC_REGISTRY_KEY, "InstallDir"): str(tmp_path / "gone")})
    env: dict[str, str] = {}
    assert vlc_locate.prepare(env, "win32", reg, str(tmp_path / "python.exe")) is None
    assert env == {}


def test_user_settings_are_kept(tmp_path: Path) -> None:
    make_vlc(tmp_path / "vlc")
    mine = make_vlc(tmp_path / "mine")
    env = {vlc_locate.LIB_ENV: str(mine)}
    found = vlc_locate.prepare(env, "win32", fake_registry({}), str(tmp_path / "python" / "python.exe"))
    assert found is not None
    assert found.library == mine
    assert env[vlc_locate.LIB_ENV] == str(mine)


def test_explicit_vlc_dir_wins_over_bundled(tmp_path: Path) -> None:
    make_vlc(tmp_path / "vlc")
    lib = make_vlc(tmp_path / "admin")
    env = {vlc_locate.DIR_ENV: str(tmp_path / "admin")}
    found = vlc_locate.locate("win32", env, fake_registry({}), str(tmp_path / "python" / "python.exe"))
    assert found is not None
    assert found.library == lib


def test_locator_does_not_import_vlc() -> None:
    code = "import sys, desktop.vlc_locate as v; v.prepare(); print('vlc' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------- command line


def test_check_install_prints_sources_and_never_needs_a_display(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("YINGYAN_", "DISPLAY", "WAYLAND"))}
    env["YINGYAN_CONFIG_DIR"] = str(tmp_path)
    env["QT_QPA_PLATFORM"] = "xcb"  # would fail loudly if anything tried to open a window
    write_toml(tmp_path, 'server_url = "https://file.example:8443"\n')
    proc = subprocess.run(
        [sys.executable, "-m", "desktop", "--check-install", "--ca", str(tmp_path / "missing.pem")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    out = proc.stdout
    assert f"server URL: https://file.example:8443  [from config file {tmp_path / 'console.toml'}]" in out
    assert "CA file: " + str(tmp_path / "missing.pem") + "  [from command line --ca]" in out
    assert "[FAIL] CA file" in out
    assert "[ ok ] Python" in out
    assert proc.returncode == 1


def test_console_without_app_module_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = cli.importlib.util.find_spec
    monkeypatch.setattr(cli.importlib.util, "find_spec", lambda name: None if name == "desktop.app" else real(name))
    assert cli.main(["--server", "https://x.example"]) == 2
    assert "desktop.app" in capsys.readouterr().err


def test_console_passes_the_resolved_config_to_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    class FakeApp:
        @staticmethod
        def run(config: object) -> int:
            seen["config"] = config
            return 0

    monkeypatch.setattr(cli.importlib.util, "find_spec", lambda name: object())
    monkeypatch.setattr(cli.importlib, "import_module", lambda name: FakeApp)
    monkeypatch.setattr(cli.vlc_locate, "prepare", lambda: None)
    assert cli.main(["--server", "https://x.example"]) == 0
    assert seen["config"].server_url.value == "https://x.example"


def test_bad_config_file_fails_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("YINGYAN_CONFIG_DIR", str(tmp_path))
    write_toml(tmp_path, "= nope")
    assert cli.main(["--check-install"]) == 1
    assert "console.toml" in capsys.readouterr().err
