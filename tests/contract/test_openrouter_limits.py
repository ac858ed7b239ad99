"""OpenRouter key limits that reset (limit_reset daily/weekly/monthly): measured against the current window.

OpenRouter documents /key as (openrouter.ai/docs/api-reference/limits): `limit` (null = unlimited),
`limit_reset` (daily, weekly, monthly or null; resets at midnight UTC, weeks from Monday), `limit_remaining`,
`usage` ("all time"), `usage_daily` / `usage_weekly` / `usage_monthly` (current UTC day, week, month).
Real answers used here:
- steipete/CodexBar#2605 (2026-08-03), a redacted live answer: limit 500, limit_remaining 454.542594979,
  limit_reset "monthly", usage 433.286754736, usage_daily 3.404645509, usage_weekly 3.404645509,
  usage_monthly 45.457405021. 500 − lifetime usage showed $66.71 left instead of $454.54.
- robinebers/openusage#1072 (2026-08-01) and slkiser/opencode-quota#262 (2026-09-08): daily / monthly limits
  whose lifetime usage exceeds the limit showed "limit reached" ($140.67 of $100.00).
- docs.rs openrouter 0.2.0, responses/key.json: an answer without limit_reset nor any usage_* field (older
  shape), so a window's usage can be absent.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from pytest_httpserver import HTTPServer

from trayapp.core.models import AccountState, Settings, Snapshot
from trayapp.core.rules import credit_alerts
from trayapp.providers import catalog

from .conftest import KEY, NOW, base, request_for

D = Decimal
MGMT = "sk-or-v1-MANAGEMENT-CANARY-abcdef0123"

CODEXBAR_2605: dict[str, object] = {
    "limit": 500,
    "limit_remaining": 454.542594979,
    "limit_reset": "monthly",
    "usage": 433.286754736,
    "usage_daily": 3.404645509,
    "usage_weekly": 3.404645509,
    "usage_monthly": 45.457405021,
}


def key(fields: dict[str, object], **changes: object) -> dict[str, object]:
    data = {"label": "sk-or-v1-abc...123", "is_free_tier": False, **fields, **changes}
    return {"data": {k: v for k, v in data.items() if v is not ...}}  # `...` drops a field


def read(server: HTTPServer, body: object, credits: object | None = None) -> tuple[Snapshot, list[str]]:
    server.expect_request("/api/v1/key", headers={"Authorization": f"Bearer {KEY}"}).respond_with_json(body)
    secrets = {"api": KEY}
    if credits is not None:
        server.expect_request("/api/v1/credits", headers={"Authorization": f"Bearer {MGMT}"}).respond_with_json(credits)
        secrets["management"] = MGMT
    req = request_for("openrouter", base(server, "/api/v1"), secrets=secrets)
    snap = catalog.load("openrouter").fetch(req).snapshot
    return snap, [a.code for a in credit_alerts(req.account, AccountState(last_good=snap), Settings(), NOW)]


def test_limit_remaining_is_the_figure(server: HTTPServer) -> None:
    """CodexBar#2605 as answered: OpenRouter's limit_remaining, not 500 − lifetime usage."""
    snap, codes = read(server, key(CODEXBAR_2605))
    assert snap.remaining == D("454.542594979") and codes == []
    assert snap.used == D("433.286754736")  # lifetime, labelled as used


def test_monthly_limit_without_limit_remaining_uses_this_months_usage(server: HTTPServer) -> None:
    """CodexBar#2605 without limit_remaining (the fallback CodexBar#2612 added): 500 − usage_monthly."""
    snap, codes = read(server, key(CODEXBAR_2605, limit_remaining=...))
    assert snap.remaining == D("454.542594979") and snap.unknown_reason is None and codes == []
    assert any("its usage this month (UTC)" in n for n in snap.notes)


def test_daily_limit_spent_yesterday_is_not_reached_today(server: HTTPServer) -> None:
    """openusage#1072: a $10 daily limit, $9 spent yesterday and $5 today (lifetime $14): $5 left, not −$4."""
    body = key(
        {"limit": 10, "limit_reset": "daily", "usage": 14, "usage_daily": 5, "usage_weekly": 14, "usage_monthly": 14}
    )
    snap, codes = read(server, body)
    assert snap.remaining == D("5") and codes != ["credit_zero"]
    assert any("its usage today (UTC)" in n for n in snap.notes)


@pytest.mark.parametrize(
    ("reset", "field"), [("daily", "usage_daily"), ("weekly", "usage_weekly"), ("monthly", "usage_monthly")]
)
def test_resetting_limit_without_its_windows_usage_is_unknown(server: HTTPServer, reset: str, field: str) -> None:
    """The older /key shape (docs.rs openrouter key.json: no usage_* fields) with a resetting limit and no
    limit_remaining: nothing tells this window's usage, so unknown with the reason, never limit − lifetime."""
    body = key({"limit": 100, "limit_reset": reset, "usage": 140.67})  # opencode-quota#262's lifetime figure
    snap, codes = read(server, body)
    assert snap.remaining is None and codes != ["credit_zero"]
    assert snap.unknown_reason is not None
    assert field in snap.unknown_reason and "lifetime usage" in snap.unknown_reason


def test_unknown_reset_period_is_unknown(server: HTTPServer) -> None:
    """limit_reset is an open enum in OpenRouter's SDKs ("Unrecognized values are captured"): a period not
    known here is not guessed."""
    snap, _ = read(server, key({"limit": 100, "limit_reset": "yearly", "usage": 20, "usage_monthly": 5}))
    assert snap.remaining is None
    assert snap.unknown_reason is not None and "'yearly'" in snap.unknown_reason


def test_unknown_window_with_an_account_balance_stays_unknown(server: HTTPServer) -> None:
    """The account balance is no stand-in for what the key's limit leaves (the key may have less): unknown,
    and the balance said in the notes."""
    snap, _ = read(
        server,
        key({"limit": 100, "limit_reset": "weekly", "usage": 140.67}),
        {"data": {"total_credits": 500, "total_usage": 200}},
    )
    assert snap.remaining is None and snap.unknown_reason is not None
    assert any("The account balance is $300" in n for n in snap.notes)


def test_limit_that_never_resets_still_subtracts_lifetime_usage(server: HTTPServer) -> None:
    """No limit_reset: the limit is for the key's whole life, so lifetime usage is the right one to subtract
    (docs.rs openrouter key.json's shape, its limit_remaining left out)."""
    snap, _ = read(server, key({"limit": 5, "usage": 0.1015644762, "limit_reset": None}))
    assert snap.remaining == D("4.8984355238")
    assert any("limit minus usage." in n for n in snap.notes)
