"""A poll's keys read in one Secret Service exchange (KeyringStore.get_many) against the session's real
gnome-keyring: the same keys as keyring's one-by-one reads, missing ones left out, and a locked keyring the
same clear state. The items live under a service name of the test's own, deleted afterwards."""

from __future__ import annotations

import pytest

import trayapp.secrets.store as store_module
from trayapp.core.errors import SecretStoreError
from trayapp.secrets.secret import Secret
from trayapp.secrets.store import KeyringStore


@pytest.fixture
def service(keyring_service: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(store_module, "SERVICE", keyring_service)
    return keyring_service


def test_batch_read_returns_the_keys_keyring_returns_one_by_one(service: str) -> None:
    writer = KeyringStore()
    assert type(writer._backend_or_raise()).__module__ == "keyring.backends.SecretService"
    values = {(f"acc-{i}", "api"): f"sk-CANARY-batch-{i:02d}-0123456789" for i in range(20)}
    values[("acc-3", "admin")] = "sk-admin-CANARY-0123456789"
    values[("acc-4", "session")] = "sess-CANARY-é-0123456789"  # not ASCII: decoded as keyring decodes it
    for (account, kind), value in values.items():
        writer.set(account, kind, Secret(value))
    writer.set("acc-5", "api", Secret("sk-CANARY-replaced-0123456789"))  # written over the same item
    wanted = [*values, ("acc-missing", "api"), ("acc-0", "admin")]

    one_by_one = {key: KeyringStore().get(*key) for key in wanted}
    batch = KeyringStore().get_many(wanted)

    assert batch == {key: secret for key, secret in one_by_one.items() if secret is not None}
    assert batch[("acc-5", "api")] == Secret("sk-CANARY-replaced-0123456789")
    assert batch[("acc-4", "session")] == Secret("sess-CANARY-é-0123456789")
    assert ("acc-missing", "api") not in batch and len(batch) == len(values)


def test_batch_read_of_a_locked_keyring_is_the_locked_state(service: str, secret_service) -> None:  # type: ignore[no-untyped-def]
    KeyringStore().set("acc-1", "api", Secret("sk-CANARY-locked-0123456789"))
    secret_service.lock()
    with pytest.raises(SecretStoreError) as info:
        KeyringStore(timeout=5).get_many([("acc-1", "api")])
    assert info.value.state == "locked"
    assert "sk-CANARY" not in str(info.value)
