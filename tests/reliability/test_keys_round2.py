"""Keys where they do not belong, round two (issue 16): text from *good* answers is scrubbed of the account's
keys; a key stays bound to the host it was entered for; plain http only to what is really this machine; the
fetch child never blocks on its stderr and ends with its parent; clear messages instead of tracebacks.

Every provider here is a real loopback server (tests/reliability/server.py) and every `trayapp` a real
subprocess; nothing is patched.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.conftest import CliRunner
from tests.reliability.counts import record
from tests.reliability.server import LoopServer, Reply, Seen, json_reply
from trayapp.secrets.keys import MIN_FRAGMENT, public_prefix

# Recognisable keys, one per account; each has a distinctive middle part.
KEYS = {
    "or": "sk-or-v1-Echo2Or7Qm4Kp9Xw3Zt6Jd8Lq1Rv5Hn01",
    "or_mgmt": "sk-or-v1-Echo2Mg7Qm4Kp9Xw3Zt6Bf4Yc8Ns2Gw02",
    "sf": "sk-Echo2Sf7Qm4Kp9Xw3Zt6Ux5Ea3Pk7Dj03",
    "oa_me": "sk-proj-Echo2Me7Qm4Kp9Xw3Zt6Wv2Ko9Tc4Fy04",
    "oa_hdr": "sk-proj-Echo2Hd7Qm4Kp9Xw3Zt6Mz6Ir1Ub8Lx05",
    "sess": "sess-Echo2Ss7Qm4Kp9Xw3Zt6Ga3Hq7Ow5Ce06",
    "admin": "sk-admin-Echo2Ad7Qm4Kp9Xw3Zt6Vn8Js4Xa1Qb07",
}


def leaks(text: str, keys: list[str] | None = None) -> list[str]:
    """Every run of MIN_FRAGMENT characters of a key (beyond its public prefix) found in `text`."""
    found = []
    for key in keys or list(KEYS.values()):
        start = max(0, len(public_prefix(key)) - MIN_FRAGMENT + 1)
        for i in range(start, len(key) - MIN_FRAGMENT + 1):
            if key[i : i + MIN_FRAGMENT] in text:
                at = text.index(key[i : i + MIN_FRAGMENT])
                found.append(text[max(0, at - 60) : at + 40])
                break
    return found


def echo(seen: Seen) -> Reply:
    """200 answers that put the key they were sent into a text field that a provider keeps."""
    key = (seen.authorization or "").removeprefix("Bearer ")
    path = seen.path
    # OpenRouter: limit_reset and expires_at are free text the provider quotes in its notes / unknown reason.
    if path == "/or/api/v1/key":
        data = {"limit": 10, "limit_remaining": None, "usage": 5, "limit_reset": key, "expires_at": key}
        return json_reply({"data": {**data, "is_free_tier": False}})
    if path == "/or/api/v1/credits":
        return json_reply({"data": {"total_credits": 20, "total_usage": 3}})
    # SiliconFlow: data.id becomes the identity's user id.
    if path == "/sf/v1/user/info":
        data = {"id": key, "email": "x@example.com", "balance": "1", "chargeBalance": "2", "totalBalance": "3"}
        return json_reply({"code": 20000, "status": True, "message": "OK", "data": data})
    # OpenAI /v1/me: the org's id, name (slug) and title become the identity.
    if path == "/oa1/v1/me":
        org = {"id": f"org-{key}", "name": key, "title": key, "personal": False}
        return json_reply({"id": "user-echo", "email": "pat@example.com", "orgs": {"data": [org]}})
    # OpenAI, /v1/me failing: the openai-organization header is the identity.
    if path == "/oa2/v1/me":
        return json_reply({"error": {"message": "busy", "type": "server_error"}}, 500)
    if path.endswith("/v1/models"):
        return json_reply({"data": []}, **{"openai-organization": key})
    # A session key: credit_grants, then the subscription's plan title in the notes.
    if path == "/oa3/v1/dashboard/billing/credit_grants":
        return json_reply({"total_granted": 5, "total_used": 1, "total_available": 4})
    if path == "/oa3/v1/dashboard/billing/subscription":
        return json_reply({"plan": {"id": "payg", "title": key}, "hard_limit_usd": 120})
    if path.endswith("/dashboard/billing/credit_grants"):
        return json_reply({"error": {"message": "must be made with a session key", "type": "server_error"}}, 403)
    # An admin key: the spend limit's interval is quoted in a note.
    if path == "/oa4/v1/organization/spend_limit":
        return json_reply({"threshold_amount": 1000, "interval": key, "enforcement": {"status": "enforcing"}})
    if path == "/oa4/v1/organization/costs":
        return json_reply({"data": [], "has_more": False, "next_page": None})
    return json_reply({"error": {"message": f"no route {path}"}}, 404)


@pytest.fixture
def echo_server() -> Iterator[LoopServer]:
    server = LoopServer(echo).start()
    try:
        yield server
    finally:
        server.stop()


def add(cli: CliRunner, *args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> str:
    res = cli("accounts", "add", *args, stdin=stdin, env=env)
    assert res.code == 0, res.err
    return res.out.strip().splitlines()[-1]


def test_text_of_good_answers_is_scrubbed_before_it_is_kept_or_shown(cli: CliRunner, echo_server: LoopServer) -> None:
    base = echo_server.url()
    env = {f"ECHO_{name.upper()}": key for name, key in KEYS.items()}
    ids = {
        "or": add(
            cli,
            *("--provider", "openrouter", "--label", "or", "--base-url", f"{base}/or/api/v1"),
            *("--key-env", "ECHO_OR", "--management-key-env", "ECHO_OR_MGMT"),
            env=env,
        ),
        "sf": add(
            cli,
            *("--provider", "siliconflow", "--label", "sf", "--base-url", f"{base}/sf/v1", "--currency", "CNY"),
            *("--key-env", "ECHO_SF"),
            env=env,
        ),
        "oa_me": add(
            cli,
            "--provider",
            "openai",
            "--label",
            "me",
            "--base-url",
            f"{base}/oa1/v1",
            "--key-env",
            "ECHO_OA_ME",
            env=env,
        ),
        "oa_hdr": add(
            cli,
            *("--provider", "openai", "--label", "hdr", "--base-url", f"{base}/oa2/v1", "--key-env", "ECHO_OA_HDR"),
            env=env,
        ),
        "sess": add(
            cli,
            "--provider",
            "openai",
            "--label",
            "sess",
            "--base-url",
            f"{base}/oa3/v1",
            "--key-env",
            "ECHO_SESS",
            env=env,
        ),
        "admin": add(
            cli,
            *("--provider", "openai", "--label", "adm", "--base-url", f"{base}/oa4/v1", "--key-env", "ECHO_ADMIN"),
            env=env,
        ),
    }
    outputs = []
    for _ in range(2):  # the second poll reads OpenAI's identity from the cache, and its header
        res = cli("check", "--json")
        assert res.code in (0, 1, 2), res.err
        outputs.append(res.out + res.err)
        record("round2.echo_polls")
    report = json.loads(res.out)
    by_id = {a["id"]: a for a in report["accounts"]}
    assert set(by_id) == set(ids.values())
    assert all(a["error"] is None for a in report["accounts"]), res.out
    state = (cli.config_dir / "state.json").read_text()
    found = leaks(state) + [f"check: {x}" for out in outputs for x in leaks(out)]
    assert found == [], "\n".join(found)
    # Each echoed field was received and kept, masked: the test is not vacuous.
    saved = json.loads(state)["accounts"]
    for name, account_id in ids.items():
        assert "***" in json.dumps(saved[account_id]), (name, saved[account_id])
    record("round2.echo_fields_scrubbed", 7)
