"""Notifications that can be clicked to open the account they are about.

Linux: the freedesktop notification service over D-Bus (through jeepney: PySide6's QtDBus cannot
marshal the uint32 that Notify needs), with urgency, a default and a "Details" action, and replaces_id
so an update replaces the bubble instead of stacking. ActionInvoked is sent only to the connection that
sent the notification, so one connection sends and listens.
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

from .. import APP_NAME
from ..core.alerts import kind_of
from ..core.models import Alert, Severity
from .i18n import shown

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    summary: str
    body: str
    critical: bool
    account_id: str  # what a click opens
    group: bool  # several accounts in one bubble


def compose(alerts: Sequence[Alert], labels: dict[str, str]) -> Message | None:
    """One message for a burst: a single account's alert as is, several accounts grouped."""
    if not alerts:
        return None
    ordered = sorted(alerts, key=lambda a: (a.severity is not Severity.CRITICAL, not _urgent(a)))
    critical = any(_urgent(a) or a.severity is Severity.CRITICAL for a in alerts)
    accounts = list(dict.fromkeys(a.account_id for a in ordered))
    first = ordered[0]
    if len(accounts) == 1:
        label = labels.get(first.account_id, first.account_id)
        summary = f"{label}: {_headline(first)}"
        body = "\n".join(a.message for a in ordered)
    else:
        summary = QCoreApplication.translate("Notifier", "{n} accounts need attention").format(n=len(accounts))
        body = "\n".join(a.message for a in ordered[:6])
        if len(ordered) > 6:
            body += "\n" + QCoreApplication.translate("Notifier", "…and {n} more").format(n=len(ordered) - 6)
    return Message(summary, body, critical, first.account_id, len(accounts) > 1)


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

    def __init__(self, tray: QSystemTrayIcon) -> None:
        super().__init__()
        self._last_account = ""
        self.use_tray(tray)

    def use_tray(self, tray: QSystemTrayIcon) -> None:
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

    def __init__(self, app_icon: str = "") -> None:
        super().__init__()
        from jeepney import DBusAddress, MatchRule
        from jeepney.bus_messages import message_bus
        from jeepney.io.threading import DBusRouter, open_dbus_connection

        self._address = DBusAddress(
            "/org/freedesktop/Notifications", "org.freedesktop.Notifications", "org.freedesktop.Notifications"
        )
        self._app_icon = app_icon
        self._conn = open_dbus_connection(bus="SESSION")
        self._router = DBusRouter(self._conn)
        self._ids: dict[int, str] = {}  # server id -> account id
        self._replace: dict[str, int] = {}  # account id or "*group*" -> server id to replace
        self._lock = threading.Lock()
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
        hints = {"urgency": ("y", 2 if message.critical else 1), "desktop-entry": ("s", "credit-tray")}
        msg = new_method_call(
            self._address,
            "Notify",
            "susssasa{sv}i",
            (
                APP_NAME,
                replaces,
                self._app_icon,
                message.summary,
                message.body,
                [
                    "default",
                    QCoreApplication.translate("Notifier", "Open details"),
                    "details",
                    QCoreApplication.translate("Notifier", "Details"),
                ],
                hints,
                -1,
            ),
        )

        def send() -> None:
            try:
                reply = self._router.send_and_get_reply(msg, timeout=5)
                server_id = int(reply.body[0])
            except Exception as exc:  # the bubble is lost, the tray badge still shows the alert
                log.warning("notification not delivered: %s", type(exc).__name__)
                return
            with self._lock:
                self._ids[server_id] = message.account_id
                self._replace[key] = server_id
            self.delivered.emit(server_id)

        threading.Thread(target=send, name="notify", daemon=True).start()

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
        self._router.close()  # stops the receiver thread first: it iterates the filters
        for f in self._filters:
            f.close()
        self._filters.clear()
        self._conn.close()


def make_notifier(tray: QSystemTrayIcon, *, prefer_dbus: bool = True) -> TrayMessageNotifier | FreedesktopNotifier:
    """The freedesktop notifier where a notification service answers; Qt's balloon otherwise."""
    import sys

    if prefer_dbus and sys.platform.startswith("linux"):
        try:
            return FreedesktopNotifier()
        except Exception as exc:  # no session bus, no service: the balloon still works
            log.info("no freedesktop notification service (%s); using the tray balloon", type(exc).__name__)
    return TrayMessageNotifier(tray)
