"""JSON-ready dicts to and from the models (state file, fetch-process protocol, config).

Decoding is strict about types and bounds: a value of the wrong type, or out of its bounds (an amount past
MAX_AMOUNT, a count past its maximum), raises ValueError, so a corrupt file is detected instead of becoming a
wrong number or a crash later on (an overflow, an InvalidOperation). Where a value has a default (a setting,
an account's label or one of its grants), the readers of files pass `misread`: the value is reported through it,
naming the field, and the default used instead; without `misread` (the fetch protocol) it raises.

Texts for people (an error's title and message, a snapshot's unknown reason and notes) are kept in English
where they always were, and their translatable form (`i18n.encode`) under "i18n" beside them; that part is
optional and forgiving: missing, unknown or malformed, the text is simply shown in English.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any, TypeVar

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
T = TypeVar("T")

# Bounds of what a file may hold. An amount at or past MAX_AMOUNT is no real balance (the providers' reader
# refuses it too: providers/http.py); formatting one to cents would need more digits than Decimal carries.
MAX_AMOUNT = Decimal("1e12")
MAX_POLL_MINUTES = 24 * 60  # as the Settings dialog offers
MAX_WARNING_DAYS = 3650
MAX_FAILURES = 1_000_000
MAX_RETRY_AFTER = 7 * 86400.0  # s; a longer wait read from a file is no answer any server gave
MAX_SNOOZE = timedelta(days=31)  # the longest snooze offered is "until tomorrow"
MAX_TEXT = 10_000  # characters of a label, a name, a currency code read from a file

# (field, problem, what is used instead): a bad value reported by the readers of files.
Bad = Callable[[str, str, str], None]


def strict(field: str, problem: str, instead: str) -> None:
    """The default `misread`: a bad value is an error (the fetch protocol, where nothing is to be defaulted)."""
    raise ValueError(f"{field}: {problem}")


def _lenient(misread: Bad, field: str, instead: str, read: Callable[[], T], default: T) -> T:
    """`read()`, or `default` when it fails (reported through `misread`)."""
    try:
        return read()
    except (ValueError, TypeError, ArithmeticError, KeyError, AttributeError) as exc:
        misread(field, str(exc) or type(exc).__name__, instead)
        return default


def whole(value: object, lowest: int, highest: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not lowest <= value <= highest:
        raise ValueError(f"not a whole number from {lowest} to {highest}: {show(value)}")
    return value


def _object(value: object) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError(f"not an object: {show(value)}")
    return value


def show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# ---------------------------------------------------------------- scalars


def dec_out(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def dec_in(value: object) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, str) and len(value) > 100:
        raise ValueError(f"not a number: {show(value)}")
    try:
        result = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"not a number: {show(value)}") from None
    if not result.is_finite():
        raise ValueError(f"not a finite number: {show(value)}")
    if result.copy_abs() >= MAX_AMOUNT:  # abs() would round in the context and overflow
        raise ValueError(f"far larger than any real amount: {show(value)}")
    return result


def dt_out(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


def dt_in(value: object) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 64:
        raise ValueError(f"not a date-time: {show(value)}")
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def date_out(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def date_in(value: object) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 32:
        raise ValueError(f"not a date: {show(value)}")
    return date.fromisoformat(value)


def _str(value: object, name: str, *, optional: bool = True) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name}: not a string")
    if len(value) > MAX_TEXT:
        raise ValueError(f"{name}: longer than {MAX_TEXT} characters")
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
    if not isinstance(d, Mapping):
        raise ValueError("a grant is not an object")
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


def account_in(d: Mapping[str, Any], misread: Bad = strict) -> Account:
    """What says where the key goes and which key (id, provider, base URL, key kinds) must be right, or this
    raises; the rest, when wrong, is reported through `misread` and its default used (a bad grant is left out)."""
    if not isinstance(d, Mapping):
        raise ValueError("an account is not an object")
    account_id = _str(d["id"], "id", optional=False) or ""
    if not account_id:
        raise ValueError("id: empty")
    where = f"accounts[{account_id}]"
    kinds = d.get("secret_kinds") or ("api",)
    if not isinstance(kinds, (list, tuple)) or not all(isinstance(k, str) and 0 < len(k) <= 64 for k in kinds):
        raise ValueError(f"{where}.secret_kinds: not a list of key kinds")

    def options() -> dict[str, Any]:
        value = d.get("options") or {}
        if not isinstance(value, dict):
            raise ValueError("not an object")
        return value

    def grants() -> tuple[Grant, ...]:
        value = d.get("grants") or ()
        if not isinstance(value, (list, tuple)):
            raise ValueError("not a list")
        kept = []
        for i, g in enumerate(value):
            grant = _lenient(misread, f"{where}.grants[{i}]", "left out", partial(grant_in, g), None)
            if grant is not None:
                kept.append(grant)
        return tuple(kept)

    return Account(
        id=account_id,
        provider=_str(d["provider"], "provider", optional=False) or "",
        label=_lenient(
            misread, f"{where}.label", "its id", lambda: _str(d.get("label") or account_id, "label") or "", account_id
        ),
        created_at=_lenient(misread, f"{where}.created_at", "now", lambda: dt_in(d.get("created_at")), None)
        or datetime.now(UTC),
        base_url=_str(d.get("base_url"), "base_url"),
        currency=_lenient(misread, f"{where}.currency", "none", lambda: _str(d.get("currency"), "currency"), None),
        grants=_lenient(misread, f"{where}.grants", "none", grants, ()),
        secret_kinds=tuple(kinds),
        options=_lenient(misread, f"{where}.options", "none", options, {}),
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
    _object(d)
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
    _object(d)
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
                currency=str(_object(b)["currency"]),
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
    _object(d)
    retry = d.get("retry_after")
    texts = _TextsIn(d)
    return FetchError(
        kind=ErrorKind(d["kind"]),
        title=texts.text("title", str(d["title"])),
        message=texts.text("message", str(d["message"])),
        provider=str(d.get("provider", "")),
        retry_after=_retry_after(retry),
    )


def _retry_after(value: object) -> float | None:
    """Seconds to wait, or None: only a finite, sane number (a huge or NaN one would overflow a timedelta)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    seconds = float(value)
    return seconds if math.isfinite(seconds) and 0 <= seconds <= MAX_RETRY_AFTER else None


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
    _object(d)
    cache = d.get("cache") or {}
    if not isinstance(cache, dict):
        raise ValueError("cache: not an object")
    failures = d.get("failures", 0)
    if not isinstance(failures, int) or isinstance(failures, bool) or not 0 <= failures <= MAX_FAILURES:
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


def settings_in(d: Mapping[str, Any], misread: Bad = strict) -> Settings:
    """Each setting checked against its bounds; a bad one reported through `misread` and its default used."""
    from .models import ICON_STYLES, MIN_POLL_MINUTES

    defaults = Settings()

    def pick(name: str, read: Callable[[object], T], default: T, shown: str | None = None) -> T:
        if d.get(name) is None:  # absent or null: the default, as it always was
            return default
        value = d[name]
        return _lenient(misread, f"settings.{name}", shown or f"{default}", lambda: read(value), default)

    def flag(value: object) -> bool:
        if not isinstance(value, bool):
            raise ValueError(f"not true or false: {show(value)}")
        return value

    def amount(value: object) -> Decimal:
        number = dec_in(value)
        if number is None or number < 0:
            raise ValueError(f"not an amount of zero or more: {show(value)}")
        return number

    def per_currency(value: object) -> dict[str, Decimal]:
        if not isinstance(value, dict):
            raise ValueError("not an object")
        return {_str(k, "currency", optional=False) or "": amount(v) for k, v in value.items()}

    def names(value: object) -> frozenset[str]:
        if not isinstance(value, (list, tuple)) or not all(isinstance(x, str) for x in value):
            raise ValueError("not a list of names")
        return frozenset(value)

    def snoozed(value: object) -> datetime | None:
        until = dt_in(value)
        if until is not None and until - datetime.now(UTC) > MAX_SNOOZE:
            raise ValueError(f"further ahead than {MAX_SNOOZE.days} days: {show(value)}")
        return until

    def style(value: object) -> str:
        if value not in ICON_STYLES:  # a look, not data: told, and the default drawn
            raise ValueError(f"not one of {', '.join(ICON_STYLES)}: {show(value)}")
        return str(value)

    def language(value: object) -> str | None:
        text = _str(value, "language")
        if text is not None and (len(text) > 35 or not text.replace("-", "").replace("_", "").isalnum()):
            raise ValueError(f"not a language code: {show(value)}")
        return text

    return Settings(
        # Below the minimum is raised to it, as the dialog does; past the maximum is no setting anyone made.
        poll_interval_minutes=max(
            MIN_POLL_MINUTES,
            pick(
                "poll_interval_minutes",
                lambda v: whole(v, -MAX_POLL_MINUTES, MAX_POLL_MINUTES),
                defaults.poll_interval_minutes,
            ),
        ),
        low_credit_threshold=pick("low_credit_threshold", amount, defaults.low_credit_threshold),
        low_credit_thresholds=pick("low_credit_thresholds", per_currency, {}, "none"),
        expiry_warning_days=pick(
            "expiry_warning_days", lambda v: whole(v, 0, MAX_WARNING_DAYS), defaults.expiry_warning_days
        ),
        runs_out_warning_days=pick(
            "runs_out_warning_days", lambda v: whole(v, 0, MAX_WARNING_DAYS), defaults.runs_out_warning_days
        ),
        notifications=pick("notifications", flag, defaults.notifications),
        disabled_alerts=pick("disabled_alerts", names, frozenset(), "none"),
        snoozed_until=pick("snoozed_until", snoozed, None, "not snoozed"),
        language=pick("language", language, None, "the system's"),
        start_at_login=pick("start_at_login", flag, defaults.start_at_login),
        icon_style=pick("icon_style", style, defaults.icon_style),
    )
