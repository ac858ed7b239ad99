"""OpenAI's requests on the shared transport, whichever client sends them (the plain one of a normal or
session key, the SDK of an admin key): no header from the environment, the environment's proxy, the cap on
decoded bytes with memory to match, and connections kept alive. Real servers on 127.0.0.1 (a fake OpenAI, a
CONNECT proxy); nothing leaves this machine."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.contract.openai_server import (
    SESSION_KEY_ONLY,
    Answer,
    FakeOpenAI,
    costs_page,
    me,
    models,
    serve,
    spend_limit,
)
from trayapp.core.errors import ProviderError
from trayapp.core.models import Account, ErrorKind
from trayapp.providers.base import FetchOutcome, FetchRequest
from trayapp.providers.openai import PROVIDER
from trayapp.secrets.secret import Secret

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
API = "sk-proj-CANARYtransport0123456789ab"
ADMIN = "sk-admin-CANARYtransport0123456789ab"
ENV_HEADERS = "X-Extra: from-the-environment\nOpenAI-Beta: assistants=v1\nAuthorization: Bearer sk-env-other"


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    yield from serve()


def answers(server: FakeOpenAI) -> None:
    server.route("GET", "/v1/me", Answer(200, me()))
    server.route("GET", "/v1/models", models())
    server.route("GET", "/v1/dashboard/billing/credit_grants", SESSION_KEY_ONLY)
    server.route("GET", "/v1/organization/spend_limit", Answer(200, spend_limit()))
    server.route("GET", "/v1/organization/costs", Answer(200, costs_page([(1_795_000_000, 0.5)])))


def fetch(base_url: str | None, *, admin: bool = False, cache: dict[str, Any] | None = None) -> FetchOutcome:
    secrets = {"api": Secret(API)} | ({"admin": Secret(ADMIN)} if admin else {})
    account = Account("openai-1", "openai", "OpenAI", NOW, base_url=base_url)
    return PROVIDER.fetch(FetchRequest(account, secrets, NOW, dict(cache or {}), 3.0, "salt"))


# ---------------------------------------------------------------- nothing from the environment


@pytest.mark.parametrize("admin", [False, True], ids=["normal key (plain client)", "admin key (SDK)"])
def test_no_header_from_the_environment_reaches_openai(
    server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, admin: bool
) -> None:
    """The SDK adds OPENAI_CUSTOM_HEADERS (newline-separated `Name: value`) to every request it builds
    (openai-python, src/openai/lib/_client_auth.py); none of them may leave."""
    monkeypatch.setenv("OPENAI_CUSTOM_HEADERS", ENV_HEADERS)
    monkeypatch.setenv("OPENAI_ORG_ID", "org-from-env")
    monkeypatch.setenv("OPENAI_PROJECT_ID", "proj-from-env")
    answers(server)
    fetch(server.base_url, admin=admin)
    paths = {s.path for s in server.seen}
    assert ("/v1/organization/spend_limit" in paths) is admin
    for seen in server.seen:
        assert "x-extra" not in seen.headers and "openai-beta" not in seen.headers, seen.path
        assert "openai-organization" not in seen.headers and "openai-project" not in seen.headers
    keys = {s.path: s.authorization for s in server.seen}
    assert keys["/v1/me"] == f"Bearer {API}"
    if admin:
        assert keys["/v1/organization/spend_limit"] == f"Bearer {ADMIN}"


# ---------------------------------------------------------------- the environment's proxy


class ConnectProxy:
    """A proxy on 127.0.0.1 that records the first line of what it is sent and refuses the tunnel."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.received: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(4096)
                    if not chunk:
                        break
                    data += chunk
                self.received.append(data)
                conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    def close(self) -> None:
        self.sock.close()


@pytest.mark.parametrize("admin", [False, True], ids=["normal key (plain client)", "admin key (SDK)"])
def test_the_environments_https_proxy_is_used_and_sees_only_a_tunnel_request(
    monkeypatch: pytest.MonkeyPatch, admin: bool
) -> None:
    proxy = ConnectProxy()
    try:
        for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        # The cached identity makes an admin-only poll reach the SDK's first request as well.
        with pytest.raises(ProviderError) as caught:
            if admin:
                account = Account("openai-1", "openai", "OpenAI", NOW, base_url=None)
                PROVIDER.fetch(FetchRequest(account, {"admin": Secret(ADMIN)}, NOW, {}, 3.0, "salt"))
            else:
                fetch(None)
        assert caught.value.kind is ErrorKind.NETWORK, caught.value
        # Only tunnels to OpenAI's host (a new account's /v1/me and credit_grants go at once, each on its own).
        assert {r.split(b"\r\n", 1)[0] for r in proxy.received} == {b"CONNECT api.openai.com:443 HTTP/1.1"}
        assert all(API.encode() not in r and ADMIN.encode() not in r for r in proxy.received)
    finally:
        proxy.close()


# ---------------------------------------------------------------- decoded bytes capped, memory bounded

BOMB_PROBE = r"""
import json, resource, sys, zlib
from datetime import UTC, datetime
sys.path.insert(0, sys.argv[1])
from tests.contract.openai_server import Answer, FakeOpenAI, models
from trayapp.core.errors import ProviderError
from trayapp.core.models import Account
from trayapp.providers.base import FetchRequest
from trayapp.providers.openai import PROVIDER
from trayapp.secrets.secret import Secret


def gzip_stream(size: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [packer.compress(b'{"object": "user", "pad": "')]
    zeros = b"0" * (1 << 20)
    parts += [packer.compress(zeros) for _ in range(size >> 20)]
    parts += [packer.compress(b'"}'), packer.flush()]
    return b"".join(parts)


twice = zlib.compressobj(9, zlib.DEFLATED, 31)
bomb = twice.compress(gzip_stream(int(sys.argv[2]) << 20)) + twice.flush()  # 1 GiB in a few KB, gzip of gzip
server = FakeOpenAI().start()
server.route("GET", "/v1/models", models())
for path in ("/v1/me", "/v1/organization/spend_limit"):
    server.route("GET", path, Answer(200, bomb, {"Content-Encoding": "gzip, gzip"}))
import httpx2, openai  # loaded before the baseline, so that only what the answers cost is measured
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
out = {"wire": len(bomb), "errors": []}
now = datetime(2026, 11, 28, tzinfo=UTC)
for kind, key in (("api", "sk-proj-CANARYbomb0123456789abcdef"), ("admin", "sk-admin-CANARYbomb0123456789abcd")):
    account = Account("openai-1", "openai", "OpenAI", now, base_url=server.base_url)
    try:
        PROVIDER.fetch(FetchRequest(account, {kind: Secret(key)}, now, {}, 30.0, "salt"))
        out["errors"].append(None)
    except ProviderError as exc:
        out["errors"].append(exc.message)
out["growth_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
server.stop()
print(json.dumps(out))
"""


def test_a_gzip_of_gzip_bomb_is_refused_after_decoding_with_memory_bounded() -> None:
    """A gzip of a gzip of 1 GiB is a few KB on the wire (issue 16, item 8: 0.5 MB of gzip became 512 MiB in
    memory, double gzip a MemoryError). Both clients stop at the 1 MiB cap of decoded bytes, and the process's
    peak memory grows by a few MiB, not by what the answer would inflate to."""
    done = subprocess.run(
        [sys.executable, "-c", BOMB_PROBE, str(ROOT), "1024"], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["wire"] < 64 * 1024
    assert out["errors"] == [
        "GET /v1/me answered more than 1024 KiB, far more than a balance takes; it was not read.",
        "GET /v1/organization/spend_limit answered more than 1024 KiB, far more than a balance takes; it was not read.",
    ]
    assert out["growth_kib"] < 64 * 1024, out


# ---------------------------------------------------------------- kept connections for a poll's requests


def count_connections(server: FakeOpenAI) -> list[int]:
    accepted = [0]
    accept = server.server.get_request

    def counted() -> tuple[socket.socket, Any]:
        accepted[0] += 1
        return accept()

    server.server.get_request = counted  # type: ignore[method-assign]
    return accepted


def test_one_poll_of_a_new_account_makes_its_requests_on_at_most_two_connections(server: FakeOpenAI) -> None:
    answers(server)
    accepted = count_connections(server)
    first = fetch(server.base_url, admin=True)
    assert len(server.seen) >= 4  # /v1/me, credit_grants, spend_limit, costs (plain client then the SDK's)
    # /v1/me and credit_grants are asked at once (tests/unit/test_openai_at_once.py): two connections, or one
    # when the first answer came before the other request left; the admin requests after them reuse those.
    opened = accepted[0]
    assert opened in (1, 2)
    fetch(server.base_url, cache=dict(first.cache))  # the next poll, seconds later: a kept connection
    assert accepted == [opened] and server.count("/v1/models") == 1


def test_accounts_on_one_host_share_kept_alive_connections(server: FakeOpenAI) -> None:
    from trayapp.providers import catalog
    from trayapp.providers.http import get_json

    server.route("GET", "/v1/user/balance", Answer(200, {"balance_infos": []}))
    accepted = count_connections(server)
    info = catalog.info("deepseek")
    for i in range(8):
        account = Account(f"deepseek-{i}", "deepseek", "DS", NOW, base_url=server.base_url)
        request = FetchRequest(account, {"api": Secret(f"sk-CANARY{i}-0123456789abcdef")}, NOW, {}, 3.0, "salt")
        get_json(request, info, "/user/balance")
    assert server.count("/v1/user/balance") == 8
    assert accepted == [1]
    keys = [s.authorization for s in server.seen]
    assert keys == [f"Bearer sk-CANARY{i}-0123456789abcdef" for i in range(8)]  # each request its own key


def test_an_admin_key_is_read_through_the_sdk_in_the_fetch_child(server: FakeOpenAI) -> None:
    """The tray's polls run in the fetch child, which imports the HTTP stack without anyio's backend (it hides
    anyio while httpcore2 imports): the openai SDK, which needs anyio, must still load there and answer."""
    from trayapp.fetch.child import child_env, run_in_child
    from trayapp.fetch.jobs import Job

    answers(server)
    account = Account("openai-1", "openai", "OpenAI", NOW, base_url=server.base_url, secret_kinds=("api", "admin"))
    job = Job(account, {"api": Secret(API), "admin": Secret(ADMIN)})
    (result,) = run_in_child([job], NOW, "salt" * 4, env=child_env())
    assert result.error is None, result.error
    assert result.snapshot is not None
    assert any("Spent this month so far: $0.50" in note for note in result.snapshot.notes)  # the SDK's admin call
    assert server.count("/v1/organization/costs") >= 1
