"""One-api / new-api relays: every setting combination of their billing code, through a real loopback server.

What each answer means comes from the relays' source:
- songquanpeng/one-api 8df4a2670b98 (2025-02-21) controller/billing.go GetSubscription / GetUsage: with
  DisplayTokenStatEnabled off, since d548a01c (v0.6.0-alpha, 2024-02-12) `if err != nil` guards
  GetUserUsedQuota, so hard_limit_usd is the account's *remaining* quota and total_usage its lifetime usage;
  with it on, hard_limit_usd = the key's remaining + used and access_until its expiry (0 = never);
  model/token.go ValidateUserToken refuses a limited key with nothing left (401 该令牌额度已用尽).
  controller/misc.go GetStatus: version, quota_per_unit, display_in_currency; no /api/usage/token (404).
- QuantumNous/new-api b1685def6180 controller/billing.go: remaining + used in both branches; amounts ÷
  QuotaPerUnit (USD), × USDExchangeRate (CNY) or raw (TOKENS). controller/token.go GetTokenUsage:
  `{"code": true, "data": {"object": "token_usage", "total_granted", "total_used", "total_available",
  "unlimited_quota", "model_limits", "model_limits_enabled", "expires_at"}}` in raw quota units, expires_at
  −1 → 0. controller/misc.go GetStatus: quota_per_unit, quota_display_type, usd_exchange_rate, enable_drawing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from pytest_httpserver import HTTPServer

from trayapp.core.errors import BadResponse, ProviderError
from trayapp.core.models import AccountState, Settings
from trayapp.core.rules import credit_alerts
from trayapp.providers import catalog

from .conftest import KEY, NOW, base, fetch, request_for

D = Decimal
SUB = "/v1/dashboard/billing/subscription"
USAGE = "/v1/dashboard/billing/usage"
TOKEN_USAGE = "/api/usage/token"
STATUS = "/api/status"
AUTH = {"Authorization": f"Bearer {KEY}"}


def one_api_status(version: str = "v0.6.10", in_currency: bool = True, per_unit: int = 500000) -> object:
    # songquanpeng/one-api controller/misc.go GetStatus (fields abridged)
    return {
        "success": True,
        "message": "",
        "data": {
            "version": version,
            "system_name": "One API",
            "quota_per_unit": per_unit,
            "display_in_currency": in_currency,
            "top_up_link": "",
            "oidc": False,
        },
    }


def new_api_status(display: str = "USD", per_unit: int = 500000, rate: float | None = 7.3) -> object:
    # QuantumNous/new-api controller/misc.go GetStatus (fields abridged)
    data: dict[str, object] = {
        "version": "v0.9.0",
        "system_name": "New API",
        "quota_per_unit": per_unit,
        "display_in_currency": display != "TOKENS",
        "quota_display_type": display,
        "enable_drawing": True,
    }
    if rate is not None:
        data["usd_exchange_rate"] = rate
    return {"success": True, "message": "", "data": data}


def subscription(hard: object, access_until: int = 0) -> dict[str, object]:
    # both programs' OpenAISubscriptionResponse: the three limits are the same amount
    return {
        "object": "billing_subscription",
        "has_payment_method": True,
        "soft_limit_usd": hard,
        "hard_limit_usd": hard,
        "system_hard_limit_usd": hard,
        "access_until": access_until,
    }


def token_usage(available: int, used: int, unlimited: bool = False, expires_at: int = 0) -> dict[str, object]:
    # QuantumNous/new-api controller/token.go GetTokenUsage
    return {
        "code": True,
        "message": "ok",
        "data": {
            "object": "token_usage",
            "name": "Default Token",
            "total_granted": available + used,
            "total_used": used,
            "total_available": available,
            "unlimited_quota": unlimited,
            "model_limits": {},
            "model_limits_enabled": False,
            "expires_at": expires_at,
        },
    }


def no_token_usage(server: HTTPServer) -> None:
    # one-api (and new-api before the route) : NoRoute → 404 (controller/relay.go RelayNotFound)
    server.expect_request(TOKEN_USAGE).respond_with_json(
        {"error": {"message": "Invalid URL (GET /api/usage/token)", "type": "invalid_request_error"}}, status=404
    )


def serve_status(server: HTTPServer, status: object | None) -> None:
    if status is None:
        server.expect_request(STATUS).respond_with_data("<html><title>relay</title></html>", content_type="text/html")
    else:
        server.expect_request(STATUS).respond_with_json(status)


def serve_dashboard(server: HTTPServer, hard: object, total_usage: object, access_until: int = 0) -> None:
    server.expect_request(SUB, headers=AUTH).respond_with_json(subscription(hard, access_until))
    server.expect_request(USAGE, headers=AUTH).respond_with_json({"object": "list", "total_usage": total_usage})


def relay(server: HTTPServer, suffix: str = "", currency: str | None = None):  # type: ignore[no-untyped-def]
    return fetch("openai-compatible", base(server, suffix), currency=currency).snapshot


def paths(server: HTTPServer) -> list[str]:
    return [r.path for r, _ in server.log]


# ---------------------------------------------------------------- one-api, DisplayTokenStatEnabled off


def test_one_api_setting_off_limit_is_already_what_is_left_not_minus_1_80(server: HTTPServer) -> None:
    # issue 15 item 2: $3.20 left, $5.00 used in all; the old code showed 3.20 − 5.00 = −1.80 ("no credit left").
    no_token_usage(server)
    serve_status(server, one_api_status("v0.6.10"))
    serve_dashboard(server, 3.2, 500)
    snap = relay(server)
    assert snap.remaining == D("3.2") and snap.unknown_reason is None
    assert snap.used == D("5")
    assert any("relay account's" in n for n in snap.notes)


def test_one_api_setting_off_program_unknown_is_unknown_never_negative(server: HTTPServer) -> None:
    # The same answer from a relay whose /api/status names no program (an HTML page here): one-api v0.6+ means
    # 3.20 left, one-api v0.5 / new-api mean 3.20 − 5.00: no number can be given.
    no_token_usage(server)
    serve_status(server, None)
    serve_dashboard(server, 3.2, 500)
    snap = relay(server)
    assert snap.remaining is None and snap.used is None
    assert snap.unknown_reason is not None and "3.20" in snap.unknown_reason and "5.00" in snap.unknown_reason


def test_one_api_untagged_build_tells_nothing(server: HTTPServer) -> None:
    no_token_usage(server)
    serve_status(server, one_api_status("v0.0.0"))
    serve_dashboard(server, "1.5", "250")
    snap = relay(server)
    assert snap.remaining is None and snap.unknown_reason is not None


def test_one_api_issue_202_figures_are_ambiguous_not_3_40(server: HTTPServer) -> None:
    # songquanpeng/one-api#202 (2023-06-26): hard_limit_usd 4.2 was the remaining quota of a 5.00 token
    # ("4.2是剩余额度，总额应是5"), and the maintainer keeps the remaining there on purpose. With 0.80 used a
    # never-expiring key's answer reads the same whether the setting is on (4.20 − 0.80) or off (4.20).
    no_token_usage(server)
    serve_status(server, one_api_status("v0.6.10"))
    serve_dashboard(server, 4.2, 80)
    snap = relay(server)
    assert snap.remaining is None
    assert snap.unknown_reason is not None and "3.40" in snap.unknown_reason and "4.20" in snap.unknown_reason
    assert "DisplayTokenStatEnabled" in snap.unknown_reason


def test_one_api_nothing_used_both_readings_agree(server: HTTPServer) -> None:
    no_token_usage(server)
    serve_status(server, one_api_status("v0.6.10"))
    serve_dashboard(server, 7, 0)
    snap = relay(server)
    assert snap.remaining == D("7")


# ---------------------------------------------------------------- one-api, DisplayTokenStatEnabled on


def test_one_api_key_with_expiry_is_the_keys_own_total(server: HTTPServer) -> None:
    # access_until is set only from the key (GetSubscription's DisplayTokenStatEnabled branch): per key.
    no_token_usage(server)
    serve_status(server, one_api_status("v0.6.10"))
    serve_dashboard(server, 20.5, 1234, access_until=1798761600)
    snap = relay(server)
    assert (snap.remaining, snap.used) == (D("8.16"), D("12.34"))
    assert snap.expires_at == datetime(2027, 1, 1, tzinfo=UTC)
    assert not any("relay account's" in n for n in snap.notes)


def test_one_api_v0_5_subtracts_in_either_setting(server: HTTPServer) -> None:
    # v0.4.10 .. v0.5.x (4139a703 .. d548a01c): both branches report remaining + used.
    no_token_usage(server)
    serve_status(server, one_api_status("v0.5.11"))
    serve_dashboard(server, 20.5, 1234)
    assert relay(server).remaining == D("8.16")


def test_one_api_display_in_currency_off_is_quota_units(server: HTTPServer) -> None:
    # DisplayInCurrencyEnabled off: GetSubscription/GetUsage skip `amount /= QuotaPerUnit`; the old code showed
    # 7 500 000 "USD". 10 000 000 units = $20, 2 500 000 used = $5.
    no_token_usage(server)
    serve_status(server, one_api_status("v0.6.10", in_currency=False))
    serve_dashboard(server, 10000000, 250000000, access_until=1798761600)
    snap = relay(server)
    assert (snap.remaining, snap.used) == (D("15"), D("5"))


def test_one_api_unlimited_key_is_unknown_as_in_one_hub_330(server: HTTPServer) -> None:
    # MartialBE/one-hub#330 (2024-08-13): an unlimited key showed as "$99999965.76" = 100000000 − usage.
    no_token_usage(server)
    serve_status(server, one_api_status("v0.6.10"))
    serve_dashboard(server, 100000000, 3424)
    snap = relay(server)
    assert snap.remaining is None and "unlimited" in snap.flags
    assert snap.unknown_reason is not None and "unlimited" in snap.unknown_reason


# ---------------------------------------------------------------- new-api without /api/usage/token


def test_new_api_dashboard_subtracts_in_either_setting(server: HTTPServer) -> None:
    no_token_usage(server)
    serve_status(server, new_api_status())
    serve_dashboard(server, 20.5, 1234)
    assert relay(server).remaining == D("8.16")


def test_new_api_dashboard_in_cny(server: HTTPServer) -> None:
    # quota_display_type CNY: GetSubscription multiplies by USDExchangeRate; the amounts are yuan.
    no_token_usage(server)
    serve_status(server, new_api_status("CNY"))
    serve_dashboard(server, 73, 730, access_until=1798761600)
    snap = relay(server)
    assert (snap.currency, snap.remaining) == ("CNY", D("65.7"))


def test_new_api_account_used_up_is_credit_zero(server: HTTPServer) -> None:
    no_token_usage(server)
    serve_status(server, new_api_status())
    serve_dashboard(server, 5, 500)
    req = request_for("openai-compatible", base(server))
    snap = catalog.load("openai-compatible").fetch(req).snapshot
    assert snap.remaining == D("0")
    assert [a.code for a in credit_alerts(req.account, AccountState(last_good=snap), Settings(), NOW)] == [
        "credit_zero"
    ]


def test_figures_that_do_not_add_up_are_no_balance(server: HTTPServer) -> None:
    # new-api with the account overdrawn (or a broken relay): never a negative from a subtraction.
    no_token_usage(server)
    serve_status(server, new_api_status())
    serve_dashboard(server, 3.2, 500)
    snap = relay(server)
    assert snap.remaining is None and snap.used is None
    assert snap.unknown_reason is not None and "do not add up" in snap.unknown_reason


# ---------------------------------------------------------------- new-api /api/usage/token


@pytest.mark.parametrize("suffix", ["", "/v1"])
def test_token_usage_is_preferred(server: HTTPServer, suffix: str) -> None:
    # The documented example (new-api-docs docs/en/api/token-usage.md): 987 655 of 1 000 000 units left.
    server.expect_request(TOKEN_USAGE, headers=AUTH).respond_with_json(token_usage(987655, 12345))
    serve_status(server, new_api_status())
    # A new account's first poll also asks the dashboard, at once (tests/unit/test_perf2_relay.py): unanswered
    # here, and not what is shown.
    first = fetch("openai-compatible", base(server, suffix))
    snap = first.snapshot
    assert (snap.currency, snap.remaining, snap.used) == ("USD", D("1.97531"), D("0.02469"))
    assert snap.expires_at is None  # expires_at 0 = never
    assert not any("set the account's currency" in n for n in snap.notes)  # the relay named its unit
    # Its next polls, the status read again a day later included, never ask the dashboard.
    server.clear()
    server.expect_request(TOKEN_USAGE, headers=AUTH).respond_with_json(token_usage(987655, 12345))
    serve_status(server, new_api_status())
    cache = dict(first.cache)
    again = fetch("openai-compatible", base(server, suffix), cache=cache).snapshot
    cache["site_at"] = "2026-11-29T12:00:00+00:00"  # two days ago: the status is read again
    day_later = fetch("openai-compatible", base(server, suffix), cache=cache).snapshot
    assert again.remaining == day_later.remaining == D("1.97531")
    assert sorted(paths(server)) == sorted([TOKEN_USAGE, TOKEN_USAGE, STATUS])


def test_token_usage_honours_the_sites_quota_per_unit(server: HTTPServer) -> None:
    server.expect_request(TOKEN_USAGE).respond_with_json(token_usage(3000000, 1000000))
    serve_status(server, new_api_status(per_unit=1000000))
    snap = relay(server)
    assert (snap.remaining, snap.used) == (D("3"), D("1"))


def test_token_usage_in_cny(server: HTTPServer) -> None:
    server.expect_request(TOKEN_USAGE).respond_with_json(token_usage(1000000, 0))
    serve_status(server, new_api_status("CNY", rate=7.3))
    snap = relay(server)
    assert (snap.currency, snap.remaining) == ("CNY", D("14.6"))


def test_token_usage_unlimited_is_not_a_balance(server: HTTPServer) -> None:
    # unlimited keys still count usage down: total_available is minus the usage, meaningless.
    server.expect_request(TOKEN_USAGE).respond_with_json(token_usage(-250000, 250000, unlimited=True))
    serve_status(server, new_api_status())
    snap = relay(server)
    assert snap.remaining is None and "unlimited" in snap.flags and snap.used == D("0.5")
    assert snap.unknown_reason is not None and "unlimited" in snap.unknown_reason


def test_token_usage_overspent_key_is_credit_zero(server: HTTPServer) -> None:
    # The relay's own remaining count, below zero after a last call that cost more than was left.
    server.expect_request(TOKEN_USAGE).respond_with_json(token_usage(-5000, 505000))
    serve_status(server, new_api_status())
    req = request_for("openai-compatible", base(server))
    snap = catalog.load("openai-compatible").fetch(req).snapshot
    assert snap.remaining == D("-0.01")
    assert [a.code for a in credit_alerts(req.account, AccountState(last_good=snap), Settings(), NOW)] == [
        "credit_zero"
    ]


def test_token_usage_expiry(server: HTTPServer) -> None:
    server.expect_request(TOKEN_USAGE).respond_with_json(token_usage(500000, 0, expires_at=1700000000))
    serve_status(server, new_api_status())
    snap = relay(server)
    assert snap.expires_at == datetime.fromtimestamp(1700000000, UTC)
    assert {"expired", "blocked"} <= snap.flags


def test_token_usage_without_status_falls_back_to_the_dashboard(server: HTTPServer) -> None:
    # Without quota_per_unit the raw units cannot be turned into money; the dashboard converts server-side.
    server.expect_request(TOKEN_USAGE).respond_with_json(token_usage(987655, 12345))
    server.expect_request(STATUS).respond_with_json({"success": False, "message": "rate limited"})
    serve_dashboard(server, 20.5, 1234, access_until=1798761600)
    assert relay(server).remaining == D("8.16")


def test_token_usage_as_a_web_page_falls_back(server: HTTPServer) -> None:
    server.expect_request(TOKEN_USAGE).respond_with_data("<html><title>Relay</title></html>", content_type="text/html")
    serve_status(server, new_api_status())
    serve_dashboard(server, 20.5, 1234)
    assert relay(server).remaining == D("8.16")


def test_token_usage_unknown_key_is_an_error(server: HTTPServer) -> None:
    # An unknown or deleted key: HTTP 200 {"success": false, ...} (common.ApiErrorI18n MsgTokenGetInfoFailed).
    server.expect_request(TOKEN_USAGE).respond_with_json({"success": False, "message": "获取令牌信息失败"})
    serve_status(server, new_api_status())
    with pytest.raises(ProviderError) as info:
        relay(server)
    assert "获取令牌信息失败" in info.value.message and "GET /api/usage/token" in info.value.message
    assert KEY not in info.value.message


def test_token_usage_malformed_names_the_field(server: HTTPServer) -> None:
    body = token_usage(1, 1)
    body["data"]["total_available"] = "lots"  # type: ignore[index]
    server.expect_request(TOKEN_USAGE).respond_with_json(body)
    serve_status(server, new_api_status())
    with pytest.raises(BadResponse) as info:
        relay(server)
    assert "GET /api/usage/token: field 'data.total_available'" in info.value.message


# ---------------------------------------------------------------- what a relay offers is remembered


def test_later_polls_ask_one_api_two_requests_and_new_api_one(server: HTTPServer) -> None:
    """What /api/status tells and the absence of /api/usage/token change only with an upgrade of the relay:
    kept in the account's provider cache (a day, a week), so a steady poll costs what it did before those
    routes were read, and the reading stays the same."""
    no_token_usage(server)
    serve_status(server, one_api_status("v0.6.10"))
    serve_dashboard(server, 3.2, 500)
    first = fetch("openai-compatible", base(server))
    assert len(paths(server)) == 4
    server.clear_log()
    later = catalog.load("openai-compatible").fetch(request_for("openai-compatible", base(server), cache=first.cache))
    assert sorted(paths(server)) == sorted([SUB, USAGE])  # asked at once: in either order
    assert later.snapshot.remaining == first.snapshot.remaining == D("3.2")

    server.clear()
    server.expect_request(TOKEN_USAGE, headers=AUTH).respond_with_json(token_usage(987655, 12345))
    serve_status(server, new_api_status())
    first = fetch("openai-compatible", base(server))
    server.clear_log()
    later = catalog.load("openai-compatible").fetch(request_for("openai-compatible", base(server), cache=first.cache))
    assert paths(server) == [TOKEN_USAGE]
    assert later.snapshot.remaining == first.snapshot.remaining == D("1.97531")


def test_what_was_remembered_is_asked_again_after_a_day_or_at_another_root(server: HTTPServer) -> None:
    no_token_usage(server)
    serve_status(server, one_api_status("v0.6.10"))
    serve_dashboard(server, 3.2, 500)
    first = fetch("openai-compatible", base(server))
    server.clear_log()
    request = request_for("openai-compatible", base(server), cache=first.cache)
    catalog.load("openai-compatible").fetch(replace(request, now=request.now + timedelta(days=1, minutes=1)))
    assert STATUS in paths(server) and TOKEN_USAGE not in paths(server)  # the route's absence is kept a week
    server.clear_log()
    moved = {**first.cache, "root": "http://127.0.0.1:1"}  # read at another root: forgotten
    catalog.load("openai-compatible").fetch(request_for("openai-compatible", base(server), cache=moved))
    assert TOKEN_USAGE in paths(server) and STATUS in paths(server)
