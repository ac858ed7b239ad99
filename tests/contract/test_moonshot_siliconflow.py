"""Moonshot /v1/users/me/balance and SiliconFlow /v1/user/info, through a real loopback server."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pytest_httpserver import HTTPServer

from trayapp.core.errors import BadResponse, ProviderError
from trayapp.core.models import AccountState, ErrorKind, Settings
from trayapp.core.rules import credit_alerts
from trayapp.providers import catalog

from .conftest import KEY, NOW, base, fetch, request_for

D = Decimal
MS = "/v1/users/me/balance"
SF = "/v1/user/info"


def moonshot(available: object, voucher: object, cash: object, **extra: object) -> dict[str, object]:
    return {
        "code": 0,
        "data": {"available_balance": available, "voucher_balance": voucher, "cash_balance": cash},
        "scode": "0x0",
        "status": True,
        **extra,
    }


def serve(server: HTTPServer, path: str, body: object) -> None:
    server.expect_request(path, headers={"Authorization": f"Bearer {KEY}"}).respond_with_json(body)


# ---------------------------------------------------------------- Moonshot


def test_moonshot_documented_payload_with_account_currency(server: HTTPServer) -> None:
    """platform.moonshot.cn docs (misc, 查询余额); measured the same in Yachiyo-5i/xLyra#76."""
    serve(server, MS, moonshot(49.58894, 46.58893, 3.00001))
    snap = fetch("moonshot", base(server, "/v1"), currency="CNY").snapshot
    assert (snap.currency, snap.remaining) == ("CNY", D("49.58894"))
    assert (snap.remaining_granted, snap.remaining_paid) == (D("46.58893"), D("3.00001"))
    assert not any("not voucher + cash" in n for n in snap.notes)


def test_moonshot_negative_cash_means_available_is_the_voucher(server: HTTPServer) -> None:
    serve(server, MS, moonshot(10, 10, -2.5))
    snap = fetch("moonshot", base(server, "/v1"), currency="USD").snapshot
    assert (snap.remaining, snap.remaining_granted, snap.remaining_paid) == (D("10"), D("10"), D("0"))
    assert any("-2.5 (owed)" in n for n in snap.notes)


def test_moonshot_nothing_available_raises_credit_zero(server: HTTPServer) -> None:
    serve(server, MS, moonshot(0, 0, -1.2))
    req = request_for("moonshot", base(server, "/v1"), currency="CNY")
    snap = catalog.load("moonshot").fetch(req).snapshot
    assert snap.remaining == D("0")
    alerts = credit_alerts(req.account, AccountState(last_good=snap), Settings(), NOW)
    assert [a.code for a in alerts] == ["credit_zero"]


def test_moonshot_loopback_host_without_currency_says_so(server: HTTPServer) -> None:
    serve(server, MS, moonshot("5.00", "5.00", "0"))
    snap = fetch("moonshot", base(server, "/v1")).snapshot
    assert snap.currency is None and snap.remaining == D("5.00")
    assert any("set the account's currency" in n for n in snap.notes)


def test_moonshot_currency_from_host() -> None:
    info = catalog.info("moonshot")
    assert info.currency_for("https://api.moonshot.cn/v1") == "CNY"
    assert info.currency_for("https://api.moonshot.ai/v1") == "USD"
    assert info.currency_for("https://api.moonshot.ai/v1", "CNY") == "CNY"


def test_moonshot_business_error(server: HTTPServer) -> None:
    serve(server, MS, {"code": 5, "status": False, "scode": "0x5", "error": {"message": "user not found"}})
    with pytest.raises(ProviderError) as info:
        fetch("moonshot", base(server, "/v1"), currency="CNY")
    err = info.value
    assert err.title == "Moonshot / Kimi reported an error"
    assert err.message == "GET /v1/users/me/balance answered code 5: user not found."


@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        ({"code": 0, "status": True}, "data", "is missing"),
        (moonshot(None, 1, 1), "data.available_balance", "is null"),
        (moonshot("lots", 1, 1), "data.available_balance", "not a number"),
        (moonshot(1, -1, 2), "data.voucher_balance", "negative"),
        (moonshot(1, 1, [0]), "data.cash_balance", "a list"),
    ],
)
def test_moonshot_malformed(server: HTTPServer, body: object, field: str, problem: str) -> None:
    serve(server, MS, body)
    with pytest.raises(BadResponse) as info:
        fetch("moonshot", base(server, "/v1"), currency="CNY")
    assert info.value.title == "Unexpected answer from Moonshot / Kimi"
    assert f"GET /v1/users/me/balance: field '{field}'" in info.value.message
    assert problem in info.value.message


def test_moonshot_429_quota(server: HTTPServer) -> None:
    """Moonshot's quota 429, its wording shortened; the full one is in test_moonshot_variants.py."""
    server.expect_request(MS).respond_with_json(
        {
            "error": {
                "message": "Your account is suspended, please check your plan",
                "type": "exceeded_current_quota_error",
            }
        },
        status=429,
    )
    with pytest.raises(ProviderError) as info:
        fetch("moonshot", base(server, "/v1"), currency="CNY")
    assert info.value.kind is ErrorKind.QUOTA


# ---------------------------------------------------------------- SiliconFlow


def siliconflow(total: object, charge: object, gift: object, **extra: object) -> dict[str, object]:
    return {
        "code": 20000,
        "message": "OK",
        "status": True,
        "data": {
            "id": "userid",
            "name": "username",
            "email": "Pat.Example@example.com",
            "isAdmin": False,
            "balance": gift,
            "status": "normal",
            "chargeBalance": charge,
            "totalBalance": total,
            **extra,
        },
    }


def test_siliconflow_documented_payload(server: HTTPServer) -> None:
    serve(server, SF, siliconflow("88.88", "88.00", "0.88"))
    snap = fetch("siliconflow", base(server, "/v1"), currency="CNY").snapshot
    assert (snap.currency, snap.remaining, snap.remaining_paid, snap.remaining_granted) == (
        "CNY",
        D("88.88"),
        D("88.00"),
        D("0.88"),
    )
    assert snap.identity is not None and snap.identity.user_id == "userid"
    assert snap.identity.email_masked == "P***@example.com" and snap.identity.email_hash
    assert "Pat.Example" not in repr(snap)


def test_siliconflow_numbers_and_no_currency(server: HTTPServer) -> None:
    serve(server, SF, siliconflow(14, 0, 14))
    snap = fetch("siliconflow", base(server, "/v1")).snapshot
    assert snap.currency is None and snap.remaining == D("14")
    assert any("set the account's currency" in n for n in snap.notes)
    assert any("gift credit expires" in n for n in snap.notes)


def test_siliconflow_currency_from_host() -> None:
    info = catalog.info("siliconflow")
    assert info.currency_for("https://api.siliconflow.cn/v1") == "CNY"
    assert info.currency_for("https://api.siliconflow.com/v1") == "USD"


@pytest.mark.parametrize(
    "body",
    [
        {"code": 30001, "message": "Account balance is insufficient", "status": False, "data": None},
        {"code": 20000, "message": "Account disabled", "status": False, "data": None},
        {"code": 40001, "message": "Invalid token", "status": True, "data": None},
    ],
)
def test_siliconflow_business_errors_carry_the_providers_message(server: HTTPServer, body: dict[str, object]) -> None:
    serve(server, SF, body)
    with pytest.raises(ProviderError) as info:
        fetch("siliconflow", base(server, "/v1"), currency="CNY")
    err = info.value
    assert f"answered code {body['code']}: {body['message']}" in err.message
    assert "GET /v1/user/info" in err.message
    assert not isinstance(err, BadResponse) or err.kind is ErrorKind.BAD_RESPONSE


def test_siliconflow_insufficient_balance_code_is_quota(server: HTTPServer) -> None:
    serve(server, SF, {"code": 30001, "message": "余额不足", "status": False})
    with pytest.raises(ProviderError) as info:
        fetch("siliconflow", base(server, "/v1"), currency="CNY")
    assert info.value.kind is ErrorKind.QUOTA


@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        ({"message": "OK", "data": {}}, "code", "is missing"),
        ({"code": 20000, "status": True}, "data", "is missing"),
        (siliconflow(None, "1", "1"), "data.totalBalance", "is null"),
        (siliconflow("Infinity", "1", "1"), "data.totalBalance", "not a number"),
        (siliconflow("1", "1", "-0.5"), "data.balance", "negative"),
        (siliconflow("1", False, "1"), "data.chargeBalance", "boolean"),
    ],
)
def test_siliconflow_malformed(server: HTTPServer, body: object, field: str, problem: str) -> None:
    serve(server, SF, body)
    with pytest.raises(BadResponse) as info:
        fetch("siliconflow", base(server, "/v1"), currency="CNY")
    assert info.value.title == "Unexpected answer from SiliconFlow"
    assert f"GET /v1/user/info: field '{field}'" in info.value.message
    assert problem in info.value.message


def test_siliconflow_html_error_page(server: HTTPServer) -> None:
    server.expect_request(SF).respond_with_data(
        "<html><head><title>503 Service Temporarily Unavailable</title></head></html>",
        status=503,
        content_type="text/html",
    )
    with pytest.raises(ProviderError) as info:
        fetch("siliconflow", base(server, "/v1"), currency="CNY")
    assert info.value.kind is ErrorKind.SERVER
    assert "SiliconFlow had a server error (503)" in info.value.message
