"""OpenRouter /credits that contradicts /key: the key's own figures are kept and the doubtful source is named.

The shape: openchamber/openchamber#3411 (2026-09-07), reproduced against a real funded key, both calls seconds
apart: `GET /api/v1/key` → usage 3.17561396, usage_monthly 3.17561396, limit 30, limit_remaining 29.9999982,
limit_reset "daily", is_management_key false; `GET /api/v1/credits` with that same normal key → HTTP 200
`{"total_credits": 0, "total_usage": 0}` instead of the documented 403. The app took min(29.9999982, 0) = 0 and
raised credit_zero for a funded key.
"""

from __future__ import annotations

from decimal import Decimal

from pytest_httpserver import HTTPServer

from trayapp.core.models import AccountState, Settings, Snapshot
from trayapp.core.rules import credit_alerts
from trayapp.providers import catalog

from .conftest import KEY, NOW, base, request_for

D = Decimal
# A normal key entered as the management key: exactly what the source did. A canary, not a real key.
NOT_MANAGEMENT = "sk-or-v1-NORMAL-AS-MANAGEMENT-CANARY-0123"
ZEROS = {"data": {"total_credits": 0, "total_usage": 0}}


def funded_key(**fields: object) -> dict[str, object]:
    """/key as openchamber#3411 quotes it (its other fields as OpenRouter documents them)."""
    data: dict[str, object] = {
        "label": "sk-or-v1-abc...123",
        "limit": 30,
        "limit_remaining": 29.9999982,
        "limit_reset": "daily",
        "include_byok_in_limit": False,
        "usage": 3.17561396,
        "usage_daily": 0.0000018,
        "usage_weekly": 3.17561396,
        "usage_monthly": 3.17561396,
        "is_free_tier": False,
        "is_management_key": False,
    }
    data.update(fields)
    return {"data": data}


def read(server: HTTPServer, key: object, credits: object) -> tuple[Snapshot, list[str]]:
    server.expect_request("/api/v1/key", headers={"Authorization": f"Bearer {KEY}"}).respond_with_json(key)
    server.expect_request("/api/v1/credits", headers={"Authorization": f"Bearer {NOT_MANAGEMENT}"}).respond_with_json(
        credits
    )
    req = request_for("openrouter", base(server, "/api/v1"), secrets={"api": KEY, "management": NOT_MANAGEMENT})
    snap = catalog.load("openrouter").fetch(req).snapshot
    codes = [a.code for a in credit_alerts(req.account, AccountState(last_good=snap), Settings(), NOW)]
    return snap, codes


def test_zeros_from_credits_do_not_zero_a_funded_key(server: HTTPServer) -> None:
    """openchamber#3411 as reported: the key's limit_remaining is the figure, no credit_zero alert."""
    snap, codes = read(server, funded_key(), ZEROS)
    assert snap.remaining == D("29.9999982") and snap.unknown_reason is None
    assert "credit_zero" not in codes
    doubt = next(n for n in snap.notes if "/credits" in n)
    assert "contradict" in doubt and "has used $3.17561396" in doubt
    assert "probably a normal API key" in doubt
    assert not any("below this key's remaining limit" in n for n in snap.notes)  # no min() with the zeros
    assert NOT_MANAGEMENT not in repr(snap) and KEY not in repr(snap)


def test_zeros_from_credits_for_a_key_without_limit_are_unknown_not_zero(server: HTTPServer) -> None:
    """The same zeros for a key with no limit of its own (openchamber#3411's key, its limit removed): the only
    other source of a number is the doubtful one, so the remaining credit is unknown, with the reason."""
    snap, codes = read(server, funded_key(limit=None, limit_remaining=None, limit_reset=None), ZEROS)
    assert snap.remaining is None
    assert snap.unknown_reason is not None and "contradicts" in snap.unknown_reason
    assert any("probably a normal API key" in n for n in snap.notes)
    assert codes == [] and snap.used == D("3.17561396")


def test_zeros_for_a_paid_account_key_that_has_not_spent_yet(server: HTTPServer) -> None:
    """A fresh key on a paid account (is_free_tier false: OpenRouter's "has paid for credits before") with its
    limit untouched: the account cannot have $0 credits in total, so the key's $30 is kept."""
    key = funded_key(limit_remaining=30, usage=0, usage_daily=0, usage_weekly=0, usage_monthly=0)
    snap, codes = read(server, key, ZEROS)
    assert snap.remaining == D("30") and "credit_zero" not in codes
    assert any("not on the free tier" in n for n in snap.notes)


def test_zeros_that_agree_with_the_key_are_believed(server: HTTPServer) -> None:
    """Zeros that nothing in /key contradicts (a free-tier key that never spent) stay the account balance: $0,
    credit_zero. Only a contradiction makes a source doubtful."""
    key = funded_key(
        limit=None, limit_remaining=None, limit_reset=None, usage=0, usage_daily=0, usage_weekly=0, usage_monthly=0
    )
    key["data"]["is_free_tier"] = True  # type: ignore[index]
    snap, codes = read(server, key, ZEROS)
    assert snap.remaining == D("0") and codes == ["credit_zero"]
    assert not any("contradict" in n for n in snap.notes)


def test_a_real_management_key_balance_is_still_combined(server: HTTPServer) -> None:
    """A /credits answer that does not contradict /key (OpenRouter's documented shape) keeps today's rule:
    the smaller of the key's limit left and the account balance (Appsilon/mediforce#767: requests 402 at the
    lower one)."""
    snap, _ = read(server, funded_key(), {"data": {"total_credits": 10, "total_usage": 9.87}})
    assert snap.remaining == D("0.13")
    assert any("below this key's remaining limit" in n for n in snap.notes)
