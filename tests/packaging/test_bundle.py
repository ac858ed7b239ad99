"""Smoke tests of the PyInstaller bundle (`make package` -> dist/trayapp/trayapp).

Skipped unless the bundle exists; with TRAYAPP_BUILD_PACKAGE=1 a missing bundle is built first (about a
minute). TRAYAPP_BUNDLE=PATH tests another build of the executable.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from trayapp import __version__
from trayapp.core.models import Account, ErrorKind
from trayapp.fetch.child import encode_request, result_in
from trayapp.fetch.jobs import Job
from trayapp.providers.demo import demo_accounts
from trayapp.secrets.secret import Secret

from .conftest import ROOT

BUNDLE = Path(os.environ.get("TRAYAPP_BUNDLE") or ROOT / "dist" / "trayapp" / "trayapp")
SPEC = ROOT / "packaging" / "pyinstaller" / "trayapp.spec"
KEY = "sk-CANARY-bundle-0123456789abcdef"


@pytest.fixture(scope="session")
def bundle() -> Path:
    if not BUNDLE.exists() and os.environ.get("TRAYAPP_BUILD_PACKAGE") == "1":
        subprocess.run(
            [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", "--distpath",
             str(ROOT / "dist"), "--workpath", str(ROOT / "build" / "pyinstaller"), str(SPEC)],
            check=True, timeout=900, cwd=ROOT,
        )  # fmt: skip
    if not BUNDLE.exists():
        pytest.skip(f"no bundle at {BUNDLE}: build it with `make package` (or set TRAYAPP_BUILD_PACKAGE=1)")
    return BUNDLE


def run_bundle(bundle: Path, *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None,
               timeout: float = 60) -> subprocess.CompletedProcess[bytes]:  # fmt: skip
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "TRAYAPP_CONFIG"))}
    base["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run(
        [str(bundle), *args], input=stdin, capture_output=True, timeout=timeout, env={**base, **(env or {})}
    )


def test_version(bundle: Path) -> None:
    proc = run_bundle(bundle, "--version")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode().strip() == f"trayapp {__version__}"


def test_demo_check_json(bundle: Path, tmp_path: Path) -> None:
    proc = run_bundle(bundle, "--config-dir", str(tmp_path), "--demo", "check", "--json")
    assert proc.returncode == 2, proc.stderr  # CRITICAL: a demo account has no credit left
    report = json.loads(proc.stdout)
    expected = {a.id: a.label for a in demo_accounts(datetime.now(UTC))}
    assert {a["id"]: a["label"] for a in report["accounts"]} == expected
    by_id = {a["id"]: a for a in report["accounts"]}
    assert by_id["demo-healthy"]["status"] == "ok" and by_id["demo-healthy"]["remaining"] > 0
    assert any(alert["severity"] == "critical" for a in report["accounts"] for alert in a["alerts"])


def fetch_in_bundle(bundle: Path, accounts: list[Account], secrets: dict[str, str] | None = None) -> dict:
    jobs = [Job(a, {k: Secret(v) for k, v in (secrets or {}).items()}) for a in accounts]
    request = encode_request(jobs, datetime.now(UTC), "salt", 10.0)
    proc = run_bundle(bundle, "--fetcher", stdin=request)
    assert proc.returncode == 0, proc.stderr
    results = [result_in(json.loads(line)) for line in proc.stdout.decode().splitlines()]
    return {r.account_id: r for r in results}


def test_frozen_fetch_child_runs_the_lazily_imported_demo_provider(bundle: Path) -> None:
    accounts = demo_accounts(datetime.now(UTC))
    results = fetch_in_bundle(bundle, accounts)
    assert set(results) == {a.id for a in accounts}
    assert results["demo-healthy"].snapshot is not None and results["demo-healthy"].error is None


@pytest.fixture
def server() -> Iterator[HTTPServer]:
    s = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    s.start()
    yield s
    s.clear()
    s.stop()


def account(provider: str, base_url: str) -> Account:
    return Account(id=f"{provider}-1", provider=provider, label=provider, created_at=datetime.now(UTC),
                   base_url=base_url, secret_kinds=("api",))  # fmt: skip


def test_frozen_fetch_child_has_the_http_stack(bundle: Path, server: HTTPServer) -> None:
    body = {"is_available": True, "balance_infos": [{"currency": "CNY", "total_balance": "12.50",
            "granted_balance": "2.50", "topped_up_balance": "10.00"}]}  # fmt: skip
    server.expect_request("/ds/user/balance", headers={"Authorization": f"Bearer {KEY}"}).respond_with_json(body)
    results = fetch_in_bundle(bundle, [account("deepseek", f"http://127.0.0.1:{server.port}/ds")], {"api": KEY})
    result = results["deepseek-1"]
    assert result.error is None, result.error
    assert result.snapshot is not None and str(result.snapshot.remaining) == "12.50"


def test_frozen_fetch_child_has_the_openai_sdk(bundle: Path, server: HTTPServer) -> None:
    # A rejected admin key is enough: only a working openai SDK (an admin key's client) turns the 401 into
    # "key rejected"; a normal key's requests no longer go through the SDK.
    error = {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error",
             "param": None, "code": "invalid_api_key"}}  # fmt: skip
    server.expect_request(re.compile(".*")).respond_with_json(error, status=401)
    admin = "sk-admin-CANARY-bundle-0123456789ab"
    results = fetch_in_bundle(bundle, [account("openai", f"http://127.0.0.1:{server.port}/v1")], {"api": admin})
    result = results["openai-1"]
    assert result.error is not None and result.error.kind is ErrorKind.AUTH, result.error
    assert len(server.log) >= 1


@pytest.mark.desktop
def test_bundle_stores_keys_in_the_secret_service(bundle: Path, tmp_path: Path, server: HTTPServer) -> None:
    """Inside scripts/desktop-session (gnome-keyring): the bundled keyring finds its SecretService
    backend (entry points + jeepney), stores the key, and `check` reads it back to call the provider."""
    if os.environ.get("TRAYAPP_DESKTOP_SESSION") != "1":
        pytest.skip("needs the Secret Service of scripts/desktop-session (make test-desktop)")
    body = {"is_available": True, "balance_infos": [{"currency": "USD", "total_balance": "3.00",
            "granted_balance": "0", "topped_up_balance": "3.00"}]}  # fmt: skip
    server.expect_request("/ds/user/balance", headers={"Authorization": f"Bearer {KEY}"}).respond_with_json(body)
    cfg = str(tmp_path / "cfg")
    add = run_bundle(bundle, "--config-dir", cfg, "accounts", "add", "--provider", "deepseek", "--label", "DS",
                     "--base-url", f"http://127.0.0.1:{server.port}/ds", "--key-env", "K", env={"K": KEY})  # fmt: skip
    assert add.returncode == 0, add.stderr
    assert b"Secret Service" in add.stderr or b"SecretService" in add.stderr, add.stderr
    account_id = add.stdout.decode().strip().splitlines()[-1]
    try:
        check = run_bundle(bundle, "--config-dir", cfg, "check", "--json")
        report = json.loads(check.stdout)
        (acct,) = report["accounts"]
        assert acct["remaining"] == 3.0, check.stderr

        # The bundled tray polls through its own executable in `--fetcher` mode (no `python -m` there).
        server.clear_log()
        (tmp_path / "cfg" / "state.json").unlink()  # `check` scheduled the next poll in 15 min: due now
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        tray = subprocess.Popen([str(bundle), "--config-dir", cfg], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)  # fmt: skip
        try:
            deadline = time.monotonic() + 30
            while not server.log and time.monotonic() < deadline and tray.poll() is None:
                time.sleep(0.1)
            assert server.log, "the bundled tray never polled the provider"
            state = tmp_path / "cfg" / "state.json"
            while time.monotonic() < deadline and account_id not in (state.read_text() if state.exists() else ""):
                time.sleep(0.1)
            time.sleep(0.5)  # the result reaches the tray after the request
        finally:
            if tray.poll() is None:
                tray.send_signal(signal.SIGTERM)
                tray.wait(timeout=15)
        assert tray.returncode == 0, tray.stderr.read() if tray.stderr else ""
        reading = json.loads(state.read_text())["accounts"][account_id]
        assert reading["last_error"] is None and reading["last_good"]["remaining"] == "3.00", reading
    finally:
        removed = run_bundle(bundle, "--config-dir", cfg, "accounts", "remove", account_id)
    assert removed.returncode == 0, removed.stderr


def test_the_fetch_child_starts_through_the_bundle_when_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    from trayapp.fetch import child

    assert child.child_command() == [sys.executable, "-S", "-m", "trayapp.fetch"]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/credit-tray/trayapp")
    assert child.child_command() == ["/opt/credit-tray/trayapp", "--fetcher"]
