"""A year of history for the details window (measurement 6), once the history store exists.

History (SQLite) and its chart are issue 7, not on main yet. This is where seeding plugs in: when
`trayapp.storage.history` can be imported, `seed_year` must fill it with 365 daily readings per account
before the window opens. Until it is written for that module's API, the benchmark says so: it never
reports a pass for a case it did not measure.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

HISTORY_MODULE = "trayapp.storage.history"


def history_available() -> bool:
    try:
        return importlib.util.find_spec(HISTORY_MODULE) is not None
    except ModuleNotFoundError:
        return False


def seed_year(data_dir: Path, account_ids: list[str], days: int = 365) -> str | None:
    """Seed `days` daily readings per account. None when seeded; otherwise why it could not be."""
    if not history_available():
        return "history not available yet (trayapp.storage.history is not on this branch; issue 7)"
    # When issue 7 lands: open the store under data_dir and write one reading per account per day, e.g.
    #   store = history.HistoryStore(data_dir / "history.sqlite3")
    #   store.add_many(reading(account_id, day) for account_id in account_ids for day in range(days))
    return f"{HISTORY_MODULE} exists but bench/history.py does not seed it yet: wire seed_year() to its API"
