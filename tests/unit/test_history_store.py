"""The history file: recording, retention on generated histories, migrations, corruption."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from trayapp.core.history import Reading
from trayapp.storage.history import MIGRATIONS, HistoryStore, Migration

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def every(start: datetime, end: datetime, step: timedelta) -> Iterator[datetime]:
    t = start
    while t < end:
        yield t
        t += step


def reading(account: str, at: datetime, remaining: str | None = "10", error: str | None = None) -> Reading:
    if error is not None:
        return Reading(account, at, "stale", error_kind=error, alerts=("stale",))
    return Reading(account, at, "ok", currency="USD", remaining=None if remaining is None else Decimal(remaining))


def spend_series(account: str, start: datetime, end: datetime, step: timedelta) -> list[Reading]:
    """Remaining goes down by one cent per reading: each reading's value says when it was taken."""
    out = []
    for i, t in enumerate(every(start, end, step)):
        out.append(reading(account, t, str(Decimal(100000) - Decimal(i) / 100)))
    return out


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    s = HistoryStore(tmp_path / "history.sqlite3", clock=lambda: NOW)
    yield s
    s.close()


def test_readings_round_trip_exactly_with_unknowns_kept_unknown(store: HistoryStore) -> None:
    exp = datetime(2026, 9, 1, tzinfo=UTC)
    store.record(
        [
            Reading(
                "a",
                NOW,
                "ok",
                "USD",
                Decimal("3.20"),
                Decimal("3.20"),
                Decimal("0"),
                Decimal("5.00"),
                Decimal("1.80"),
                exp,
                None,
                ("credit_low", "expiring_soon"),
            ),
            reading("a", NOW + timedelta(minutes=15), error="network"),
            reading("b", NOW, remaining=None),
        ]
    )
    got = store.readings()
    assert [(r.account_id, r.at) for r in got] == [("a", NOW), ("b", NOW), ("a", NOW + timedelta(minutes=15))]
    assert got[0].remaining == Decimal("3.20") and str(got[0].remaining) == "3.20"
    assert got[0].expires_at == exp and got[0].alerts == ("credit_low", "expiring_soon")
    assert got[1].remaining is None, "unknown stays unknown, never 0"
    assert got[2].failed and got[2].error_kind == "network" and got[2].remaining is None
    assert [r.account_id for r in store.readings("a", since=NOW + timedelta(minutes=1))] == ["a"]


def test_the_file_is_private_and_in_wal_mode(store: HistoryStore) -> None:
    store.record([reading("a", NOW)])
    assert (store.path.stat().st_mode & 0o777) == 0o600
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_retention_keeps_7_days_whole_hourly_to_90_days_daily_after(store: HistoryStore) -> None:
    start = NOW - timedelta(days=120)
    series = spend_series("a", start, NOW, timedelta(minutes=15))
    # An hour 30 days ago where every poll failed, and one where the last poll failed after a good one.
    failed_hour = (NOW - timedelta(days=30)).replace(minute=0)
    mixed_hour = (NOW - timedelta(days=31)).replace(minute=0)
    series = [
        reading("a", r.at, error="network")
        if failed_hour <= r.at < failed_hour + timedelta(hours=1) or r.at == mixed_hour + timedelta(minutes=45)
        else r
        for r in series
    ]
    store.record(series)
    removed = store.compact(NOW)
    assert removed > 0
    kept = store.readings("a")
    recent = [r for r in kept if r.at >= NOW - timedelta(days=7)]
    assert len(recent) == 7 * 96, "the last 7 days keep every poll"
    middle = [r for r in kept if NOW - timedelta(days=90) <= r.at < NOW - timedelta(days=7)]
    hours = [r.at.replace(minute=0) for r in middle]
    assert len(hours) == len(set(hours)) and len(middle) >= 83 * 24 - 1, "one reading per hour"
    old = [r for r in kept if r.at < NOW - timedelta(days=90)]
    days = [r.at.date() for r in old]
    expected_days = {r.at.date() for r in series if r.at < NOW - timedelta(days=90)}
    assert len(days) == len(set(days)) and set(days) == expected_days, "one reading per day"
    # The kept one is the last good reading of its slot (the last failure if none was good).
    for lo, hi, slot in (
        (None, NOW - timedelta(days=90), 86400),
        (NOW - timedelta(days=90), NOW - timedelta(days=7), 3600),
    ):
        region = [r for r in series if (lo is None or r.at >= lo) and r.at < hi]
        expected: dict[int, Reading] = {}
        for r in region:
            held = expected.get(int(r.at.timestamp()) // slot)
            if held is None or not r.failed or held.failed:
                expected[int(r.at.timestamp()) // slot] = r
        got = [r for r in kept if (lo is None or r.at >= lo) and r.at < hi]
        assert got == sorted(expected.values(), key=lambda r: r.at)
    failed_slot = [r for r in kept if failed_hour <= r.at < failed_hour + timedelta(hours=1)]
    assert len(failed_slot) == 1 and failed_slot[0].failed, "a slot of failures keeps one failure"
    mixed = [r for r in kept if mixed_hour <= r.at < mixed_hour + timedelta(hours=1)]
    assert len(mixed) == 1 and not mixed[0].failed and mixed[0].at == mixed_hour + timedelta(minutes=30)
    assert store.compact(NOW) == 0, "compaction is idempotent"


def test_daily_compaction_ends_where_one_big_compaction_does(tmp_path: Path) -> None:
    series = spend_series("a", NOW - timedelta(days=100), NOW, timedelta(minutes=30))
    daily = HistoryStore(tmp_path / "daily.sqlite3")
    once = HistoryStore(tmp_path / "once.sqlite3")
    days = [NOW - timedelta(days=100) + timedelta(days=d) for d in range(1, 101)]
    for day in days:
        # The tray records as time goes by and compacts once a day.
        daily.record([r for r in series if day - timedelta(days=1) <= r.at < day])
        assert daily.compaction_due(day)
        daily.compact(day)
        assert not daily.compaction_due(day + timedelta(hours=23))
    once.record(series)
    once.compact(days[-1])
    assert [r.at for r in daily.readings()] == [r.at for r in once.readings()]
    daily.close()
    once.close()


def test_compaction_on_a_worker_thread_does_not_block_recording(store: HistoryStore) -> None:
    store.record(spend_series("a", NOW - timedelta(days=30), NOW, timedelta(minutes=15)))
    assert store.compact_in_background(NOW)
    store.record([reading("a", NOW + timedelta(seconds=1))])
    store.wait_for_compaction(10)
    assert len(store.readings("a", since=NOW - timedelta(days=7))) == 7 * 96 + 1
    assert len(store.readings("a")) < 30 * 96
    assert not store.compaction_due(NOW + timedelta(hours=1))


def test_a_year_of_20_accounts_takes_a_few_mb(store: HistoryStore) -> None:
    """What the retention plan leaves of a year of 15-minute polls: 7 days whole, 83 days hourly, the rest daily."""
    for n in range(20):
        account = f"openai-{n:06x}"
        rows = spend_series(account, NOW - timedelta(days=365), NOW - timedelta(days=90), timedelta(days=1))
        rows += spend_series(account, NOW - timedelta(days=90), NOW - timedelta(days=7), timedelta(hours=1))
        rows += spend_series(account, NOW - timedelta(days=7), NOW, timedelta(minutes=15))
        store.record(rows)
    assert store.compact(NOW) == 0
    store.close()
    size = store.path.stat().st_size + sum(
        p.stat().st_size for p in store.path.parent.glob("history.sqlite3-*") if p.exists()
    )
    assert size < 5 * 1024 * 1024, f"{size} bytes"


def test_points_are_downsampled_to_what_is_drawn(store: HistoryStore) -> None:
    store.record(spend_series("a", NOW - timedelta(days=60), NOW, timedelta(minutes=15)))
    points = store.points("a", NOW - timedelta(days=30), NOW, max_points=100)
    assert 90 <= len(points) <= 101
    assert points == sorted(points, key=lambda p: p.at)
    assert points[-1].at == NOW - timedelta(minutes=15), "the newest reading is always drawn"
    assert all(p.at >= NOW - timedelta(days=30) for p in points)
    many = store.points_many(["a", "missing"], NOW - timedelta(days=7), NOW, max_points=20)
    assert set(many) == {"a"} and len(many["a"]) <= 21


# ---------------------------------------------------------------- migrations and damage


CURRENT = MIGRATIONS[-1].version
V2 = Migration(CURRENT + 1, ("ALTER TABLE readings ADD COLUMN note TEXT",))  # the next version


def test_migration_copies_the_file_first_and_keeps_every_reading(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    v1 = HistoryStore(path)
    v1.record(spend_series("a", NOW - timedelta(days=1), NOW, timedelta(hours=1)))
    v1.close()  # the WAL is not necessarily folded into the main file: the copy must include it

    problems: list[str] = []
    v2 = HistoryStore(path, problems, migrations=(*MIGRATIONS, V2), clock=lambda: NOW)
    assert problems == []
    assert v2.version == CURRENT + 1 and len(v2.readings("a")) == 24
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT version FROM schema_version").fetchall() == [(CURRENT + 1,)]
    assert "note" in [c[1] for c in conn.execute("PRAGMA table_info(readings)")]
    conn.close()
    backups = list(tmp_path.glob(f"history.sqlite3.v{CURRENT}-*.bak"))
    assert len(backups) == 1
    copy = sqlite3.connect(backups[0])
    assert copy.execute("SELECT version FROM schema_version").fetchall() == [(CURRENT,)]
    assert copy.execute("SELECT count(*) FROM readings").fetchone()[0] == 24
    copy.close()
    v2.close()
    again = HistoryStore(path, migrations=(*MIGRATIONS, V2))
    assert len(list(tmp_path.glob("*.bak"))) == 1, "no copy when nothing is migrated"
    again.close()


def test_a_failed_migration_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    v1 = HistoryStore(path)
    v1.record([reading("a", NOW)])
    v1.close()
    broken = Migration(CURRENT + 1, ("ALTER TABLE readings ADD COLUMN note TEXT", "THIS IS NOT SQL"))
    with pytest.raises(sqlite3.Error):
        HistoryStore(path, migrations=(*MIGRATIONS, broken))
    store = HistoryStore(path)
    assert store.version == CURRENT and [r.at for r in store.readings()] == [NOW]
    assert "note" not in [c[1] for c in store._conn.execute("PRAGMA table_info(readings)")]
    store.close()


def test_a_newer_schema_is_left_alone_and_not_written(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    future = HistoryStore(path, migrations=(*MIGRATIONS, V2))
    future.record([reading("a", NOW)])
    future.close()
    problems: list[str] = []
    old = HistoryStore(path, problems)
    assert not old.writable and "newer version" in problems[0]
    old.record([reading("a", NOW + timedelta(hours=1))])
    assert [r.at for r in old.readings()] == [NOW]
    old.close()


def test_a_file_that_is_not_a_database_is_set_aside_and_history_restarts(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"this is not SQLite at all\n" * 100)
    problems: list[str] = []
    store = HistoryStore(path, problems, clock=lambda: NOW)
    assert len(problems) == 1 and "could not be read" in problems[0] and "history.sqlite3.corrupt-" in problems[0]
    aside = list(tmp_path.glob("history.sqlite3.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not SQLite")
    store.record([reading("a", NOW)])
    assert len(store.readings()) == 1
    store.close()


def test_a_damaged_page_fails_the_integrity_check(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    store = HistoryStore(path)
    store.record(spend_series("a", NOW - timedelta(days=20), NOW, timedelta(minutes=15)))
    store.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    assert len(data) > 4 * page
    data[3 * page : 3 * page + 200] = b"\xff" * 200  # scribble over a b-tree page
    path.write_bytes(bytes(data))
    problems: list[str] = []
    fresh = HistoryStore(path, problems)
    assert problems and "could not be read" in problems[0]
    assert fresh.readings() == []
    assert list(tmp_path.glob("history.sqlite3.corrupt-*"))
    fresh.close()


def test_history_and_forecast_import_no_qt() -> None:
    import subprocess
    import sys

    code = (
        "import sys, trayapp.storage.history, trayapp.core.forecast, trayapp.core.history, trayapp.history_cli, "
        "trayapp.providers.demo; print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_forecasts_history_read_keeps_good_rows_and_skips_each_kind_of_bad_one(tmp_path: Path) -> None:
    """`balances` (every reading of two weeks, every poll) converts the usual row inline: it must keep and skip
    exactly what the full checks (codec.dec_in, a time in range) keep and skip, whatever a damaged file holds."""
    now = datetime(2026, 12, 1, tzinfo=UTC)
    store = HistoryStore(tmp_path / "h.sqlite3")
    store.record([reading("a", now - timedelta(hours=h), str(h)) for h in range(1, 13)])
    damage = {
        "2": "abc",  # not a number
        "3": "NaN",
        "4": "-Infinity",
        "5": "1e12",  # past any real amount
        "6": " 7.25 ",  # what Decimal (and dec_in) read as 7.25
        "7": "x" * 101,  # longer than an amount
        "8": "1_000.5",  # Decimal's underscores: dec_in reads them too
    }
    conn = sqlite3.connect(tmp_path / "h.sqlite3")
    with conn:
        for old, new in damage.items():
            conn.execute("UPDATE readings SET remaining = ? WHERE remaining = ?", (new, old))
        conn.execute("UPDATE readings SET remaining = 9.5 WHERE remaining = '9'")  # a REAL, not text
        conn.execute("UPDATE readings SET remaining = 10 WHERE remaining = '10'")  # an INTEGER
        conn.execute("UPDATE readings SET t = 'yesterday' WHERE remaining = '11'")  # not a time
        conn.execute("UPDATE readings SET t = 99999999999999 WHERE remaining = '12'")  # past any time
    conn.close()
    got = {str(amount) for _, amount, _ in store.balances("a", now - timedelta(days=14))}
    assert got == {"1", "7.25", "1000.5", "9.5", "10"}
    assert all(at.tzinfo is UTC for at, _, _ in store.balances("a", now - timedelta(days=14)))
    store.close()
