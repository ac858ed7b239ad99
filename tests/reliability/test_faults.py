"""Faults through real loopback servers, for every provider: refused, DNS failure, silence, trickles, 5xx,
429 with and without Retry-After, oversize bodies. Each is a typed error, in time; the poll as a whole
ends within its budget; backoff grows with jitter and resets; the last good reading stays, marked stale."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest

from tests.conftest import CliRunner
from tests.reliability.counts import record
from tests.reliability.providers import NOW, SPECS, Spec, request
from tests.reliability.server import LoopServer, Reply, free_port, serve
from trayapp.core import rules
from trayapp.core.errors import ProviderError
from trayapp.core.models import Account, AccountState, ErrorKind, FetchError, FetchResult, Settings, Snapshot, Status
from trayapp.core.monitor import Monitor
from trayapp.fetch import Job, run_in_child, run_jobs
from trayapp.providers import catalog
from trayapp.secrets.secret import Secret

TIMEOUT = 1.0
BIG = b'{"pad": "' + b"x" * (2 * 1024 * 1024) + b'"}'
HTML_500 = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"

# fault -> (reply, expected kind, expected retry_after)
FAULTS: dict[str, tuple[Reply, ErrorKind, float | None]] = {
    "500 json": (Reply(500, {"error": {"message": "internal"}}), ErrorKind.SERVER, None),
    "502 html": (Reply(502, HTML_500, {"Content-Type": "text/html"}), ErrorKind.SERVER, None),
    "503 empty": (Reply(503, b""), ErrorKind.SERVER, None),
    "429 retry-after": (Reply(429, {"error": {"message": "slow"}}, {"Retry-After": "7"}), ErrorKind.RATE_LIMITED, 7.0),
    "429 bare": (Reply(429, {"error": {"message": "slow"}}), ErrorKind.RATE_LIMITED, None),
    "silence": (Reply(hang=True), ErrorKind.TIMEOUT, None),
    "oversize declared": (Reply(200, BIG), ErrorKind.BAD_RESPONSE, None),
    "oversize streamed": (Reply(200, BIG, length=-1), ErrorKind.BAD_RESPONSE, None),
}


@pytest.fixture(scope="module")
def fault_server() -> Iterator[LoopServer]:
    yield from serve()


def fetch(spec: Spec, base: str | None, timeout: float = TIMEOUT) -> ProviderError:
    start = time.monotonic()
    with pytest.raises(ProviderError) as info:
        catalog.load(spec.name).fetch(request(spec, base, timeout=timeout))
    elapsed = time.monotonic() - start
    # One request's timeout, a few requests at most (OpenAI reads /me, then /models), and some slack.
    assert elapsed < timeout * 3 + 1.5, f"{spec.name} took {elapsed:.1f} s"
    record("faults.injected")
    record(f"faults.provider.{spec.name}")
    return info.value


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("spec", SPECS, ids=[s.name for s in SPECS])
def test_fault_is_a_typed_error_in_time(fault_server: LoopServer, spec: Spec, fault: str) -> None:
    reply, kind, retry_after = FAULTS[fault]
    fault_server.handler = lambda seen: reply
    err = fetch(spec, fault_server.url(spec.prefix))
    assert err.kind is kind, (err.kind, err.message)
    assert err.retry_after == retry_after
    assert err.title and err.message


@pytest.mark.parametrize("spec", SPECS, ids=[s.name for s in SPECS])
def test_connection_refused_and_dns_failure_are_network_errors(spec: Spec) -> None:
    refused = fetch(spec, f"http://127.0.0.1:{free_port()}{spec.prefix}")
    assert refused.kind is ErrorKind.NETWORK, refused.message
    unresolvable = fetch(spec, f"https://credit-tray-reliability.invalid{spec.prefix}", timeout=3.0)
    assert unresolvable.kind is ErrorKind.NETWORK, unresolvable.message


# ---------------------------------------------------------------- the poll's budget


def jobs_for(base_of: dict[str, str]) -> list[Job]:
    out = []
    for spec in SPECS:
        req = request(spec, base_of[spec.name])
        out.append(Job(req.account, {k: Secret(v) for k, v in spec.secrets.items()}))
    return out


@pytest.mark.parametrize("mode", ["silence", "trickled body", "trickled headers"])
def test_a_poll_of_every_provider_ends_within_its_budget(mode: str) -> None:
    body = json.dumps({"data": {"pad": "y" * 400}}).encode()
    reply = {
        "silence": Reply(hang=True),
        "trickled body": Reply(200, body, trickle=0.05),
        "trickled headers": Reply(trickle_headers=True, trickle=0.05),
    }[mode]
    with_server = LoopServer(lambda seen: reply).start()
    try:
        jobs = jobs_for({s.name: with_server.url(s.prefix) for s in SPECS})
        start = time.monotonic()
        results = run_jobs(jobs, NOW, "salt", timeout=TIMEOUT, deadline=3.0)
        elapsed = time.monotonic() - start
    finally:
        with_server.stop()
    assert elapsed < 4.0, elapsed
    assert {r.account_id for r in results} == {j.account.id for j in jobs}
    for r in results:
        assert r.snapshot is None and r.error is not None
        assert r.error.kind in (ErrorKind.TIMEOUT, ErrorKind.BAD_RESPONSE), (r.account_id, r.error)
    record("faults.injected", len(jobs))
    record("faults.poll_budgets_held")


def test_the_fetch_child_ends_within_its_budget_when_every_provider_is_silent() -> None:
    server = LoopServer(lambda seen: Reply(hang=True)).start()
    try:
        jobs = jobs_for({s.name: server.url(s.prefix) for s in SPECS})
        start = time.monotonic()
        results = run_in_child(jobs, NOW, "salt", timeout=TIMEOUT, env=dict(os.environ))
        elapsed = time.monotonic() - start
    finally:
        server.stop()
    assert elapsed < TIMEOUT * 2 + 10, elapsed
    assert all(r.error is not None and r.error.kind is ErrorKind.TIMEOUT for r in results), results
    record("faults.injected", len(jobs))
    record("faults.poll_budgets_held")


def test_check_exits_within_its_budget_when_a_provider_trickles(cli: CliRunner) -> None:
    """A Nagios plugin that never exits is worse than one that says UNKNOWN: `check` must not wait for a
    request stuck past the poll's deadline (its worker thread would otherwise hold the process)."""
    server = LoopServer(lambda seen: Reply(trickle_headers=True, trickle=0.2)).start()
    try:
        added = cli(
            *("accounts", "add", "--provider", "deepseek", "--label", "slow"),
            *("--base-url", server.url("/ds"), "--key-stdin"),
            stdin="sk-slow-0123456789abcdef\n",
        )
        assert added.code == 0, added.err
        # The plugin's own --timeout of 7 s: the poll's deadline comes a second before it.
        start = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-m", "trayapp", "--config-dir", str(cli.config_dir), "check", "--json", "--timeout", "7"],
            env=cli.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        elapsed = time.monotonic() - start
    finally:
        server.stop()
    assert proc.returncode == 3, proc.stderr  # UNKNOWN: the account could not be read
    report = json.loads(proc.stdout)
    assert report["accounts"][0]["error"]["title"] == "No answer in time"
    assert elapsed < 7 + 5, f"check took {elapsed:.1f} s"
    record("faults.injected")
    record("faults.poll_budgets_held")


# ---------------------------------------------------------------- backoff, staleness, recovery


def test_backoff_grows_with_jitter_and_resets_on_success() -> None:
    settings = Settings(poll_interval_minutes=15)
    rng = random.Random(8)
    error = FetchError(ErrorKind.SERVER, "Provider error", "500")
    delays: list[timedelta] = []
    state = AccountState()
    for _ in range(14):
        state = rules.after_failure(state, error, settings, NOW, rng)
        assert state.next_due_at is not None
        delays.append(state.next_due_at - NOW)
    assert state.failures == 14
    # Each delay is its base (1 min doubling, floored at the interval once past it, capped at 6 h) ±20 %.
    for n, delay in enumerate(delays, start=1):
        base = timedelta(minutes=1) * 2 ** (n - 1)
        if base > timedelta(minutes=15):
            base = min(rules.MAX_BACKOFF, base)
        assert base * 0.8 <= delay <= base * 1.2, (n, delay)
    assert all(delays[i + 1] > delays[i] for i in range(8))  # grows until the cap
    assert max(delays) <= rules.MAX_BACKOFF * 1.2
    # Jitter: the same failure count gives spread-out delays (no thundering herd after an outage).
    spread = {rules.backoff(3, settings, rng=rng) for _ in range(50)}
    assert len(spread) > 40 and max(spread) - min(spread) > timedelta(seconds=60)
    # Retry-After is a floor.
    assert rules.backoff(1, settings, retry_after=3600, rng=rng) >= timedelta(hours=1)
    snap = Snapshot(account_id="a", checked_at=NOW, currency="USD", remaining=None)
    ok = rules.after_success(state, snap, {}, settings, NOW)
    assert ok.failures == 0 and ok.last_error is None
    assert ok.next_due_at == NOW + timedelta(minutes=15)
    again = rules.after_failure(ok, error, settings, NOW, rng)
    assert timedelta(seconds=48) <= again.next_due_at - NOW <= timedelta(seconds=72)  # back to 1 min
    record("faults.backoff_sequences")


@pytest.mark.parametrize("fault", list(FAULTS))
def test_last_good_reading_stays_marked_stale_through_a_fault(fault_server: LoopServer, fault: str) -> None:
    spec = SPECS[0]  # DeepSeek, through the shared HTTP layer
    good = {
        "is_available": True,
        "balance_infos": [
            {"currency": "CNY", "total_balance": "7.25", "granted_balance": "0", "topped_up_balance": "7.25"}
        ],
    }
    fault_server.handler = lambda seen: Reply(200, good)
    req = request(spec, fault_server.url(spec.prefix))
    account: Account = req.account
    monitor = Monitor([account], Settings())
    first = run_jobs([Job(account, req.secrets)], NOW, "salt", timeout=TIMEOUT)
    monitor.apply(first, NOW)
    assert monitor.views(NOW)[0].status is Status.OK
    fault_server.handler = lambda seen: FAULTS[fault][0]
    later = NOW + timedelta(minutes=16)
    results = run_jobs([Job(account, req.secrets)], later, "salt", timeout=TIMEOUT)
    monitor.apply(results, later)
    view = monitor.views(later)[0]
    assert view.status is Status.STALE
    assert view.snapshot is not None and str(view.snapshot.remaining) == "7.25"
    assert "7.25" in view.remaining_text
    assert view.error is not None and view.error.kind is FAULTS[fault][1]
    state = monitor.states[account.id]
    assert state.failures == 1 and state.next_due_at is not None and state.next_due_at > later
    # The cause goes away: the next poll is fresh again, failures reset.
    fault_server.handler = lambda seen: Reply(200, good)
    after = later + timedelta(minutes=2)
    monitor.apply(run_jobs([Job(account, req.secrets)], after, "salt", timeout=TIMEOUT), after)
    assert monitor.views(after)[0].status is Status.OK and monitor.states[account.id].failures == 0
    record("faults.injected")
    record("faults.stale_kept")


def test_stale_after_three_intervals_without_an_error() -> None:
    settings = Settings(poll_interval_minutes=15)
    snap = Snapshot(account_id="a", checked_at=NOW, currency="USD", remaining=None)
    state = replace(AccountState(), last_good=snap)
    assert rules.status_of(state, settings, NOW + timedelta(minutes=44)) is Status.UNKNOWN
    assert rules.status_of(state, settings, NOW + timedelta(minutes=46)) is Status.STALE


def test_result_for_a_removed_account_is_ignored() -> None:
    monitor = Monitor([], Settings())
    monitor.apply([FetchResult("gone", error=FetchError(ErrorKind.SERVER, "x", "y"))], NOW)
    assert monitor.states == {}
