"""`keyring` against the real Secret Service (gnome-keyring) of the desktop session.

Each test uses its own service name (`keyring_service`) and leaves the keyring unlocked and clean.
Every call that could block on an unlock prompt runs with a time bound.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import keyring
import keyring.backends.SecretService
import keyring.core
import keyring.errors
import pytest
import secretstorage

# Backend selection and a write, as a freshly started app would do them, in a subprocess.
PROBE = r"""
import json, sys, time
t0 = time.monotonic()
import keyring, keyring.errors
kr = keyring.get_keyring()
out = {"backend": f"{type(kr).__module__}.{type(kr).__qualname__}", "error": None}
try:
    keyring.set_password(sys.argv[1], "probe", "secret")
    keyring.delete_password(sys.argv[1], "probe")
except keyring.errors.KeyringError as e:
    out["error"] = type(e).__name__
    out["error_is_keyring_error"] = True
out["seconds"] = time.monotonic() - t0
print(json.dumps(out))
"""
SECRET_SERVICE = "keyring.backends.SecretService.Keyring"
FAST = 5.0  # seconds; failures measured here take well under 0.1 s


def probe_env(tmp_path) -> dict[str, str]:
    """No PYTHON_KEYRING_BACKEND and no user keyringrc.cfg: keyring must choose by itself."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHON_KEYRING_BACKEND"}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    return env


def bounded(fn: Callable[[], Any], timeout: float = 15.0) -> tuple[Any, BaseException | None, float]:
    """Run fn in a daemon thread; fail the test if it is still blocked after `timeout` seconds."""
    box: dict[str, Any] = {}

    def target() -> None:
        start = time.monotonic()
        try:
            box["result"] = fn()
        except BaseException as e:
            box["error"] = e
        box["elapsed"] = time.monotonic() - start

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        pytest.fail(f"keyring call still blocked after {timeout}s (waiting for an unlock prompt?)", pytrace=False)
    return box.get("result"), box.get("error"), box["elapsed"]


def fresh_backend() -> keyring.backend.KeyringBackend:
    """Detect the backend again (get_keyring() caches the first detection for the process)."""
    keyring.core.init_backend()
    return keyring.get_keyring()


def item_paths(service: str, username: str) -> list[str]:
    with secretstorage.dbus_init() as conn:
        return sorted(i.item_path for i in secretstorage.search_items(conn, {"service": service, "username": username}))


def stored_secret(service: str, username: str) -> bytes:
    with secretstorage.dbus_init() as conn:
        (item,) = secretstorage.search_items(conn, {"service": service, "username": username})
        return item.get_secret()


def test_backend_is_secret_service(secret_service, keyring_service, tmp_path):
    backend = fresh_backend()
    assert type(backend) is keyring.backends.SecretService.Keyring  # not a fail backend, not the chainer
    assert backend.priority >= 1
    # the same choice in a fresh process, as the app would make it
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, keyring_service],
        capture_output=True,
        text=True,
        timeout=30,
        env=probe_env(tmp_path),
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["backend"] == SECRET_SERVICE
    assert result["error"] is None


def test_round_trip_and_update_in_place(keyring_service):
    assert type(fresh_backend()) is keyring.backends.SecretService.Keyring
    assert keyring.get_password(keyring_service, "alice") is None

    keyring.set_password(keyring_service, "alice", "sk-first")
    keyring.set_password(keyring_service, "bob", "sk-bob")
    assert keyring.get_password(keyring_service, "alice") == "sk-first"
    (path_before,) = item_paths(keyring_service, "alice")

    keyring.set_password(keyring_service, "alice", "sk-second")
    assert keyring.get_password(keyring_service, "alice") == "sk-second"
    # replaced in place: still exactly one item, at the same object path, holding the new secret
    assert item_paths(keyring_service, "alice") == [path_before]
    assert stored_secret(keyring_service, "alice") == b"sk-second"
    assert keyring.get_password(keyring_service, "bob") == "sk-bob"

    keyring.delete_password(keyring_service, "alice")
    assert keyring.get_password(keyring_service, "alice") is None
    assert item_paths(keyring_service, "alice") == []
    with pytest.raises(keyring.errors.PasswordDeleteError):
        keyring.delete_password(keyring_service, "alice")


def test_locked_collection_raises_keyring_locked_quickly(secret_service, keyring_service):
    assert type(fresh_backend()) is keyring.backends.SecretService.Keyring
    keyring.set_password(keyring_service, "alice", "sk-kept")

    secret_service.lock()
    assert secret_service.default_collection_locked()
    for name, call in [
        ("get_password", lambda: keyring.get_password(keyring_service, "alice")),
        ("set_password", lambda: keyring.set_password(keyring_service, "alice", "sk-other")),
    ]:
        result, error, elapsed = bounded(call)
        assert isinstance(error, keyring.errors.KeyringLocked), f"{name}: {result!r} / {error!r}"
        assert elapsed < FAST, f"{name} took {elapsed:.2f}s"

    secret_service.unlock()  # restarts gnome-keyring with the session password
    assert not secret_service.default_collection_locked()
    assert keyring.get_password(keyring_service, "alice") == "sk-kept"


@pytest.mark.parametrize("how", ["nested-bus-without-secrets", "daemon-stopped"])
def test_missing_secret_service_fails_fast(how, secret_service, keyring_service, no_secrets_bus, tmp_path):
    argv = [sys.executable, "-c", PROBE, keyring_service]
    if how == "daemon-stopped":
        secret_service.stop()  # org.freedesktop.secrets gone from the session bus; restored afterwards
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=30, env=probe_env(tmp_path))
    else:
        proc = no_secrets_bus(argv, timeout=30, env=probe_env(tmp_path))
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["backend"] != SECRET_SERVICE
    assert result["backend"].startswith("keyring.backends.fail.")  # the app must treat this as "no keyring"
    assert result["error"] == "NoKeyringError"
    assert result["seconds"] < FAST
