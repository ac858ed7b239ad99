"""The wheel that `pipx install .` / `pip install .` builds gives the `trayapp` command and the whole app."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from .conftest import ROOT


def test_wheel_has_the_trayapp_command_and_every_package(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    (wheel,) = tmp_path.glob("credit_tray-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        meta = {n.split("/", 1)[1]: zf.read(n).decode() for n in names if ".dist-info/" in n}
    assert "[console_scripts]\ntrayapp = trayapp.entry:main" in meta["entry_points.txt"]
    sources = {p.relative_to(ROOT).as_posix() for p in (ROOT / "trayapp").rglob("*.py")}
    assert sources <= names, sources - names
    assert not any(n.startswith(("tests/", "bench/", "scripts/", "packaging/")) for n in names)  # the package only
    assert "trayapp/py.typed" in names
    assert "trayapp/translations/trayapp_ja.qm" in names, "the UI translation ships in the wheel"
    requires = [line for line in meta["METADATA"].splitlines() if line.startswith("Requires-Dist:")]
    assert any("PySide6-Essentials" in r and "!=6.12.0" in r for r in requires)
    assert any(r.startswith("Requires-Dist: keyring") for r in requires)
    assert any("jeepney" in r and "linux" in r for r in requires)
    assert not any("pyinstaller" in r.lower() and "extra" not in r for r in requires)  # a dev tool only
