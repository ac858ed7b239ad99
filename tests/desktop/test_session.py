"""The desktop session itself provides what the desktop tier relies on."""

from __future__ import annotations

import json
import os
import select
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# A minimal Qt tray icon in a subprocess: prints one JSON line once the icon is shown (and, with a tray
# that embeds, once it has a geometry), then idles until terminated.
QT_TRAY = r"""
import json, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

app = QApplication(sys.argv)
pm = QPixmap(22, 22)
pm.fill(QColor("red"))
tray = QSystemTrayIcon(QIcon(pm))
tray.setToolTip("desktop-session check")
tray.show()
deadline = time.monotonic() + 5

def report():
    g = tray.geometry()
    if g.isEmpty() and sys.argv[1] == "embed" and time.monotonic() < deadline:
        QTimer.singleShot(50, report)
        return
    info = {"platform": app.platformName(), "available": QSystemTrayIcon.isSystemTrayAvailable(),
              "visible": tray.isVisible(), "geometry": [g.x(), g.y(), g.width(), g.height()]}
    print(json.dumps(info), flush=True)

QTimer.singleShot(0, report)
app.exec()
"""


@contextmanager
def qt_tray_icon(mode: str) -> Iterator[dict[str, Any]]:
    """Run QT_TRAY ("sni": report at once; "embed": wait for an XEmbed geometry); yield its report."""
    proc = subprocess.Popen(
        [sys.executable, "-c", QT_TRAY, mode], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], 20)
        line = proc.stdout.readline() if ready else ""
        if not line:
            proc.kill()
            raise AssertionError(f"Qt tray subprocess gave no report; stderr: {proc.communicate(timeout=5)[1]}")
        yield json.loads(line)
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", head[16:24])


def test_environment_is_private(desktop_session):
    d = str(desktop_session.dir)
    assert os.environ["DISPLAY"].startswith(":")
    assert d in os.environ["DBUS_SESSION_BUS_ADDRESS"]
    assert os.environ["XDG_RUNTIME_DIR"].startswith(d)
    assert os.environ["QT_QPA_PLATFORM"] == "xcb"
    assert os.environ["DS_KEYRING_PASSWORD"]
    assert os.environ["DS_TRAY"] in {"xfce4-panel", "trayer", "none"}


def test_bus_activates_nothing(dbus_session):
    """Empty service dir: a missing or locked keyring fails fast instead of starting a blocking prompt."""
    (names,) = dbus_session.typed_call(
        "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "ListActivatableNames"
    )
    assert set(names) == {"org.freedesktop.DBus"}


def test_sni_watcher_registered(sni_items, dbus_session):
    assert dbus_session.name_has_owner("org.kde.StatusNotifierWatcher")
    assert dbus_session.get_property(
        "org.kde.StatusNotifierWatcher",
        "/StatusNotifierWatcher",
        "org.kde.StatusNotifierWatcher",
        "IsStatusNotifierHostRegistered",
    )
    assert isinstance(sni_items(), list)


def test_qt_tray_icon_registers_as_sni_item(sni_items, wait_until):
    before = set(sni_items())
    with qt_tray_icon("sni") as report:
        assert report["platform"] == "xcb"
        assert report["available"] is True
        new = wait_until(lambda: set(sni_items()) - before, what="a new SNI item")
        assert any(item.endswith("/StatusNotifierItem") for item in new), new
    wait_until(lambda: not (set(sni_items()) - before), what="the SNI item to go away")


def test_qt_tray_icon_embeds_in_trayer(tray_host, dbus_session):
    tray_host("trayer")
    assert not dbus_session.name_has_owner("org.kde.StatusNotifierWatcher")  # XEmbed only
    with qt_tray_icon("embed") as report:
        assert report["available"] is True
        _x, _y, w, h = report["geometry"]
        assert w > 0 and h > 0, report


def test_no_tray_host(tray_host):
    tray_host("none")
    with qt_tray_icon("sni") as report:
        assert report["available"] is False


def test_notify_send_reaches_dunst_history(dunst, notify_calls, dbus_session):
    assert dbus_session.name_has_owner("org.freedesktop.Notifications")
    subprocess.run(["notify-send", "-a", "ds-test", "Credits low", "Acme: $3.10 left"], check=True, timeout=10)
    history = dunst.collect()
    assert [(n["appname"], n["summary"], n["body"]) for n in history] == [
        ("ds-test", "Credits low", "Acme: $3.10 left")
    ]
    (call,) = notify_calls.wait(1)
    assert (call.app_name, call.summary, call.actions) == ("ds-test", "Credits low", [])
    assert call.hints["urgency"] == 1


def test_dunst_action_is_invoked(dunst, notify_calls, wait_until):
    # notify-send --action waits for the action and prints its key: dunst sends ActionInvoked to the sender
    proc = subprocess.Popen(
        ["notify-send", "-a", "ds-test", "-A", "default=Open", "Click me", "body"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until(lambda: dunst.count("displayed") == 1, what="the bubble")
        assert notify_calls.wait(1)[0].actions == ["default", "Open"]
        started = time.monotonic()
        dunst.action(0)
        out, _ = proc.communicate(timeout=10)
        assert out.strip() == "default"
        assert time.monotonic() - started < 5
    finally:
        proc.kill()
        proc.wait()


def test_secret_service_present(secret_service, dbus_session):
    assert dbus_session.name_has_owner("org.freedesktop.secrets")
    assert secret_service.state == "unlocked"
    assert secret_service.default_collection_locked() is False


def test_screenshot(screenshot):
    path = screenshot("root")
    dims = subprocess.run(["xdpyinfo"], capture_output=True, text=True, check=True, timeout=10).stdout
    width, height = next(line.split()[1] for line in dims.splitlines() if "dimensions:" in line).split("x")
    assert png_size(path) == (int(width), int(height))
