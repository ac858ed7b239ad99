"""OpenRouter /api/v1/key (+ /credits) and one-api/new-api relays, through a real loopback server."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from pytest_httpserver import HTTPServer

from trayapp.core.errors import BadResponse, ProviderError
from trayapp.core.models import AccountState, ErrorKind, Settings
from trayapp.core.rules import credit_alerts
from trayapp.providers import catalog
from trayapp.providers.relay import billing_path

from .conftest import KEY, NOW, base, fetch, request_for

D = Decimal
MGMT = "sk-or-v1-MANAGEMENT-CANARY-abcdef0123"
OR_KEY = "/api/v1/key"
OR_CREDITS = "/api/v1/credits"


def key_data(**fields: object) -> dict[str, object]:
    data: dict[str, object] = {
        "label": "sk-or-v1-au7...890",
        "limit": 100,
        "limit_remaining": 74.5,
        "limit_reset": "monthly",
        "usage": 25.5,
        "usage_daily": 25.5,
        "is_free_tier": False,
        "is_management_key": False,
        "expires_at": "2027-12-31T23:59:59Z",
        "rate_limit": {"requests": 1000, "interval": "1h"},
    }
    data.update(fields)
    return {"data": data}


def serve_key(server: HTTPServer, body: object) -> None:
    server.expect_request(OR_KEY, headers={"Authorization": f"Bearer {KEY}"}).respond_with_json(body)


def serve_credits(server: HTTPServer, body: object, status: int = 200) -> None:
    server.expect_request(OR_CREDITS, headers={"Authorization": f"Bearer {MGMT}"}).respond_with_json(
        body, status=status
    )


def openrouter(server: HTTPServer, management: bool = False):  # type: ignore[no-untyped-def]
    secrets = {"api": KEY, "management": MGMT} if management else {"api": KEY}
    return fetch("openrouter", base(server, "/api/v1"), secrets=secrets).snapshot


# ---------------------------------------------------------------- OpenRouter


def test_openrouter_key_with_limit(server: HTTPServer) -> None:
    serve_key(server, key_data())
    snap = openrouter(server)
    assert (snap.currency, snap.remaining, snap.used) == ("USD", D("74.5"), D("25.5"))
    assert snap.remaining_granted is None and snap.remaining_paid is None  # no split at OpenRouter
    assert any("resets monthly" in n for n in snap.notes)
    assert [r.path for r, _ in server.log] == [OR_KEY]  # no management key: /credits is not asked


def test_openrouter_no_limit_no_management_key_is_unknown_never_zero(server: HTTPServer) -> None:
    serve_key(server, key_data(limit=None, limit_remaining=None, limit_reset=None))
    snap = openrouter(server)
    assert snap.remaining is None
    assert snap.unknown_reason is not None and "management key" in snap.unknown_reason


def test_openrouter_management_key_reads_the_account_balance(server: HTTPServer) -> None:
    serve_key(server, key_data(limit=None, limit_remaining=None))
    serve_credits(server, {"data": {"total_credits": 100.5, "total_usage": 25.75}})
    snap = openrouter(server, management=True)
    assert snap.remaining == D("74.75") and snap.unknown_reason is None
    credits_request = next(r for r, _ in server.log if r.path == OR_CREDITS)
    assert credits_request.headers["Authorization"] == f"Bearer {MGMT}"


def test_openrouter_key_limit_above_balance_shows_the_balance(server: HTTPServer) -> None:
    serve_key(server, key_data(limit=100, limit_remaining=80))
    serve_credits(server, {"data": {"total_credits": "10", "total_usage": "7.5"}})
    snap = openrouter(server, management=True)
    assert snap.remaining == D("2.5")
    assert any("below this key's remaining limit" in n for n in snap.notes)


def test_openrouter_403_on_credits_names_the_management_key(server: HTTPServer) -> None:
    serve_key(server, key_data())
    serve_credits(server, {"error": {"message": "Only management keys can perform this operation", "code": 403}}, 403)
    with pytest.raises(ProviderError) as info:
        openrouter(server, management=True)
    err = info.value
    assert err.kind is ErrorKind.PERMISSION and err.title == "Management key refused"
    assert "management key" in err.message and "Only management keys" in err.message
    assert MGMT not in err.message and KEY not in err.message


def test_openrouter_free_tier_flag(server: HTTPServer) -> None:
    serve_key(server, key_data(limit=None, limit_remaining=None, usage=0, is_free_tier=True))
    snap = openrouter(server)
    assert "free_tier" in snap.flags and snap.remaining is None


def test_openrouter_exhausted_key_limit_is_credit_zero(server: HTTPServer) -> None:
    serve_key(server, key_data(limit=5, limit_remaining=0, usage=5))
    req = request_for("openrouter", base(server, "/api/v1"))
    snap = catalog.load("openrouter").fetch(req).snapshot
    assert snap.remaining == D("0")
    assert [a.code for a in credit_alerts(req.account, AccountState(last_good=snap), Settings(), NOW)] == [
        "credit_zero"
    ]


@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        ({"label": "x"}, "data", "is missing"),
        (key_data(limit="100 dollars"), "data.limit", "not a number"),
        # A limit that never resets, without limit_remaining or usage: nothing to read it from. (One that resets
        # is not malformed without them: its window's usage may be missing; test_openrouter_limits.py.)
        (key_data(limit_remaining=None, usage=None, limit_reset=None), "data.limit_remaining", "is missing although"),
        (key_data(is_free_tier="no"), "data.is_free_tier", "not true or false"),
        (key_data(usage=-3), "data.usage", "negative"),
    ],
)
def test_openrouter_malformed(server: HTTPServer, body: object, field: str, problem: str) -> None:
    serve_key(server, body)
    with pytest.raises(BadResponse) as info:
        openrouter(server)
    assert info.value.title == "Unexpected answer from OpenRouter"
    assert f"GET /api/v1/key: field '{field}'" in info.value.message and problem in info.value.message


def test_openrouter_credits_malformed_names_the_field(server: HTTPServer) -> None:
    serve_key(server, key_data())
    serve_credits(server, {"data": {"total_credits": 10}})
    with pytest.raises(BadResponse) as info:
        openrouter(server, management=True)
    assert "GET /api/v1/credits: field 'data.total_usage' is missing" in info.value.message


# ---------------------------------------------------------------- relays


SUB = "/v1/dashboard/billing/subscription"
USAGE = "/v1/dashboard/billing/usage"


def subscription(hard: object, access_until: object = 0) -> dict[str, object]:
    return {
        "object": "billing_subscription",
        "has_payment_method": True,
        "soft_limit_usd": hard,
        "hard_limit_usd": hard,
        "system_hard_limit_usd": hard,
        "access_until": access_until,
    }


def one_api_routes(server: HTTPServer, status: object = None) -> None:
    """one-api has no /api/usage/token: its NoRoute answers 404 (router/web.go, controller/relay.go RelayNotFound)."""
    server.expect_request("/api/usage/token").respond_with_json(
        {"error": {"message": "Invalid URL (GET /api/usage/token)", "type": "invalid_request_error"}}, status=404
    )
    if status is None:
        server.expect_request("/api/status").respond_with_json({"error": {"message": "not found"}}, status=404)
    else:
        server.expect_request("/api/status").respond_with_json(status)


# new-api's status (controller/misc.go GetStatus): its dashboard reports remaining + used in either setting.
NEW_API_STATUS = {"success": True, "data": {"version": "v0.4.0", "quota_per_unit": 500000, "enable_drawing": True}}


def serve_relay(
    server: HTTPServer, sub: object, usage: object, prefix: str = "", status: object = NEW_API_STATUS
) -> None:
    auth = {"Authorization": f"Bearer {KEY}"}
    one_api_routes(server, status)
    server.expect_request(prefix + SUB, headers=auth).respond_with_json(sub)
    server.expect_request(prefix + USAGE, headers=auth).respond_with_json(usage)


def test_billing_path_with_and_without_v1() -> None:
    assert billing_path("https://relay.example/v1", "usage") == "/dashboard/billing/usage"
    assert billing_path("https://relay.example", "usage") == "/v1/dashboard/billing/usage"
    assert billing_path("https://relay.example/openai", "usage") == "/v1/dashboard/billing/usage"


@pytest.mark.parametrize("suffix", ["", "/v1"])
def test_relay_remaining_is_quota_minus_usage(server: HTTPServer, suffix: str) -> None:
    serve_relay(server, subscription(20.5), {"object": "list", "total_usage": 1234})
    snap = fetch("openai-compatible", base(server, suffix)).snapshot
    assert (snap.currency, snap.remaining, snap.used) == ("USD", D("8.16"), D("12.34"))
    assert snap.expires_at is None  # access_until 0 = never


def test_relay_expiry_and_cny_setting(server: HTTPServer) -> None:
    serve_relay(server, subscription("50", 1798761600), {"total_usage": "500"})
    snap = fetch("openai-compatible", base(server, "/v1"), currency="CNY").snapshot
    assert (snap.currency, snap.remaining) == ("CNY", D("45"))
    assert snap.expires_at == datetime(2027, 1, 1, tzinfo=UTC)
    assert "blocked" not in snap.flags


def test_relay_expired_key_is_blocked(server: HTTPServer) -> None:
    serve_relay(server, subscription(10, 1700000000), {"total_usage": 0})
    snap = fetch("openai-compatible", base(server)).snapshot
    assert {"expired", "blocked"} <= snap.flags and snap.remaining == D("10")


def test_relay_unlimited_is_unknown_not_a_huge_number(server: HTTPServer) -> None:
    serve_relay(server, subscription(100000000), {"total_usage": 4200})
    snap = fetch("openai-compatible", base(server)).snapshot
    assert snap.remaining is None and "unlimited" in snap.flags
    assert snap.unknown_reason is not None and "unlimited" in snap.unknown_reason
    assert snap.used == D("42")


def test_relay_used_up_is_credit_zero(server: HTTPServer) -> None:
    serve_relay(server, subscription(5), {"total_usage": 500})
    req = request_for("openai-compatible", base(server))
    snap = catalog.load("openai-compatible").fetch(req).snapshot
    assert snap.remaining == D("0")
    assert [a.code for a in credit_alerts(req.account, AccountState(last_good=snap), Settings(), NOW)] == [
        "credit_zero"
    ]


def test_relay_exhausted_token_refusal_is_quota(server: HTTPServer) -> None:
    # one-api answers 401 with this message when the token's quota is used up.
    one_api_routes(server)
    server.expect_request(SUB).respond_with_json(
        {"error": {"message": "该令牌额度已用尽 (request id: 2026)", "type": "one_api_error"}}, status=401
    )
    with pytest.raises(ProviderError) as info:
        fetch("openai-compatible", base(server))
    assert info.value.kind is ErrorKind.QUOTA


def test_relay_error_object_with_200(server: HTTPServer) -> None:
    one_api_routes(server)
    server.expect_request(SUB).respond_with_json({"error": {"message": "invalid token", "type": "new_api_error"}})
    with pytest.raises(ProviderError) as info:
        fetch("openai-compatible", base(server))
    assert "invalid token" in info.value.message and "GET /v1/dashboard/billing/subscription" in info.value.message


@pytest.mark.parametrize(
    ("sub", "usage", "field", "endpoint"),
    [
        ({"object": "billing_subscription"}, {"total_usage": 0}, "hard_limit_usd", SUB),
        (subscription(-1), {"total_usage": 0}, "hard_limit_usd", SUB),
        (subscription(10, "never"), {"total_usage": 0}, "access_until", SUB),
        (subscription(10, -5), {"total_usage": 0}, "access_until", SUB),
        (subscription(10), {"object": "list"}, "total_usage", USAGE),
        (subscription(10), {"total_usage": "1,000"}, "total_usage", USAGE),
    ],
)
def test_relay_malformed(server: HTTPServer, sub: object, usage: object, field: str, endpoint: str) -> None:
    serve_relay(server, sub, usage)
    with pytest.raises(BadResponse) as info:
        fetch("openai-compatible", base(server))
    assert info.value.title == "Unexpected answer from OpenAI-compatible relay (one-api / new-api)"
    assert f"GET {endpoint}: field '{field}'" in info.value.message


def test_relay_needs_a_base_url() -> None:
    with pytest.raises(ProviderError) as info:
        fetch("openai-compatible", None)
    assert info.value.kind is ErrorKind.CONFIG and "base URL" in info.value.message
