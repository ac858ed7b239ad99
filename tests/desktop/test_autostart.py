"""Start at login on Linux, for real: the XDG autostart entry appears in the user's config folder, is a
valid desktop entry, and its Exec line starts the tray (it registers its icon with the panel); turning the
setting off removes it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.packaging.exec_line import read_entry, split_exec
from trayapp.platform import autostart


def sni_owner_pid(dbus_session: Any, item: str) -> int:
    service = item.split("/", 1)[0]
    (pid,) = dbus_session.typed_call(
        "org.freedesktop.DBus",
        "/org/freedesktop/DBus",
        "org.freedesktop.DBus",
        "GetConnectionUnixProcessID",
        "s",
        (service,),
    )
    return int(pid)


def test_autostart_entry_is_written_valid_and_starts_the_tray(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    sni_items: Callable[[], list[str]],
    dbus_session: Any,
    wait_until: Callable[..., Any],
) -> None:
    validate = shutil.which("desktop-file-validate")
    assert validate, "desktop-file-validate is missing: scripts/desktop-session installs desktop-file-utils"
    xdg = tmp_path / "xdg"
    config_dir = tmp_path / "my config"  # a space: the Exec line must quote it
    monkeypatch.setenv("XDG_CONFIG_HOME", str(xdg))
    # As in the tray started by the installed `trayapp` script (pip/pipx put it next to python).
    script = Path(sys.executable).parent / "trayapp"
    monkeypatch.setattr(sys, "argv", [str(script)])

    target = autostart.apply(True, config_dir)  # what the Settings dialog calls on Save
    entry_path = xdg / "autostart" / "credit-tray.desktop"
    assert target is not None and target.location() == str(entry_path)
    assert entry_path.is_file()
    proc = subprocess.run([validate, str(entry_path)], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stdout + proc.stderr

    argv = split_exec(read_entry(entry_path)["Exec"])
    assert argv[0] == str(script) and os.access(argv[0], os.X_OK)
    assert argv[1:] == ["--config-dir", str(config_dir)]

    before = set(sni_items())
    # As a session manager would: the Exec line, in the session's environment, no terminal.
    app = subprocess.Popen(argv, env=dict(os.environ), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        new = wait_until(lambda: set(sni_items()) - before, timeout=30, what="the tray icon to register")
        assert [sni_owner_pid(dbus_session, item) for item in new] == [app.pid]
        log = config_dir / "logs" / "trayapp.log"
        # The icon is shown before the rest of the UI is built; "started" is logged once all of it is up.
        wait_until(lambda: log.exists() and "started (0 accounts)" in log.read_text(), timeout=30,
                   what="the app to log its start")  # fmt: skip

        # A second start of the same entry hands over to the running tray and exits at once.
        second = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        assert second.returncode == 0 and "already running" in second.stderr
    finally:
        app.send_signal(signal.SIGTERM)
        try:
            _out, err = app.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            app.kill()
            _out, err = app.communicate()
    assert app.returncode == 0, err
    wait_until(lambda: not (set(sni_items()) - before), timeout=10, what="the tray icon to go away")

    autostart.apply(False, config_dir)  # the checkbox unticked
    assert not entry_path.exists()
    assert not list((xdg / "autostart").iterdir())
