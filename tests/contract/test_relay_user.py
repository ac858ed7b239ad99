"""A relay user's own balance with a system access token (new-api `GET /api/user/self`), through a real loopback
server.

Shapes and refusals from the relays' source and from clients that read them:
- QuantumNous/new-api 9736e4e962d0 controller/user.go GetSelf: `{"success": true, "message": "", "data": {"id",
  "username", "display_name", "role", "status", "email", ..., "quota", "used_quota", "request_count", "group",
  "aff_code", "aff_count", "aff_quota", ...}}`; quota is what is left (spending decrements it).
- QuantumNous/new-api 691a8046de7e middleware/auth.go authHelper: the access token in `Authorization`; a wrong
  token → HTTP 200 {"success": false, "message": "无权进行此操作，access token 无效"}; no `New-Api-User` → 401
  "无权进行此操作，未提供 New-Api-User"; a banned user → HTTP 200 "用户已被封禁". model/user.go
  ValidateAccessToken strips a "Bearer " prefix.
- QuantumNous/new-api 040b46a083e1 middleware/auth.go (personal access tokens): no New-Api-User check; a wrong
  token → 401 {"success": false, "code": "AUTH_UNAUTHORIZED", "message": ...}.
- AkaraChen/one-api-dashboard src/services/one-api.ts: `/api/status` quota_per_unit, then `/api/user/self`
  quota ÷ quota_per_unit. steipete/CodexBar docs/aihubmix.md: AIHubMix, `Authorization: <Manage Key>`, USD =
  quota / 500000, used = used_quota / 500000.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from trayapp.core import codec
from trayapp.core.errors import BadResponse, ProviderError
from trayapp.core.models import ErrorKind

from .conftest import KEY, base, fetch

D = Decimal
SELF = "/api/user/self"
STATUS = "/api/status"
TOKEN = "aihubmix-MANAGE-CANARY-0123456789abcdef"  # a system access token: no sk- prefix
USER_ID = "4217"


def user_self(quota: object = 1000000, used: object = 50000) -> dict[str, object]:
    # new-api controller/user.go GetSelf, the documented example's personal fields included
    return {
        "success": True,
        "message": "",
        "data": {
            "id": 4217,
            "username": "testuser",
            "display_name": "Test User",
            "role": 1,
            "status": 1,
            "email": "user@example.com",
            "github_id": "",
            "quota": quota,
            "used_quota": used,
            "request_count": 100,
            "group": "default",
            "aff_code": "ABC123",
            "aff_count": 0,
            "aff_quota": 10000,
            "inviter_id": 0,
        },
    }


def new_api_status(display: str = "USD", per_unit: int = 500000, rate: float = 7.3) -> dict[str, object]:
    # new-api controller/misc.go GetStatus (abridged)
    return {
        "success": True,
        "message": "",
        "data": {
            "version": "v0.9.0",
            "quota_per_unit": per_unit,
            "display_in_currency": True,
            "quota_display_type": display,
            "usd_exchange_rate": rate,
            "enable_drawing": True,
        },
    }


def secrets(user: str | None = USER_ID) -> dict[str, str]:
    keys = {"api": KEY, "access": TOKEN}
    if user is not None:
        keys["user"] = user
    return keys


def user_balance(server: HTTPServer, user: str | None = USER_ID, currency: str | None = None):  # type: ignore[no-untyped-def]
    return fetch("openai-compatible", base(server, "/v1"), secrets=secrets(user), currency=currency)


def sent(server: HTTPServer, path: str) -> list[Request]:
    return [r for r, _ in server.log if r.path == path]


def test_the_users_balance_in_usd_with_the_token_bare_and_the_user_id(server: HTTPServer) -> None:
    server.expect_request(SELF).respond_with_json(user_self(1000000, 50000))
    server.expect_request(STATUS).respond_with_json(new_api_status())
    outcome = user_balance(server)
    snap = outcome.snapshot
    assert (snap.remaining, snap.used, snap.currency) == (D("2"), D("0.1"), "USD")
    assert snap.unknown_reason is None
    assert any("relay account's" in n for n in snap.notes)
    (request,) = sent(server, SELF)
    assert request.headers["Authorization"] == TOKEN  # as new-api and AIHubMix document it: no Bearer
    assert request.headers["New-Api-User"] == USER_ID
    # The key's own routes are not asked: the access token reads the balance.
    assert sent(server, "/api/usage/token") == [] and KEY not in str(request.headers)


def test_personal_data_in_the_answer_is_never_kept(server: HTTPServer) -> None:
    server.expect_request(SELF).respond_with_json(user_self())
    server.expect_request(STATUS).respond_with_json(new_api_status())
    outcome = user_balance(server)
    kept = json.dumps([codec.snapshot_out(outcome.snapshot), dict(outcome.cache)], default=str)
    for personal in ("user@example.com", "testuser", "Test User", "ABC123", "4217", "default"):
        assert personal not in kept


def test_a_cny_site_shows_cny(server: HTTPServer) -> None:
    # new-api quota_display_type CNY: money = units / quota_per_unit × usd_exchange_rate
    server.expect_request(SELF).respond_with_json(user_self(1000000, 0))
    server.expect_request(STATUS).respond_with_json(new_api_status("CNY", rate=7.3))
    snap = user_balance(server).snapshot
    assert (snap.remaining, snap.currency) == (D("14.6"), "CNY")


def test_the_sites_own_quota_unit(server: HTTPServer) -> None:
    server.expect_request(SELF).respond_with_json(user_self(250000, 1000))
    server.expect_request(STATUS).respond_with_json(new_api_status(per_unit=100000))
    snap = user_balance(server).snapshot
    assert (snap.remaining, snap.used) == (D("2.5"), D("0.01"))


def test_without_a_status_the_default_unit_is_assumed_and_said(server: HTTPServer) -> None:
    # AIHubMix as CodexBar reads it: quota / 500000 with no /api/status at all.
    server.expect_request(SELF).respond_with_json(user_self(12345678, 0))
    server.expect_request(STATUS).respond_with_json({"message": "not found"}, status=404)
    snap = user_balance(server).snapshot
    assert snap.remaining == D("24.691356")
    assert any("500,000 units = 1 USD" in n for n in snap.notes)


def test_an_overdrawn_user_is_shown_below_zero(server: HTTPServer) -> None:
    server.expect_request(SELF).respond_with_json(user_self(-25000, 500000))
    server.expect_request(STATUS).respond_with_json(new_api_status())
    assert user_balance(server).snapshot.remaining == D("-0.05")


def test_no_user_id_sends_no_header(server: HTTPServer) -> None:
    # new-api with personal access tokens (040b46a0) needs no New-Api-User.
    server.expect_request(SELF).respond_with_json(user_self())
    server.expect_request(STATUS).respond_with_json(new_api_status())
    user_balance(server, user=None)
    (request,) = sent(server, SELF)
    assert "New-Api-User" not in request.headers


def test_a_token_refused_with_http_200_is_key_rejected(server: HTTPServer) -> None:
    # (a relay that echoes what it was sent: every key of the account is scrubbed from the quote)
    server.expect_request(SELF).respond_with_json(
        {"success": False, "message": f"无权进行此操作，access token 无效 ({TOKEN}, {KEY}, user {USER_ID})"}
    )
    with pytest.raises(ProviderError) as info:
        user_balance(server)
    assert info.value.kind is ErrorKind.AUTH and "access token 无效" in info.value.message
    assert TOKEN not in info.value.message and KEY not in info.value.message and USER_ID in info.value.message


def test_a_banned_user_is_refused_not_zero(server: HTTPServer) -> None:
    server.expect_request(SELF).respond_with_json({"success": False, "message": "用户已被封禁"})
    with pytest.raises(ProviderError) as info:
        user_balance(server)
    assert info.value.kind is ErrorKind.AUTH and "用户已被封禁" in info.value.message


def test_a_relay_that_wants_the_user_id_says_so(server: HTTPServer) -> None:
    server.expect_request(SELF).respond_with_json(
        {"success": False, "message": "无权进行此操作，未提供 New-Api-User"}, status=401
    )
    with pytest.raises(ProviderError) as info:
        user_balance(server, user=None)
    assert info.value.kind is ErrorKind.CONFIG
    assert "user ID" in info.value.message and "未提供 New-Api-User" in info.value.message


def test_a_personal_access_token_refused_with_401(server: HTTPServer) -> None:
    server.expect_request(SELF).respond_with_json(
        {"success": False, "code": "AUTH_UNAUTHORIZED", "message": "access token is invalid " + TOKEN}, status=401
    )
    with pytest.raises(ProviderError) as info:
        user_balance(server)
    assert info.value.kind is ErrorKind.AUTH and "access token" in info.value.message
    assert TOKEN not in info.value.message


def test_another_failure_is_the_relays_error(server: HTTPServer) -> None:
    # GetSelf's common.ApiError: HTTP 200 success false with the database's error
    server.expect_request(SELF).respond_with_json({"success": False, "message": "record not found"})
    with pytest.raises(ProviderError) as info:
        user_balance(server)
    assert info.value.kind is ErrorKind.BAD_RESPONSE and "record not found" in info.value.message


@pytest.mark.parametrize("quota", [None, "lots", True])
def test_a_missing_or_odd_quota_names_the_field(server: HTTPServer, quota: object) -> None:
    body = user_self()
    data = body["data"]
    assert isinstance(data, dict)
    if quota is None:
        del data["quota"]
    else:
        data["quota"] = quota
    server.expect_request(SELF).respond_with_json(body)
    server.expect_request(STATUS).respond_with_json(new_api_status())
    with pytest.raises(BadResponse) as info:
        user_balance(server)
    assert info.value.field == "data.quota"


def test_a_user_id_that_is_not_a_number_is_refused_before_any_request(server: HTTPServer) -> None:
    with pytest.raises(ProviderError) as info:
        user_balance(server, user="alice")
    assert info.value.kind is ErrorKind.CONFIG
    assert server.log == []


def test_the_token_goes_only_to_the_relays_host(server: HTTPServer, elsewhere: HTTPServer) -> None:
    def moved(request: Request) -> Response:
        return Response(status=302, headers={"Location": base(elsewhere, SELF)})

    server.expect_request(SELF).respond_with_handler(moved)
    with pytest.raises(ProviderError) as info:
        user_balance(server)
    assert info.value.kind is ErrorKind.CONFIG
    assert elsewhere.log == []
