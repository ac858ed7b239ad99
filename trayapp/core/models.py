"""The data every layer shares: frozen, typed, free of I/O and of Qt."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    WARNING = "warning"
    CRITICAL = "critical"


class Status(StrEnum):
    OK = "ok"  # fresh data
    UNKNOWN = "unknown"  # read fine, but the remaining credit cannot be known with the keys given
    STALE = "stale"  # the last good data is old, or the last poll failed
    ERROR = "error"  # no good data at all


class ErrorKind(StrEnum):
    AUTH = "auth"  # 401: the key is invalid or revoked
    PERMISSION = "permission"  # 403
    RATE_LIMITED = "rate_limited"  # 429 that is not about credit
    QUOTA = "quota"  # the provider says the credit is exhausted
    SERVER = "server"  # 5xx
    NETWORK = "network"  # connection refused, DNS, TLS
    TIMEOUT = "timeout"
    BAD_RESPONSE = "bad_response"  # an answer that does not match the documented shape
    CONFIG = "config"  # the account itself is wrong (unknown provider, bad base URL)
    SECRET = "secret"  # the key could not be read from the OS secret store


@dataclass(frozen=True)
class Grant:
    """Credit with an amount and (usually) an expiry: entered by the user or reported by the provider."""

    amount: Decimal
    currency: str = "USD"
    effective: date | None = None
    expires: date | None = None
    used: Decimal | None = None  # known only when the provider reports it
    source: str = "user"  # "user" or "provider"
    kind: str = "granted"  # "granted" (trial / promotional) or "paid"

    @property
    def left(self) -> Decimal | None:
        return None if self.used is None else max(Decimal(0), self.amount - self.used)


@dataclass(frozen=True)
class Account:
    id: str
    provider: str
    label: str
    created_at: datetime
    base_url: str | None = None
    currency: str | None = None  # overrides the provider's currency where the host says nothing
    grants: tuple[Grant, ...] = ()
    secret_kinds: tuple[str, ...] = ("api",)  # which keys are in the secret store for this account
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Identity:
    """Who a key belongs to. Email and phone exist only as salted hashes and masked forms."""

    user_id: str | None = None
    created: datetime | None = None
    org_ids: tuple[str, ...] = ()
    org_names: tuple[str, ...] = ()
    email_hash: str | None = None
    phone_hash: str | None = None
    email_masked: str | None = None
    phone_masked: str | None = None


@dataclass(frozen=True)
class CurrencyBalance:
    currency: str
    remaining: Decimal | None
    remaining_granted: Decimal | None = None
    remaining_paid: Decimal | None = None


@dataclass(frozen=True)
class Snapshot:
    """One successful reading of an account. `None` always means "not known", never zero."""

    account_id: str
    checked_at: datetime
    currency: str | None = None
    remaining: Decimal | None = None
    remaining_granted: Decimal | None = None
    remaining_paid: Decimal | None = None
    granted_total: Decimal | None = None
    used: Decimal | None = None
    expires_at: datetime | None = None
    identity: Identity | None = None
    unknown_reason: str | None = None  # why `remaining` is None
    grants: tuple[Grant, ...] = ()
    balances: tuple[CurrencyBalance, ...] = ()  # every currency the provider reported
    # e.g. "blocked", "unlimited", "insufficient_quota"; "expiry_outside_balance": `expires_at` is of credit that
    # `remaining` does not count (Zhipu's token packs), so no money is forecast to expire with it
    flags: frozenset[str] = frozenset()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class FetchError:
    kind: ErrorKind
    title: str
    message: str
    provider: str = ""
    retry_after: float | None = None  # seconds, when the provider said so


@dataclass(frozen=True)
class FetchResult:
    """What one fetch gave: a snapshot or an error, and the provider's cache for the next one."""

    account_id: str
    snapshot: Snapshot | None = None
    error: FetchError | None = None
    cache: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Alert:
    account_id: str
    code: str
    severity: Severity
    message: str


@dataclass(frozen=True)
class AccountState:
    """What the app remembers of an account between polls (persisted)."""

    last_good: Snapshot | None = None
    last_error: FetchError | None = None
    last_attempt_at: datetime | None = None
    failures: int = 0  # consecutive failed polls, for backoff
    next_due_at: datetime | None = None
    cache: Mapping[str, Any] = field(default_factory=dict)  # provider memory (identity, what a key can read)
    known_user_id: str | None = None  # the login this key belonged to, to see it change


@dataclass(frozen=True)
class Settings:
    poll_interval_minutes: int = 15
    low_credit_threshold: Decimal = Decimal("5")
    low_credit_thresholds: Mapping[str, Decimal] = field(default_factory=dict)  # per currency
    expiry_warning_days: int = 7
    runs_out_warning_days: int = 7  # runs_out_soon: the forecast reaches zero within this many days
    notifications: bool = True
    disabled_alerts: frozenset[str] = frozenset()
    snoozed_until: datetime | None = None
    language: str | None = None  # None: follow the system locale
    start_at_login: bool = False
    icon_style: str = "bar"  # how the tray icon shows the amount: one of ICON_STYLES

    def threshold_for(self, currency: str | None) -> Decimal:
        if currency and currency in self.low_credit_thresholds:
            return self.low_credit_thresholds[currency]
        return self.low_credit_threshold


MIN_POLL_MINUTES = 1
# "bar": a bar of what is left below the mark of the problem; "number": the amount itself, in the icon
ICON_STYLES = ("bar", "number")
