"""LiteLLM proxy: a virtual key's budget, and its team's or user's when it has none, through a real loopback
server standing in for the proxy.

Sources of the shapes:
- BerriAI/litellm `litellm/proxy/management_endpoints/key_management_endpoints.py`: `info_key_fn` answers
  `{"key": <the key>, "info": <the key's row, token removed>}`, the key from the Authorization header when no
  `?key=` is given, 404 "Key not found in database", 403 "You are not allowed to access this key's info";
  `generate_key_helper_fn` writes `spend`, `max_budget`, `budget_duration`, `budget_reset_at`, `expires`,
  `user_id`, `team_id`, `blocked`. Older versions declare `key: str = fastapi.Query(...)` (required).
- docs.litellm.ai/docs/proxy/users: "If a key belongs to a team, the team budget is applied, not the user's
  personal budget"; over budget: `{"error": {"message": "ExceededBudget: User=<user_id> over budget. Spend=…,
  Budget=0.0", "type": "budget_exceeded", "param": null, "code": "400"}}`; 429 in other deployments (public
  test, search index id 57774341338).
- steipete/CodexBar `Tests/CodexBarTests/LiteLLMUsageFetcherTests.swift`: the `/key/info`, `/user/info` and
  `/team/info` fixtures below; `{proxy}/v1` and `{gateway}/litellm/v1/` read at their roots; a 401
  `{"detail":"Unauthorized"}`.
- A public LiteLLM client's tests (search index id 71073411522): `{"key": "hashed", "info": {"key_alias": "dev",
  "spend": 1.5, "max_budget": 10, "team_id": null}}`; older proxies answer 422 `field required` for `query.key`;
  `/team/info` 403 "not allowed"; /key/info itself refused when the key or its team is blocked or over budget
  (401 "Authentication Error, Key is blocked…", 400 "Budget has been exceeded! Key=dev Current cost: 10.0, Max
  budget: 10.0"). Error messages of real proxies (ids 71401097901, 70679319499): "Authentication Error, Invalid
  proxy server token passed. Received API Key = sk-..., Key Hash (Token) =…", "Authentication Error - Expired
  Key. Key Expiry time …".
Collected in shared/reference/providers-2026.md, section 6.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from trayapp.core.errors import BadResponse, ProviderError
from trayapp.core.models import AccountState, ErrorKind, Settings
from trayapp.core.rules import credit_alerts
from trayapp.providers import catalog

from .conftest import KEY, NOW, base, fetch, request_for

D = Decimal
AUTH = {"Authorization": f"Bearer {KEY}"}


def key_info(server: HTTPServer, info: dict[str, Any], prefix: str = "") -> None:
    # The proxy echoes the key it was asked about; it must never reach the reading.
    server.expect_request(f"{prefix}/key/info", headers=AUTH, query_string="").respond_with_json(
        {"key": KEY, "info": info}
    )


def test_a_key_with_its_own_budget(server: HTTPServer) -> None:
    key_info(server, {"key_alias": "dev", "spend": 1.5, "max_budget": 10, "team_id": None})
    snap = fetch("litellm", base(server)).snapshot
    assert (snap.currency, snap.remaining, snap.used) == ("USD", D("8.5"), D("1.5"))
    assert any("Budget of the key: $10.00, of which $1.50 spent" in n for n in snap.notes)
    assert KEY not in repr(snap)
    assert [req.path for req, _ in server.log] == ["/key/info"]  # nothing more to ask


def test_a_key_under_a_budget_tier_is_held_to_the_tiers_budget(server: HTTPServer) -> None:
    # /key/info includes the key's budget tier (`include={"litellm_budget_table": True}` in info_key_fn); the
    # tier's limits apply where the key has none (BerriAI/litellm proxy test
    # test_litellm_verification_token_view_response_with_budget_table, search index id 118682608).
    key_info(
        server,
        {
            "spend": 0.011441999999999997,
            "max_budget": None,
            "budget_id": "my-test-tier",
            "team_id": "test",
            "litellm_budget_table": {"budget_id": "my-test-tier", "max_budget": 2.0, "budget_duration": "1d"},
        },
    )
    snap = fetch("litellm", base(server)).snapshot
    assert snap.remaining == D("2.0") - D("0.011441999999999997")
    assert [req.path for req, _ in server.log] == ["/key/info"]  # a key with a budget: the team is not asked


def test_codexbar_key_info_behind_v1_with_reset_and_expiry(server: HTTPServer) -> None:
    key_info(
        server,
        {
            "key_name": "sk-...IAAw",
            "spend": 212.3537162499998,
            "max_budget": 300.0,
            "budget_duration": "30d",
            "budget_reset_at": "2026-12-15T00:00:00Z",
            "expires": "2027-09-11T00:12:55.950000+00:00",
            "user_id": "user-123",
            "team_id": None,
        },
    )
    snap = fetch("litellm", base(server, "/v1")).snapshot
    assert snap.remaining == D("300.0") - D("212.3537162499998")
    assert snap.expires_at == datetime(2027, 9, 11, 0, 12, 55, 950000, tzinfo=UTC)
    assert any("refills on 2026-12-15 (every 30d)" in n for n in snap.notes)
    assert any("stops working on 2027-09-11" in n for n in snap.notes)


def test_a_team_key_without_a_budget_spends_the_teams(server: HTTPServer) -> None:
    key_info(server, {"key_name": "team-service-key", "team_id": "team-456", "spend": 25, "max_budget": None})
    server.expect_request("/team/info", headers=AUTH, query_string={"team_id": "team-456"}).respond_with_json(
        {
            "team_id": "team-456",
            "team_info": {
                "team_id": "team-456",
                "team_alias": "platform",
                "max_budget": 100,
                "spend": 25,
                "budget_duration": "30d",
                "budget_reset_at": "2027-01-01T00:00:00Z",
            },
        }
    )
    snap = fetch("litellm", base(server, "/v1")).snapshot
    assert snap.remaining == D("75") and snap.used == D("25")
    assert any("Budget of the team: $100.00" in n for n in snap.notes)


def test_a_users_key_without_a_budget_spends_the_users(server: HTTPServer) -> None:
    key_info(server, {"user_id": "user-123", "team_id": None, "spend": 1})
    server.expect_request("/user/info", query_string={"user_id": "user-123"}).respond_with_json(
        {"user_id": "user-123", "user_info": {"user_id": "user-123", "max_budget": 10, "spend": 1}}
    )
    snap = fetch("litellm", base(server)).snapshot
    assert snap.remaining == D("9") and any("Budget of the user" in n for n in snap.notes)


def test_no_budget_anywhere_is_unknown_and_unlimited_never_zero(server: HTTPServer) -> None:
    key_info(server, {"user_id": "user-123", "team_id": None, "spend": 12.5})
    server.expect_request("/user/info").respond_with_json(
        {"user_id": "user-123", "user_info": {"user_id": "user-123", "max_budget": None, "spend": 12.5}}
    )
    request = request_for("litellm", base(server))
    snap = catalog.load("litellm").fetch(request).snapshot
    assert snap.remaining is None and snap.flags == frozenset({"unlimited"}) and snap.used == D("12.5")
    assert snap.unknown_reason is not None and "no budget on this key or on the user" in snap.unknown_reason
    assert credit_alerts(request.account, AccountState(last_good=snap), Settings(), NOW) == []


def test_a_key_of_nobody_without_a_budget(server: HTTPServer) -> None:
    key_info(server, {"spend": 0.0, "max_budget": None, "user_id": None, "team_id": None})
    snap = fetch("litellm", base(server)).snapshot
    assert snap.remaining is None and "no budget on this key, so" in (snap.unknown_reason or "")


def test_a_user_the_proxy_never_stored_has_no_budget(server: HTTPServer) -> None:
    key_info(server, {"user_id": "sso-user", "spend": 3})
    server.expect_request("/user/info").respond_with_json({"user_id": "sso-user", "user_info": None, "keys": []})
    snap = fetch("litellm", base(server)).snapshot
    assert snap.remaining is None and "unlimited" in snap.flags


def test_a_team_the_key_may_not_read_leaves_the_budget_unknown_with_the_reason(server: HTTPServer) -> None:
    key_info(server, {"spend": 1.5, "team_id": "t1"})
    server.expect_request("/team/info").respond_with_json({"error": {"message": "not allowed"}}, status=403)
    snap = fetch("litellm", base(server)).snapshot
    assert snap.remaining is None and snap.flags == frozenset()
    assert "spends the team's, which the proxy does not show to this key (Access refused)" in (
        snap.unknown_reason or ""
    )


def test_an_older_proxy_wants_the_key_as_a_parameter(server: HTTPServer) -> None:
    server.expect_request("/key/info", query_string="").respond_with_json(
        {"detail": [{"loc": ["query", "key"], "msg": "field required", "type": "value_error.missing"}]}, status=422
    )
    server.expect_request("/key/info", headers=AUTH, query_string={"key": KEY}).respond_with_json(
        {"key": KEY, "info": {"spend": 2, "max_budget": 5}}
    )
    assert fetch("litellm", base(server)).snapshot.remaining == D("3")


def test_a_proxy_under_a_path_is_read_there(server: HTTPServer) -> None:
    key_info(server, {"spend": 0, "max_budget": 1}, prefix="/litellm")
    assert fetch("litellm", base(server, "/litellm/v1/")).snapshot.remaining == D("1")


def test_overspent_budget_is_credit_zero(server: HTTPServer) -> None:
    key_info(server, {"spend": 10.2, "max_budget": 10})
    request = request_for("litellm", base(server))
    snap = catalog.load("litellm").fetch(request).snapshot
    assert snap.remaining == D("-0.2")
    alerts = credit_alerts(request.account, AccountState(last_good=snap), Settings(), NOW)
    assert [a.code for a in alerts] == ["credit_zero"]


def test_blocked_and_expired_keys_are_flagged(server: HTTPServer) -> None:
    key_info(server, {"spend": 1, "max_budget": 10, "blocked": True, "expires": "2026-11-30T00:00:00"})
    snap = fetch("litellm", base(server)).snapshot
    assert snap.flags == frozenset({"blocked", "expired"})
    assert snap.expires_at == datetime(2026, 11, 30, tzinfo=UTC)  # LiteLLM's times are UTC, offset or not
    assert any("expired on 2026-11-30" in n for n in snap.notes)


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (
            400,
            {
                "error": {
                    "message": "Budget has been exceeded! Key=dev Current cost: 10.0, Max budget: 10.0",
                    "type": "budget_exceeded",
                    "param": None,
                    "code": "400",
                }
            },
        ),
        (
            429,
            {
                "error": {
                    "message": "ExceededBudget: Team=t1 over 1d budget. Spend=$5.1000, Limit=$5.00",
                    "type": "budget_exceeded",
                    "param": None,
                    "code": "429",
                }
            },
        ),
        (400, {"error": {"message": "Budget has been exceeded! Team=t1 Current cost: 51.0, Max budget: 50.0"}}),
    ],
)
def test_a_spent_budget_refusing_key_info_is_out_of_credit(server: HTTPServer, status: int, body: object) -> None:
    server.expect_request("/key/info").respond_with_json(body, status=status)
    with pytest.raises(ProviderError) as info:
        fetch("litellm", base(server))
    assert info.value.kind is ErrorKind.QUOTA and info.value.title == "Out of credit"
    assert "exceeded" in info.value.message.lower()


@pytest.mark.parametrize(
    "message",
    [
        f"Authentication Error, Invalid proxy server token passed. Received API Key = {KEY}, Key Hash (Token) =c8c2",
        "Authentication Error - Expired Key. Key Expiry time 2026-09-01",
        "Authentication Error, Key is blocked. Update via `/key/unblock` if you're an admin.",
    ],
)
def test_refused_keys_never_show_the_key(server: HTTPServer, message: str) -> None:
    server.expect_request("/key/info").respond_with_json(
        {"error": {"message": message, "type": "auth_error", "param": "None", "code": "401"}}, status=401
    )
    with pytest.raises(ProviderError) as info:
        fetch("litellm", base(server))
    assert info.value.kind is ErrorKind.AUTH and info.value.title == "Key rejected"
    assert message.split(",")[0].split(" - ")[0] in info.value.message and KEY not in info.value.message


def test_a_key_the_proxy_no_longer_knows_is_rejected_not_a_wrong_address(server: HTTPServer) -> None:
    # info_key_fn: ProxyException(message="Key not found in database", type=not_found_error, code=404)
    server.expect_request("/key/info").respond_with_json(
        {"error": {"message": "Key not found in database", "param": "key", "code": "404"}},
        status=404,
    )
    with pytest.raises(ProviderError) as info:
        fetch("litellm", base(server))
    assert info.value.kind is ErrorKind.AUTH and "Key not found in database" in info.value.message


def test_a_proxy_without_key_info_is_a_wrong_address(server: HTTPServer) -> None:
    server.expect_request("/key/info").respond_with_json({"detail": "Not Found"}, status=404)
    with pytest.raises(ProviderError) as info:
        fetch("litellm", base(server))
    assert info.value.kind is ErrorKind.CONFIG and "check the account's base URL" in info.value.message


def test_codexbars_unauthorized_detail(server: HTTPServer) -> None:
    server.expect_request("/key/info").respond_with_json({"detail": "Unauthorized"}, status=401)
    with pytest.raises(ProviderError) as info:
        fetch("litellm", base(server))
    assert info.value.kind is ErrorKind.AUTH and "Unauthorized" in info.value.message


def test_the_base_url_is_required() -> None:
    with pytest.raises(ProviderError) as info:
        fetch("litellm", None)
    assert info.value.kind is ErrorKind.CONFIG and info.value.title == "Base URL needed"
    assert catalog.info("litellm").default_base_url is None


@pytest.mark.parametrize(
    ("info", "field", "problem"),
    [
        ({"max_budget": 10}, "info.spend", "is missing"),
        ({"max_budget": "ten", "spend": 1}, "info.max_budget", "not a number"),
        ({"max_budget": 10, "spend": 1, "expires": "soon"}, "info.expires", "not a date and time"),
        ({"max_budget": 10, "spend": 1, "blocked": "yes"}, "info.blocked", "not true or false"),
        ({"max_budget": 10, "spend": -1}, "info.spend", "negative"),
    ],
)
def test_malformed_key_info_is_a_clear_error(
    server: HTTPServer, info: dict[str, Any], field: str, problem: str
) -> None:
    key_info(server, info)
    with pytest.raises(BadResponse) as raised:
        fetch("litellm", base(server))
    assert raised.value.title == "Unexpected answer from LiteLLM"
    assert f"GET /key/info: field '{field}'" in raised.value.message and problem in raised.value.message


def test_an_answer_without_info_is_an_error(server: HTTPServer) -> None:
    server.expect_request("/key/info").respond_with_json({"key": KEY})
    with pytest.raises(BadResponse) as raised:
        fetch("litellm", base(server))
    assert "field 'info' is missing" in raised.value.message and KEY not in raised.value.message


def test_another_teams_figures_are_not_this_keys_budget(server: HTTPServer) -> None:
    key_info(server, {"spend": 1, "team_id": "team-456"})
    server.expect_request("/team/info").respond_with_json(
        {"team_id": "team-other", "team_info": {"team_id": "team-other", "max_budget": 5.0, "spend": 4.0}}
    )
    with pytest.raises(BadResponse) as raised:
        fetch("litellm", base(server))
    assert "field 'team_info.team_id' is not the one /key/info named" in raised.value.message
