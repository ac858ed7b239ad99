"""The app's state machine: accounts and their states in, views and newly true alerts out.

Shared by the tray (through the UI controller) and by `trayapp check`; knows nothing of Qt or I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from . import rules
from .codec import dt_out, identity_out
from .forecast import Forecast, forecast_alerts
from .i18n import localize, tr
from .models import Account, AccountState, Alert, FetchError, FetchResult, Settings, Severity, Snapshot, Status
from .texts import text


@dataclass(frozen=True)
class AccountView:
    """Everything shown about one account: tray, menu, details window and `check --json` read this."""

    account: Account
    status: Status
    snapshot: Snapshot | None  # the last good reading (possibly old: see status)
    error: FetchError | None
    alerts: tuple[Alert, ...]
    days_to_expiry: int | None
    level: rules.Level
    checked_at: datetime | None  # the last attempt, good or not
    forecast: Forecast | None = None  # from the recorded history; None when there is no history

    @property
    def remaining_text(self) -> str:
        return self.remaining_in()

    def remaining_in(self, lang: str = "en") -> str:
        """The remaining credit with its currency, or why there is none, in `lang`."""
        snap = self.snapshot
        if snap is None:
            return text(lang, "remaining_error" if self.status is Status.ERROR else "remaining_not_read")
        if snap.remaining is None:
            return text(lang, "remaining_unknown")
        return rules.format_money(snap.remaining, snap.currency)

    @property
    def data_at(self) -> datetime | None:
        """When the reading shown was taken (None: never read); `checked_at` is the last attempt."""
        return self.snapshot.checked_at if self.snapshot is not None else None

    @property
    def last_try_failed(self) -> bool:
        return self.error is not None  # a good reading clears the error (rules.after_success)

    def age_in(self, now: datetime, lang: str = "en") -> str:
        """The age of the data and, when the last try failed, that too: what every client shows."""
        return rules.data_age_text(self.data_at, self.checked_at, self.last_try_failed, now, lang)

    @property
    def unknown_reason(self) -> str | None:
        if self.snapshot is not None and self.snapshot.remaining is None:
            return self.snapshot.unknown_reason or tr("the provider does not report it")
        return None


class Monitor:
    def __init__(
        self,
        accounts: Sequence[Account],
        settings: Settings,
        states: Mapping[str, AccountState] | None = None,
        lang: str = "en",
    ) -> None:
        self.accounts: list[Account] = list(accounts)
        self.settings = settings
        self.lang = lang  # of alert messages: "en" or "ja"
        self.states: dict[str, AccountState] = dict(states or {})
        self.forecasts: dict[str, Forecast] = {}  # computed from the history by the caller (I/O stays out)
        # Alert keys already notified ("account/code"), kept current by the caller: forecast alerts hold
        # while notified, rather than wobble around their threshold (see forecast_alerts).
        self.notified: frozenset[str] = frozenset()

    # ------------------------------------------------------------ changes

    def set_accounts(self, accounts: Sequence[Account]) -> None:
        self.accounts = list(accounts)
        ids = {a.id for a in accounts}
        self.states = {k: v for k, v in self.states.items() if k in ids}
        self.forecasts = {k: v for k, v in self.forecasts.items() if k in ids}

    def account(self, account_id: str) -> Account | None:
        return next((a for a in self.accounts if a.id == account_id), None)

    def apply(self, results: Iterable[FetchResult], now: datetime) -> None:
        for result in results:
            account = self.account(result.account_id)
            if account is None:
                continue  # removed while its poll was in flight
            state = self.states.get(account.id, AccountState())
            if result.snapshot is not None:
                snapshot = rules.apply_user_grants(account, result.snapshot, now)
                state = rules.after_success(state, snapshot, result.cache, self.settings, now)
            elif result.error is not None:
                state = rules.after_failure(state, result.error, self.settings, now)
            self.states[account.id] = state

    def acknowledge_identity(self, account_id: str) -> None:
        """The user confirmed the new login of a key: stop warning that it changed."""
        st = self.states.get(account_id)
        if st and st.last_good and st.last_good.identity:
            self.states[account_id] = replace(st, known_user_id=st.last_good.identity.user_id)

    def mark_due(self, account_ids: Iterable[str] | None = None) -> None:
        """Make accounts due now (Refresh now, wake from sleep), whatever their backoff."""
        ids = set(account_ids) if account_ids is not None else {a.id for a in self.accounts}
        for a in self.accounts:
            if a.id in ids:
                self.states[a.id] = replace(self.states.get(a.id, AccountState()), next_due_at=None)

    # ------------------------------------------------------------ reading

    def due(self, now: datetime) -> list[str]:
        return rules.due_accounts(self.accounts, self.states, now)

    def next_wakeup(self, now: datetime) -> datetime | None:
        return rules.next_wakeup(self.accounts, self.states, now)

    def alerts(self, now: datetime) -> dict[str, list[Alert]]:
        result = rules.evaluate(self.accounts, self.states, self.settings, now, self.lang)
        held_by: dict[str, list[str]] = {}  # account id -> codes notified (rules.alert_key: "<id>/<code>")
        for key in self.notified:
            account_id, _, code = key.rpartition("/")
            held_by.setdefault(account_id, []).append(code)
        for a in self.accounts:
            if (fc := self.forecasts.get(a.id)) is not None:
                last_good = self.states.get(a.id, AccountState()).last_good
                extra = forecast_alerts(a, last_good, fc, self.settings, now, self.lang, held_by.get(a.id, []))
                if extra:
                    result[a.id] = sorted(
                        [*result[a.id], *extra], key=lambda x: (x.severity is not Severity.CRITICAL, x.code)
                    )
        return result

    def views(self, now: datetime) -> list[AccountView]:
        all_alerts = self.alerts(now)
        views = []
        for a in self.accounts:
            st = self.states.get(a.id, AccountState())
            status = rules.status_of(st, self.settings, now)
            alerts = tuple(all_alerts.get(a.id, ()))
            snap = st.last_good
            views.append(
                AccountView(
                    account=a,
                    status=status,
                    snapshot=snap,
                    error=st.last_error,
                    alerts=alerts,
                    days_to_expiry=rules.days_to_expiry(snap.expires_at if snap else None, now),
                    level=rules.level_of(status, snap, alerts),
                    checked_at=st.last_attempt_at,
                    forecast=self.forecasts.get(a.id),
                )
            )
        return views


def by_urgency(views: Iterable[AccountView]) -> list[AccountView]:
    """The views most urgent first (rules.urgency_key); equally urgent ones keep their configured order."""
    return sorted(views, key=lambda v: rules.urgency_key(v.level, v.alerts, v.days_to_expiry))


def most_urgent(views: Sequence[AccountView]) -> AccountView | None:
    ordered = by_urgency(views)
    return ordered[0] if ordered else None


# ---------------------------------------------------------------- the `check --json` contract


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def view_json(view: AccountView) -> dict[str, Any]:
    snap = view.snapshot
    alerts = view.alerts
    error = {"title": view.error.title, "message": view.error.message} if view.error is not None else None
    return {
        "id": view.account.id,
        "label": view.account.label,
        "provider": view.account.provider,
        "status": view.status.value,
        "currency": snap.currency if snap else None,
        "remaining": _num(snap.remaining) if snap else None,
        "remaining_granted": _num(snap.remaining_granted) if snap else None,
        "remaining_paid": _num(snap.remaining_paid) if snap else None,
        "granted_total": _num(snap.granted_total) if snap else None,
        "used": _num(snap.used) if snap else None,
        "expires_at": dt_out(snap.expires_at) if snap else None,
        "days_to_expiry": view.days_to_expiry,
        "identity": _public_identity(snap) if snap else None,
        "unknown_reason": view.unknown_reason,
        "flags": sorted(snap.flags) if snap else [],
        "balances": [
            {
                "currency": b.currency,
                "remaining": _num(b.remaining),
                "remaining_granted": _num(b.remaining_granted),
                "remaining_paid": _num(b.remaining_paid),
            }
            for b in (snap.balances if snap else ())
        ],
        "notes": list(snap.notes) if snap else [],
        "alerts": [{"code": a.code, "severity": a.severity.value, "message": a.message} for a in alerts],
        "error": error,
        "verdict": rules.STATE_NAMES[account_state(view)].lower(),  # this account's part in the exit code
        "checked_at": dt_out(view.checked_at or (snap.checked_at if snap else None)),  # the last attempt
        "data_at": dt_out(view.data_at),  # the reading shown; null when never read
        **forecast_json(view.forecast),
    }


def forecast_json(fc: Forecast | None) -> dict[str, Any]:
    """The forecast keys of `check --json`: null when there is too little history (forecast_reason says why)."""
    if fc is None:
        return {
            "runs_out_at": None,
            "expires_unused": None,
            "burn_per_day": None,
            "forecast_reason": "no history recorded yet",
        }
    return {
        "runs_out_at": dt_out(fc.runs_out_at),
        "expires_unused": _num(fc.expires_unused),
        "burn_per_day": None if fc.burn_per_day is None else round(float(fc.burn_per_day), 6),
        "forecast_reason": fc.reason,
    }


def _public_identity(snap: Snapshot) -> dict[str, Any] | None:
    data = identity_out(snap.identity)
    if data is None:
        return None
    # Hashes are for comparing accounts on this machine only; scripts get ids and masked forms.
    data.pop("email_hash", None)
    data.pop("phone_hash", None)
    return data


def report_json(views: Sequence[AccountView], now: datetime) -> dict[str, Any]:
    return {
        "checked_at": now.astimezone(UTC).isoformat(),
        "verdict": rules.STATE_NAMES[report_exit_code(views)],  # as the exit code and the first line say
        "accounts": [view_json(v) for v in views],
    }


def account_state(view: AccountView) -> int:
    """The account's plugin state (rules.account_state): read now means a reading and no failed last try."""
    return rules.account_state(view.snapshot is not None and view.error is None, view.alerts)


def report_exit_code(views: Sequence[AccountView]) -> int:
    return rules.exit_code(account_state(v) for v in views)


_GROUPS = ((rules.CRITICAL, "verdict_critical"), (rules.WARNING, "verdict_warning"), (rules.UNKNOWN, "verdict_unknown"))


def verdict_summary(views: Sequence[AccountView], lang: str = "en") -> str:
    """What `check`'s first line says after its state: every account that made the verdict, grouped by its
    state, worst first, then the first reason of the worst ("2 critical (Moonshot, OpenAI alias), 1 unknown
    (DeepSeek): Moonshot: no credit left.")."""
    if not views:
        return text(lang, "verdict_none")
    states = [account_state(v) for v in views]
    sep = text(lang, "names_sep")
    groups = []
    for state, key in _GROUPS:
        names = [v.account.label for v, s in zip(views, states, strict=True) if s == state]
        if names:
            groups.append(text(lang, key, n=len(names), names=sep.join(names)))
    if not groups:
        unknowable = [v.account.label for v in views if v.snapshot is not None and v.snapshot.remaining is None]
        if unknowable:
            return text(lang, "verdict_ok_unknowable", n=len(views), k=len(unknowable), names=sep.join(unknowable))
        return text(lang, "verdict_ok", n=len(views))
    worst = max(states, key=rules.PRECEDENCE.index)
    view = views[states.index(worst)]
    return text(lang, "verdict_detail", groups=sep.join(groups), reason=_reason(view, worst, lang))


def _reason(view: AccountView, state: int, lang: str) -> str:
    if state in (rules.CRITICAL, rules.WARNING):
        severity = Severity.CRITICAL if state == rules.CRITICAL else Severity.WARNING
        return next(a.message for a in view.alerts if a.severity is severity and a.code != "stale")
    if view.error is not None:
        return text(lang, "verdict_unread", label=view.account.label, reason=localize(view.error.title, lang))
    stale = next((a.message for a in view.alerts if a.code == "stale"), None)
    return stale or text(lang, "verdict_never", label=view.account.label)


def worst_severity(alerts: Iterable[Alert]) -> Severity | None:
    alerts = list(alerts)
    if not alerts:
        return None
    return Severity.CRITICAL if any(a.severity is Severity.CRITICAL for a in alerts) else Severity.WARNING
