"""xAI: the team from the API key on one host, the prepaid ledger with the management key on another, through
two real loopback servers (the API host and the management host), each key seen only by its own host.

Sources of the shapes:
- `GET /v1/api-key`: xAI's REST reference example (`{"redacted_api_key": "xai-...b14o", "user_id": …,
  "team_id": "5ea6f6bd-…", "acls": [...], "api_key_id": …, "team_blocked": false, "api_key_blocked": false,
  "api_key_disabled": false}`), also in public client tests (search index ids 36422332769, 54717966539); answers
  without `team_id` occur in public test stand-ins (ids 69400597589, 66868470665).
- An invalid API key: HTTP 400 `{"code": "Client specified an invalid argument", "error": "Incorrect API key
  provided: ba***na. You can obtain an API key from https://console.x.ai."}` (i-am-bee/beeai-framework#447;
  continuedev/continue#10778, #10161).
- `GET /v1/billing/teams/{team}/prepaid/balance`: `{"changes": [...], "total": {"val": "-1000"}}`, USD cents,
  credit negative (docs.x.ai management billing reference; steipete/CodexBar `docs/xai.md`, `xai.js`,
  `Tests/CodexBarTests/XAIProviderTests.swift`: "-1000" → $10, "2500" → −$25, "0" → $0, "-333" → $3.33, "n/a" a
  parse failure, 404 = wrong team or a key of another team); the ledger entries
  `{"changeOrigin": "PURCHASE", "amount": {"val": "-2500"}, "createTs": …}` (robinebers/openusage#391);
  `{"changes":[],"total":{"val":"-2500"}}` and a 200 `{"error":"forbidden"}` that must not read as $0
  (akitaonrails/ai-usagebar `src/grok/fetch.rs`, `src/grok/types.rs`).
Collected in shared/reference/providers-2026.md, section 2.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from trayapp.core.errors import BadResponse, ProviderError
from trayapp.core.models import AccountState, ErrorKind, Settings
from trayapp.core.rules import credit_alerts
from trayapp.providers import catalog
from trayapp.providers.base import FetchOutcome, FetchRequest

from .conftest import NOW, base, request_for

API_KEY = "xai-CANARY-api-0123456789abcdef"
MGMT_KEY = "xai-token-CANARY-mgmt-0123456789"
TEAM = "5ea6f6bd-7815-4b8a-9135-28b2d7ba6722"
BALANCE = f"/v1/billing/teams/{TEAM}/prepaid/balance"
D = Decimal

KEY_INFO = {
    "redacted_api_key": "xai-...b14o",
    "user_id": "59fbe5f2-040b-46d5-8325-868bb8f23eb2",
    "name": "My API Key",
    "create_time": "2024-01-01T12:55:18.139305Z",
    "modify_time": "2024-08-28T17:20:12.343321Z",
    "modified_by": "3d38b4dc-4eb7-4785-ae26-c3fa8997ffc7",
    "team_id": TEAM,
    "acls": ["api-key:model:*", "api-key:endpoint:*"],
    "api_key_id": "ae1e1841-4326-4b36-a8a9-8a1a7237db11",
    "team_blocked": False,
    "api_key_blocked": False,
    "api_key_disabled": False,
}


def request(api: HTTPServer, mgmt: HTTPServer, cache: dict[str, Any] | None = None) -> FetchRequest:
    req = request_for("xai", base(api, "/v1"), secrets={"api": API_KEY, "management": MGMT_KEY}, cache=cache)
    return replace(req, account=replace(req.account, options={"management_base_url": base(mgmt)}))


def run(api: HTTPServer, mgmt: HTTPServer, cache: dict[str, Any] | None = None) -> FetchOutcome:
    return catalog.load("xai").fetch(request(api, mgmt, cache))


def serve(api: HTTPServer, mgmt: HTTPServer, balance: object, key_info: object = KEY_INFO) -> None:
    api.expect_request("/v1/api-key", headers={"Authorization": f"Bearer {API_KEY}"}).respond_with_json(key_info)
    mgmt.expect_request(BALANCE, headers={"Authorization": f"Bearer {MGMT_KEY}"}).respond_with_json(balance)


def keys_seen(server: HTTPServer) -> set[str]:
    return {req.headers.get("Authorization", "") for req, _ in server.log}


def test_documented_top_up_is_ten_dollars_and_each_key_goes_only_to_its_host(
    server: HTTPServer, elsewhere: HTTPServer
) -> None:
    serve(server, elsewhere, {"changes": [], "total": {"val": "-1000"}})
    outcome = run(server, elsewhere)
    snap = outcome.snapshot
    assert (snap.currency, snap.remaining, snap.flags) == ("USD", D("10"), frozenset())
    assert snap.remaining_granted is None and snap.remaining_paid is None  # the ledger has no split
    assert any("billing cycle closes" in n for n in snap.notes)
    assert keys_seen(server) == {f"Bearer {API_KEY}"}
    assert keys_seen(elsewhere) == {f"Bearer {MGMT_KEY}"}
    assert outcome.cache["team_id"] == TEAM and API_KEY not in str(outcome.cache)


@pytest.mark.parametrize(
    ("val", "left"),
    [("2500", D("-25")), ("0", D("0")), ("-333", D("3.33")), (-2317, D("23.17"))],
)
def test_codexbar_ledger_goldens(server: HTTPServer, elsewhere: HTTPServer, val: object, left: Decimal) -> None:
    serve(server, elsewhere, {"total": {"val": val}})
    snap = run(server, elsewhere).snapshot
    assert snap.remaining == left and str(snap.remaining) != "-0"
    assert any("owed" in n for n in snap.notes) == (left < 0)


def test_ledger_with_purchase_and_spend_entries(server: HTTPServer, elsewhere: HTTPServer) -> None:
    body = {
        "changes": [
            {"changeOrigin": "PURCHASE", "amount": {"val": "-2500"}, "createTs": "2026-03-23T12:56:21Z"},
            {"changeOrigin": "SPEND", "amount": {"val": "183"}, "createTs": "2026-04-10T21:40:00Z"},
        ],
        "total": {"val": "-2317"},
    }
    serve(server, elsewhere, body)
    assert run(server, elsewhere).snapshot.remaining == D("23.17")


def test_zero_left_is_credit_zero(server: HTTPServer, elsewhere: HTTPServer) -> None:
    serve(server, elsewhere, {"total": {"val": "0"}})
    req = request(server, elsewhere)
    snap = catalog.load("xai").fetch(req).snapshot
    alerts = credit_alerts(req.account, AccountState(last_good=snap), Settings(), NOW)
    assert [a.code for a in alerts] == ["credit_zero"]


@pytest.mark.parametrize(
    ("field", "says"),
    [("api_key_blocked", "API key is blocked"), ("api_key_disabled", "disabled"), ("team_blocked", "team is blocked")],
)
def test_a_blocked_key_or_team_is_flagged_with_its_balance(
    server: HTTPServer, elsewhere: HTTPServer, field: str, says: str
) -> None:
    serve(server, elsewhere, {"total": {"val": "-5000"}}, {**KEY_INFO, field: True})
    req = request(server, elsewhere)
    snap = catalog.load("xai").fetch(req).snapshot
    assert snap.remaining == D("50") and snap.flags == frozenset({"blocked"})
    assert any(says in n for n in snap.notes)
    alerts = credit_alerts(req.account, AccountState(last_good=snap), Settings(), NOW)
    assert [a.code for a in alerts] == ["credit_zero"]  # blocked: nothing can be spent


def test_wrong_api_key_answered_with_400_is_key_rejected(server: HTTPServer, elsewhere: HTTPServer) -> None:
    server.expect_request("/v1/api-key").respond_with_json(
        {
            "code": "Client specified an invalid argument",
            "error": "Incorrect API key provided: xa***ef. You can obtain an API key from https://console.x.ai.",
        },
        status=400,
    )
    with pytest.raises(ProviderError) as info:
        run(server, elsewhere)
    assert info.value.kind is ErrorKind.AUTH and info.value.title == "Key rejected"
    assert "Incorrect API key provided" in info.value.message
    assert elsewhere.log == []  # no team, no management request


def test_an_inference_key_given_as_management_key_is_refused_clearly(server: HTTPServer, elsewhere: HTTPServer) -> None:
    server.expect_request("/v1/api-key").respond_with_json(KEY_INFO)
    elsewhere.expect_request(BALANCE).respond_with_json(
        {"code": 16, "error": f"unauthenticated {MGMT_KEY}"}, status=401
    )
    with pytest.raises(ProviderError) as info:
        run(server, elsewhere)
    assert info.value.kind is ErrorKind.AUTH and info.value.title == "Management key refused"
    assert "rejected the management key (401)" in info.value.message and "Management Keys" in info.value.message
    assert MGMT_KEY not in info.value.message and API_KEY not in info.value.message


def test_404_names_the_team(server: HTTPServer, elsewhere: HTTPServer) -> None:
    server.expect_request("/v1/api-key").respond_with_json(KEY_INFO)
    elsewhere.expect_request(BALANCE).respond_with_json({"error": "no team"}, status=404)
    with pytest.raises(ProviderError) as info:
        run(server, elsewhere)
    assert info.value.kind is ErrorKind.CONFIG and info.value.title == "Team not found"
    assert TEAM in info.value.message


def test_an_error_body_with_status_200_is_not_zero(server: HTTPServer, elsewhere: HTTPServer) -> None:
    serve(server, elsewhere, {"error": "forbidden"})
    with pytest.raises(ProviderError) as info:
        run(server, elsewhere)
    assert info.value.title == "xAI reported an error" and "forbidden" in info.value.message


@pytest.mark.parametrize(
    ("key_info", "balance", "field", "problem"),
    [
        ({**KEY_INFO, "team_id": None}, {"total": {"val": "-1"}}, "team_id", "is missing"),
        ({k: v for k, v in KEY_INFO.items() if k != "team_id"}, {"total": {"val": "-1"}}, "team_id", "is missing"),
        ({**KEY_INFO, "team_id": "../../auth/keys"}, {"total": {"val": "-1"}}, "team_id", "not a team id"),
        ({**KEY_INFO, "team_blocked": "no"}, {"total": {"val": "-1"}}, "team_blocked", "not true or false"),
        (KEY_INFO, {"total": {"val": "n/a"}}, "total.val", "not a number"),
        (KEY_INFO, {"total": {}}, "total.val", "is missing"),
        (KEY_INFO, {"total": {"val": ""}}, "total.val", "not a number"),
        (KEY_INFO, {"changes": []}, "total", "is missing"),
    ],
)
def test_malformed_answers_are_clear_errors(
    server: HTTPServer, elsewhere: HTTPServer, key_info: object, balance: object, field: str, problem: str
) -> None:
    server.expect_request("/v1/api-key").respond_with_json(key_info)
    elsewhere.expect_request(BALANCE).respond_with_json(balance)
    with pytest.raises(BadResponse) as info:
        run(server, elsewhere)
    assert info.value.title == "Unexpected answer from xAI"
    assert f"field '{field}'" in info.value.message and problem in info.value.message


def test_api_host_down_uses_the_team_remembered_for_this_key(server: HTTPServer, elsewhere: HTTPServer) -> None:
    serve(server, elsewhere, {"total": {"val": "-700"}})
    cache = dict(run(server, elsewhere).cache)
    server.clear()
    server.expect_request("/v1/api-key").respond_with_json({"error": "upstream"}, status=503)
    snap = run(server, elsewhere, cache).snapshot
    assert snap.remaining == D("7")
    assert any("was not checked" in n for n in snap.notes)


def test_a_team_remembered_for_another_key_is_not_used(server: HTTPServer, elsewhere: HTTPServer) -> None:
    server.expect_request("/v1/api-key").respond_with_json({"error": "upstream"}, status=503)
    with pytest.raises(ProviderError) as info:
        run(server, elsewhere, {"team_id": TEAM, "key": "another-key-mark"})
    assert info.value.kind is ErrorKind.SERVER
    assert elsewhere.log == []


def test_management_key_missing_is_said(server: HTTPServer, elsewhere: HTTPServer) -> None:
    server.expect_request("/v1/api-key").respond_with_json(KEY_INFO)
    req = request_for("xai", base(server, "/v1"), secrets={"api": API_KEY})
    req = replace(req, account=replace(req.account, options={"management_base_url": base(elsewhere)}))
    with pytest.raises(ProviderError) as info:
        catalog.load("xai").fetch(req)
    assert info.value.kind is ErrorKind.SECRET and "management key" in info.value.message


def test_the_management_key_goes_to_the_management_host_by_default() -> None:
    from trayapp.providers.xai import MANAGEMENT_URL, _on_management_host

    req = _on_management_host(request_for("xai", None, secrets={"api": API_KEY, "management": MGMT_KEY}))
    assert req.account.base_url == MANAGEMENT_URL == "https://management-api.x.ai"
    assert catalog.info("xai").default_base_url == "https://api.x.ai/v1"
