"""The glance (left click on the icon), the stand-in window where no tray exists, the first start and the
keyring-locked path, through the real controller on the demo accounts or a loopback server."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QGraphicsOpacityEffect, QSystemTrayIcon
from pytest_httpserver import HTTPServer

from tests.support.keyring_backend import MemoryKeyring
from trayapp.core.models import Account
from trayapp.secrets.store import SERVICE, KeyringStore

from .conftest import poll_and_wait
from .test_accounts_flow import KEY, LockedKeyring, core_with, serve_balance

URGENCY = [
    "demo-zero",
    "demo-alias",
    "demo-pack",
    "demo-expiring",
    "demo-low",
    "demo-main",
    "demo-healthy",
    "demo-points",
]


def open_glance(qtbot, c):
    c.tray.tray.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)  # what a left click sends
    glance = c.glance
    qtbot.waitExposed(glance)
    assert glance.isVisible()
    return glance


def test_a_second_click_on_the_icon_closes_the_glance(qtbot, make_controller) -> None:
    c = make_controller()
    glance = open_glance(qtbot, c)
    c.tray.tray.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    assert not glance.isVisible()
    glance = open_glance(qtbot, c)
    # A click on the icon while the popup is open: Qt closes the popup on the press outside it, then the
    # click's activation arrives; it must not open the popup again at once.
    glance.close()
    c.tray.tray.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    assert not glance.isVisible()


def test_left_click_opens_the_glance_most_urgent_first_with_reasons(qtbot, make_controller) -> None:
    c = make_controller()
    poll_and_wait(qtbot, c)
    glance = open_glance(qtbot, c)
    assert glance.isVisible() and not c.details.isVisible()
    assert [card.account_id for card in glance.cards] == URGENCY
    texts = {card.account_id: card.texts() for card in glance.cards}
    assert texts["demo-zero"] == ["Moonshot (demo)", "0.00 CNY", "no credit left"]
    assert texts["demo-alias"] == ["OpenAI alias (demo)", "$0.00", "second account, no trial credit, no credit left"]
    assert texts["demo-expiring"] == [
        "OpenAI trial (demo)",
        "$3.20",
        "expires in 5 d",
        "low credit, will expire unused",
    ]
    assert texts["demo-low"][2].startswith("low credit, runs out around ")
    assert texts["demo-healthy"] == ["DeepSeek (demo)", "82.40 CNY"]  # nothing wrong: nothing more to say
    assert glance.panel.age.text() == "Updated just now"  # one age, at the top
    assert glance.panel.refresh.text() == "Refresh" and glance.panel.refresh.isEnabled()


def test_bars_only_where_the_total_is_known(qtbot, make_controller) -> None:
    c = make_controller()
    poll_and_wait(qtbot, c)
    cards = {card.account_id: card for card in open_glance(qtbot, c).cards}
    # OpenRouter: $1.85 of a $10.00 limit; the trial: $3.20 of $5.00; nothing left is an empty bar.
    assert cards["demo-low"].bar is not None and cards["demo-low"].bar.value() == 185
    assert cards["demo-expiring"].bar is not None and cards["demo-expiring"].bar.value() == 640
    assert cards["demo-zero"].bar is not None and cards["demo-zero"].bar.value() == 0
    # DeepSeek reports a balance but no total: no bar rather than an invented "full".
    assert cards["demo-healthy"].bar is None and cards["demo-healthy"].fraction is None
    # A total the amount is not part of ($14.50 with $5.00 granted and $10.00 paid on top; Zhipu's 42.57 CNY
    # beside 10.00 CNY given over the account's life): no bar, never a full one.
    assert cards["demo-main"].bar is None and cards["demo-pack"].bar is None


def test_keyboard_tab_between_cards_enter_opens_escape_closes(qtbot, make_controller) -> None:
    c = make_controller()
    poll_and_wait(qtbot, c)
    glance = open_glance(qtbot, c)
    first, second = glance.cards[0], glance.cards[1]
    assert first.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert first.nextInFocusChain() is second or second in _chain(first, 8), "Tab goes to the next card"
    QTest.keyClick(second, Qt.Key.Key_Return)
    assert not glance.isVisible(), "opening an account closes the glance"
    assert c.details.isVisible() and c.details.selected_account_id() == "demo-alias"

    glance = open_glance(qtbot, c)
    assert glance.isVisible()
    QTest.keyClick(glance, Qt.Key.Key_Escape)
    assert not glance.isVisible()


def _chain(widget, n):
    found, w = [], widget
    for _ in range(n):
        w = w.nextInFocusChain()
        found.append(w)
    return found


def test_a_card_click_opens_that_accounts_details(qtbot, make_controller) -> None:
    c = make_controller()
    poll_and_wait(qtbot, c)
    glance = open_glance(qtbot, c)
    card = next(card for card in glance.cards if card.account_id == "demo-low")
    QTest.mouseClick(card, Qt.MouseButton.LeftButton)
    assert not glance.isVisible()
    assert c.details.selected_account_id() == "demo-low"


def test_screen_readers_get_a_name_per_card_with_its_severity(qtbot, make_controller) -> None:
    c = make_controller()
    poll_and_wait(qtbot, c)
    cards = open_glance(qtbot, c).cards
    assert cards[0].accessibleName() == "Critical: Moonshot (demo): 0.00 CNY — no credit left"
    assert cards[2].accessibleName() == "Warning: Zhipu (demo): 42.57 CNY · a pack expires in 4 d"
    assert cards[3].accessibleName().startswith("Warning: OpenAI trial (demo): $3.20 · expires in 5 d")
    assert cards[-2].accessibleName() == "DeepSeek (demo): 82.40 CNY"
    assert cards[-1].accessibleName() == "Poe (demo): 18450 points", "points, never money"
    assert cards[0].bar is not None and cards[0].bar.accessibleName() == "0 % left"


def test_refresh_in_the_glance_polls_and_says_so(qtbot, make_controller) -> None:
    c = make_controller()
    poll_and_wait(qtbot, c)
    glance = open_glance(qtbot, c)
    with qtbot.waitSignal(c.poller.finished, timeout=20000):
        QTest.mouseClick(glance.panel.refresh, Qt.MouseButton.LeftButton)
        assert glance.panel.refresh.text() == "Refreshing…" and not glance.panel.refresh.isEnabled()
    qtbot.waitUntil(lambda: glance.panel.refresh.isEnabled(), timeout=5000)


def test_old_data_is_dimmed_and_says_its_age(qtbot) -> None:
    from trayapp.ui.glance import GlanceWindow

    from .test_tray import _aged_views

    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    glance = GlanceWindow()
    qtbot.addWidget(glance)
    glance.set_views(_aged_views(now), now)
    new, old = glance.cards
    assert old.texts() == ["Old", "12.50 CNY", "No connection", "data from 3 days ago · last try failed 1 min ago"]
    effect = old.graphicsEffect()
    assert isinstance(effect, QGraphicsOpacityEffect) and effect.opacity() < 1
    assert new.graphicsEffect() is None, "never read: nothing old to dim"


def test_the_glance_follows_the_palette(qtbot, make_controller) -> None:
    c = make_controller()
    poll_and_wait(qtbot, c)
    app = QApplication.instance()
    before = app.palette()
    dark = QPalette(before)
    dark.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#e8eaed"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#202124"))
    try:
        for palette in (before, dark):
            app.setPalette(palette)
            glance = open_glance(qtbot, c)
            image = glance.grab().toImage()
            corner = image.pixelColor(4, image.height() - 3)  # inside the frame, below the cards
            window = palette.color(QPalette.ColorRole.Window)
            assert abs(corner.lightness() - window.lightness()) < 12, (corner.name(), window.name())
            glance.dismiss()
    finally:
        app.setPalette(before)


def test_a_grouped_notification_opens_the_glance_and_a_single_one_the_account(qtbot, make_controller) -> None:
    c = make_controller()
    poll_and_wait(qtbot, c)
    (message,) = c.delivered
    assert message.group and message.account_id == ""
    c.notifier.clicked.emit(message.account_id)
    assert c.glance.isVisible() and not c.details.isVisible()
    c.glance.close()
    c.notifier.clicked.emit("demo-zero")
    assert c.details.selected_account_id() == "demo-zero"


def test_the_grouped_notification_has_one_line_per_account_by_urgency(qtbot, make_controller) -> None:
    c = make_controller()
    poll_and_wait(qtbot, c)
    (message,) = c.delivered
    assert message.summary == "5 accounts need attention"
    lines = message.body.splitlines()
    assert lines[:4] == [
        "Moonshot (demo): 0.00 CNY — no credit left",
        "OpenAI alias (demo): $0.00 — second account, no trial credit, no credit left",
        "Zhipu (demo): 42.57 CNY · a pack expires in 4 d",
        "OpenAI trial (demo): $3.20 · expires in 5 d — low credit, will expire unused",
    ]
    assert lines[4].startswith("OpenRouter (demo): $1.85 — low credit, runs out around ")
    assert len(lines) == 5, "one line per account, none hidden behind '…and N more'"
    assert message.critical, "the worst item is critical"


def test_no_tray_a_stand_in_window_with_quit_comes_within_seconds(qtbot, make_controller) -> None:
    # Offscreen Qt has no tray (isSystemTrayAvailable() is False), as on GNOME without AppIndicator.
    assert not QSystemTrayIcon.isSystemTrayAvailable()
    c = make_controller()
    with qtbot.waitSignal(c.settled, timeout=20000):
        c.start()
    qtbot.waitUntil(lambda: c.stand_in is not None and c.stand_in.isVisible(), timeout=5000)
    stand_in = c.stand_in
    assert stand_in is not None and stand_in.windowTitle() == "Credit Tray"
    assert [card.account_id for card in stand_in.cards] == URGENCY
    with qtbot.waitSignal(c.quit_requested, timeout=2000):
        QTest.mouseClick(stand_in.quit_button, Qt.MouseButton.LeftButton)
    assert not stand_in.isVisible()
    # Closing it from the window manager ends the app too.
    stand_in.show()
    with qtbot.waitSignal(c.quit_requested, timeout=2000):
        stand_in.close()


def test_a_stopped_app_brings_up_no_stand_in_window(qtbot, make_controller) -> None:
    # The search for a tray ends with the app: a stopped controller's timer once brought up its stand-in window
    # seconds later, in front of whatever window came next (a test's details window lost its focus to it in CI).
    from trayapp.ui.controller import STAND_IN_SECONDS

    c = make_controller()
    with qtbot.waitSignal(c.settled, timeout=20000):
        c.start()
    c.stop()
    qtbot.wait(int((STAND_IN_SECONDS + 1.5) * 1000))
    assert c.stand_in is None
    assert not any(w.isVisible() and w.windowTitle() == "Credit Tray" for w in QApplication.topLevelWidgets())


def test_first_start_without_accounts_opens_add_account(qtbot, make_controller, tmp_path: Path) -> None:
    from trayapp.service import open_service
    from trayapp.ui.dialogs import AccountDialog

    c = make_controller(core=open_service(str(tmp_path / "fresh")))
    assert c.service.config.accounts == []
    c.start()
    dialogs = [d for d in c._dialogs if isinstance(d, AccountDialog)]
    assert len(dialogs) == 1 and dialogs[0].isVisible()
    dialogs[0].reject()


def test_locked_keyring_one_notification_short_line_and_polls_again_by_itself(
    qtbot, make_controller, tmp_path: Path, httpserver: HTTPServer
) -> None:
    serve_balance(httpserver)
    core = core_with(tmp_path, LockedKeyring())
    core.config.accounts = [
        Account("deepseek-1", "deepseek", "DS", datetime.now(UTC), base_url=httpserver.url_for("").rstrip("/"))
    ]
    core.save_config()
    c = make_controller(core=core)
    poll_and_wait(qtbot, c)
    c.tray.rebuild_menu()
    assert c.tray.menu.actions()[0].text() == "Keyring locked", "a short line; the details are in its tip"
    assert "Unlock" in c.tray.menu.actions()[0].toolTip()
    (note,) = c.delivered
    assert note.summary == "Keyring locked" and "Unlock" in note.body
    poll_and_wait(qtbot, c)  # still locked: no second bubble
    assert len(c.delivered) == 1

    # The user unlocks the keyring; nobody clicks anything: the retry reads the key and the balance shows.
    unlocked = MemoryKeyring()
    unlocked.items[(SERVICE, "deepseek-1:api")] = KEY
    core.secrets = KeyringStore(backend=unlocked)
    c.poller._store = core.secrets
    qtbot.waitUntil(lambda: "DS: 42.00 CNY" in c.tray.tooltip(), timeout=30000)
    assert "Keyring locked" not in c.tray.tooltip()
    assert not c._keyring_timer.isActive(), "no retry left running once the keyring answers"


def test_the_glance_and_the_menu_in_japanese(qtbot, make_controller, japanese) -> None:
    import re

    c = make_controller()
    poll_and_wait(qtbot, c)
    cards = {card.account_id: card for card in open_glance(qtbot, c).cards}
    assert cards["demo-zero"].reason == "残高なし"
    assert cards["demo-alias"].reason == "2つ目のアカウント、無料クレジットなし、残高なし"
    assert cards["demo-expiring"].expiry == "失効まで5日"
    assert re.fullmatch(r"残高が少ない、\d{1,2}月\d{1,2}日ごろに尽きる", cards["demo-low"].reason), cards[
        "demo-low"
    ].reason
    assert c.glance.panel.age.text() == "たった今更新"
    assert c.glance.panel.refresh.text() == "更新"
    assert cards["demo-zero"].accessibleName().startswith("重大: ")
