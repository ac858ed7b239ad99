"""The OS secret store through `keyring`: no plaintext fallback, bounded waits, clear states.

One item per account and key kind, under a fixed service name. A key changed by the user is written
over the same item (the Secret Service backend replaces in place), never deleted and re-created:
that is what makes macOS Keychain ACLs and prompts go wrong.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol, TypeVar, runtime_checkable

from ..core.errors import SecretStoreError
from ..core.i18n import tr
from .secret import Secret

log = logging.getLogger(__name__)
SERVICE = "credit-tray"
T = TypeVar("T")

# Backends that would write a key in plain text or throw it away: never used.
_REFUSED_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


class SecretStore(Protocol):
    def get(self, account_id: str, kind: str) -> Secret | None: ...
    def set(self, account_id: str, kind: str, secret: Secret) -> None: ...
    def delete(self, account_id: str, kind: str) -> None: ...
    def describe(self) -> str: ...


@runtime_checkable
class ReadsMany(Protocol):
    """A store that reads a poll's keys at once (KeyringStore); any other store is read key by key."""

    def get_many(self, wanted: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Secret]: ...


def read_many(store: SecretStore, wanted: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Secret]:
    """(account id, kind) -> Secret for the keys found: in one exchange where the store offers it."""
    if isinstance(store, ReadsMany):
        return store.get_many(wanted)
    found: dict[tuple[str, str], Secret] = {}
    for key in wanted:
        secret = store.get(*key)
        if secret is not None:
            found[key] = secret
    return found


def item_name(account_id: str, kind: str) -> str:
    return f"{account_id}:{kind}"


class KeyringStore:
    """Thread-safe; every call is bounded in time so a prompt that never comes back cannot hang the app."""

    def __init__(self, *, timeout: float = 10.0, backend: Any | None = None) -> None:
        self.timeout = timeout
        self._backend = backend
        self._detect = backend is None  # a backend we chose ourselves may be chosen again
        self._cache: dict[tuple[str, str], Secret] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------ public

    def get(self, account_id: str, kind: str) -> Secret | None:
        """Read once, then from memory: background polls never raise an OS prompt again."""
        with self._lock:
            cached = self._cache.get((account_id, kind))
        if cached is not None:
            return cached
        value = self._call(lambda kr: kr.get_password(SERVICE, item_name(account_id, kind)))
        if value is None:
            return None
        secret = Secret(str(value))
        with self._lock:
            self._cache[(account_id, kind)] = secret
        return secret

    def get_many(self, wanted: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Secret]:
        """The keys of a whole poll (account id, kind) -> Secret, those found; read in one exchange with the
        store (one D-Bus connection and session on the Secret Service, instead of one each per key), in one
        bounded wait. Raises SecretStoreError when the store cannot be read (locked, absent, not answering)."""
        found: dict[tuple[str, str], Secret] = {}
        todo: list[tuple[str, str]] = []
        with self._lock:
            for key in dict.fromkeys(wanted):
                cached = self._cache.get(key)
                if cached is not None:
                    found[key] = cached
                else:
                    todo.append(key)
        if not todo:
            return found
        names = [item_name(*key) for key in todo]
        direct = self._backend is None and _plain_secret_service()
        values = self._bounded(lambda: _read_direct(names)) if direct else None
        if values is None:  # not the plain Secret Service case, or it is not there: keyring decides
            values = self._call(lambda kr: _read_many(kr, names))
        with self._lock:
            for key, name in zip(todo, names, strict=True):
                value = values.get(name)
                if value is not None:
                    found[key] = self._cache[key] = Secret(value)
        return found

    def set(self, account_id: str, kind: str, secret: Secret) -> None:
        self._call(lambda kr: kr.set_password(SERVICE, item_name(account_id, kind), secret.reveal()))
        with self._lock:
            self._cache[(account_id, kind)] = secret

    def delete(self, account_id: str, kind: str) -> None:
        import keyring.errors

        def remove(kr: Any) -> None:
            with contextlib.suppress(keyring.errors.PasswordDeleteError):  # already gone
                kr.delete_password(SERVICE, item_name(account_id, kind))

        self._call(remove)
        with self._lock:
            self._cache.pop((account_id, kind), None)

    def describe(self) -> str:
        try:
            kr = self._backend_or_raise()
        except SecretStoreError as exc:
            return f"{exc.title}: {exc.message}"
        return f"{type(kr).__module__}.{type(kr).__name__}"

    # ------------------------------------------------------------ internals

    def _backend_or_raise(self) -> Any:
        if self._backend is None or (self._detect and _refused(self._backend)):
            # Detect again while no usable store was found: a keyring daemon started after us is then used
            # without a restart (keyring caches its first choice per process).
            import keyring.backend
            import keyring.core

            if self._backend is not None:
                with contextlib.suppress(KeyError, AttributeError):  # nothing remembered yet
                    keyring.backend.get_all_keyring.reset()  # keyring remembers which backends were viable
                keyring.core.init_backend()
            self._backend = keyring.get_keyring()
        kr = self._backend
        if _refused(kr):
            raise SecretStoreError(
                tr("No secret store"),
                tr(
                    "No usable OS secret store was found (Secret Service / KWallet on Linux, Keychain on macOS, "
                    "Credential Locker on Windows). Keys are never written to a plain file: start your desktop's "
                    "keyring (e.g. gnome-keyring) and try again."
                ),
                state="unavailable",
            )
        return kr

    def _call(self, fn: Callable[[Any], T]) -> T:
        """fn(the keyring backend), bounded in time."""
        return self._bounded(lambda: fn(self._backend_or_raise()))

    def _bounded(self, fn: Callable[[], T]) -> T:
        result: list[T] = []
        failure: list[BaseException] = []

        def run() -> None:
            try:
                result.append(fn())
            except BaseException as exc:  # handed to the caller below
                failure.append(exc)

        worker = threading.Thread(target=run, name="keyring-call", daemon=True)
        worker.start()
        worker.join(self.timeout)
        if worker.is_alive():
            raise SecretStoreError(
                tr("Secret store not answering"),
                tr(
                    "The OS secret store did not answer within {seconds} s. It may be waiting for you to unlock it: "
                    "unlock your keyring, then choose Refresh now.",
                    seconds=f"{self.timeout:g}",
                ),
                state="timeout",
            )
        if failure:
            raise translate(failure[0]) from None
        return result[0]


def _refused(backend: Any) -> bool:
    return type(backend).__module__.startswith(_REFUSED_MODULES)


def _read_many(kr: Any, names: Sequence[str]) -> dict[str, str]:
    """Item name -> value for the items found; through the Secret Service in one exchange, else one by one
    through keyring's API (macOS Keychain, Windows Credential Locker, KWallet, a chainer of several)."""
    if type(kr).__module__ == "keyring.backends.SecretService" and type(kr).__name__ == "Keyring":
        return _read_secret_service(kr, names)
    out: dict[str, str] = {}
    for name in names:
        value = kr.get_password(SERVICE, name)
        if value is not None:
            out[name] = str(value)
    return out


def _plain_secret_service() -> bool:
    """Whether keyring would pick its Secret Service backend by itself here: Linux, no backend named by
    PYTHON_KEYRING_BACKEND, no keyringrc.cfg (which can name a backend, a collection or an attribute scheme).
    Then the keys are read through secretstorage, the library that backend uses, without importing keyring:
    its import and backend discovery (every backend's module, entry points, a D-Bus probe) take ~0.25 s,
    which a check and the first poll wait for."""
    if not sys.platform.startswith("linux") or any(k.startswith(("PYTHON_KEYRING", "KEYRING_")) for k in os.environ):
        return False
    config_home = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return not os.path.exists(os.path.join(config_home, "python_keyring", "keyringrc.cfg"))


def _read_direct(names: Sequence[str]) -> dict[str, str] | None:
    """As keyring's SecretService backend reads (its default collection, unlocked as it unlocks it, its
    default attribute scheme); None when no Secret Service answers (keyring's discovery then says why)."""
    try:
        import secretstorage
        from secretstorage.exceptions import SecretStorageException
    except ImportError:
        return None
    try:
        connection = secretstorage.dbus_init()
    except SecretStorageException:
        return None
    try:
        if not secretstorage.check_service_availability(connection):
            connection.close()
            return None
        collection = secretstorage.get_default_collection(connection)
        if collection.is_locked():
            collection.unlock()
            if collection.is_locked():  # the prompt was dismissed, or none can be shown
                raise locked_error()
    except SecretStorageException:
        connection.close()
        return None
    except BaseException:
        connection.close()
        raise

    def unlock(item: Any) -> None:
        item.unlock()
        if item.is_locked():
            raise locked_error()

    queries = [{"username": name, "service": SERVICE} for name in names]  # keyring's "default" scheme
    return _read_collection(collection, names, queries, unlock)


def _read_secret_service(kr: Any, names: Sequence[str]) -> dict[str, str]:
    collection = kr.get_preferred_collection()  # raises KeyringLocked if it stays locked
    return _read_collection(collection, names, [kr._query(SERVICE, name) for name in names], kr.unlock)


def _read_collection(
    collection: Any, names: Sequence[str], queries: Sequence[dict[str, str]], unlock: Callable[[Any], None]
) -> dict[str, str]:
    """What keyring's SecretService backend does per key (open a connection, find the collection, unlock it,
    search, open an encrypted session, read), done once for all: one connection, one unlock check, the
    SearchItems of every key sent at once, one session and one GetSecrets. An item locked on its own is
    unlocked and read as keyring reads it. The values are decrypted here and never leave this function but as
    the result. Closes the collection's connection."""
    from secretstorage.defines import SS_PATH, SS_PREFIX
    from secretstorage.item import Item
    from secretstorage.util import DBusAddressWrapper, open_session

    with contextlib.closing(collection.connection) as connection:
        found = _search_pipelined(connection, collection._collection, queries)
        # The first item of each search, as keyring's get_password takes it. (secretstorage's Item costs a
        # round trip when made: one is made only for an item that needs its own unlock.)
        paths = {name: found_paths[0] for name, found_paths in zip(names, found, strict=True) if found_paths}
        if not paths:
            return {}
        session = open_session(connection)
        service = DBusAddressWrapper(SS_PATH, SS_PREFIX + "Service", connection)
        (secrets,) = service.call("GetSecrets", "aoo", list(paths.values()), session.object_path)
        out: dict[str, str] = {}
        for name, path in paths.items():
            raw = secrets.get(path)
            if raw is None:  # locked on its own: not in GetSecrets' answer
                item = Item(connection, path, session)
                unlock(item)
                out[name] = item.get_secret().decode("utf-8")
            else:
                out[name] = _decrypt(session, raw).decode("utf-8")
        return out


PIPELINE = 64  # calls awaiting an answer at once: a bus limits them per connection (dbus-daemon's default: 128)


def _search_pipelined(connection: Any, collection: Any, queries: Sequence[dict[str, str]]) -> list[list[str]]:
    """The item paths each query finds in the collection: up to PIPELINE SearchItems sent before their answers
    are read, instead of one round trip each (50 keys, with secretstorage's Item made per key: 100-180 ms;
    this way: 40-50 ms)."""
    from jeepney import MessageType, new_method_call
    from jeepney.low_level import HeaderFields
    from jeepney.wrappers import DBusErrorResponse

    found: list[list[str]] = [[] for _ in queries]
    waiting: dict[int, int] = {}
    sent = 0
    while sent < len(queries) or waiting:
        while sent < len(queries) and len(waiting) < PIPELINE:
            serial = next(connection.outgoing_serial)
            connection.send(new_method_call(collection, "SearchItems", "a{ss}", (queries[sent],)), serial=serial)
            waiting[serial] = sent
            sent += 1
        reply = connection.receive()  # bounded by the caller's wait (KeyringStore._call)
        answered = reply.header.fields.get(HeaderFields.reply_serial)
        if answered not in waiting:
            continue  # a signal, or an answer to something else
        index = waiting.pop(answered)
        if reply.header.message_type is MessageType.error:
            raise DBusErrorResponse(reply)
        found[index] = list(reply.body[0])
    return found


def _decrypt(session: Any, secret: Any) -> bytes:
    """A Secret struct (session, parameters, value, content type) as secretstorage's Item.get_secret reads it."""
    if not session.encrypted:
        return bytes(secret[2])
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    decryptor = Cipher(algorithms.AES(session.aes_key), modes.CBC(bytes(secret[1]))).decryptor()
    padded = decryptor.update(bytes(secret[2])) + decryptor.finalize()
    return padded[: -padded[-1]]


def locked_error() -> SecretStoreError:
    return SecretStoreError(
        tr("Keyring locked"),
        tr("The OS keyring is locked. Unlock it (log in again or open your keyring manager), then choose Refresh now."),
        state="locked",
    )


def translate(exc: BaseException) -> BaseException:
    """keyring's errors into one error with a title and a message; the key never appears in either."""
    if isinstance(exc, SecretStoreError):
        return exc
    import keyring.errors

    if isinstance(exc, keyring.errors.KeyringLocked):
        return locked_error()
    if isinstance(exc, (keyring.errors.NoKeyringError, keyring.errors.InitError)):
        return SecretStoreError(
            tr("No secret store"),
            tr(
                "The OS secret store cannot be used ({error}). Keys are never written to a plain file: start your "
                "desktop's keyring and try again.",
                error=type(exc).__name__,
            ),
            state="unavailable",
        )
    return SecretStoreError(  # any other KeyringError, or anything else a backend raised
        tr("Secret store error"), tr("The OS secret store failed ({error}).", error=type(exc).__name__), state="failed"
    )


class MemorySecretStore:
    """Keys held only in this process: for --demo (no keyring at all)."""

    def __init__(self, initial: dict[tuple[str, str], Secret] | None = None) -> None:
        self._items = dict(initial or {})

    def get(self, account_id: str, kind: str) -> Secret | None:
        return self._items.get((account_id, kind))

    def get_many(self, wanted: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Secret]:
        return {key: self._items[key] for key in wanted if key in self._items}

    def set(self, account_id: str, kind: str, secret: Secret) -> None:
        self._items[(account_id, kind)] = secret

    def delete(self, account_id: str, kind: str) -> None:
        self._items.pop((account_id, kind), None)

    def describe(self) -> str:
        return "memory (demo)"
