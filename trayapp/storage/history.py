"""history.sqlite3: every poll result, kept a year in a few MB. Stdlib sqlite3 in WAL mode.

- Schema versions are applied by migrations, each in one transaction, after a consistent copy of the
  file (`history.sqlite3.v<old>-<time>.bak`, made with SQLite's backup API so the WAL is included).
- The file is checked at open (`PRAGMA quick_check`); one that is corrupt or not a database is set aside
  as `history.sqlite3.corrupt-<time>`, the user is told, and a fresh history starts. Only that: a write
  that fails (SQLITE_FULL, a disk I/O error, a locked file) is no corruption; it raises, the file is kept,
  and the next open or poll tries again.
- Values are checked as they are read: a row whose time is not a time is skipped, a number that is not a
  finite amount is read as unknown (None), a garbage `last_compacted` as never; each reported once.
- Forecasts: each account's burn-rate fold (`core.forecast.Fold`) of its two-week window is stored (`folds`),
  and a poll brings it up to date with the readings that left the window and the new ones. Triggers count
  every other change to an account's readings (`changes`: replaced, inserted before the newest, deleted,
  altered, by whatever process); a fold made at another count is made again from every reading.
- Retention (`compact`): every reading for 7 days, the last reading of each hour up to 90 days, the last
  of each day after that. Compaction runs at most daily and only looks at the rows that crossed a
  boundary since the previous run, so its cost is bounded by a day of polls.
- Never a key, never an email or phone: readings carry the account id, numbers, status, error kind
  and alert codes only.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal, Inexact, InvalidOperation, localcontext
from pathlib import Path

from ..core.codec import MAX_AMOUNT, dec_in  # at the top: an import in a per-row function runs per row (PySide's hook)
from ..core.forecast import WINDOW, Fold, Forecast, fold, forecast, forecast_folded
from ..core.history import Reading
from ..core.i18n import tr
from ..core.models import Snapshot
from .atomic import set_aside

log = logging.getLogger(__name__)

RAW_DAYS = 7
HOURLY_DAYS = 90
COMPACT_EVERY = timedelta(days=1)
COMPACT_PAUSE = 0.005  # s between compaction steps: a writer waiting for the lock gets it (_WRITERS)
VACUUM_PAGES = 256
HOUR, DAY = 3600, 86400


_BUMP = "INSERT INTO changes (acct, n) VALUES ({acct}, 1) ON CONFLICT (acct) DO UPDATE SET n = n + 1"


@dataclass(frozen=True)
class Migration:
    version: int  # the schema version after this migration
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        (
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            "CREATE TABLE accounts (id INTEGER PRIMARY KEY, account_id TEXT NOT NULL UNIQUE)",
            # One row per poll result; clustered on (account, time) so a range of one account is one seek.
            "CREATE TABLE readings ("
            " acct INTEGER NOT NULL REFERENCES accounts(id),"
            " t INTEGER NOT NULL,"  # Unix seconds, UTC
            " status TEXT NOT NULL,"
            " currency TEXT,"
            " remaining TEXT, remaining_granted TEXT, remaining_paid TEXT, granted_total TEXT, used TEXT,"
            " expires_at INTEGER,"
            " error_kind TEXT,"
            " alerts TEXT NOT NULL DEFAULT '',"
            " PRIMARY KEY (acct, t)"
            ") WITHOUT ROWID",
        ),
    ),
    Migration(
        2,
        (
            # How many times each account's recorded past changed: a reading replaced, inserted before the newest,
            # deleted (compaction) or altered. Kept by triggers, so that every writer counts, whatever the process
            # (the tray, `check` from cron, the sqlite3 shell): a fold made at another count is out of date.
            "CREATE TABLE changes (acct INTEGER PRIMARY KEY, n INTEGER NOT NULL)",
            "CREATE TRIGGER readings_rewritten BEFORE INSERT ON readings"
            " WHEN EXISTS (SELECT 1 FROM readings WHERE acct = NEW.acct AND t >= NEW.t) BEGIN"
            f" {_BUMP.format(acct='NEW.acct')}; END",
            f"CREATE TRIGGER readings_deleted AFTER DELETE ON readings BEGIN {_BUMP.format(acct='OLD.acct')}; END",
            "CREATE TRIGGER readings_updated AFTER UPDATE ON readings BEGIN"
            f" {_BUMP.format(acct='OLD.acct')}; {_BUMP.format(acct='NEW.acct')}; END",
            # Per account, the burn-rate fold (core.forecast.Fold) of its readings from `since` to `upto` in
            # `currency`, made at its `changes` count: a poll then reads the readings that left the window and
            # the new ones, not two weeks of them.
            "CREATE TABLE folds ("
            " acct INTEGER PRIMARY KEY REFERENCES accounts(id),"
            " changes INTEGER NOT NULL, currency TEXT, since INTEGER NOT NULL, upto INTEGER NOT NULL,"
            " readings INTEGER NOT NULL, spent TEXT NOT NULL, span INTEGER NOT NULL, topups INTEGER NOT NULL,"
            " first_t INTEGER, first_r TEXT, last_t INTEGER, last_r TEXT"
            ")",
        ),
    ),
)


class _Damaged(sqlite3.DatabaseError):
    """The integrity check found the file damaged."""


@dataclass(frozen=True)
class Point:
    """One point of a chart: a reading's time and remaining credit (None when that poll failed)."""

    at: datetime
    remaining: float | None


# SQLite's primary result codes that mean the file itself is damaged (not full, not busy, not unwritable).
SQLITE_CORRUPT, SQLITE_NOTADB = 11, 26
# Unix seconds a reading may have: 1970 to 9999 (datetime's range; past it a row is no reading of ours).
T_MIN, T_MAX = 0, 253402300799
_reported: set[tuple[str, str]] = set()  # (file, field) already reported: once per process, not per row


def _ts(value: datetime) -> int:
    return int(value.timestamp())


def _dt(value: int) -> datetime:
    return datetime.fromtimestamp(value, UTC)


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _undec(value: object, path: Path | None = None, field: str = "remaining") -> Decimal | None:
    """A stored amount, or None when there is none or it is not a finite, sane amount (reported)."""
    if value is None:
        return None
    try:
        return dec_in(value)
    except ValueError as exc:
        _report(path, field, str(exc))
        return None


def _report(path: Path | None, field: str, problem: str) -> None:
    name = path.name if path is not None else "history"
    if (name, field) not in _reported:
        _reported.add((name, field))
        log.warning("%s: %s: %s; ignored", name, field, problem)


def is_corrupt(exc: sqlite3.Error) -> bool:
    """Whether this error says the database file is damaged, as opposed to a disk that is full or failing."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (SQLITE_CORRUPT, SQLITE_NOTADB)
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text


class HistoryStore:
    """The history file of one data dir. Used from one thread; compaction opens its own connection."""

    def __init__(
        self,
        path: Path,
        problems: list[str] | None = None,
        *,
        migrations: Sequence[Migration] = MIGRATIONS,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.path = path
        self.migrations = tuple(sorted(migrations, key=lambda m: m.version))
        self.version = self.migrations[-1].version if self.migrations else 0
        self.writable = True
        self._clock = clock or (lambda: datetime.now(UTC))
        self._problems = problems if problems is not None else []
        self._keys: dict[str, int] = {}
        self._compactor: threading.Thread | None = None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = self._open()

    # ------------------------------------------------------------ opening, checking, migrating

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=5.0)
        with contextlib.suppress(OSError):
            os.chmod(self.path, 0o600)  # the -wal and -shm files take the same mode
        conn.execute("PRAGMA busy_timeout = 5000")
        return conn

    def _open(self) -> sqlite3.Connection:
        conn = self._connect()
        try:
            check = conn.execute("PRAGMA quick_check").fetchone()
            if check is None or check[0] != "ok":
                raise _Damaged(f"integrity check failed: {check[0] if check else 'no answer'}")
            self._schema_version(conn)
        except sqlite3.Error as exc:
            conn.close()
            if not isinstance(exc, _Damaged) and not is_corrupt(exc):
                # A full disk, an I/O error, a lock: the file is kept as it is and the caller told.
                raise
            aside = self._set_aside()
            log.error("history unreadable (%s); kept at %s", exc, aside)
            self._problems.append(
                tr(
                    "The history of balances could not be read ({error}); it was kept as {file} and a new history "
                    "was started. Current balances are not affected.",
                    error=str(exc),
                    file=aside.name,
                )
            )
            conn = self._connect()
        try:
            # A failed migration leaves the file as it was (one transaction each) and raises: the caller
            # tells the user; the copy made before migrating is kept too.
            self._migrate(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _set_aside(self) -> Path:
        now = self._clock()
        aside = set_aside(self.path, now)
        for suffix in ("-wal", "-shm"):
            side = self.path.with_name(self.path.name + suffix)
            if side.exists():
                os.replace(side, aside.with_name(aside.name + suffix))
        return aside

    def _migrate(self, conn: sqlite3.Connection) -> None:
        current = self._schema_version(conn)
        if current > self.version:
            self.writable = False
            self._problems.append(
                tr(
                    "The history was written by a newer version of Credit Tray (schema {version}); it is kept "
                    "unchanged and nothing is recorded until you update.",
                    version=current if current < 2**31 else "?",
                )
            )
            return
        if current == 0:
            # A new file: pages freed by compaction go back to the OS.
            conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        # A small page cache: the tray keeps this connection all day and reads little.
        conn.execute("PRAGMA cache_size = -256")
        pending = [m for m in self.migrations if m.version > current]
        if not pending:
            return
        if current > 0:
            self.backup(self.path.with_name(f"{self.path.name}.v{current}-{self._clock():%Y%m%dT%H%M%S}.bak"))
        for migration in pending:
            with _write(conn):
                for statement in migration.statements:
                    conn.execute(statement)
                if current == 0 and migration is pending[0]:
                    conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
                conn.execute("DELETE FROM schema_version")
                conn.execute("INSERT INTO schema_version (version) VALUES (?)", (migration.version,))
            log.info("history schema now at version %s", migration.version)
            current = migration.version

    def _schema_version(self, conn: sqlite3.Connection) -> int:
        exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").fetchone()
        if not exists:
            return 0
        row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
        value = row[0] if row else None
        if value is None:
            return 0
        if isinstance(value, int) and 0 <= value < 2**31:
            return value
        # Not a version we wrote: treated as a newer one (kept unchanged, not written) rather than a crash.
        _report(self.path, "schema_version", f"not a version: {str(value)[:40]!r}")
        return 2**31

    def backup(self, target: Path) -> Path:
        """A consistent copy of the history (WAL included)."""
        source = sqlite3.connect(self.path)
        try:
            dest = sqlite3.connect(target)
            try:
                source.backup(dest)
            finally:
                dest.close()
        finally:
            source.close()
        return target

    def close(self) -> None:
        self.wait_for_compaction()
        with contextlib.suppress(sqlite3.Error):
            self._conn.close()

    # ------------------------------------------------------------ writing

    def _key(self, account_id: str, *, create: bool) -> int | None:
        key = self._keys.get(account_id)
        if key is not None:
            return key
        if create:
            self._conn.execute("INSERT OR IGNORE INTO accounts (account_id) VALUES (?)", (account_id,))
        row = self._conn.execute("SELECT id FROM accounts WHERE account_id = ?", (account_id,)).fetchone()
        if row is None:
            return None
        self._keys[account_id] = int(row[0])
        return int(row[0])

    def record(self, readings: Iterable[Reading]) -> None:
        """Store readings (one per account and second: a second reading in the same second replaces it)."""
        if not self.writable:
            return
        rows = []
        try:
            with _write(self._conn):
                for r in readings:
                    key = self._key(r.account_id, create=True)
                    rows.append(
                        (
                            key,
                            _ts(r.at),
                            r.status,
                            r.currency,
                            _dec(r.remaining),
                            _dec(r.remaining_granted),
                            _dec(r.remaining_paid),
                            _dec(r.granted_total),
                            _dec(r.used),
                            None if r.expires_at is None else _ts(r.expires_at),
                            r.error_kind,
                            " ".join(r.alerts),
                        )
                    )
                self._conn.executemany(
                    "INSERT OR REPLACE INTO readings (acct, t, status, currency, remaining, remaining_granted,"
                    " remaining_paid, granted_total, used, expires_at, error_kind, alerts)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    rows,
                )
        except BaseException:
            self._keys.clear()  # account ids made in the rolled-back transaction are gone
            raise

    def has_readings(self, account_id: str) -> bool:
        key = self._key(account_id, create=False)
        if key is None:
            return False
        return self._conn.execute("SELECT 1 FROM readings WHERE acct = ? LIMIT 1", (key,)).fetchone() is not None

    # ------------------------------------------------------------ reading

    def readings(
        self, account_id: str | None = None, since: datetime | None = None, until: datetime | None = None
    ) -> list[Reading]:
        """Every stored reading, oldest first (for export and the `history` command)."""
        where = ["r.t >= ?", "r.t < ?"]
        args: list[object] = [_ts(since) if since else -(2**62), _ts(until) if until else 2**62]
        if account_id is not None:
            where.append("a.account_id = ?")
            args.append(account_id)
        cursor = self._conn.execute(
            "SELECT a.account_id, r.t, r.status, r.currency, r.remaining, r.remaining_granted, r.remaining_paid,"
            " r.granted_total, r.used, r.expires_at, r.error_kind, r.alerts"
            " FROM readings r JOIN accounts a ON a.id = r.acct"
            f" WHERE {' AND '.join(where)} ORDER BY r.t, a.account_id",
            args,
        )
        return [reading for row in cursor if (reading := self._reading(row)) is not None]

    def _reading(self, row: Sequence[object]) -> Reading | None:
        """A stored row as a Reading; None (reported) when its time is not one."""
        account_id, t, status, currency, *amounts, expires_at, error_kind, alerts = row
        if not _is_time(t):
            _report(self.path, "t", f"not a time: {str(t)[:40]!r}")
            return None
        names = ("remaining", "remaining_granted", "remaining_paid", "granted_total", "used")
        values = [_undec(v, self.path, n) for v, n in zip(amounts, names, strict=True)]
        if expires_at is not None and not _is_time(expires_at):
            _report(self.path, "expires_at", f"not a time: {str(expires_at)[:40]!r}")
            expires_at = None
        return Reading(
            account_id=str(account_id),
            at=_dt(t),  # type: ignore[arg-type]  # checked by _is_time
            status=str(status),
            currency=currency if isinstance(currency, str) else None,
            remaining=values[0],
            remaining_granted=values[1],
            remaining_paid=values[2],
            granted_total=values[3],
            used=values[4],
            expires_at=None if expires_at is None else _dt(expires_at),  # type: ignore[arg-type]
            error_kind=error_kind if isinstance(error_kind, str) else None,
            alerts=tuple(alerts.split()) if isinstance(alerts, str) else (),
        )

    def balances(self, account_id: str, since: datetime) -> list[tuple[datetime, Decimal, str | None]]:
        """(time, remaining, currency) of the successful readings since a time: what forecasts use."""
        return _balances(self._conn, account_id, since)

    def forecasts_apart(self, items: Sequence[tuple[str, Snapshot | None]], now: datetime) -> dict[str, Forecast]:
        """The forecasts of these accounts (id, last good snapshot), read on a connection of their own, so a
        worker thread can compute them."""
        conn = self._connect()
        try:
            return self._forecasts(conn, items, now)
        finally:
            conn.close()

    def forecasts(self, items: Sequence[tuple[str, Snapshot | None]], now: datetime) -> dict[str, Forecast]:
        """The same, on this thread."""
        return self._forecasts(self._conn, items, now)

    def _forecasts(
        self, conn: sqlite3.Connection, items: Sequence[tuple[str, Snapshot | None]], now: datetime
    ) -> dict[str, Forecast]:
        """Each account's forecast from its stored fold brought up to date (the readings that left the window
        taken out, the new ones added); from every reading of its window when the fold is missing or out of date.
        The result is what `forecast(self.balances(...))` gives."""
        since = now - WINDOW
        snaps = dict(items)
        if self.writable:  # else a newer schema: its tables are not ours to read or write
            try:
                folds, updated = _read_folds(conn, snaps, since)
            except sqlite3.OperationalError as exc:
                if "no such" not in str(exc):
                    raise  # a locked or failing file: the caller's to tell
                _report(self.path, "folds", str(exc))  # a table dropped by hand: the readings still serve
            else:
                if updated:
                    _store_folds(conn, updated)
                return {a: forecast_folded(folds[a], snap, now) for a, snap in snaps.items()}
        return {a: forecast(_balances(conn, a, since), snap, now) for a, snap in snaps.items()}

    def points(
        self, account_id: str, since: datetime | None, until: datetime | None = None, max_points: int = 400
    ) -> list[Point]:
        """The remaining credit over a time range, at most `max_points` (the last reading of each slot)."""
        return self.points_many([account_id], since, until, max_points).get(account_id, [])

    def points_many(
        self, account_ids: Sequence[str], since: datetime | None, until: datetime | None = None, max_points: int = 400
    ) -> dict[str, list[Point]]:
        keys = {k: a for a in account_ids if (k := self._key(a, create=False)) is not None}
        if not keys:
            return {}
        marks = ",".join("?" * len(keys))
        lo = _ts(since) if since else None
        hi = _ts(until) if until else None
        if lo is None:
            row = self._conn.execute(
                f"SELECT min(t) FROM readings WHERE acct IN ({marks}) AND typeof(t) = 'integer'", list(keys)
            ).fetchone()
            lo = int(row[0]) if row and _is_time(row[0]) else 0
        if hi is None:
            hi = _ts(self._clock()) + 1
        slot = max(1, (hi - lo) // max(1, max_points))
        # SQLite returns the bare columns of the row holding max(t) in each group: the slot's last reading.
        cursor = self._conn.execute(
            "SELECT acct, max(t), remaining FROM readings"
            f" WHERE acct IN ({marks}) AND t >= ? AND t < ? GROUP BY acct, (t - ?) / ? ORDER BY acct, t",
            [*keys, lo, hi, lo, slot],
        )
        result: dict[str, list[Point]] = {}
        for key, t, remaining in cursor:
            if _is_time(t):
                result.setdefault(keys[key], []).append(Point(_dt(t), self._float(remaining)))
        # ...and the first reading of the range, so that a line starts where the history does.
        firsts = self._conn.execute(
            f"SELECT acct, min(t), remaining FROM readings WHERE acct IN ({marks}) AND t >= ? AND t < ? GROUP BY acct",
            [*keys, lo, hi],
        )
        for key, t, remaining in firsts:
            series = result.get(keys[key])
            if series and _is_time(t) and series[0].at != _dt(t):
                series.insert(0, Point(_dt(t), self._float(remaining)))
        return result

    def _float(self, remaining: object) -> float | None:
        value = _undec(remaining, self.path)
        return None if value is None else float(value)

    def newest(self) -> datetime | None:
        row = self._conn.execute(
            "SELECT max(t) FROM readings WHERE typeof(t) = 'integer' AND t BETWEEN ? AND ?", (T_MIN, T_MAX)
        ).fetchone()
        return None if row is None or row[0] is None else _dt(row[0])

    def count(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM readings").fetchone()[0])

    # ------------------------------------------------------------ retention

    def last_compacted(self) -> datetime | None:
        return _last_compacted(self._conn, self.path)

    def compaction_due(self, now: datetime) -> bool:
        last = self.last_compacted()
        return self.writable and (last is None or now - last >= COMPACT_EVERY or last > now)

    def compact(self, now: datetime) -> int:
        """Thin old readings to the retention plan; returns how many rows were removed."""
        if not self.writable:
            return 0
        return _compact(self._conn, now)

    def compact_in_background(self, now: datetime) -> bool:
        """Start compaction on a worker thread with its own connection (at most one at a time)."""
        if not self.writable or (self._compactor is not None and self._compactor.is_alive()):
            return False

        def work() -> None:
            try:
                conn = self._connect()
                try:
                    removed = _compact(conn, now)
                finally:
                    conn.close()
                log.info("history compacted: %s readings thinned out", removed)
            except sqlite3.Error as exc:
                log.warning("history compaction failed: %s", exc)

        self._compactor = threading.Thread(target=work, name="history-compact")
        self._compactor.start()
        return True

    def wait_for_compaction(self, timeout: float | None = None) -> None:
        if self._compactor is not None:
            self._compactor.join(timeout)


def _is_time(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and T_MIN <= value <= T_MAX


def _last_compacted(conn: sqlite3.Connection, path: Path | None = None) -> datetime | None:
    """When compaction last ran; None (so it runs again, and writes a good one) when what is stored is no time."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'last_compacted'").fetchone()
    if row is None:
        return None
    try:
        when = datetime.fromisoformat(row[0]) if isinstance(row[0], str) else None
    except ValueError:
        when = None
    if when is None:
        _report(path, "last_compacted", f"not a time: {str(row[0])[:40]!r}")
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _compact(conn: sqlite3.Connection, now: datetime) -> int:
    previous = _last_compacted(conn)
    if previous is not None and previous > now:
        previous = None  # the clock went back: look at everything
    cut_raw = _ts(now - timedelta(days=RAW_DAYS))
    cut_hourly = _ts(now - timedelta(days=HOURLY_DAYS))
    # Only the rows that crossed a boundary since the last run (older ones are thinned already).
    start_raw = -(2**62) if previous is None else _ts(previous - timedelta(days=RAW_DAYS)) - HOUR
    start_hourly = -(2**62) if previous is None else _ts(previous - timedelta(days=HOURLY_DAYS)) - DAY
    removed = 0
    keys = [k for (k,) in conn.execute("SELECT id FROM accounts")]
    # One short transaction per account, with a pause between them: the tray records its readings on the UI
    # thread, which waits for the write lock, and one transaction for every account would hold it too long.
    # Thinning is idempotent, so a run cut short is redone from the same point next time.
    for key in keys:
        with _write(conn):
            count = conn.execute("SELECT n FROM changes WHERE acct = ?", (key,)).fetchone()
            gone = _thin(conn, key, max(start_raw, cut_hourly), cut_raw, HOUR)
            gone += _thin(conn, key, start_hourly, cut_hourly, DAY)
            if gone:
                _refold(conn, key, count[0] if count else 0, max(gone))
            removed += len(gone)
        time.sleep(COMPACT_PAUSE)
    with _write(conn):
        conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('last_compacted', ?)", (now.astimezone(UTC).isoformat(),)
        )
    free = _free_pages(conn) if removed else 0
    while free > 0:  # the space freed is given back in steps, for the same reason
        with _WRITERS:  # a write of its own (autocommit)
            conn.execute(f"PRAGMA incremental_vacuum({VACUUM_PAGES})")
        time.sleep(COMPACT_PAUSE)
        free, before = _free_pages(conn), free
        if free >= before:  # not an incremental-vacuum database (made by an older version)
            break
    return removed


def _free_pages(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA freelist_count").fetchone()[0])


# The writers of this process (the UI thread's record, the compaction, the forecasts' folds) take turns here
# before asking SQLite for its write lock. SQLite's own wait for a busy lock sleeps in growing steps (up to
# 100 ms) and wakes to find the lock taken again by compaction, which takes it once per account: the UI
# thread's record waited 0.2-0.9 s at 500 accounts. This lock is handed to the waiting writer once it is free.
# Another process (`trayapp check`) still waits on SQLite's busy timeout.
_WRITERS = threading.RLock()


@contextlib.contextmanager
def _write(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction: committed, or rolled back on any error (a failed commit included)."""
    with _WRITERS:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            conn.execute("COMMIT")
        except BaseException:
            # SQLite may have rolled back already (SQLITE_FULL does): the error to raise is that one, not
            # "cannot rollback - no transaction is active".
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise


def _thin(conn: sqlite3.Connection, key: int, start: int, end: int, slot: int) -> list[int]:
    """Keep one reading per slot in [start, end): the last successful one, or the last if all failed.
    Returns the times of the readings removed."""
    if start >= end:
        return []
    start = start - start % slot
    rows = conn.execute(
        "SELECT t, remaining IS NOT NULL OR error_kind IS NULL FROM readings WHERE acct = ? AND t >= ? AND t < ?"
        " AND typeof(t) = 'integer' ORDER BY t",
        (key, start, end),
    ).fetchall()
    keep: dict[int, tuple[int, bool]] = {}
    for t, good in rows:
        bucket = t // slot
        held = keep.get(bucket)
        if held is None or good or not held[1]:
            keep[bucket] = (t, bool(good))
    kept = {t for t, _ in keep.values()}
    doomed = [t for t, _ in rows if t not in kept]
    conn.executemany("DELETE FROM readings WHERE acct = ? AND t = ?", [(key, t) for t in doomed])
    return doomed


def _refold(conn: sqlite3.Connection, key: int, count_before: object, newest_gone: int) -> None:
    """After compaction removed readings of an account (in the same transaction), its fold: unchanged (its count
    brought along) when they were all older than its window, else made again from the readings it covers. So the
    next poll does not fold two weeks of readings again for every account, every day."""
    try:
        row = conn.execute(f"SELECT {_FOLD_COLUMNS} FROM folds WHERE acct = ?", (key,)).fetchone()
        stored = _stored_fold(row)
        if stored is None:
            return
        made_at, currency, since, upto, f = stored
        if newest_gone >= since or made_at != count_before:
            rows = conn.execute(
                "SELECT t, remaining, currency FROM readings WHERE acct = ? AND t >= ? AND t <= ?"
                " AND remaining IS NOT NULL ORDER BY t",
                (key, since, upto),
            )
            f = fold([(_dt(t), r) for t, r, c in _amounts(rows) if c == currency])
        count = conn.execute("SELECT n FROM changes WHERE acct = ?", (key,)).fetchone()
        conn.execute(
            f"INSERT OR REPLACE INTO folds ({_FOLD_COLUMNS}) VALUES ({','.join('?' * 13)})",
            _fold_row(key, count[0] if count else 0, currency, since, upto, f),
        )
    except sqlite3.OperationalError as exc:  # a folds table dropped by hand: the next poll reads the readings
        log.debug("fold not kept through compaction: %s", exc)


def _balances(conn: sqlite3.Connection, account_id: str, since: datetime) -> list[tuple[datetime, Decimal, str | None]]:
    cursor = conn.execute(
        "SELECT t, remaining, currency FROM readings JOIN accounts ON accounts.id = readings.acct"
        " WHERE account_id = ? AND t >= ? AND remaining IS NOT NULL ORDER BY t",
        (account_id, _ts(since)),
    )
    at = datetime.fromtimestamp
    return [(at(t, UTC), amount, cur) for t, amount, cur in _amounts(cursor)]


def _amounts(cursor: Iterable[Sequence[object]]) -> Iterator[tuple[int, Decimal, str | None]]:
    """(time, remaining, currency) of rows (t, remaining, currency) that hold a time and an amount."""
    for t, rem, cur in cursor:
        # Every reading of two weeks when a fold is made again, and of the details window: the usual row (a whole
        # second in range, an amount as text) is checked and converted here, as dec_in would; anything else goes
        # through _undec, which reports it.
        amount: Decimal | None
        if type(t) is int and T_MIN <= t <= T_MAX and type(rem) is str and len(rem) <= 100:
            try:
                parsed = Decimal(rem)
            except InvalidOperation:
                amount = _undec(rem)
            else:
                good = parsed.is_finite() and parsed.copy_abs() < MAX_AMOUNT
                amount = parsed if good else _undec(rem)
        elif _is_time(t):
            amount = _undec(rem)
        else:
            continue
        if amount is not None:
            yield t, amount, cur if type(cur) is str else None  # type: ignore[misc]  # t: an int, checked above


def _store_folds(conn: sqlite3.Connection, rows: list[tuple[object, ...]]) -> None:
    try:
        with _write(conn):
            conn.executemany(f"INSERT OR REPLACE INTO folds ({_FOLD_COLUMNS}) VALUES ({','.join('?' * 13)})", rows)
    except sqlite3.Error as exc:  # only the next poll's work: it starts again from the readings
        log.debug("forecast folds not stored: %s", exc)


def _read_folds(
    conn: sqlite3.Connection, snaps: dict[str, Snapshot | None], since: datetime
) -> tuple[dict[str, Fold], list[tuple[object, ...]]]:
    """Each account's fold of its window, and the folds to store (those that changed)."""
    lo = _ts_at_or_after(since)
    folds = dict.fromkeys(snaps, Fold())  # an account with no readings recorded yet
    updated: list[tuple[object, ...]] = []
    ids = list(snaps)
    conn.execute("BEGIN")  # one read transaction: the counts, the folds and the readings agree
    try:
        for i in range(0, len(ids), 500):  # 500 parameters: within the 999 of older SQLite versions
            chunk = ids[i : i + 500]
            found = conn.execute(
                f"SELECT a.account_id, a.id, coalesce(c.n, 0), {_FOLD_COLUMNS_OF_F}"
                " FROM accounts a LEFT JOIN changes c ON c.acct = a.id LEFT JOIN folds f ON f.acct = a.id"
                f" WHERE a.account_id IN ({','.join('?' * len(chunk))})",
                chunk,
            ).fetchall()
            for account_id, key, n, *columns in found:
                snap = snaps[account_id]
                currency = snap.currency if snap else None
                stored = None if columns[0] is None else tuple(columns)
                kept = _kept_fold(conn, stored, n, currency, lo)
                if kept is None:
                    balances = _balances(conn, account_id, since)
                    upto = max((_ts(t) for t, _, _ in balances), default=lo - 1)
                    kept = fold(sorted((t, r) for t, r, c in balances if t >= since and c == currency)), upto
                folds[account_id] = kept[0]
                row = _fold_row(key, n, currency, lo, kept[1], kept[0])
                if row != stored:
                    updated.append(row)
    finally:
        conn.execute("COMMIT")  # a read transaction: nothing to keep or undo
    return folds, updated


_FOLD_COLUMNS = "acct, changes, currency, since, upto, readings, spent, span, topups, first_t, first_r, last_t, last_r"
_FOLD_COLUMNS_OF_F = ", ".join(f"f.{c}" for c in _FOLD_COLUMNS.split(", "))


def _fold_row(key: int, n: object, currency: str | None, since: int, upto: int, f: Fold) -> tuple[object, ...]:
    first = (None, None) if f.first is None else (_ts(f.first[0]), str(f.first[1]))
    last = (None, None) if f.last is None else (_ts(f.last[0]), str(f.last[1]))
    span = f.span.days * DAY + f.span.seconds  # whole seconds: readings are
    return (key, n, currency, since, upto, f.readings, str(f.spent), span, f.topups, *first, *last)


def _stored_fold(row: Sequence[object] | None) -> tuple[object, str | None, int, int, Fold] | None:
    """(changes, currency, since, upto, fold) of a stored fold; None when there is none or it is not one of ours."""
    if row is None:
        return None
    _, n, currency, since, upto, readings, spent, span, topups, first_t, first_r, last_t, last_r = row
    counts = (readings, span, topups)
    if not all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**62 for v in counts):
        return None
    if not (_is_time(since) and _is_time(upto) and (currency is None or isinstance(currency, str))):
        return None
    try:
        # A sum of two weeks' spending may be past any one balance (MAX_AMOUNT), not past Decimal's range.
        total = Decimal(spent) if isinstance(spent, str) and len(spent) <= 100 else None
        first, last = dec_in(first_r), dec_in(last_r)
    except (ValueError, InvalidOperation):
        return None
    if total is None or not total.is_finite():
        return None
    ends: tuple[tuple[datetime, Decimal] | None, tuple[datetime, Decimal] | None] = (None, None)
    if readings:
        if not (_is_time(first_t) and _is_time(last_t) and first is not None and last is not None):
            return None
        ends = ((_dt(first_t), first), (_dt(last_t), last))  # type: ignore[arg-type]  # checked by _is_time
    fold_ = Fold(readings, total, timedelta(seconds=span), topups, *ends)  # type: ignore[arg-type]  # ints, checked
    return n, currency, since, upto, fold_  # type: ignore[return-value]  # since, upto: checked by _is_time


def _kept_fold(
    conn: sqlite3.Connection, row: Sequence[object] | None, n: object, currency: str | None, lo: int
) -> tuple[Fold, int] | None:
    """A stored fold brought to the window from `lo`: (fold, newest time read); None when it must be made again
    (none, another count of changes, another currency, a window that starts earlier, an inexact sum)."""
    stored = _stored_fold(row)
    if stored is None:
        return None
    count, cur, since, upto, f = stored
    if count != n or cur != currency or lo < since:
        return None
    key = row[0]  # type: ignore[index]
    dropped: list[tuple[datetime, Decimal]] = []
    second: tuple[datetime, Decimal] | None = None
    if f.first is not None and f.last is not None and _ts(f.first[0]) < lo:
        # The readings that left the window, and the one after them (the new first), as they were folded.
        rows = conn.execute(
            "SELECT t, remaining, currency FROM readings WHERE acct = ? AND t >= ? AND t <= ?"
            " AND remaining IS NOT NULL ORDER BY t",
            (key, _ts(f.first[0]), _ts(f.last[0])),
        )
        for t, r, c in _amounts(rows):
            if c != currency:
                continue
            if t >= lo:
                second = (_dt(t), r)
                break
            dropped.append((_dt(t), r))
        if not dropped or dropped[0] != f.first:
            return None  # not the readings it was made from
    new = conn.execute(
        "SELECT t, remaining, currency FROM readings WHERE acct = ? AND t > ? AND remaining IS NOT NULL ORDER BY t",
        (key, max(upto, lo - 1)),
    ).fetchall()
    upto = max([upto, *(t for t, _, _ in new if _is_time(t))])
    added = [(_dt(t), r) for t, r, c in _amounts(new) if c == currency]
    with localcontext() as ctx:
        # Sums taken out and put in again are the sums over the readings left only when no step rounds.
        ctx.traps[Inexact] = True
        try:
            for i in range(len(dropped)):
                f = f.rest(dropped[i + 1] if i + 1 < len(dropped) else second)
            for at, r in added:
                f = f.then(at, r)
        except Inexact:
            return None
    return f, upto


def _ts_at_or_after(when: datetime) -> int:
    """The first whole second at or after a time."""
    since_epoch = when - datetime(1970, 1, 1, tzinfo=UTC)
    return since_epoch.days * DAY + since_epoch.seconds + (1 if since_epoch.microseconds else 0)


def open_history(
    path: Path,
    problems: list[str],
    prepare: Callable[[HistoryStore], None] | None = None,
    *,
    stale_after: timedelta | None = None,
) -> HistoryStore | None:
    """Open the history at start-up, then `prepare` it (the caller's seeding and forecasts, whose database
    errors count as the history's); None (and a problem told) if it cannot be opened.

    `stale_after`: a history whose newest reading is older than this is started again (the demo's).
    """
    try:
        store = HistoryStore(path, problems)
        newest = store.newest() if stale_after is not None else None
        if stale_after is not None and newest is not None and datetime.now(UTC) - newest > stale_after:
            store.close()
            for suffix in ("", "-wal", "-shm"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
            store = HistoryStore(path, problems)
        if prepare is not None:
            prepare(store)
    except (sqlite3.Error, OSError) as exc:
        log.error("history unavailable: %s", exc)
        problems.append(
            tr(
                "The history of balances cannot be opened ({error}); balances are shown but not recorded.",
                error=str(exc),
            )
        )
        return None
    return store
