"""The secret store through keyring's real API: an in-memory backend, and backends that fail."""

from __future__ import annotations

import threading
import time

import keyring.backends.fail
import pytest
from keyring.errors import KeyringLocked, NoKeyringError

from tests.support.keyring_backend import MemoryKeyring
from trayapp.core.errors import SecretStoreError
from trayapp.secrets.secret import Secret
from trayapp.secrets.store import SERVICE, KeyringStore

KEY = "sk-proj-CANARY0123456789"


def test_secret_never_shows_in_repr_str_format_or_logs(caplog) -> None:
    s = Secret(KEY)
    import logging

    logging.getLogger("t").warning("key %s %r %s", s, s, f"{s}")
    assert KEY not in repr(s) + str(s) + f"{s}" + caplog.text
    assert s.reveal() == KEY and s.kind_hint == "sk-proj-"
    with pytest.raises(TypeError):
        import pickle

        pickle.dumps(s)


def test_set_get_update_in_place_delete() -> None:
    backend = MemoryKeyring()
    store = KeyringStore(backend=backend)
    store.set("acc-1", "api", Secret(KEY))
    assert backend.items == {(SERVICE, "acc-1:api"): KEY}
    store.set("acc-1", "api", Secret(KEY + "2"))
    assert backend.items == {(SERVICE, "acc-1:api"): KEY + "2"}, "one item per account and kind"
    fresh = KeyringStore(backend=backend)
    assert fresh.get("acc-1", "api") == Secret(KEY + "2")
    store.delete("acc-1", "api")
    store.delete("acc-1", "api")  # already gone: fine
    assert KeyringStore(backend=backend).get("acc-1", "api") is None


def test_key_is_read_once_then_from_memory() -> None:
    class Counting(MemoryKeyring):
        reads = 0

        def get_password(self, service: str, username: str) -> str | None:
            Counting.reads += 1
            return super().get_password(service, username)

    backend = Counting()
    backend.items[(SERVICE, "a:api")] = KEY
    store = KeyringStore(backend=backend)
    for _ in range(5):
        assert store.get("a", "api") == Secret(KEY)
    assert Counting.reads == 1


class Locked(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringLocked("locked")


class Hanging(MemoryKeyring):
    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.release.wait(10)  # an unlock prompt nobody answers
        return None


def test_locked_keyring_is_a_clear_state() -> None:
    with pytest.raises(SecretStoreError) as info:
        KeyringStore(backend=Locked()).get("a", "api")
    assert info.value.state == "locked" and "Unlock" in info.value.message
    with pytest.raises(SecretStoreError):
        KeyringStore(backend=Locked()).set("a", "api", Secret(KEY))


def test_hanging_keyring_call_is_bounded_in_time() -> None:
    backend = Hanging()
    start = time.monotonic()
    with pytest.raises(SecretStoreError) as info:
        KeyringStore(backend=backend, timeout=0.3).get("a", "api")
    assert time.monotonic() - start < 2
    assert info.value.state == "timeout"
    backend.release.set()


def test_no_backend_is_refused_never_a_plaintext_fallback() -> None:
    with pytest.raises(SecretStoreError) as info:
        KeyringStore(backend=keyring.backends.fail.Keyring()).set("a", "api", Secret(KEY))
    assert info.value.state == "unavailable"
    assert KEY not in str(info.value)


def test_errors_from_keyring_are_translated_without_the_key() -> None:
    class Broken(MemoryKeyring):
        def set_password(self, service: str, username: str, password: str) -> None:
            raise NoKeyringError(f"could not store {password}")

    with pytest.raises(SecretStoreError) as info:
        KeyringStore(backend=Broken()).set("a", "api", Secret(KEY))
    assert KEY not in str(info.value) and KEY not in repr(info.value.__cause__)


def test_a_keyring_that_appears_later_is_used_without_a_restart(monkeypatch) -> None:
    import keyring.backend
    import keyring.core

    available = MemoryKeyring()
    calls: list[str] = []

    def detect(limit=None) -> None:  # type: ignore[no-untyped-def]
        calls.append("detect")
        keyring.core.set_keyring(available)

    store = KeyringStore()
    monkeypatch.setattr(keyring.core, "_keyring_backend", keyring.backends.fail.Keyring())
    monkeypatch.setattr(keyring.core, "init_backend", detect)
    with pytest.raises(SecretStoreError):
        store.set("a", "api", Secret(KEY))  # nothing usable yet: refused, nothing written
    store.set("a", "api", Secret(KEY))  # detected again on the next call
    assert available.items == {(SERVICE, "a:api"): KEY}
    assert calls


# ---------------------------------------------------------------- key shapes (secrets/keys.py), the one place


def test_public_prefixes_longest_first() -> None:
    from trayapp.secrets.keys import public_prefix

    prefixes = {k: public_prefix(k + "0123456789") for k in ("sk-admin-", "sk-proj-", "sk-or-v1-", "sess-", "sk-")}
    assert prefixes == {k: k for k in prefixes}
    assert public_prefix("weird-0123456789") == ""
    assert Secret("sk-svcacct-0123456789").kind_hint == "sk-svcacct-"


def test_keylike_text_is_masked_with_its_public_prefix_kept() -> None:
    from trayapp.secrets.keys import mask_keylike

    text = "keys sk-proj-****abcd, sess-XYZ123456, sk-or-v1-abcdef0123 and " + "A" * 40 + " in a log line"
    masked = mask_keylike(text)
    assert masked == "keys sk-proj-***, sess-***, sk-or-v1-*** and *** in a log line"
    assert mask_keylike("no key here: task-list, sk-x") == "no key here: task-list, sk-x"


def test_scrub_removes_the_accounts_key_in_part_and_folds_space() -> None:
    from trayapp.secrets.keys import scrub

    key = "zz-CANARYmiddle0123456789"
    shown = scrub(f"echo: {key[3:15]}\n\tand {key}", [key])
    assert "CANARYmi" not in shown and key not in shown
    assert shown == "echo: *** and ***"
