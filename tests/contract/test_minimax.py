"""MiniMax GET /account/query_balance: the shapes real clients meet, through a real loopback server.

Sources of the shapes (collected in shared/reference/providers-2026.md, section 3):
- MiniMax-AI/cli `test/commands/quota/show.test.ts` ("uses account/query_balance for sk-api keys"): Bearer
  `sk-api-…`, `{"available_amount": "98.00", "cash_balance": "0.00", "voucher_balance": "98.00",
  "credit_balance": "0.00", "owed_amount": "0.00", "balance_alert_switch": false, "balance_alert_threshold": "",
  "base_resp": {"status_code": 0, "status_msg": "success"}}` (an all-voucher account; an empty threshold);
  MiniMax-AI/cli `src/client/endpoints.ts`: `${baseUrl}/account/query_balance` for `sk-api-` keys;
- a balance fetcher's tests (its repository is not named by the search index; index id 67111519603):
  `{"available_amount": "12.34", "cash_balance": "10.00", "voucher_balance": "2.34", …}` asked at
  `https://api.minimax.io/account/query_balance` for a base URL of `https://api.minimax.io/v1`, and a refusal
  `{"base_resp": {"status_code": 1004, "status_msg": "invalid api key"}}`;
- a Rust tray's module (not named; index id 70755659744): `{"available_amount": "98.00", "cash_balance": "0.00",
  "voucher_balance": "70.00", "credit_balance": "28.00", …}`, `{"base_resp": {"status_code": 1004,
  "status_msg": "not authorized"}}` not a zero balance, intl = USD and China = CNY;
- ONEGAYI/QuotaTray `crates/quota-core/src/provider/minimax.rs` tests: `status_code` as a string ("1004"),
  a `status_msg` echoing the key;
- issue threads: MiniMax-AI/MiniMax-01#37 and #44, MiniMax-AI/MiniMax-M2.5#18 (HTTP 200
  `{"base_resp": {"status_code": 2049, "status_msg": "invalid api key"}}`, the key and the host of different
  regions); RightNow-AI/openfang#981 (HTTP 401 `{"type": "error", "error": {"type": "authorized_error",
  "message": "invalid api key (2049)", "http_code": "401"}}`); a live note quoted in a public log (index id
  69483376049): a zero wallet, then 1008 insufficient balance.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from pytest_httpserver import HTTPServer

from trayapp.core.errors import BadResponse, ProviderError
from trayapp.core.i18n import localize
from trayapp.core.models import AccountState, ErrorKind, Settings
from trayapp.core.rules import credit_alerts
from trayapp.providers import catalog

from .conftest import KEY, NOW, base, fetch, request_for

PATH = "/account/query_balance"
OK = {"status_code": 0, "status_msg": "success"}
D = Decimal


def wallet(**amounts: object) -> dict[str, object]:
    body: dict[str, object] = {
        "available_amount": "12.34",
        "cash_balance": "10.00",
        "voucher_balance": "2.34",
        "credit_balance": "0.00",
        "owed_amount": "0.00",
        "balance_alert_switch": False,
        "balance_alert_threshold": "5.00",
        "base_resp": OK,
    }
    body.update(amounts)
    return body


def serve(server: HTTPServer, body: object, status: int = 200) -> None:
    server.expect_request(PATH, headers={"Authorization": f"Bearer {KEY}"}).respond_with_json(body, status=status)


def test_cash_is_paid_and_vouchers_are_granted(server: HTTPServer) -> None:
    serve(server, wallet())
    snap = fetch("minimax", base(server), currency="USD").snapshot
    assert (snap.currency, snap.remaining, snap.remaining_paid, snap.remaining_granted) == (
        "USD",
        D("12.34"),
        D("10.00"),
        D("2.34"),
    )
    assert any("accounts grant" in n for n in snap.notes)  # voucher expiry is not in the answer


def test_the_cli_fixture_all_vouchers_and_an_empty_threshold(server: HTTPServer) -> None:
    serve(
        server,
        wallet(available_amount="98.00", cash_balance="0.00", voucher_balance="98.00", balance_alert_threshold=""),
    )
    snap = fetch("minimax", base(server), currency="USD").snapshot
    assert (snap.remaining, snap.remaining_paid, snap.remaining_granted) == (D("98.00"), D("0.00"), D("98.00"))


def test_credit_balance_is_said(server: HTTPServer) -> None:
    serve(
        server, wallet(available_amount="98.00", cash_balance="0.00", voucher_balance="70.00", credit_balance="28.00")
    )
    snap = fetch("minimax", base(server, "/v1"), currency="CNY").snapshot
    credit = next(n for n in snap.notes if "credit_balance" in n)
    assert "28.00 CNY" in credit and "28.00 CNY は MiniMax のクレジット" in localize(credit, "ja")


def test_a_debt_is_said_and_nothing_left_is_credit_zero(server: HTTPServer) -> None:
    serve(server, wallet(available_amount="0.00", cash_balance="-3.50", voucher_balance="0.00", owed_amount="3.50"))
    request = request_for("minimax", base(server), currency="USD")
    snap = catalog.load("minimax").fetch(request).snapshot
    assert snap.remaining == D("0.00") and snap.remaining_paid == D("-3.50")
    assert "MiniMax says $3.50 is owed." in snap.notes
    alerts = credit_alerts(request.account, AccountState(last_good=snap), Settings(), NOW)
    assert [a.code for a in alerts] == ["credit_zero"]


def test_numbers_instead_of_strings_and_no_envelope(server: HTTPServer) -> None:
    serve(server, {"available_amount": 5, "cash_balance": 5})
    snap = fetch("minimax", base(server), currency="USD").snapshot
    assert snap.remaining == D("5") and snap.remaining_granted is None  # not reported, not zero


def test_currency_by_site() -> None:
    info = catalog.info("minimax")
    assert info.currency_for(None) == "USD"  # api.minimax.io, the default
    assert info.currency_for("https://api.minimaxi.com") == "CNY"
    assert info.currency_for("https://relay.example.com") is None


def test_loopback_host_without_currency_says_so(server: HTTPServer) -> None:
    serve(server, wallet())
    snap = fetch("minimax", base(server)).snapshot
    assert snap.currency is None and snap.remaining == D("12.34")
    assert any("set the account's currency" in n for n in snap.notes)


def test_a_model_api_base_url_is_read_at_the_root(server: HTTPServer) -> None:
    serve(server, wallet())
    for path in ("/v1", "/v1/", "/anthropic", "/anthropic/v1"):
        assert fetch("minimax", base(server, path), currency="USD").snapshot.remaining == D("12.34")


@pytest.mark.parametrize(
    ("status", "kind", "title", "said"),
    [
        ({"status_code": 2049, "status_msg": "invalid api key"}, ErrorKind.AUTH, "Key rejected", "code 2049"),
        ({"status_code": "1004", "status_msg": "invalid api key"}, ErrorKind.AUTH, "Key rejected", "code 1004"),
        ({"status_code": 1004, "status_msg": "not authorized"}, ErrorKind.AUTH, "Key rejected", "not authorized"),
        ({"status_code": 1008, "status_msg": "insufficient balance"}, ErrorKind.QUOTA, "Out of credit", "1008"),
        ({"status_code": 1002, "status_msg": "rate limit exceeded"}, ErrorKind.RATE_LIMITED, "Rate limited", "1002"),
        (
            {"status_code": 1013, "status_msg": "internal error"},
            ErrorKind.BAD_RESPONSE,
            "MiniMax reported an error",
            "",
        ),
    ],
)
def test_base_resp_refusals_are_errors_never_zero(
    server: HTTPServer, status: dict[str, object], kind: ErrorKind, title: str, said: str
) -> None:
    serve(server, {"base_resp": status})
    with pytest.raises(ProviderError) as info:
        fetch("minimax", base(server), currency="USD")
    assert (info.value.kind, info.value.title) == (kind, title)
    assert said in info.value.message and "GET /account/query_balance answered code" in info.value.message


def test_a_rejected_key_says_sites_and_key_kinds(server: HTTPServer) -> None:
    serve(server, {"base_resp": {"status_code": 2049, "status_msg": f"invalid api key {KEY}"}})
    with pytest.raises(ProviderError) as info:
        fetch("minimax", base(server), currency="USD")
    assert "works only on the site that made it" in info.value.message
    assert KEY not in info.value.message
    assert "発行したサイト" in localize(info.value.message, "ja")


def test_an_http_401_with_minimax_s_error_body(server: HTTPServer) -> None:
    body = {
        "type": "error",
        "error": {"type": "authorized_error", "message": "invalid api key (2049)", "http_code": "401"},
        "request_id": "0620512b477e40b8b39996b15758f133",
    }
    serve(server, body, status=401)
    with pytest.raises(ProviderError) as info:
        fetch("minimax", base(server), currency="USD")
    assert info.value.kind is ErrorKind.AUTH
    assert info.value.message.startswith("MiniMax rejected the key (401): invalid api key (2049).")
    assert "pay-as-you-go key (sk-api-…)" in info.value.message


def test_a_402_is_out_of_credit(server: HTTPServer) -> None:
    body = {"error": {"type": "insufficient_balance_error", "message": "insufficient balance (1008)"}}
    serve(server, body, status=402)
    with pytest.raises(ProviderError) as info:
        fetch("minimax", base(server), currency="USD")
    assert info.value.kind is ErrorKind.QUOTA


@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        ({"base_resp": OK}, "available_amount", "is missing"),
        (wallet(available_amount=None), "available_amount", "is null"),
        (wallet(available_amount="12,34"), "available_amount", "not a number"),
        (wallet(available_amount="1e13"), "available_amount", "far larger"),
        (wallet(voucher_balance="-1.00"), "voucher_balance", "negative"),
        (wallet(owed_amount=True), "owed_amount", "boolean"),
        ("ok", "(body)", "not an object"),
    ],
)
def test_malformed_answers_are_clear_errors(server: HTTPServer, body: object, field: str, problem: str) -> None:
    serve(server, body)
    with pytest.raises(BadResponse) as info:
        fetch("minimax", base(server), currency="USD")
    assert info.value.title == "Unexpected answer from MiniMax"
    assert f"GET {PATH}: field '{field}'" in info.value.message and problem in info.value.message


def test_the_token_plan_key_caution() -> None:
    spec = catalog.info("minimax").secrets[0]
    assert [prefix for prefix, _ in spec.cautions] == ["sk-cp-"] and spec.prefix is None  # old keys are JWTs
