"""history.sqlite3: every poll result, kept a year in a few MB. Stdlib sqlite3 in WAL mode.

- Schema versions are applied by migrations, each in one transaction, after a consistent copy of the
  file (`history.sqlite3.v<old>-<time>.bak`, made with SQLite's backup API so the WAL is included).
- The file is checked at open (`PRAGMA quick_check`); one that is corrupt or not a database is set aside
  as `history.sqlite3.corrupt-<time>`, the user is told, and a fresh history starts. Only that: a write
  that fails (SQLITE_FULL, a disk I/O error, a locked file) is no corruption; it raises, the file is kept,
  and the next open or poll tries again.
- Values are checked as they are read: a row whose time is not a time is skipped, a number that is not a
  finite amount is read as unknown (None), a garbage `last_compacted` as never; each reported once.
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
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..core.codec import MAX_AMOUNT, dec_in  # at the top: an import in a per-row function runs per row (PySide's hook)
from ..core.forecast import WINDOW, Forecast, forecast
from ..core.history import Reading
from ..core.i18n import tr
from ..core.models import Snapshot
from .atomic import set_aside

log = logging.getLogger(__name__)

RAW_DAYS = 7
HOURLY_DAYS = 90
COMPACT_EVERY = timedelta(days=1)
COMPACT_PAUSE = 0.005  # s between compaction steps: a writer waiting for the lock gets it
VACUUM_PAGES = 256
HOUR, DAY = 3600, 86400


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
        worker thread can compute them: each reads two weeks of its account's history."""
        conn = self._connect()
        try:
            return {a: forecast(_balances(conn, a, now - WINDOW), snap, now) for a, snap in items}
        finally:
            conn.close()

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
            removed += _thin(conn, key, max(start_raw, cut_hourly), cut_raw, HOUR)
            removed += _thin(conn, key, start_hourly, cut_hourly, DAY)
        time.sleep(COMPACT_PAUSE)
    with _write(conn):
        conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('last_compacted', ?)", (now.astimezone(UTC).isoformat(),)
        )
    free = _free_pages(conn) if removed else 0
    while free > 0:  # the space freed is given back in steps, for the same reason
        conn.execute(f"PRAGMA incremental_vacuum({VACUUM_PAGES})")
        time.sleep(COMPACT_PAUSE)
        free, before = _free_pages(conn), free
        if free >= before:  # not an incremental-vacuum database (made by an older version)
            break
    return removed


def _free_pages(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA freelist_count").fetchone()[0])


@contextlib.contextmanager
def _write(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction: committed, or rolled back on any error (a failed commit included)."""
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


def _thin(conn: sqlite3.Connection, key: int, start: int, end: int, slot: int) -> int:
    """Keep one reading per slot in [start, end): the last successful one, or the last if all failed."""
    if start >= end:
        return 0
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
    doomed = [(key, t) for t, _ in rows if t not in kept]
    conn.executemany("DELETE FROM readings WHERE acct = ? AND t = ?", doomed)
    return len(doomed)


def _balances(conn: sqlite3.Connection, account_id: str, since: datetime) -> list[tuple[datetime, Decimal, str | None]]:
    cursor = conn.execute(
        "SELECT t, remaining, currency FROM readings JOIN accounts ON accounts.id = readings.acct"
        " WHERE account_id = ? AND t >= ? AND remaining IS NOT NULL ORDER BY t",
        (account_id, _ts(since)),
    )
    found: list[tuple[datetime, Decimal, str | None]] = []
    append, at = found.append, datetime.fromtimestamp
    for t, rem, cur in cursor:
        # Every reading of two weeks, every poll: the usual row (a whole second in range, an amount as text) is
        # checked and converted here, as dec_in would; anything else goes through _undec, which reports it.
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
            append((at(t, UTC), amount, cur if type(cur) is str else None))
    return found


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
