"""Finds libvlc for python-vlc and tells python-vlc where it is, before ``import vlc``.

python-vlc looks for libvlc once, when ``vlc`` is first imported, and on Windows only in the
DLL search path and a registry key whose bitness it does not choose. The console therefore
calls :func:`prepare` first; it sets ``PYTHON_VLC_LIB_PATH`` (the libvlc library) and
``PYTHON_VLC_MODULE_PATH`` (its plugins folder), which python-vlc honours. Order of search:

1. ``YINGYAN_VLC_DIR``: an administrator's explicit VLC folder;
2. a bundled ``vlc`` folder next to the application: next to the executable (a frozen build)
   or next to its ``python`` folder (the MSI layout ``<install dir>\\python\\python.exe`` with
   ``<install dir>\\vlc``);
3. Windows: the installed VLC, ``HKLM\\SOFTWARE\\VideoLAN\\VLC`` value ``InstallDir``
   (64-bit registry view: a 64-bit Python can only load a 64-bit libvlc);
4. Linux: the system libvlc, which python-vlc finds by itself (nothing is set).

Variables the user already set are left alone. This module never imports ``vlc``: loading
a wrong libvlc is exactly what it exists to prevent (python-vlc even exits the process when
``PYTHON_VLC_LIB_PATH`` names a library it cannot load, so only existing files are named).
"""

from __future__ import annotations

import ctypes.util
import os
import sys
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path

LIB_ENV = "PYTHON_VLC_LIB_PATH"
MODULE_ENV = "PYTHON_VLC_MODULE_PATH"
DIR_ENV = "YINGYAN_VLC_DIR"
VLC_REGISTRY_KEY = r"SOFTWARE\VideoLAN\VLC"

#: What an administrator should do when no libvlc is found (shown by --check-install).
INSTALL_HINT = {
    "win32": (
        "install VLC media player 3 (64-bit, from https://www.videolan.org/vlc/, the "
        "'Windows 64bit' installer) or deploy it by policy, then start the console again; "
        "or put a VLC folder as 'vlc' next to the console's 'python' folder"
    ),
    "linux": "install libvlc and its plugins: apt-get install libvlc5 vlc-plugin-base vlc-bin",
}

#: Handles of DLL folders added on Windows (kept alive on purpose).
_DLL_DIRECTORIES: list[object] = []

#: Reads HKLM\<key> value <name> (64-bit view), or None.
RegistryReader = Callable[[str, str], str | None]


@dataclass(frozen=True)
class VlcLocation:
    """Where libvlc was found; ``library`` is None when python-vlc's own search is used."""

    library: Path | None
    plugins: Path | None
    source: str


def library_name(platform: str) -> str:
    return "libvlc.dll" if platform == "win32" else "libvlc.so.5"


def _folder_location(folder: Path, platform: str, source: str) -> VlcLocation | None:
    lib = folder / library_name(platform)
    if not lib.is_file():
        # Linux builds of VLC put libvlc in lib/ under the folder.
        lib = folder / "lib" / library_name(platform)
        if not lib.is_file():
            return None
    plugins = next((p for p in (folder / "plugins", lib.parent / "vlc" / "plugins") if p.is_dir()), None)
    return VlcLocation(lib, plugins, source)


def bundled_dirs(executable: str | None = None) -> list[Path]:
    """Folders where a bundled VLC may sit, for the running executable."""
    exe_dir = Path(executable or sys.executable).resolve().parent
    return [exe_dir / "vlc", exe_dir.parent / "vlc"]


def _registry_reader() -> RegistryReader | None:
    if sys.platform != "win32":
        return None
    import winreg

    def read(key: str, name: str) -> str | None:
        try:
            with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, key, 0, winreg.KEY_READ | winreg.KEY_WOW64_64KEY) as handle:
                value, _kind = winreg.QueryValueEx(handle, name)
        except OSError:
            return None
        return str(value) if value else None

    return read


def locate(
    platform: str | None = None,
    env: Mapping[str, str] | None = None,
    registry: RegistryReader | None = None,
    executable: str | None = None,
) -> VlcLocation | None:
    """Find libvlc without loading it; None when nothing is found."""
    platform = sys.platform if platform is None else platform
    env = os.environ if env is None else env
    if env.get(LIB_ENV) and Path(env[LIB_ENV]).is_file():
        plugins = env.get(MODULE_ENV)
        return VlcLocation(Path(env[LIB_ENV]), Path(plugins) if plugins else None, f"environment {LIB_ENV}")
    explicit = env.get(DIR_ENV)
    if explicit:
        found = _folder_location(Path(explicit), platform, f"environment {DIR_ENV}")
        if found:
            return found
    for folder in bundled_dirs(executable):
        found = _folder_location(folder, platform, f"bundled folder {folder}")
        if found:
            return found
    if platform == "win32":
        reader = registry if registry is not None else _registry_reader()
        install_dir = reader(VLC_REGISTRY_KEY, "InstallDir") if reader else None
        if install_dir:
            return _folder_location(
                Path(install_dir), platform, f"installed VLC (HKLM\\{VLC_REGISTRY_KEY}\\InstallDir)"
            )
        return None
    system = ctypes.util.find_library("vlc")
    if system:
        return VlcLocation(None, None, f"system library {system}")
    return None


def prepare(
    environ: MutableMapping[str, str] | None = None,
    platform: str | None = None,
    registry: RegistryReader | None = None,
    executable: str | None = None,
) -> VlcLocation | None:
    """Locate libvlc and export it for python-vlc; call before the first ``import vlc``."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    found = locate(platform, environ, registry, executable)
    if found is None or found.library is None:
        return found
    environ.setdefault(LIB_ENV, str(found.library))
    if found.plugins is not None:
        environ.setdefault(MODULE_ENV, str(found.plugins))
    if sys.platform == "win32" and environ is os.environ:
        # libvlc.dll loads libvlccore.dll from its own folder; make sure that folder is on
        # the DLL search path whatever ctypes' loading flags are. The handle is kept: closing
        # it would take the folder off the path again.
        _DLL_DIRECTORIES.append(os.add_dll_directory(str(found.library.parent)))
    return found
