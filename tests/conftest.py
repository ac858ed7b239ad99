"""Shared fixtures. Qt runs offscreen in the fast tier; the desktop tier (tests/desktop) unsets it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

if os.environ.get("TRAYAPP_DESKTOP_SESSION") != "1":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@dataclass
class CliRunner:
    config_dir: Path
    env: dict[str, str]

    def __call__(
        self, *args: str, stdin: str | None = None, env: dict[str, str] | None = None, timeout: float = 60
    ) -> CliResult:
        proc = subprocess.run(
            [sys.executable, "-m", "trayapp", "--config-dir", str(self.config_dir), *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**self.env, **(env or {})},
        )
        return CliResult(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def cli(tmp_path: Path) -> CliRunner:
    """`trayapp` in a subprocess, with its own config dir and a file-backed test keyring."""
    env = dict(os.environ)
    env.update(
        PYTHONPATH=os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        PYTHON_KEYRING_BACKEND="tests.support.keyring_backend.FileTestKeyring",
        TRAYAPP_TEST_KEYRING_FILE=str(tmp_path / "test-keyring.json"),
    )
    env.pop("TRAYAPP_CONFIG_DIR", None)
    return CliRunner(tmp_path / "config", env)


@pytest.fixture
def make_cli() -> Callable[[Path, dict[str, str]], CliRunner]:
    return lambda config_dir, env: CliRunner(config_dir, env)
