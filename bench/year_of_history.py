"""For the benchmark: the details window opened on a year of history for many accounts.

    store, views = year_of_history(Path(tmp) / "history.sqlite3", accounts=20)
    window = open_details(store, views)

The history has the shape the retention plan leaves after a year of 15-minute polls (7 days whole,
83 days hourly, 275 days daily, with monthly top-ups), so it is built in a second, not replayed.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from trayapp.core.forecast import WINDOW, forecast
from trayapp.core.history import Reading
from trayapp.core.models import Account, AccountState, Settings, Snapshot
from trayapp.core.monitor import AccountView, Monitor
from trayapp.storage.history import HistoryStore
from trayapp.ui.details import DetailsWindow


def _times(now: datetime) -> list[datetime]:
    out: list[datetime] = []
    t = now - timedelta(days=365)
    while t < now:
        out.append(t)
        age = now - t
        t += (
            timedelta(days=1)
            if age > timedelta(days=90)
            else timedelta(hours=1)
            if age > timedelta(days=7)
            else timedelta(minutes=15)
        )
    return out


def seed_year(store: HistoryStore, account_ids: list[str], now: datetime, currency: str = "CNY") -> list[Reading]:
    """A year of readings per account, shaped as retention leaves them; returns each account's last reading."""
    times = _times(now)
    last: list[Reading] = []
    for account_id in account_ids:
        if store.has_readings(account_id):
            continue
        rng = random.Random(account_id)
        remaining = Decimal(100)
        rows = []
        for i, t in enumerate(times):
            if i and times[i - 1].month != t.month:
                remaining += Decimal(50)  # a monthly top-up
            gap = (t - times[i - 1]).total_seconds() / 86400 if i else 0
            remaining = max(Decimal(0), remaining - Decimal(str(round(rng.uniform(0.5, 2.5) * gap, 4))))
            rows.append(Reading(account_id, t, "ok", currency, remaining.quantize(Decimal("0.01"))))
        store.record(rows)
        last.append(rows[-1])
    return last


def year_of_history(
    path: Path, accounts: int = 20, now: datetime | None = None
) -> tuple[HistoryStore, list[AccountView]]:
    now = now or datetime.now(UTC)
    store = HistoryStore(path)
    created = now - timedelta(days=400)
    accts = [Account(f"bench-{n:02d}", "deepseek", f"Account {n:02d}", created) for n in range(accounts)]
    states = {
        r.account_id: AccountState(
            last_good=Snapshot(r.account_id, r.at, currency="CNY", remaining=r.remaining), last_attempt_at=r.at
        )
        for r in seed_year(store, [a.id for a in accts], now)
    }
    monitor = Monitor(accts, Settings(), states)
    for a in accts:
        last_good = states[a.id].last_good if a.id in states else None
        monitor.forecasts[a.id] = forecast(store.balances(a.id, now - WINDOW), last_good, now)
    return store, monitor.views(now)


def open_details(store: HistoryStore, views: list[AccountView], now: datetime | None = None) -> DetailsWindow:
    """Open the window as the tray does and draw it completely once (grab() paints every widget)."""
    when = now or datetime.now(UTC)
    window = DetailsWindow(clock=lambda: when)
    window.set_history(store)
    window.set_views(views)
    window.show()
    window.grab()
    return window
