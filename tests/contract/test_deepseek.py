"""DeepSeek /user/balance: documented payload and its variants, through a real loopback server."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pytest_httpserver import HTTPServer

from trayapp.core.errors import BadResponse, ProviderError
from trayapp.core.models import AccountState, ErrorKind, Settings
from trayapp.core.rules import credit_alerts

from .conftest import KEY, NOW, base, fetch, request_for

PATH = "/user/balance"
D = Decimal


def entry(currency: str, total: object, granted: object, topped: object) -> dict[str, object]:
    return {
        "currency": currency,
        "total_balance": total,
        "granted_balance": granted,
        "topped_up_balance": topped,
    }


def serve(server: HTTPServer, body: object) -> None:
    server.expect_request(PATH, headers={"Authorization": f"Bearer {KEY}"}).respond_with_json(body)


def test_documented_payload(server: HTTPServer) -> None:
    """api-docs.deepseek.com get-user-balance, as quoted in LeenHawk/gproxy#231."""
    serve(server, {"is_available": True, "balance_infos": [entry("CNY", "110.00", "10.00", "100.00")]})
    snap = fetch("deepseek", base(server)).snapshot
    assert snap.currency == "CNY"
    assert (snap.remaining, snap.remaining_granted, snap.remaining_paid) == (
        D("110.00"),
        D("10.00"),
        D("100.00"),
    )
    assert snap.flags == frozenset()
    assert [b.currency for b in snap.balances] == ["CNY"]


def test_numbers_instead_of_strings(server: HTTPServer) -> None:
    serve(server, {"is_available": True, "balance_infos": [entry("USD", 7.5, 2.5, 5)]})
    snap = fetch("deepseek", base(server)).snapshot
    assert (snap.currency, snap.remaining, snap.remaining_granted, snap.remaining_paid) == (
        "USD",
        D("7.5"),
        D("2.5"),
        D("5"),
    )


def test_several_currencies_keeps_all_and_heads_with_the_funded_one(server: HTTPServer) -> None:
    serve(
        server,
        {
            "is_available": True,
            "balance_infos": [entry("CNY", "0.00", "0.00", "0.00"), entry("USD", "12.34", "2.00", "10.34")],
        },
    )
    snap = fetch("deepseek", base(server)).snapshot
    assert snap.currency == "USD" and snap.remaining == D("12.34")
    assert {b.currency: b.remaining for b in snap.balances} == {"CNY": D("0.00"), "USD": D("12.34")}
    assert any("Also 0.00 CNY" in n for n in snap.notes)


def test_both_funded_defaults_to_cny_and_account_currency_overrides(server: HTTPServer) -> None:
    body = {
        "is_available": True,
        "balance_infos": [entry("USD", "3.00", "0", "3.00"), entry("CNY", "50.00", "20.00", "30.00")],
    }
    serve(server, body)
    assert fetch("deepseek", base(server)).snapshot.remaining == D("50.00")
    server.clear()
    serve(server, body)
    snap = fetch("deepseek", base(server), currency="USD").snapshot
    assert (snap.currency, snap.remaining, snap.remaining_paid) == ("USD", D("3.00"), D("3.00"))


def test_not_available_is_blocked_and_counts_as_zero(server: HTTPServer) -> None:
    serve(server, {"is_available": False, "balance_infos": [entry("CNY", "4.00", "4.00", "0.00")]})
    request = request_for("deepseek", base(server))
    snap = fetch("deepseek", base(server)).snapshot
    assert snap.remaining == D("4.00")  # the number is kept ...
    assert "blocked" in snap.flags  # ... but flagged, and explained
    assert any("is_available: false" in n for n in snap.notes)
    alerts = credit_alerts(request.account, AccountState(last_good=snap), Settings(), NOW)
    assert [a.code for a in alerts] == ["credit_zero"]


def test_empty_list_is_unknown_not_zero(server: HTTPServer) -> None:
    serve(server, {"is_available": True, "balance_infos": []})
    snap = fetch("deepseek", base(server)).snapshot
    assert snap.remaining is None and snap.unknown_reason


@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        ({"is_available": True}, "balance_infos", "is missing"),
        ({"is_available": True, "balance_infos": {}}, "balance_infos", "not a list"),
        (
            {
                "is_available": True,
                "balance_infos": [{"currency": "CNY", "granted_balance": "1", "topped_up_balance": "1"}],
            },
            "balance_infos[0].total_balance",
            "is missing",
        ),
        (
            {"is_available": True, "balance_infos": [entry("CNY", "abc", "0", "0")]},
            "balance_infos[0].total_balance",
            "not a number",
        ),
        (
            {"is_available": True, "balance_infos": [entry("CNY", "NaN", "0", "0")]},
            "balance_infos[0].total_balance",
            "not a number",
        ),
        (
            {"is_available": True, "balance_infos": [entry("CNY", True, "0", "0")]},
            "balance_infos[0].total_balance",
            "boolean",
        ),
        (
            {"is_available": True, "balance_infos": [entry("CNY", "1", "-1", "2")]},
            "balance_infos[0].granted_balance",
            "negative",
        ),
        (
            {"is_available": True, "balance_infos": [entry("CNY", "1e15", "0", "0")]},
            "balance_infos[0].total_balance",
            "far larger",
        ),
        (
            {"is_available": True, "balance_infos": [entry("yuan!", "1", "0", "1")]},
            "balance_infos[0].currency",
            "currency code",
        ),
        (
            {"is_available": "yes", "balance_infos": [entry("CNY", "1", "0", "1")]},
            "is_available",
            "not true or false",
        ),
        (
            {
                "is_available": True,
                "balance_infos": [entry("CNY", "1", "0", "1"), entry("CNY", "2", "0", "2")],
            },
            "balance_infos[1].currency",
            "repeats CNY",
        ),
        ([1, 2], "(body)", "not an object"),
    ],
)
def test_malformed_answers_are_clear_errors(server: HTTPServer, body: object, field: str, problem: str) -> None:
    serve(server, body)
    with pytest.raises(BadResponse) as info:
        fetch("deepseek", base(server))
    err = info.value
    assert err.title == "Unexpected answer from DeepSeek"
    assert f"GET /user/balance: field '{field}'" in err.message
    assert problem in err.message


def test_unknown_fields_are_ignored(server: HTTPServer) -> None:
    serve(
        server,
        {
            "is_available": True,
            "new": {"x": 1},
            "balance_infos": [{**entry("CNY", "1", "0", "1"), "frozen": "0"}],
        },
    )
    assert fetch("deepseek", base(server)).snapshot.remaining == D("1")


def test_refused_key(server: HTTPServer) -> None:
    """PDFMathTranslate/PDFMathTranslate#696, nextcloud/integration_openai#182 (no such user)."""
    server.expect_request(PATH).respond_with_json(
        {"error": {"message": "Authentication Fails (no such user)", "type": "authentication_error"}},
        status=401,
    )
    with pytest.raises(ProviderError) as info:
        fetch("deepseek", base(server))
    assert info.value.kind is ErrorKind.AUTH
    assert info.value.message.startswith("DeepSeek rejected the key (401): Authentication Fails")
