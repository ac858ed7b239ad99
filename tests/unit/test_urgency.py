"""The one order of accounts (rules.urgency_key via monitor.by_urgency) that the menu, the glance, the icon
and the grouped notification all use: what needs the user first comes first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from trayapp.core.models import Account, AccountState, ErrorKind, FetchError, FetchResult, Identity, Settings, Snapshot
from trayapp.core.monitor import Monitor, by_urgency, most_urgent

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def account(id_: str, provider: str = "deepseek", days_old: int = 30) -> Account:
    return Account(id_, provider, id_.title(), NOW - timedelta(days=days_old))


def snap(id_: str, remaining: str, **kw) -> Snapshot:
    return Snapshot(id_, NOW, kw.pop("currency", "USD"), Decimal(remaining), **kw)


def order(accounts: list[Account], results: list[FetchResult], states: dict[str, AccountState] | None = None):
    monitor = Monitor(accounts, Settings(), states)
    monitor.apply(results, NOW)
    return [v.account.id for v in by_urgency(monitor.views(NOW))]


def test_zero_then_rejected_key_then_second_account_then_low_then_unknown_then_healthy() -> None:
    phone = "hash-of-one-phone"
    old = Identity(user_id="u1", created=NOW - timedelta(days=400), phone_hash=phone)
    new = Identity(user_id="u2", created=NOW - timedelta(days=10), phone_hash=phone)
    accounts = [
        account("healthy"),
        account("unknown"),
        account("low"),
        account("first", "openai"),
        account("second", "openai", days_old=10),
        account("rejected"),
        account("zero"),
    ]
    results = [
        FetchResult("healthy", snap("healthy", "80")),
        FetchResult("unknown", Snapshot("unknown", NOW, "USD", None, unknown_reason="not reported")),
        FetchResult("low", snap("low", "1.50")),
        FetchResult("first", snap("first", "20", identity=old, granted_total=Decimal("5"))),
        FetchResult("second", snap("second", "3", identity=new, granted_total=Decimal("0"))),
        FetchResult("rejected", error=FetchError(ErrorKind.AUTH, "Key rejected", "401")),
        FetchResult("zero", snap("zero", "0")),
    ]
    assert order(accounts, results) == ["zero", "rejected", "second", "low", "unknown", "healthy", "first"]


def test_equally_urgent_accounts_keep_the_configured_order_except_the_nearer_expiry() -> None:
    accounts = [account("a"), account("b"), account("c")]
    results = [
        FetchResult("a", snap("a", "50", expires_at=NOW + timedelta(days=60))),
        FetchResult("b", snap("b", "50")),
        FetchResult("c", snap("c", "50", expires_at=NOW + timedelta(days=30))),
    ]
    assert order(accounts, results) == ["c", "a", "b"]
    monitor = Monitor(accounts, Settings())
    monitor.apply(results, NOW)
    assert most_urgent(monitor.views(NOW)).account.id == "c"  # the icon shows the first of that order


def test_old_data_alone_does_not_outrank_a_real_problem() -> None:
    accounts = [account("old"), account("low")]
    then = NOW - timedelta(days=2)
    states = {"old": AccountState(last_good=Snapshot("old", then, "USD", Decimal("40")), last_attempt_at=then)}
    results = [FetchResult("low", snap("low", "2"))]
    assert order(accounts, results, states) == ["low", "old"]
