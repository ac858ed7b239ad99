"""The real app, as a user runs it, in a subprocess of the desktop session: `python -m trayapp ...`.

Qt decides once per QSystemTrayIcon (and per process for some things) whether a tray exists, so every
app-level test starts its own process, and finds what that process put on the screen and on the bus:
its StatusNotifierItem (the watcher lists "SERVICE/PATH"; SERVICE's Unix PID is the app's), its exported
menu (com.canonical.dbusmenu), its X windows (_NET_WM_PID), and its log file.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from jeepney import DBusAddress, MessageType, new_method_call
from jeepney.io.blocking import open_dbus_connection

from .conftest import poll, run

ROOT = Path(__file__).resolve().parents[2]
DETAILS_TITLE = "Accounts — Credit Tray"
SNI_WATCHER = "org.kde.StatusNotifierWatcher"
SNI_ITEM = "org.kde.StatusNotifierItem"
DBUSMENU = "com.canonical.dbusmenu"
DEMO_LABELS = [  # most urgent first (core.rules.urgency_key); the marks and reasons follow each
    "Moonshot (demo): 0.00 CNY",
    "OpenAI alias (demo): $0.00",
    "Zhipu (demo): 42.57 CNY · a pack expires in 4 d",
    "OpenAI trial (demo): $3.20 · expires in 5 d",
    "OpenRouter (demo): $1.85",
    "OpenAI main (demo): $14.50 · expires in 70 d",
    "DeepSeek (demo): 82.40 CNY",
    "Poe (demo): 18450 points",
]
MENU_COMMANDS = ["Refresh now", "Details…", "Add account…", "Settings…", "Snooze notifications", "Quit"]


def bus_call(dest: str, path: str, interface: str, method: str, signature: str | None = None, body: tuple = ()) -> Any:
    """One D-Bus method call (jeepney, typed values); returns the reply body as a tuple."""
    msg = new_method_call(DBusAddress(path, dest, interface), method, signature, body)
    with open_dbus_connection(bus="SESSION") as conn:
        reply = conn.send_and_get_reply(msg, timeout=5)
    if reply.header.message_type == MessageType.error:
        raise AssertionError(f"{dest} {interface}.{method}: {reply.body}")
    return tuple(reply.body)


def bus_property(dest: str, path: str, interface: str, name: str) -> Any:
    (variant,) = bus_call(dest, path, "org.freedesktop.DBus.Properties", "Get", "ss", (interface, name))
    return variant[1]


def bus_pid(name: str) -> int | None:
    try:
        (pid,) = bus_call(
            "org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus",
            "GetConnectionUnixProcessID",
            "s",
            (name,),
        )
    except AssertionError:  # the name went away meanwhile
        return None
    return int(pid)


def watcher_items() -> list[str]:
    """The SNI watcher's RegisteredStatusNotifierItems, or [] when there is no watcher."""
    try:
        return list(bus_property(SNI_WATCHER, "/StatusNotifierWatcher", SNI_WATCHER, "RegisteredStatusNotifierItems"))
    except AssertionError:
        return []


def layout_entries(layout: tuple[Any, ...]) -> list[dict[str, Any]]:
    """A dbusmenu layout (id, props, children) flattened to [{"id", "label", "enabled", "type"}, ...]."""
    entries = []
    for child in layout[2]:
        item_id, props, _children = child[1]  # each child is a variant ("(ia{sv}av)", value)
        values = {k: v[1] for k, v in props.items()}
        entries.append(
            {
                "id": item_id,
                "label": values.get("label", ""),
                "enabled": values.get("enabled", True),
                "type": values.get("type", "standard"),
            }
        )
    return entries


@dataclass
class TrayApp:
    """A running `python -m trayapp`; stop() terminates it (SIGTERM, then SIGKILL)."""

    proc: subprocess.Popen[bytes]
    config_dir: Path
    demo: bool
    output: Path
    started_at: float = field(default_factory=time.monotonic)

    @property
    def pid(self) -> int:
        return self.proc.pid

    @property
    def log_path(self) -> Path:
        return (self.config_dir / "demo" if self.demo else self.config_dir) / "logs" / "trayapp.log"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stderr(self) -> str:
        return self.output.read_text(errors="replace") if self.output.exists() else ""

    def wait_log(self, text: str, timeout: float = 15) -> None:
        def logged() -> bool:
            if self.proc.poll() is not None:
                pytest.fail(f"the app exited ({self.proc.returncode}) before logging {text!r}:\n{self.stderr()}")
            return text in self.log()

        poll(logged, timeout, f"the app to log {text!r}")

    # ------------------------------------------------------------ the tray on the bus

    def sni_item(self) -> str | None:
        """This app's entry in the watcher ("SERVICE/PATH"), or None while it has none."""
        for entry in watcher_items():
            service = entry.split("/", 1)[0]
            if bus_pid(service) == self.pid:
                return entry
        return None

    def wait_sni_item(self, timeout: float = 10) -> str:
        return poll(self.sni_item, timeout, "the app's StatusNotifierItem in the watcher")

    def sni_property(self, name: str) -> Any:
        service, path = self.wait_sni_item().split("/", 1)
        return bus_property(service, "/" + path, SNI_ITEM, name)

    def tooltip(self) -> str:
        """The text of the SNI ToolTip property (icon name, pixmaps, title, text)."""
        return str(self.sni_property("ToolTip")[2])

    def menu_entries(self, about_to_show: bool = False) -> list[dict[str, Any]]:
        """The menu as the panel gets it: GetLayout on the exported dbusmenu (optionally after AboutToShow,
        which some hosts call and some don't)."""
        service = self.wait_sni_item().split("/", 1)[0]
        menu_path = str(self.sni_property("Menu"))
        if about_to_show:
            bus_call(service, menu_path, DBUSMENU, "AboutToShow", "i", (0,))
        _revision, layout = bus_call(service, menu_path, DBUSMENU, "GetLayout", "iias", (0, -1, []))
        return layout_entries(layout)

    def menu_labels(self) -> list[str]:
        return [e["label"] for e in self.menu_entries() if e["type"] != "separator"]

    def click_menu(self, label: str) -> None:
        """What the panel sends when the user clicks that entry: Event(id, "clicked", 0, time)."""
        entries = [e for e in self.menu_entries(about_to_show=True) if e["label"] == label]
        assert entries, f"no menu entry {label!r} in {self.menu_labels()}"
        service = self.wait_sni_item().split("/", 1)[0]
        menu_path = str(self.sni_property("Menu"))
        bus_call(service, menu_path, DBUSMENU, "Event", "isvu", (entries[0]["id"], "clicked", ("i", 0), 0))

    # ------------------------------------------------------------ X windows

    def windows(self, name: str | None = None) -> list[str]:
        """The app's mapped X windows (by _NET_WM_PID), optionally only those whose title matches `name`."""
        argv = ["xdotool", "search", "--onlyvisible", "--pid", str(self.pid)]
        argv += ["--name", name] if name else ["."]
        found = run(argv, check=False).split()
        # xdotool --pid also matches windows that have no _NET_WM_PID at all (dunst's bubbles, for one), and
        # with --pid it matches every window of the process whatever the name: both are checked here.
        mine = [w for w in found if run(["xdotool", "getwindowpid", w], check=False).strip() == str(self.pid)]
        if name:
            mine = [w for w in mine if re.search(name, run(["xdotool", "getwindowname", w], check=False).strip())]
        return mine

    def wait_details_window(self, timeout: float = 10) -> str:
        return poll(lambda: self.windows(DETAILS_TITLE), timeout, f"the window {DETAILS_TITLE!r}")[0]

    # ------------------------------------------------------------ life cycle

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        return int(self.proc.returncode)


def app_env(extra: dict[str, str] | None = None, home: Path | None = None) -> dict[str, str]:
    """The user's environment in the session: no test keyring backend, the real one is chosen by keyring."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHON_KEYRING_BACKEND", "TRAYAPP_CONFIG_DIR")}
    env["LANG"] = env["LC_ALL"] = "C.UTF-8"  # the tests match English texts, whatever the machine's locale
    if home is not None:
        env["XDG_CONFIG_HOME"] = str(home / "xdg-config")  # no user keyringrc.cfg
    env.update(extra or {})
    return env


def trayapp_cli(config_dir: Path, *args: str, stdin: str | None = None, timeout: float = 30, env=None):
    """`python -m trayapp --config-dir DIR ARGS` to completion (CompletedProcess, text)."""
    return subprocess.run(
        [sys.executable, "-m", "trayapp", "--config-dir", str(config_dir), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env if env is not None else app_env(home=config_dir.parent),
    )


@pytest.fixture
def launch(tmp_path: Path) -> Iterator[Callable[..., TrayApp]]:
    """``launch("--demo")`` starts the tray app with its own config dir under tmp_path and waits until it
    logged "started" (and, with the demo, its first poll shown); every app started is stopped afterwards
    (and must not have crashed)."""
    apps: list[TrayApp] = []

    def start(*args: str, config_dir: Path | None = None, wait: bool = True, env=None) -> TrayApp:
        cfg = config_dir or tmp_path / f"config-{len(apps)}"
        cfg.mkdir(parents=True, exist_ok=True)
        output = tmp_path / f"app-{len(apps)}.out"
        with output.open("wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "trayapp", "--config-dir", str(cfg), *args],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env if env is not None else app_env(home=tmp_path),
                cwd=ROOT,
            )
        app = TrayApp(proc, cfg, "--demo" in args, output)
        apps.append(app)
        if wait:
            app.wait_log("started (")
            if "--demo" in args:  # the item answers the panel at once: let it show the demo's accounts
                app.wait_log("poll shown (")
        return app

    yield start
    for app in apps:
        app.stop()
    for app in apps:
        assert "Traceback" not in app.stderr(), app.stderr()


# ---------------------------------------------------------------- real accounts on a loopback server

KEYRING_SERVICE = "credit-tray"  # trayapp.secrets.store.SERVICE
SECRET_SERVICE_BACKEND = "keyring.backends.SecretService.Keyring"


def deepseek_balance(total: str, *, available: bool = True) -> dict[str, Any]:
    return {
        "is_available": available,
        "balance_infos": [
            {"currency": "CNY", "total_balance": total, "granted_balance": "0.00", "topped_up_balance": total}
        ],
    }


def keyring_items(account_id: str, delete: bool = False) -> list[tuple[str, bytes]]:
    """The Secret Service items the app stored for this account: [(object path, secret)], or delete them."""
    import secretstorage

    with secretstorage.dbus_init() as conn:
        items = list(secretstorage.search_items(conn, {"service": KEYRING_SERVICE, "username": f"{account_id}:api"}))
        found = [(item.item_path, item.get_secret()) for item in items]
        for item in items if delete else []:
            item.delete()
    return found


@pytest.fixture
def add_account(tmp_path: Path, secret_service: Any) -> Iterator[Callable[..., str]]:
    """``add_account(config_dir, base_url, key, label=..., provider="deepseek")`` runs
    `trayapp accounts add --key-stdin` (the key goes to the real Secret Service) and returns the new id.
    The app's keyring items of every account added are deleted afterwards."""
    added: list[str] = []

    def add(config_dir: Path, base_url: str, key: str, label: str = "DeepSeek", provider: str = "deepseek") -> str:
        args = ["accounts", "add", "--provider", provider, "--label", label, "--base-url", base_url, "--key-stdin"]
        result = trayapp_cli(config_dir, *args, stdin=key + "\n")
        assert result.returncode == 0, result.stderr
        account_id = result.stdout.strip().splitlines()[-1]
        added.append(account_id)
        assert f"key stored in {SECRET_SERVICE_BACKEND}" in result.stderr  # not a fallback
        return account_id

    yield add
    if secret_service.state != "unlocked":
        secret_service.unlock()
    for account_id in added:
        keyring_items(account_id, delete=True)
