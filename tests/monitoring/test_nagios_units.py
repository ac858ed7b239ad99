"""The performance data as the guidelines and Icinga parse it, for labels users really type: quotes and
equals signs (Icinga's guidelines: "Labels must not include ' and = characters",
https://icinga.com/docs/developer-guidelines/latest/doc/300-plugins/304-performance-data-metrics/), line
breaks, two accounts with one label, amounts with many decimals or an exponent, a per-currency threshold,
an unknown value (absent)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from trayapp.core.models import Account, AccountState, Settings, Snapshot
from trayapp.core.monitor import Monitor
from trayapp.monitoring.nagios import Thresholds, parse_thresholds, perfdata

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def account(account_id: str, label: str) -> Account:
    return Account(id=account_id, provider="deepseek", label=label, created_at=NOW - timedelta(days=30))


def reading(account_id: str, remaining: str | None, currency: str = "CNY", expires: int | None = None) -> AccountState:
    snap = Snapshot(
        account_id=account_id,
        checked_at=NOW,
        currency=currency,
        remaining=None if remaining is None else Decimal(remaining),
        expires_at=NOW + timedelta(days=expires) if expires is not None else None,
        unknown_reason=None if remaining is not None else "the provider does not report it",
    )
    return AccountState(last_good=snap, last_attempt_at=NOW)


def test_labels_numbers_and_thresholds() -> None:
    accounts = [
        account("a-1", "Bob's key=prod"),
        account("a-2", "Team"),
        account("a-3", "Team"),
        account("a-4", "Unknowable"),
        account("a-5", "OpenRouter\nwork"),
    ]
    states = {
        "a-1": reading("a-1", "16.751234567", "USD", expires=3),
        "a-2": reading("a-2", "1E+2"),
        "a-3": reading("a-3", "-4.20"),
        "a-4": reading("a-4", None),
        "a-5": reading("a-5", "0.000"),
    }
    settings = Settings(low_credit_threshold=Decimal("5"), low_credit_thresholds={"CNY": Decimal("35.5")})
    views = Monitor(accounts, settings, states).views(NOW)
    perf = perfdata(views, settings, Thresholds())
    assert re.findall(r"'[^']*'=\S+", perf) == [
        "'Bob s key prod USD'=16.751234567;@~:5;@~:0;0",
        "'Bob s key prod expiry'=3d;@~:7;;0",
        "'Team CNY'=100;@~:35.5;@~:0;0",
        "'Team CNY a-3'=-4.2;@~:35.5;@~:0;0",  # the same label twice: the id keeps them apart
        "'OpenRouter work CNY'=0;@~:35.5;@~:0;0",
    ]
    assert perf == " ".join(re.findall(r"'[^']*'=\S+", perf))  # nothing else, one space apart


def test_parse_thresholds() -> None:
    assert parse_thresholds(["2.50", "14d"], ["0.5", "3 days"]) == Thresholds(
        warn_amount=Decimal("2.50"), crit_amount=Decimal("0.5"), warn_days=14, crit_days=3
    )
