"""A year of history for the details window (measurement 6).

`seed_year` fills the app's history store (SQLite, under the config dir the benchmark uses) with a
year of readings per account, shaped as the retention plan leaves them after a year of 15-minute polls
(7 days whole, hourly to 90 days, daily after), with monthly top-ups, compacted a day ago.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path


def seed_year(data_dir: Path, account_ids: list[str]) -> str | None:
    """Seed a year of readings per account. None when seeded; otherwise why it could not be."""
    from bench.year_of_history import seed_year as seed
    from trayapp.storage.history import HistoryStore
    from trayapp.storage.paths import Paths

    store = HistoryStore(Paths(config_dir=data_dir, data_dir=data_dir).history_file)
    now = datetime.now(UTC)
    try:
        seed(store, account_ids, now)
        # As the app left it yesterday: a year's user has had its daily compaction, so the one due at the first
        # poll thins what crossed a boundary since (a day of readings), not a whole year looked at for the first
        # time, which no one who ran it for a year meets (it took ~4.5 s of a thread for 500 accounts, during
        # the refreshes measured).
        store.compact(now - timedelta(days=1))
    finally:
        store.close()
    return None
