"""A keyring backend for tests that run the CLI in a subprocess: the real `keyring` API, its items in a
JSON file named by TRAYAPP_TEST_KEYRING_FILE (a test's temp dir). Only ever loaded by tests, through
PYTHON_KEYRING_BACKEND; the app itself refuses file-based backends of its own choosing."""

from __future__ import annotations

import json
import os
from pathlib import Path

from jaraco.classes import properties
from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, PasswordDeleteError


class FileTestKeyring(KeyringBackend):
    @properties.classproperty
    def priority(cls) -> float:
        # Never chosen by keyring's own discovery (importing this module must not change which backend
        # other tests get); only when named by PYTHON_KEYRING_BACKEND with its file set.
        if "TRAYAPP_TEST_KEYRING_FILE" not in os.environ:
            raise RuntimeError("test keyring not configured")
        return 1

    @property
    def _path(self) -> Path:
        return Path(os.environ["TRAYAPP_TEST_KEYRING_FILE"])

    def _load(self) -> dict[str, str]:
        if os.environ.get("TRAYAPP_TEST_KEYRING_LOCKED") == "1":
            raise KeyringLocked("test keyring is locked")
        return json.loads(self._path.read_text()) if self._path.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\t{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        items = self._load()
        items[f"{service}\t{username}"] = password
        self._path.write_text(json.dumps(items))

    def delete_password(self, service: str, username: str) -> None:
        items = self._load()
        if items.pop(f"{service}\t{username}", None) is None:
            raise PasswordDeleteError("no such item")
        self._path.write_text(json.dumps(items))


class MemoryKeyring(KeyringBackend):
    """In-process keyring for unit tests (through keyring's real API); passed explicitly, never discovered."""

    @properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("only used when passed explicitly")

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}
        self.sets = 0

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.sets += 1
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.items.pop((service, username), None) is None:
            raise PasswordDeleteError("no such item")
