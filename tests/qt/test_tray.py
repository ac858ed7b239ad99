from __future__ import annotations

from trayapp.core.models import Severity
from trayapp.ui.notifier import TrayMessageNotifier

from .conftest import poll_and_wait

MENU_ENTRIES = ["Refresh now", "Details…", "Add account…", "Settings…", "Snooze notifications", "Quit"]


DEMO_LINES = [  # most urgent first, each with its mark and why it is flagged
    "‼ Moonshot (demo): 0.00 CNY — no credit left",
    "‼ OpenAI alias (demo): $0.00 — second account, no trial credit, no credit left",
    "⚠ Zhipu (demo): 42.57 CNY · a pack expires in 4 d",
    "⚠ OpenAI trial (demo): $3.20 · expires in 5 d — low credit, will expire unused",
    "⚠ OpenRouter (demo): $1.85 — low credit, runs out around ",
    "OpenAI main (demo): $14.50 · expires in 70 d",
    "DeepSeek (demo): 82.40 CNY",
    "Poe (demo): 18450 points",
]


def matches(lines: list[str], expected: list[str]) -> bool:
    return len(lines) == len(expected) and all(line.startswith(e) for line, e in zip(lines, expected, strict=True))


def test_tooltip_and_menu_list_accounts_by_urgency_with_reasons_and_one_age(qtbot, make_controller) -> None:
    c = make_controller()
    with qtbot.waitSignal(c.settled, timeout=20000):
        c.start()
    tooltip = c.tray.tray.toolTip().splitlines()
    assert tooltip[0] == "Credit Tray"
    assert matches(tooltip[1:-1], DEMO_LINES), tooltip
    assert tooltip[-1] == "Updated just now"
    assert sum("just now" in line for line in tooltip) == 1, "one age line, not one per account"
    c.tray.rebuild_menu()
    texts = [a.text() for a in c.tray.menu.actions() if not a.isSeparator()]
    assert texts[-6:] == MENU_ENTRIES
    assert texts[0] == "Updated just now" and not c.tray.menu.actions()[0].isEnabled()
    accounts = [a for a in c.tray.menu.actions() if a.data()]
    assert matches([a.text() for a in accounts], DEMO_LINES)
    assert [a.data() for a in accounts][:2] == ["demo-zero", "demo-alias"]
    assert "first phone-verified account" in accounts[1].toolTip(), "the entry's tip is the whole explanation"


def test_runs_out_date_follows_the_forecast(qtbot, make_controller) -> None:
    from trayapp.ui.tray import reason_text

    c = make_controller()
    poll_and_wait(qtbot, c)
    view = next(v for v in c.tray.views if v.account.id == "demo-low")
    assert view.forecast is not None and view.forecast.runs_out_at is not None
    when = view.forecast.runs_out_at.astimezone()
    assert reason_text(view) == f"low credit, runs out around {when.strftime('%b')} {when.day}"


def test_icon_shows_the_most_urgent_account_with_a_critical_badge(qtbot, make_controller) -> None:
    c = make_controller()
    poll_and_wait(qtbot, c)
    spec = c.tray.icon_spec
    assert spec is not None
    assert spec.level == "zero" and spec.fraction == 0.0
    assert spec.badge is Severity.CRITICAL
    assert not c.tray.icon().isNull()


def test_icon_is_not_redrawn_when_nothing_it_shows_changed(qtbot, make_controller) -> None:
    c = make_controller()
    poll_and_wait(qtbot, c)
    renders = c.tray.icon_renders
    poll_and_wait(qtbot, c)
    assert c.tray.icon_renders == renders


def test_menu_actions_emit_their_requests(qtbot, make_controller) -> None:
    c = make_controller()
    with qtbot.waitSignal(c.tray.settings_requested):
        c.tray.action("Settings…").trigger()
    with qtbot.waitSignal(c.tray.quit_requested):
        c.tray.action("Quit").trigger()
    with qtbot.waitSignal(c.poller.finished, timeout=20000):
        c.tray.action("Refresh now").trigger()


def test_account_entry_in_menu_opens_its_details(qtbot, make_controller) -> None:
    c = make_controller()
    poll_and_wait(qtbot, c)
    c.tray.rebuild_menu()
    entry = next(a for a in c.tray.menu.actions() if a.data() == "demo-alias")
    entry.trigger()
    assert c.details.isVisible()
    assert c.details.selected_account_id() == "demo-alias"
    assert "second account" in c.details.explanation_html()


def test_alerts_are_notified_once_grouped_and_not_repeated_after_restart(qtbot, make_controller) -> None:
    c = make_controller()
    poll_and_wait(qtbot, c)
    assert len(c.delivered) == 1, "a burst of alerts becomes one grouped notification"
    first = c.delivered[0]
    assert first.group and first.critical
    assert "accounts need attention" in first.summary
    assert "second account" in first.body
    poll_and_wait(qtbot, c)
    assert len(c.delivered) == 1, "no repeat while the alerts stay true"

    # A restart with the same state file delivers nothing new.
    again = make_controller(core=None, demo=True)
    again.service.state.notified = set(c.service.state.notified)
    poll_and_wait(qtbot, again)
    assert again.delivered == []


def test_cleared_alert_rearms_and_notifies_again(qtbot, make_controller) -> None:
    from dataclasses import replace

    c = make_controller()
    poll_and_wait(qtbot, c)
    # The user tops up: the zero account becomes healthy, so its alert clears…
    zero = c.service.monitor.account("demo-zero")
    c.service.config.accounts = [
        replace(a, options={"scenario": "healthy"}) if a.id == "demo-zero" else a for a in c.service.config.accounts
    ]
    c.service.monitor.set_accounts(c.service.config.accounts)
    poll_and_wait(qtbot, c)
    assert "demo-zero/credit_zero" not in c.service.state.notified
    # …and when it runs out again, it is notified again, alone.
    c.service.config.accounts = [zero if a.id == "demo-zero" else a for a in c.service.config.accounts]
    c.service.monitor.set_accounts(c.service.config.accounts)
    poll_and_wait(qtbot, c)
    assert len(c.delivered) == 2
    assert c.delivered[-1].summary == "Moonshot (demo): no credit left"
    assert c.delivered[-1].critical and not c.delivered[-1].group


def test_clicking_a_notification_opens_that_account_with_reason_and_what_to_do(qtbot, make_controller) -> None:
    c = make_controller()
    poll_and_wait(qtbot, c)
    notifier = c.notifier
    assert isinstance(notifier, TrayMessageNotifier)
    notifier.clicked.emit("demo-alias")
    assert c.details.isVisible()
    assert c.details.selected_account_id() == "demo-alias"
    html = c.details.explanation_html()
    assert "first phone-verified account" in html
    assert "What to do" in html
    assert "help.openai.com" in html


def test_notifications_off_delivers_nothing(qtbot, make_controller) -> None:
    from dataclasses import replace

    c = make_controller()
    c.service.config.settings = replace(c.service.config.settings, notifications=False)
    c.service.monitor.settings = c.service.config.settings
    poll_and_wait(qtbot, c)
    assert c.delivered == []
    assert c.tray.icon_spec is not None and c.tray.icon_spec.badge is Severity.CRITICAL


def test_details_window_is_built_only_when_first_opened(qtbot, tmp_path) -> None:
    from trayapp.service import open_service
    from trayapp.ui.controller import AppController
    from trayapp.ui.details import DetailsWindow
    from trayapp.ui.poller import Poller
    from trayapp.ui.tray import TrayController

    built: list[DetailsWindow] = []

    def factory() -> DetailsWindow:
        built.append(DetailsWindow())
        return built[-1]

    core = open_service(str(tmp_path), demo=True)
    tray = TrayController()
    c = AppController(core, Poller(core.secrets, core.state.identity_salt, in_process=True), tray, factory,
                      TrayMessageNotifier(tray.tray))  # fmt: skip
    try:
        with qtbot.waitSignal(c.poller.finished, timeout=20000):
            c.refresh_now()
        assert built == [], "polls do not build (or redraw) a window nobody opened"
        c.open_details("demo-zero")
        assert len(built) == 1 and built[0].isVisible()
        assert built[0].table.rowCount() == 8 and built[0].selected_account_id() == "demo-zero"
        c.open_details("demo-low")
        assert len(built) == 1
    finally:
        c.stop()
        for w in built:
            w.deleteLater()


def test_the_last_drawn_icon_is_kept_and_an_early_icon_is_taken_over(qtbot, make_controller, tmp_path) -> None:
    from PySide6.QtGui import QIcon, QImage
    from PySide6.QtWidgets import QSystemTrayIcon

    from trayapp.ui.tray import TrayController

    cache = tmp_path / "tray-icon.png"
    c = make_controller()
    poll_and_wait(qtbot, c)
    c.tray._icon_cache = cache
    c.tray._spec = None
    c.tray.set_views(c.service.monitor.views(c.clock()))
    image = QImage(str(cache))
    assert not image.isNull() and image.width() == 64
    # The next start shows that picture at once, and the controller takes the same item over.
    early = QSystemTrayIcon(QIcon(str(cache)))
    tray = TrayController(tray_icon=early, icon_cache=cache)
    try:
        assert tray.tray is early and early.contextMenu() is tray.menu
        assert tray.icon_renders == 0, "the cached picture stays until the state is drawn"
        tray.set_views(c.service.monitor.views(c.clock()))
        assert tray.icon_renders == 1 and tray.icon_spec is not None and tray.icon_spec.level == "zero"
    finally:
        tray.dispose()


def test_the_empty_gauge_of_a_first_start_is_not_drawn_twice(qtbot, tmp_path) -> None:
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QSystemTrayIcon

    from trayapp.ui.icon import EMPTY, render_icon
    from trayapp.ui.tray import TrayController

    cache = tmp_path / "tray-icon.png"
    early = QSystemTrayIcon(render_icon(EMPTY))  # what run_tray shows when nothing was drawn before
    tray = TrayController(tray_icon=early, icon_cache=cache, shown=EMPTY)
    try:
        tray.set_views([])  # no account has data yet: the empty gauge again
        assert tray.icon_renders == 0 and tray.icon_spec == EMPTY
        assert not QImage(str(cache)).isNull(), "the next start shows it from the cache"
    finally:
        tray.dispose()


def _aged_views(now):
    """One account read three days ago whose last try failed a minute ago, one never read."""
    from datetime import timedelta
    from decimal import Decimal

    from trayapp.core.models import Account, ErrorKind, FetchError, FetchResult, Settings, Snapshot
    from trayapp.core.monitor import Monitor

    then = now - timedelta(days=3)
    accounts = [Account(i, "deepseek", label, then) for i, label in (("old", "Old"), ("new", "New"))]
    monitor = Monitor(accounts, Settings())
    monitor.apply([FetchResult("old", snapshot=Snapshot("old", then, "CNY", Decimal("12.5")))], then)
    failed = FetchError(ErrorKind.NETWORK, "No connection", "Could not reach DeepSeek.")
    monitor.apply([FetchResult("old", error=failed), FetchResult("new", error=failed)], now - timedelta(minutes=1))
    return monitor.views(now)


def test_tooltip_and_menu_show_the_age_of_the_data_not_of_the_last_try(qtbot) -> None:
    from datetime import UTC, datetime

    from trayapp.ui.tray import TrayController

    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    tray = TrayController(clock=lambda: now)
    tray.set_views(_aged_views(now))
    lines = tray.tooltip().splitlines()[1:]
    assert lines == [
        # never read is worse than old data: first; each says why and carries its own age
        "New: error — No connection · never read · last try failed 1 min ago",
        "Old: 12.50 CNY — No connection · data from 3 days ago · last try failed 1 min ago",
        "Updated 3 days ago",
    ]
    tray.rebuild_menu()
    entries = [a.text() for a in tray.menu.actions() if a.data()]
    assert entries[1].endswith("data from 3 days ago · last try failed 1 min ago")
    assert "just now" not in tray.tooltip()
    tray.dispose()
