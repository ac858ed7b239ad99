"""Packaging tests: desktop files, icons, start at login, the PyInstaller bundle.

Validators (desktop-file-validate, appstreamcli) come from Debian packages that scripts/desktop-session
installs (`scripts/desktop-session --install-only`). Without them the tests that need them skip; with
TRAYAPP_REQUIRE_DESKTOP=1 (set by .ci/run in CI) they fail instead, so CI cannot pass by skipping.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
ICONS = ROOT / "resources" / "icons"
APP_RDNN = "io.github.credit_tray.CreditTray"


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        reason = f"{name} is not installed (scripts/desktop-session --install-only installs it)"
        if os.environ.get("TRAYAPP_REQUIRE_DESKTOP") == "1":
            pytest.fail(f"TRAYAPP_REQUIRE_DESKTOP=1 and {reason}", pytrace=False)
        pytest.skip(reason)
    return path


def load_script(path: Path, name: str) -> ModuleType:
    """Import a script under packaging/ (not a package: `packaging` is also a PyPI package's name)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
