"""Start at login: what each OS backend would write, checked on any OS; the setting and its wiring.

Linux is also tested for real in the desktop tier (tests/desktop/test_autostart.py).
"""

from __future__ import annotations

import json
import plistlib
import subprocess
import sys
from pathlib import Path

import pytest

from trayapp.core import codec
from trayapp.core.models import Settings
from trayapp.platform import autostart, firstrun
from trayapp.platform.autostart import APP_RDNN, LaunchAgent, RunKey, XdgAutostart

from .exec_line import read_entry, split_exec

# ---------------------------------------------------------------- the command


def test_frozen_bundle_starts_itself(tmp_path: Path) -> None:
    cmd = autostart.launch_command(None, frozen=True, executable="/opt/credit-tray/trayapp", argv0="x")
    assert cmd == ["/opt/credit-tray/trayapp"]


def test_installed_script_is_kept_unresolved_and_config_dir_is_absolute(tmp_path: Path, monkeypatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "trayapp"
    script.write_text("#!/bin/sh\n")
    monkeypatch.chdir(tmp_path)
    cmd = autostart.launch_command(Path("my cfg"), frozen=False, argv0=str(script), platform="linux")
    assert cmd == [str(script), "--config-dir", str(tmp_path / "my cfg")]


def test_default_config_dir_is_not_repeated(tmp_path: Path) -> None:
    import platformdirs

    default = Path(platformdirs.user_config_dir("credit-tray", appauthor=False))
    cmd = autostart.launch_command(default, frozen=True, executable="/x/trayapp")
    assert cmd == ["/x/trayapp"]


def test_without_a_script_it_runs_the_module_with_this_python(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no trayapp on PATH
    cmd = autostart.launch_command(None, frozen=False, executable="/usr/bin/python3", argv0="-c", platform="linux")
    assert cmd == ["/usr/bin/python3", "-m", "trayapp"]


def test_started_as_a_module_it_restarts_as_the_same_module(tmp_path: Path, monkeypatch) -> None:
    other = tmp_path / "trayapp"  # another installation on PATH must not be the one started at login
    other.write_text("#!/bin/sh\n")
    other.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    argv0 = "/venv/lib/python3.11/site-packages/trayapp/__main__.py"
    cmd = autostart.launch_command(None, frozen=False, executable="/venv/bin/python", argv0=argv0, platform="linux")
    assert cmd == ["/venv/bin/python", "-m", "trayapp"]


def test_windows_prefers_pythonw_so_no_console_opens(tmp_path: Path) -> None:
    (tmp_path / "python.exe").write_text("")
    (tmp_path / "pythonw.exe").write_text("")
    cmd = autostart.launch_command(
        None, frozen=False, executable=str(tmp_path / "python.exe"), argv0="x", platform="win32"
    )
    assert cmd == [str(tmp_path / "pythonw.exe"), "-m", "trayapp"]


# ---------------------------------------------------------------- Linux (XDG autostart)


@pytest.mark.parametrize(
    "command",
    [
        ["/usr/bin/trayapp"],
        ["/home/a b/.local/bin/trayapp", "--config-dir", '/home/a b/100% $HOME `x` "q" back\\slash'],
    ],
)
def test_xdg_entry_round_trips_the_command(tmp_path: Path, command: list[str]) -> None:
    target = XdgAutostart(tmp_path / "xdg")
    target.enable(command)
    assert target.path == tmp_path / "xdg" / "autostart" / "credit-tray.desktop"
    entry = read_entry(target.path)
    assert entry["Type"] == "Application" and entry["Name"] == "Credit Tray"
    assert entry["Icon"] == APP_RDNN and entry["Terminal"] == "false"
    assert split_exec(entry["Exec"]) == command
    assert target.is_enabled()


def test_xdg_disable_removes_only_our_entry(tmp_path: Path) -> None:
    target = XdgAutostart(tmp_path)
    other = tmp_path / "autostart" / "other.desktop"
    target.enable(["/usr/bin/trayapp"])
    other.write_text("[Desktop Entry]\n")
    target.disable()
    target.disable()  # idempotent
    assert not target.path.exists() and other.exists()
    assert not target.is_enabled()


def test_xdg_config_home_follows_the_spec(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert autostart.xdg_config_home({"XDG_CONFIG_HOME": "/x/y"}) == Path("/x/y")
    assert autostart.xdg_config_home({"XDG_CONFIG_HOME": "relative"}) == tmp_path / ".config"
    assert autostart.xdg_config_home({}) == tmp_path / ".config"


# ---------------------------------------------------------------- macOS (LaunchAgent)


def test_launch_agent_runs_at_load_with_the_command(tmp_path: Path) -> None:
    target = LaunchAgent(tmp_path / "Library" / "LaunchAgents")
    command = ["/Applications/Credit Tray.app/Contents/MacOS/trayapp", "--config-dir", "/Users/a/cfg"]
    target.enable(command)
    assert target.path.name == f"{APP_RDNN}.plist"
    plist = plistlib.loads(target.path.read_bytes())
    assert plist["Label"] == APP_RDNN
    assert plist["ProgramArguments"] == command
    assert plist["RunAtLoad"] is True
    target.disable()
    assert not target.path.exists() and not target.is_enabled()


def test_backend_per_platform(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    mac = autostart.backend("darwin")
    assert isinstance(mac, LaunchAgent) and mac.agents_dir == tmp_path / "Library" / "LaunchAgents"
    linux = autostart.backend("linux")
    assert isinstance(linux, XdgAutostart) and linux.config_home == tmp_path / "xdg"
    if sys.platform != "win32":
        assert autostart.backend("win32") is None  # no registry to write here


# ---------------------------------------------------------------- Windows (Run key)


class FakeRunKey:
    def __init__(self) -> None:
        self.values: dict[str, str] = {"OneDrive": '"C:\\OneDrive.exe" /background'}

    def set(self, name: str, value: str) -> None:
        self.values[name] = value

    def delete(self, name: str) -> None:
        self.values.pop(name, None)

    def get(self, name: str) -> str | None:
        return self.values.get(name)


def test_run_key_value_is_one_command_line_windows_can_split() -> None:
    writer = FakeRunKey()
    target = RunKey(writer)
    command = [r"C:\Program Files\Credit Tray\trayapp.exe", "--config-dir", r"C:\Users\A B\cfg"]
    target.enable(command)
    value = writer.values["Credit Tray"]
    assert value == r'"C:\Program Files\Credit Tray\trayapp.exe" --config-dir "C:\Users\A B\cfg"'
    assert target.is_enabled()
    assert "CurrentVersion\\Run" in target.location()
    target.disable()
    target.disable()
    assert writer.values == {"OneDrive": '"C:\\OneDrive.exe" /background'}


def test_run_key_round_trips_through_windows_argument_rules() -> None:
    # list2cmdline is the inverse of the MS C runtime's argv parsing; check quotes and backslashes.
    command = ["C:\\a b\\trayapp.exe", "--config-dir", 'C:\\dir with "quote"\\', "x\\\\y"]
    value = autostart.run_key_value(command)
    assert value == subprocess.list2cmdline(command)
    assert '\\"quote\\"' in value and value.endswith("x\\\\y")


# ---------------------------------------------------------------- applying the setting


def test_apply_enables_and_disables_through_the_backend(tmp_path: Path) -> None:
    target = XdgAutostart(tmp_path)
    autostart.apply(True, tmp_path / "cfg", target=target)
    assert "--config-dir" in split_exec(read_entry(target.path)["Exec"])
    autostart.apply(False, tmp_path / "cfg", target=target)
    assert not target.path.exists()


# ---------------------------------------------------------------- the setting itself


def test_start_at_login_is_off_by_default_and_round_trips() -> None:
    assert Settings().start_at_login is False
    assert codec.settings_in({}).start_at_login is False  # configs written before the setting existed
    on = codec.settings_in(codec.settings_out(Settings(start_at_login=True)))
    assert on.start_at_login is True
    with pytest.raises(ValueError, match="start_at_login"):
        codec.settings_in({"start_at_login": "yes"})


def test_settings_checkbox_writes_and_removes_the_entry(qtbot, tmp_path: Path, monkeypatch) -> None:
    from trayapp.service import open_service
    from trayapp.ui.controller import AppController
    from trayapp.ui.details import DetailsWindow
    from trayapp.ui.dialogs import SettingsDialog
    from trayapp.ui.notifier import TrayMessageNotifier
    from trayapp.ui.poller import Poller
    from trayapp.ui.tray import TrayController

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(sys, "platform", "linux")
    entry = tmp_path / "xdg" / "autostart" / "credit-tray.desktop"
    core = open_service(str(tmp_path / "cfg"))
    tray = TrayController()
    details = DetailsWindow()
    qtbot.addWidget(details)
    c = AppController(core, Poller(core.secrets, core.state.identity_salt, in_process=True), tray, details,
                      TrayMessageNotifier(tray.tray))  # fmt: skip
    try:

        def save(checked: bool) -> None:
            c.open_settings()
            dialog = next(d for d in c._dialogs if isinstance(d, SettingsDialog))
            dialog.start_at_login.setChecked(checked)
            dialog.accept()

        c.open_settings()
        dialog = next(d for d in c._dialogs if isinstance(d, SettingsDialog))
        assert dialog.start_at_login.text() == "Start at login" and not dialog.start_at_login.isChecked()
        dialog.reject()
        assert not entry.exists()

        save(True)
        assert json.loads((tmp_path / "cfg" / "config.json").read_text())["settings"]["start_at_login"] is True
        assert split_exec(read_entry(entry)["Exec"])[-2:] == ["--config-dir", str(tmp_path / "cfg")]

        save(False)
        assert json.loads((tmp_path / "cfg" / "config.json").read_text())["settings"]["start_at_login"] is False
        assert not entry.exists()
    finally:
        c.stop()
        details.close()


# ---------------------------------------------------------------- the Windows first-run note


def test_overflow_note_is_shown_once_and_only_on_windows(tmp_path: Path) -> None:
    marker = tmp_path / "cfg" / firstrun.MARKER
    assert not firstrun.overflow_note_due(marker, "linux")
    assert not firstrun.overflow_note_due(marker, "darwin")
    assert firstrun.overflow_note_due(marker, "win32")
    firstrun.mark_overflow_note_shown(marker)
    assert not firstrun.overflow_note_due(marker, "win32")
    assert "^" in firstrun.OVERFLOW_NOTE
