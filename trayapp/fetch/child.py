"""The child process and its protocol: the jobs as one JSON request on stdin, one JSON result a line on
stdout. The tray polls through it so that the HTTP stack never lives in the tray, and a hung or crashing
provider cannot take the tray with it (docs/ARCHITECTURE.md, "Why a child process for fetching")."""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import os
import sys
import threading
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, BinaryIO

from ..core import codec
from ..core.i18n import tr
from ..core.models import Account, ErrorKind, FetchError, FetchResult
from ..providers import catalog
from ..providers.base import FetchRequest
from ..secrets.secret import Secret
from .run import DEFAULT_TIMEOUT, ResultCallback, import_http_stack, run_requests

if TYPE_CHECKING:
    import subprocess

    from .jobs import Job

log = logging.getLogger(__name__)

CHILD_MODULE = "trayapp.fetch"
CHILD_FLAG = "--fetcher"  # hidden: the frozen app's way of being `python -m trayapp.fetch`
PARENT_ENV = "TRAYAPP_FETCH_PARENT"  # the parent's pid, for the child to see it is already gone
STDERR_KEPT = 2000  # bytes of the child's stderr kept (the end), to count in the log
ACCOUNTS_PER_CHILD = 150  # a poll larger than this runs in two children (on two cores): each one's CPU halves
MAX_CHILDREN = 2  # what one poll may start, whatever the cores (each child costs ~0.25 s of CPU to start)

# Fetch children running now, so that the tray can end them when it quits (stop_children).
_live: set[subprocess.Popen[bytes]] = set()
_live_lock = threading.Lock()


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
                # A provider declared in a TOML file travels as the tray read it: the child reads no file.
                **({"declared": d} if (d := catalog.declaration_of(j.account.provider)) else {}),
            }
            for j in jobs
        ],
    }
    return json.dumps(payload).encode("utf-8")


def decode_request(data: bytes) -> tuple[list[FetchRequest], float]:
    """The child's side: straight into what providers take, and the poll's timeout."""
    payload = json.loads(data)
    now = codec.dt_in(payload["now"])
    assert now is not None
    salt, timeout = str(payload["salt"]), float(payload["timeout"])
    for j in payload["jobs"]:
        if j.get("declared"):
            catalog.declare(j["declared"])
    requests = [
        FetchRequest(
            account=codec.account_in(j["account"]),
            secrets={str(k): Secret(str(v)) for k, v in (j.get("secrets") or {}).items()},
            now=now,
            cache=j.get("cache") or {},
            timeout=timeout,
            identity_salt=salt,
        )
        for j in payload["jobs"]
    ]
    return requests, timeout


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


class Started:
    """A fetch child started before its request is known: it imports its HTTP stack while the tray reads the
    poll's keys, and waits on stdin for the request (child_main). Its stderr is drained from the start."""

    def __init__(self, env: Mapping[str, str] | None = None, accounts: Iterable[Account] = ()) -> None:
        import subprocess  # the tray's side only: the child itself never starts one

        child_environment = dict(env) if env is not None else dict(os.environ)
        child_environment[PARENT_ENV] = str(os.getpid())
        if not getattr(sys, "frozen", False):
            child_environment["PYTHONPATH"] = import_path()
        self.proc = subprocess.Popen(
            child_command(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=child_environment,
        )
        assert self.proc.stdin and self.proc.stdout and self.proc.stderr
        with _live_lock:
            _live.add(self.proc)
        # Its stderr is read all along: a child that writes much there (a traceback per account, say) would
        # otherwise block on a full pipe, and its results with it, until the watchdog kills it.
        self.err_tail = bytearray()
        self.drain = threading.Thread(
            target=_drain, args=(self.proc.stderr, self.err_tail), name="fetch-stderr", daemon=True
        )
        self.drain.start()
        # Its first line, at once: what to load while the keys are read (no key in it: the request follows).
        with contextlib.suppress(OSError):
            self.proc.stdin.write(json.dumps({"warm": warm_up_of(accounts)}).encode("utf-8") + b"\n")
            self.proc.stdin.flush()

    def end(self) -> str:
        """The child ended (killed if still running) and its pipes closed; the end of its stderr."""
        proc = self.proc
        assert proc.stdin and proc.stdout
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        with _live_lock:
            _live.discard(proc)
        with contextlib.suppress(OSError):
            proc.stdin.close()
        self.drain.join(5)
        proc.stdout.close()
        return self.err_tail.decode("utf-8", "replace")

    def discard(self) -> None:
        """Not needed after all (no account had its keys, the poll failed before): it ends at once."""
        self.end()


def warm_up_of(accounts: Iterable[Account]) -> dict[str, Any]:
    """What a child loads before its request comes: the accounts' providers, and the system's CA bundle when
    one of them is reached over https (building it costs more than most requests; plain http needs none)."""
    providers: set[str] = set()
    tls = False
    for account in accounts:
        providers.add(account.provider)
        base = account.base_url
        if not base:
            with contextlib.suppress(catalog.UnknownProvider):
                base = catalog.info(account.provider).default_base_url
        tls = tls or not (base or "https:").strip().lower().startswith("http:")
    return {"providers": sorted(providers), "tls": tls}


def children_for(accounts: int) -> int:
    """How many children a poll of this many accounts runs in: one, unless it is large enough that one
    process's CPU (one core, ~2 ms a request) would be what it waits for; never more than the cores."""
    return max(1, min(MAX_CHILDREN, os.cpu_count() or 1, -(-accounts // ACCOUNTS_PER_CHILD)))


def start_children(accounts: Sequence[Account], env: Mapping[str, str] | None = None) -> list[Started]:
    """The children a poll of these accounts will run in (children_for), started before their request."""
    return [Started(env, accounts) for _ in range(children_for(len(accounts)))]


def _shares(jobs: Sequence[Job], count: int) -> list[list[Job]]:
    """The jobs in `count` near-equal shares, accounts of one base URL together where they can be (they reuse
    one connection pool), in the order they came within each share."""
    order = sorted(range(len(jobs)), key=lambda i: (jobs[i].account.base_url or jobs[i].account.provider, i))
    size = -(-len(jobs) // count)
    return [[jobs[i] for i in sorted(order[k : k + size])] for k in range(0, len(order), size)]


def run_in_child(
    jobs: Sequence[Job],
    now: datetime,
    salt: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    on_result: ResultCallback | None = None,
    env: Mapping[str, str] | None = None,
    started: Started | Sequence[Started] | None = None,
) -> list[FetchResult]:
    """Run the fetches in `python -m trayapp.fetch`; blocks, so call it off the UI thread. `started`: children
    started earlier (Started, start_children), which this call then owns and ends, even with no jobs; with
    several, each takes a share of the jobs, and one that fails loses only its own accounts' results."""
    children = [started] if isinstance(started, Started) else list(started or [])
    if not jobs:
        for extra in children:
            extra.discard()
        return []
    if not children:
        children = [Started(env, [j.account for j in jobs])]
    shares = _shares(jobs, len(children))
    for extra in children[len(shares) :]:  # fewer jobs than children: those not needed end now
        extra.discard()
    if len(shares) == 1:
        return _run_in(children[0], shares[0], now, salt, timeout, on_result)
    lock = threading.Lock()

    def handed(result: FetchResult) -> None:
        if on_result:
            with lock:  # one result at a time, whichever child it came from
                on_result(result)

    outcomes: dict[str, FetchResult] = {}

    def share_in(child: Started, share: list[Job]) -> None:
        try:
            outcomes.update({r.account_id: r for r in _run_in(child, share, now, salt, timeout, handed)})
        except Exception as exc:  # its pipes failed: its accounts say so, the other child's are kept
            log.error("fetch process could not be used (%s)", type(exc).__name__)
            child.end()
            for job in share:
                if job.account.id not in outcomes:
                    outcomes[job.account.id] = lost = _ended_early(job, child.proc.returncode)
                    handed(lost)

    threads = [
        threading.Thread(target=share_in, args=(child, share), name="fetch-child", daemon=True)
        for child, share in zip(children, shares, strict=False)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [outcomes[j.account.id] for j in jobs]


def _run_in(
    child: Started,
    jobs: Sequence[Job],
    now: datetime,
    salt: str,
    timeout: float,
    on_result: ResultCallback | None,
) -> list[FetchResult]:
    """One child's share: its request written, its results read as they come; the accounts it did not answer
    for (it crashed, hung, was killed) become errors that say so."""
    budget = timeout * 2 + 10
    proc = child.proc
    assert proc.stdin and proc.stdout
    results: dict[str, FetchResult] = {}
    wanted = {j.account.id for j in jobs}
    # A child that hangs is killed at the deadline; reading its output then ends.
    watchdog = threading.Timer(budget, proc.kill)
    watchdog.daemon = True
    watchdog.start()
    try:
        # One line, and stdin left open: it closes when this process ends, however it ends, and the child,
        # which watches it, ends then too (see child_main).
        proc.stdin.write(encode_request(jobs, now, salt, timeout) + b"\n")
        proc.stdin.flush()
        for line in proc.stdout:
            try:
                result = result_in(json.loads(line))
            except (ValueError, KeyError, TypeError):
                log.error("fetch process wrote a line that is not a result")
                continue
            if result.account_id not in wanted or result.account_id in results:
                log.error("fetch process wrote a result for an account not asked of it, or twice")
                continue
            results[result.account_id] = result
            if on_result:
                on_result(result)
        proc.wait()
    except BrokenPipeError:
        pass
    finally:
        watchdog.cancel()
        err = child.end()
    if proc.returncode not in (0, None):
        # Its stderr is not logged: a provider's traceback could quote an answer that echoes the key.
        log.error("fetch process exited with %s (%d bytes on stderr)", proc.returncode, len(err))
    missing = [j for j in jobs if j.account.id not in results]
    for job in missing:
        results[job.account.id] = result = _ended_early(job, proc.returncode)
        if on_result:
            on_result(result)
    return [results[j.account.id] for j in jobs]


def _ended_early(job: Job, returncode: int | None) -> FetchResult:
    """The result of an account its child did not answer for: an error that says so, its cache kept."""
    return FetchResult(
        job.account.id,
        error=FetchError(
            ErrorKind.TIMEOUT if returncode in (-9, None) else ErrorKind.BAD_RESPONSE,
            tr("Fetch failed"),
            tr(
                "The background fetch ended before this account was read (exit status {status}).",
                status=str(returncode),
            ),
            job.account.provider,
        ),
        cache=job.cache,
    )


def _drain(stream: BinaryIO, tail: bytearray) -> None:
    """Read `stream` to its end, keeping its last STDERR_KEPT bytes in `tail`."""
    with contextlib.suppress(OSError, ValueError):
        while chunk := os.read(stream.fileno(), 65536):
            tail.extend(chunk)
            del tail[:-STDERR_KEPT]
    with contextlib.suppress(OSError):
        stream.close()


def stop_children() -> None:
    """End every fetch child still running: the tray quits, and no child of it outlives it."""
    with _live_lock:
        running = list(_live)
    for proc in running:
        with contextlib.suppress(OSError):
            proc.kill()


def child_command() -> list[str]:
    """In a PyInstaller bundle sys.executable is the app itself, which has no `-m`: it takes a flag. Else `-S`:
    no `site` at start (~30 ms of CPU a poll: .pth files, an editable install's finder); the child is given
    this process's import path instead (import_path)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, CHILD_FLAG]
    return [sys.executable, "-S", "-m", CHILD_MODULE]


def import_path() -> str:
    """This process's import path for a child started without `site` (PYTHONPATH): every directory and archive
    of sys.path (site-packages included), in their order, then where this package is (an editable install
    finds it by a hook that `site` would set up)."""
    here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    entries = [*(p for p in sys.path if p and os.path.exists(p)), here]
    return os.pathsep.join(dict.fromkeys(entries))


def child_env() -> dict[str, str]:
    """The child needs no display and no Qt; keep what locates Python and the network settings."""
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)
    return env


def child_main() -> int:
    """The child's side: read the request, stream each result as soon as it is known."""
    from ..platform.hardening import harden

    harden()  # before the keys arrive on stdin
    _end_with_parent()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="fetcher: %(levelname)s %(message)s")
    first = sys.stdin.buffer.readline()  # what to load, written by the parent as it started this child
    try:
        warm = json.loads(first).get("warm") if first else None
    except (ValueError, AttributeError):
        warm = None
    warm_up(warm if isinstance(warm, dict) else {})  # while the tray reads the keys
    gc.freeze()  # what was loaded stays: later collections (the requests' garbage) do not walk it
    gc.enable()
    data = first if warm is None else sys.stdin.buffer.readline()
    if not data:
        return 0  # the parent had nothing for it after all (Started.discard), or is gone
    try:
        requests, timeout = decode_request(data)
    except (ValueError, KeyError, TypeError):
        print("fetcher: the request could not be read", file=sys.stderr)
        return 2
    if data.endswith(b"\n"):  # the parent keeps stdin open while it waits: its end is the parent's
        threading.Thread(target=_exit_at_eof, name="parent-watch", daemon=True).start()

    def emit(result: FetchResult) -> None:
        sys.stdout.write(json.dumps(result_out(result)) + "\n")
        sys.stdout.flush()

    run_requests(requests, timeout=timeout, on_result=emit)
    sys.stdout.flush()
    return 0


def warm_up(warm: Mapping[str, Any]) -> None:
    """Load what the poll's requests will need before the request comes (warm_up_of): the HTTP stack, the
    accounts' providers, and the CA bundle if an account is on https. A module that fails to load here fails
    again, with its message, where its account's request needs it."""
    import_http_stack(alone=True)
    from ..providers import http

    for name in warm.get("providers") or ():
        with contextlib.suppress(Exception):
            catalog.load(str(name))
    with contextlib.suppress(Exception):
        http.warm_up(tls=bool(warm.get("tls", True)))


def _end_with_parent() -> None:
    """Linux: killed when the parent goes (PR_SET_PDEATHSIG); and gone at once if it already went."""
    import signal

    from ..platform.hardening import die_with_parent

    die_with_parent(signal.SIGKILL)
    parent = os.environ.get(PARENT_ENV, "")
    if parent.isdigit() and hasattr(os, "getppid") and os.getppid() != int(parent):
        os._exit(1)  # the parent died before the death signal was armed


def _exit_at_eof() -> None:
    """Everywhere: the parent's end of stdin closes when it ends (killed, crashed, quit); so does this child."""
    with contextlib.suppress(OSError, ValueError):
        while sys.stdin.buffer.read(4096):
            pass
    os._exit(1)


def exit_child(code: int) -> None:
    """Threads of providers that did not answer must not keep the process alive past its deadline."""
    sys.stdout.flush()
    os._exit(code)
