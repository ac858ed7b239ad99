"""A poll's forecasts come from the burn-rate folds kept in the history file (brought up to date with the readings
that left the window and the new ones), no longer from every reading of two weeks. They must be the forecasts the
user was shown before: here, against the algorithm as it was (kept below), field by field, on histories that
change in every way they can between polls (new readings, failures, top-ups, gaps, currency switches, a reading
replaced within its second or arriving late, compaction, another process writing, damaged rows, the clock going
back)."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest

from trayapp.core.forecast import CENT, MIN_SPAN, WINDOW, Fold, Forecast, _span_text, fold, forecast
from trayapp.core.history import Reading
from trayapp.core.i18n import tr
from trayapp.core.models import Snapshot
from trayapp.core.rules import format_money
from trayapp.storage.history import MIGRATIONS, HistoryStore

_DAY = Decimal(86400)

# ---------------------------------------------------------------- the algorithm before the folds, as it was


def reference_burn_rate(
    points: Sequence[tuple[datetime, Decimal]],
) -> tuple[Decimal | None, timedelta, int, int, str | None]:
    if len(points) < 2:
        return None, timedelta(0), len(points), 0, tr("only one reading so far") if points else tr("no readings yet")
    spent = Decimal(0)
    span = timedelta(0)
    topups = 0
    for (t0, r0), (t1, r1) in pairwise(points):
        if t1 <= t0:
            continue
        if r1 > r0:
            topups += 1
            continue
        spent += r0 - r1
        span += t1 - t0
    if span < MIN_SPAN:
        hours = int(span.total_seconds() // 3600)
        return (
            None,
            span,
            len(points),
            topups,
            tr(
                "too little history: {hours} h of readings without a top-up; a forecast needs at least {needed} h",
                hours=hours,
                needed=int(MIN_SPAN.total_seconds() // 3600),
            ),
        )
    return spent * _DAY / Decimal(span.total_seconds()), span, len(points), topups, None


def reference_forecast(
    balances: Iterable[tuple[datetime, Decimal, str | None]], snapshot: Snapshot | None, now: datetime
) -> Forecast:
    currency = snapshot.currency if snapshot else None
    since = now - WINDOW
    points = sorted((t, r) for t, r, c in balances if t >= since and c == currency)
    if snapshot is not None and snapshot.remaining is not None and (not points or snapshot.checked_at > points[-1][0]):
        points.append((snapshot.checked_at, snapshot.remaining))
    per_day, basis, readings, topups, why = reference_burn_rate(points)
    expires_at = snapshot.expires_at if snapshot and "expiry_outside_balance" not in snapshot.flags else None

    def result(runs_out_at: datetime | None, unused: Decimal | None, reason: str | None) -> Forecast:
        return Forecast(per_day, runs_out_at, unused, expires_at, basis, readings, topups, reason)

    if snapshot is None or snapshot.remaining is None:
        return result(None, None, tr("the remaining credit is not known"))
    if per_day is None:
        return result(None, None, why)
    last_t, remaining = points[-1]
    unused: Decimal | None = None
    if expires_at is not None and expires_at > now:
        expiring = snapshot.remaining_granted if snapshot.remaining_granted is not None else remaining
        days_left = Decimal((expires_at - last_t).total_seconds()) / _DAY
        unused = max(Decimal(0), expiring - per_day * days_left).quantize(CENT)
    if remaining <= 0:
        return result(None, unused, tr("no credit left"))
    if per_day <= 0:
        return result(None, unused, tr("no spending in the last {span}", span=_span_text(basis)))
    seconds = float(remaining / per_day * _DAY)
    if seconds > 3650 * 86400:
        return result(None, unused, tr("spending is too slow to run out within ten years"))
    return result(last_t + timedelta(seconds=seconds), unused, None)


def assert_same(got: dict[str, Forecast], want: dict[str, Forecast], context: str) -> None:
    assert set(got) == set(want), context
    for account, fc in want.items():
        mine = got[account]
        assert mine == fc, f"{context}, {account}:\n new {mine}\n old {fc}"
        # What the user reads: the rate as shown, the date, the amount left unused to the cent.
        assert format_money(mine.burn_per_day, "USD") == format_money(fc.burn_per_day, "USD")
        assert str(mine.expires_unused) == str(fc.expires_unused)


# ---------------------------------------------------------------- the pure part: forecast() and Fold


def random_points(rng: random.Random, n: int, start: datetime) -> list[tuple[datetime, Decimal, str | None]]:
    out: list[tuple[datetime, Decimal, str | None]] = []
    t, r = start, Decimal(rng.randrange(1000, 100000)) / 100
    for _ in range(n):
        t += timedelta(seconds=rng.choice([0, 1, 60, 900, 1440, 3600, 86400 * 2]))  # 0: an equal time
        step = Decimal(rng.randrange(0, 500)).scaleb(-rng.choice([2, 3, 4, 6]))
        r = r + Decimal(rng.randrange(1000, 5000)) if rng.random() < 0.05 else r - step
        out.append((t, r, rng.choice(["USD", "USD", "USD", "CNY", None])))
    rng.shuffle(out)  # forecast() sorts them
    return out


@pytest.mark.parametrize("seed", range(40))
def test_forecast_is_the_forecast_it_was_on_random_series(seed: int) -> None:
    rng = random.Random(seed)
    now = datetime(2026, 6, 1, 12, 0, tzinfo=UTC) + timedelta(microseconds=rng.randrange(10**6))
    balances = random_points(rng, rng.choice([0, 1, 2, 5, 50, 400]), now - timedelta(days=rng.choice([3, 15, 30])))
    last = max((t for t, _, _ in balances), default=now)
    for checked_at in (now, last, last - timedelta(hours=1)):  # newer than the last point, equal, older
        for currency in ("USD", "CNY", None):
            snap = Snapshot("a", checked_at, currency=currency, remaining=Decimal("12.34"))
            snap_exp = Snapshot(
                "a", checked_at, currency=currency, remaining=Decimal("50"), expires_at=now + timedelta(days=9)
            )
            for s in (snap, snap_exp, Snapshot("a", checked_at, currency=currency), None):
                assert forecast(balances, s, now) == reference_forecast(balances, s, now)


def test_a_fold_cut_at_its_start_and_extended_is_the_fold_of_the_points_left() -> None:
    rng = random.Random(7)
    points = sorted((t, r) for t, r, _ in random_points(rng, 300, datetime(2026, 1, 1, tzinfo=UTC)))
    f = fold(points[:100])
    for i in range(60):  # the window moves: one out, two in
        f = f.rest(points[i + 1]).then(*points[100 + 2 * i]).then(*points[101 + 2 * i])
        assert f == fold(points[i + 1 : 102 + 2 * i])
    assert fold(points[:1]).rest(None) == Fold() == fold([])


# ---------------------------------------------------------------- the history file: polls over time


START = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
USD, CNY = "USD", "CNY"


class World:
    """Accounts whose credit is spent, topped up, switched to another currency, polled by the tray (`store`) and
    by `check` in another process (`other`, on the same file)."""

    def __init__(self, path: Path, rng: random.Random, accounts: int = 10) -> None:
        self.rng = rng
        self.path = path
        self.store = HistoryStore(path)
        self.other = HistoryStore(path)
        self.now = START + timedelta(microseconds=rng.randrange(10**6))
        self.ids = [f"acct-{n}" for n in range(accounts)]
        self.remaining = {a: Decimal(rng.randrange(500, 50000)) / 100 for a in self.ids}
        self.currency = {a: rng.choice([USD, CNY]) for a in self.ids}
        self.snaps: dict[str, Snapshot | None] = dict.fromkeys(self.ids)

    def spend(self, account: str) -> Decimal:
        rng = self.rng
        if rng.random() < 0.03:
            self.remaining[account] += Decimal(rng.choice([5, 50, 500]))  # a top-up
        elif rng.random() < 0.1:
            pass  # nothing spent
        else:
            step = Decimal(rng.randrange(1, 3000)).scaleb(-rng.choice([2, 2, 2, 4, 6]))
            self.remaining[account] = max(Decimal(0), self.remaining[account] - step)
        return self.remaining[account]

    def readings(self, at: datetime) -> list[Reading]:
        out = []
        for a in self.ids:
            if self.rng.random() < 0.1:
                out.append(Reading(a, at, "stale", error_kind="network"))
                continue
            if self.rng.random() < 0.01:
                self.currency[a] = CNY if self.currency[a] == USD else USD
            out.append(Reading(a, at, "ok", self.currency[a], self.spend(a)))
        return out

    def history_before(self, days: int) -> None:
        t = self.now - timedelta(days=days)
        while t < self.now:
            self.store.record(self.readings(t))
            t += timedelta(minutes=self.rng.choice([15, 24, 60]))

    def snapshot(self, account: str) -> Snapshot | None:
        rng = self.rng
        roll = rng.random()
        if roll < 0.05:
            return None
        currency = self.currency[account] if rng.random() < 0.95 else (USD if self.currency[account] == CNY else CNY)
        if roll < 0.1:
            return Snapshot(account, self.now, currency=currency)  # remaining not known
        checked_at = rng.choice([self.now, self.now - timedelta(hours=2), self.now - timedelta(microseconds=1)])
        expires = rng.choice(
            [None, None, self.now + timedelta(days=rng.randrange(1, 40)), self.now - timedelta(days=1)]
        )
        granted = rng.choice([None, Decimal(rng.randrange(0, 1000)) / 100])
        return Snapshot(
            account, checked_at, currency, self.remaining[account], remaining_granted=granted, expires_at=expires
        )

    def damage(self) -> None:
        """What a damaged file or a hand edit leaves: rows the forecasts skip, as they did."""
        conn = sqlite3.connect(self.path)
        with conn:
            t = int((self.now - timedelta(days=self.rng.randrange(0, 15))).timestamp())
            before = "t = (SELECT max(t) FROM readings WHERE t <= ?)"
            change = self.rng.choice(
                [
                    "UPDATE OR IGNORE readings SET remaining = 'abc'"
                    " WHERE t = (SELECT min(t) FROM readings WHERE t >= ?)",
                    f"UPDATE OR IGNORE readings SET remaining = '1e12' WHERE {before}",
                    f"UPDATE OR IGNORE readings SET remaining = ' 7.25 ' WHERE {before}",
                    f"UPDATE OR IGNORE readings SET t = 'yesterday' WHERE {before}",
                    "INSERT OR IGNORE INTO readings (acct, t, status, currency, remaining)"
                    " SELECT id, ? + 1, 'ok', 'USD', 'NaN' FROM accounts LIMIT 1",
                ]
            )
            conn.execute(change, (t,))
        conn.close()

    def step(self) -> None:
        rng = self.rng
        self.now += rng.choice(
            [
                timedelta(minutes=15),
                timedelta(minutes=24),
                timedelta(hours=1, microseconds=rng.randrange(10**6)),
                timedelta(hours=7),
                timedelta(days=3),  # the computer was off
                timedelta(minutes=-20),  # the clock went back
                timedelta(0),
            ]
        )
        writer = self.other if rng.random() < 0.2 else self.store
        writer.record(self.readings(self.now))
        roll = rng.random()
        if roll < 0.05:  # a second poll within the same second: its reading replaces the first
            self.store.record(self.readings(self.now))
        elif roll < 0.10:  # a result recorded late, behind newer ones (another process)
            self.other.record(self.readings(self.now - timedelta(minutes=rng.randrange(1, 600))))
        elif roll < 0.14:
            rng.choice([self.store, self.other]).compact(self.now)
        elif roll < 0.17:
            self.damage()
        for a in self.ids:
            if rng.random() < 0.8:
                self.snaps[a] = self.snapshot(a)

    def check(self, context: str) -> None:
        rng = self.rng
        polled = [a for a in self.ids if rng.random() < 0.7] or self.ids[:1]
        items = [(a, self.snaps[a]) for a in polled]
        if rng.random() < 0.05:
            items.append(("never-recorded", None))
        how = rng.random()
        if how < 0.6:
            got = self.store.forecasts_apart(items, self.now)
        elif how < 0.8:
            got = self.store.forecasts(items, self.now)
        else:
            got = self.other.forecasts(items, self.now)  # `check`, from the folds the tray left
        want = {a: reference_forecast(self.store.balances(a, self.now - WINDOW), s, self.now) for a, s in items}
        assert_same(got, want, context)

    def close(self) -> None:
        self.store.close()
        self.other.close()


@pytest.mark.parametrize("seed", range(6))
def test_forecasts_over_many_polls_are_those_of_every_reading_folded_again(tmp_path: Path, seed: int) -> None:
    world = World(tmp_path / "history.sqlite3", random.Random(seed))
    world.history_before(days=20)
    for i in range(120):
        world.step()
        world.check(f"seed {seed}, poll {i}, now {world.now}")
        if i == 60:  # the tray is restarted: the folds it stored are used again
            world.store.close()
            world.store = HistoryStore(world.path)
    world.close()


def test_the_fold_is_kept_between_polls_and_a_change_by_another_process_is_seen(tmp_path: Path) -> None:
    """After a poll, the next one reads only what changed. Shown by removing, behind the history's back (no
    trigger counts it), a reading in the middle of the window: the forecast does not see it. A change that is
    counted (here by the sqlite3 shell, another process) makes the fold be made again, from every reading."""
    world = World(tmp_path / "history.sqlite3", random.Random(99), accounts=1)
    world.history_before(days=20)
    a = world.ids[0]
    snap = Snapshot(a, world.now, world.currency[a], world.remaining[a])
    first = world.store.forecasts_apart([(a, snap)], world.now)[a]
    assert first == reference_forecast(world.store.balances(a, world.now - WINDOW), snap, world.now)
    conn = sqlite3.connect(world.path)
    middle = int((world.now - timedelta(days=7)).timestamp())
    with conn:
        conn.execute("DROP TRIGGER readings_deleted")
        conn.execute("DELETE FROM readings WHERE t BETWEEN ? AND ?", (middle - 86400, middle))
    assert world.store.forecasts_apart([(a, snap)], world.now)[a] == first, "the fold, not the readings"
    with conn:
        conn.execute(
            "UPDATE OR IGNORE readings SET remaining = '0.01' WHERE t = (SELECT max(t) FROM readings WHERE t < ?)",
            (middle,),
        )
    after = world.store.forecasts_apart([(a, snap)], world.now)[a]
    assert after == reference_forecast(world.store.balances(a, world.now - WINDOW), snap, world.now)
    assert after != first
    conn.close()
    world.close()


def test_a_damaged_fold_is_made_again_from_the_readings(tmp_path: Path) -> None:
    world = World(tmp_path / "history.sqlite3", random.Random(5), accounts=3)
    world.history_before(days=15)
    items = [(a, Snapshot(a, world.now, world.currency[a], world.remaining[a])) for a in world.ids]
    want = {a: reference_forecast(world.store.balances(a, world.now - WINDOW), s, world.now) for a, s in items}
    assert_same(world.store.forecasts_apart(items, world.now), want, "made")
    conn = sqlite3.connect(world.path)
    for column, value in [
        ("spent", "garbage"),
        ("spent", "NaN"),
        ("readings", -1),
        ("first_t", "yesterday"),
        ("last_r", None),
        ("since", 10**15),
        ("span", 1.5),
    ]:
        with conn:
            conn.execute(f"UPDATE folds SET {column} = ?", (value,))
        assert_same(world.store.forecasts_apart(items, world.now), want, f"{column} = {value!r}")
    conn.close()
    world.close()


def test_sums_that_would_round_are_made_again_from_the_readings(tmp_path: Path) -> None:
    """Amounts of 28 digits spent and topped up by hundreds of billions: the sum of what was spent needs more digits
    than Decimal keeps, so a fold kept from poll to poll would round otherwise than a fold of every reading. Such a
    fold is made again from the readings, which gives the figures the old algorithm gave."""
    store = HistoryStore(tmp_path / "history.sqlite3")
    now = START
    high, low, tiny = Decimal(900000000000), Decimal(100000000000), Decimal("1e-16")

    def value(h: int) -> Decimal:  # 28 digits, the last 16 random
        return (high if h % 2 else low) + random.Random(h).randrange(10**16) * tiny

    store.record([Reading("a", now - timedelta(hours=h), "ok", USD, value(h)) for h in range(400, 0, -1)])
    for h in range(0, -30, -1):
        now += timedelta(hours=1)
        store.record([Reading("a", now, "ok", USD, value(h))])
        snap = Snapshot("a", now, USD, value(h))
        got = store.forecasts_apart([("a", snap)], now)
        assert got == {"a": reference_forecast(store.balances("a", now - WINDOW), snap, now)}
    store.close()


def test_a_history_of_the_first_schema_is_migrated_and_forecast_the_same(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    old = HistoryStore(path, migrations=MIGRATIONS[:1])
    rng = random.Random(3)
    world_rows = World.__new__(World)
    world_rows.rng, world_rows.ids = rng, ["a", "b"]
    world_rows.remaining = {"a": Decimal("80.00"), "b": Decimal("12.5")}
    world_rows.currency = {"a": USD, "b": CNY}
    t = START - timedelta(days=16)
    while t < START:
        old.record(world_rows.readings(t))
        t += timedelta(minutes=30)
    old.close()
    store = HistoryStore(path)
    assert store.version == MIGRATIONS[-1].version
    items = [(a, Snapshot(a, START, world_rows.currency[a], world_rows.remaining[a])) for a in ("a", "b")]
    want = {a: reference_forecast(store.balances(a, START - WINDOW), s, START) for a, s in items}
    assert_same(store.forecasts_apart(items, START), want, "migrated")
    assert_same(
        store.forecasts_apart(items, START + timedelta(minutes=1)),
        {
            a: reference_forecast(
                store.balances(a, START + timedelta(minutes=1) - WINDOW), s, START + timedelta(minutes=1)
            )
            for a, s in items
        },
        "migrated, next poll",
    )
    store.close()


def test_a_newer_schema_is_only_read(tmp_path: Path) -> None:
    """A file of a newer version: its tables are not ours; the forecasts are made from the readings, nothing written."""
    path = tmp_path / "history.sqlite3"
    world = World(path, random.Random(11), accounts=2)
    world.history_before(days=15)
    world.close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE schema_version SET version = version + 1")
    conn.close()
    store = HistoryStore(path)
    assert not store.writable
    items = [(a, Snapshot(a, world.now, world.currency[a], world.remaining[a])) for a in world.ids]
    want = {a: reference_forecast(store.balances(a, world.now - WINDOW), s, world.now) for a, s in items}
    assert_same(store.forecasts_apart(items, world.now), want, "newer schema")
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM folds").fetchone() == (0,)
    conn.close()
    store.close()


def test_without_the_folds_table_the_forecasts_come_from_the_readings(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    world = World(path, random.Random(12), accounts=2)
    world.history_before(days=15)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DROP TABLE folds")  # by hand
    conn.close()
    items = [(a, Snapshot(a, world.now, world.currency[a], world.remaining[a])) for a in world.ids]
    want = {a: reference_forecast(world.store.balances(a, world.now - WINDOW), s, world.now) for a, s in items}
    assert_same(world.store.forecasts_apart(items, world.now), want, "no folds table")
    assert_same(world.store.forecasts(items, world.now), want, "no folds table, this thread")
    world.close()


def test_a_reading_at_the_window_s_start_counts_and_one_a_microsecond_older_does_not(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.sqlite3")
    values = [Decimal(100) - Decimal(i) for i in range(30)]
    times = [START + timedelta(hours=12 * i) for i in range(30)]
    store.record([Reading("a", t, "ok", USD, v) for t, v in zip(times, values, strict=True)])
    seen = set()
    for now in (
        times[3] + WINDOW - timedelta(microseconds=1),
        times[3] + WINDOW,  # times[3] is the window's first instant
        times[3] + WINDOW + timedelta(microseconds=1),  # ...and now just outside it
        times[3] + WINDOW + timedelta(seconds=1),
        times[4] + WINDOW,
        times[4] + WINDOW + timedelta(hours=11, microseconds=999999),
    ):
        snap = Snapshot("a", now, USD, Decimal(70))
        got = store.forecasts_apart([("a", snap)], now)["a"]
        assert got == reference_forecast(store.balances("a", now - WINDOW), snap, now), now
        seen.add(got.readings)
    assert len(seen) >= 3, "the edge moved the count of readings in the window"
    store.close()


def test_compaction_keeps_the_folds_current(tmp_path: Path) -> None:
    """Compaction thins the readings 7 to 8 days old (inside the window) every day: it brings the folds along, so
    the next poll does not fold two weeks of every account again; the forecasts are those of the readings left."""
    world = World(tmp_path / "history.sqlite3", random.Random(21), accounts=4)
    world.history_before(days=100)
    world.store.compact(world.now)
    for day in range(3):
        items = [(a, Snapshot(a, world.now, world.currency[a], world.remaining[a])) for a in world.ids]
        world.store.forecasts_apart(items, world.now)
        for _ in range(24 * 4):
            world.now += timedelta(minutes=15)
            world.store.record(world.readings(world.now))
        assert world.other.compact(world.now) > 0, "readings were thinned"
        conn = sqlite3.connect(world.path)
        current = conn.execute("SELECT count(*), sum(f.changes = c.n) FROM folds f JOIN changes c USING (acct)")
        assert current.fetchone() == (4, 4), "every fold made at the count compaction left"
        conn.close()
        items = [(a, Snapshot(a, world.now, world.currency[a], world.remaining[a])) for a in world.ids]
        want = {a: reference_forecast(world.store.balances(a, world.now - WINDOW), s, world.now) for a, s in items}
        assert_same(world.store.forecasts_apart(items, world.now), want, f"day {day}")
    world.close()
