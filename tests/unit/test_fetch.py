from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime

from trayapp.core.models import Account, ErrorKind
from trayapp.fetch import Job, child_env, prepare_jobs, run_in_child, run_jobs
from trayapp.providers.demo import demo_accounts
from trayapp.secrets.secret import Secret
from trayapp.secrets.store import MemorySecretStore

NOW = datetime.now(UTC)


def demo_jobs() -> list[Job]:
    return [Job(a, {"api": Secret("demo")}) for a in demo_accounts(NOW)]


def test_run_jobs_returns_one_result_per_account() -> None:
    results = run_jobs(demo_jobs(), NOW, "salt" * 4)
    assert sorted(r.account_id for r in results) == sorted(a.id for a in demo_accounts(NOW))
    assert all(r.snapshot is not None for r in results)


def test_child_process_gives_the_same_results() -> None:
    streamed = []
    results = run_in_child(demo_jobs(), NOW, "salt" * 4, env=child_env(), on_result=streamed.append)
    direct = {r.account_id: r.snapshot for r in run_jobs(demo_jobs(), NOW, "salt" * 4)}
    assert {r.account_id: r.snapshot for r in results} == direct
    assert len(streamed) == len(results)


def test_provider_errors_become_results_not_exceptions() -> None:
    bad = Account("x", "demo", "Bad", NOW, options={"scenario": "invalid"})
    unknown = Account("y", "demo", "Odd", NOW, options={"scenario": "no-such"})
    results = {r.account_id: r for r in run_jobs([Job(bad, {}), Job(unknown, {})], NOW, "s" * 16)}
    assert results["x"].error is not None and results["x"].error.kind is ErrorKind.AUTH
    assert results["y"].error is not None and results["y"].error.kind is ErrorKind.CONFIG


def test_missing_key_and_unknown_provider_are_reported_per_account() -> None:
    accounts = [Account("a", "deepseek", "A", NOW), Account("b", "nope", "B", NOW)]
    jobs, failed = prepare_jobs(accounts, {}, MemorySecretStore())
    assert jobs == []
    errors = {r.account_id: r.error for r in failed}
    assert errors["a"] is not None and errors["a"].title == "Key missing"
    assert errors["b"] is not None and errors["b"].title == "Unknown provider"


def test_deadline_turns_a_hung_fetch_into_a_timeout() -> None:
    import trayapp.providers.demo as demo

    original = demo.PROVIDER.fetch

    def slow(request):  # type: ignore[no-untyped-def]
        if request.account.id == "demo-low":
            time.sleep(3)
        return original(request)

    demo.PROVIDER.fetch = slow  # type: ignore[method-assign]
    try:
        start = time.monotonic()
        results = {r.account_id: r for r in run_jobs(demo_jobs(), NOW, "s" * 16, deadline=0.5)}
        assert time.monotonic() - start < 2
    finally:
        demo.PROVIDER.fetch = original  # type: ignore[method-assign]
    assert results["demo-low"].error is not None and results["demo-low"].error.kind is ErrorKind.TIMEOUT
    assert results["demo-healthy"].snapshot is not None


def test_core_imports_no_qt() -> None:
    code = (
        "import sys, trayapp.core.rules, trayapp.core.monitor, trayapp.fetch, trayapp.fetch.__main__, "
        "trayapp.providers.catalog, trayapp.providers.demo, trayapp.secrets.store, trayapp.storage.config, "
        "trayapp.storage.state, trayapp.scheduling.scheduler, trayapp.service, trayapp.cli, trayapp.app; "
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'openai'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
