"""`trayapp check` as a Monitoring Plugin (https://www.monitoring-plugins.org/doc/guidelines.html): the first
line `CREDIT <STATE> - <summary> | <perfdata>`, the long text after it, thresholds given on the command line.

Performance data: `'<label> <CUR>'=<remaining>;<warn>;<crit>;0` for each account whose remaining credit is
known, `'<label> expiry'=<days>d;<warn>;<crit>;0` for each with an expiry. The thresholds are written in the
guidelines' range syntax, `@~:N` ("alert when the value is N or below"), which is exactly when the app raises
the alert (credit_low at or below the threshold, credit_zero at or below 0). Numbers are Decimal's plain form:
the same in every locale.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from ..core import rules
from ..core.alerts import AlertCode
from ..core.i18n import localize
from ..core.models import Account, Alert, Settings, Severity
from ..core.monitor import AccountView, report_exit_code, report_json, verdict_summary
from ..core.texts import text

PREFIX = "CREDIT"


class UsageError(ValueError):
    """A command-line value the plugin cannot use: UNKNOWN (3), with this message."""


@dataclass(frozen=True)
class Thresholds:
    """`--warning` / `--critical` for this run: an amount (in each account's currency) or days to expiry."""

    warn_amount: Decimal | None = None
    crit_amount: Decimal | None = None
    warn_days: int | None = None
    crit_days: int | None = None


_DAYS = re.compile(r"(\d+)\s*d(ays?)?", re.IGNORECASE)


def parse_thresholds(warning: Sequence[str], critical: Sequence[str]) -> Thresholds:
    """ "5" or "2.50" is an amount, "7d" days to expiry; each option may be given once of each kind."""
    found: dict[str, Any] = {}
    for option, values in (("warning", warning), ("critical", critical)):
        for raw in values:
            value = raw.strip()
            days = _DAYS.fullmatch(value)
            number: Decimal | int
            if days:
                kind, number = "days", int(days.group(1))
            else:
                try:
                    amount = Decimal(value)
                except InvalidOperation:
                    amount = Decimal("NaN")
                if not amount.is_finite():
                    raise UsageError(f"--{option} {raw!r}: give an amount (5, 2.50) or days to expiry (7d)") from None
                kind, number = "amount", amount
            key = f"{option[:4]}_{kind}"
            if key in found:
                raise UsageError(f"--{option}: the {kind} threshold is given twice")
            found[key] = number
    return Thresholds(**found)


def run_settings(settings: Settings, th: Thresholds) -> Settings:
    """The settings for this run: `--warning` replaces the low-credit threshold (of every currency) and the
    days of warning before an expiry. Never saved."""
    if th.warn_amount is not None:
        settings = replace(settings, low_credit_threshold=th.warn_amount, low_credit_thresholds={})
    if th.warn_days is not None:
        settings = replace(settings, expiry_warning_days=th.warn_days)
    return settings


def escalate(views: Sequence[AccountView], th: Thresholds, now: datetime, lang: str) -> list[AccountView]:
    """`--critical`: an account at or below the critical amount, or expiring within the critical days, has its
    credit_low / expiring_soon alert raised to critical (added when the warning threshold is lower)."""
    if th.crit_amount is None and th.crit_days is None:
        return list(views)
    out = []
    for v in views:
        snap = v.snapshot
        codes = {a.code for a in v.alerts}
        raised: dict[str, Alert] = {}
        if snap is not None and AlertCode.CREDIT_ZERO not in codes:
            if th.crit_amount is not None and snap.remaining is not None and snap.remaining <= th.crit_amount:
                cur = snap.currency or ""
                message = text(
                    lang,
                    "credit_critical",
                    label=v.account.label,
                    left=rules.format_money(snap.remaining, cur),
                    threshold=rules.format_money(th.crit_amount, cur),
                )
                raised[AlertCode.CREDIT_LOW] = Alert(v.account.id, AlertCode.CREDIT_LOW, Severity.CRITICAL, message)
            days = v.days_to_expiry
            expiring = snap.expires_at is not None and snap.expires_at > now
            if th.crit_days is not None and days is not None and expiring and days <= th.crit_days:
                date = snap.expires_at.astimezone(UTC).date().isoformat() if snap.expires_at else ""
                message = text(lang, "expiring_soon", label=v.account.label, days=rules._days(days, lang), date=date)
                raised[AlertCode.EXPIRING_SOON] = Alert(
                    v.account.id, AlertCode.EXPIRING_SOON, Severity.CRITICAL, message
                )
        if raised:
            kept = [a for a in v.alerts if a.code not in raised]
            alerts = sorted([*kept, *raised.values()], key=lambda a: (a.severity is not Severity.CRITICAL, a.code))
            v = replace(v, alerts=tuple(alerts))
        out.append(v)
    return out


def select(accounts: Sequence[Account], providers: Sequence[str], ids: Sequence[str]) -> list[Account]:
    """The accounts `--provider` and `--account` name (each repeatable; both: either matches), in config order.
    A name that matches nothing is a UsageError: a typo must not pass as "OK"."""
    if not providers and not ids:
        return list(accounts)
    known_ids = {a.id for a in accounts}
    for account_id in ids:
        if account_id not in known_ids:
            listed = ", ".join(sorted(known_ids)) or "none"
            raise UsageError(f"no account with the id '{account_id}' (accounts: {listed})")
    known_providers = {a.provider for a in accounts}
    for provider in providers:
        if provider not in known_providers:
            listed = ", ".join(sorted(known_providers)) or "none"
            raise UsageError(f"no account of the provider '{provider}' (providers with accounts: {listed})")
    return [a for a in accounts if a.id in ids or a.provider in providers]


# ---------------------------------------------------------------- performance data


def _number(value: Decimal | int) -> str:
    """C-locale digits, no exponent: Decimal's own form never follows the locale."""
    if isinstance(value, int):
        return str(value)
    plain = format(value, "f")
    return plain.rstrip("0").rstrip(".") if "." in plain else plain


def _at_or_below(value: Decimal | int | None) -> str:
    return "" if value is None else f"@~:{_number(value)}"


def perf_label(text: str) -> str:
    """A label as the guidelines and Icinga accept it: quoted, without ' or = (Icinga's rule), no line breaks."""
    cleaned = re.sub(r"['=\s]+", " ", text).strip()
    return f"'{cleaned}'"


def perfdata(views: Sequence[AccountView], settings: Settings, th: Thresholds) -> str:
    items: list[str] = []
    seen: set[str] = set()

    def add(name: str, account_id: str, value: str) -> None:
        label = perf_label(name)
        if label in seen:  # two accounts with one label: the id keeps them apart
            label = perf_label(f"{name} {account_id}")
        seen.add(label)
        items.append(f"{label}={value}")

    for v in views:
        snap = v.snapshot
        if snap is None:
            continue
        if snap.remaining is not None:
            cur = snap.currency or ""
            warn = th.warn_amount if th.warn_amount is not None else settings.threshold_for(snap.currency)
            crit = th.crit_amount if th.crit_amount is not None else Decimal(0)
            name = f"{v.account.label} {cur}".strip()
            add(name, v.account.id, f"{_number(snap.remaining)};{_at_or_below(warn)};{_at_or_below(crit)};0")
        if v.days_to_expiry is not None:
            warn_days = th.warn_days if th.warn_days is not None else settings.expiry_warning_days
            add(
                f"{v.account.label} expiry",
                v.account.id,
                f"{v.days_to_expiry}d;{_at_or_below(warn_days)};{_at_or_below(th.crit_days)};0",
            )
    return " ".join(items)


# ---------------------------------------------------------------- output


def status_line(state: int, summary: str, perf: str = "") -> str:
    line = f"{PREFIX} {rules.STATE_NAMES[state]} - {summary}"
    return f"{line} | {perf}" if perf else line


def plugin_output(
    views: Sequence[AccountView], now: datetime, lang: str, settings: Settings, th: Thresholds, long_text: list[str]
) -> str:
    """The whole plugin output: the status line with the performance data, then `long_text`."""
    first = status_line(report_exit_code(views), verdict_summary(views, lang), perfdata(views, settings, th))
    return "\n".join([first, *long_text])


def long_text(views: Sequence[AccountView], now: datetime, lang: str = "en") -> list[str]:
    """The lines after the first: one per account, then its error, why its remaining is unknown, its alerts;
    the core's sentences in `lang`, like the alerts."""
    lines = []
    for v in views:
        lines.append("  " + account_line(v, now, lang))
        if v.error is not None:
            lines.append(f"      error: {localize(v.error.title, lang)}: {localize(v.error.message, lang)}")
        if v.unknown_reason:
            lines.append(f"      remaining unknown: {localize(v.unknown_reason, lang)}")
        for a in v.alerts:
            lines.append(f"      {a.severity.value}: {a.message}")
    return lines


def account_line(v: AccountView, now: datetime, lang: str = "en", age: str | None = None) -> str:
    """One account in the long text: `age` in place of its relative age (`trayapp status` gives a clock time)."""
    parts = [f"{v.account.label}: {v.remaining_in(lang)}"]
    if v.days_to_expiry is not None:
        # What expires may be counted apart from the amount (a token pack beside a wallet): said so.
        apart = v.snapshot is not None and "expiry_outside_balance" in v.snapshot.flags
        parts.append(f"{'a pack expires' if apart else 'expires'} in {v.days_to_expiry} d")
    parts.append(v.age_in(now, lang) if age is None else age)
    if v.status.value != "ok":
        parts.append(v.status.value)
    return " · ".join(parts)


def unknown_output(message: str) -> str:
    """What Nagios shows instead of "(No output returned from plugin)": UNKNOWN and why."""
    return status_line(rules.UNKNOWN, message.replace("\n", " ").replace("|", "/"))


def report(views: Sequence[AccountView], now: datetime, lang: str = "en") -> dict[str, Any]:
    """`check --json`: the contract of core.monitor.report_json, plus the plugin's status, exit code and summary."""
    code = report_exit_code(views)
    data = report_json(views, now)
    return {
        **data,
        "status": rules.STATE_NAMES[code],
        "exit_code": code,
        "summary": verdict_summary(views, lang),
    }


def unknown_report(message: str, now: datetime) -> dict[str, Any]:
    state = rules.STATE_NAMES[rules.UNKNOWN]
    return {
        "checked_at": now.astimezone(UTC).isoformat(),
        "verdict": state,
        "accounts": [],
        "status": state,
        "exit_code": rules.UNKNOWN,
        "summary": message,
    }
