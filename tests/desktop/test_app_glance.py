"""The glance, the menu, the bubble and the no-tray path of the real app on a real panel (xfce4-panel, dunst).

A left click on the panel's icon (xdotool, on the pixels the panel drew) opens the glance: its window is found
by the app's PID, its place and its pixels compared with a reviewed reference (tests/desktop/reference/) within
a tolerance, its structure read off the screen (a red accent per critical card). The menu is read as the panel
receives it (com.canonical.dbusmenu GetLayout), the bubble off dunst's history (dunstctl) and the bus.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from pytest_httpserver import HTTPServer

from . import app_runner
from .app_runner import DETAILS_TITLE, MENU_COMMANDS, TrayApp, deepseek_balance
from .conftest import poll, run
from .test_app_tray import panel_box, top_level_windows, viewable, window_geometry

launch = app_runner.launch  # fixtures
add_account = app_runner.add_account

REFERENCE = Path(__file__).resolve().parent / "reference" / "glance-demo.png"
GLANCE_WIDTH = 340
# Most urgent first, each with its mark and why it is flagged; the forecast's date moves with the day.
DEMO_MENU = [
    r"‼ Moonshot \(demo\): 0\.00 CNY — no credit left",
    r"‼ OpenAI alias \(demo\): \$0\.00 — second account, no trial credit, no credit left",
    r"⚠ Zhipu \(demo\): 42\.57 CNY · a pack expires in 4 d",
    r"⚠ OpenAI trial \(demo\): \$3\.20 · expires in 5 d — low credit, will expire unused",
    r"⚠ OpenRouter \(demo\): \$1\.85 — low credit, runs out around [A-Z][a-z]{2} \d{1,2}",
    r"OpenAI main \(demo\): \$14\.50 · expires in 70 d",
    r"DeepSeek \(demo\): 82\.40 CNY",
    r"Poe \(demo\): 18450 points",
]


def icon_centre() -> tuple[int, int]:
    x, y, _w, h = panel_box()
    return x + h // 2, y + h // 2


def glance_window(before: dict[str, tuple[int, int, int, int]]) -> tuple[int, int, int, int] | None:
    """A new, viewable top-level window of the glance's width."""
    for window, geometry in top_level_windows().items():
        if window not in before and geometry[2] == GLANCE_WIDTH and viewable(window):
            return geometry
    return None


def crop(png: Path, box: tuple[int, int, int, int]) -> QImage:
    return QImage(str(png)).copy(*box)


def differing_share(a: QImage, b: QImage, tolerance: int = 48) -> float:
    """The share of pixels whose colour differs by more than `tolerance` in some channel (sizes must agree)."""
    assert (a.width(), a.height()) == (b.width(), b.height()), ((a.width(), a.height()), (b.width(), b.height()))
    differing = 0
    for y in range(0, a.height(), 2):
        for x in range(0, a.width(), 2):
            p, q = a.pixelColor(x, y), b.pixelColor(x, y)
            differing += max(abs(p.red() - q.red()), abs(p.green() - q.green()), abs(p.blue() - q.blue())) > tolerance
    return differing / ((a.width() + 1) // 2 * ((a.height() + 1) // 2))


def accent_rows(image: QImage, colour: QColor) -> int:
    """How many rows of the cards' left edge (the severity accent strip) have this colour."""
    rows = 0
    for y in range(image.height()):
        c = image.pixelColor(13, y)
        rows += (
            abs(c.red() - colour.red()) < 40
            and abs(c.green() - colour.green()) < 40
            and abs(c.blue() - colour.blue()) < 40
        )
    return rows


def wait_polled(app: TrayApp) -> list[str]:
    """The menu once the first poll is over and its forecasts (computed after it, off the UI thread) are in."""

    def settled() -> list[str] | None:
        labels = app.menu_labels()
        done = labels[-6:] == MENU_COMMANDS and any("runs out around" in label for label in labels)
        return labels if done and any("will expire unused" in label for label in labels) else None

    return poll(settled, 20, "the first poll and its forecasts")


def test_left_click_on_the_panel_icon_opens_the_glance_by_it(sni_items, launch, screenshot, wait_until):
    app: TrayApp = launch("--demo")
    app.wait_sni_item()
    wait_polled(app)
    x, y = icon_centre()
    before = top_level_windows()
    run(["xdotool", "mousemove", str(x), str(y), "click", "1"])
    box = wait_until(lambda: glance_window(before), what="the glance window")
    app.wait_log("glance opened (8 accounts)")
    assert app.windows(DETAILS_TITLE) == [], "a left click opens the glance, not the details window"

    # By the icon: just below the panel (at the top of the screen), around the pointer.
    gx, gy, gw, gh = box
    _px, py, _pw, ph = panel_box()
    assert py + ph <= gy <= py + ph + 40, (box, panel_box())
    assert gx <= x <= gx + gw or gx == 0, (box, x)
    assert gh >= 8 * 40, "eight cards"

    shot = screenshot("glance")
    image = crop(shot, box)
    # Structure: the two critical cards carry the red accent, the two warnings the amber one.
    assert accent_rows(image, QColor("#d93025")) >= 2 * 30
    assert accent_rows(image, QColor("#e8a317")) >= 2 * 30
    if os.environ.get("TRAYAPP_UPDATE_REFERENCE") == "1":  # after a reviewed change of the glance's look
        REFERENCE.parent.mkdir(exist_ok=True)
        image.save(str(REFERENCE))
    reference = QImage(str(REFERENCE))
    assert not reference.isNull(), f"{REFERENCE} missing (screenshot kept at {shot})"
    share = differing_share(image, reference)
    assert share < 0.04, f"{share:.1%} of the glance differs from {REFERENCE.name} (screenshot: {shot})"

    # Escape closes it; a click on a card opens that account's details.
    run(["xdotool", "key", "Escape"])
    wait_until(lambda: glance_window(before) is None, what="the glance to close")
    run(["xdotool", "mousemove", str(x), str(y), "click", "1"])
    gx, gy, _gw, _gh = wait_until(lambda: glance_window(before), what="the glance again")
    run(["xdotool", "mousemove", str(gx + 60), str(gy + 60), "click", "1"])  # the first card
    app.wait_details_window()
    app.wait_log("details opened for demo-zero")
    assert glance_window(before) is None


def test_the_panels_menu_lists_accounts_by_urgency_with_reasons_and_one_age(sni_items, launch):
    app: TrayApp = launch("--demo")
    labels = wait_polled(app)
    assert labels[0] == "Updated just now"
    accounts = labels[1:-6]
    assert len(accounts) == len(DEMO_MENU), labels
    for label, pattern in zip(accounts, DEMO_MENU, strict=True):
        assert re.fullmatch(pattern, label), (label, pattern)
    assert sum("just now" in label for label in labels) == 1
    assert app.sni_property("Title") == "Credit Tray"


def test_dunst_shows_one_bubble_per_poll_with_one_line_per_account(dunst, notify_calls, sni_items, launch):
    app: TrayApp = launch("--demo")
    calls = [c for c in notify_calls.wait(1, timeout=15) if c.app_name == "Credit Tray"]
    assert len(calls) == 1
    (call,) = calls
    assert call.summary == "5 accounts need attention"
    assert call.hints["urgency"] == 2  # the worst item is critical
    assert call.actions == ["default", "Show accounts"]  # one action: a click on the bubble
    assert call.app_icon == "credit-tray" and call.hints["image-data"][0] == 48  # the app's icon, as pixels too

    app.click_menu("Refresh now")  # a second poll: the same alerts, no second bubble
    poll(lambda: "Refreshing…" not in app.menu_labels(), 15, "the second poll")
    dunst.action(0)  # a left click on the bubble: the glance (the bubble is about several accounts)
    app.wait_log("glance opened from a notification")
    (shown,) = dunst.collect()
    assert shown["summary"] == "5 accounts need attention"
    lines = shown["body"].splitlines()
    assert [re.sub(r"around \w+ \d+", "around …", line) for line in lines] == [
        "Moonshot (demo): 0.00 CNY — no credit left",
        "OpenAI alias (demo): $0.00 — second account, no trial credit, no credit left",
        "Zhipu (demo): 42.57 CNY · a pack expires in 4 d",
        "OpenAI trial (demo): $3.20 · expires in 5 d — low credit, will expire unused",
        "OpenRouter (demo): $1.85 — low credit, runs out around …",
    ]
    assert len([c for c in notify_calls.calls if c.app_name == "Credit Tray"]) == 1, "one bubble for two polls"


def test_without_a_tray_stderr_says_so_at_once_and_a_window_with_quit_stands_in(tray_host, launch, wait_until):
    tray_host("none")
    app: TrayApp = launch("--demo", wait=False)
    wait_until(lambda: "no system tray found" in app.stderr(), timeout=5, what="the message on stderr")
    window = wait_until(lambda: app.windows("^Credit Tray$"), timeout=5, what="the stand-in window")[0]
    app.wait_log("a window stands in for it")
    x, y, w, h = window_geometry(window)
    assert w >= 300 and h >= 300
    # Quit, bottom right: the app ends (before, closing the stand-in only hid it and the process lived on).
    run(["xdotool", "mousemove", str(x + w - 40), str(y + h - 22), "click", "1"])
    assert app.proc.wait(10) == 0


@pytest.fixture
def deepseek() -> Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    yield server
    server.clear()
    server.stop()


def test_locked_keyring_one_bubble_a_short_line_and_the_poll_runs_after_the_unlock(
    dunst, notify_calls, sni_items, secret_service, add_account, deepseek, launch, wait_until, tmp_path
):
    config = tmp_path / "config"
    add_account(config, deepseek.url_for("/ds"), "sk-desktop-glance-0123456789abcdef", label="My DeepSeek")
    deepseek.expect_request("/ds/user/balance").respond_with_json(deepseek_balance("12.50"))
    secret_service.lock()

    app: TrayApp = launch(config_dir=config)
    first = wait_until(
        lambda: (e := app.menu_entries()) and e[0]["label"] == "Keyring locked" and e[0], what="the short menu line"
    )
    assert first["enabled"] is False
    calls = [c for c in notify_calls.wait(1, timeout=15) if c.app_name == "Credit Tray"]
    assert [c.summary for c in calls] == ["Keyring locked"]
    assert "Unlock" in calls[0].body

    secret_service.unlock()  # and nothing else: no click on Refresh
    wait_until(
        lambda: app.tooltip().splitlines()[1:] == ["My DeepSeek: 12.50 CNY", "Updated just now"],
        timeout=20,
        what="the balance, read by the retry after the unlock",
    )
    assert app.menu_entries()[0]["label"] == "Updated just now"
    assert len([c for c in notify_calls.calls if c.app_name == "Credit Tray"]) == 1


def test_the_item_needs_attention_exactly_while_a_critical_alert_is_active(
    sni_items, add_account, deepseek, launch, wait_until, tmp_path
):
    config = tmp_path / "config"
    add_account(config, deepseek.url_for("/ds"), "sk-desktop-attention-0123456789abcdef", label="My DeepSeek")
    deepseek.expect_request("/ds/user/balance").respond_with_json(deepseek_balance("12.50"))
    app: TrayApp = launch(config_dir=config)
    wait_until(lambda: "My DeepSeek: 12.50 CNY" in app.tooltip(), what="the first balance")
    assert app.sni_property("Status") == "Active"

    deepseek.clear()  # the credit runs out: zero is a critical alert
    deepseek.expect_request("/ds/user/balance").respond_with_json(deepseek_balance("0.00"))
    app.click_menu("Refresh now")
    wait_until(lambda: app.sni_property("Status") == "NeedsAttention", what="Status NeedsAttention at zero credit")
    assert "0.00 CNY" in app.tooltip()

    deepseek.clear()  # topped up: the alert clears, and so does the highlight
    deepseek.expect_request("/ds/user/balance").respond_with_json(deepseek_balance("40.00"))
    app.click_menu("Refresh now")
    wait_until(lambda: app.sni_property("Status") == "Active", what="Status Active again after the top-up")
    assert "My DeepSeek: 40.00 CNY" in app.tooltip()
