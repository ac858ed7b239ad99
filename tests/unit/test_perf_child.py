"""The openai SDK (~0.5-0.75 s of CPU and ~50 MB to import) is loaded only by a poll that needs an admin
key's endpoints: a poll of normal and session keys, every provider of the mix, never imports it. A real poll,
in a fresh interpreter, against a fake OpenAI and a fake DeepSeek on 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

POLL = r"""
import json, sys
from datetime import UTC, datetime
from tests.contract.openai_server import SESSION_KEY_ONLY, Answer, FakeOpenAI, me, models, spend_limit
from trayapp.core.models import Account
from trayapp.fetch import Job, run_jobs
from trayapp.secrets.secret import Secret

server = FakeOpenAI().start()
server.route("GET", "/v1/me", Answer(200, me()))
server.route("GET", "/v1/models", models())
server.route("GET", "/v1/dashboard/billing/credit_grants", SESSION_KEY_ONLY)
server.route("GET", "/v1/organization/spend_limit", Answer(200, spend_limit()))
server.route("GET", "/v1/organization/costs", Answer(200, {"object": "page", "data": [], "has_more": False}))
server.route("GET", "/user/balance", Answer(200, {"is_available": True, "balance_infos": []}))  # DeepSeek: no /v1
now = datetime.now(UTC)
keys = {"api": Secret("sk-proj-CANARYchild0123456789abcdef")}
if sys.argv[1] == "admin":
    keys["admin"] = Secret("sk-admin-CANARYchild0123456789abcd")
jobs = [
    Job(Account("openai-1", "openai", "OpenAI", now, base_url=server.base_url, secret_kinds=tuple(keys)), keys),
    Job(Account("ds-1", "deepseek", "DS", now, base_url=server.base_url), {"api": Secret("sk-CANARYds0123456789")}),
]
results = run_jobs(jobs, now, "salt" * 4)
server.stop()
print(json.dumps({
    "errors": sorted(r.error.message for r in results if r.error),
    "sdk": sorted(m for m in sys.modules if m == "openai" or m.startswith("openai.")),
    "paths": sorted({s.path for s in server.seen}),
}))
"""


def poll(keys: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", POLL, keys], capture_output=True, text=True, timeout=60, cwd=ROOT, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_a_poll_without_an_admin_key_never_imports_the_openai_sdk() -> None:
    result = poll("normal")
    assert result["errors"] == []
    assert "/v1/me" in result["paths"] and "/user/balance" in result["paths"]  # type: ignore[operator]
    assert result["sdk"] == []


def test_a_poll_with_an_admin_key_uses_the_sdk_for_its_endpoints() -> None:
    result = poll("admin")
    assert result["errors"] == []
    assert "/v1/organization/spend_limit" in result["paths"]  # type: ignore[operator]
    assert "openai" in result["sdk"]  # type: ignore[operator]
