"""Pure rules: from accounts, their states, the settings and the time to what the user sees.

Nothing here does I/O; every function is deterministic in its arguments.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from .alerts import ALERTS, LEVELS, AlertCode, kind_of
from .i18n import localize
from .models import (
    Account,
    AccountState,
    Alert,
    ErrorKind,
    FetchError,
    Identity,
    Settings,
    Severity,
    Snapshot,
    Status,
)
from .texts import text

STALE_AFTER_INTERVALS = 3
TRIAL_WINDOW = timedelta(days=91)
MAX_BACKOFF = timedelta(hours=6)
FIRST_RETRY = timedelta(minutes=1)


# ---------------------------------------------------------------- grants entered by the user


def apply_user_grants(account: Account, snapshot: Snapshot, now: datetime) -> Snapshot:
    """Fill the expiry (and the granted total) from grants the user entered, where the provider is silent.

    The remaining credit is never derived here: without a reading of what was spent since a grant,
    it stays unknown.
    """
    if not account.grants:
        return snapshot
    today = now.astimezone(UTC).date()
    live = [g for g in account.grants if g.expires is None or g.expires > today]
    expiries = sorted(g.expires for g in live if g.expires is not None and (g.left is None or g.left > 0))
    changes: dict[str, object] = {}
    if snapshot.expires_at is None and expiries:
        changes["expires_at"] = datetime.combine(expiries[0], time(0), UTC)
    if snapshot.granted_total is None and live:
        currencies = {g.currency for g in live}
        if snapshot.currency is None or currencies == {snapshot.currency}:
            changes["granted_total"] = sum((g.amount for g in live), Decimal(0))
            if snapshot.currency is None and len(currencies) == 1:
                changes["currency"] = next(iter(currencies))
    return replace(snapshot, **changes) if changes else snapshot  # type: ignore[arg-type]


# ---------------------------------------------------------------- status


def days_to_expiry(expires_at: datetime | None, now: datetime) -> int | None:
    if expires_at is None:
        return None
    seconds = (expires_at - now).total_seconds()
    return max(0, math.ceil(seconds / 86400))


def is_stale(state: AccountState, settings: Settings, now: datetime) -> bool:
    if state.last_good is None:
        return False
    limit = timedelta(minutes=settings.poll_interval_minutes * STALE_AFTER_INTERVALS)
    return now - state.last_good.checked_at > limit


def status_of(state: AccountState, settings: Settings, now: datetime) -> Status:
    if state.last_good is None:
        return Status.ERROR if state.last_error else Status.UNKNOWN
    if state.last_error is not None or is_stale(state, settings, now):
        return Status.STALE
    if state.last_good.remaining is None:
        return Status.UNKNOWN
    return Status.OK


# ---------------------------------------------------------------- alerts


@dataclass(frozen=True)
class Level:
    """How urgent an account is, for the icon and ordering: higher is worse."""

    rank: int
    name: str  # "healthy" | "unknown" | "low" | "zero" | "error"


def _alert(account_id: str, code: AlertCode, message: str) -> Alert:
    """An alert of this code, at the severity its kind has (core/alerts.py)."""
    return Alert(account_id, code, ALERTS[code].severity, message)


def credit_alerts(
    account: Account, state: AccountState, settings: Settings, now: datetime, lang: str = "en"
) -> list[Alert]:
    alerts: list[Alert] = []
    snap = state.last_good
    err = state.last_error

    def add(code: AlertCode, message: str) -> None:
        alerts.append(_alert(account.id, code, message))

    if err is not None and err.kind is ErrorKind.AUTH:
        add(
            AlertCode.KEY_INVALID,
            text(lang, "key_invalid", label=account.label, detail=localize(err.message, lang)),
        )
    if snap is not None:
        zero = (snap.remaining is not None and snap.remaining <= 0) or bool(
            snap.flags & {"blocked", "insufficient_quota"}
        )
        if err is not None and err.kind is ErrorKind.QUOTA:
            zero = True
        cur = snap.currency or ""
        if zero:
            add(AlertCode.CREDIT_ZERO, text(lang, "credit_zero", label=account.label, amount=_amount(snap)))
        elif snap.remaining is not None and snap.remaining <= settings.threshold_for(snap.currency):
            add(
                AlertCode.CREDIT_LOW,
                text(
                    lang,
                    "credit_low",
                    label=account.label,
                    left=format_money(snap.remaining, cur),
                    threshold=format_money(settings.threshold_for(snap.currency), cur),
                ),
            )
        if "spend_limit_enforcing" in snap.flags:
            add(AlertCode.SPEND_LIMIT, text(lang, "spend_limit", label=account.label))
        days = days_to_expiry(snap.expires_at, now)
        if (
            days is not None
            and days <= settings.expiry_warning_days
            and not zero
            and snap.expires_at is not None
            and snap.expires_at > now
        ):
            add(
                AlertCode.EXPIRING_SOON,
                text(
                    lang,
                    "expiring_soon_apart" if "expiry_outside_balance" in snap.flags else "expiring_soon",
                    label=account.label,
                    days=_days(days, lang),
                    date=snap.expires_at.astimezone(UTC).date().isoformat(),
                ),
            )
        if is_stale(state, settings, now):
            age = _age(now - snap.checked_at, lang)
            add(AlertCode.STALE, text(lang, "stale", label=account.label, age=age))
    elif err is not None and err.kind is ErrorKind.QUOTA:
        add(
            AlertCode.CREDIT_ZERO,
            text(lang, "credit_zero_error", label=account.label, detail=localize(err.message, lang)),
        )
    return alerts


def _sharing_pairs(known: Sequence[tuple[Account, Identity | None]]) -> list[tuple[int, int]]:
    """The pairs (i < j, in the order a loop over every pair meets them) of one provider's accounts that share
    a login, a phone or a mailbox: the only pairs that make an alert. Found by what they share, not by looking
    at every pair: 500 accounts are 125,000 pairs, each poll."""
    by_value: dict[tuple[str, str, str], list[int]] = {}
    for i, (account, ident) in enumerate(known):
        assert ident is not None
        for what, value in (("login", ident.user_id), ("phone", ident.phone_hash), ("mailbox", ident.email_hash)):
            if value:
                by_value.setdefault((account.provider, what, value), []).append(i)
    partners: dict[int, set[int]] = {}
    for group in by_value.values():
        for n, i in enumerate(group):
            partners.setdefault(i, set()).update(group[n + 1 :])
    return [(i, j) for i in sorted(partners) for j in sorted(partners[i])]


class _LastIdentityAlerts:
    """identity_alerts' last answer with what it was made from, replaced whole (a thread reads one or the other)."""

    made: tuple[tuple[object, ...], tuple[Alert, ...]] | None = None


_last_identity_alerts = _LastIdentityAlerts()


def identity_alerts(
    accounts: Sequence[Account], states: Mapping[str, AccountState], now: datetime, lang: str = "en"
) -> list[Alert]:
    """Second accounts on one phone or mailbox, two keys of one login, trial credit that never came: one alert
    of a kind per account, the first its pairs give (in the accounts' order).

    What they are made from (_identity_facts) changes when an identity, a balance or an account does, while
    each burst of a poll's results asks for them again: the same facts as the last call give its alerts again
    (~25 ms a burst with 500 accounts, 100 of them keys of one login)."""
    facts = (lang, *(_identity_facts(a, states.get(a.id), now) for a in accounts))
    made = _last_identity_alerts.made
    if made is None or made[0] != facts:
        made = _last_identity_alerts.made = (facts, tuple(_identity_alerts(accounts, states, now, lang)))
    return list(made[1])


def _identity_facts(account: Account, state: AccountState | None, now: datetime) -> tuple[object, ...]:
    """Everything of one account that _identity_alerts reads."""
    snap = state.last_good if state is not None else None
    if snap is None:
        return (account.id, account.provider, state.known_user_id if state is not None else None)
    ident = snap.identity
    young = ident is not None and ident.created is not None and now - ident.created <= TRIAL_WINDOW
    return (
        *(account.id, account.provider, account.label, account.created_at),
        *(state.known_user_id if state is not None else None, ident, young),
        *(snap.remaining, snap.granted_total, "insufficient_quota" in snap.flags),
    )


def _identity_alerts(
    accounts: Sequence[Account], states: Mapping[str, AccountState], now: datetime, lang: str
) -> list[Alert]:
    alerts: list[Alert] = []
    # Each pair is looked at (who came first decides the wording), but an account's alert of a kind is made
    # once: a hundred keys of one login would otherwise make ~5,000 sentences a poll, for 100 alerts shown.
    made: set[tuple[str, AlertCode]] = set()
    # Who explains a missing trial: the earlier account this one shares a phone, mailbox or login with.
    behind: dict[str, tuple[Account, list[str]]] = {}
    known = [
        (a, states[a.id].last_good.identity)  # type: ignore[union-attr]
        for a in accounts
        if a.id in states and states[a.id].last_good and states[a.id].last_good.identity  # type: ignore[union-attr]
    ]
    for i, j in _sharing_pairs(known):
        a, ida = known[i]
        b, idb = known[j]
        assert ida is not None and idb is not None
        if ida.user_id and ida.user_id == idb.user_id:
            if (b.id, AlertCode.SAME_LOGIN) in made and a.id in behind and b.id in behind:
                continue  # whoever came first, this pair has nothing left to say (keys of one login)
            first, second = _order_by_creation(a, None, b, None)
            if second.id not in behind:
                behind[second.id] = (first, [text(lang, "shared_login")])
            if (b.id, AlertCode.SAME_LOGIN) in made:
                continue
            made.add((b.id, AlertCode.SAME_LOGIN))
            holder = _richer(a, b, states)
            holder_text = "" if holder is None else text(lang, "same_login_holder", label=holder.label)
            message = text(lang, "same_login", a=a.label, b=b.label, holder=holder_text)
            alerts.append(_alert(b.id, AlertCode.SAME_LOGIN, message))
            continue
        phone = bool(ida.phone_hash and ida.phone_hash == idb.phone_hash)
        mailbox = bool(ida.email_hash and ida.email_hash == idb.email_hash)
        if phone or mailbox:
            if all(x.id in behind and (x.id, AlertCode.SECOND_ACCOUNT) in made for x in (a, b)):
                continue  # as below, whichever of the two came second
            first, second = _order_by_creation(a, ida.created, b, idb.created)
            if second.id in behind and (second.id, AlertCode.SECOND_ACCOUNT) in made:
                continue  # both already said for this account
            shared = [text(lang, "shared_phone")] * phone + [text(lang, "shared_mailbox")] * mailbox
            behind.setdefault(second.id, (first, shared))
            if (second.id, AlertCode.SECOND_ACCOUNT) in made:
                continue
            made.add((second.id, AlertCode.SECOND_ACCOUNT))
            joined = text(lang, "shared_and").join(shared)
            message = text(lang, "second_account", second=second.label, first=first.label, shared=joined)
            alerts.append(_alert(second.id, AlertCode.SECOND_ACCOUNT, message))
    for a, ident in known:
        assert ident is not None
        snap = states[a.id].last_good
        assert snap is not None
        young = ident.created is not None and now - ident.created <= TRIAL_WINDOW
        no_grants = snap.granted_total is not None and snap.granted_total <= 0
        quota = "insufficient_quota" in snap.flags
        if young and (no_grants or quota):
            # "Second account" only on evidence; without it, the plain fact: new accounts get no trial credit now.
            if a.id in behind:
                first, shared = behind[a.id]
                message = text(
                    lang,
                    "no_trial_credit_shared",
                    label=a.label,
                    first=first.label,
                    shared=text(lang, "shared_and").join(shared),
                )
            else:
                message = text(lang, "no_trial_credit", label=a.label)
            alerts.append(_alert(a.id, AlertCode.NO_TRIAL_CREDIT, message))
    for a in accounts:
        st = states.get(a.id)
        ident = st.last_good.identity if st and st.last_good else None
        if st and st.known_user_id and ident and ident.user_id and ident.user_id != st.known_user_id:
            alerts.append(_alert(a.id, AlertCode.IDENTITY_CHANGED, text(lang, "identity_changed", label=a.label)))
    return alerts


def evaluate(
    accounts: Sequence[Account],
    states: Mapping[str, AccountState],
    settings: Settings,
    now: datetime,
    lang: str = "en",
) -> dict[str, list[Alert]]:
    """Every alert that is true now, per account id (including ones the user turned off)."""
    result: dict[str, list[Alert]] = {a.id: [] for a in accounts}
    for a in accounts:
        result[a.id].extend(credit_alerts(a, states.get(a.id, AccountState()), settings, now, lang))
    for alert in identity_alerts(accounts, states, now, lang):
        if not any(x.code == alert.code for x in result[alert.account_id]):
            result[alert.account_id].append(alert)
    for alerts in result.values():
        alerts.sort(key=lambda x: (x.severity is not Severity.CRITICAL, x.code))
    return result


def level_of(status: Status, snapshot: Snapshot | None, alerts: Iterable[Alert]) -> Level:
    """The worst of: the alerts' levels (core/alerts.py), "error" when nothing could be read, and "unknown"
    or "healthy" from the reading."""
    rank = LEVELS.index("error") if status is Status.ERROR else 0
    for alert in alerts:
        kind = kind_of(alert.code)
        if kind is not None and kind.level is not None:
            rank = max(rank, LEVELS.index(kind.level))
    if rank == 0 and (snapshot is None or snapshot.remaining is None):
        rank = LEVELS.index("unknown")
    return Level(rank, LEVELS[rank])


def urgency_key(level: Level, alerts: Iterable[Alert], days_to_expiry: int | None) -> tuple[int, int, int]:
    """How to order accounts, most urgent first (sort ascending by this key): the worst alert's severity
    (a critical second account before a warning about low credit), then the icon level (no credit left
    before a rejected key before low credit; unknown before healthy), then the nearest expiry. The menu, the
    glance, the icon and notifications all order by it."""
    severities = {a.severity for a in alerts if a.code != AlertCode.STALE}
    severity = 2 if Severity.CRITICAL in severities else 1 if severities else 0
    return (-severity, -level.rank, days_to_expiry if days_to_expiry is not None else 10**6)


# ---------------------------------------------------------------- exit codes (Nagios plugin convention)

OK, WARNING, CRITICAL, UNKNOWN = 0, 1, 2, 3
STATE_NAMES = {OK: "OK", WARNING: "WARNING", CRITICAL: "CRITICAL", UNKNOWN: "UNKNOWN"}
# Worst last: the Monitoring Plugins' max_state_alt (lib/states.h), "OK < UNKNOWN < WARNING < CRITICAL". A
# problem found outranks "could not tell", so an unreadable account cannot hide another's zero or low credit.
PRECEDENCE = (OK, UNKNOWN, WARNING, CRITICAL)


def account_state(read_now: bool, alerts: Iterable[Alert]) -> int:
    """One account's plugin state: CRITICAL with a critical alert, else WARNING with a warning, else UNKNOWN
    when it could not be read now (whatever older data there is), else OK. The `stale` alert is not a
    warning here: it says the data is old, which is "could not be read", UNKNOWN's case."""
    alerts = list(alerts)
    if any(a.severity is Severity.CRITICAL for a in alerts):
        return CRITICAL
    if any(a.severity is Severity.WARNING and a.code != AlertCode.STALE for a in alerts):
        return WARNING
    if not read_now or any(a.code == AlertCode.STALE for a in alerts):
        return UNKNOWN
    return OK


def exit_code(states: Iterable[int]) -> int:
    """The worst of the accounts' states (PRECEDENCE); UNKNOWN when there is no account to tell of."""
    return max(states, key=PRECEDENCE.index, default=UNKNOWN)


# ---------------------------------------------------------------- polling schedule


def after_success(
    state: AccountState, snapshot: Snapshot, cache: Mapping[str, object], settings: Settings, now: datetime
) -> AccountState:
    user_id = snapshot.identity.user_id if snapshot.identity else None
    return replace(
        state,
        last_good=snapshot,
        last_error=None,
        last_attempt_at=now,
        failures=0,
        next_due_at=now + timedelta(minutes=settings.poll_interval_minutes),
        cache=dict(cache),
        # Remember the first login seen; a later different one raises identity_changed until acknowledged.
        known_user_id=state.known_user_id or user_id,
    )


def after_failure(
    state: AccountState,
    error: FetchError,
    settings: Settings,
    now: datetime,
    rng: random.Random | None = None,
) -> AccountState:
    failures = state.failures + 1
    return replace(
        state,
        last_error=error,
        last_attempt_at=now,
        failures=failures,
        next_due_at=now + backoff(failures, settings, error.retry_after, rng),
    )


def backoff(
    failures: int, settings: Settings, retry_after: float | None = None, rng: random.Random | None = None
) -> timedelta:
    """Exponential from one minute up to the poll interval, then slower up to 6 h; jittered by ±20 %.

    A Retry-After from the provider is honoured as a floor.
    """
    rng = rng or random.Random()
    interval = timedelta(minutes=settings.poll_interval_minutes)
    base = FIRST_RETRY * (2 ** min(failures - 1, 12))
    if base > interval:
        base = min(MAX_BACKOFF, max(interval, base))
    delay: timedelta = base * rng.uniform(0.8, 1.2)
    if retry_after is not None and retry_after > 0:
        delay = max(delay, timedelta(seconds=retry_after))
    return delay


def due_accounts(accounts: Sequence[Account], states: Mapping[str, AccountState], now: datetime) -> list[str]:
    return [
        a.id for a in accounts if (st := states.get(a.id)) is None or st.next_due_at is None or st.next_due_at <= now
    ]


def next_wakeup(accounts: Sequence[Account], states: Mapping[str, AccountState], now: datetime) -> datetime | None:
    times = [(st.next_due_at if st and st.next_due_at else now) for a in accounts for st in [states.get(a.id)]]
    return min(times) if times else None


# ---------------------------------------------------------------- formatting

_SYMBOLS = {"USD": "$", "CNY": "¥", "EUR": "€", "GBP": "£", "JPY": "¥"}
# Units that are not money (Poe's points): shown as a plain count with the unit, never with cents or a sign.
UNITS = frozenset({"points"})


def format_money(value: Decimal | None, currency: str | None) -> str:
    if value is None:
        return "unknown"
    q = value.quantize(Decimal("0.01"))
    if currency in UNITS:
        return f"{q.normalize():f} {currency}"  # 1500 points, 12.5 points a day
    symbol = _SYMBOLS.get(currency or "")
    if currency == "USD" and symbol:
        return f"-${-q}" if q < 0 else f"${q}"
    return f"{q} {currency}" if currency else f"{q}"


def _amount(snap: Snapshot) -> str:
    if snap.remaining is None:
        return ""
    return f" ({format_money(snap.remaining, snap.currency)})"


def _days(days: int, lang: str = "en") -> str:
    if days in (0, 1):
        return text(lang, f"days_{days}")
    return text(lang, "days_n", n=days)


def _age(delta: timedelta, lang: str = "en") -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return text(lang, "age_min", n=minutes)
    hours = minutes // 60
    if hours < 48:
        return text(lang, "age_h", n=hours)
    return text(lang, "age_days", n=hours // 24)


def age_text(checked_at: datetime | None, now: datetime, lang: str = "en") -> str:
    if checked_at is None:
        return text(lang, "never_updated")
    minutes = int((now - checked_at).total_seconds() // 60)
    if minutes < 1:
        return text(lang, "updated_just_now")
    return text(lang, "updated_ago", age=_age(now - checked_at, lang))


def data_age_text(
    data_at: datetime | None, tried_at: datetime | None, last_try_failed: bool, now: datetime, lang: str = "en"
) -> str:
    """How old the data shown is, and a failed last try beside it: "data from 3 days ago · last try failed
    1 min ago", "never read". The age of the last attempt alone would call three-day-old data "just now"."""
    if data_at is None:
        head = text(lang, "never_read")
    elif last_try_failed:
        head = text(lang, "data_from", age=_ago(data_at, now, lang))
    else:
        head = age_text(data_at, now, lang)  # the last try made this data: "updated … ago" is its age
    if last_try_failed and tried_at is not None:
        return f"{head} · {text(lang, 'last_try_failed', age=_ago(tried_at, now, lang))}"
    return head


def _ago(then: datetime, now: datetime, lang: str) -> str:
    if now - then < timedelta(minutes=1):
        return text(lang, "just_now")
    return text(lang, "age_ago", age=_age(now - then, lang))


def _order_by_creation(a: Account, ca: datetime | None, b: Account, cb: datetime | None) -> tuple[Account, Account]:
    ka = ca or a.created_at
    kb = cb or b.created_at
    return (a, b) if ka <= kb else (b, a)


def _richer(a: Account, b: Account, states: Mapping[str, AccountState]) -> Account | None:
    ra = states[a.id].last_good.remaining if states[a.id].last_good else None  # type: ignore[union-attr]
    rb = states[b.id].last_good.remaining if states[b.id].last_good else None  # type: ignore[union-attr]
    if ra is None or rb is None or ra == rb:
        return None
    return a if ra > rb else b


# ---------------------------------------------------------------- notifications: edge-triggered


def alert_key(alert: Alert) -> str:
    return f"{alert.account_id}/{alert.code}"


def to_notify(
    active: Iterable[Alert], notified: Iterable[str], settings: Settings, now: datetime
) -> tuple[list[Alert], set[str]]:
    """The alerts to deliver now, and the new set of keys already delivered.

    An alert is delivered once when it becomes true; a key leaves the set when its alert clears, so it
    is delivered again if it comes back. Alerts held back (notifications off, kind disabled, snoozed)
    are not recorded, so they are delivered once the user allows it.
    """
    active = list(active)
    active_keys = {alert_key(a) for a in active}
    kept = {k for k in notified if k in active_keys}
    if not settings.notifications or (settings.snoozed_until is not None and now < settings.snoozed_until):
        return [], kept
    fresh = [a for a in active if alert_key(a) not in kept and a.code not in settings.disabled_alerts]
    return fresh, kept | {alert_key(a) for a in fresh}
