"""Alert messages and the few words the core formats (ages, days), shared by the tray and `trayapp check`
(which has no Qt, so these cannot go through Qt's translator), made directly in a language: their Japanese
is in the one catalog of the Qt-free code (core/i18n.py). The language follows the system locale; a setting
overrides."""

from __future__ import annotations

import os
from collections.abc import Mapping

from .i18n import tr_noop, translate

LANGUAGES = ("en", "ja")

MESSAGES: dict[str, str] = {  # key -> English template; its Japanese is in the catalog (core/texts_ja.py)
    "key_invalid": tr_noop("{label}: the key was rejected ({detail})."),
    "credit_zero": tr_noop("{label}: no credit left{amount}."),
    "credit_zero_error": tr_noop("{label}: no credit left ({detail})."),
    "credit_low": tr_noop("{label}: credit is low: {left} left (warning at {threshold})."),
    "credit_critical": tr_noop("{label}: credit is low: {left} left (critical at {threshold})."),  # check --critical
    "spend_limit": tr_noop(
        "{label}: the organization reached its spend limit; requests are refused until the limit is raised or the "
        "period ends."
    ),
    "expiring_soon": tr_noop("{label}: credit expires in {days} (on {date})."),
    # The expiry of credit counted apart from the balance shown (a token pack beside a wallet: Zhipu).
    "expiring_soon_apart": tr_noop(
        "{label}: a resource pack expires in {days} (on {date}); the balance shown does not."
    ),
    "stale": tr_noop("{label}: no fresh data for {age}; showing older data."),
    "same_login": tr_noop("{a} and {b} are keys of one login; the credit is on that one account{holder}."),
    "same_login_holder": tr_noop(" (shown under {label})"),
    "second_account": tr_noop(
        "{second} is a second account: it shares the {shared} of {first}, created earlier. Free trial credit went "
        "only to the first phone-verified account."
    ),
    "shared_phone": tr_noop("phone number"),
    "shared_mailbox": tr_noop("mailbox"),
    "shared_login": tr_noop("login"),
    "shared_and": tr_noop(" and "),
    "no_trial_credit": tr_noop(
        "{label} has no trial credit: new accounts get none any more (billing is prepaid since March 2024, and "
        "accounts created since mid-2025 get no automatic credit), so credit must be bought; this alone is no sign "
        "of a second account."
    ),
    "no_trial_credit_shared": tr_noop(
        "{label} got no trial credit: it shares the {shared} of {first}, created earlier, and trial credit went only "
        "to the first phone-verified account."
    ),
    "identity_changed": tr_noop("{label}: the key now belongs to another login than before."),
    "runs_out_soon": tr_noop(
        "{label}: at the recent rate ({rate} a day) the credit runs out in {until} (around {date})."
    ),
    "will_expire_unused": tr_noop(
        "{label}: {amount} of {kind} will expire unused on {date} (at the recent rate of {rate} a day)."
    ),
    "kind_trial": tr_noop("trial credit"),
    "kind_credit": tr_noop("credit"),
    "about_days_1": tr_noop("about 1 day"),
    "about_days_n": tr_noop("about {n} days"),
    "days_0": tr_noop("less than a day"),
    "days_1": tr_noop("1 day"),
    "days_n": tr_noop("{n} days"),
    "age_min": tr_noop("{n} min"),
    "age_h": tr_noop("{n} h"),
    "age_days": tr_noop("{n} days"),
    "updated_ago": tr_noop("updated {age} ago"),
    "updated_just_now": tr_noop("updated just now"),
    "never_updated": tr_noop("never updated"),
    "never_read": tr_noop("never read"),
    "data_from": tr_noop("data from {age}"),
    "last_try_failed": tr_noop("last try failed {age}"),
    "age_ago": tr_noop("{age} ago"),
    "just_now": tr_noop("just now"),
    # When the data was read, as a clock time (`trayapp status`' tooltip: a relative age would change each minute).
    "updated_at": tr_noop("updated {time}"),
    "data_from_at": tr_noop("data from {time}"),
    "last_try_failed_at": tr_noop("last try failed at {time}"),
    "verdict_critical": tr_noop("{n} critical ({names})"),
    "verdict_warning": tr_noop("{n} warning ({names})"),
    "verdict_unknown": tr_noop("{n} unknown ({names})"),
    "verdict_detail": tr_noop("{groups}: {reason}"),
    "verdict_unread": tr_noop("{label} could not be read: {reason}."),
    "verdict_never": tr_noop("{label} has not been read yet."),
    "verdict_ok": tr_noop("{n} account(s) fine"),
    "verdict_ok_unknowable": tr_noop(
        "{n} account(s) read; {k} cannot tell the remaining credit with the keys given ({names})"
    ),
    "verdict_none": tr_noop("no accounts configured"),
    "names_sep": tr_noop(", "),
    "remaining_unknown": tr_noop("unknown"),
    "remaining_not_read": tr_noop("not read yet"),
    "remaining_error": tr_noop("error"),
}


def system_language(environ: Mapping[str, str] | None = None) -> str:
    """The language of the user's locale (LC_ALL, LC_MESSAGES, LANG, LANGUAGE), if we have it."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var, "")
        if value:
            code = value.split(":")[0].split("_")[0].split(".")[0].lower()
            return code if code in LANGUAGES else "en"
    return "en"


def resolve_language(setting: str | None, environ: Mapping[str, str] | None = None) -> str:
    if setting in LANGUAGES:
        return setting
    return system_language(environ)


def text(lang: str, key: str, **params: object) -> str:
    return translate(MESSAGES[key], lang, **params)
