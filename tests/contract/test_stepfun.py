"""StepFun GET /v1/accounts: the documented payload and its variants, through a real loopback server.

The shape: StepFun's API reference (platform.stepfun.com/docs/zh/api-reference/accounts/get and
platform.stepfun.ai/docs/en/api-reference/accounts/get) documents
`{"object": "account", "type": "prepaid", "balance": 0.00, "total_cash_balance": 0.00,
"total_voucher_balance": 26.00}`, Bearer key, `balance` = available (可用余额), the other two lifetime totals
(总充值 / 总赠送); public code reading it agrees (farion1231/cc-switch `src-tauri/src/services/balance.rs`,
and tests in other balance tools that parse `{object, type, balance, total_cash_balance,
total_voucher_balance}` and take `balance` as the remaining CNY). Collected in the project's reference
shared/reference/providers-2026.md, section 4 (currency by host: inferred, .com CNY, .ai USD).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from pytest_httpserver import HTTPServer

from trayapp.core.errors import BadResponse, ProviderError
from trayapp.core.models import AccountState, ErrorKind, Settings
from trayapp.core.rules import credit_alerts
from trayapp.providers import catalog

from .conftest import KEY, NOW, base, fetch, request_for

PATH = "/v1/accounts"
D = Decimal


def account(balance: object, cash: object = 0.0, voucher: object = 0.0, kind: str = "prepaid") -> dict[str, object]:
    return {
        "object": "account",
        "type": kind,
        "balance": balance,
        "total_cash_balance": cash,
        "total_voucher_balance": voucher,
    }


def serve(server: HTTPServer, body: object) -> None:
    server.expect_request(PATH, headers={"Authorization": f"Bearer {KEY}"}).respond_with_json(body)


def test_documented_payload_is_zero_left_although_vouchers_were_given(server: HTTPServer) -> None:
    serve(server, account(0.00, 0.00, 26.00))
    request = request_for("stepfun", base(server, "/v1"), currency="CNY")
    snap = catalog.load("stepfun").fetch(request).snapshot
    assert (snap.currency, snap.remaining, snap.granted_total) == ("CNY", D("0.0"), D("26.0"))
    assert snap.remaining_granted is None and snap.remaining_paid is None  # lifetime totals are not what is left
    assert any("accounts grant" in n for n in snap.notes)
    alerts = credit_alerts(request.account, AccountState(last_good=snap), Settings(), NOW)
    assert [a.code for a in alerts] == ["credit_zero"]


def test_a_funded_account(server: HTTPServer) -> None:
    serve(server, account(150.0, 200.0, 50.0))
    snap = fetch("stepfun", base(server, "/v1"), currency="CNY").snapshot
    assert snap.remaining == D("150.0") and snap.flags == frozenset()


def test_currency_from_host() -> None:
    info = catalog.info("stepfun")
    assert info.currency_for(None) == "CNY"  # api.stepfun.com, the default
    assert info.currency_for("https://api.stepfun.ai/v1") == "USD"
    assert info.currency_for("https://relay.example.com/v1") is None


def test_loopback_host_without_currency_says_so(server: HTTPServer) -> None:
    serve(server, account(12.5))
    snap = fetch("stepfun", base(server, "/v1")).snapshot
    assert snap.currency is None and snap.remaining == D("12.5")
    assert any("set the account's currency" in n for n in snap.notes)


def test_postpaid_is_said_and_may_owe(server: HTTPServer) -> None:
    serve(server, account(-3.5, kind="postpaid"))
    snap = fetch("stepfun", base(server, "/v1"), currency="CNY").snapshot
    assert snap.remaining == D("-3.5")
    assert any("postpaid" in n for n in snap.notes)


def test_unknown_fields_are_ignored(server: HTTPServer) -> None:
    serve(server, {**account(1.0), "credit_limit": {"x": 1}})
    assert fetch("stepfun", base(server, "/v1"), currency="CNY").snapshot.remaining == D("1.0")


@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        ({"object": "account", "type": "prepaid"}, "balance", "is missing"),
        (account("abc"), "balance", "not a number"),
        (account(True), "balance", "boolean"),
        (account(1e15), "balance", "far larger"),
        (account(1.0, voucher=-2), "total_voucher_balance", "negative"),
        ([1, 2], "(body)", "not an object"),
    ],
)
def test_malformed_answers_are_clear_errors(server: HTTPServer, body: object, field: str, problem: str) -> None:
    serve(server, body)
    with pytest.raises(BadResponse) as info:
        fetch("stepfun", base(server, "/v1"), currency="CNY")
    assert info.value.title == "Unexpected answer from StepFun"
    assert f"GET /v1/accounts: field '{field}'" in info.value.message
    assert problem in info.value.message


def test_refused_key_never_shows_the_key(server: HTTPServer) -> None:
    server.expect_request(PATH).respond_with_json(
        {"error": {"message": f"Incorrect API key provided: {KEY}", "type": "invalid_api_key"}}, status=401
    )
    with pytest.raises(ProviderError) as info:
        fetch("stepfun", base(server, "/v1"), currency="CNY")
    assert info.value.kind is ErrorKind.AUTH
    assert info.value.message.startswith("StepFun rejected the key (401)")
    assert KEY not in info.value.message and KEY not in info.value.title


def test_out_of_credit_is_quota(server: HTTPServer) -> None:
    server.expect_request(PATH).respond_with_json(
        {"error": {"message": "insufficient_quota", "type": "insufficient_quota"}}, status=402
    )
    with pytest.raises(ProviderError) as info:
        fetch("stepfun", base(server, "/v1"), currency="CNY")
    assert info.value.kind is ErrorKind.QUOTA
