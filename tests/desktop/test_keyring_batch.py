"""A poll's keys read in one Secret Service exchange (KeyringStore.get_many) against the session's real
gnome-keyring: the same keys as keyring's one-by-one reads, missing ones left out, and a locked keyring the
same clear state. The items live under a service name of the test's own, deleted afterwards."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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


READER = """
import json, sys
import trayapp.secrets.store as store
store.SERVICE = sys.argv[1]
found = store.KeyringStore().get_many([("acc-1", "api"), ("acc-2", "api"), ("acc-missing", "api")])
keys = {f"{a}:{k}": s.reveal() for (a, k), s in found.items()}
print(json.dumps({"keys": keys, "keyring": "keyring" in sys.modules}))
"""


@pytest.mark.parametrize("configured", ["nothing", "keyringrc", "env"])
def test_keys_read_without_keyring_are_the_ones_keyring_reads(service: str, configured: str, tmp_path: Path) -> None:
    """With nothing configured, keyring would pick its Secret Service backend: the keys are read through
    secretstorage directly (keyring's import and discovery cost ~0.25 s of a check). A keyringrc.cfg or a
    PYTHON_KEYRING_BACKEND may name another backend or collection: keyring reads then."""
    writer = KeyringStore()
    writer.set("acc-1", "api", Secret("sk-CANARY-direct-1-0123456789"))
    writer.set("acc-2", "api", Secret("sk-CANARY-direct-2-é-0123456789"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON_KEYRING", "KEYRING_"))}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "xdg")
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    if configured == "keyringrc":
        rc = tmp_path / "xdg" / "python_keyring" / "keyringrc.cfg"
        rc.parent.mkdir(parents=True)
        rc.write_text("[backend]\ndefault-keyring=keyring.backends.SecretService.Keyring\n")
    elif configured == "env":
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.SecretService.Keyring"
    out = subprocess.run(
        [sys.executable, "-c", READER, service], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    result = json.loads(out.stdout)
    assert result["keys"] == {
        "acc-1:api": "sk-CANARY-direct-1-0123456789",
        "acc-2:api": "sk-CANARY-direct-2-é-0123456789",
    }
    assert result["keyring"] is (configured != "nothing")
