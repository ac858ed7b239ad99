"""The app's own StatusNotifierItem (trayapp/ui/sni.py) on a private D-Bus session bus, read as a panel reads it.

The real panel (xfce4-panel: its watcher, libdbusmenu, the GTK menu it draws) is in the desktop tier; this
checks the protocol in the fast tier: the pixmaps' byte order, the exported menu (labels, disabled entries,
the submenu, one LayoutUpdated per change), a click going to the right QAction, and Status following the
alerts through the tray controller.
"""

from __future__ import annotations

import shutil
from typing import Any

import pytest
from PySide6.QtGui import QColor, QIcon, QImage, QPixmap
from PySide6.QtWidgets import QMenu

from trayapp.core.models import Severity
from trayapp.ui import sni
from trayapp.ui.tray import TrayController

from .test_freedesktop_notifier import FakeNotifications, private_bus  # noqa: F401  (the fixture)
from .test_tray_icon import demo_views

needs_bus = pytest.mark.skipif(shutil.which("dbus-daemon") is None, reason="dbus-daemon is not installed")


def solid_icon(color: str) -> QIcon:
    image = QImage(32, 32, QImage.Format.Format_ARGB32)
    image.fill(QColor(color))
    return QIcon(QPixmap.fromImage(image))


def test_pixmaps_are_argb_in_network_byte_order_at_every_size_a_panel_asks(qapp):
    # The SNI spec: "ARGB32 binary representation of the icon ... in network byte order". A red icon sent in
    # the machine's order (BGRA on x86) shows blue on a panel.
    pixmaps = sni._pixmaps(solid_icon("#ff0000"))
    sides = [w for w, _h, _data in pixmaps]
    assert sides == [16, 22, 24, 32, 48, 64]  # a panel's sizes, 48 and 64 for 2x screens
    for w, h, data in pixmaps:
        assert len(data) == w * h * 4
        assert data[:4] == b"\xff\xff\x00\x00"  # alpha, red, green, blue


def test_labels_keep_their_text_with_dbusmenu_mnemonics():
    assert sni._mnemonic("Add account…") == "Add account…"
    assert sni._mnemonic("R&D && ops") == "R_D & ops"  # Qt's access key becomes dbusmenu's
    assert sni._mnemonic("key_1") == "key__1"  # a literal underscore is not an access key


class Client:
    """A panel's side of the bus: properties, the menu's layout, clicks, and the signals the item sends."""

    def __init__(self, name: str) -> None:
        from jeepney import MatchRule
        from jeepney.bus_messages import message_bus
        from jeepney.io.blocking import open_dbus_connection

        self.name = name
        self.conn = open_dbus_connection(bus="SESSION")
        self.signals: list[tuple[str, tuple[Any, ...]]] = []
        rule = MatchRule(type="signal")
        self.conn.send_and_get_reply(message_bus.AddMatch(rule))

    def call(self, path: str, interface: str, member: str, signature: str | None = None, body: tuple = ()) -> Any:
        from jeepney import DBusAddress, MessageType, new_method_call
        from jeepney.low_level import HeaderFields

        msg = new_method_call(DBusAddress(path, self.name, interface), member, signature, body)
        serial = next(self.conn.outgoing_serial)
        self.conn.send(msg, serial=serial)
        while True:  # signals that come first are kept for the test
            reply = self.conn.receive(timeout=5)
            if reply.header.message_type is MessageType.signal:
                self.signals.append((str(reply.header.fields.get(HeaderFields.member)), tuple(reply.body)))
            elif reply.header.fields.get(HeaderFields.reply_serial) == serial:
                assert reply.header.message_type is MessageType.method_return, reply.body
                return tuple(reply.body)

    def prop(self, name: str) -> Any:
        (variant,) = self.call(sni.ITEM_PATH, sni.PROPERTIES, "Get", "ss", (sni.ITEM_INTERFACE, name))
        return variant[1]

    def layout(self) -> list[tuple[int, dict[str, Any], list[Any]]]:
        _revision, (_id, _props, children) = self.call(
            sni.MENU_PATH, sni.MENU_INTERFACE, "GetLayout", "iias", (0, -1, [])
        )
        return [(c[1][0], {k: v[1] for k, v in c[1][1].items()}, c[1][2]) for c in children]

    def drain(self) -> None:
        """Signals sent so far (a Ping is answered after them: the bus keeps one sender's order)."""
        self.call(sni.ITEM_PATH, "org.freedesktop.DBus.Peer", "Ping")

    def close(self) -> None:
        self.conn.close()


@pytest.fixture
def item(private_bus, qapp):  # noqa: F811
    from jeepney.io.blocking import open_dbus_connection

    made = sni.StatusNotifierItem(open_dbus_connection(bus="SESSION"))
    made.show()  # no watcher on this bus: the name is taken, the registration refused (and logged)
    yield made
    made.close()


@needs_bus
def test_the_menu_is_exported_once_per_change_and_a_click_triggers_its_action(item, qtbot):
    menu = QMenu()
    clicked: list[str] = []
    refresh = menu.addAction("&Refresh now")
    refresh.triggered.connect(lambda: clicked.append("refresh"))
    busy = menu.addAction("Refreshing…")
    busy.setEnabled(False)
    menu.addSeparator()
    sub = QMenu("Snooze notifications")
    sub.addAction("For 1 hour").triggered.connect(lambda: clicked.append("1h"))
    menu.addMenu(sub)
    item.setContextMenu(menu)
    client = Client(item._name)
    try:
        entries = client.layout()
        assert [e[1].get("label") for e in entries] == ["_Refresh now", "Refreshing…", None, "Snooze notifications"]
        assert entries[1][1]["enabled"] is False and entries[2][1]["type"] == "separator"
        assert entries[3][1]["children-display"] == "submenu"
        (hour,) = entries[3][2]
        assert hour[1][1]["label"][1] == "For 1 hour"

        client.drain()
        client.signals.clear()
        for n in range(5):  # five changes in one pass of the event loop
            menu.addAction(f"Account {n}")

        def layout_updates() -> int:
            client.drain()
            return [name for name, _ in client.signals].count("LayoutUpdated")

        qtbot.waitUntil(lambda: layout_updates() >= 1)
        qtbot.wait(50)
        assert layout_updates() == 1
        assert [e[1].get("label") for e in client.layout()][-5:] == [f"Account {n}" for n in range(5)]

        client.call(sni.MENU_PATH, sni.MENU_INTERFACE, "Event", "isvu", (entries[0][0], "clicked", ("i", 0), 0))
        client.call(sni.MENU_PATH, sni.MENU_INTERFACE, "Event", "isvu", (entries[1][0], "clicked", ("i", 0), 0))
        client.call(sni.MENU_PATH, sni.MENU_INTERFACE, "Event", "isvu", (hour[1][0], "clicked", ("i", 0), 0))
        qtbot.waitUntil(lambda: len(clicked) == 2)
        assert clicked == ["refresh", "1h"]  # the disabled entry did nothing
    finally:
        client.close()
        item.setContextMenu(None)


@needs_bus
def test_status_needs_attention_exactly_while_a_critical_alert_is_active(item, qtbot, make_controller):
    views = list(demo_views(qtbot, make_controller).values())
    critical = [v for v in views if any(a.severity is Severity.CRITICAL for a in v.alerts)]
    calm = [v for v in views if all(a.severity is not Severity.CRITICAL for a in v.alerts)]
    assert critical and any(v.alerts for v in calm)  # the demo has both, and warnings among the calm
    tray = TrayController(tray_icon=item)
    client = Client(item._name)
    try:
        tray.set_views(calm)
        assert client.prop("Status") == "Active"  # a warning is not an emergency
        tray.set_views(views)
        assert client.prop("Status") == "NeedsAttention"
        client.drain()
        assert ("NewStatus", ("NeedsAttention",)) in client.signals
        tray.set_views(calm)
        assert client.prop("Status") == "Active"
        assert client.prop("Title") == "Credit Tray"
        assert client.prop("ToolTip")[2] == tray.tooltip()
    finally:
        client.close()
        tray.dispose()


@needs_bus
def test_show_message_is_a_bubble_from_the_notification_service(item):
    """The first start's note goes through the item's showMessage, as with Qt's item: a real Notify, not a log
    line (the notification service is a fake on the private bus; dunst in the desktop tier)."""
    service = FakeNotifications()
    try:
        item.showMessage("More than 20 accounts", "The menu lists the 20 most urgent.")
        assert service.got.wait(5)
        (call,) = service.calls
        assert (call["app"], call["summary"], call["body"]) == (
            "Credit Tray",
            "More than 20 accounts",
            "The menu lists the 20 most urgent.",
        )
        assert call["icon"] == "credit-tray"
    finally:
        service.close()
