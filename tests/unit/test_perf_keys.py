"""A poll's keys read at once (KeyringStore.get_many, prepare_jobs) through keyring's real API: the same keys as
one by one, each key read once, and a store that cannot be read is one clear state for every account, asked once.
The Secret Service path itself runs against the real gnome-keyring in tests/desktop/test_keyring_batch.py."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from keyring.errors import KeyringLocked

from tests.support.keyring_backend import MemoryKeyring
from tests.unit.test_secrets import Hanging
from trayapp.core.errors import SecretStoreError
from trayapp.core.models import Account, ErrorKind
from trayapp.fetch import prepare_jobs
from trayapp.secrets.secret import Secret
from trayapp.secrets.store import SERVICE, KeyringStore, MemorySecretStore

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


class Counting(MemoryKeyring):
    def __init__(self) -> None:
        super().__init__()
        self.reads: list[str] = []

    def get_password(self, service: str, username: str) -> str | None:
        self.reads.append(username)
        return super().get_password(service, username)


class LockedKeyring(MemoryKeyring):
    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    def get_password(self, service: str, username: str) -> str | None:
        self.reads += 1
        raise KeyringLocked("Failed to unlock the collection!")


def filled(backend: MemoryKeyring, count: int) -> list[tuple[str, str]]:
    wanted = []
    for i in range(count):
        backend.items[(SERVICE, f"acc-{i}:api")] = f"sk-CANARY-{i:03d}-0123456789"
        wanted.append((f"acc-{i}", "api"))
    return wanted


def test_batch_read_gives_the_same_keys_as_one_by_one_and_leaves_out_missing_ones() -> None:
    backend = Counting()
    wanted = filled(backend, 12)
    one_by_one = {key: KeyringStore(backend=backend).get(*key) for key in wanted}
    batch = KeyringStore(backend=backend).get_many([*wanted, ("gone", "api"), ("acc-1", "admin")])
    assert batch == one_by_one and ("gone", "api") not in batch and ("acc-1", "admin") not in batch


def test_batch_read_fills_the_memory_so_no_key_is_read_twice() -> None:
    backend = Counting()
    wanted = filled(backend, 5)
    store = KeyringStore(backend=backend)
    assert store.get("acc-0", "api") == Secret("sk-CANARY-000-0123456789")
    store.get_many(wanted)
    store.get_many(wanted)
    assert sorted(backend.reads) == sorted(f"acc-{i}:api" for i in range(5))
    assert store.get("acc-4", "api") == Secret("sk-CANARY-004-0123456789") and len(backend.reads) == 5


def test_a_locked_keyring_is_one_clear_state_for_every_account_and_asked_once() -> None:
    backend = LockedKeyring()
    accounts = [Account(f"acc-{i}", "deepseek", f"A{i}", NOW) for i in range(6)]
    jobs, failed = prepare_jobs(accounts, {}, KeyringStore(backend=backend))
    assert jobs == [] and backend.reads == 1
    assert {r.account_id for r in failed} == {a.id for a in accounts}
    assert all(r.error is not None and r.error.kind is ErrorKind.SECRET for r in failed)
    assert all(r.error is not None and r.error.title == "Keyring locked" for r in failed)


def test_a_batch_read_that_hangs_is_bounded_in_time_and_says_so() -> None:
    backend = Hanging()
    try:
        with pytest.raises(SecretStoreError) as info:
            KeyringStore(backend=backend, timeout=0.3).get_many([("a", "api"), ("b", "api")])
        assert info.value.state == "timeout"
    finally:
        backend.release.set()


def test_prepare_jobs_hands_each_account_its_own_keys() -> None:
    store = MemorySecretStore(
        {
            ("a", "api"): Secret("sk-a-0123456789"),
            ("b", "api"): Secret("sk-proj-b-0123456789"),
            ("b", "admin"): Secret("sk-admin-b-0123456789"),
        }
    )
    accounts = [
        Account("a", "deepseek", "A", NOW),
        Account("b", "openai", "B", NOW, secret_kinds=("api", "admin")),
        Account("c", "moonshot", "C", NOW),
    ]
    jobs, failed = prepare_jobs(accounts, {}, store)
    assert {j.account.id: {k: s.reveal() for k, s in j.secrets.items()} for j in jobs} == {
        "a": {"api": "sk-a-0123456789"},
        "b": {"api": "sk-proj-b-0123456789", "admin": "sk-admin-b-0123456789"},
    }
    assert [(r.account_id, r.error.title if r.error else None) for r in failed] == [("c", "Key missing")]


def test_a_store_that_reads_only_one_key_at_a_time_is_read_key_by_key() -> None:
    """A store with `get` alone (systemd credentials in front of the keyring, say) is still read whole."""

    class OneByOne:
        def __init__(self) -> None:
            self.asked: list[tuple[str, str]] = []

        def get(self, account_id: str, kind: str) -> Secret | None:
            self.asked.append((account_id, kind))
            return Secret(f"sk-{account_id}-0123456789") if account_id != "c" else None

        def set(self, account_id: str, kind: str, secret: Secret) -> None: ...
        def delete(self, account_id: str, kind: str) -> None: ...
        def describe(self) -> str:
            return "one by one"

    store = OneByOne()
    accounts = [Account(i, "deepseek", i.upper(), NOW) for i in ("a", "b", "c")]
    jobs, failed = prepare_jobs(accounts, {}, store)
    assert [j.account.id for j in jobs] == ["a", "b"] and jobs[1].secrets["api"] == Secret("sk-b-0123456789")
    assert [r.account_id for r in failed] == ["c"] and store.asked == [("a", "api"), ("b", "api"), ("c", "api")]
