"""Novita AI balance: the documented payload and the variants real clients meet, through a real loopback server.

Sources of the shapes:
- Novita's API reference (novita.ai/docs/api-reference/basic-get-user-balance): `GET
  /openapi/v1/billing/balance/detail`, Bearer key, `{"availableBalance": "1000000", "cashBalance": "800000",
  "creditLimit": "200000", "pendingCharges": "0", "outstandingInvoices": "0"}`, amounts in 1/10 000 USD.
- akitaonrails/ai-usagebar `src/novita/fetch.rs` tests: that payload read as $100.00 available and $80.00 cash;
  `{"availableBalance":"55000","cashBalance":"55000","creditLimit":"0","outstandingInvoices":"0"}` (no
  pendingCharges) as $5.50; a 200 answer `{"code":401,"message":"invalid api key"}` must be an error, never
  $0.00; a 401 `{"error":"unauthorized"}`.
- farion1231/cc-switch `src-tauri/src/services/balance.rs` and other balance tools read the same fields from
  `GET /v3/user/balance` (parseFloat / doubleOrNull: numbers as well as strings).
Collected in shared/reference/providers-2026.md, section 5.
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

PATH = "/openapi/v1/billing/balance/detail"
LEGACY = "/v3/user/balance"
DOCUMENTED = {
    "availableBalance": "1000000",
    "cashBalance": "800000",
    "creditLimit": "200000",
    "pendingCharges": "0",
    "outstandingInvoices": "0",
}
D = Decimal


def serve(server: HTTPServer, body: object, path: str = PATH) -> None:
    server.expect_request(path, headers={"Authorization": f"Bearer {KEY}"}).respond_with_json(body)


def test_documented_payload_in_dollars_with_its_credit_line(server: HTTPServer) -> None:
    serve(server, DOCUMENTED)
    snap = fetch("novita", base(server)).snapshot
    assert (snap.currency, snap.remaining, snap.remaining_paid) == ("USD", D("100"), D("80"))
    assert snap.remaining_granted is None  # Novita says nothing of given credit
    line = next(n for n in snap.notes if "credit line" in n)
    assert "$20.00" in line and "$80.00" in line
    assert "与信枠 $20.00" in localize(line, "ja")


def test_ai_usagebar_fixture_without_pending_charges(server: HTTPServer) -> None:
    serve(server, {"availableBalance": "55000", "cashBalance": "55000", "creditLimit": "0", "outstandingInvoices": "0"})
    snap = fetch("novita", base(server)).snapshot
    assert snap.remaining == D("5.5") and snap.notes == ()


def test_numbers_as_well_as_strings_and_unpaid_invoices(server: HTTPServer) -> None:
    serve(server, {"availableBalance": 12345, "cashBalance": 12345, "creditLimit": 0, "outstandingInvoices": 25000})
    snap = fetch("novita", base(server)).snapshot
    assert snap.remaining == D("1.2345")
    assert any("Unpaid invoices: $2.50" in n for n in snap.notes)


def test_the_older_path_is_asked_when_the_first_is_not_found(server: HTTPServer) -> None:
    server.expect_request(PATH).respond_with_json({"error": "not found"}, status=404)
    serve(server, {"availableBalance": "20000", "cashBalance": "20000"}, LEGACY)
    assert fetch("novita", base(server)).snapshot.remaining == D("2")


def test_zero_left_is_credit_zero(server: HTTPServer) -> None:
    serve(server, {**DOCUMENTED, "availableBalance": "0", "cashBalance": "0", "creditLimit": "0"})
    request = request_for("novita", base(server))
    snap = catalog.load("novita").fetch(request).snapshot
    alerts = credit_alerts(request.account, AccountState(last_good=snap), Settings(), NOW)
    assert [a.code for a in alerts] == ["credit_zero"]


def test_an_error_envelope_with_status_200_is_a_rejected_key_not_zero(server: HTTPServer) -> None:
    serve(server, {"code": 401, "message": f"invalid api key {KEY}"})
    with pytest.raises(ProviderError) as info:
        fetch("novita", base(server))
    assert info.value.kind is ErrorKind.AUTH and info.value.title == "Key rejected"
    assert "invalid api key" in info.value.message and KEY not in info.value.message


def test_another_envelope_is_an_error_naming_novita(server: HTTPServer) -> None:
    serve(server, {"code": 500, "message": "internal"})
    with pytest.raises(ProviderError) as info:
        fetch("novita", base(server))
    assert info.value.kind is ErrorKind.BAD_RESPONSE and info.value.title == "Novita AI reported an error"


@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        ({"cashBalance": "1"}, "availableBalance", "is missing"),
        ({"availableBalance": "1.2.3"}, "availableBalance", "not a number"),
        ({"availableBalance": True}, "availableBalance", "boolean"),
        ({"availableBalance": "1", "creditLimit": "-5"}, "creditLimit", "negative"),
    ],
)
def test_malformed_answers_are_clear_errors(server: HTTPServer, body: object, field: str, problem: str) -> None:
    serve(server, body)
    with pytest.raises(BadResponse) as info:
        fetch("novita", base(server))
    assert info.value.title == "Unexpected answer from Novita AI"
    assert f"GET {PATH}: field '{field}'" in info.value.message and problem in info.value.message


def test_a_refused_key_never_shows_the_key(server: HTTPServer) -> None:
    server.expect_request(PATH).respond_with_json({"error": f"unauthorized {KEY}"}, status=401)
    with pytest.raises(ProviderError) as info:
        fetch("novita", base(server))
    assert info.value.kind is ErrorKind.AUTH
    assert KEY not in info.value.message and KEY not in info.value.title
