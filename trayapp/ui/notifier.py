"""Notifications that can be clicked to open the account they are about.

Linux: the freedesktop notification service over D-Bus (through jeepney: PySide6's QtDBus cannot
marshal the uint32 that Notify needs), with urgency, the app's icon (its name and the picture itself, the
image-data hint), one default action, and replaces_id so an update replaces the bubble instead of
stacking. ActionInvoked is sent only to the connection that sent the notification, so one connection sends
and listens.
Elsewhere (or with no notification service): QSystemTrayIcon.showMessage and messageClicked.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QSystemTrayIcon

from .. import APP_ID, APP_NAME
from ..core.alerts import kind_of
from ..core.models import Alert, Severity
from ..core.monitor import AccountView, by_urgency
from .i18n import shown
from .sni import TrayIcon
from .tray import account_summary

log = logging.getLogger(__name__)

CLOSE_WAIT = 1.0  # seconds a notification being sent may take to finish when the notifier closes (quit)


@dataclass(frozen=True)
class Message:
    summary: str
    body: str
    critical: bool
    account_id: str  # what a click opens: "" for the glance (a bubble about several accounts)
    group: bool  # several accounts in one bubble


def compose(alerts: Sequence[Alert], views: Sequence[AccountView], *, first_line: str | None = None) -> Message | None:
    """One message for a poll: a single account's alerts as sentences; several accounts as one line each,
    most urgent first (core ordering), none left out. Critical when the worst item is. `first_line`: a state
    of the app said first (the keyring is locked)."""
    if not alerts:
        return None
    critical = any(_urgent(a) or a.severity is Severity.CRITICAL for a in alerts)
    flagged = {a.account_id for a in alerts}
    ordered = [v for v in by_urgency(views) if v.account.id in flagged]
    known = {v.account.id for v in ordered}
    strays = list(dict.fromkeys(a.account_id for a in alerts if a.account_id not in known))  # removed meanwhile
    if len(ordered) + len(strays) == 1:
        view = ordered[0] if ordered else None
        mine = sorted(alerts, key=lambda a: (a.severity is not Severity.CRITICAL, not _urgent(a)))
        label = view.account.label if view else mine[0].account_id
        summary = f"{label}: {_headline(mine[0])}"
        lines = [a.message for a in mine]
        account_id, group = mine[0].account_id, False
    else:
        n = len(ordered) + len(strays)
        summary = QCoreApplication.translate("Notifier", "{n} accounts need attention").format(n=n)
        lines = [account_summary(v) for v in ordered]
        lines += [a.message for a in alerts if a.account_id in strays]
        account_id, group = "", True
    if first_line:
        lines.insert(0, first_line)
    return Message(summary, "\n".join(lines), critical, account_id, group)


def _urgent(alert: Alert) -> bool:
    kind = kind_of(alert.code)
    return kind is not None and kind.urgent


def _headline(alert: Alert) -> str:
    kind = kind_of(alert.code)
    return shown(kind.headline) if kind else alert.code


class Notifier(Protocol):
    clicked: Any  # Signal(str): the account id to open

    def show(self, message: Message) -> None: ...
    def close(self) -> None: ...


class TrayMessageNotifier(QObject):
    """Qt's own balloon (macOS, Windows, XEmbed trays). A click opens the last message's account."""

    clicked = Signal(str)

    def __init__(self, tray: TrayIcon) -> None:
        super().__init__()
        self._last_account = ""
        self.use_tray(tray)

    def use_tray(self, tray: TrayIcon) -> None:
        """Show balloons on this icon from now on (the tray controller re-creates its icon late)."""
        self._tray = tray
        tray.messageClicked.connect(lambda: self.clicked.emit(self._last_account))

    def show(self, message: Message) -> None:
        self._last_account = message.account_id
        icon = QSystemTrayIcon.MessageIcon.Critical if message.critical else QSystemTrayIcon.MessageIcon.Warning
        self._tray.showMessage(message.summary, message.body, icon, 0)

    def close(self) -> None:
        pass


class _SignalQueue:
    """What jeepney's router puts matched signals into; hands them to Qt (queued to the GUI thread)."""

    def __init__(self, owner: FreedesktopNotifier) -> None:
        self._owner = owner

    def put_nowait(self, msg: Any) -> None:
        from jeepney.low_level import HeaderFields

        self._owner._incoming.emit(msg.header.fields.get(HeaderFields.member), tuple(msg.body))


class FreedesktopNotifier(QObject):
    clicked = Signal(str)
    delivered = Signal(int)  # the server's id, once Notify answered
    _incoming = Signal(object, object)

    def __init__(self, app_icon: str = APP_ID) -> None:
        super().__init__()
        from jeepney import DBusAddress, MatchRule
        from jeepney.bus_messages import message_bus
        from jeepney.io.threading import DBusRouter, open_dbus_connection

        self._address = DBusAddress(
            "/org/freedesktop/Notifications", "org.freedesktop.Notifications", "org.freedesktop.Notifications"
        )
        self._app_icon = app_icon
        self._image_data: tuple[int, int, int, bool, int, int, bytes] | None = None
        self._conn = open_dbus_connection(bus="SESSION")
        self._router = DBusRouter(self._conn)
        self._ids: dict[int, str] = {}  # server id -> account id
        self._replace: dict[str, int] = {}  # account id or "*group*" -> server id to replace
        self._lock = threading.Lock()
        self._sending: set[threading.Thread] = set()  # Notify calls waiting for their answer
        self._incoming.connect(self._on_signal)
        self._filters: list[Any] = []
        try:
            from jeepney import new_method_call
            from jeepney.wrappers import unwrap_msg

            for member in ("ActionInvoked", "NotificationClosed"):
                rule = MatchRule(
                    type="signal", interface=self._address.interface, member=member, path=self._address.object_path
                )
                unwrap_msg(self._router.send_and_get_reply(message_bus.AddMatch(rule), timeout=2))
                self._filters.append(self._router.filter(rule, queue=_SignalQueue(self)))
            # Fail now (and fall back to the tray balloon) if nobody serves notifications.
            reply = self._router.send_and_get_reply(new_method_call(self._address, "GetServerInformation"), timeout=2)
            self.server = tuple(unwrap_msg(reply))
        except BaseException:
            self.close()
            raise

    def show(self, message: Message) -> None:
        from jeepney import new_method_call

        key = "*group*" if message.group else message.account_id
        with self._lock:
            replaces = self._replace.get(key, 0)
        hints: dict[str, tuple[str, Any]] = {
            "urgency": ("y", 2 if message.critical else 1),
            "desktop-entry": ("s", APP_ID),
            "image-data": ("(iiibiiay)", self._image()),
        }
        # One action, the default (a click on the bubble): the account it is about, or the glance.
        if message.group:
            action = QCoreApplication.translate("Notifier", "Show accounts")
        else:
            action = QCoreApplication.translate("Notifier", "Open details")
        msg = new_method_call(
            self._address,
            "Notify",
            "susssasa{sv}i",
            (APP_NAME, replaces, self._app_icon, message.summary, message.body, ["default", action], hints, -1),
        )

        def send() -> None:
            try:
                reply = self._router.send_and_get_reply(msg, timeout=5)
                server_id = int(reply.body[0])
            except Exception as exc:  # the bubble is lost, the tray badge still shows the alert
                log.warning("notification not delivered: %s", type(exc).__name__)
                return
            finally:
                with self._lock:
                    self._sending.discard(threading.current_thread())
            with self._lock:
                self._ids[server_id] = message.account_id
                self._replace[key] = server_id
            self.delivered.emit(server_id)

        thread = threading.Thread(target=send, name="notify", daemon=True)
        with self._lock:
            self._sending.add(thread)
        thread.start()

    def _image(self) -> tuple[int, int, int, bool, int, int, bytes]:
        """The app icon as the spec's image-data (width, height, rowstride, alpha, bits, channels, RGBA
        bytes): shown where the icon theme has no "credit-tray" (an app run from a checkout or a venv)."""
        if self._image_data is None:
            from PySide6.QtGui import QImage

            from .icon import APP_ICON, render_image

            image = render_image(APP_ICON, 48).convertToFormat(QImage.Format.Format_RGBA8888)
            data = bytes(image.constBits())[: image.bytesPerLine() * image.height()]
            self._image_data = (image.width(), image.height(), image.bytesPerLine(), True, 8, 4, data)
        return self._image_data

    def _on_signal(self, member: str, body: tuple[Any, ...]) -> None:
        if member == "ActionInvoked" and len(body) == 2:
            server_id, _action = int(body[0]), str(body[1])
            with self._lock:
                account = self._ids.get(server_id)
            if account is not None:
                self.clicked.emit(account)
        elif member == "NotificationClosed" and body:
            with self._lock:
                closed = int(body[0])
                self._replace = {k: v for k, v in self._replace.items() if v != closed}

    def close(self) -> None:
        # A Notify whose answer came but whose sender has not yet taken it is still among the router's pending
        # replies, which closing fails (jeepney's drop_all on a finished future: a traceback at quit): those
        # senders end first, within a moment.
        with self._lock:
            sending = list(self._sending)
        for thread in sending:
            thread.join(CLOSE_WAIT)
        self._router.close()  # stops the receiver thread first: it iterates the filters
        for f in self._filters:
            f.close()
        self._filters.clear()
        self._conn.close()


def make_notifier(tray: TrayIcon, *, prefer_dbus: bool = True) -> TrayMessageNotifier | FreedesktopNotifier:
    """The freedesktop notifier where a notification service answers; Qt's balloon otherwise."""
    import sys

    if prefer_dbus and sys.platform.startswith("linux"):
        try:
            return FreedesktopNotifier()
        except Exception as exc:  # no session bus, no service: the balloon still works
            log.info("no freedesktop notification service (%s); using the tray balloon", type(exc).__name__)
    return TrayMessageNotifier(tray)
