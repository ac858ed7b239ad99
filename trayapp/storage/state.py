"""state.json: what the app learned (last readings, errors, backoff, provider caches, alerts sent).

Apart from config.json, so that a user's settings are never rewritten by a poll.

Everything in it can be learned again: an account's entry with a bad value is left out (reported, naming the
file and the account; it is read again at the next poll), a file whose whole cannot be read (not JSON, nested
too deeply, no salt) is set aside. A write that fails (a full disk) leaves the file as it was and says so.
"""

from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ..core import codec
from ..core.i18n import tr
from ..core.models import AccountState
from .atomic import dumps, set_aside, write_atomic, write_failed

log = logging.getLogger(__name__)
STATE_VERSION = 1
MAX_DUE_AHEAD = timedelta(days=2)  # backoff is capped at 6 h: a next poll further ahead is no schedule we made


@dataclass
class AppState:
    accounts: dict[str, AccountState] = field(default_factory=dict)
    notified: set[str] = field(default_factory=set)  # alert keys already delivered (edge-triggered)
    identity_salt: str = field(default_factory=lambda: secrets.token_hex(16))
    # Accounts gone from config.json whose keys may still be in the keyring (Service.clean_orphaned_keys).
    orphaned_keys: set[str] = field(default_factory=set)


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
            salt = data.get("identity_salt")
            if not isinstance(salt, str) or not 16 <= len(salt) <= 256:
                raise ValueError("identity_salt missing")
            return AppState(
                accounts=self._accounts(data.get("accounts"), problems),
                notified=self._names(data, "notified", problems),
                identity_salt=salt,
                orphaned_keys=self._names(data, "orphaned_keys", problems),
            )
        except (ValueError, KeyError, TypeError, OSError, RecursionError, ArithmeticError, AttributeError) as exc:
            error = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            try:
                aside = set_aside(self.path, datetime.now(UTC))
            except OSError as failed:  # not even movable: left where it is, and nothing learned is lost
                log.error("state file unreadable (%s) and not set aside: %s", error, failed)
                return AppState()
            log.error("state file unreadable (%s); kept at %s", type(exc).__name__, aside)
            if problems is not None:
                problems.append(
                    tr(
                        "The saved state could not be read ({error}); it was kept as {file}. Balances will be read "
                        "again; your accounts and settings are not affected.",
                        error=error,
                        file=aside.name,
                    )
                )
            return AppState()

    def _accounts(self, raw: object, problems: list[str] | None) -> dict[str, AccountState]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            raise ValueError("accounts: not an object")
        accounts = {}
        latest = datetime.now(UTC) + MAX_DUE_AHEAD
        for key, value in raw.items():
            try:
                if not isinstance(value, dict):
                    raise ValueError("not an object")
                state = codec.state_in(value)
            except (ValueError, KeyError, TypeError, ArithmeticError, AttributeError) as exc:
                problem = f"{exc.args[0]} missing" if isinstance(exc, KeyError) else str(exc) or type(exc).__name__
                self._bad(problems, f"accounts[{key}]", problem)
                continue
            if state.next_due_at is not None and state.next_due_at > latest:
                self._bad(problems, f"accounts[{key}].next_due_at", "too far ahead")
                state = replace(state, next_due_at=None)
            accounts[str(key)] = state
        return accounts

    def _names(self, data: dict[str, object], name: str, problems: list[str] | None) -> set[str]:
        value = data.get(name) or []
        if isinstance(value, list) and all(isinstance(x, str) for x in value):
            return set(value)
        self._bad(problems, name, "not a list of names")
        return set()

    def _bad(self, problems: list[str] | None, field: str, problem: str) -> None:
        log.warning("%s: %s: %s; left out", self.path.name, field, problem)
        if problems is not None:
            problems.append(
                tr(
                    "{file}: {field} is not valid ({problem}); it was left out and will be learned again.",
                    file=self.path.name,
                    field=field,
                    problem=problem,
                )
            )

    def save(self, state: AppState) -> None:
        self.write(self.encode(state))

    def encode(self, state: AppState) -> bytes:
        data = {
            "version": STATE_VERSION,
            "identity_salt": state.identity_salt,
            "notified": sorted(state.notified),
            "orphaned_keys": sorted(state.orphaned_keys),
            "accounts": {k: codec.state_out(v) for k, v in state.accounts.items()},
        }
        # On one line: written after every poll, and the indented form goes through json's pure-Python encoder
        # (~5x the CPU); nobody edits this file by hand.
        return (dumps(data, indent=None) + "\n").encode("utf-8")

    def write(self, data: bytes) -> None:
        """Raises StorageError (the file left as it was) when it cannot be written."""
        try:
            write_atomic(self.path, data)
        except OSError as exc:
            log.error("state file not written: %s", exc)
            raise write_failed(self.path, exc) from None
