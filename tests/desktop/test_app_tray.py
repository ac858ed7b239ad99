"""The real app's tray icon on a real panel: SNI with xfce4-panel, XEmbed with trayer.

Each test runs `python -m trayapp --demo` as a user would, then checks what the panel has and shows: the
watcher's item, its tooltip, the menu the panel renders, clicks on the icon and on menu entries, and the
icon's pixels on the screen.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from PySide6.QtGui import QImage

from . import app_runner
from .app_runner import DEMO_LABELS, DETAILS_TITLE, MENU_COMMANDS, TrayApp
from .conftest import poll, run

launch = app_runner.launch  # the fixture

ACCOUNT_IDS = [
    "demo-healthy",
    "demo-low",
    "demo-zero",
    "demo-expiring",
    "demo-main",
    "demo-alias",
    "demo-pack",
    "demo-points",
]


def window_geometry(window: str) -> tuple[int, int, int, int]:
    """(x, y, width, height) of an X window, in root coordinates."""
    out = run(["xdotool", "getwindowgeometry", "--shell", window])
    values = dict(line.split("=", 1) for line in out.split())
    return int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"])


def top_level_windows() -> dict[str, tuple[int, int, int, int]]:
    """Every mapped child of the root window: id -> (x, y, width, height)."""
    out = run(["xwininfo", "-root", "-children"])
    found = {}
    for line in out.splitlines():
        m = re.match(r"\s+(0x[0-9a-f]+) .*\s(\d+)x(\d+)\+(-?\d+)\+(-?\d+)\s", line)
        if m:
            window, w, h, x, y = m.groups()
            found[window] = (int(x), int(y), int(w), int(h))
    return found


def viewable(window: str) -> bool:
    return "IsViewable" in run(["xwininfo", "-id", window], check=False)


def red_pixels(png: Path, box: tuple[int, int, int, int]) -> int:
    """How many clearly red pixels (the zero-credit gauge and the alert badge) are in the box."""
    image = QImage(str(png))
    x0, y0, w, h = box
    count = 0
    for x in range(max(x0, 0), min(x0 + w, image.width())):
        for y in range(max(y0, 0), min(y0 + h, image.height())):
            c = image.pixelColor(x, y)
            count += c.red() > 150 and c.green() < 110 and c.blue() < 110
    return count


def panel_box() -> tuple[int, int, int, int]:
    """The xfce4-panel window (the widest of its windows)."""
    windows = run(["xdotool", "search", "--onlyvisible", "--class", "xfce4-panel"]).split()
    return max((window_geometry(w) for w in windows), key=lambda g: g[2] * g[3])


def menu_popup(before: dict[str, tuple[int, int, int, int]]) -> tuple[int, int, int, int] | None:
    """A new, viewable, menu-sized top-level window (the panel's or Qt's popup menu)."""
    for window, geometry in top_level_windows().items():
        if window not in before and geometry[3] > 60 and viewable(window):
            return geometry
    return None


def account_entries(labels: list[str]) -> list[str]:
    return [label for label in labels if label not in MENU_COMMANDS]


def strip_marker(line: str) -> str:
    """The line without its severity mark and the reason after " — "."""
    return line.removeprefix("‼ ").removeprefix("⚠ ").split(" — ")[0]


def test_icon_registers_with_the_panel_and_shows_every_account(sni_items, launch, screenshot):
    before = screenshot("panel-before")
    box = panel_box()
    assert red_pixels(before, box) == 0  # nothing red on the panel yet

    app: TrayApp = launch("--demo")
    item = app.wait_sni_item()
    assert item in sni_items()
    assert item.endswith("/StatusNotifierItem")
    # The demo has an account at zero credit, a critical alert: panels highlight such an item (KDE shows it
    # even when the user hid it). tests/desktop/test_app_glance.py follows it to Active and back.
    assert app.sni_property("Status") == "NeedsAttention"

    assert app.sni_property("Title") == "Credit Tray"  # not the app id

    tooltip = app.tooltip().splitlines()
    assert tooltip[0] == "Credit Tray"
    assert [strip_marker(line) for line in tooltip[1:-1]] == DEMO_LABELS, tooltip
    assert tooltip[-1] == "Updated just now"  # one age line
    assert tooltip[1].startswith("‼ Moonshot (demo)")  # zero credit is marked critical

    # The menu as exported, without AboutToShow (what a host that caches the layout shows), once the
    # first poll is over ("Refreshing…" until then).
    labels = poll(
        lambda: (m := app.menu_labels())[1 + len(DEMO_LABELS) :] == MENU_COMMANDS and m, what="the menu after the poll"
    )
    assert labels[0] == "Updated just now"
    assert [strip_marker(line) for line in account_entries(labels[1:])] == DEMO_LABELS

    # The panel draws the icon: the red zero-credit gauge and badge are now on the panel.
    shot = poll(lambda: (p := screenshot("panel")) and red_pixels(p, box) >= 20 and p, what="the icon on the panel")
    assert red_pixels(shot, box) >= 20


def test_panel_click_opens_full_menu_and_left_click_opens_details(sni_items, launch, wait_until, screenshot):
    app: TrayApp = launch("--demo")
    app.wait_sni_item()
    x, y, w, h = panel_box()
    entries = [e for e in app.menu_entries() if e["type"] != "separator"]
    assert len(entries) == 1 + len(DEMO_LABELS) + len(MENU_COMMANDS)  # the age line, accounts, commands
    # The panel fetches the menu and its entries' texts over D-Bus in its own time, after the item appears:
    # a click within that moment (0.1-0.5 s here) opens the GTK menu it is still building. Let it draw the
    # icon and finish, as a user's first click would.
    wait_until(lambda: red_pixels(screenshot("panel"), (x, y, w, h)) >= 20, what="the icon drawn on the panel")
    time.sleep(1.0)

    # Right click on the icon: xfce4-panel renders the exported menu as a GTK popup.
    before = top_level_windows()
    run(["xdotool", "mousemove", str(x + h // 2), str(y + h // 2), "click", "3"])
    popup = wait_until(lambda: menu_popup(before), what="the panel's menu popup")
    # Every entry fits: a menu sized for a stale layout opens cut short with a scroll arrow.
    assert popup[3] >= 20 * len(entries), popup
    assert popup[2] >= 300, popup  # wide enough for the account lines
    run(["xdotool", "key", "Escape"])
    wait_until(lambda: menu_popup(before) is None, what="the menu to close")

    # Left click on the icon opens the glance (tests/desktop/test_app_glance.py), not the details window.
    run(["xdotool", "mousemove", str(x + h // 2), str(y + h // 2), "click", "1"])
    app.wait_log("glance opened (8 accounts)")
    assert app.windows(DETAILS_TITLE) == []


def test_menu_entries_open_the_details_window(sni_items, launch):
    app: TrayApp = launch("--demo")
    app.click_menu("Details…")
    app.wait_details_window()
    app.wait_log("details opened for demo-zero")  # the first row, the most urgent account, is selected

    alias = next(label for label in app.menu_labels() if "OpenAI alias (demo)" in label)
    app.click_menu(alias)
    app.wait_log("details opened for demo-alias")
    assert len(app.windows(DETAILS_TITLE)) == 1  # the same window, brought forward


def test_the_snooze_submenu_is_exported_and_its_entries_work(sni_items, launch):
    app: TrayApp = launch("--demo")
    service, _path = app.wait_sni_item().split("/", 1)
    menu_path = str(app.sni_property("Menu"))
    _revision, layout = app_runner.bus_call(service, menu_path, app_runner.DBUSMENU, "GetLayout", "iias", (0, -1, []))
    snooze = next(c[1] for c in layout[2] if c[1][1].get("label", ("s", ""))[1] == "Snooze notifications")
    assert snooze[1]["children-display"][1] == "submenu"
    hour = app_runner.layout_entries(snooze)[0]
    assert hour["label"] == "For 1 hour"
    app_runner.bus_call(service, menu_path, app_runner.DBUSMENU, "Event", "isvu", (hour["id"], "clicked", ("i", 0), 0))
    poll(
        lambda: any(label.startswith("Notifications paused until ") for label in app.menu_labels()),
        what="the paused line in the menu",
    )


def test_menu_quit_ends_the_app(sni_items, launch, wait_until):
    app: TrayApp = launch("--demo")
    item = app.wait_sni_item()
    app.click_menu("Quit")
    assert app.proc.wait(10) == 0
    wait_until(lambda: item not in sni_items(), what="the item to leave the watcher")


def test_xembed_icon_is_embedded_in_trayer_and_its_menu_opens(tray_host, launch, screenshot, wait_until):
    tray_host("trayer")
    app: TrayApp = launch("--demo")
    assert app.sni_item() is None  # no watcher: Qt embeds a window instead

    def embedded() -> str | None:
        for window in app.windows("Credit Tray"):
            info = run(["xwininfo", "-id", window, "-children"], check=False)
            root = re.search(r"Root window id: (0x[0-9a-f]+)", info)
            parent = re.search(r"Parent window id: (0x[0-9a-f]+)", info)
            if root and parent and parent.group(1) != root.group(1) and DETAILS_TITLE not in info:
                return window
        return None

    icon = wait_until(embedded, what="the app's window embedded in trayer")
    x, y, w, h = window_geometry(icon)
    assert (w, h) >= (16, 16) and x >= 0 and y >= 0
    wait_until(lambda: red_pixels(screenshot("trayer"), (x, y, w, h)) >= 20, what="the icon drawn in trayer")

    # Right click: Qt's own QMenu opens; keyboard to "Details…" (the age line and 8 accounts are disabled
    # or entries, then Refresh now, Details…).
    before = top_level_windows()
    run(["xdotool", "mousemove", str(x + w // 2), str(y + h // 2), "click", "3"])
    popup = wait_until(lambda: menu_popup(before), what="the QMenu")
    assert popup[3] >= 20 * (1 + len(DEMO_LABELS) + len(MENU_COMMANDS)), popup
    run(["xdotool", "key", *(["Down"] * (len(DEMO_LABELS) + 2)), "Return"])  # the accounts, Refresh, Details…
    app.wait_details_window()
    app.wait_log("details opened for demo-zero")  # the most urgent account first
