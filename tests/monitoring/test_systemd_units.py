"""The shipped systemd units load in systemd itself (`systemd-analyze verify`: every key known, every value
valid; a typo is a warning there, so its stderr must be empty), and run what the README says they run."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

from .conftest import need

UNITS = ROOT / "packaging" / "systemd"


@pytest.mark.parametrize("scope", ["system", "user"])
def test_unit_verifies(scope: str, tmp_path: Path) -> None:
    analyze = need("systemd-analyze", "systemd")
    unit = UNITS / scope / "credit-tray-serve.service"
    text = unit.read_text()
    assert "ExecStart=trayapp serve --listen 127.0.0.1:9464\n" in text
    # systemd resolves a bare `trayapp` in /usr/local/bin, /usr/bin...; here it is this checkout's.
    trayapp = shutil.which("trayapp", path=str(Path(sys.executable).parent))
    assert trayapp is not None
    checked = tmp_path / unit.name
    checked.write_text(text.replace("ExecStart=trayapp ", f"ExecStart={trayapp} "))
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    args = [analyze, *(["--user"] if scope == "user" else []), "verify", str(checked)]
    env = {"XDG_RUNTIME_DIR": str(runtime), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(args, capture_output=True, text=True, timeout=60, cwd=tmp_path, env=env)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    if scope == "system":  # keys from encrypted credentials, never a file of its own
        assert "LoadCredentialEncrypted=credit-tray:/etc/credstore.encrypted/credit-tray\n" in text
        assert "DynamicUser=yes\n" in text and "ProtectSystem=strict\n" in text
