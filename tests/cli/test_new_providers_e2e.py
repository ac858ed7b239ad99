"""The providers added for issue 17, end to end in real subprocesses: `trayapp accounts add --provider X
--base-url <loopback> --key-env …`, then `trayapp check --json` against a loopback server answering that
provider's real shape, then the same server refusing (a 401, or the provider's business error inside an HTTP 200):
the figures a script reads, the error kind saved in state.json, the exit code, and no key in any output or file.

The answers are the shapes of each provider's contract test (tests/contract/test_<name>.py), imported where they
are module constants or helpers there, so the sources cited in those files hold here too.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from tests.conftest import CliRunner
from tests.contract import (
    test_deepinfra,
    test_minimax,
    test_novita,
    test_relay_user,
    test_stepfun,
    test_venice,
    test_xai,
    test_zhipu,
)

CRITICAL, WARNING, OK = 2, 1, 0  # check's exit codes (Nagios)
CHINA = timezone(timedelta(hours=8))  # Zhipu's console writes pack expiries in China time, without a zone


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@dataclass(frozen=True)
class Refusal:
    serve: Callable[[HTTPServer, Case], None]
    kind: str  # ErrorKind value, as state.json keeps it
    title: str
    said: str  # a part of the provider's own words that must reach the user
    code: int  # check's exit code


@dataclass(frozen=True)
class Case:
    provider: str
    base: str  # the --base-url path on the loopback host
    keys: dict[str, str]  # key kind -> key
    serve: Callable[[HTTPServer, Case], None]
    want: dict[str, Any]  # fields of the account in `check --json`
    code: int  # check's exit code on that reading
    refusal: Refusal
    currency: str | None = None
    alerts: list[str] = field(default_factory=list)
    # Which keys each path prefix may see: every request is checked against it.
    routes: dict[str, str] = field(default_factory=dict)
    configure: Callable[[CliRunner, HTTPServer, str], None] | None = None

    def key(self, kind: str = "api") -> str:
        return self.keys[kind]


def refusing(path: str, body: object, status: int = 401) -> Callable[[HTTPServer, Case], None]:
    def serve(server: HTTPServer, case: Case) -> None:
        server.expect_request(path).respond_with_json(body, status=status)

    return serve


# ---------------------------------------------------------------- the providers, each with its real shape


def serve_stepfun(server: HTTPServer, case: Case) -> None:
    server.expect_request(test_stepfun.PATH, headers=bearer(case.key())).respond_with_json(
        test_stepfun.account(150.0, 200.0, 50.0)
    )


def serve_novita(server: HTTPServer, case: Case) -> None:
    server.expect_request(test_novita.PATH, headers=bearer(case.key())).respond_with_json(test_novita.DOCUMENTED)


def serve_novita_refusal(server: HTTPServer, case: Case) -> None:
    # ai-usagebar's fixture: HTTP 200 with Novita's error envelope is a rejected key, never $0.00
    server.expect_request(test_novita.PATH).respond_with_json({"code": 401, "message": f"invalid api key {case.key()}"})


def zhipu_pack_expiry() -> datetime:
    return (datetime.now(UTC) + timedelta(days=3, hours=1)).replace(microsecond=0, second=0)


def serve_zhipu(server: HTTPServer, case: Case) -> None:
    soon = {  # a gifted new-user pack (test_zhipu: the dashboard's fixture), three days from now
        **test_zhipu.PACK_58M,
        "resourcePackageName": "【新用户专享】200万通用模型推理资源包",
        "type": "give",
        "availableBalance": 1500000,
        "tokensMagnitude": 2000000,
        "packageExpirationTime": zhipu_pack_expiry().astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S"),
    }
    later = {**test_zhipu.PACK_58M, "packageExpirationTime": "2099-12-09T07:15:28"}
    server.expect_request(test_zhipu.WALLET, headers=bearer(case.key())).respond_with_json(test_zhipu.DOCUMENTED_WALLET)
    server.expect_request(test_zhipu.PACKS, headers=bearer(case.key())).respond_with_json(
        test_zhipu.packs(later, test_zhipu.EXPIRED_ROW, soon)
    )


def serve_zhipu_refusal(server: HTTPServer, case: Case) -> None:
    # HTTP 200, code 1001 (test_zhipu: a VS Code extension's tests)
    server.expect_request(test_zhipu.WALLET).respond_with_json(
        {
            "code": 1001,
            "msg": "Authentication parameter not received in Header, unable to authenticate",
            "success": False,
        }
    )


def serve_minimax(server: HTTPServer, case: Case) -> None:
    server.expect_request(test_minimax.PATH, headers=bearer(case.key())).respond_with_json(test_minimax.wallet())


def serve_minimax_refusal(server: HTTPServer, case: Case) -> None:
    # HTTP 200, base_resp 2049 (MiniMax-AI/MiniMax-01#37), the message echoing the key
    server.expect_request(test_minimax.PATH).respond_with_json(
        {"base_resp": {"status_code": 2049, "status_msg": f"invalid api key {case.key()}"}}
    )


def serve_deepinfra(server: HTTPServer, case: Case) -> None:
    server.expect_request(
        test_deepinfra.PATH, headers=bearer(case.key()), query_string={"compute_owed": "true"}
    ).respond_with_json(test_deepinfra.QUOTED)


def serve_venice(server: HTTPServer, case: Case) -> None:
    server.expect_request(test_venice.PATH, headers=bearer(case.key())).respond_with_json(test_venice.answer())


def serve_xai(server: HTTPServer, case: Case) -> None:
    server.expect_request("/v1/api-key", headers=bearer(case.key())).respond_with_json(test_xai.KEY_INFO)
    server.expect_request("/mgmt" + test_xai.BALANCE, headers=bearer(case.key("management"))).respond_with_json(
        {"changes": [], "total": {"val": "-1000"}}
    )


def xai_management_host(cli: CliRunner, server: HTTPServer, account_id: str) -> None:
    """The management host is an account option kept in config.json only (xai.py): the user points it here."""
    path = cli.config_dir / "config.json"
    config = json.loads(path.read_text())
    for account in config["accounts"]:
        if account["id"] == account_id:
            account["options"]["management_base_url"] = f"http://127.0.0.1:{server.port}/mgmt"
    path.write_text(json.dumps(config))


def serve_xai_refusal(server: HTTPServer, case: Case) -> None:
    # xAI answers a wrong API key with HTTP 400, not 401 (i-am-bee/beeai-framework#447)
    server.expect_request("/v1/api-key").respond_with_json(
        {
            "code": "Client specified an invalid argument",
            "error": "Incorrect API key provided: xa***ef. You can obtain an API key from https://console.x.ai.",
        },
        status=400,
    )


def serve_vercel(server: HTTPServer, case: Case) -> None:
    # vercel.com/docs/ai-gateway: the documented answer (tests/contract/test_vercel.py)
    server.expect_request("/v1/credits", headers=bearer(case.key())).respond_with_json(
        {"balance": "95.50", "total_used": "4.50"}
    )


def serve_poe(server: HTTPServer, case: Case) -> None:
    # creator.poe.com/docs getCurrentBalance (tests/contract/test_poe.py)
    server.expect_request("/usage/current_balance", headers=bearer(case.key())).respond_with_json(
        {"current_point_balance": 1500}
    )


LITELLM_INFO = {  # steipete/CodexBar LiteLLMUsageFetcherTests.swift (tests/contract/test_litellm.py)
    "key_name": "sk-...IAAw",
    "spend": 212.3537162499998,
    "max_budget": 300.0,
    "budget_duration": "30d",
    "budget_reset_at": "2026-12-15T00:00:00Z",
    "expires": "2027-09-11T00:12:55.950000+00:00",
    "user_id": "user-123",
    "team_id": None,
}


def serve_litellm(server: HTTPServer, case: Case) -> None:
    # The proxy echoes the key it was asked about: it must never reach the reading or the state file.
    server.expect_request("/key/info", headers=bearer(case.key())).respond_with_json(
        {"key": case.key(), "info": LITELLM_INFO}
    )


def serve_litellm_refusal(server: HTTPServer, case: Case) -> None:
    # A spent budget refuses /key/info itself (test_litellm: a public client's tests): out of credit, not a bad key
    server.expect_request("/key/info").respond_with_json(
        {
            "error": {
                "message": "Budget has been exceeded! Key=dev Current cost: 300.1, Max budget: 300.0",
                "type": "budget_exceeded",
                "param": None,
                "code": "400",
            }
        },
        status=400,
    )


def serve_relay_user(server: HTTPServer, case: Case) -> None:
    server.expect_request(
        test_relay_user.SELF, headers={"Authorization": case.key("access"), "New-Api-User": case.key("user")}
    ).respond_with_json(test_relay_user.user_self(quota=6250000, used=1250000))
    server.expect_request(test_relay_user.STATUS).respond_with_json(test_relay_user.new_api_status())


def serve_relay_user_refusal(server: HTTPServer, case: Case) -> None:
    # new-api middleware/auth.go: a wrong access token is HTTP 200 {"success": false}
    server.expect_request(test_relay_user.SELF).respond_with_json(
        {"success": False, "message": "无权进行此操作，access token 无效"}
    )
    server.expect_request(test_relay_user.STATUS).respond_with_json(test_relay_user.new_api_status())


def auth_401(path: str, said: str = "Invalid API key") -> Refusal:
    return Refusal(
        refusing(path, {"error": {"message": said, "type": "authentication_error"}}),
        "auth",
        "Key rejected",
        said,
        CRITICAL,
    )


CASES = [
    Case(
        "stepfun",
        "/v1",
        {"api": "sk-stepfun-CANARY-0123456789abcdef"},
        serve_stepfun,
        # `balance` is what is left; the voucher total is a lifetime total, never the granted part left
        {"currency": "CNY", "remaining": 150.0, "granted_total": 50.0, "remaining_granted": None, "status": "ok"},
        OK,
        auth_401(test_stepfun.PATH, "Incorrect API key provided"),
        currency="CNY",
    ),
    Case(
        "novita",
        "",
        {"api": "sk_novita-CANARY-0123456789abcdef"},
        serve_novita,
        {"currency": "USD", "remaining": 100.0, "remaining_paid": 80.0, "remaining_granted": None, "status": "ok"},
        OK,
        Refusal(serve_novita_refusal, "auth", "Key rejected", "invalid api key", CRITICAL),
    ),
    Case(
        "zhipu",
        "/api/paas/v4",  # the model API's base URL, as users copy it: the console is read at the site root
        {"api": "zhipu-CANARY-0123456789abcdef.xyz"},
        serve_zhipu,
        {
            "currency": "CNY",
            "remaining": 42.5,
            "granted_total": 10.0,
            "used": 67.5,
            "flags": ["expiry_outside_balance"],
            "expires_at": "zhipu-pack",  # filled in by the test: the gifted pack's expiry, in UTC
        },
        WARNING,
        Refusal(serve_zhipu_refusal, "auth", "Key rejected", "code 1001", CRITICAL),
        currency="CNY",
        alerts=["expiring_soon"],
    ),
    Case(
        "minimax",
        "/v1",
        {"api": "sk-api-CANARY-0123456789abcdef"},
        serve_minimax,
        {"currency": "USD", "remaining": 12.34, "remaining_paid": 10.0, "remaining_granted": 2.34, "status": "ok"},
        OK,
        Refusal(serve_minimax_refusal, "auth", "Key rejected", "code 2049", CRITICAL),
        currency="USD",
    ),
    Case(
        "deepinfra",
        "/v1/openai",
        {"api": "deepinfra-CANARY-0123456789abcdef"},
        serve_deepinfra,
        # -(stripe_balance + recent): 99.75 of prepaid credit less 3.94 not yet invoiced
        {"currency": "USD", "remaining": 95.81, "remaining_granted": None, "remaining_paid": None, "status": "ok"},
        OK,
        Refusal(
            refusing(test_deepinfra.PATH, {"error": {"message": "Not authenticated", "code": None}}),
            "auth",
            "Key rejected",
            "Not authenticated",
            CRITICAL,
        ),
    ),
    Case(
        "venice",
        "/api/v1",
        {"api": "venice-admin-CANARY-0123456789abcdef"},
        serve_venice,
        {
            "currency": "USD",
            "remaining": 25.0,
            "remaining_paid": 25.0,
            "balances": [
                {"currency": "USD", "remaining": 25.0, "remaining_granted": None, "remaining_paid": 25.0},
                {"currency": "DIEM", "remaining": 90.5, "remaining_granted": None, "remaining_paid": None},
            ],
            "status": "ok",
        },
        OK,
        # Venice's 402 "Authentication required" is a rejected key, not an empty account (clawnchdev/clawmes#44)
        Refusal(
            refusing(test_venice.PATH, {"error": "Authentication required"}, status=402),
            "auth",
            "Key rejected",
            "admin API key",
            CRITICAL,
        ),
    ),
    Case(
        "xai",
        "/v1",
        {"api": test_xai.API_KEY, "management": test_xai.MGMT_KEY},
        serve_xai,
        {"currency": "USD", "remaining": 10.0, "remaining_granted": None, "flags": [], "status": "ok"},
        OK,
        Refusal(serve_xai_refusal, "auth", "Key rejected", "Incorrect API key provided", CRITICAL),
        routes={"/v1/": "api", "/mgmt/": "management"},
        configure=xai_management_host,
    ),
    Case(
        "vercel",
        "/v1",
        {"api": "vck_CANARY-0123456789abcdef"},
        serve_vercel,
        {"currency": "USD", "remaining": 95.5, "used": 4.5, "expires_at": None, "status": "ok"},
        OK,
        auth_401("/v1/credits", "AI Gateway authentication failed: Invalid API key."),
    ),
    Case(
        "poe",
        "",
        {"api": "poe-CANARY-0123456789abcdef"},
        serve_poe,
        {"currency": "points", "remaining": 1500.0, "status": "ok"},
        OK,
        Refusal(
            refusing(
                "/usage/current_balance",
                {"error": {"type": "insufficient_credits", "message": "Not enough points"}},
                402,
            ),
            "quota",
            "Out of credit",
            "Not enough points",
            CRITICAL,
        ),
    ),
    Case(
        "litellm",
        "/v1",
        {"api": "sk-litellm-CANARY-0123456789abcdef"},
        serve_litellm,
        {
            "currency": "USD",
            "remaining": pytest.approx(300.0 - 212.3537162499998),
            "used": pytest.approx(212.3537162499998),
            "expires_at": "2027-09-11T00:12:55.950000+00:00",
            "flags": [],
            "status": "ok",
        },
        OK,
        Refusal(serve_litellm_refusal, "quota", "Out of credit", "Budget has been exceeded", CRITICAL),
    ),
    Case(
        "openai-compatible",
        "/v1",
        {"api": "sk-relay-CANARY-0123456789abcdef", "access": test_relay_user.TOKEN, "user": test_relay_user.USER_ID},
        serve_relay_user,
        # quota / quota_per_unit (500000) = USD, the relay user's whole balance
        {"currency": "USD", "remaining": 12.5, "used": 2.5, "status": "ok"},
        OK,
        Refusal(serve_relay_user_refusal, "auth", "Key rejected", "access token 无效", CRITICAL),
        routes={"/api/user/": "access"},  # /api/status: public, asked with the API key
    ),
]


# ---------------------------------------------------------------- the run


def add(cli: CliRunner, server: HTTPServer, case: Case) -> str:
    env = {f"KEY_{kind.upper()}": value for kind, value in case.keys.items()}
    args = ["accounts", "add", "--provider", case.provider, "--label", f"My {case.provider}"]
    args += ["--base-url", f"http://127.0.0.1:{server.port}{case.base}"]
    args += [arg for kind in case.keys for arg in ("--key-env", f"{kind}=KEY_{kind.upper()}")]
    if case.currency:
        args += ["--currency", case.currency]
    result = cli(*args, env=env)
    assert result.code == 0, result.err
    assert not any(key in result.out + result.err for key in case.keys.values() if len(key) > 8)
    return result.out.strip().splitlines()[-1]


def check(cli: CliRunner) -> tuple[int, dict[str, Any], str]:
    result = cli("check", "--json", env={"LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""})
    assert "Traceback" not in result.err, result.err
    (account,) = json.loads(result.out)["accounts"]
    return result.code, account, result.out + result.err


def saved_state(cli: CliRunner, account_id: str) -> dict[str, Any]:
    (state_file,) = list(cli.config_dir.rglob("state.json"))
    state: dict[str, Any] = json.loads(state_file.read_text())["accounts"][account_id]
    return state


def assert_no_key_anywhere(cli: CliRunner, case: Case, *outputs: str) -> None:
    secrets = [k for k in case.keys.values() if len(k) > 8]  # not the relay's user id: a short number, not a key
    for text in outputs:
        assert not any(k in text for k in secrets), text
    for f in cli.config_dir.rglob("*"):
        if f.is_file():
            content = f.read_text(errors="replace")
            assert not any(k in content for k in secrets), f


def assert_keys_routed(server: HTTPServer, case: Case) -> None:
    """Each key went only where it belongs: the API key everywhere on its base URL unless a route says another."""
    for request, _ in server.log:
        kind = next((k for prefix, k in case.routes.items() if request.path.startswith(prefix)), "api")
        sent = request.headers.get("Authorization", "")
        if not sent:
            continue  # /api/status is public
        assert sent.removeprefix("Bearer ") == case.key(kind), (request.path, kind)


@pytest.mark.parametrize("case", CASES, ids=[c.provider for c in CASES])
def test_added_checked_then_refused(cli: CliRunner, httpserver: HTTPServer, case: Case) -> None:
    server = httpserver  # pytest-httpserver's loopback server, emptied after each test
    account_id = add(cli, server, case)
    if case.configure is not None:
        case.configure(cli, server, account_id)
    case.serve(server, case)

    code, account, output = check(cli)
    want = dict(case.want)
    if want.get("expires_at") == "zhipu-pack":
        want["expires_at"] = zhipu_pack_expiry().isoformat()
    assert {k: account[k] for k in want} == want, account
    assert account["error"] is None, account["error"]
    assert [a["code"] for a in account["alerts"]] == case.alerts, account["alerts"]
    assert code == case.code, output
    assert_keys_routed(server, case)
    assert_no_key_anywhere(cli, case, output)
    good = dict(account)

    server.clear()
    case.refusal.serve(server, case)
    code, account, output = check(cli)
    assert code == case.refusal.code, output
    assert account["error"]["title"] == case.refusal.title, account["error"]
    assert case.refusal.said in account["error"]["message"], account["error"]
    assert saved_state(cli, account_id)["last_error"]["kind"] == case.refusal.kind
    # a rejected key is key_invalid, a refusal for want of credit credit_zero: both CRITICAL for a script
    alert = {"auth": "key_invalid", "quota": "credit_zero"}[case.refusal.kind]
    assert [a["code"] for a in account["alerts"]][:1] == [alert], account["alerts"]
    # the last good reading stays on show, said to be old; never a number the refusal did not give
    assert (account["status"], account["remaining"], account["currency"]) == (
        "stale",
        good["remaining"],
        good["currency"],
    )
    assert account["data_at"] == good["data_at"] and account["checked_at"] > good["checked_at"]
    assert_no_key_anywhere(cli, case, output)


def test_points_and_diem_are_never_dollars_in_the_text_report(cli: CliRunner, httpserver: HTTPServer) -> None:
    """`check` without --json, as a script's log shows it: Poe's points and a staker's DIEM keep their unit."""
    server = httpserver
    poe = next(c for c in CASES if c.provider == "poe")
    add(cli, server, poe)
    serve_poe(server, poe)
    venice = Case(
        "venice", "/api/v1", {"api": "venice-admin-CANARY-staker-0123456789"}, serve_venice, {}, OK, poe.refusal
    )
    add(cli, server, venice)
    server.expect_request(test_venice.PATH, headers=bearer(venice.key())).respond_with_json(
        test_venice.answer(diem=90.5, usd=0)  # a staker with no USD: DIEM is the headline
    )
    result = cli("check", env={"LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""})
    assert result.code == OK, result.out + result.err
    lines = result.out.splitlines()
    assert any(line.strip().startswith("My poe: 1500 points ·") for line in lines), lines
    assert any(line.strip().startswith("My venice: 90.50 DIEM ·") for line in lines), lines
    assert "$" not in result.out


def test_the_readme_names_every_provider_a_user_can_add() -> None:
    """README's `--provider` list is where a user looks first: a provider missing there is one nobody adds."""
    from tests.conftest import ROOT
    from trayapp.providers import catalog

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = readme.split("`GLOBAL` is", 1)[1].split("\n\n", 1)[0]
    missing = [i.name for i in catalog.CATALOG.values() if not i.sample and f"`{i.name}`" not in listed]
    assert missing == [], missing
    assert "<config dir>/providers/*.toml" in listed  # and the providers a user declares
