from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from trayapp.core import rules
from trayapp.core.identity import hash_email, hash_phone, normalise_email
from trayapp.core.models import (
    Account,
    AccountState,
    ErrorKind,
    FetchError,
    Grant,
    Identity,
    Settings,
    Severity,
    Snapshot,
    Status,
)

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
SALT = "0123456789abcdef0123"


def acct(id_: str, provider: str = "openai", days_old: int = 10, **kw) -> Account:
    return Account(id=id_, provider=provider, label=id_.title(), created_at=NOW - timedelta(days=days_old), **kw)


def good(id_: str, remaining: str | None, *, age_min: int = 0, **kw) -> AccountState:
    snap = Snapshot(
        id_,
        NOW - timedelta(minutes=age_min),
        currency=kw.pop("currency", "USD"),
        remaining=None if remaining is None else Decimal(remaining),
        **kw,
    )
    return AccountState(last_good=snap, last_attempt_at=snap.checked_at)


def codes(alerts) -> set[str]:
    return {a.code for a in alerts}


# ---------------------------------------------------------------- credit alerts


def test_zero_credit_is_critical_and_low_credit_a_warning_per_currency() -> None:
    settings = Settings(low_credit_threshold=Decimal("5"), low_credit_thresholds={"CNY": Decimal("30")})
    zero = rules.credit_alerts(acct("a"), good("a", "0"), settings, NOW)
    assert [(a.code, a.severity) for a in zero] == [("credit_zero", Severity.CRITICAL)]
    assert codes(rules.credit_alerts(acct("b"), good("b", "4.99"), settings, NOW)) == {"credit_low"}
    assert codes(rules.credit_alerts(acct("c"), good("c", "5.01"), settings, NOW)) == set()
    assert codes(rules.credit_alerts(acct("d"), good("d", "25", currency="CNY"), settings, NOW)) == {"credit_low"}


def test_unknown_remaining_raises_no_credit_alert_and_is_status_unknown() -> None:
    state = good("a", None, unknown_reason="not readable with this key")
    assert rules.credit_alerts(acct("a"), state, Settings(), NOW) == []
    assert rules.status_of(state, Settings(), NOW) is Status.UNKNOWN


def test_blocked_flag_or_quota_error_means_zero_even_with_a_balance() -> None:
    blocked = good("a", "12", flags=frozenset({"blocked"}))
    assert codes(rules.credit_alerts(acct("a"), blocked, Settings(), NOW)) == {"credit_zero"}
    quota = replace(good("b", "3"), last_error=FetchError(ErrorKind.QUOTA, "t", "insufficient_quota"))
    assert "credit_zero" in codes(rules.credit_alerts(acct("b"), quota, Settings(), NOW))


def test_expiring_soon_within_the_warning_window_only() -> None:
    settings = Settings(expiry_warning_days=7)
    soon = good("a", "10", expires_at=NOW + timedelta(days=6, hours=1))
    later = good("b", "10", expires_at=NOW + timedelta(days=8, hours=1))
    assert codes(rules.credit_alerts(acct("a"), soon, settings, NOW)) == {"expiring_soon"}
    assert codes(rules.credit_alerts(acct("b"), later, settings, NOW)) == set()
    assert rules.days_to_expiry(NOW + timedelta(days=6, hours=1), NOW) == 7


def test_key_invalid_is_critical() -> None:
    state = AccountState(last_error=FetchError(ErrorKind.AUTH, "Key rejected", "401"))
    alerts = rules.credit_alerts(acct("a"), state, Settings(), NOW)
    assert [(a.code, a.severity) for a in alerts] == [("key_invalid", Severity.CRITICAL)]
    assert rules.status_of(state, Settings(), NOW) is Status.ERROR


def test_stale_after_three_intervals_and_failed_poll_keeps_last_good_as_stale() -> None:
    settings = Settings(poll_interval_minutes=15)
    assert rules.status_of(good("a", "10", age_min=44), settings, NOW) is Status.OK
    old = good("a", "10", age_min=46)
    assert rules.status_of(old, settings, NOW) is Status.STALE
    assert "stale" in codes(rules.credit_alerts(acct("a"), old, settings, NOW))
    failed = rules.after_failure(good("b", "10"), FetchError(ErrorKind.NETWORK, "Offline", "x"), settings, NOW)
    assert failed.last_good is not None and failed.last_good.remaining == Decimal("10")
    assert rules.status_of(failed, settings, NOW) is Status.STALE


# ---------------------------------------------------------------- identity alerts


def ident(user: str, *, phone: str | None = None, email: str | None = None, days_old: int = 10) -> Identity:
    return Identity(
        user_id=user,
        created=NOW - timedelta(days=days_old),
        phone_hash=hash_phone(SALT, phone),
        email_hash=hash_email(SALT, email),
    )


def with_identity(id_: str, identity: Identity, remaining: str = "5", **kw) -> AccountState:
    return good(id_, remaining, identity=identity, **kw)


@pytest.mark.parametrize(
    ("first_email", "second_email"),
    [
        ("Pat.Example@gmail.com", "patexample@googlemail.com"),
        ("pat.example@gmail.com", "p.a.t.example+api@gmail.com"),
        ("pat@work.example", "PAT+trial@work.example"),
    ],
)
def test_second_account_by_normalised_mailbox_goes_on_the_later_account(first_email, second_email) -> None:
    a, b = acct("first"), acct("second")
    states = {
        "first": with_identity("first", ident("user-1", email=first_email, days_old=300)),
        "second": with_identity("second", ident("user-2", email=second_email, days_old=20)),
    }
    alerts = rules.identity_alerts([b, a], states, NOW)
    second = [x for x in alerts if x.code == "second_account"]
    assert len(second) == 1 and second[0].account_id == "second"
    assert second[0].severity is Severity.CRITICAL and "First" in second[0].message


def test_dots_are_not_ignored_outside_gmail() -> None:
    assert normalise_email("pat.example@work.example") != normalise_email("patexample@work.example")
    assert normalise_email("no-at-sign") is None


def test_second_account_by_phone_and_none_without_phone_or_email() -> None:
    a, b = acct("a"), acct("b")
    same_phone = {
        "a": with_identity("a", ident("u1", phone="+1 555 010 0200", days_old=400)),
        "b": with_identity("b", ident("u2", phone="+15550100200", days_old=5)),
    }
    assert [x.account_id for x in rules.identity_alerts([a, b], same_phone, NOW) if x.code == "second_account"] == ["b"]
    nothing = {"a": with_identity("a", ident("u1")), "b": with_identity("b", ident("u2"))}
    assert [x for x in rules.identity_alerts([a, b], nothing, NOW) if x.code == "second_account"] == []


def test_second_account_only_within_one_provider() -> None:
    a, b = acct("a", provider="openai"), acct("b", provider="siliconflow")
    states = {
        "a": with_identity("a", ident("u1", phone="+15550100200")),
        "b": with_identity("b", ident("u2", phone="+15550100200")),
    }
    assert rules.identity_alerts([a, b], states, NOW) == []


def test_same_login_names_the_account_holding_the_credit() -> None:
    a, b = acct("main"), acct("alias")
    states = {
        "main": with_identity("main", ident("user-1"), remaining="18"),
        "alias": with_identity("alias", ident("user-1"), remaining="0"),
    }
    alerts = [x for x in rules.identity_alerts([a, b], states, NOW) if x.code == "same_login"]
    assert len(alerts) == 1 and alerts[0].severity is Severity.WARNING
    assert "Main" in alerts[0].message


def test_many_keys_of_one_login_or_phone_give_one_alert_of_a_kind_per_later_account() -> None:
    """Ten keys of one login (a team's): each later key says once that it shares the login, naming the first
    in the list; ten accounts on one phone: each later one is a second account of the first. One alert of a
    kind per account, as evaluate() shows them, not one per pair."""
    keys = [acct(f"k{i}") for i in range(10)]
    login = {k.id: with_identity(k.id, ident("user-1", days_old=300 - i)) for i, k in enumerate(keys)}
    alerts = [x for x in rules.identity_alerts(keys, login, NOW) if x.code == "same_login"]
    assert [x.account_id for x in alerts] == [f"k{i}" for i in range(1, 10)]
    assert all("K0" in x.message for x in alerts)
    phones = {
        k.id: with_identity(k.id, ident(f"u{i}", phone="+15550100200", days_old=300 - i)) for i, k in enumerate(keys)
    }
    second = [x for x in rules.identity_alerts(keys, phones, NOW) if x.code == "second_account"]
    assert sorted(x.account_id for x in second) == [f"k{i}" for i in range(1, 10)]
    assert all("K0" in x.message and "phone" in x.message for x in second)
    shown = rules.evaluate(keys, phones, Settings(), NOW)
    assert all([a.code for a in shown[f"k{i}"]].count("second_account") == 1 for i in range(1, 10))


def test_no_trial_credit_only_for_young_accounts_with_zero_grants_or_quota() -> None:
    young = with_identity("y", ident("u1", days_old=30), granted_total=Decimal(0))
    old = with_identity("o", ident("u2", days_old=200), granted_total=Decimal(0))
    quota = with_identity("q", ident("u3", days_old=30), flags=frozenset({"insufficient_quota"}))
    unknown = with_identity("n", ident("u4", days_old=30))
    alerts = rules.identity_alerts(
        [acct("y"), acct("o"), acct("q"), acct("n")], {"y": young, "o": old, "q": quota, "n": unknown}, NOW
    )
    assert sorted(x.account_id for x in alerts if x.code == "no_trial_credit") == ["q", "y"]


def no_trial(alerts, account_id: str) -> str:
    (alert,) = [x for x in alerts if x.code == "no_trial_credit" and x.account_id == account_id]
    return alert.message


def test_no_trial_credit_alone_is_no_accusation_of_a_second_account() -> None:
    """A new account without grants is what every OpenAI account created since mid-2025 is (prepaid billing since
    March 2024): without a shared phone, mailbox or login the alert says so, and that credit must be bought."""
    alone = {"y": with_identity("y", ident("u1", phone="+15550100200", days_old=30), granted_total=Decimal(0))}
    message = no_trial(rules.identity_alerts([acct("y")], alone, NOW), "y")
    assert "second account" not in message.replace("no sign of a second account", "")
    assert "new accounts get none any more" in message and "March 2024" in message and "mid-2025" in message
    assert "credit must be bought" in message
    other = {  # another account, but nothing shared
        **alone,
        "o": with_identity("o", ident("u2", phone="+15550100999", email="o@gmail.com", days_old=400)),
    }
    assert "no sign of a second account" in no_trial(rules.identity_alerts([acct("o"), acct("y")], other, NOW), "y")
    ja = no_trial(rules.identity_alerts([acct("y")], alone, NOW, lang="ja"), "y")
    assert "2024年3月" in ja


@pytest.mark.parametrize(
    ("first", "second", "shared"),
    [
        (ident("u1", phone="+1 555 010 0200", days_old=400), ident("u2", phone="+15550100200", days_old=20), "phone"),
        (
            ident("u1", email="pat.example@gmail.com", days_old=400),
            ident("u2", email="p.atexample+x@gmail.com"),
            "mail",
        ),
        (ident("u1", days_old=20), ident("u1", days_old=20), "login"),
    ],
)
def test_no_trial_credit_names_the_second_account_only_on_shared_evidence(first, second, shared) -> None:
    states = {
        "first": with_identity("first", first),
        "second": with_identity("second", second, granted_total=Decimal(0)),
    }
    accounts = [acct("first", days_old=300), acct("second", days_old=10)]
    message = no_trial(rules.identity_alerts(accounts, states, NOW), "second")
    assert f"shares the {shared}" in message and "of First" in message
    assert "first phone-verified account" in message


def test_identity_changed_until_acknowledged() -> None:
    state = replace(with_identity("a", ident("user-2")), known_user_id="user-1")
    assert codes(rules.identity_alerts([acct("a")], {"a": state}, NOW)) == {"identity_changed"}
    assert rules.identity_alerts([acct("a")], {"a": replace(state, known_user_id="user-2")}, NOW) == []


# ---------------------------------------------------------------- grants, exit codes, schedule, notifications


def test_user_grants_give_expiry_and_total_but_never_a_remaining() -> None:
    account = acct(
        "a",
        grants=(
            Grant(Decimal("5"), "USD", date(2026, 9, 1), date(2026, 12, 1)),
            Grant(Decimal("10"), "USD", date(2026, 1, 1), date(2026, 11, 1)),
        ),
    )
    snap = rules.apply_user_grants(account, Snapshot("a", NOW, currency="USD"), NOW)
    assert snap.expires_at == datetime(2026, 12, 1, tzinfo=UTC)
    assert snap.granted_total == Decimal("5"), "the expired grant does not count"
    assert snap.remaining is None


def test_account_state_and_exit_code_follow_the_plugin_precedence() -> None:
    warn = [rules.Alert("a", "credit_low", Severity.WARNING, "")]
    crit = [rules.Alert("a", "credit_zero", Severity.CRITICAL, "")]
    stale = [rules.Alert("a", "stale", Severity.WARNING, "")]
    state = rules.account_state
    assert state(True, []) == rules.OK
    assert state(False, []) == rules.UNKNOWN, "not read now, whatever older data there is"
    assert state(True, stale) == state(False, stale) == rules.UNKNOWN, "old data is 'could not read', not a warning"
    assert state(False, warn + stale) == rules.WARNING
    assert state(False, crit + warn) == state(True, crit) == rules.CRITICAL
    # CRITICAL > WARNING > UNKNOWN > OK (Monitoring Plugins' max_state_alt)
    for states, worst in [
        ([rules.OK], rules.OK),
        ([rules.OK, rules.UNKNOWN], rules.UNKNOWN),
        ([rules.UNKNOWN, rules.WARNING], rules.WARNING),
        ([rules.WARNING, rules.CRITICAL, rules.UNKNOWN], rules.CRITICAL),
        ([], rules.UNKNOWN),
    ]:
        assert rules.exit_code(states) == worst, states


def test_backoff_grows_with_jitter_caps_and_honours_retry_after() -> None:
    settings = Settings(poll_interval_minutes=15)
    rng = random.Random(1)
    delays = [rules.backoff(n, settings, rng=rng) for n in range(1, 12)]
    assert timedelta(seconds=48) <= delays[0] <= timedelta(seconds=72)
    assert delays[3] > delays[1] > delays[0]
    assert all(d <= rules.MAX_BACKOFF * 1.2 for d in delays)
    assert rules.backoff(1, settings, retry_after=900, rng=rng) >= timedelta(seconds=900)
    state = rules.after_failure(
        AccountState(), FetchError(ErrorKind.RATE_LIMITED, "t", "m", retry_after=300), settings, NOW, rng
    )
    assert state.failures == 1 and state.next_due_at is not None
    assert state.next_due_at >= NOW + timedelta(seconds=300)
    ok = rules.after_success(state, Snapshot("a", NOW, remaining=Decimal(1)), {}, settings, NOW)
    assert ok.failures == 0 and ok.next_due_at == NOW + timedelta(minutes=15)


def test_to_notify_is_edge_triggered_and_respects_snooze_and_disabled_kinds() -> None:
    zero = rules.Alert("a", "credit_zero", Severity.CRITICAL, "m")
    low = rules.Alert("b", "credit_low", Severity.WARNING, "m")
    fresh, notified = rules.to_notify([zero, low], set(), Settings(), NOW)
    assert fresh == [zero, low]
    fresh, notified = rules.to_notify([zero, low], notified, Settings(), NOW)
    assert fresh == []
    fresh, notified = rules.to_notify([low], notified, Settings(), NOW)  # zero cleared
    assert notified == {"b/credit_low"}
    fresh, notified = rules.to_notify([zero, low], notified, Settings(), NOW)
    assert fresh == [zero]
    snoozed = Settings(snoozed_until=NOW + timedelta(hours=1))
    assert rules.to_notify([zero], set(), snoozed, NOW) == ([], set())
    assert rules.to_notify([zero], set(), Settings(disabled_alerts=frozenset({"credit_zero"})), NOW)[0] == []


def test_money_formatting() -> None:
    assert rules.format_money(Decimal("1.5"), "USD") == "$1.50"
    assert rules.format_money(Decimal("-2"), "USD") == "-$2.00"
    assert rules.format_money(Decimal("82.4"), "CNY") == "82.40 CNY"
    assert rules.format_money(None, "USD") == "unknown"


def test_enforced_spend_limit_is_critical_and_drawn_as_empty() -> None:
    state = good("a", "40", flags=frozenset({"spend_limit_enforcing"}))
    alerts = rules.credit_alerts(acct("a"), state, Settings(), NOW)
    assert [(a.code, a.severity) for a in alerts] == [("spend_limit", Severity.CRITICAL)]
    assert rules.level_of(Status.OK, state.last_good, alerts).name == "zero"


# ---------------------------------------------------------------- the age of the data shown


def test_age_is_that_of_the_data_and_a_failed_last_try_is_said_beside_it() -> None:
    from trayapp.core.models import FetchResult
    from trayapp.core.monitor import Monitor, view_json

    three_days_ago = NOW - timedelta(days=3)
    monitor = Monitor([acct("a"), acct("b"), acct("c")], Settings())
    monitor.apply([FetchResult("a", snapshot=Snapshot("a", three_days_ago, "USD", Decimal(7)))], three_days_ago)
    monitor.apply([FetchResult("b", snapshot=Snapshot("b", NOW, "USD", Decimal(7)))], NOW)
    failed = FetchError(ErrorKind.NETWORK, "No connection", "Could not reach it.")
    monitor.apply([FetchResult("a", error=failed), FetchResult("c", error=failed)], NOW - timedelta(minutes=1))
    a, b, c = monitor.views(NOW)
    assert a.age_in(NOW) == "data from 3 days ago · last try failed 1 min ago"
    assert a.age_in(NOW, "ja") == "3日前のデータ · 1分前の取得に失敗"
    assert b.age_in(NOW) == "updated just now"
    assert b.age_in(NOW + timedelta(hours=2)) == "updated 2 h ago", "no try since: the data's age"
    assert c.age_in(NOW) == "never read · last try failed 1 min ago"
    assert c.age_in(NOW, "ja") == "未取得 · 1分前の取得に失敗"
    assert Monitor([acct("d")], Settings()).views(NOW)[0].age_in(NOW) == "never read"
    # checked_at stays the last attempt (scripts rely on it); data_at is the reading shown.
    ja, jb, jc = (view_json(v) for v in (a, b, c))
    assert (ja["checked_at"], ja["data_at"]) == ((NOW - timedelta(minutes=1)).isoformat(), three_days_ago.isoformat())
    assert jb["checked_at"] == jb["data_at"] == NOW.isoformat()
    assert (jc["checked_at"], jc["data_at"]) == ((NOW - timedelta(minutes=1)).isoformat(), None)


def test_data_age_wording() -> None:
    then = NOW - timedelta(minutes=30)
    assert rules.data_age_text(then, then, False, NOW) == "updated 30 min ago"
    assert rules.data_age_text(then, NOW, True, NOW) == "data from 30 min ago · last try failed just now"
    assert rules.data_age_text(None, None, False, NOW) == "never read"
    assert rules.data_age_text(None, NOW, True, NOW, "ja") == "未取得 · たった今の取得に失敗"


def test_verdict_summary_names_accounts_by_state_worst_first() -> None:
    from trayapp.core.models import FetchResult
    from trayapp.core.monitor import Monitor, report_exit_code, verdict_summary

    names = {"m": "Moonshot", "o": "OpenAI alias", "d": "DeepSeek", "f": "Fine"}
    accounts = [Account(i, "deepseek", label, NOW) for i, label in names.items()]
    monitor = Monitor(accounts, Settings())
    fine = [FetchResult(i, snapshot=Snapshot(i, NOW, "USD", Decimal(50))) for i in names]
    monitor.apply(fine, NOW)
    assert (report_exit_code(monitor.views(NOW)), verdict_summary(monitor.views(NOW))) == (0, "4 account(s) fine")
    assert verdict_summary(monitor.views(NOW), "ja") == "4件のアカウントは正常"
    down = FetchError(ErrorKind.SERVER, "Provider error", "It had a server error.")
    monitor.apply(
        [
            FetchResult("m", snapshot=Snapshot("m", NOW, "USD", Decimal(0))),
            FetchResult("o", snapshot=Snapshot("o", NOW, "USD", Decimal(0))),
            FetchResult("d", error=down),
        ],
        NOW,
    )
    views = monitor.views(NOW)
    assert report_exit_code(views) == rules.CRITICAL
    assert (
        verdict_summary(views)
        == "2 critical (Moonshot, OpenAI alias), 1 unknown (DeepSeek): Moonshot: no credit left ($0.00)."
    )
    monitor.lang = "ja"
    assert verdict_summary(monitor.views(NOW), "ja").startswith(
        "危険 2件（Moonshot、OpenAI alias）、不明 1件（DeepSeek）："
    )
    assert verdict_summary([]) == "no accounts configured" and report_exit_code([]) == rules.UNKNOWN
