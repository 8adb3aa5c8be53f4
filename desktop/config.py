"""Where the console's settings come from, and which source won for each one.

Precedence, highest first (docs/admin/install.md explains it to administrators):

1. the command line (``--server``, ``--ca``);
2. the environment (``YINGYAN_SERVER_URL``, ``YINGYAN_CA_FILE``);
3. the user's config file ``console.toml`` in the per-user folder
   (``%LOCALAPPDATA%\\Yingyan`` on Windows, ``~/.config/yingyan`` elsewhere; the folder can be
   moved with ``YINGYAN_CONFIG_DIR``);
4. Windows policy: ``HKLM\\Software\\Policies\\Yingyan\\Console`` (Group Policy / registry
   preference), values ``SERVERURL`` and ``CAFILE``;
5. what the MSI wrote: ``HKLM\\Software\\Yingyan\\Console``, same value names.

An empty value at any level counts as "not set", so an empty variable or registry value never
hides a lower level. The registry is read only on Windows (also under Wine, where python.exe is
a Windows program); tests on Linux pass a fake reader.
"""

from __future__ import annotations

import os
import sys
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

#: Registry keys under HKEY_LOCAL_MACHINE, in order of precedence.
POLICY_KEY = r"Software\Policies\Yingyan\Console"
MSI_KEY = r"Software\Yingyan\Console"

CONFIG_FILE_NAME = "console.toml"
CONFIG_DIR_ENV = "YINGYAN_CONFIG_DIR"

#: Reads one value from HKLM: (key path, value name) -> text, or None if absent.
RegistryReader = Callable[[str, str], str | None]


@dataclass(frozen=True)
class FieldSpec:
    """How one setting is named at each level."""

    name: str
    option: str
    env: str
    toml_key: str
    registry_value: str


FIELDS = (
    FieldSpec("server_url", "--server", "YINGYAN_SERVER_URL", "server_url", "SERVERURL"),
    FieldSpec("ca_file", "--ca", "YINGYAN_CA_FILE", "ca_file", "CAFILE"),
)


@dataclass(frozen=True)
class Setting:
    """A resolved value and where it came from (for --check-install and support)."""

    value: str | None
    source: str

    @property
    def is_set(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class ConsoleConfig:
    """The console's resolved configuration."""

    server_url: Setting
    ca_file: Setting
    config_file: Path

    def describe(self) -> list[tuple[str, Setting]]:
        return [("server URL", self.server_url), ("CA file", self.ca_file)]


class ConfigError(ValueError):
    """The user config file exists but cannot be used; the message names it."""


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def user_config_dir(env: Mapping[str, str] | None = None, platform: str | None = None) -> Path:
    """The per-user folder holding console.toml."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    override = _clean(env.get(CONFIG_DIR_ENV))
    if override:
        return Path(override)
    if platform == "win32":
        base = _clean(env.get("LOCALAPPDATA")) or str(Path.home() / "AppData" / "Local")
        return Path(base) / "Yingyan"
    base = _clean(env.get("XDG_CONFIG_HOME")) or str(Path.home() / ".config")
    return Path(base) / "yingyan"


def read_config_file(path: Path) -> dict[str, str]:
    """Read console.toml; a missing file is empty, a broken one is a ConfigError."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    out: dict[str, str] = {}
    for spec in FIELDS:
        value = _clean(data.get(spec.toml_key))
        if value is None:
            continue
        if spec.name == "ca_file" and not Path(value).is_absolute():
            # A relative CA path in the file is relative to the file, not to wherever the
            # console happened to be started from.
            value = str(path.parent / value)
        out[spec.name] = value
    return out


def windows_registry_reader() -> RegistryReader | None:
    """A reader of HKLM (64-bit view) when running on Windows, else None."""
    if sys.platform != "win32":
        return None
    import winreg

    def read(key: str, name: str) -> str | None:
        # The MSI is 64-bit and writes the 64-bit view; ask for it explicitly so that a
        # 32-bit Python would read the same values.
        try:
            with winreg.OpenKey(
                winreg.HKEY_LOCAL_MACHINE, key, 0, winreg.KEY_READ | winreg.KEY_WOW64_64KEY
            ) as handle:
                value, kind = winreg.QueryValueEx(handle, name)
        except OSError:
            return None
        if kind == winreg.REG_EXPAND_SZ:
            return os.path.expandvars(str(value))
        if kind == winreg.REG_SZ:
            return str(value)
        return None

    return read


def load_config(
    cli: Mapping[str, str | None] | None = None,
    env: Mapping[str, str] | None = None,
    registry: RegistryReader | None = None,
    config_dir: Path | None = None,
) -> ConsoleConfig:
    """Resolve every setting through the precedence chain.

    ``cli`` maps field names (``server_url``, ``ca_file``) to command-line values;
    ``registry`` defaults to the real registry on Windows and to none elsewhere.
    """
    cli = cli or {}
    env = os.environ if env is None else env
    reader = registry if registry is not None else windows_registry_reader()
    folder = config_dir if config_dir is not None else user_config_dir(env)
    config_file = folder / CONFIG_FILE_NAME
    from_file = read_config_file(config_file)

    resolved: dict[str, Setting] = {}
    for spec in FIELDS:
        candidates: list[tuple[str | None, str]] = [
            (_clean(cli.get(spec.name)), f"command line {spec.option}"),
            (_clean(env.get(spec.env)), f"environment {spec.env}"),
            (from_file.get(spec.name), f"config file {config_file}"),
        ]
        if reader is not None:
            candidates += [
                (
                    _clean(reader(POLICY_KEY, spec.registry_value)),
                    f"policy registry HKLM\\{POLICY_KEY}\\{spec.registry_value}",
                ),
                (
                    _clean(reader(MSI_KEY, spec.registry_value)),
                    f"installer registry HKLM\\{MSI_KEY}\\{spec.registry_value}",
                ),
            ]
        value, source = next(((v, s) for v, s in candidates if v is not None), (None, "not set"))
        resolved[spec.name] = Setting(value, source)
    return ConsoleConfig(
        server_url=resolved["server_url"], ca_file=resolved["ca_file"], config_file=config_file
    )
