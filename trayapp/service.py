"""The Qt-free service: owns the config, the state, the monitor and the history, and offers the verbs both
clients use (the tray through ui/controller.py, the CLI through cli.py). It is the one place that builds
accounts and writes files; its clients only call it.

Imported lazily by the tray, which shows its icon before loading any of this (docs/ARCHITECTURE.md,
"Start-up: the icon first"): keep the module-level imports light.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .storage.paths import Paths, resolve_paths

if TYPE_CHECKING:
    from .core.forecast import Forecast
    from .core.models import Account, AccountState, Alert, FetchResult, Grant, Settings, Snapshot
    from .core.monitor import AccountView, Monitor
    from .secrets.secret import Secret
    from .secrets.store import SecretStore
    from .storage.config import Config, ConfigStore
    from .storage.history import HistoryStore
    from .storage.state import AppState, StateStore

log = logging.getLogger("trayapp")

DEMO_FRESH = timedelta(hours=6)  # a demo history older than this is started again


@dataclass
class Service:
    """Config, state, monitor and history of one config dir, and what can be done with them."""

    paths: Paths
    demo: bool
    config_store: ConfigStore | None  # None in demo: the demo never writes the user's settings
    state_store: StateStore
    secrets: SecretStore
    config: Config
    state: AppState
    monitor: Monitor
    problems: list[str] = field(default_factory=list)
    history: HistoryStore | None = None  # None when the history file cannot be opened (the user is told)
    _write_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _file_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _write_seq: int = 0
    _written_seq: int = 0
    _seen: Config | None = None  # the config as last read from or written to disk (what `save_config` diffs)

    # ------------------------------------------------------------ files

    # config.json has other writers (`trayapp accounts ...` while the tray runs): every change here is made to
    # the file as it is on disk, under its lock (ConfigStore.update), and only that change; `self.config` is
    # then what was written. Changes made by others are read with `reload_config` (the tray watches the file).

    def save_config(self) -> None:
        """What changed in `self.config` since it was read (accounts added, removed or changed, settings
        changed) written into config.json as it is on disk now, keeping what others changed meanwhile."""
        base = self._seen or _copy_config(None)
        before = {a.id: a for a in base.accounts}
        after = {a.id for a in self.config.accounts}
        changed = [a for a in self.config.accounts if before.get(a.id) != a]
        removed = set(before) - after
        settings = _changed_settings(base.settings, self.config.settings)

        def change(config: Config) -> None:
            for account in changed:
                _put(config, account, before.get(account.id))
            config.accounts = [a for a in config.accounts if a.id not in removed]
            config.settings = replace(config.settings, **settings)

        self._change_config(change)

    def _change_config(self, change: Callable[[Config], None]) -> None:
        """`change` applied to config.json on disk under its lock (in memory only in the demo), then followed.
        Raises ConfigError or StorageError with the file as it was."""
        if self.config_store is None:
            change(self.config)
        else:
            from .storage.config import LoadReport

            report = LoadReport()
            self.config = self.config_store.update(change, report)
            self._tell(report.problems)
        self._follow_config()

    def reload_config(self) -> bool:
        """config.json read again (another process may have changed it); True if accounts or settings changed.
        A removed account's state goes with it; an added one is due at once."""
        if self.config_store is None:
            return False
        from .storage.config import LoadReport

        report = LoadReport()
        fresh = self.config_store.load(report)
        self._tell(report.problems)
        if fresh == self.config:
            self._seen = _copy_config(fresh)
            return False
        log.info("config.json changed by another process; reloaded")
        self.config = fresh
        self._follow_config()
        return True

    def _follow_config(self) -> None:
        from .core.texts import resolve_language

        self._seen = _copy_config(self.config)
        self.monitor.set_accounts(self.config.accounts)
        self.monitor.settings = self.config.settings
        self.monitor.lang = resolve_language(self.config.settings.language)

    def _tell(self, problems: Iterable[str]) -> None:
        for problem in problems:
            if problem not in self.problems:
                log.warning("%s", problem)
                self.problems.append(problem)

    def save_state(self, *, background: bool = False) -> None:
        """Write state.json. `background`: encode now, write (and fsync) on a worker thread, so the tray's
        UI thread does not wait on the disk; writes never go back in time (an older one is dropped)."""
        self.state.accounts = dict(self.monitor.states)
        data = self.state_store.encode(self.state)
        with self._write_lock:
            self._write_seq += 1
            seq = self._write_seq
        if not background:
            self._write_state(seq, data, background=False)
            return
        threading.Thread(target=self._write_state, args=(seq, data), name="state-write", daemon=True).start()

    def _write_state(self, seq: int, data: bytes, *, background: bool = True) -> None:
        """Raises StorageError (state.json left as it was) unless in the background, where it is logged."""
        from .storage.atomic import StorageError

        with self._file_lock:
            if seq < self._written_seq:
                return  # a newer state is already on disk
            try:
                self.state_store.write(data)
            except StorageError as exc:
                if not background:
                    raise
                log.error("state not saved: %s", exc.message)
                return
            self._written_seq = seq

    # ------------------------------------------------------------ history and forecasts

    def open_history(self, *, forecasts: bool = True) -> None:
        """`forecasts=False`: the caller computes them (the tray, on a worker thread: `forecast_items`)."""
        from .storage.history import open_history

        def prepare(store: HistoryStore) -> None:
            now = datetime.now(UTC)
            if self.demo:
                self._seed_demo_history(store, now)
            if forecasts:
                self._refresh_forecasts(store, now)

        stale_after = DEMO_FRESH if self.demo else None  # the demo's history would otherwise have a gap
        self.history = open_history(self.paths.history_file, self.problems, prepare, stale_after=stale_after)

    def _seed_demo_history(self, store: HistoryStore, now: datetime) -> None:
        """The demo's synthetic weeks of history, for its sample accounts that have none yet."""
        from .providers.demo import demo_history

        fresh = [a for a in self.monitor.accounts if _is_sample(a.provider) and not store.has_readings(a.id)]
        store.record(demo_history(fresh, now))

    def _refresh_forecasts(self, store: HistoryStore, now: datetime, account_ids: Iterable[str] | None = None) -> None:
        ids = list(account_ids) if account_ids is not None else [a.id for a in self.monitor.accounts]
        self.monitor.forecasts.update(store.forecasts(self.forecast_items(ids), now))

    def refresh_forecasts(self, now: datetime, account_ids: Iterable[str] | None = None) -> None:
        """The forecasts of these accounts (all by default) from the history, on this thread."""
        if self.history is not None:
            self._refresh_forecasts(self.history, now, account_ids)

    def forecast_items(self, account_ids: Iterable[str]) -> list[tuple[str, Snapshot | None]]:
        """What `HistoryStore.forecasts_apart` needs to compute forecasts on a worker thread."""
        states = self.monitor.states
        return [(a, states[a].last_good if a in states else None) for a in account_ids]

    def set_forecasts(self, forecasts: Mapping[str, Forecast]) -> None:
        """Forecasts computed apart; an account removed meanwhile is skipped."""
        known = {a.id for a in self.monitor.accounts}
        self.monitor.forecasts.update({a: f for a, f in forecasts.items() if a in known})

    def record(self, results: Sequence[FetchResult], now: datetime, views: Sequence[AccountView]) -> None:
        """Results (already applied) into the history: one reading each, with the status and alerts of `views`
        (the views made after them, so the alerts are evaluated once). Compaction, when due, runs apart."""
        import sqlite3

        from .core.history import reading_of

        store = self.history
        by_id = {v.account.id: v for v in views}
        results = [r for r in results if r.account_id in by_id]
        if store is None or not results or not store.writable:
            return
        readings = []
        for r in results:
            view = by_id[r.account_id]
            snapshot = view.snapshot if r.snapshot is not None else None
            readings.append(
                reading_of(
                    r.account_id,
                    snapshot.checked_at if snapshot is not None else now,
                    view.status.value,
                    snapshot,
                    r.error.kind.value if r.error is not None else None,
                    [a.code for a in view.alerts],
                )
            )
        try:
            store.record(readings)
            if store.compaction_due(now):
                store.compact_in_background(now)
        except sqlite3.Error as exc:
            log.warning("history not recorded: %s", exc)

    # ------------------------------------------------------------ polls

    def accounts_due(self, now: datetime) -> list[Account]:
        due = set(self.monitor.due(now))
        return [a for a in self.monitor.accounts if a.id in due]

    def next_wakeup(self, now: datetime) -> datetime | None:
        return self.monitor.next_wakeup(now)

    def mark_due(self) -> None:
        """Every account due now (Refresh now, wake from sleep), whatever its backoff."""
        self.monitor.mark_due()

    def apply(self, results: Iterable[FetchResult], now: datetime) -> None:
        """Results into the monitor (states, backoff); nothing written yet."""
        results = list(results)
        for r in results:
            if r.error is not None:
                log.debug("%s: %s: %s: %s", r.account_id, r.error.kind.value, r.error.title, r.error.message)
            else:
                log.debug("%s: read", r.account_id)
        self.monitor.apply(results, now)

    def views(self, now: datetime) -> list[AccountView]:
        """What every client shows; the alerts are evaluated here, once."""
        return self.monitor.views(now)

    def take(self, results: Sequence[FetchResult], now: datetime) -> list[AccountView]:
        """A whole poll at once (`trayapp check`, a dialog's first reading): applied, its forecasts updated,
        recorded, state.json written; returns the views after it."""
        self.apply(results, now)
        if self.history is not None and self.history.writable:
            import sqlite3

            try:
                known = {a.id for a in self.monitor.accounts}  # not one removed while it was polled
                self.refresh_forecasts(now, [r.account_id for r in results if r.account_id in known])
            except sqlite3.Error as exc:
                log.warning("forecasts not computed: %s", exc)
        views = self.views(now)
        self.record(results, now, views)
        self.save_state()
        return views

    def notify_due(self, now: datetime, views: Sequence[AccountView]) -> list[Alert]:
        """The alerts of `views` newly true (to deliver), remembered as notified. What was notified is on disk
        before the caller shows it (a crash must not make it nag twice); with nothing new, written apart."""
        from .core import rules

        active = [a for v in views for a in v.alerts]
        from .storage.atomic import StorageError

        fresh, notified = rules.to_notify(active, self.state.notified, self.config.settings, now)
        self.state.notified = notified
        self.monitor.notified = frozenset(notified)
        try:
            self.save_state(background=not fresh)
        except StorageError as exc:  # a full disk: shown anyway (it may be shown again after a restart)
            log.error("notified alerts not saved: %s", exc.message)
        return fresh

    # ------------------------------------------------------------ accounts

    def draft_account(
        self,
        provider: str,
        label: str,
        *,
        base_url: str | None,
        currency: str | None,
        secret_kinds: Sequence[str],
        options: Mapping[str, object] | None = None,
        account_id: str | None = None,
        grants: Sequence[Grant] | None = None,
        now: datetime | None = None,
    ) -> Account:
        """The account these fields describe, not stored yet: a new one (a fresh id), or, with `account_id`,
        that account changed (its key kinds kept, new ones added). `grants` None keeps the account's grants."""
        from .core.models import Account
        from .storage.config import new_account_id

        existing = self.monitor.account(account_id) if account_id else None
        if existing is not None:
            refuse_stored_keys_elsewhere(existing, base_url, secret_kinds)
            kinds = tuple(dict.fromkeys((*existing.secret_kinds, *secret_kinds)))
            return replace(
                existing,
                label=label,
                base_url=base_url,
                currency=currency,
                secret_kinds=kinds,
                options=dict(options or {}),
                grants=existing.grants if grants is None else tuple(grants),
            )
        return Account(
            id=new_account_id(provider, {a.id for a in self.config.accounts}),
            provider=provider,
            label=label,
            created_at=now or datetime.now(UTC),
            base_url=base_url,
            currency=currency,
            secret_kinds=tuple(secret_kinds),
            options=dict(options or {}),
            grants=tuple(grants or ()),
        )

    def put_account(self, account: Account) -> None:
        """Add the account, or change the one with its id where it stands on disk (only the fields changed
        here: a grant added from the CLI meanwhile is kept); config.json written."""
        base = next((a for a in self._seen.accounts if a.id == account.id), None) if self._seen else None
        self._change_config(lambda config: _put(config, account, base))

    def remove_account(self, account_id: str) -> None:
        """The account out of config.json and state.json (its keys: `delete_keys` first)."""

        def change(config: Config) -> None:
            config.accounts = [a for a in config.accounts if a.id != account_id]

        self._change_config(change)
        self.save_state()

    def add_grant(self, account_id: str, grant: Grant) -> Account:
        """The grant added to the account as it is on disk (ConfigError if it is gone)."""

        def change(config: Config) -> None:
            account = config.account(account_id)
            _put(config, replace(account, grants=(*account.grants, grant)))  # the grants on disk, and this one

        self._change_config(change)
        return self.config.account(account_id)

    def clean_orphaned_keys(self) -> list[str]:
        """Delete the keys of accounts gone from config.json (`state.orphaned_keys`: found at start, or left by
        an add that failed), checked against the file as it is on disk now: never a key of an account in it.
        Returns the accounts cleaned; one the keyring refuses now stays listed for next time."""
        from .core.errors import SecretStoreError
        from .providers import catalog

        if self.config_store is None or not self.state.orphaned_keys:
            return []
        on_disk = {a.id for a in self.config_store.load().accounts}
        kinds = sorted({spec.kind for info in catalog.CATALOG.values() for spec in info.secrets})
        cleaned = []
        for account_id in sorted(self.state.orphaned_keys - on_disk):
            try:
                for kind in kinds:
                    self.secrets.delete(account_id, kind)
            except SecretStoreError as exc:
                log.warning("keys of removed account %s not deleted yet: %s", account_id, exc.message)
                continue
            log.info("deleted the keys left by removed account %s", account_id)
            cleaned.append(account_id)
        left = self.state.orphaned_keys - on_disk - set(cleaned)
        if left != self.state.orphaned_keys:
            self.state.orphaned_keys = left
            self.save_state()
        return cleaned

    def acknowledge_identity(self, account_id: str) -> None:
        """The user confirmed the new login of a key: stop warning that it changed."""
        self.monitor.acknowledge_identity(account_id)
        self.save_state()

    # Keys. The keyring may wait (an unlock prompt): the tray calls these off its UI thread.

    def stored_keys(self, account: Account, have: Mapping[str, Secret] | None = None) -> dict[str, Secret]:
        """`have`, completed with the account's keys from the secret store."""
        keys = dict(have or {})
        saved = next((a for a in self.config.accounts if a.id == account.id), None)
        if saved is not None:  # the stored keys were entered for the saved account's host, not another
            refuse_stored_keys_elsewhere(saved, account.base_url, tuple(keys))
        for kind in account.secret_kinds:
            if kind not in keys and (secret := self.secrets.get(account.id, kind)) is not None:
                keys[kind] = secret
        return keys

    def store_keys(self, account_id: str, keys: Mapping[str, Secret]) -> None:
        for kind, secret in keys.items():
            self.secrets.set(account_id, kind, secret)

    def delete_keys(self, account: Account) -> None:
        for kind in account.secret_kinds:
            self.secrets.delete(account.id, kind)

    # ------------------------------------------------------------ settings

    def set_settings(self, settings: Settings) -> None:
        """The settings that differ from the current ones written over those on disk (the others kept)."""
        changed = _changed_settings(self.config.settings, settings)

        def change(config: Config) -> None:
            config.settings = replace(config.settings, **changed)

        self._change_config(change)

    def run_with_settings(self, settings: Settings) -> None:
        """Settings for this process only (`check --warning`): the monitor judges by them, config.json is untouched."""
        self.monitor.settings = settings

    def apply_start_at_login(self, before: bool) -> None:
        """The OS's login items follow the setting (`before`: what it was); the demo never changes them.
        Raises OSError when they cannot be changed."""
        enabled = self.config.settings.start_at_login
        if self.demo or not (enabled or before):
            return
        from .platform import autostart

        autostart.apply(enabled, self.paths.config_dir)

    def overflow_note_due(self) -> bool:
        """Whether the first start's note about where the icon hides is to be shown; it is marked as shown."""
        from .platform import firstrun

        marker = self.paths.config_dir / firstrun.MARKER
        if not firstrun.overflow_note_due(marker):
            return False
        firstrun.mark_overflow_note_shown(marker)
        return True

    def snooze(self, how: str, now: datetime) -> datetime | None:
        """Silence notifications for a while ("1h", "4h", ..., "tomorrow": 8:00 local); "resume" ends it.
        Returns until when."""
        if how == "resume":
            until = None
        elif how == "tomorrow":
            local = now.astimezone()
            until = (local + timedelta(days=1)).replace(hour=8, minute=0, second=0, microsecond=0)
        else:
            until = now + timedelta(hours=int(how.rstrip("h")))
        self.set_settings(replace(self.config.settings, snoozed_until=until))
        return until


def key_origin(provider: str, base_url: str | None) -> str:
    """Where an account's keys go: scheme, host and port of its base URL (or of the provider's default)."""
    from urllib.parse import urlsplit

    from .providers import catalog

    try:
        url = base_url or catalog.info(provider).default_base_url or ""
    except catalog.UnknownProvider:
        url = base_url or ""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    scheme = parts.scheme.lower()
    port = port or {"https": 443, "http": 80}.get(scheme)
    return f"{scheme}://{(parts.hostname or '').lower()}:{port}"


def refuse_stored_keys_elsewhere(saved: Account, base_url: str | None, entered: Sequence[str]) -> None:
    """A key is bound to the host it was entered for: an account whose base URL now points at another host
    (scheme, host or port) must have every stored key entered again, or none would be sent there; raises a
    ConfigError that names the new host. The CLI changes no base URL; the tray's Edit dialog comes here."""
    old, new = key_origin(saved.provider, saved.base_url), key_origin(saved.provider, base_url)
    missing = [kind for kind in saved.secret_kinds if kind not in entered]
    if old == new or not missing:
        return
    from urllib.parse import urlsplit

    from .core.errors import ConfigError
    from .core.i18n import tr

    def shown(origin: str) -> str:  # host[:port], the port only when it is not the scheme's own
        parts = urlsplit(origin)
        default = {"https": 443, "http": 80}.get(parts.scheme)
        return (parts.hostname or "") if parts.port == default else f"{parts.hostname}:{parts.port}"

    raise ConfigError(
        tr("Enter the key again"),
        tr(
            "The base URL now points at {new} instead of {old}: enter the key again for {new} ({kinds}). A stored "
            "key is sent only to the host it was entered for.",
            new=shown(new),
            old=shown(old),
            kinds=", ".join(missing),
        ),
    )


def _put(config: Config, account: Account, base: Account | None = None) -> None:
    """The account into `config`: in the place of the one with its id, else last. With `base` (the account as
    it was before this change), only the fields that differ from it are written over the one on disk."""
    accounts = config.accounts
    position = next((i for i, a in enumerate(accounts) if a.id == account.id), None)
    if position is None:
        config.accounts = [*accounts, account]
        return
    if base is not None:
        changed = {
            f.name: getattr(account, f.name)
            for f in fields(account)
            if getattr(base, f.name) != getattr(account, f.name)
        }
        account = replace(accounts[position], **changed)
    config.accounts = [*accounts[:position], account, *accounts[position + 1 :]]


def _changed_settings(before: Settings, after: Settings) -> dict[str, Any]:
    return {f.name: getattr(after, f.name) for f in fields(after) if getattr(before, f.name) != getattr(after, f.name)}


def _copy_config(config: Config | None) -> Config:
    from .storage.config import Config

    if config is None:
        return Config()
    return Config(settings=config.settings, accounts=list(config.accounts), newer=config.newer)


def _is_sample(provider: str) -> bool:
    from .providers import catalog

    try:
        return catalog.info(provider).sample
    except catalog.UnknownProvider:
        return False


def open_service(config_dir: str | None = None, *, demo: bool = False, with_history: bool = True) -> Service:
    """The service of a config dir (or of the demo). `with_history=False` leaves the history closed: the
    tray opens it (`Service.open_history`) once its icon is up, since opening it checks the database."""
    from .core.monitor import Monitor
    from .core.texts import resolve_language
    from .providers import catalog
    from .secrets.secret import Secret
    from .secrets.store import KeyringStore, MemorySecretStore
    from .storage.atomic import remove_stale_temps
    from .storage.config import Config, ConfigStore, LoadReport
    from .storage.state import StateStore

    problems: list[str] = []
    if demo:
        from .providers.demo import demo_accounts

        # The demo never touches the user's files; it starts afresh each time, so every alert shows.
        paths = demo_paths(config_dir)
        paths.ensure()
        paths.state_file.unlink(missing_ok=True)
        now = datetime.now(UTC)
        config = Config(accounts=demo_accounts(now))
        config_store = None
        secrets: SecretStore = MemorySecretStore({(a.id, "api"): Secret(f"demo-key-{a.id}") for a in config.accounts})
    else:
        paths = resolve_paths(config_dir)
        paths.ensure()
        config_store = ConfigStore(paths.config_file)
        report = LoadReport()
        config = config_store.load(report)
        problems.extend(report.problems)
        problems.extend(catalog.use_declared(paths.config_dir))  # <config dir>/providers/*.toml
        from .secrets.credentials import from_environment

        secrets = from_environment(KeyringStore())  # systemd credentials first, when a unit gave some
    setup_logging(paths)
    for problem in problems:
        log.warning("%s", problem)
    for directory in {paths.config_dir, paths.data_dir}:
        for tmp in remove_stale_temps(directory):
            log.info("removed %s, left by a save that was cut short", tmp.name)
    state_store = StateStore(paths.state_file)
    state = state_store.load(problems)
    known = {a.id for a in config.accounts}
    states: dict[str, AccountState] = {k: v for k, v in state.accounts.items() if k in known}
    if config_store is not None and not problems:
        # State kept for accounts config.json no longer has (read whole, nothing restored): their keys may be
        # left in the keyring. Remembered, and deleted by `clean_orphaned_keys` after a fresh look at the file.
        state.orphaned_keys |= set(state.accounts) - known
    state.orphaned_keys -= known
    monitor = Monitor(config.accounts, config.settings, states, lang=resolve_language(config.settings.language))
    monitor.notified = frozenset(state.notified)
    service = Service(paths, demo, config_store, state_store, secrets, config, state, monitor, problems)
    service._seen = _copy_config(config)
    if with_history:
        service.open_history()
    return service


def demo_paths(config_dir: str | None) -> Paths:
    """The demo's own folder: under the config dir given, else in the temp dir."""
    from .storage.paths import demo_root

    root = Path(config_dir) / "demo" if config_dir else demo_root()
    return Paths(config_dir=root, data_dir=root)


# ---------------------------------------------------------------- logging


class RedactingFilter(logging.Filter):
    """Defence in depth: nothing is logged with a key in it, but if it were, it would be masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        from .secrets.keys import mask_keylike

        message = record.getMessage()
        redacted = mask_keylike(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def setup_logging(paths: Paths, level: int | None = None) -> None:
    """The rotating log file; its level from `level`, else TRAYAPP_LOG_LEVEL (e.g. DEBUG), else INFO."""
    import logging.handlers

    if level is None:
        import os

        named = logging.getLevelName(os.environ.get("TRAYAPP_LOG_LEVEL", "INFO").strip().upper())
        level = named if isinstance(named, int) else logging.INFO
    root = logging.getLogger("trayapp")
    if any(getattr(h, "_trayapp", False) for h in root.handlers):
        return

    class _LogFile(logging.handlers.RotatingFileHandler):
        """A line that cannot be written (a full disk) is dropped, not printed as a traceback on stderr."""

        def handleError(self, record: logging.LogRecord) -> None:
            pass

    try:
        handler = _LogFile(paths.log_file, maxBytes=512 * 1024, backupCount=3, encoding="utf-8")
    except OSError:  # no log file (a full disk, a read-only folder): the app runs without one
        return
    handler._trayapp = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    root.setLevel(level)
