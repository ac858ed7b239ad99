"""Preparing a poll: an account and the keys it needs (read from the secret store) make a job."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import SecretStoreError
from ..core.i18n import tr
from ..core.models import Account, AccountState, ErrorKind, FetchError, FetchResult
from ..providers import catalog
from ..secrets.secret import Secret
from ..secrets.store import SecretStore, read_many


@dataclass(frozen=True)
class Job:
    """What one fetch needs and the child process receives: the account, its keys, the provider's cache."""

    account: Account
    secrets: Mapping[str, Secret]
    cache: Mapping[str, Any] = field(default_factory=dict)


def prepare_jobs(
    accounts: Iterable[Account],
    states: Mapping[str, AccountState],
    store: SecretStore,
) -> tuple[list[Job], list[FetchResult]]:
    """Jobs for accounts whose keys could be read; failed results for the others.

    The keys of the whole poll are read at once (one exchange with the OS store, not one per key); when the store
    cannot be read, every account that needs a key says why."""
    jobs: list[Job] = []
    failed: list[FetchResult] = []
    accounts = list(accounts)
    unreadable: SecretStoreError | None = None
    try:
        wanted = [(a.id, kind) for a in accounts if a.provider in catalog.CATALOG for kind in a.secret_kinds]
        keys = read_many(store, wanted)
    except SecretStoreError as exc:
        keys, unreadable = {}, exc
    for account in accounts:
        try:
            info = catalog.info(account.provider)
        except catalog.UnknownProvider:
            why = catalog.broken(account.provider)  # a declared provider whose file is broken: that file's problem
            failed.append(
                _fail(
                    account.id,
                    ErrorKind.CONFIG,
                    tr("Unknown provider"),
                    why or tr("'{provider}' is not a provider this version knows.", provider=account.provider),
                )
            )
            continue
        if unreadable is not None and account.secret_kinds:
            failed.append(_fail(account.id, ErrorKind.SECRET, unreadable.title, unreadable.message))
            continue
        secrets = {kind: keys[(account.id, kind)] for kind in account.secret_kinds if (account.id, kind) in keys}
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
