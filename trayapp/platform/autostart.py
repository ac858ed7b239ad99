"""Start at login, per OS: an XDG autostart entry, a macOS LaunchAgent, the Windows per-user Run key.

Each backend writes one entry that starts the installed command (with ``--config-dir`` when the app
runs with a folder of its own) and removes exactly that entry when the setting is turned off. The text
each one writes is built by a pure function, so it can be checked on any OS; only the Windows backend
touches the registry, through a small writer that is imported on Windows only.
"""

from __future__ import annotations

import os
import plistlib
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from .. import APP_ID, APP_NAME

APP_RDNN = "io.github.credit_tray.CreditTray"  # the AppStream / desktop-file / LaunchAgent id
DESKTOP_FILE = f"{APP_ID}.desktop"  # the autostart entry's file name
RUN_VALUE = APP_NAME  # the value name under the Run key
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"


class Autostart(Protocol):
    def enable(self, command: Sequence[str]) -> None: ...

    def disable(self) -> None: ...

    def is_enabled(self) -> bool: ...

    def location(self) -> str: ...


# ---------------------------------------------------------------- the command to start


def launch_command(
    config_dir: Path | None = None,
    *,
    frozen: bool | None = None,
    executable: str | None = None,
    argv0: str | None = None,
    platform: str = sys.platform,
) -> list[str]:
    """The command that starts this installation of the tray.

    Frozen (PyInstaller): the bundle's executable. Otherwise the ``trayapp`` script this process was
    started as; started as ``python -m trayapp``, the same; else the script on PATH, else
    ``python -m trayapp`` with this interpreter (``pythonw`` on Windows, so no console window opens).
    ``config_dir`` is added unless it is the default folder.
    """
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    executable = executable or sys.executable
    argv0 = sys.argv[0] if argv0 is None else argv0
    if frozen:
        command = [str(Path(executable).absolute())]
    elif platform != "win32" and Path(argv0).name == "trayapp" and Path(argv0).is_file():
        command = [str(Path(argv0).absolute())]  # not resolved: a pipx symlink survives upgrades
    elif platform != "win32" and Path(argv0).name != "__main__.py" and (found := shutil.which("trayapp")):
        command = [str(Path(found).absolute())]
    else:
        python = Path(executable)
        if platform == "win32" and (python.parent / "pythonw.exe").is_file():
            python = python.parent / "pythonw.exe"
        command = [str(python), "-m", "trayapp"]
    if config_dir is not None and not _is_default_config_dir(config_dir):
        command += ["--config-dir", str(Path(config_dir).expanduser().absolute())]
    return command


def _is_default_config_dir(config_dir: Path) -> bool:
    import platformdirs

    default = Path(platformdirs.user_config_dir(APP_ID, appauthor=False))
    return Path(config_dir).expanduser().absolute() == default.absolute()


# ---------------------------------------------------------------- Linux and other XDG desktops

_EXEC_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def exec_quote(arg: str) -> str:
    """One argument of an Exec= line (Desktop Entry spec): quoted when needed, ``%`` doubled."""
    arg = arg.replace("%", "%%")
    if arg and not (_EXEC_RESERVED & set(arg)):
        return arg
    inner = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    # The value is also a desktop-file string, whose own escape for a backslash is a backslash.
    return '"' + inner.replace("\\", "\\\\") + '"'


def desktop_entry(command: Sequence[str]) -> str:
    exec_line = " ".join(exec_quote(a) for a in command)
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        f"Name={APP_NAME}\n"
        "Comment=Remaining AI API credit in the system tray\n"
        f"Exec={exec_line}\n"
        f"Icon={APP_RDNN}\n"
        "Terminal=false\n"
        "Categories=Utility;\n"
        "X-GNOME-Autostart-enabled=true\n"
        f"X-Credit-Tray-Id={APP_RDNN}\n"
    )


def xdg_config_home(env: os._Environ[str] | dict[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    value = env.get("XDG_CONFIG_HOME", "")
    # The spec: a relative path is invalid and must be ignored.
    return Path(value) if value and Path(value).is_absolute() else Path.home() / ".config"


@dataclass
class XdgAutostart:
    config_home: Path

    @property
    def path(self) -> Path:
        return self.config_home / "autostart" / DESKTOP_FILE

    def enable(self, command: Sequence[str]) -> None:
        _write_atomically(self.path, desktop_entry(command).encode("utf-8"))

    def disable(self) -> None:
        self.path.unlink(missing_ok=True)

    def is_enabled(self) -> bool:
        return self.path.is_file()

    def location(self) -> str:
        return str(self.path)


# ---------------------------------------------------------------- macOS


def launch_agent_plist(command: Sequence[str]) -> bytes:
    return plistlib.dumps(
        {
            "Label": APP_RDNN,
            "ProgramArguments": list(command),
            "RunAtLoad": True,
            "ProcessType": "Interactive",
            "LimitLoadToSessionType": "Aqua",
        }
    )


@dataclass
class LaunchAgent:
    agents_dir: Path  # ~/Library/LaunchAgents

    @property
    def path(self) -> Path:
        return self.agents_dir / f"{APP_RDNN}.plist"

    def enable(self, command: Sequence[str]) -> None:
        # Read by launchd at the next login; the running app is not started a second time now.
        _write_atomically(self.path, launch_agent_plist(command))

    def disable(self) -> None:
        self.path.unlink(missing_ok=True)

    def is_enabled(self) -> bool:
        return self.path.is_file()

    def location(self) -> str:
        return str(self.path)


# ---------------------------------------------------------------- Windows


class RunKeyWriter(Protocol):
    """HKCU\\...\\CurrentVersion\\Run: set, delete and read one string value."""

    def set(self, name: str, value: str) -> None: ...

    def delete(self, name: str) -> None: ...  # no error when absent

    def get(self, name: str) -> str | None: ...


def run_key_value(command: Sequence[str]) -> str:
    return subprocess.list2cmdline(list(command))


@dataclass
class RunKey:
    writer: RunKeyWriter

    def enable(self, command: Sequence[str]) -> None:
        self.writer.set(RUN_VALUE, run_key_value(command))

    def disable(self) -> None:
        self.writer.delete(RUN_VALUE)

    def is_enabled(self) -> bool:
        return self.writer.get(RUN_VALUE) is not None

    def location(self) -> str:
        return f"HKEY_CURRENT_USER\\{RUN_KEY}\\{RUN_VALUE}"


if sys.platform == "win32":
    import winreg

    class WinRegRunKey:
        """The real registry (only defined, and winreg only imported, on Windows)."""

        def set(self, name: str, value: str) -> None:
            with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
                winreg.SetValueEx(key, name, 0, winreg.REG_SZ, value)

        def delete(self, name: str) -> None:
            try:
                with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
                    winreg.DeleteValue(key, name)
            except FileNotFoundError:
                pass

        def get(self, name: str) -> str | None:
            try:
                with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_QUERY_VALUE) as key:
                    value, _kind = winreg.QueryValueEx(key, name)
            except FileNotFoundError:
                return None
            return str(value)


# ---------------------------------------------------------------- choosing one, applying the setting


def backend(platform: str = sys.platform) -> Autostart | None:
    """The backend of this OS, or None where start at login is not supported."""
    if platform == "darwin":
        return LaunchAgent(Path.home() / "Library" / "LaunchAgents")
    if platform == "win32":
        return _windows_backend()
    if platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return XdgAutostart(xdg_config_home())
    return None


def _windows_backend() -> Autostart | None:
    if sys.platform == "win32":
        return RunKey(WinRegRunKey())
    else:  # asked for Windows on another OS: there is no registry to write
        return None


def apply(enabled: bool, config_dir: Path | None = None, *, target: Autostart | None = None) -> Autostart | None:
    """Make the OS start the tray at login, or stop doing so. Raises OSError when it cannot."""
    target = target or backend()
    if target is None:
        return None
    if enabled:
        target.enable(launch_command(config_dir))
    else:
        target.disable()
    return target


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
