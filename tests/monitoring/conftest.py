"""Shared by the monitoring tests: a loopback "DeepSeek" per account (its own path and key), accounts added
through the real CLI (keys in the file-backed test keyring), and the real engines from Debian's packages.

The engines (nagios4, prometheus, promtool) are installed by `scripts/desktop-session --install-only` (the
first step of `make test` and of CI). Where they are missing the engine tests skip and say why; in CI
(CI=true or TRAYAPP_REQUIRE_DESKTOP=1) they fail instead: CI must not pass by skipping.
"""

from __future__ import annotations

import os
import shutil
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from tests.conftest import CliRunner

REQUIRE = os.environ.get("CI") == "true" or os.environ.get("TRAYAPP_REQUIRE_DESKTOP") == "1"
ENGLISH = {"LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}


def need(program: str, package: str) -> str:
    """The path of an engine's program, or skip (fail in CI) naming the Debian package to install."""
    found = shutil.which(program) or next(
        (p for p in (f"/usr/sbin/{program}", f"/usr/bin/{program}") if os.access(p, os.X_OK)), None
    )
    if found is None:
        reason = f"{program} not installed (Debian package {package}: scripts/desktop-session --install-only)"
        if REQUIRE:
            pytest.fail(f"CI needs the engine: {reason}", pytrace=False)
        pytest.skip(reason)
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(predicate: Callable[[], Any], timeout: float, what: str, step: float = 0.5) -> Any:
    """Poll until `predicate()` is truthy and return it; fail naming `what` after `timeout` seconds."""
    end = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(step)


@pytest.fixture
def server() -> Iterator[HTTPServer]:
    s = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    s.start()
    yield s
    s.clear()
    s.stop()


def key_of(name: str) -> str:
    return f"sk-ds-CANARY-mon-{name}-0123456789"


def balance(total: str, available: bool = True) -> dict[str, Any]:
    """DeepSeek's /user/balance, as its API reference documents it (tests/contract/test_deepseek.py)."""
    info = {"currency": "CNY", "total_balance": total, "granted_balance": "0", "topped_up_balance": total}
    return {"is_available": available, "balance_infos": [info]}


def answer(server: HTTPServer, totals: dict[str, str]) -> None:
    """Each account `name` answers its balance under /ds-<name>, to its own key only."""
    server.clear()
    for name, total in totals.items():
        server.expect_request(
            f"/ds-{name}/user/balance", headers={"Authorization": f"Bearer {key_of(name)}"}
        ).respond_with_json(balance(total, available=float(total) > 0))


def add_accounts(cli: CliRunner, server: HTTPServer, names: list[str]) -> dict[str, str]:
    """DeepSeek accounts labelled `names`, added with `trayapp accounts add`; {name: account id}."""
    ids = {}
    for name in names:
        result = cli(
            "accounts", "add", "--provider", "deepseek", "--label", name,
            "--base-url", f"http://127.0.0.1:{server.port}/ds-{name}", "--key-stdin", stdin=key_of(name) + "\n",
        )  # fmt: skip
        assert result.code == 0, result.err
        ids[name] = result.out.split()[-1]
    return ids


def assert_no_key_in(paths: list[Path], text: str = "") -> None:
    """No account's key in `text` nor in any file under `paths`."""
    keys = [key_of(n) for n in "ABCDEFGH"]
    for key in keys:
        assert key not in text
    for root in paths:
        for f in root.rglob("*"):
            if f.is_file():
                content = f.read_text(errors="replace")
                assert not any(k in content for k in keys), f
