"""config.json: the user's settings and accounts. Human-readable, never a secret, written atomically.

Several processes write it (the tray, `trayapp accounts ...`, a second tray on another config): every change
is a read-modify-write of what is on disk under an exclusive lock (`ConfigStore.update`), applying only that
change, so no writer erases what another one did.

What is read is checked value by value: a value with a default (a setting, a label, a grant) that is wrong
is reported, naming the file and the field, and its default used; the file is kept as it is until the next
change writes it. A file that cannot be read at all (not JSON, not an object, an account without its id or
provider, two accounts with one id) is set aside and the backup restored. A file written by a newer version
(`version` above ours) is read as far as it can be and never written: a change is refused with a message, so
what the newer version stored is not overwritten with less.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..core import codec
from ..core.errors import ConfigError
from ..core.i18n import tr
from ..core.models import Account, Settings
from .atomic import StorageError, locked, set_aside, write_failed, write_json

log = logging.getLogger(__name__)
CONFIG_VERSION = 1


@dataclass
class Config:
    settings: Settings = field(default_factory=Settings)
    accounts: list[Account] = field(default_factory=list)
    newer: int | None = None  # the version of a file written by a newer Credit Tray: never written over

    def account(self, account_id: str) -> Account:
        for a in self.accounts:
            if a.id == account_id:
                return a
        raise ConfigError(tr("No such account"), tr("There is no account with the id '{id}'.", id=account_id))


@dataclass
class LoadReport:
    problems: list[str] = field(default_factory=list)  # told to the user (tray, CLI stderr): tr() sentences

    def add(self, problem: str) -> None:
        if problem not in self.problems:
            self.problems.append(problem)


class _Unreadable(ValueError):
    """The file as a whole cannot be read (as opposed to one bad value in it)."""


# What can go wrong in json.loads and in walking what it returned: a deep nesting is a RecursionError.
_PARSE_ERRORS = (ValueError, KeyError, TypeError, RecursionError, ArithmeticError, AttributeError)


class ConfigStore:
    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    def load(self, report: LoadReport | None = None) -> Config:
        """What is on disk (an empty config when there is none). Reading takes no lock (a save replaces the
        file whole); repairing an unreadable file does."""
        report = report if report is not None else LoadReport()
        try:
            return self._read(report)
        except _Unreadable:
            with locked(self.lock_path):
                try:  # another process may have repaired it meanwhile
                    return self._read(report)
                except _Unreadable as exc:
                    return self._repair(exc, report)
        except OSError as exc:
            # Not readable now (permissions, an I/O error): not corruption; nothing is set aside, and no
            # change can be saved over it (`update` reads it again and says why).
            log.error("config file not readable: %s", exc)
            report.add(
                tr(
                    "The settings file {file} cannot be read ({error}); it is left as it is and changes cannot be "
                    "saved until it can be read.",
                    file=str(self.path),
                    error=exc.strerror or type(exc).__name__,
                )
            )
            return Config()

    def update(self, change: Callable[[Config], None], report: LoadReport | None = None) -> Config:
        """Apply `change` to the config on disk, read afresh under the lock, and write it: the one way a
        change is saved. Returns what was written. Raises ConfigError (`change`'s own, or a file of a newer
        version) or StorageError (the disk is full, the lock not taken): then the file is as it was."""
        report = report if report is not None else LoadReport()
        with locked(self.lock_path):
            try:
                config = self._read(report)
            except _Unreadable as exc:
                config = self._repair(exc, report)
            except OSError as exc:
                raise StorageError(
                    tr("Could not save"),
                    tr(
                        "{file} cannot be read ({error}); nothing was changed.",
                        file=str(self.path),
                        error=exc.strerror or type(exc).__name__,
                    ),
                ) from None
            if config.newer is not None:
                raise ConfigError(
                    tr("Settings from a newer version"),
                    tr(
                        "{file} was written by a newer version of Credit Tray (version {version}); it is kept "
                        "unchanged and nothing can be changed until you update.",
                        file=str(self.path),
                        version=config.newer,
                    ),
                )
            change(config)
            self.save(config)
            return config

    def save(self, config: Config) -> None:
        """Write `config` whole (no lock: `update` holds it around this)."""
        ids = [a.id for a in config.accounts]
        if len(ids) != len(set(ids)):
            raise ConfigError(tr("Duplicate account"), tr("Two accounts have the same id."))
        data: dict[str, Any] = {
            "version": CONFIG_VERSION,
            "settings": codec.settings_out(config.settings),
            "accounts": [codec.account_out(a) for a in config.accounts],
        }
        try:
            write_json(self.path, data, keep_backup=True)
        except OSError as exc:
            log.error("config file not written: %s", exc)
            raise write_failed(self.path, exc) from None

    def _read(self, report: LoadReport) -> Config:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return Config()
        except UnicodeDecodeError as exc:
            raise _Unreadable(str(exc)) from None
        return self._parse(text, report, self.path.name)

    def _repair(self, exc: _Unreadable, report: LoadReport) -> Config:
        """The file set aside (kept for the user) and the backup restored, if it can be read. Under the lock."""
        now = datetime.now(UTC)
        backup = self.path.with_name(self.path.name + ".bak")
        try:
            aside = set_aside(self.path, now)
        except OSError as failed:
            raise write_failed(self.path, failed) from None
        log.error("config file unreadable (%s); kept at %s", exc, aside)
        error, kept = str(exc), aside.name
        try:
            config = self._parse(backup.read_text(encoding="utf-8"), report, backup.name)
        except (_Unreadable, OSError, UnicodeDecodeError):
            pass
        else:
            report.add(
                tr(
                    "The settings file could not be read ({error}); it was kept as {file}. The previous "
                    "good copy was restored.",
                    error=error,
                    file=kept,
                )
            )
            if config.newer is None:
                self.save(config)
            return config
        report.add(
            tr(
                "The settings file could not be read ({error}); it was kept as {file}. Starting with no accounts.",
                error=error,
                file=kept,
            )
        )
        return Config()

    @staticmethod
    def _parse(text: str, report: LoadReport, name: str) -> Config:
        def misread(field: str, problem: str, instead: str) -> None:
            log.warning("%s: %s: %s; %s used", name, field, problem, instead)
            report.add(
                tr(
                    "{file}: {field} is not valid ({problem}); {instead} is used instead. The file was kept.",
                    file=name,
                    field=field,
                    problem=problem,
                    instead=instead,
                )
            )

        try:
            data = json.loads(text)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            version = data.get("version", CONFIG_VERSION)
            if not isinstance(version, int) or isinstance(version, bool) or version < 1:
                raise ValueError(f"unknown version {codec.show(version)}")
            newer = version if version > CONFIG_VERSION else None
            accounts = data.get("accounts") or []
            if not isinstance(accounts, list):
                raise ValueError("accounts: not a list")
            settings = data.get("settings") or {}
            if not isinstance(settings, dict):
                misread("settings", "not an object", "the defaults")
                settings = {}
            config = Config(
                settings=codec.settings_in(settings, misread),
                accounts=[codec.account_in(a, misread) for a in accounts],
                newer=newer,
            )
        except _PARSE_ERRORS as exc:
            message = "nested too deeply" if isinstance(exc, RecursionError) else str(exc) or type(exc).__name__
            raise _Unreadable(message) from None
        ids = [a.id for a in config.accounts]
        if len(ids) != len(set(ids)):
            raise _Unreadable("two accounts have the same id")
        if newer is not None:
            report.add(
                tr(
                    "{file} was written by a newer version of Credit Tray (version {version}): what this version "
                    "understands of it is used, and the file is kept unchanged.",
                    file=name,
                    version=newer,
                )
            )
        return config


def new_account_id(provider: str, existing: set[str]) -> str:
    while True:
        candidate = f"{provider}-{secrets.token_hex(3)}"
        if candidate not in existing:
            return candidate
