"""At login the panel may come up after the app: the app waits (checking every 2 s, for a bounded time)
and shows its icon once a tray appears, as an SNI item when the panel speaks SNI."""

from __future__ import annotations

import re

import pytest

from . import app_runner
from .app_runner import TrayApp
from .conftest import run

launch = app_runner.launch  # the fixture


def embedded_icon(app: TrayApp) -> str | None:
    """The app's icon window when it is embedded (XEmbed): a mapped window whose parent is not the root."""
    for window in app.windows("Credit Tray"):
        info = run(["xwininfo", "-id", window, "-children"], check=False)
        root = re.search(r"Root window id: (0x[0-9a-f]+)", info)
        parent = re.search(r"Parent window id: (0x[0-9a-f]+)", info)
        if root and parent and parent.group(1) != root.group(1):
            return window
    return None


@pytest.mark.parametrize("host", ["xfce4-panel", "trayer"])
def test_icon_appears_when_a_tray_comes_up_after_the_app(host, tray_host, dbus_session, launch, wait_until):
    tray_host("none")
    app: TrayApp = launch("--demo")
    assert not dbus_session.name_has_owner("org.kde.StatusNotifierWatcher")
    assert app.windows() == []  # no icon anywhere, and no stand-in window yet: it waits

    tray_host(host)
    if host == "xfce4-panel":
        # An SNI item, not an XEmbed window in the panel's legacy tray: SNI-only panels show only those.
        item = wait_until(app.sni_item, timeout=8, what="the app's SNI item after the panel came up")
        assert item.endswith("/StatusNotifierItem")
        assert app.tooltip().startswith("Credit Tray\n")
        assert embedded_icon(app) is None
    else:
        wait_until(lambda: embedded_icon(app), timeout=8, what="the app's icon embedded in trayer")
    app.wait_log("system tray available after ")
    assert "No system tray was found" not in app.log()


def test_the_item_comes_back_when_the_panel_restarts(tray_host, sni_items, launch, wait_until):
    """A panel restarted (a crash, a new session's panel, a settings change) has a new watcher that knows no
    item: the app registers again by itself, once."""
    tray_host("xfce4-panel")
    app: TrayApp = launch("--demo")
    app.wait_sni_item()
    tray_host("none")
    wait_until(lambda: app.sni_item() is None, what="the item to go with the watcher")
    tray_host("xfce4-panel")
    item = wait_until(app.sni_item, timeout=8, what="the item registered with the new watcher")
    assert [entry for entry in sni_items() if entry == item] == [item]
    app.wait_log("a new StatusNotifierWatcher: registering the tray item again")
    assert app.sni_property("Title") == "Credit Tray"
    assert "Quit" in app.menu_labels()
