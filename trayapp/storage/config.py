"""config.json: the user's settings and accounts. Human-readable, never a secret, written atomically."""

from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..core import codec
from ..core.errors import ConfigError
from ..core.i18n import tr
from ..core.models import Account, Settings
from .atomic import set_aside, write_json

log = logging.getLogger(__name__)
CONFIG_VERSION = 1


@dataclass
class Config:
    settings: Settings = field(default_factory=Settings)
    accounts: list[Account] = field(default_factory=list)

    def account(self, account_id: str) -> Account:
        for a in self.accounts:
            if a.id == account_id:
                return a
        raise ConfigError(tr("No such account"), tr("There is no account with the id '{id}'.", id=account_id))


@dataclass
class LoadReport:
    problems: list[str] = field(default_factory=list)  # told to the user (tray, CLI stderr): tr() sentences


class ConfigStore:
    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self, report: LoadReport | None = None) -> Config:
        report = report if report is not None else LoadReport()
        if not self.path.exists():
            return Config()
        try:
            return self._parse(self.path.read_text(encoding="utf-8"))
        except (ValueError, KeyError, TypeError, OSError) as exc:
            now = datetime.now(UTC)
            backup = self.path.with_name(self.path.name + ".bak")
            aside = set_aside(self.path, now)
            log.error("config file unreadable (%s); kept at %s", type(exc).__name__, aside)
            error, kept = str(exc), aside.name
            if backup.exists():
                try:
                    config = self._parse(backup.read_text(encoding="utf-8"))
                except (ValueError, KeyError, TypeError, OSError):
                    pass
                else:
                    report.problems.append(
                        tr(
                            "The settings file could not be read ({error}); it was kept as {file}. The previous "
                            "good copy was restored.",
                            error=error,
                            file=kept,
                        )
                    )
                    self.save(config)
                    return config
            report.problems.append(
                tr(
                    "The settings file could not be read ({error}); it was kept as {file}. Starting with no accounts.",
                    error=error,
                    file=kept,
                )
            )
            return Config()

    def save(self, config: Config) -> None:
        ids = [a.id for a in config.accounts]
        if len(ids) != len(set(ids)):
            raise ConfigError(tr("Duplicate account"), tr("Two accounts have the same id."))
        data: dict[str, Any] = {
            "version": CONFIG_VERSION,
            "settings": codec.settings_out(config.settings),
            "accounts": [codec.account_out(a) for a in config.accounts],
        }
        write_json(self.path, data, keep_backup=True)

    @staticmethod
    def _parse(text: str) -> Config:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        version = data.get("version", CONFIG_VERSION)
        if version != CONFIG_VERSION:
            raise ValueError(f"unknown version {version!r}")
        accounts = data.get("accounts") or []
        if not isinstance(accounts, list):
            raise ValueError("accounts: not a list")
        return Config(
            settings=codec.settings_in(data.get("settings") or {}),
            accounts=[codec.account_in(a) for a in accounts],
        )


def new_account_id(provider: str, existing: set[str]) -> str:
    while True:
        candidate = f"{provider}-{secrets.token_hex(3)}"
        if candidate not in existing:
            return candidate
