"""Keys from systemd credentials, for `trayapp serve` on a server without a desktop keyring.

A unit with `LoadCredentialEncrypted=deepseek-1a2b3c.api:/etc/credstore.encrypted/deepseek-1a2b3c.api` (or
`LoadCredential=`, `SetCredentialEncrypted=`) gives the service `$CREDENTIALS_DIRECTORY/<account-id>.<kind>`:
a file only that service can read, on a non-swappable tmpfs, decrypted with the machine's TPM or host key.
It is read-only here; an account or kind without a file there is asked of the OS keyring, as everywhere
else. Keys are never read from the config file or the environment.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..core.errors import SecretStoreError
from ..core.i18n import tr
from .secret import Secret
from .store import SecretStore

ENV = "CREDENTIALS_DIRECTORY"


class CredentialsStore:
    """`$CREDENTIALS_DIRECTORY/<account-id>.<kind>` first, then `fallback` (the keyring)."""

    def __init__(self, directory: Path, fallback: SecretStore | None = None) -> None:
        self.directory = directory
        self.fallback = fallback

    def path(self, account_id: str, kind: str) -> Path | None:
        name = f"{account_id}.{kind}"
        if "/" in name or "\\" in name or name.startswith(".") or "\0" in name:
            return None  # never a path outside the directory
        return self.directory / name

    def get(self, account_id: str, kind: str) -> Secret | None:
        path = self.path(account_id, kind)
        if path is not None and path.is_file():
            try:
                value = path.read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError) as exc:
                raise SecretStoreError(
                    tr("Credential unreadable"),
                    tr(
                        "The systemd credential {name} could not be read ({error}).",
                        name=path.name,
                        error=type(exc).__name__,
                    ),
                    state="failed",
                ) from None
            if not value or any(c.isspace() for c in value):
                raise SecretStoreError(
                    tr("Credential unusable"),
                    tr("The systemd credential {name} is empty or holds more than one key.", name=path.name),
                    state="failed",
                )
            return Secret(value)
        return self.fallback.get(account_id, kind) if self.fallback is not None else None

    def set(self, account_id: str, kind: str, secret: Secret) -> None:
        self._read_only()

    def delete(self, account_id: str, kind: str) -> None:
        self._read_only()

    def describe(self) -> str:
        return f"systemd credentials ({self.directory})"

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


def from_environment(fallback: SecretStore) -> SecretStore:
    """The credentials store when systemd gave this process credentials, else `fallback` itself."""
    directory = os.environ.get(ENV)
    if directory and Path(directory).is_dir():
        return CredentialsStore(Path(directory), fallback)
    return fallback
