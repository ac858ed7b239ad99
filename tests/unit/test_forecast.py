"""Forecasts on synthetic series: what the user is told about when credit runs out or expires."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from trayapp.core import codec
from trayapp.core.forecast import forecast, forecast_alerts
from trayapp.core.models import Account, AccountState, Settings, Snapshot
from trayapp.core.monitor import AccountView, Monitor, view_json

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
ACCOUNT = Account("a", "openai", "OpenAI", NOW - timedelta(days=100))
D = Decimal


def series(values: list[tuple[float, str]]) -> list[tuple[datetime, Decimal, str | None]]:
    """(hours before NOW, remaining) → recorded balances in USD."""
    return [(NOW - timedelta(hours=h), D(v), "USD") for h, v in values]


def steady(per_day: float, days: int, end_value: float, step_hours: int = 1) -> list[tuple[float, str]]:
    return [(h, f"{end_value + per_day * h / 24:.4f}") for h in range(days * 24, -1, -step_hours)]


def snap(remaining: str, **kw: object) -> Snapshot:
    return replace(Snapshot("a", NOW, currency="USD", remaining=D(remaining)), **kw)  # type: ignore[arg-type]


def test_steady_spend_gives_its_rate_and_the_day_it_runs_out() -> None:
    fc = forecast(series(steady(1.0, 10, 5.0)), snap("5"), NOW)
    assert fc.burn_per_day == pytest.approx(D(1), abs=D("0.001"))
    assert fc.runs_out_at is not None and abs(fc.runs_out_at - (NOW + timedelta(days=5))) < timedelta(minutes=5)
    assert fc.reason is None and fc.topups == 0


def test_bursty_spend_is_averaged_over_the_window() -> None:
    # Nothing for days, then $6 at once, every 3 days: $2 a day on average.
    values: list[tuple[float, str]] = []
    remaining = 40.0
    for h in range(12 * 24, -1, -1):
        if h % 72 == 0 and h != 12 * 24:
            remaining -= 6
        values.append((h, f"{remaining}"))
    fc = forecast(series(values), snap(str(remaining)), NOW)
    assert fc.burn_per_day is not None and D("1.9") <= fc.burn_per_day <= D("2.1")
    assert fc.runs_out_at is not None and timedelta(days=7) < fc.runs_out_at - NOW < timedelta(days=9)


def test_a_top_up_is_not_mistaken_for_negative_spend() -> None:
    before = [(h, f"{2 + (h - 120) / 24:.4f}") for h in range(240, 119, -1)]  # $1/day down to $2
    after = [(h, f"{52 + (h - 0) / 24 - 119 / 24:.4f}") for h in range(119, -1, -1)]  # +$50, then $1/day
    fc = forecast(series(before + after), snap(after[-1][1]), NOW)
    assert fc.topups == 1
    assert fc.burn_per_day == pytest.approx(D(1), abs=D("0.01"))
    assert fc.runs_out_at is not None and timedelta(days=46) < fc.runs_out_at - NOW < timedelta(days=48)


def test_no_spend_never_runs_out_and_all_granted_credit_expires() -> None:
    expires = NOW + timedelta(days=10)
    fc = forecast(
        series([(h, "5") for h in range(72, -1, -1)]),
        snap("5", remaining_granted=D(5), expires_at=expires),
        NOW,
    )
    assert fc.burn_per_day == 0 and fc.runs_out_at is None
    assert fc.reason is not None and "no spending" in fc.reason
    assert fc.expires_unused == D("5.00")


def test_one_reading_is_too_little_and_says_so() -> None:
    fc = forecast([], snap("5"), NOW)
    assert fc.burn_per_day is None and fc.runs_out_at is None and fc.expires_unused is None
    assert fc.reason == "only one reading so far"
    alerts = forecast_alerts(ACCOUNT, snap("5"), fc, Settings(), NOW)
    assert alerts == []


def test_a_few_minutes_of_readings_are_too_little() -> None:
    fc = forecast(series([(0.5, "9"), (0.25, "7")]), snap("5"), NOW)
    assert fc.burn_per_day is None and fc.reason is not None and "too little history" in fc.reason


def test_a_gap_counts_what_was_spent_across_it() -> None:
    # Readings on days 10-8 and 2-0 only (the laptop was off in between); $1/day throughout.
    values = [(h, f"{5 + h / 24:.4f}") for h in [*range(240, 191, -1), *range(48, -1, -1)]]
    fc = forecast(series(values), snap("5"), NOW)
    assert fc.burn_per_day == pytest.approx(D(1), abs=D("0.01"))


def test_readings_in_another_currency_or_too_old_are_ignored() -> None:
    old = [(NOW - timedelta(days=30), D(500), "USD")]
    other = [(NOW - timedelta(hours=h), D(1000 - h), "CNY") for h in range(48)]
    fc = forecast(old + other + series(steady(1.0, 3, 5.0)), snap("5"), NOW)
    assert fc.burn_per_day == pytest.approx(D(1), abs=D("0.01"))


def test_credit_that_expires_before_it_runs_out_is_forecast_as_lost() -> None:
    expires = NOW + timedelta(days=10)
    s = snap("5", remaining_granted=D(5), expires_at=expires)
    fc = forecast(series(steady(0.1, 7, 5.0)), s, NOW)
    assert fc.expires_unused == D("4.00")
    alerts = forecast_alerts(ACCOUNT, s, fc, Settings(), NOW)
    assert [a.code for a in alerts] == ["will_expire_unused"]
    assert alerts[0].message == (
        "OpenAI: $4.00 of trial credit will expire unused on 2026-06-11 (at the recent rate of $0.10 a day)."
    )


def test_runs_out_soon_within_the_setting_and_not_when_expiry_comes_first() -> None:
    s = snap("5")
    fc = forecast(series(steady(1.0, 7, 5.0)), s, NOW)
    alerts = forecast_alerts(ACCOUNT, s, fc, Settings(), NOW)
    assert [a.code for a in alerts] == ["runs_out_soon"]
    assert "runs out in about 5 days (around 2026-06-06)" in alerts[0].message
    assert forecast_alerts(ACCOUNT, s, fc, Settings(runs_out_warning_days=3), NOW) == []
    # It expires (in 2 days) before it would run out (in 5): what the user needs to hear is the loss.
    early = snap("5", remaining_granted=D(5), expires_at=NOW + timedelta(days=2))
    fc2 = forecast(series(steady(1.0, 7, 5.0)), early, NOW)
    assert [a.code for a in forecast_alerts(ACCOUNT, early, fc2, Settings(), NOW)] == ["will_expire_unused"]
    assert fc2.expires_unused == D("3.00")


def test_zero_credit_has_no_runs_out_date_and_no_forecast_alert() -> None:
    s = snap("0")
    fc = forecast(series(steady(1.0, 3, 0.0)), s, NOW)
    assert fc.runs_out_at is None and fc.reason == "no credit left"
    assert forecast_alerts(ACCOUNT, s, fc, Settings(), NOW) == []


def test_monitor_raises_forecast_alerts_and_check_json_carries_the_fields() -> None:
    s = snap("5", remaining_granted=D(5))
    m = Monitor([ACCOUNT], Settings(), {"a": AccountState(last_good=s, last_attempt_at=NOW)})
    (view,) = m.views(NOW)
    data = view_json(view)
    assert data["runs_out_at"] is None and data["expires_unused"] is None
    assert data["forecast_reason"] == "no history recorded yet"
    m.forecasts["a"] = forecast(series(steady(1.0, 7, 5.0)), s, NOW)
    (view,) = m.views(NOW)
    assert isinstance(view, AccountView) and view.forecast is not None
    assert [a.code for a in view.alerts] == ["credit_low", "runs_out_soon"]
    assert view.level.name == "low"
    data = view_json(view)
    assert data["runs_out_at"].startswith("2026-06-06T") and data["expires_unused"] is None
    assert data["burn_per_day"] == pytest.approx(1.0, abs=0.01)


def test_runs_out_warning_days_is_a_setting_with_a_default() -> None:
    assert codec.settings_in({}).runs_out_warning_days == 7
    assert codec.settings_in(codec.settings_out(Settings(runs_out_warning_days=3))).runs_out_warning_days == 3
    with pytest.raises(ValueError):
        codec.settings_in({"runs_out_warning_days": "soon"})


def test_forecast_alerts_follow_the_language() -> None:
    s = snap("5", remaining_granted=D(5), expires_at=NOW + timedelta(days=10))
    fc = forecast(series(steady(0.1, 7, 5.0)), s, NOW)
    (alert,) = forecast_alerts(ACCOUNT, s, fc, Settings(), NOW, "ja")
    assert alert.message == (
        "OpenAI: トライアルクレジット $4.00 が 2026-06-11 に未使用のまま失効します（最近のペースは1日あたり $0.10）。"
    )


def test_a_forecast_wobbling_around_the_warning_days_notifies_once() -> None:
    """Each poll's forecast differs a little: a runs_out_soon already told holds until the run-out date is
    clearly further away (1.5 x the warning days), so the user is not told again and again."""
    from trayapp.core.rules import to_notify

    settings = Settings()  # warn 7 days ahead
    monitor = Monitor([ACCOUNT], settings, {"a": AccountState(last_good=snap("7"))})
    notified: set[str] = set()
    told: list[list[str]] = []
    for per_day in (1.05, 0.98, 1.03, 0.97, 0.6, 1.05):  # runs out in 6.7, 7.1, 6.8, 7.2, 11.7, 6.7 days
        monitor.forecasts["a"] = forecast(series(steady(per_day, 7, 7.0)), snap("7"), NOW)
        active = [x for xs in monitor.alerts(NOW).values() for x in xs]
        fresh, notified = to_notify(active, notified, settings, NOW)
        monitor.notified = frozenset(notified)
        told.append([x.code for x in fresh])
    # Told once; held through the wobble; cleared when it runs out in 11.7 days; told again when it comes back.
    assert told == [["runs_out_soon"], [], [], [], [], ["runs_out_soon"]]
