"""Every kind of alert, in one table: its code (the string `check --json`, state.json and the settings use),
how severe it is, which icon level it raises, whether it notifies urgently, and the texts that name it.

The texts are marked for the one Qt-free catalog (core/i18n.py) and shown with `translate`: `label` in the
Settings dialog, `headline` as a notification's summary, `short` in the details window's Alerts column (in
English the code itself, as scripts see it). `explanation` keys core/explain.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .i18n import tr_noop
from .models import Severity


class AlertCode(StrEnum):
    """In the order the Settings dialog lists them."""

    CREDIT_ZERO = "credit_zero"
    CREDIT_LOW = "credit_low"
    EXPIRING_SOON = "expiring_soon"
    RUNS_OUT_SOON = "runs_out_soon"
    WILL_EXPIRE_UNUSED = "will_expire_unused"
    SECOND_ACCOUNT = "second_account"
    SAME_LOGIN = "same_login"
    NO_TRIAL_CREDIT = "no_trial_credit"
    IDENTITY_CHANGED = "identity_changed"
    KEY_INVALID = "key_invalid"
    SPEND_LIMIT = "spend_limit"
    STALE = "stale"


# Icon levels, worst last; an alert raises its account to at least its kind's level.
LEVELS = ("healthy", "unknown", "low", "error", "zero")


@dataclass(frozen=True)
class AlertKind:
    severity: Severity
    level: str | None  # one of LEVELS, or None: the alert leaves the icon as it is
    urgent: bool  # notified as critical, and first in a grouped notification
    label: str
    headline: str
    short: str
    explanation: str


def _kind(
    code: AlertCode, severity: Severity, level: str | None, urgent: bool, label: str, headline: str, short: str
) -> AlertKind:
    return AlertKind(severity, level, urgent, label, headline, short, explanation=code.value)


C, W = Severity.CRITICAL, Severity.WARNING
A = AlertCode
ALERTS: dict[AlertCode, AlertKind] = {
    A.CREDIT_ZERO: _kind(
        A.CREDIT_ZERO,
        C,
        "zero",
        True,
        tr_noop("alert setting\x04No credit left"),
        tr_noop("no credit left"),
        tr_noop("alert code\x04credit_zero"),
    ),
    A.CREDIT_LOW: _kind(
        A.CREDIT_LOW,
        W,
        "low",
        False,
        tr_noop("alert setting\x04Low credit"),
        tr_noop("credit is low"),
        tr_noop("alert code\x04credit_low"),
    ),
    A.EXPIRING_SOON: _kind(
        A.EXPIRING_SOON,
        W,
        "low",
        False,
        tr_noop("alert setting\x04Credit expiring soon"),
        tr_noop("credit expires soon"),
        tr_noop("alert code\x04expiring_soon"),
    ),
    A.RUNS_OUT_SOON: _kind(
        A.RUNS_OUT_SOON,
        W,
        "low",
        False,
        tr_noop("alert setting\x04Credit runs out soon (forecast)"),
        tr_noop("credit runs out soon"),
        tr_noop("alert code\x04runs_out_soon"),
    ),
    A.WILL_EXPIRE_UNUSED: _kind(
        A.WILL_EXPIRE_UNUSED,
        W,
        "low",
        False,
        tr_noop("alert setting\x04Credit will expire unused (forecast)"),
        tr_noop("credit will expire unused"),
        tr_noop("alert code\x04will_expire_unused"),
    ),
    A.SECOND_ACCOUNT: _kind(
        A.SECOND_ACCOUNT,
        C,
        "low",
        True,
        tr_noop("alert setting\x04Second account detected"),
        tr_noop("second account detected"),
        tr_noop("alert code\x04second_account"),
    ),
    A.SAME_LOGIN: _kind(
        A.SAME_LOGIN,
        W,
        "low",
        False,
        tr_noop("alert setting\x04Two keys of one login"),
        tr_noop("two keys of one login"),
        tr_noop("alert code\x04same_login"),
    ),
    A.NO_TRIAL_CREDIT: _kind(
        A.NO_TRIAL_CREDIT,
        W,
        "low",
        False,
        tr_noop("alert setting\x04No trial credit"),
        tr_noop("no trial credit"),
        tr_noop("alert code\x04no_trial_credit"),
    ),
    A.IDENTITY_CHANGED: _kind(
        A.IDENTITY_CHANGED,
        W,
        None,
        False,
        tr_noop("alert setting\x04Key owner changed"),
        tr_noop("key owner changed"),
        tr_noop("alert code\x04identity_changed"),
    ),
    A.KEY_INVALID: _kind(
        A.KEY_INVALID,
        C,
        "error",
        True,
        tr_noop("alert setting\x04Key rejected"),
        tr_noop("key rejected"),
        tr_noop("alert code\x04key_invalid"),
    ),
    A.SPEND_LIMIT: _kind(
        A.SPEND_LIMIT,
        C,
        "zero",
        True,
        tr_noop("alert setting\x04Spend limit reached"),
        tr_noop("spend limit reached"),
        tr_noop("alert code\x04spend_limit"),
    ),
    A.STALE: _kind(
        A.STALE,
        W,
        None,
        False,
        tr_noop("alert setting\x04Data is old"),
        tr_noop("data is old"),
        tr_noop("alert code\x04stale"),
    ),
}
del C, W, A


def kind_of(code: str) -> AlertKind | None:
    """The table's row for a code (a string read back, or an AlertCode); None for a code this version lacks."""
    try:
        return ALERTS[AlertCode(code)]
    except ValueError:
        return None
