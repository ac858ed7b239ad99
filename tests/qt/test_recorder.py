"""The tray records a poll's results and computes their forecasts off the UI thread (ui/recorder.py):
the outcome must be what `trayapp check` records, nothing may be lost at quit, and the menu follows."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from trayapp.core.models import FetchResult

from .conftest import poll_and_wait


def test_forecasts_computed_apart_are_those_the_cli_computes(qtbot, make_controller) -> None:
    c = make_controller()
    poll_and_wait(qtbot, c)
    monitor, history = c.service.monitor, c.service.history
    assert history is not None
    now = c.clock()
    items = [(a.id, monitor.states[a.id].last_good) for a in monitor.accounts]
    apart = history.forecasts_apart(items, now)
    c.service.refresh_forecasts(now)  # what `trayapp check` does, on the same history
    assert apart == {a.id: monitor.forecasts[a.id] for a in monitor.accounts}
    assert any(f.runs_out_at is not None or f.expires_unused for f in apart.values()), "not all trivial"


def test_a_poll_settles_with_its_forecast_alerts_in_one_notification(qtbot, make_controller) -> None:
    c = make_controller()
    start = datetime.now(UTC).replace(microsecond=0)
    poll_and_wait(qtbot, c)
    assert len(c.delivered) == 1 and c.delivered[0].group
    # The forecast's alert came with the poll's one notification, not in a second one a moment later.
    assert "demo-expiring/will_expire_unused" in c.service.state.notified
    expiring = [r for r in c.service.history.readings(since=start) if r.account_id == "demo-expiring"]
    assert expiring and "will_expire_unused" in expiring[-1].alerts, "recorded with the forecast's alerts"


def test_results_not_yet_recorded_at_quit_are_recorded(qtbot, make_controller) -> None:
    c = make_controller()
    poll_and_wait(qtbot, c)
    history = c.service.history
    assert history is not None
    before = history.count()
    later = c.clock() + timedelta(seconds=5)
    last = c.service.monitor.states["demo-low"].last_good
    assert last is not None
    result = FetchResult("demo-low", replace(last, checked_at=later, remaining=last.remaining - 1))
    c.recorder.add(result)
    assert c.recorder.busy
    c.stop()  # the user quits before the burst was handed over
    readings = history.readings(since=later - timedelta(seconds=1))
    assert history.count() == before + 1
    assert [(r.account_id, r.remaining) for r in readings] == [("demo-low", last.remaining - 1)]


def test_menu_entries_follow_each_poll_and_each_change_of_accounts(qtbot, make_controller) -> None:
    c = make_controller()
    poll_and_wait(qtbot, c)
    tray = c.tray

    def entry(account_id: str) -> str:
        return next(a.text() for a in tray.menu.actions() if a.data() == account_id)

    assert entry("demo-low").startswith("⚠ OpenRouter (demo): $1.85 — low credit")  # low: marked, and why
    state = c.service.monitor.states["demo-low"]
    assert state.last_good is not None
    c.service.monitor.states["demo-low"] = replace(
        state, last_good=replace(state.last_good, remaining=state.last_good.remaining + 100)
    )
    c.refresh_views()
    assert "OpenRouter (demo): $101.85" in entry("demo-low") and "low credit" not in entry("demo-low")
    ids = [a.data() for a in tray.menu.actions() if a.data()]
    c.service.monitor.accounts = [a for a in c.service.monitor.accounts if a.id != "demo-low"]
    c.refresh_views()
    assert [a.data() for a in tray.menu.actions() if a.data()] == [i for i in ids if i != "demo-low"]


def test_the_refresh_entry_says_when_a_poll_runs(qtbot, make_controller) -> None:
    c = make_controller()
    poll_and_wait(qtbot, c)
    tray = c.tray

    def refresh_entry() -> tuple[str, bool]:
        [action] = [a for a in tray.menu.actions() if a.text() in ("Refresh now", "Refreshing…")]
        return action.text(), action.isEnabled()

    assert refresh_entry() == ("Refresh now", True)
    tray.busy = True
    assert refresh_entry() == ("Refreshing…", False)
    tray.busy = False
    assert refresh_entry() == ("Refresh now", True)


def test_a_poll_evaluates_alerts_once_a_burst_and_ends_idle(qtbot, make_controller, monkeypatch) -> None:
    from trayapp.ui.controller import Round

    c = make_controller()
    poll_and_wait(qtbot, c)  # the first poll also computes the start-up forecasts
    monitor = c.service.monitor
    evaluations, bursts, results = [], [], []
    original = monitor.alerts
    monkeypatch.setattr(monitor, "alerts", lambda now: evaluations.append(now) or original(now))
    c.recorder.updated.connect(lambda views: bursts.append(views))
    c.poller.result.connect(results.append)
    poll_and_wait(qtbot, c)
    assert len(results) == len(monitor.accounts), "each result reaches the controller once"
    assert bursts and len(evaluations) == len(bursts), "one pass over the alerts a burst, none more to notify"
    assert c._round is Round.IDLE and not c.recorder.busy
