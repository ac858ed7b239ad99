"""JSON-ready dicts to and from the models (state file, fetch-process protocol, config).

Decoding is strict about types: a value of the wrong type raises ValueError, so a corrupt file is
detected instead of becoming a wrong number.

Texts for people (an error's title and message, a snapshot's unknown reason and notes) are kept in English
where they always were, and their translatable form (`i18n.encode`) under "i18n" beside them; that part is
optional and forgiving: missing, unknown or malformed, the text is simply shown in English.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from . import i18n
from .models import (
    Account,
    AccountState,
    CurrencyBalance,
    ErrorKind,
    FetchError,
    Grant,
    Identity,
    Settings,
    Snapshot,
)

Json = dict[str, Any]


# ---------------------------------------------------------------- scalars


def dec_out(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def dec_in(value: object) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f"not a number: {value!r}")
    try:
        result = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


def dt_out(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


def dt_in(value: object) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"not a date-time: {value!r}")
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def date_out(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def date_in(value: object) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"not a date: {value!r}")
    return date.fromisoformat(value)


def _str(value: object, name: str, *, optional: bool = True) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name}: not a string")
    return value


# ---------------------------------------------------------------- models


def grant_out(g: Grant) -> Json:
    return {
        "amount": dec_out(g.amount),
        "currency": g.currency,
        "effective": date_out(g.effective),
        "expires": date_out(g.expires),
        "used": dec_out(g.used),
        "source": g.source,
        "kind": g.kind,
    }


def grant_in(d: Mapping[str, Any]) -> Grant:
    amount = dec_in(d["amount"])
    if amount is None:
        raise ValueError("grant without amount")
    return Grant(
        amount=amount,
        currency=_str(d.get("currency", "USD"), "currency", optional=False) or "USD",
        effective=date_in(d.get("effective")),
        expires=date_in(d.get("expires")),
        used=dec_in(d.get("used")),
        source=str(d.get("source", "user")),
        kind=str(d.get("kind", "granted")),
    )


def account_out(a: Account) -> Json:
    return {
        "id": a.id,
        "provider": a.provider,
        "label": a.label,
        "created_at": dt_out(a.created_at),
        "base_url": a.base_url,
        "currency": a.currency,
        "grants": [grant_out(g) for g in a.grants],
        "secret_kinds": list(a.secret_kinds),
        "options": dict(a.options),
    }


def account_in(d: Mapping[str, Any]) -> Account:
    created = dt_in(d.get("created_at")) or datetime.now(UTC)
    options = d.get("options") or {}
    if not isinstance(options, dict):
        raise ValueError("options: not an object")
    return Account(
        id=_str(d["id"], "id", optional=False) or "",
        provider=_str(d["provider"], "provider", optional=False) or "",
        label=_str(d.get("label") or d["id"], "label", optional=False) or "",
        created_at=created,
        base_url=_str(d.get("base_url"), "base_url"),
        currency=_str(d.get("currency"), "currency"),
        grants=tuple(grant_in(g) for g in d.get("grants") or ()),
        secret_kinds=tuple(str(k) for k in d.get("secret_kinds") or ("api",)),
        options=options,
    )


def identity_out(i: Identity | None) -> Json | None:
    if i is None:
        return None
    return {
        "user_id": i.user_id,
        "created": dt_out(i.created),
        "org_ids": list(i.org_ids),
        "org_names": list(i.org_names),
        "email_hash": i.email_hash,
        "phone_hash": i.phone_hash,
        "email_masked": i.email_masked,
        "phone_masked": i.phone_masked,
    }


def identity_in(d: Mapping[str, Any] | None) -> Identity | None:
    if d is None:
        return None
    return Identity(
        user_id=_str(d.get("user_id"), "user_id"),
        created=dt_in(d.get("created")),
        org_ids=tuple(str(x) for x in d.get("org_ids") or ()),
        org_names=tuple(str(x) for x in d.get("org_names") or ()),
        email_hash=_str(d.get("email_hash"), "email_hash"),
        phone_hash=_str(d.get("phone_hash"), "phone_hash"),
        email_masked=_str(d.get("email_masked"), "email_masked"),
        phone_masked=_str(d.get("phone_masked"), "phone_masked"),
    )


def snapshot_out(s: Snapshot) -> Json:
    return {
        "account_id": s.account_id,
        "checked_at": dt_out(s.checked_at),
        "currency": s.currency,
        "remaining": dec_out(s.remaining),
        "remaining_granted": dec_out(s.remaining_granted),
        "remaining_paid": dec_out(s.remaining_paid),
        "granted_total": dec_out(s.granted_total),
        "used": dec_out(s.used),
        "expires_at": dt_out(s.expires_at),
        "identity": identity_out(s.identity),
        "unknown_reason": s.unknown_reason,
        "grants": [grant_out(g) for g in s.grants],
        "balances": [
            {
                "currency": b.currency,
                "remaining": dec_out(b.remaining),
                "remaining_granted": dec_out(b.remaining_granted),
                "remaining_paid": dec_out(b.remaining_paid),
            }
            for b in s.balances
        ],
        "flags": sorted(s.flags),
        "notes": list(s.notes),
        **_texts_out({"unknown_reason": s.unknown_reason}, s.notes),
    }


def snapshot_in(d: Mapping[str, Any]) -> Snapshot:
    checked = dt_in(d["checked_at"])
    if checked is None:
        raise ValueError("snapshot without checked_at")
    texts = _TextsIn(d)
    unknown_reason = _str(d.get("unknown_reason"), "unknown_reason")
    return Snapshot(
        account_id=str(d["account_id"]),
        checked_at=checked,
        currency=_str(d.get("currency"), "currency"),
        remaining=dec_in(d.get("remaining")),
        remaining_granted=dec_in(d.get("remaining_granted")),
        remaining_paid=dec_in(d.get("remaining_paid")),
        granted_total=dec_in(d.get("granted_total")),
        used=dec_in(d.get("used")),
        expires_at=dt_in(d.get("expires_at")),
        identity=identity_in(d.get("identity")),
        unknown_reason=None if unknown_reason is None else texts.text("unknown_reason", unknown_reason),
        grants=tuple(grant_in(g) for g in d.get("grants") or ()),
        balances=tuple(
            CurrencyBalance(
                currency=str(b["currency"]),
                remaining=dec_in(b.get("remaining")),
                remaining_granted=dec_in(b.get("remaining_granted")),
                remaining_paid=dec_in(b.get("remaining_paid")),
            )
            for b in d.get("balances") or ()
        ),
        flags=frozenset(str(f) for f in d.get("flags") or ()),
        notes=tuple(texts.note(i, str(n)) for i, n in enumerate(d.get("notes") or ())),
    )


def error_out(e: FetchError | None) -> Json | None:
    if e is None:
        return None
    return {
        "kind": e.kind.value,
        "title": e.title,
        "message": e.message,
        "provider": e.provider,
        "retry_after": e.retry_after,
        **_texts_out({"title": e.title, "message": e.message}),
    }


def error_in(d: Mapping[str, Any] | None) -> FetchError | None:
    if d is None:
        return None
    retry = d.get("retry_after")
    texts = _TextsIn(d)
    return FetchError(
        kind=ErrorKind(d["kind"]),
        title=texts.text("title", str(d["title"])),
        message=texts.text("message", str(d["message"])),
        provider=str(d.get("provider", "")),
        retry_after=float(retry) if isinstance(retry, (int, float)) else None,
    )


def _texts_out(named: Mapping[str, str | None], notes: Sequence[str] = ()) -> Json:
    """{"i18n": {name: encoded, "notes": [encoded or None, ...]}} for the LocalTexts among these; {} if none."""
    found: Json = {name: enc for name, value in named.items() if (enc := i18n.encode(value)) is not None}
    encoded_notes = [i18n.encode(n) for n in notes]
    if any(n is not None for n in encoded_notes):
        found["notes"] = encoded_notes
    return {"i18n": found} if found else {}


class _TextsIn:
    """The "i18n" part of an object, read without ever failing: what is unusable is left out."""

    def __init__(self, d: Mapping[str, Any]) -> None:
        data = d.get("i18n")
        self._data: Mapping[str, Any] = data if isinstance(data, Mapping) else {}

    def text(self, name: str, english: str) -> str:
        return i18n.decode(english, self._data.get(name))

    def note(self, index: int, english: str) -> str:
        notes = self._data.get("notes")
        return i18n.decode(english, notes[index] if isinstance(notes, list) and index < len(notes) else None)


def state_out(s: AccountState) -> Json:
    return {
        "last_good": snapshot_out(s.last_good) if s.last_good else None,
        "last_error": error_out(s.last_error),
        "last_attempt_at": dt_out(s.last_attempt_at),
        "failures": s.failures,
        "next_due_at": dt_out(s.next_due_at),
        "cache": dict(s.cache),
        "known_user_id": s.known_user_id,
    }


def state_in(d: Mapping[str, Any]) -> AccountState:
    cache = d.get("cache") or {}
    if not isinstance(cache, dict):
        raise ValueError("cache: not an object")
    failures = d.get("failures", 0)
    if not isinstance(failures, int) or isinstance(failures, bool) or failures < 0:
        raise ValueError("failures: not a count")
    return AccountState(
        last_good=snapshot_in(d["last_good"]) if d.get("last_good") else None,
        last_error=error_in(d.get("last_error")),
        last_attempt_at=dt_in(d.get("last_attempt_at")),
        failures=failures,
        next_due_at=dt_in(d.get("next_due_at")),
        cache=cache,
        known_user_id=_str(d.get("known_user_id"), "known_user_id"),
    )


def settings_out(s: Settings) -> Json:
    return {
        "poll_interval_minutes": s.poll_interval_minutes,
        "low_credit_threshold": dec_out(s.low_credit_threshold),
        "low_credit_thresholds": {k: dec_out(v) for k, v in s.low_credit_thresholds.items()},
        "expiry_warning_days": s.expiry_warning_days,
        "runs_out_warning_days": s.runs_out_warning_days,
        "notifications": s.notifications,
        "disabled_alerts": sorted(s.disabled_alerts),
        "snoozed_until": dt_out(s.snoozed_until),
        "language": s.language,
        "start_at_login": s.start_at_login,
        "icon_style": s.icon_style,
    }


def settings_in(d: Mapping[str, Any]) -> Settings:
    from .models import ICON_STYLES, MIN_POLL_MINUTES

    defaults = Settings()
    interval = d.get("poll_interval_minutes", defaults.poll_interval_minutes)
    if not isinstance(interval, int) or isinstance(interval, bool):
        raise ValueError("poll_interval_minutes: not a whole number")
    days = d.get("expiry_warning_days", defaults.expiry_warning_days)
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        raise ValueError("expiry_warning_days: not a whole number of days")
    runs_out_days = d.get("runs_out_warning_days", defaults.runs_out_warning_days)
    if not isinstance(runs_out_days, int) or isinstance(runs_out_days, bool) or runs_out_days < 0:
        raise ValueError("runs_out_warning_days: not a whole number of days")
    notifications = d.get("notifications", True)
    if not isinstance(notifications, bool):
        raise ValueError("notifications: not true or false")
    start_at_login = d.get("start_at_login", defaults.start_at_login)
    if not isinstance(start_at_login, bool):
        raise ValueError("start_at_login: not true or false")
    icon_style = d.get("icon_style", defaults.icon_style)
    if icon_style not in ICON_STYLES:  # a look, not data: a value this version lacks falls back, not the file
        icon_style = defaults.icon_style
    threshold = dec_in(d.get("low_credit_threshold", str(defaults.low_credit_threshold)))
    per_currency = d.get("low_credit_thresholds") or {}
    if not isinstance(per_currency, dict):
        raise ValueError("low_credit_thresholds: not an object")
    return Settings(
        poll_interval_minutes=max(MIN_POLL_MINUTES, interval),
        low_credit_threshold=threshold if threshold is not None else defaults.low_credit_threshold,
        low_credit_thresholds={
            str(k): v for k, v in ((k, dec_in(v)) for k, v in per_currency.items()) if v is not None
        },
        expiry_warning_days=days,
        runs_out_warning_days=runs_out_days,
        notifications=notifications,
        disabled_alerts=frozenset(str(x) for x in d.get("disabled_alerts") or ()),
        snoozed_until=dt_in(d.get("snoozed_until")),
        language=_str(d.get("language"), "language"),
        start_at_login=start_at_login,
        icon_style=icon_style,
    )
