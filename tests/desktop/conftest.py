"""The desktop tier: tests that need a real headless desktop session.

Run them through ``scripts/desktop-session`` (``make test-desktop``), which starts Xvfb, a private D-Bus
session bus with nothing activatable, dunst, gnome-keyring (unlocked) and a tray host, and exports
``TRAYAPP_DESKTOP_SESSION=1``. Every test under ``tests/desktop`` is marked ``desktop``. Outside the
session these tests are skipped; with ``TRAYAPP_REQUIRE_DESKTOP=1`` (CI) they fail instead.

Fixtures (see each one's docstring):
  desktop_session  the session: env values, ``ctl()`` to switch tray host / keyring / notify daemon
  tray_host        ``tray_host("xfce4-panel"|"trayer"|"none")``: switch the tray host for one test
  dbus_session     gdbus calls, NameHasOwner, properties, waiting for names
  sni_items        ``sni_items()``: the SNI watcher's RegisteredStatusNotifierItems (switches to xfce4-panel)
  dunst            dunst's notifications: history (JSON), count, action, close, restart
  notify_calls     records every org.freedesktop.Notifications.Notify call on the bus (typed args)
  screenshot       ``screenshot("name")`` -> PNG of the whole X screen (ImageMagick ``import``)
  secret_service   gnome-keyring control: lock(), unlock(), stop(); restores "unlocked" afterwards
  keyring_service  a unique keyring service name; its items are deleted afterwards
  no_secrets_bus   ``no_secrets_bus([argv...])``: run a command on a nested private bus that has no
                   org.freedesktop.secrets (the "no keyring at all" case)
  wait_until       ``wait_until(predicate, timeout=5, what="...")``: poll until truthy, else fail
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import secretstorage
from jeepney import DBusAddress, HeaderFields, MessageType, new_method_call
from jeepney.bus_messages import MatchRule, Monitoring
from jeepney.io.blocking import open_dbus_connection

HERE = Path(__file__).resolve().parent
IN_SESSION = os.environ.get("TRAYAPP_DESKTOP_SESSION") == "1" and bool(os.environ.get("DS_DIR"))
REQUIRE_DESKTOP = os.environ.get("TRAYAPP_REQUIRE_DESKTOP") == "1"
NOT_IN_SESSION = "not inside a desktop session: run through scripts/desktop-session / make test-desktop"

SNI_WATCHER = "org.kde.StatusNotifierWatcher"
NOTIFICATIONS = "org.freedesktop.Notifications"
SECRETS = "org.freedesktop.secrets"


# ----------------------------------------------------------------------------------------- hooks
@pytest.hookimpl(tryfirst=True)  # before `-m desktop` / `-m "not desktop"` deselects anything
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.desktop)


def pytest_runtest_setup(item: pytest.Item) -> None:  # only called for items under tests/desktop
    if not IN_SESSION:
        skip_or_fail(NOT_IN_SESSION)


def skip_or_fail(reason: str) -> None:
    """Skip the test, or fail it when TRAYAPP_REQUIRE_DESKTOP=1 (CI must not pass by skipping)."""
    if REQUIRE_DESKTOP:
        pytest.fail(f"TRAYAPP_REQUIRE_DESKTOP=1 and {reason}", pytrace=False)
    pytest.skip(reason)


def run(argv: list[str], *, timeout: float = 10, check: bool = True, **kw: Any) -> str:
    """Run a command, return its stdout; on failure raise with stderr in the message."""
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, **kw)
    if check and proc.returncode != 0:
        raise AssertionError(f"{argv} exited {proc.returncode}: {proc.stderr.strip() or proc.stdout.strip()}")
    return proc.stdout


def poll(predicate: Callable[[], Any], timeout: float = 5.0, what: str = "condition", step: float = 0.05) -> Any:
    """Poll until predicate() is truthy and return its value; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what}", pytrace=False)
        time.sleep(step)


@pytest.fixture
def wait_until() -> Callable[..., Any]:
    return poll


# ----------------------------------------------------------------------------------------- session
@dataclass
class DesktopSession:
    dir: Path
    display: str
    bus_address: str
    keyring_password: str
    script: str

    def ctl(self, *args: str, timeout: float = 30) -> str:
        """``scripts/desktop-session ctl ARGS``: e.g. ctl("tray", "trayer"), ctl("keyring", "locked")."""
        return run([self.script, "ctl", *args], timeout=timeout)

    def state(self) -> dict[str, str]:
        """Current {"tray": ..., "notify": ..., "keyring": ...} (changes with ctl, unlike DS_TRAY etc.)."""
        return {k: (self.dir / "state" / k).read_text().strip() for k in ("tray", "notify", "keyring")}

    def log(self, name: str) -> str:
        """A daemon's log: "dunst", "gnome-keyring", "xfce4-panel", "trayer", "xvfb", ..."""
        path = self.dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""


@pytest.fixture(scope="session")
def desktop_session() -> DesktopSession:
    if not IN_SESSION:
        skip_or_fail(NOT_IN_SESSION)
    return DesktopSession(
        dir=Path(os.environ["DS_DIR"]),
        display=os.environ["DISPLAY"],
        bus_address=os.environ["DBUS_SESSION_BUS_ADDRESS"],
        keyring_password=os.environ.get("DS_KEYRING_PASSWORD", ""),
        script=os.environ["DS_SCRIPT"],
    )


@pytest.fixture
def tray_host(desktop_session: DesktopSession) -> Iterator[Callable[[str], None]]:
    """``tray_host("xfce4-panel"|"trayer"|"none")`` switches the tray host (waits until it is up);
    the host the session had before is restored after the test."""
    before = desktop_session.state()["tray"]

    def switch(host: str) -> None:
        if desktop_session.state()["tray"] != host:
            desktop_session.ctl("tray", host)

    yield switch
    if desktop_session.state()["tray"] != before:
        desktop_session.ctl("tray", before)


# ----------------------------------------------------------------------------------------- D-Bus
class DBusSession:
    """The session bus, through gdbus (text) and jeepney (typed values)."""

    def gdbus(self, *args: str, timeout: float = 10) -> str:
        """``gdbus ARGS --session``-style raw call, e.g. gdbus("call", "--dest", ..., "--method", ...).
        Put "--" before negative numbers (gdbus parses them as options)."""
        return run(["gdbus", *args], timeout=timeout)

    def call(self, dest: str, path: str, method: str, *args: str, timeout: float = 10) -> str:
        """gdbus call; `method` is "interface.Member", args are GVariant texts. Returns gdbus's output."""
        argv = ["call", "--session", "--dest", dest, "--object-path", path, "--method", method]
        return self.gdbus(*argv, "--", *args, timeout=timeout) if args else self.gdbus(*argv, timeout=timeout)

    def typed_call(
        self,
        dest: str,
        path: str,
        interface: str,
        method: str,
        signature: str | None = None,
        body: tuple[Any, ...] = (),
        timeout: float = 10,
    ) -> tuple[Any, ...]:
        """A method call through jeepney; returns the reply body as Python values."""
        msg = new_method_call(DBusAddress(path, dest, interface), method, signature, body)
        with open_dbus_connection(bus="SESSION") as conn:
            reply = conn.send_and_get_reply(msg, timeout=timeout)
        if reply.header.message_type == MessageType.error:
            raise AssertionError(f"{dest} {interface}.{method}: {reply.body}")
        return tuple(reply.body)

    def get_property(self, dest: str, path: str, interface: str, name: str) -> Any:
        (variant,) = self.typed_call(dest, path, "org.freedesktop.DBus.Properties", "Get", "ss", (interface, name))
        return variant[1]  # jeepney gives (signature, value)

    def name_has_owner(self, name: str) -> bool:
        (owned,) = self.typed_call(
            "org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus",
            "NameHasOwner",
            "s",
            (name,),
        )
        return bool(owned)

    def names(self) -> list[str]:
        (names,) = self.typed_call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "ListNames")
        return list(names)

    def wait_for_name(self, name: str, timeout: float = 5, present: bool = True) -> None:
        poll(
            lambda: self.name_has_owner(name) == present,
            timeout,
            f"{name} {'on' if present else 'off'} the bus",
        )


@pytest.fixture
def dbus_session(desktop_session: DesktopSession) -> DBusSession:
    return DBusSession()


@pytest.fixture
def sni_items(tray_host: Callable[[str], None], dbus_session: DBusSession) -> Callable[[], list[str]]:
    """Switches to xfce4-panel (the SNI watcher) for this test; ``sni_items()`` returns the watcher's
    RegisteredStatusNotifierItems, e.g. [":1.42/StatusNotifierItem"] (Qt registers "SERVICE/PATH")."""
    tray_host("xfce4-panel")
    dbus_session.wait_for_name(SNI_WATCHER)

    def items() -> list[str]:
        value = dbus_session.get_property(
            SNI_WATCHER,
            "/StatusNotifierWatcher",
            "org.kde.StatusNotifierWatcher",
            "RegisteredStatusNotifierItems",
        )
        return list(value)

    return items


# ----------------------------------------------------------------------------------------- dunst
class Dunst:
    """dunst 1.9 through dunstctl. Bubbles never expire in the session (timeout 0), so a notification
    is *displayed* until closed and only then appears in ``history()``. There is no way to list the
    displayed ones: ``close_all()`` then ``history()`` (or use the ``notify_calls`` fixture)."""

    def __init__(self, session: DesktopSession) -> None:
        self.session = session
        self.baseline = 0  # history entries with id <= baseline are from before this test

    def _ctl(self, *args: str) -> str:
        return run(["dunstctl", *args], timeout=10)

    def count(self, which: str = "displayed") -> int:
        """which: "displayed", "history" or "waiting"."""
        return int(self._ctl("count", which).strip())

    def history(self, include_old: bool = False) -> list[dict[str, Any]]:
        """Closed notifications, newest first, as plain dicts: id, appname, summary, body, message,
        default_action_name, icon_path, category, urgency-less (dunst 1.9 omits urgency and actions)."""
        data = json.loads(self._ctl("history"))["data"]
        entries = [{k: v["data"] for k, v in n.items()} for n in (data[0] if data else [])]
        return [n for n in entries if include_old or n["id"] > self.baseline]

    def close_all(self) -> None:
        self._ctl("close-all")

    def close_last(self) -> None:
        self._ctl("close")

    def action(self, position: int = 0) -> None:
        """Invoke the default action of the displayed notification at `position` (0 = top of the stack,
        which is sorted by urgency, then age). The sender gets ActionInvoked(id, "default") — unicast to
        the connection that sent Notify. Without a default action dunst would open its context menu
        (dmenu, not installed), i.e. nothing happens."""
        self._ctl("action", str(position))

    def pop(self, notification_id: int | None = None) -> None:
        """Re-display the newest (or the given) notification from history."""
        self._ctl("history-pop", *([] if notification_id is None else [str(notification_id)]))

    def collect(self, timeout: float = 5, count: int = 1) -> list[dict[str, Any]]:
        """Wait until at least `count` notifications of this test are displayed or in history, close the
        displayed ones and return this test's history entries (newest first)."""
        poll(
            lambda: self.count("displayed") + len(self.history()) >= count,
            timeout,
            f"{count} notification(s) in dunst",
        )
        self.close_all()
        return poll(lambda: len(self.history()) >= count and self.history(), timeout, "dunst history")

    def reset(self) -> None:
        """Close everything and forget what came before this point (ids grow monotonically)."""
        self.close_all()
        old = self.history(include_old=True)
        self.baseline = max((n["id"] for n in old), default=self.baseline)

    def restart(self) -> None:
        """Restart dunst (empty history, ids from 1); takes ~0.1 s."""
        self.session.ctl("notify", "dunst")
        self.baseline = 0


@pytest.fixture
def dunst(desktop_session: DesktopSession, dbus_session: DBusSession) -> Dunst:
    """dunst, running (started if the session has none), with this test's view starting empty."""
    if desktop_session.state()["notify"] != "dunst":
        desktop_session.ctl("notify", "dunst")
    d = Dunst(desktop_session)
    d.reset()
    return d


@dataclass
class NotifyCall:
    app_name: str
    replaces_id: int
    app_icon: str
    summary: str
    body: str
    actions: list[str]
    hints: dict[str, Any]  # values unwrapped: {"urgency": 1, ...}
    expire_timeout: int
    sender: str


@dataclass
class NotifyRecorder:
    """Every Notify method call seen on the bus since the fixture started (a D-Bus monitor)."""

    calls: list[NotifyCall] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self, count: int = 1, timeout: float = 5) -> list[NotifyCall]:
        poll(lambda: len(self.calls) >= count, timeout, f"{count} Notify call(s)")
        with self.lock:
            return list(self.calls)


@pytest.fixture
def notify_calls(desktop_session: DesktopSession) -> Iterator[NotifyRecorder]:
    """Records org.freedesktop.Notifications.Notify calls (app name, actions, hints, replaces_id, ...)
    via org.freedesktop.DBus.Monitoring.BecomeMonitor. Use with ``recorder.wait(n)``."""
    rule = MatchRule(type="method_call", interface=NOTIFICATIONS, member="Notify")
    conn = open_dbus_connection(bus="SESSION")
    reply = conn.send_and_get_reply(Monitoring().BecomeMonitor([rule.serialise()]), timeout=5)
    assert reply.header.message_type != MessageType.error, reply.body
    recorder = NotifyRecorder()
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                msg = conn.receive(timeout=0.2)
            except TimeoutError:
                continue
            except Exception:
                return
            if msg.header.message_type != MessageType.method_call:
                continue
            app, rid, icon, summary, body, actions, hints, timeout = msg.body
            call = NotifyCall(
                app,
                rid,
                icon,
                summary,
                body,
                list(actions),
                {k: v[1] for k, v in hints.items()},
                timeout,
                msg.header.fields.get(HeaderFields.sender, ""),
            )
            with recorder.lock:
                recorder.calls.append(call)

    thread = threading.Thread(target=loop, name="notify-monitor", daemon=True)
    thread.start()
    yield recorder
    stop.set()
    thread.join(2)
    conn.close()


# ----------------------------------------------------------------------------------------- screen
def take_screenshot(path: Path | str) -> Path:
    """The whole X screen as PNG (``import -window root``)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    run(["import", "-window", "root", str(path)], timeout=20)
    return path


@pytest.fixture
def screenshot(tmp_path: Path) -> Callable[[str], Path]:
    """``screenshot("name")`` saves ``<tmp_path>/name.png`` (or into $TRAYAPP_SCREENSHOT_DIR when set)
    and returns its path."""
    out = Path(os.environ.get("TRAYAPP_SCREENSHOT_DIR") or tmp_path)
    return lambda name="screen": take_screenshot(out / f"{name}.png")


# ----------------------------------------------------------------------------------------- keyring
class SecretServiceControl:
    """gnome-keyring in the session: ``lock()`` locks the default collection (keyring then raises
    KeyringLocked at once: no prompter is reachable), ``unlock()`` restarts the daemon with the session's
    password (stored items survive), ``stop()`` removes org.freedesktop.secrets from the bus."""

    def __init__(self, session: DesktopSession, bus: DBusSession) -> None:
        self.session = session
        self.bus = bus

    @property
    def state(self) -> str:
        return self.session.state()["keyring"]

    def lock(self) -> None:
        self.session.ctl("keyring", "locked")

    def unlock(self) -> None:
        self.session.ctl("keyring", "unlocked")

    def stop(self) -> None:
        self.session.ctl("keyring", "none")
        self.bus.wait_for_name(SECRETS, present=False)

    def default_collection_locked(self) -> bool:
        with secretstorage.dbus_init() as conn:
            return bool(secretstorage.get_default_collection(conn).is_locked())


@pytest.fixture
def secret_service(desktop_session: DesktopSession, dbus_session: DBusSession) -> Iterator[SecretServiceControl]:
    """gnome-keyring running and unlocked for this test (and again afterwards, whatever the test did)."""
    control = SecretServiceControl(desktop_session, dbus_session)
    if control.state != "unlocked":
        control.unlock()
    yield control
    if control.state != "unlocked":
        control.unlock()


@pytest.fixture
def keyring_service(secret_service: SecretServiceControl) -> Iterator[str]:
    """A unique keyring service name; every Secret Service item with that service is deleted afterwards."""
    name = f"trayapp-test-{uuid.uuid4().hex[:12]}"
    yield name
    if secret_service.state != "unlocked":
        secret_service.unlock()
    with secretstorage.dbus_init() as conn:
        for item in secretstorage.search_items(conn, {"service": name}):
            item.delete()


@pytest.fixture
def no_secrets_bus(desktop_session: DesktopSession) -> Callable[..., subprocess.CompletedProcess[str]]:
    """``no_secrets_bus(argv, timeout=30, env=None)`` runs argv under ``dbus-run-session`` with the
    session's bus config (no service files, so nothing is activatable) and no Secret Service on it."""
    config = desktop_session.dir / "session.conf"
    assert shutil.which("dbus-run-session"), "dbus-run-session missing (package dbus-bin)"

    def run_it(
        argv: list[str], timeout: float = 30, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["dbus-run-session", "--config-file", str(config), "--", *argv],
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, **(env or {})},
        )

    return run_it
