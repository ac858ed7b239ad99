"""A year of history for the details window (measurement 6).

`seed_year` fills the app's history store (SQLite, under the config dir the benchmark uses) with a
year of readings per account, shaped as the retention plan leaves them after a year of 15-minute polls
(7 days whole, hourly to 90 days, daily after), with monthly top-ups.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path


def seed_year(data_dir: Path, account_ids: list[str]) -> str | None:
    """Seed a year of readings per account. None when seeded; otherwise why it could not be."""
    from bench.year_of_history import seed_year as seed
    from trayapp.storage.history import HistoryStore
    from trayapp.storage.paths import Paths

    store = HistoryStore(Paths(config_dir=data_dir, data_dir=data_dir).history_file)
    try:
        seed(store, account_ids, datetime.now(UTC))
    finally:
        store.close()
    return None
