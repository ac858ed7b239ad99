"""Polling engine: read keys, run provider fetches in parallel, return FetchResults. No Qt.

Two ways to run the same fetches:
- in this process (`trayapp check`, tests), and
- in a short-lived child process (`python -m trayapp.fetcher`), which the tray uses so that the HTTP
  stack (the openai SDK costs ~50 MB and 0.5 s to import) never lives in the tray, and a hung or
  crashing provider cannot take the tray with it.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .core import codec
from .core.errors import ProviderError, SecretStoreError
from .core.i18n import tr
from .core.models import Account, AccountState, ErrorKind, FetchError
from .core.monitor import FetchResult
from .providers import catalog
from .providers.base import FetchRequest
from .secrets.secret import Secret
from .secrets.store import SecretStore

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 15.0  # seconds for one provider request
MAX_WORKERS = 64  # every account of a large setup in one wave: the poll lasts one answer, not two


@dataclass(frozen=True)
class Job:
    account: Account
    secrets: Mapping[str, Secret]
    cache: Mapping[str, Any] = field(default_factory=dict)


ResultCallback = Callable[[FetchResult], None]


# ---------------------------------------------------------------- preparing jobs (reads the keyring)


def prepare_jobs(
    accounts: Iterable[Account],
    states: Mapping[str, AccountState],
    store: SecretStore,
) -> tuple[list[Job], list[FetchResult]]:
    """Jobs for accounts whose keys could be read; failed results for the others."""
    jobs: list[Job] = []
    failed: list[FetchResult] = []
    for account in accounts:
        try:
            info = catalog.info(account.provider)
        except catalog.UnknownProvider:
            failed.append(
                _fail(
                    account.id,
                    ErrorKind.CONFIG,
                    tr("Unknown provider"),
                    tr("'{provider}' is not a provider this version knows.", provider=account.provider),
                )
            )
            continue
        secrets: dict[str, Secret] = {}
        try:
            for kind in account.secret_kinds:
                secret = store.get(account.id, kind)
                if secret is not None:
                    secrets[kind] = secret
        except SecretStoreError as exc:
            failed.append(_fail(account.id, ErrorKind.SECRET, exc.title, exc.message))
            continue
        required = [s.kind for s in info.secrets if s.required]
        missing = [k for k in required if k not in secrets and info.needs_network]
        if missing:
            failed.append(
                _fail(
                    account.id,
                    ErrorKind.SECRET,
                    tr("Key missing"),
                    tr(
                        "No {kind} key for this account in the OS secret store; edit the account to enter it again.",
                        kind=missing[0],
                    ),
                )
            )
            continue
        cache = states[account.id].cache if account.id in states else {}
        jobs.append(Job(account, secrets, cache))
    return jobs, failed


def _fail(account_id: str, kind: ErrorKind, title: str, message: str) -> FetchResult:
    return FetchResult(account_id, error=FetchError(kind, title, message))


# ---------------------------------------------------------------- running fetches in this process


def fetch_one(job: Job, now: datetime, salt: str, timeout: float = DEFAULT_TIMEOUT) -> FetchResult:
    account = job.account
    try:
        provider = catalog.load(account.provider)
        outcome = provider.fetch(
            FetchRequest(
                account=account,
                secrets=job.secrets,
                now=now,
                cache=job.cache,
                timeout=timeout,
                identity_salt=salt,
            )
        )
    except ProviderError as exc:
        return FetchResult(account.id, error=exc.to_fetch_error(), cache=job.cache)
    except Exception as exc:  # a bug in a provider must not take the others down
        # Only the type: an exception's text may quote a response that echoes the key.
        log.error("provider %s failed with %s", account.provider, type(exc).__name__)
        return FetchResult(
            account.id,
            error=FetchError(
                ErrorKind.BAD_RESPONSE,
                tr("{provider} could not be read", provider=catalog.info(account.provider).display_name),
                tr("Internal error while reading the answer ({error}).", error=type(exc).__name__),
                account.provider,
            ),
        )
    snapshot = outcome.snapshot
    if snapshot.account_id != account.id:
        from dataclasses import replace

        snapshot = replace(snapshot, account_id=account.id)
    return FetchResult(account.id, snapshot=snapshot, cache=outcome.cache)


def run_jobs(
    jobs: Sequence[Job],
    now: datetime,
    salt: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    deadline: float | None = None,
    on_result: ResultCallback | None = None,
) -> list[FetchResult]:
    """All jobs in parallel; a job still running at the deadline ends as a timeout error."""
    if not jobs:
        return []
    budget = deadline if deadline is not None else timeout * 2 + 5
    results: list[FetchResult] = []
    pool = ThreadPoolExecutor(max_workers=min(MAX_WORKERS, len(jobs)), thread_name_prefix="fetch")
    try:
        futures: dict[Future[FetchResult], Job] = {pool.submit(fetch_one, job, now, salt, timeout): job for job in jobs}
        end = time.monotonic() + budget
        pending = set(futures)
        while pending:
            left = end - time.monotonic()
            if left <= 0:
                break
            done, pending = wait(pending, timeout=left, return_when=FIRST_COMPLETED)
            for fut in done:
                result = fut.result()
                results.append(result)
                if on_result:
                    on_result(result)
        for fut in pending:
            job = futures[fut]
            result = FetchResult(
                job.account.id,
                error=FetchError(
                    ErrorKind.TIMEOUT,
                    tr("No answer in time"),
                    tr(
                        "{provider} did not answer within {seconds} s.",
                        provider=catalog.info(job.account.provider).display_name,
                        seconds=f"{budget:g}",
                    ),
                    job.account.provider,
                ),
                cache=job.cache,
            )
            results.append(result)
            if on_result:
                on_result(result)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return results


# ---------------------------------------------------------------- the child process


def encode_request(jobs: Sequence[Job], now: datetime, salt: str, timeout: float) -> bytes:
    payload = {
        "now": codec.dt_out(now),
        "salt": salt,
        "timeout": timeout,
        "jobs": [
            {
                "account": codec.account_out(j.account),
                "secrets": {k: s.reveal() for k, s in j.secrets.items()},
                "cache": dict(j.cache),
            }
            for j in jobs
        ],
    }
    return json.dumps(payload).encode("utf-8")


def decode_request(data: bytes) -> tuple[list[Job], datetime, str, float]:
    payload = json.loads(data)
    now = codec.dt_in(payload["now"])
    assert now is not None
    jobs = [
        Job(
            account=codec.account_in(j["account"]),
            secrets={str(k): Secret(str(v)) for k, v in (j.get("secrets") or {}).items()},
            cache=j.get("cache") or {},
        )
        for j in payload["jobs"]
    ]
    return jobs, now, str(payload["salt"]), float(payload["timeout"])


def result_out(r: FetchResult) -> dict[str, Any]:
    return {
        "account_id": r.account_id,
        "snapshot": codec.snapshot_out(r.snapshot) if r.snapshot else None,
        "error": codec.error_out(r.error),
        "cache": dict(r.cache),
    }


def result_in(d: Mapping[str, Any]) -> FetchResult:
    return FetchResult(
        account_id=str(d["account_id"]),
        snapshot=codec.snapshot_in(d["snapshot"]) if d.get("snapshot") else None,
        error=codec.error_in(d.get("error")),
        cache=d.get("cache") or {},
    )


def run_in_child(
    jobs: Sequence[Job],
    now: datetime,
    salt: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    on_result: ResultCallback | None = None,
    env: Mapping[str, str] | None = None,
) -> list[FetchResult]:
    """Run the fetches in `python -m trayapp.fetcher`; blocks, so call it off the UI thread."""
    if not jobs:
        return []
    budget = timeout * 2 + 10
    proc = subprocess.Popen(
        fetcher_command(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(env) if env is not None else None,
    )
    assert proc.stdin and proc.stdout and proc.stderr
    results: dict[str, FetchResult] = {}
    # A child that hangs is killed at the deadline; reading its output then ends.
    watchdog = threading.Timer(budget, proc.kill)
    watchdog.daemon = True
    watchdog.start()
    try:
        proc.stdin.write(encode_request(jobs, now, salt, timeout))
        proc.stdin.close()
        for line in proc.stdout:
            try:
                result = result_in(json.loads(line))
            except (ValueError, KeyError, TypeError):
                log.error("fetch process wrote a line that is not a result")
                continue
            results[result.account_id] = result
            if on_result:
                on_result(result)
        proc.wait()
    except BrokenPipeError:
        pass
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        err = proc.stderr.read().decode("utf-8", "replace")[-2000:]
        proc.stderr.close()
        proc.stdout.close()
    if proc.returncode not in (0, None):
        # Its stderr is not logged: a provider's traceback could quote an answer that echoes the key.
        log.error("fetch process exited with %s (%d bytes on stderr)", proc.returncode, len(err))
    missing = [j for j in jobs if j.account.id not in results]
    for job in missing:
        result = FetchResult(
            job.account.id,
            error=FetchError(
                ErrorKind.TIMEOUT if proc.returncode in (-9, None) else ErrorKind.BAD_RESPONSE,
                tr("Fetch failed"),
                tr(
                    "The background fetch ended before this account was read (exit status {status}).",
                    status=str(proc.returncode),
                ),
                job.account.provider,
            ),
            cache=job.cache,
        )
        results[job.account.id] = result
        if on_result:
            on_result(result)
    return [results[j.account.id] for j in jobs]


FETCHER_FLAG = "--fetcher"  # hidden: the frozen app's way of being `python -m trayapp.fetcher`


def fetcher_command() -> list[str]:
    """In a PyInstaller bundle sys.executable is the app itself, which has no `-m`: it takes a flag."""
    if getattr(sys, "frozen", False):
        return [sys.executable, FETCHER_FLAG]
    return [sys.executable, "-m", "trayapp.fetcher"]


def child_env() -> dict[str, str]:
    """The child needs no display and no Qt; keep what locates Python and the network settings."""
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)
    return env
