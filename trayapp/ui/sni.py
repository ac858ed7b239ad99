"""The tray item on Linux panels, served by the app itself: a StatusNotifierItem and its DBusMenu over D-Bus
(through jeepney, as the notifier), in place of Qt's.

Qt's own item (QDBusTrayIcon) says NeedsAttention only while it shows a balloon of its own, and has no API for
it: KDE's and others' panels highlight an item that needs attention, which is what a critical alert is. Serving
the item also exports the menu once per change (Qt re-exported it entry by entry: 30 LayoutUpdated at start).

Threads: one thread receives on the item's D-Bus connection and answers the panel from a snapshot of the
icon, tooltip and menu that the GUI thread replaces whole; clicks go back to the GUI thread as Qt signals.
Elsewhere (no StatusNotifierWatcher on the bus, XEmbed trays, macOS, Windows) QSystemTrayIcon serves.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
import time
from array import array
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QPoint, QRect, QSize, QTimer, Signal
from PySide6.QtGui import QAction, QIcon, QImage
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from .. import APP_ID, APP_NAME

if TYPE_CHECKING:
    from jeepney import Message
    from jeepney.io.blocking import DBusConnection
    from PySide6.QtCore import QEvent

log = logging.getLogger(__name__)

WATCHER = "org.kde.StatusNotifierWatcher"
ITEM_INTERFACE = "org.kde.StatusNotifierItem"
ITEM_PATH = "/StatusNotifierItem"
MENU_INTERFACE = "com.canonical.dbusmenu"
MENU_PATH = "/MenuBar"
PROPERTIES = "org.freedesktop.DBus.Properties"
PIXMAP_SIZES = (16, 22, 24, 32, 48, 64)  # what panels draw (48 and 64 for 2x screens): a host scales the nearest
ANNOUNCE_GAP_S = 0.25  # between two announcements to the panel: each makes it read the item again
_ID_PROPERTY = "_dbusmenu_id"  # the entry's id in the exported menu, kept on the QAction
_instances = 0

Props = dict[str, tuple[str, Any]]  # a dbusmenu entry's properties, as D-Bus variants


def make_tray_icon(icon: QIcon, parent: QObject | None = None, *, item: StatusNotifierItem | None = None) -> TrayIcon:
    """The app's own StatusNotifierItem (`item`, or one opened now) where a panel hosts them; Qt's icon
    elsewhere."""
    item = item or open_item(parent)
    if item is None:
        return QSystemTrayIcon(icon, parent)
    item.setParent(parent)
    item.setIcon(icon)
    return item


def open_item(parent: QObject | None = None) -> StatusNotifierItem | None:
    """An item of our own on the session bus, not shown yet: on Linux, where a StatusNotifierWatcher (a panel
    that hosts StatusNotifierItems) is up; None elsewhere, or with TRAYAPP_QT_TRAY=1 (Qt's icon then)."""
    if not sys.platform.startswith("linux") or os.environ.get("TRAYAPP_QT_TRAY") == "1":
        return None
    try:
        return StatusNotifierItem.open(parent)
    except Exception as exc:  # no session bus, or the bus refused us: Qt decides (XEmbed, or nothing)
        log.info("no StatusNotifierItem of our own (%s: %s); Qt's tray icon serves", type(exc).__name__, exc)
        return None


class StatusNotifierItem(QObject):
    """The parts of QSystemTrayIcon the tray uses, served as a StatusNotifierItem, plus its Status."""

    activated = Signal(QSystemTrayIcon.ActivationReason)
    messageClicked = Signal()  # never emitted: showMessage's bubble offers no action (as Qt's, but a Critical one)
    _incoming = Signal(str, object)  # (what, arguments), from the receiving thread

    @classmethod
    def open(cls, parent: QObject | None = None) -> StatusNotifierItem | None:
        """An item on the session bus, not shown yet; None when no panel hosts StatusNotifierItems."""
        # The blocking connection, not jeepney's threaded one: its imports (concurrent.futures, queue) cost
        # ~6 ms before the icon shows, and one thread receives here anyway.
        from jeepney.bus_messages import message_bus
        from jeepney.io.blocking import open_dbus_connection

        conn = open_dbus_connection(bus="SESSION")
        try:
            reply = conn.send_and_get_reply(message_bus.NameHasOwner(WATCHER), timeout=5)
            if not reply.body[0]:
                conn.close()
                return None
        except BaseException:
            conn.close()
            raise
        return cls(conn, parent)

    def __init__(self, conn: DBusConnection, parent: QObject | None = None) -> None:
        super().__init__(parent)
        global _instances
        _instances += 1
        self._conn = conn
        self._send_lock = threading.Lock()  # the GUI thread and the receiving thread both send
        self._name = f"org.kde.StatusNotifierItem-{os.getpid()}-{_instances}"
        self._lock = threading.Lock()
        self._icon = QIcon()
        self._pixmaps: list[tuple[int, int, bytes]] = []
        self._tooltip = ""
        self._status = "Active"
        self._visible = False
        self._menu: QMenu | None = None
        self._watched: list[QMenu] = []
        self._revision = 1
        self._entries: dict[int, tuple[Props, list[int]]] = {0: ({"children-display": ("s", "submenu")}, [])}
        self._actions: dict[int, QAction] = {}  # GUI thread only
        self._menu_changes: tuple[Any, ...] = ()  # the QEvent types that change the exported menu
        self._next_id = 1
        self._pending_register: int | None = None
        # What changed since the panel was last told (icon, tooltip, menu): told at once, then at most every
        # ANNOUNCE_GAP_S. A poll of 500 accounts changes the tooltip and menu with every burst of results, and
        # each announcement has the panel read the item again, answered in Python on this process's GIL.
        self._pending: set[str] = set()
        self._announced_at = -ANNOUNCE_GAP_S
        self._announce_timer = QTimer(self)
        self._announce_timer.setSingleShot(True)
        self._announce_timer.timeout.connect(self._announce_now)
        self._menu_timer = QTimer(self)
        self._menu_timer.setSingleShot(True)
        self._menu_timer.setInterval(0)  # one snapshot for the changes of one pass of the event loop
        self._menu_timer.timeout.connect(self._export_menu)
        self._incoming.connect(self._on_incoming)
        from jeepney import MatchRule
        from jeepney.bus_messages import message_bus

        watcher_moves = MatchRule(
            type="signal", sender="org.freedesktop.DBus", interface="org.freedesktop.DBus", member="NameOwnerChanged"
        )
        watcher_moves.add_arg_condition(0, WATCHER)
        self._send(message_bus.AddMatch(watcher_moves))
        self._thread = threading.Thread(target=self._receive, name="status-notifier-item", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------ QSystemTrayIcon's interface

    def setIcon(self, icon: QIcon) -> None:
        self._icon = QIcon(icon)
        pixmaps = _pixmaps(icon)
        with self._lock:
            self._pixmaps = pixmaps
        self._announce("icon")

    def icon(self) -> QIcon:
        return QIcon(self._icon)

    def setToolTip(self, text: str) -> None:
        with self._lock:
            self._tooltip = text
        self._announce("tooltip")

    def toolTip(self) -> str:
        return self._tooltip

    def setContextMenu(self, menu: QMenu | None) -> None:
        for watched in self._watched:
            watched.removeEventFilter(self)
        self._watched = []
        self._menu = menu
        self._export_menu()

    def contextMenu(self) -> QMenu | None:
        return self._menu

    def show(self) -> None:
        if self._visible:
            return
        from jeepney.bus_messages import message_bus

        self._visible = True
        self._send(message_bus.RequestName(self._name, 4))  # DO_NOT_QUEUE: the name is ours (pid, count)
        self._register()

    def hide(self) -> None:
        if not self._visible:
            return
        from jeepney.bus_messages import message_bus

        self._visible = False
        self._send(message_bus.ReleaseName(self._name))  # the watcher drops an item whose name goes

    def setVisible(self, visible: bool) -> None:
        self.show() if visible else self.hide()

    def isVisible(self) -> bool:
        return self._visible

    def geometry(self) -> QRect:
        return QRect()  # a panel does not say where it draws an item: the glance opens by the pointer

    def showMessage(self, title: str, body: str, *_args: object) -> None:
        """A bubble through the desktop's notification service, as Qt's item sends one (the first start's
        note, say; alerts go through the notifier). Its answer is not waited for: none is needed."""
        from jeepney import DBusAddress, new_method_call

        name = "org.freedesktop.Notifications"
        service = DBusAddress("/org/freedesktop/Notifications", name, name)
        hints = {"urgency": ("y", 1), "desktop-entry": ("s", APP_ID)}
        notify = new_method_call(service, "Notify", "susssasa{sv}i", (APP_NAME, 0, APP_ID, title, body, [], hints, -1))
        try:
            self._send(notify)
        except OSError as exc:
            log.warning("notification not sent: %s", exc)

    # ------------------------------------------------------------ what Qt's icon cannot do

    def setStatus(self, status: str) -> None:
        """ "Active", or "NeedsAttention" while a critical alert is active (panels highlight the item)."""
        if status == self._status:
            return
        with self._lock:
            self._status = status
        self._signal(ITEM_PATH, ITEM_INTERFACE, "NewStatus", "s", (status,))

    def status(self) -> str:
        return self._status

    def close(self) -> None:
        """Leave the bus: the item goes from the panel, the receiving thread ends."""
        import socket

        with contextlib.suppress(OSError):
            self.hide()
        with contextlib.suppress(OSError):
            self._conn.sock.shutdown(socket.SHUT_RDWR)  # the blocked receive returns: the thread ends
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(2)
        self._conn.close()

    def _send(self, msg: Message) -> None:
        with self._send_lock:
            self._conn.send(msg)

    # ------------------------------------------------------------ the menu, exported

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self._menu_changes:  # set by _export_menu before it installs this filter
            self._menu_timer.start()
        return False

    def _announce(self, what: str) -> None:
        """Tell the panel `what` changed: after this pass of the event loop, and not sooner than ANNOUNCE_GAP_S
        after the last time. What the panel reads meanwhile is current (the snapshot is, at once)."""
        self._pending.add(what)
        if not self._announce_timer.isActive():
            wait = self._announced_at + ANNOUNCE_GAP_S - time.monotonic()
            self._announce_timer.start(max(0, int(wait * 1000)))

    def _announce_now(self) -> None:
        self._announced_at = time.monotonic()
        pending, self._pending = self._pending, set()
        if "menu" in pending:
            with self._lock:
                revision = self._revision
            self._signal(MENU_PATH, MENU_INTERFACE, "LayoutUpdated", "ui", (revision, 0))
        if "icon" in pending:
            self._signal(ITEM_PATH, ITEM_INTERFACE, "NewIcon")
            self._signal(ITEM_PATH, ITEM_INTERFACE, "NewAttentionIcon")
        if "tooltip" in pending:
            self._signal(ITEM_PATH, ITEM_INTERFACE, "NewToolTip")

    def _export_menu(self) -> None:
        """Snapshot the QMenu (and its submenus) into dbusmenu entries; announce a new layout if it changed."""
        if not self._menu_changes:
            # Imported once the menu is exported, not with this module: QEvent's Type (179 members, made on
            # import) cost ~1.7 ms of the start before the icon. Not in eventFilter: an import statement there
            # would run PySide6's import hook for every event the menu gets.
            from PySide6.QtCore import QEvent

            self._menu_changes = (QEvent.Type.ActionAdded, QEvent.Type.ActionChanged, QEvent.Type.ActionRemoved)
        entries: dict[int, tuple[Props, list[int]]] = {}
        actions: dict[int, QAction] = {}
        watched: list[QMenu] = []

        def walk(menu: QMenu) -> list[int]:
            if menu not in self._watched:
                menu.installEventFilter(self)
            watched.append(menu)
            ids = []
            for action in menu.actions():
                item_id = self._id_of(action)
                actions[item_id] = action
                props, children = _props(action), []
                submenu = action.menu()
                if isinstance(submenu, QMenu):
                    props["children-display"] = ("s", "submenu")
                    children = walk(submenu)
                entries[item_id] = (props, children)
                ids.append(item_id)
            return ids

        root = walk(self._menu) if self._menu is not None else []
        entries[0] = ({"children-display": ("s", "submenu")}, root)
        for menu in self._watched:
            if menu not in watched:
                menu.removeEventFilter(self)
        self._watched = watched
        self._actions = actions
        if entries == self._entries:
            return
        with self._lock:
            self._entries = entries
            self._revision += 1
        self._announce("menu")

    def _id_of(self, action: QAction) -> int:
        item_id = action.property(_ID_PROPERTY)
        if not isinstance(item_id, int):
            item_id = self._next_id
            self._next_id += 1
            action.setProperty(_ID_PROPERTY, item_id)
        return item_id

    # ------------------------------------------------------------ GUI thread: what the panel asked for

    def _on_incoming(self, what: str, args: tuple[Any, ...]) -> None:
        if what == "activate":
            self.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
        elif what == "secondary":
            self.activated.emit(QSystemTrayIcon.ActivationReason.MiddleClick)
        elif what == "context":
            self.activated.emit(QSystemTrayIcon.ActivationReason.Context)
            if self._menu is not None:
                self._menu.popup(QPoint(*args))
        elif what == "clicked":
            action = self._actions.get(args[0])
            if action is not None and _alive(action) and action.isEnabled():
                action.trigger()
        elif what == "about_to_show":
            action = self._actions.get(args[0])
            menu = self._menu if args[0] == 0 else (action.menu() if action is not None and _alive(action) else None)
            if isinstance(menu, QMenu):
                menu.aboutToShow.emit()  # the tray's menu is rebuilt there: a change is exported after it
        elif what == "registered":
            log.info("tray item registered with the panel (%s)", self._name)
        elif what == "watcher" and self._visible:
            log.info("a new StatusNotifierWatcher: registering the tray item again")
            self._register()

    def _register(self) -> None:
        from jeepney import DBusAddress, new_method_call

        watcher = DBusAddress("/StatusNotifierWatcher", WATCHER, WATCHER)
        with self._send_lock:
            serial = next(self._conn.outgoing_serial)
            self._pending_register = serial  # its answer, in the receiving thread, says whether the panel took it
            self._conn.send(new_method_call(watcher, "RegisterStatusNotifierItem", "s", (self._name,)), serial=serial)

    def _signal(
        self, path: str, interface: str, member: str, signature: str | None = None, body: tuple[Any, ...] = ()
    ) -> None:
        from jeepney import DBusAddress, new_signal

        try:
            self._send(new_signal(DBusAddress(path, interface=interface), member, signature, body))
        except OSError as exc:  # the bus went away: nothing hosts the item any more
            log.warning("tray item: %s not sent (%s)", member, exc)

    # ------------------------------------------------------------ receiving thread

    def _receive(self) -> None:
        from jeepney import MessageType

        while True:
            try:
                msg = self._conn.receive()
            except (OSError, EOFError, ValueError):  # closed (close() shuts the socket down), or the bus went
                return
            except Exception:  # a message jeepney cannot parse: skip it, keep serving
                log.exception("tray item: a D-Bus message could not be read")
                continue
            kind = msg.header.message_type
            try:
                if kind is MessageType.method_call:
                    self._answer(msg)
                elif kind in (MessageType.method_return, MessageType.error):
                    self._replied(msg)
                elif kind is MessageType.signal:
                    self._signalled(msg)
            except OSError:
                return
            except Exception:  # an answer that cannot be made must not end the item
                log.exception("tray item: a D-Bus call could not be answered")

    def _tell(self, what: str, args: tuple[Any, ...]) -> None:
        """Hand a request to the GUI thread (queued); nothing once the item is gone (the app is ending)."""
        with contextlib.suppress(RuntimeError):  # "Signal source has been deleted"
            self._incoming.emit(what, args)

    def _replied(self, msg: Message) -> None:
        from jeepney import HeaderFields, MessageType

        if msg.header.fields.get(HeaderFields.reply_serial) != self._pending_register:
            return
        if msg.header.message_type is MessageType.error:
            log.warning("the panel refused the tray item: %s", msg.body)
        else:
            self._tell("registered", ())

    def _signalled(self, msg: Message) -> None:
        from jeepney import HeaderFields

        if msg.header.fields.get(HeaderFields.member) == "NameOwnerChanged":
            name, _old, new = msg.body
            if name == WATCHER and new:
                self._tell("watcher", ())

    def _answer(self, msg: Message) -> None:
        from jeepney import HeaderFields, new_error, new_method_return

        fields = msg.header.fields
        path = fields.get(HeaderFields.path)
        interface = fields.get(HeaderFields.interface)
        member = str(fields.get(HeaderFields.member))
        handlers: dict[str, Callable[[tuple[Any, ...]], tuple[str, tuple[Any, ...]]]]
        if path == ITEM_PATH:
            handlers = self._item_methods()
            own = ITEM_INTERFACE
        elif path == MENU_PATH:
            handlers = self._menu_methods()
            own = MENU_INTERFACE
        else:
            handlers, own = {}, ""
        if interface == "org.freedesktop.DBus.Peer" and member == "Ping":
            reply = new_method_return(msg)
        elif interface == "org.freedesktop.DBus.Introspectable" and member == "Introspect":
            reply = new_method_return(msg, "s", (_introspection(path),))
        elif interface == PROPERTIES and own and member in ("Get", "GetAll"):
            props = self._item_properties() if own == ITEM_INTERFACE else _MENU_PROPERTIES
            if member == "GetAll":
                reply = new_method_return(msg, "a{sv}", (props if msg.body[0] in (own, "") else {},))
            elif msg.body[0] in (own, "") and msg.body[1] in props:
                reply = new_method_return(msg, "v", (props[msg.body[1]],))
            else:
                reply = new_error(msg, "org.freedesktop.DBus.Error.UnknownProperty", "s", (str(msg.body[1]),))
        elif interface in (own, None) and member in handlers:
            signature, body = handlers[member](tuple(msg.body))
            reply = new_method_return(msg, signature, body)
        else:
            reply = new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod", "s", (f"{interface}.{member}",))
        self._send(reply)

    def _item_properties(self) -> dict[str, tuple[str, Any]]:
        with self._lock:
            pixmaps, tooltip, status = self._pixmaps, self._tooltip, self._status
        return {
            "Category": ("s", "ApplicationStatus"),
            "Id": ("s", APP_ID),
            "Title": ("s", APP_NAME),
            "Status": ("s", status),
            "WindowId": ("i", 0),
            "IconName": ("s", ""),
            "IconPixmap": ("a(iiay)", pixmaps),
            "OverlayIconName": ("s", ""),
            "OverlayIconPixmap": ("a(iiay)", []),
            "AttentionIconName": ("s", ""),
            "AttentionIconPixmap": ("a(iiay)", pixmaps),  # the icon already shows the alert
            "AttentionMovieName": ("s", ""),
            "ToolTip": ("(sa(iiay)ss)", ("", [], tooltip, "")),
            "ItemIsMenu": ("b", False),
            "Menu": ("o", MENU_PATH),
        }

    def _item_methods(self) -> dict[str, Callable[[tuple[Any, ...]], tuple[str, tuple[Any, ...]]]]:
        def emit(what: str) -> Callable[[tuple[Any, ...]], tuple[str, tuple[Any, ...]]]:
            def handler(args: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
                self._tell(what, args)
                return "", ()

            return handler

        return {
            "Activate": emit("activate"),
            "SecondaryActivate": emit("secondary"),
            "ContextMenu": emit("context"),
            "Scroll": lambda args: ("", ()),
        }

    def _menu_methods(self) -> dict[str, Callable[[tuple[Any, ...]], tuple[str, tuple[Any, ...]]]]:
        with self._lock:
            entries, revision = self._entries, self._revision

        def get_layout(args: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
            parent, depth, names = args
            if parent not in entries:
                raise LookupError(f"no menu entry {parent}")
            return "u(ia{sv}av)", (revision, _layout(entries, parent, depth, names))

        def group_properties(args: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
            ids, names = args
            wanted = ids or list(entries)
            return "a(ia{sv})", ([(i, _only(entries[i][0], names)) for i in wanted if i in entries],)

        def get_property(args: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
            item_id, name = args
            return "v", (entries[item_id][0][name],)

        def event(args: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
            item_id, event_id, _data, _time = args
            if event_id == "clicked":
                self._tell("clicked", (item_id,))
            return "", ()

        def event_group(args: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
            missing = []
            for item_id, event_id, data, stamp in args[0]:
                if item_id in entries:
                    event((item_id, event_id, data, stamp))
                else:
                    missing.append(item_id)
            return "ai", (missing,)

        def about_to_show(args: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
            self._tell("about_to_show", (args[0],))
            return "b", (False,)  # the menu is kept current; a rebuild there announces its own layout

        def about_to_show_group(args: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
            for item_id in args[0]:
                self._tell("about_to_show", (item_id,))
            return "aiai", ([], [i for i in args[0] if i not in entries])

        return {
            "GetLayout": get_layout,
            "GetGroupProperties": group_properties,
            "GetProperty": get_property,
            "Event": event,
            "EventGroup": event_group,
            "AboutToShow": about_to_show,
            "AboutToShowGroup": about_to_show_group,
        }


TrayIcon = QSystemTrayIcon | StatusNotifierItem

_MENU_PROPERTIES: dict[str, tuple[str, Any]] = {
    "Version": ("u", 3),
    "TextDirection": ("s", "ltr"),
    "Status": ("s", "normal"),
    "IconThemePath": ("as", []),
}


def _alive(action: QAction) -> bool:
    import shiboken6

    return bool(shiboken6.isValid(action))


def _props(action: QAction) -> Props:
    if action.isSeparator():
        props: Props = {"type": ("s", "separator")}
    else:
        props = {"label": ("s", _mnemonic(action.text()))}
        if action.isCheckable():
            props["toggle-type"] = ("s", "radio" if action.actionGroup() is not None else "checkmark")
            props["toggle-state"] = ("i", 1 if action.isChecked() else 0)
    if not action.isEnabled():
        props["enabled"] = ("b", False)
    if not action.isVisible():
        props["visible"] = ("b", False)
    return props


def _mnemonic(text: str) -> str:
    """Qt's "&" marks the access key; dbusmenu's "_" does ("&&" is a literal "&", a literal "_" doubles)."""
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "&" and i + 1 < len(text):
            out.append("&" if text[i + 1] == "&" else "_" + text[i + 1])
            i += 2
            continue
        out.append("__" if c == "_" else c)
        i += 1
    return "".join(out)


def _only(props: Props, names: list[str]) -> Props:
    return {k: v for k, v in props.items() if k in names} if names else dict(props)


def _layout(entries: dict[int, tuple[Props, list[int]]], item_id: int, depth: int, names: list[str]) -> tuple[Any, ...]:
    props, children = entries[item_id]
    nested = []
    if depth != 0:
        nested = [("(ia{sv}av)", _layout(entries, child, depth - 1, names)) for child in children]
    return (item_id, _only(props, names), nested)


def _pixmaps(icon: QIcon) -> list[tuple[int, int, bytes]]:
    """The icon at each size a panel may draw it, as the SNI spec wants: ARGB32 in network byte order."""
    found = []
    for side in PIXMAP_SIZES:
        image = icon.pixmap(QSize(side, side), 1.0).toImage()
        if image.isNull():
            continue
        if image.width() != side or image.height() != side:
            image = image.scaled(side, side)
        image = image.convertToFormat(QImage.Format.Format_ARGB32)
        words = array("I", bytes(image.constBits())[: side * side * 4])
        if sys.byteorder == "little":
            words.byteswap()
        found.append((side, side, words.tobytes()))
    return found


def _introspection(path: object) -> str:
    interfaces = {ITEM_PATH: ITEM_INTERFACE, MENU_PATH: MENU_INTERFACE}
    own = interfaces.get(str(path))
    body = f'<interface name="{own}"/>' if own else "".join(f'<node name="{p[1:]}"/>' for p in interfaces)
    return (
        '<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"'
        ' "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">'
        f'<node><interface name="{PROPERTIES}"/><interface name="org.freedesktop.DBus.Introspectable"/>{body}</node>'
    )
