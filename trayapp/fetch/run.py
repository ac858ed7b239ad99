"""Running fetches in this process: every job in parallel, each ending as one FetchResult."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..core.errors import ProviderError
from ..core.i18n import LocalText, tr
from ..core.models import ErrorKind, FetchError, FetchResult
from ..providers import catalog
from ..providers.base import FetchRequest
from ..secrets.keys import Fragments

if TYPE_CHECKING:
    from .jobs import Job

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 15.0  # seconds for one provider request
MAX_WORKERS = 256  # requests at once in one process: a large poll in one wave (children: fetch/child.py)

ResultCallback = Callable[[FetchResult], None]


def request_of(job: Job, now: datetime, salt: str, timeout: float = DEFAULT_TIMEOUT) -> FetchRequest:
    return FetchRequest(
        account=job.account, secrets=job.secrets, now=now, cache=job.cache, timeout=timeout, identity_salt=salt
    )


def fetch_one(request: FetchRequest) -> FetchResult:
    """The request's outcome, every text in it scrubbed of the account's keys (see `scrubbed`)."""
    result = _fetch_one(request)
    try:
        local = not catalog.info(request.account.provider).needs_network
    except catalog.UnknownProvider:
        local = False
    if local:  # the built-in demo answers from code; its made-up keys are in its own sample names
        return result
    return scrubbed(result, [s.reveal() for s in request.secrets.values()])


def _fetch_one(request: FetchRequest) -> FetchResult:
    account = request.account
    try:
        outcome = catalog.load(account.provider).fetch(request)
    except ProviderError as exc:
        return FetchResult(account.id, error=exc.to_fetch_error(), cache=request.cache)
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


def scrubbed(result: FetchResult, secrets: Sequence[str]) -> FetchResult:
    """`result` with every string in it (snapshot, notes, identity, grants, flags, error, the provider's cache,
    keys and values) cleaned of the account's keys, whole or in part (secrets/keys.py), whatever the status
    that brought it. Every fetch passes here, so no provider can forget it: a provider that echoes the key in
    a field of a good answer (an id, a plan title, a header) does not get it into state.json or `check`."""
    keys = [Fragments(s) for s in secrets if s]  # each key's fragments worked out once for all the strings
    if not keys:
        return result
    return FetchResult(
        result.account_id,
        snapshot=_scrub(result.snapshot, keys),
        error=_scrub(result.error, keys),
        cache=_scrub(result.cache, keys),
    )


def _mask(text: str, keys: Sequence[Fragments]) -> str:
    for key in keys:
        text = key.mask(text)
    return text


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _scrub(value: Any, keys: Sequence[Fragments]) -> Any:
    """The same value with its strings scrubbed; the very object when nothing in it changed."""
    if isinstance(value, LocalText):
        return _scrub_text(value, keys)
    if isinstance(value, str):
        masked = _mask(value, keys)
        return value if masked == value else masked
    if isinstance(value, (tuple, list, frozenset, set)):
        items = [_scrub(v, keys) for v in value]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        return type(value)(items)
    if isinstance(value, Mapping):
        pairs = [(_scrub(k, keys), _scrub(v, keys)) for k, v in value.items()]
        if all(k is k0 and v is v0 for (k, v), (k0, v0) in zip(pairs, value.items(), strict=True)):
            return value
        return dict(pairs)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for name in _field_names(type(value)):
            old = getattr(value, name)
            new = _scrub(old, keys)
            if new is not old:
                changes[name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value  # numbers, dates, None, enums: nothing a key could hide in


def _scrub_text(text: LocalText, keys: Sequence[Fragments]) -> str:
    """A translatable text keeps its template (ours) with its parameters scrubbed, so that every language
    shows it masked; should the key still show (split across template and parameter), plain masked English."""
    params = {k: _scrub(v, keys) for k, v in text.params.items()}
    if all(params[k] is v for k, v in text.params.items()):
        rebuilt: str = text
    else:
        rebuilt = LocalText(text.template, params)
    english = str.__str__(rebuilt)
    masked = _mask(english, keys)
    return rebuilt if masked == english else masked


def import_http_stack(*, alone: bool = False) -> None:
    """Import what every poll's requests need (httpx2, httpcore2, h11, and what the HTTP layer takes from them)
    ahead of the first request, while this process waits for something else (the keyring, its request). No SSL
    context: which one (the loopback's or the system's trust) is known only from the requests, and building
    one that is not used costs more than the import.

    `alone`: this process imports nothing else meanwhile (the fetch child), so two costs of every child's start
    can be skipped for the time of these imports, each undone after them (see _hidden_async_backend and
    _light_metadata)."""
    with _hidden_async_backend(alone), _light_metadata(alone):
        import httpcore2  # noqa: F401
        import httpx2  # noqa: F401
    from httpx2._decoders import MultiDecoder  # noqa: F401  (what the HTTP layer's transport imports)
    from httpx2._utils import get_environment_proxies  # noqa: F401  (and its client)

    "localhost".encode("idna")  # the codec the socket layer loads at the first connection (encodings.idna)


@contextlib.contextmanager
def _hidden_async_backend(hide: bool) -> Iterator[None]:
    """httpcore2 loads its anyio backend whenever anyio is installed (the openai SDK brings it), though a sync
    pool never uses it: ~25 ms of CPU. anyio is hidden while httpcore2 imports, and importable again after."""
    hidden = hide and "anyio" not in sys.modules
    if hidden:
        sys.modules["anyio"] = None  # type: ignore[assignment]  # import anyio: ImportError, as if not installed
    try:
        yield
    finally:
        if hidden and sys.modules.get("anyio", False) is None:
            del sys.modules["anyio"]


@contextlib.contextmanager
def _light_metadata(light: bool) -> Iterator[None]:
    """httpcore2 and httpx2 read their own version at import (`importlib.metadata.version`), and importing
    importlib.metadata (email, zipfile, csv, pathlib...) costs ~20 ms of CPU for two strings. Meanwhile
    `importlib.metadata` is a module with only `version`, which reads the version from the name of the
    package's `<name>-<version>.dist-info` folder and asks the real module where there is none (a frozen app,
    an egg). Gone after: a later `import importlib.metadata` gets the real one."""
    if not light or "importlib.metadata" in sys.modules:
        yield
        return
    import types

    light_module = types.ModuleType("importlib.metadata")

    def version(name: str) -> str:
        found = _dist_info_version(name)
        if found is not None:
            return found
        if sys.modules.get("importlib.metadata") is light_module:
            del sys.modules["importlib.metadata"]
        import importlib.metadata

        return importlib.metadata.version(name)

    light_module.version = version  # type: ignore[attr-defined]
    sys.modules["importlib.metadata"] = light_module
    try:
        yield
    finally:
        if sys.modules.get("importlib.metadata") is light_module:
            del sys.modules["importlib.metadata"]


def _dist_info_version(name: str) -> str | None:
    """The version in the name of the first `<name>-<version>.dist-info` folder on the import path, as
    importlib.metadata would find it first; None if there is none."""
    import os

    prefix = name.lower().replace("-", "_").replace(".", "_") + "-"
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for found in names:
            if found.endswith(".dist-info") and found.lower().startswith(prefix):
                return found[len(prefix) : -len(".dist-info")] or None
    return None


def import_http_stack_meanwhile() -> threading.Thread:
    """`import_http_stack` on a thread: for a process that polls in itself (`trayapp check`) while it waits for
    the keyring. Joined by nobody: a request that needs a module still being imported waits for it (the import
    lock), and an import that fails here fails again, with its message, where the request needs it."""

    def run() -> None:
        with contextlib.suppress(Exception):
            import_http_stack()

    thread = threading.Thread(target=run, name="import-http", daemon=True)
    thread.start()
    return thread


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
    requests = [request_of(j, now, salt, timeout) for j in jobs]
    return run_requests(requests, timeout=timeout, deadline=deadline, on_result=on_result)


def run_requests(
    requests: Sequence[FetchRequest],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    deadline: float | None = None,
    on_result: ResultCallback | None = None,
) -> list[FetchResult]:
    """`run_jobs` once the jobs are requests (the child decodes its request into these)."""
    if not requests:
        return []
    budget = deadline if deadline is not None else timeout * 2 + 5
    results: list[FetchResult] = []
    pool = ThreadPoolExecutor(max_workers=min(MAX_WORKERS, len(requests)), thread_name_prefix="fetch")
    try:
        futures: dict[Future[FetchResult], FetchRequest] = {pool.submit(fetch_one, r): r for r in requests}
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
            request = futures[fut]
            result = FetchResult(
                request.account.id,
                error=FetchError(
                    ErrorKind.TIMEOUT,
                    tr("No answer in time"),
                    tr(
                        "{provider} did not answer within {seconds} s.",
                        provider=catalog.info(request.account.provider).display_name,
                        seconds=f"{budget:g}",
                    ),
                    request.account.provider,
                ),
                cache=request.cache,
            )
            results.append(result)
            if on_result:
                on_result(result)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return results
