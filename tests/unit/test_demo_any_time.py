"""The demo tells the same story at any time of day.

CI once ran between 00:00 and 02:50 UTC, when the Zhipu pack (then due at 02:50 four days on) was 4 d 2 h
away: shown as "5 d", tied with the trial's expiry, and the glance's order changed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from trayapp.core.models import FetchResult, Settings
from trayapp.core.monitor import AccountView, Monitor, by_urgency
from trayapp.providers.base import FetchRequest
from trayapp.providers.demo import DemoProvider, demo_accounts

DAY = datetime(2026, 12, 2, tzinfo=UTC)
LAST = DAY + timedelta(hours=23, minutes=59, seconds=59)
TIMES = [DAY + timedelta(minutes=m) for m in range(0, 24 * 60, 10)] + [LAST]


def views_at(now: datetime) -> list[AccountView]:
    accounts = demo_accounts(now)
    provider = DemoProvider()
    results = [
        FetchResult(account_id=a.id, snapshot=provider.fetch(FetchRequest(account=a, secrets={}, now=now)).snapshot)
        for a in accounts
    ]
    monitor = Monitor(accounts, Settings())
    monitor.apply(results, now)
    return by_urgency(monitor.views(now))


@pytest.mark.parametrize("now", TIMES, ids=lambda t: t.strftime("%H:%M:%S"))
def test_the_pack_expires_in_4_days_and_the_trial_in_5_whatever_the_time(now: datetime) -> None:
    views = {v.account.id: v for v in views_at(now)}
    assert views["demo-pack"].days_to_expiry == 4
    assert views["demo-expiring"].days_to_expiry == 5
    assert views["demo-main"].days_to_expiry == 70


def test_the_urgency_order_is_the_same_all_day() -> None:
    orders = {tuple(v.account.id for v in views_at(now)) for now in TIMES}
    assert len(orders) == 1
    (order,) = orders
    assert order.index("demo-pack") < order.index("demo-expiring")
