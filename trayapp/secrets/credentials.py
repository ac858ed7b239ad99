"""Keys from systemd credentials, for `trayapp serve` (and `check`) on a server without a desktop keyring.

Reading: a unit with `LoadCredentialEncrypted=` gives its service `$CREDENTIALS_DIRECTORY`, a read-only
directory only that service can read, on non-swappable memory, holding each credential decrypted (with the
machine's TPM2 chip or host key). A key is looked up there as `<account-id>.<kind>` (one
`LoadCredentialEncrypted=deepseek-1a2b3c.api:/path` line per key) or as `credit-tray_<account-id>.<kind>` (the
names systemd gives the files of a whole directory:
`LoadCredentialEncrypted=credit-tray:/etc/credstore.encrypted/credit-tray`).

Writing: with `TRAYAPP_CREDSTORE=/etc/credstore.encrypted/credit-tray`, `trayapp accounts add` encrypts each key
with `systemd-creds encrypt` into that directory (`<account-id>.<kind>`, named for the directory form above),
and commands run as root decrypt it from there. Without it the credentials are read-only here.

Never a plain file of our own making, never the environment. An account or kind found in neither place is
asked of the OS keyring, as everywhere else.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from ..core.errors import SecretStoreError
from ..core.i18n import tr
from .secret import Secret
from .store import SecretStore

ENV = "CREDENTIALS_DIRECTORY"  # set by systemd for a unit with credentials
ENV_STORE = "TRAYAPP_CREDSTORE"  # where `accounts add` puts encrypted credentials (opt-in)
DIRECTORY_ID = "credit-tray"  # LoadCredentialEncrypted=credit-tray:<dir> names the files credit-tray_<file>
TIMEOUT = 30.0  # a TPM2 can be slow; systemd-creds asks no questions


class CredentialsStore:
    """`$CREDENTIALS_DIRECTORY` first, then the encrypted credstore directory, then `fallback` (the keyring)."""

    def __init__(
        self, directory: Path | None, fallback: SecretStore | None = None, credstore: Path | None = None
    ) -> None:
        self.directory = directory
        self.fallback = fallback
        self.credstore = credstore

    @staticmethod
    def name(account_id: str, kind: str) -> str | None:
        name = f"{account_id}.{kind}"
        if "/" in name or "\\" in name or name.startswith(".") or "\0" in name:
            return None  # never a path outside the directory
        return name

    def get(self, account_id: str, kind: str) -> Secret | None:
        name = self.name(account_id, kind)
        if name is not None and self.directory is not None:
            for candidate in (name, f"{DIRECTORY_ID}_{name}"):
                path = self.directory / candidate
                if path.is_file():
                    return _secret(_read(path), candidate)
        if name is not None and self.credstore is not None and (self.credstore / name).is_file():
            return _secret(self._decrypt(self.credstore / name), name)
        return self.fallback.get(account_id, kind) if self.fallback is not None else None

    def set(self, account_id: str, kind: str, secret: Secret) -> None:
        name = self.name(account_id, kind)
        if self.credstore is None or name is None:
            self._read_only()
            return
        self.credstore.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._creds(
            ["encrypt", f"--name={DIRECTORY_ID}_{name}", "-", str(self.credstore / name)],
            secret.reveal().encode(),
            name,
        )

    def delete(self, account_id: str, kind: str) -> None:
        name = self.name(account_id, kind)
        if self.credstore is None or name is None:
            self._read_only()
            return
        (self.credstore / name).unlink(missing_ok=True)

    def describe(self) -> str:
        if self.credstore is not None:
            return f"systemd credentials, encrypted in {self.credstore}"
        return f"systemd credentials ({self.directory})"

    def _decrypt(self, path: Path) -> str:
        out = self._creds(["decrypt", f"--name={DIRECTORY_ID}_{path.name}", str(path), "-"], b"", path.name)
        return out.decode("utf-8", errors="replace")

    def _creds(self, args: list[str], data: bytes, name: str) -> bytes:
        try:
            done = subprocess.run(["systemd-creds", *args], input=data, capture_output=True, timeout=TIMEOUT)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise _unreadable(name, type(exc).__name__) from None
        if done.returncode != 0:
            # systemd-creds' own message (a missing host key, a TPM refusal) names no key: it never sees one there.
            raise _unreadable(name, done.stderr.decode(errors="replace").strip()[:200] or f"exit {done.returncode}")
        return done.stdout

    def _read_only(self) -> None:
        raise SecretStoreError(
            tr("Keys are read-only here"),
            tr(
                "This process reads its keys from systemd credentials ({directory}); change them in the service's "
                "unit (LoadCredentialEncrypted=) instead.",
                directory=str(self.directory),
            ),
            state="failed",
        )


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _unreadable(path.name, type(exc).__name__) from None


def _unreadable(name: str, error: str) -> SecretStoreError:
    return SecretStoreError(
        tr("Credential unreadable"),
        tr("The systemd credential {name} could not be read ({error}).", name=name, error=error),
        state="failed",
    )


def _secret(value: str, name: str) -> Secret:
    value = value.strip()  # `echo KEY | systemd-creds encrypt` keeps the newline
    if not value or any(c.isspace() for c in value):
        raise SecretStoreError(
            tr("Credential unusable"),
            tr("The systemd credential {name} is empty or holds more than one key.", name=name),
            state="failed",
        )
    return Secret(value)


def from_environment(fallback: SecretStore) -> SecretStore:
    """The credentials store when systemd gave this process credentials or TRAYAPP_CREDSTORE names a credstore,
    else `fallback` itself."""
    directory = os.environ.get(ENV)
    credstore = os.environ.get(ENV_STORE)
    given = Path(directory) if directory and Path(directory).is_dir() else None
    if given is None and not credstore:
        return fallback
    return CredentialsStore(given, fallback, Path(credstore) if credstore else None)
