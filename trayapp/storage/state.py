"""state.json: what the app learned (last readings, errors, backoff, provider caches, alerts sent).

Apart from config.json, so that a user's settings are never rewritten by a poll.
"""

from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..core import codec
from ..core.i18n import tr
from ..core.models import AccountState
from .atomic import set_aside, write_atomic

log = logging.getLogger(__name__)
STATE_VERSION = 1


@dataclass
class AppState:
    accounts: dict[str, AccountState] = field(default_factory=dict)
    notified: set[str] = field(default_factory=set)  # alert keys already delivered (edge-triggered)
    identity_salt: str = field(default_factory=lambda: secrets.token_hex(16))


class StateStore:
    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self, problems: list[str] | None = None) -> AppState:
        if not self.path.exists():
            return AppState()
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
                raise ValueError("unknown layout")
            accounts = {str(k): codec.state_in(v) for k, v in (data.get("accounts") or {}).items()}
            salt = data.get("identity_salt")
            if not isinstance(salt, str) or len(salt) < 16:
                raise ValueError("identity_salt missing")
            return AppState(
                accounts=accounts,
                notified={str(x) for x in data.get("notified") or ()},
                identity_salt=salt,
            )
        except (ValueError, KeyError, TypeError, OSError) as exc:
            aside = set_aside(self.path, datetime.now(UTC))
            log.error("state file unreadable (%s); kept at %s", type(exc).__name__, aside)
            if problems is not None:
                problems.append(
                    tr(
                        "The saved state could not be read ({error}); it was kept as {file}. Balances will be read "
                        "again; your accounts and settings are not affected.",
                        error=str(exc),
                        file=aside.name,
                    )
                )
            return AppState()

    def save(self, state: AppState) -> None:
        self.write(self.encode(state))

    def encode(self, state: AppState) -> bytes:
        data = {
            "version": STATE_VERSION,
            "identity_salt": state.identity_salt,
            "notified": sorted(state.notified),
            "accounts": {k: codec.state_out(v) for k, v in state.accounts.items()},
        }
        return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    def write(self, data: bytes) -> None:
        write_atomic(self.path, data)
