"""The freedesktop notifier against a fake notification service on a private D-Bus session bus.

The real daemon (dunst) is exercised in the desktop tier; this checks the protocol in the fast tier:
the typed Notify call (uint32 replaces_id, actions, urgency), replacing instead of stacking, and a click
(ActionInvoked, sent only to the connection that sent the notification) opening the right account.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.skipif(shutil.which("dbus-daemon") is None, reason="dbus-daemon is not installed")

CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:dir={dir}</listen><auth>EXTERNAL</auth>
<servicedir>{dir}/services</servicedir>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/>
<allow own="*"/></policy></busconfig>
"""


@pytest.fixture
def private_bus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    (tmp_path / "services").mkdir()
    conf = tmp_path / "session.conf"
    conf.write_text(CONFIG.format(dir=tmp_path))
    proc = subprocess.Popen(
        ["dbus-daemon", f"--config-file={conf}", "--nofork", "--print-address=1"], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    address = proc.stdout.readline().strip()
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
    yield address
    proc.terminate()
    proc.wait(5)


class FakeNotifications:
    """Owns org.freedesktop.Notifications; records Notify; can 'click' like a daemon does."""

    def __init__(self) -> None:
        from jeepney.bus_messages import message_bus
        from jeepney.io.blocking import open_dbus_connection

        self.calls: list[dict[str, Any]] = []
        self.senders: dict[int, str] = {}
        self.got = threading.Event()
        self.conn = open_dbus_connection(bus="SESSION")
        reply = self.conn.send_and_get_reply(message_bus.RequestName("org.freedesktop.Notifications"))
        assert reply.body[0] == 1
        self.next_id = 41
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        from jeepney import new_method_return
        from jeepney.low_level import HeaderFields

        while True:
            try:
                msg = self.conn.receive()
            except Exception:
                return
            member = msg.header.fields.get(HeaderFields.member)
            if member == "Notify":
                app, replaces, icon, summary, body, actions, hints, _timeout = msg.body
                nid = replaces or self.next_id
                self.next_id += 1
                self.senders[nid] = msg.header.fields[HeaderFields.sender]
                self.calls.append(
                    {
                        "app": app,
                        "replaces": replaces,
                        "summary": summary,
                        "body": body,
                        "actions": list(actions),
                        "urgency": hints["urgency"][1],
                        "icon": icon,
                        "image": hints.get("image-data", (None, None))[1],
                        "id": nid,
                    }
                )
                self.conn.send(new_method_return(msg, "u", (nid,)))
                self.got.set()
            elif member == "GetServerInformation":
                self.conn.send(new_method_return(msg, "ssss", ("fake", "test", "1", "1.2")))

    def click(self, nid: int, action: str = "default") -> None:
        from jeepney import DBusAddress, new_signal

        signal = new_signal(
            DBusAddress("/org/freedesktop/Notifications", interface="org.freedesktop.Notifications"),
            "ActionInvoked",
            "us",
            (nid, action),
        )
        self.conn.send(signal)  # a broadcast; real daemons unicast it to the sender

    def close(self) -> None:
        self.conn.close()


def test_notify_is_typed_replaces_and_a_click_opens_the_account(qtbot, private_bus: str) -> None:
    from trayapp.ui.notifier import FreedesktopNotifier, Message

    fake = FakeNotifications()
    notifier = FreedesktopNotifier()
    try:
        with qtbot.waitSignal(notifier.delivered, timeout=5000):
            notifier.show(
                Message("Moonshot: no credit left", "Moonshot: no credit left (0.00 CNY).", True, "moonshot-1", False)
            )
        first = fake.calls[-1]
        assert first["app"] == "Credit Tray" and first["replaces"] == 0
        assert first["summary"] == "Moonshot: no credit left"
        assert first["actions"] == ["default", "Open details"], "one action: the default, a click on the bubble"
        assert first["urgency"] == 2
        # The app's icon: by name (an installed theme has it) and as pixels (the image-data hint, for a run
        # from a checkout): width, height, rowstride, alpha, 8 bits, 4 channels, the RGBA bytes.
        assert first["icon"] == "credit-tray"
        width, height, stride, alpha, bits, channels, data = first["image"]
        assert (width, height, alpha, bits, channels) == (48, 48, True, 8, 4)
        assert len(data) == stride * height and any(data[3::4]), "a picture, not a transparent square"

        with qtbot.waitSignal(notifier.delivered, timeout=5000):
            notifier.show(Message("Moonshot: credit is low", "…", False, "moonshot-1", False))
        second = fake.calls[-1]
        assert second["replaces"] == first["id"], "an update replaces the bubble instead of stacking"
        assert second["urgency"] == 1

        with qtbot.waitSignal(notifier.clicked, timeout=5000) as clicked:
            fake.click(first["id"])
        assert clicked.args == ["moonshot-1"]

        # A bubble about several accounts opens the glance: it carries no account.
        with qtbot.waitSignal(notifier.delivered, timeout=5000) as group:
            notifier.show(Message("2 accounts need attention", "A: $0.00\nB: $1.00", True, "", True))
        assert fake.calls[-1]["actions"] == ["default", "Show accounts"]
        with qtbot.waitSignal(notifier.clicked, timeout=5000) as clicked:
            fake.click(group.args[0])
        assert clicked.args == [""]
    finally:
        notifier.close()
        fake.close()


def test_without_a_notification_service_the_tray_balloon_is_used(qtbot, private_bus: str) -> None:
    from PySide6.QtWidgets import QSystemTrayIcon

    from trayapp.ui.notifier import TrayMessageNotifier, make_notifier

    tray = QSystemTrayIcon()
    notifier = make_notifier(tray)
    assert isinstance(notifier, TrayMessageNotifier)
    assert os.environ["DBUS_SESSION_BUS_ADDRESS"] == private_bus
