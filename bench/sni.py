"""Watch the StatusNotifierWatcher for icons registering, and tell whose process each one is."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from jeepney import DBusAddress, MatchRule, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import DBusConnection, open_dbus_connection

WATCHER = "org.kde.StatusNotifierWatcher"


@dataclass(frozen=True)
class Registration:
    at: float  # time.monotonic() when the signal arrived here
    service: str
    pid: int | None


class SniWatcher:
    """Collects `StatusNotifierItemRegistered` signals on a thread of its own, with the sender's PID."""

    def __init__(self) -> None:
        self._conn: DBusConnection = open_dbus_connection(bus="SESSION")
        self._query: DBusConnection = open_dbus_connection(bus="SESSION")
        self._rule = MatchRule(type="signal", interface=WATCHER, member="StatusNotifierItemRegistered")
        self._conn.send_and_get_reply(message_bus.AddMatch(self._rule))
        self.registrations: list[Registration] = []
        self._cond = threading.Condition()
        self._stop = False
        self._thread = threading.Thread(target=self._run, name="sni-watch", daemon=True)
        self._thread.start()

    def watcher_present(self) -> bool:
        reply = self._query.send_and_get_reply(message_bus.NameHasOwner(WATCHER), timeout=2)
        return bool(reply.body[0])

    def _run(self) -> None:
        with self._conn.filter(self._rule) as queue:
            while not self._stop:
                try:
                    msg = self._conn.recv_until_filtered(queue, timeout=0.5)
                except TimeoutError:
                    continue
                except Exception:  # the connection closed
                    return
                at = time.monotonic()
                service = str(msg.body[0])
                reg = Registration(at, service, self._pid_of(service))
                with self._cond:
                    self.registrations.append(reg)
                    self._cond.notify_all()

    def _pid_of(self, service: str) -> int | None:
        name = service.split("/", 1)[0]
        bus = DBusAddress("/org/freedesktop/DBus", "org.freedesktop.DBus", "org.freedesktop.DBus")
        try:
            reply = self._query.send_and_get_reply(
                new_method_call(bus, "GetConnectionUnixProcessID", "s", (name,)), timeout=2
            )
            return int(reply.body[0])
        except Exception:
            return None

    def wait_for(self, pid: int, timeout: float) -> Registration | None:
        end = time.monotonic() + timeout
        with self._cond:
            while True:
                for reg in self.registrations:
                    if reg.pid == pid:
                        return reg
                left = end - time.monotonic()
                if left <= 0:
                    return None
                self._cond.wait(left)

    def close(self) -> None:
        self._stop = True
        self._thread.join(2)
        self._conn.close()
        self._query.close()
