"""Vercel AI Gateway GET /v1/credits: the documented payload and the variants real callers meet, through a real
loopback server.

Sources of the shapes:
- vercel.com/docs/ai-gateway (usage / observability-and-spend): `GET https://ai-gateway.vercel.sh/v1/credits`,
  Bearer AI Gateway key or OIDC token, `{"balance": "95.50", "total_used": "4.50"}`, USD decimal strings.
- Public callers of the endpoint found by code search: one typing the answer as `{ balance: string, total_used:
  string }` (search index id 59578433167), one noting `// API returns: { balance: "16.81", total_used: "3.19" }`;
  the project's reference (shared/reference/providers-2026.md section 8) adds that some callers accept numbers.
  Zero and negative balances: guards (the reference reports them kept by CodexBar; its current tree has no
  Vercel provider to check).
- Refusals: `{"error": {"message": …, "type": "authentication_error", "param": …, "code": …}}`, the schema the
  gateway client parses (vercel/ai `packages/gateway/src/errors/create-gateway-error.ts`); the 401 message
  users see, "AI Gateway authentication failed: Invalid API key." (nuxt/ui#6376).
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

PATH = "/v1/credits"
D = Decimal


def serve(server: HTTPServer, body: object) -> None:
    server.expect_request(PATH, headers={"Authorization": f"Bearer {KEY}"}).respond_with_json(body)


def test_documented_payload(server: HTTPServer) -> None:
    serve(server, {"balance": "95.50", "total_used": "4.50"})
    snap = fetch("vercel", base(server, "/v1")).snapshot
    assert (snap.currency, snap.remaining, snap.used) == ("USD", D("95.50"), D("4.50"))
    assert snap.remaining_granted is None and snap.remaining_paid is None and snap.expires_at is None
    assert snap.notes == ()


def test_a_callers_observed_answer_and_numbers_instead_of_strings(server: HTTPServer) -> None:
    serve(server, {"balance": 16.81, "total_used": 3.19})
    snap = fetch("vercel", base(server, "/v1")).snapshot
    assert (snap.remaining, snap.used) == (D("16.81"), D("3.19"))


def test_without_total_used_only_the_balance_is_known(server: HTTPServer) -> None:
    serve(server, {"balance": "12.00"})
    snap = fetch("vercel", base(server, "/v1")).snapshot
    assert snap.remaining == D("12.00") and snap.used is None  # unknown, not 0


def test_zero_is_credit_zero(server: HTTPServer) -> None:
    serve(server, {"balance": "0.00", "total_used": "5.00"})
    request = request_for("vercel", base(server, "/v1"))
    snap = catalog.load("vercel").fetch(request).snapshot
    alerts = credit_alerts(request.account, AccountState(last_good=snap), Settings(), NOW)
    assert [a.code for a in alerts] == ["credit_zero"]


def test_a_negative_balance_is_kept_and_said(server: HTTPServer) -> None:
    serve(server, {"balance": "-0.42", "total_used": "5.42"})
    snap = fetch("vercel", base(server, "/v1")).snapshot
    assert snap.remaining == D("-0.42")
    assert any("$0.42 below zero" in n for n in snap.notes)


def test_a_refused_key(server: HTTPServer) -> None:
    server.expect_request(PATH).respond_with_json(
        {"error": {"message": f"Invalid API key {KEY}", "type": "authentication_error"}}, status=401
    )
    with pytest.raises(ProviderError) as info:
        fetch("vercel", base(server, "/v1"))
    assert info.value.kind is ErrorKind.AUTH and info.value.title == "Key rejected"
    assert info.value.message.startswith("Vercel AI Gateway rejected the key (401): Invalid API key")
    assert KEY not in info.value.message


def test_a_forbidden_key(server: HTTPServer) -> None:
    server.expect_request(PATH).respond_with_json(
        {"error": {"message": "Forbidden", "type": "forbidden_error"}}, status=403
    )
    with pytest.raises(ProviderError) as info:
        fetch("vercel", base(server, "/v1"))
    assert info.value.kind is ErrorKind.PERMISSION


def test_an_error_envelope_with_status_200_is_not_zero(server: HTTPServer) -> None:
    serve(server, {"error": {"message": "Unauthenticated request to AI Gateway.", "type": "authentication_error"}})
    with pytest.raises(ProviderError) as info:
        fetch("vercel", base(server, "/v1"))
    assert info.value.title == "Vercel AI Gateway reported an error"
    assert "authentication_error" in info.value.message and "Unauthenticated request" in info.value.message


@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        ({"total_used": "1"}, "balance", "is missing"),
        ({"balance": None, "total_used": "1"}, "balance", "is null"),
        ({"balance": "$5"}, "balance", "not a number"),
        ({"balance": "5", "total_used": "-1"}, "total_used", "negative"),
        ({"balance": "1e13"}, "balance", "far larger"),
    ],
)
def test_malformed_answers_are_clear_errors(server: HTTPServer, body: object, field: str, problem: str) -> None:
    serve(server, body)
    with pytest.raises(BadResponse) as info:
        fetch("vercel", base(server, "/v1"))
    assert info.value.title == "Unexpected answer from Vercel AI Gateway"
    assert f"GET {PATH}: field '{field}'" in info.value.message and problem in info.value.message
