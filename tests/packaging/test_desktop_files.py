"""The Linux desktop entry and AppStream metainfo are valid, and agree on the app's ids."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET

from trayapp import APP_ID
from trayapp.platform import autostart

from .conftest import APP_RDNN, ICONS, PACKAGING, require_tool
from .exec_line import read_entry, split_exec

DESKTOP = PACKAGING / "linux" / "credit-tray.desktop"
METAINFO = PACKAGING / "linux" / f"{APP_RDNN}.metainfo.xml"


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=60)


def test_desktop_file_validates() -> None:
    tool = require_tool("desktop-file-validate")
    proc = run(tool, str(DESKTOP))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "error" not in (proc.stdout + proc.stderr).lower()


def test_metainfo_validates() -> None:
    tool = require_tool("appstreamcli")
    proc = run(tool, "validate", "--no-net", str(METAINFO))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_validators_reject_a_broken_file(tmp_path) -> None:
    """Guards the two tests above: a validator that accepts anything would make them meaningless."""
    bad_desktop = tmp_path / "bad.desktop"
    bad_desktop.write_text("[Desktop Entry]\nName=x\nExec=trayapp\n")  # no Type
    assert run(require_tool("desktop-file-validate"), str(bad_desktop)).returncode != 0
    bad_xml = tmp_path / "bad.metainfo.xml"
    bad_xml.write_text("".join(line for line in METAINFO.read_text().splitlines(True) if "<id>" not in line))
    assert run(require_tool("appstreamcli"), "validate", "--no-net", str(bad_xml)).returncode != 0


def test_ids_agree_across_desktop_file_metainfo_icons_and_app() -> None:
    entry = read_entry(DESKTOP)
    assert entry["Type"] == "Application"
    assert split_exec(entry["Exec"]) == ["trayapp"]  # the console script of the wheel (pipx, pip)
    assert entry["Icon"] == APP_RDNN == autostart.APP_RDNN
    # Qt's setDesktopFileName(APP_ID) is what desktops match windows and notifications against.
    assert DESKTOP.name == f"{APP_ID}.desktop" == autostart.DESKTOP_FILE
    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_RDNN
    assert root.findtext("launchable[@type='desktop-id']") == DESKTOP.name
    assert root.findtext("icon[@type='stock']") == APP_RDNN
    assert root.findtext("provides/binary") == "trayapp"
    assert (ICONS / "hicolor" / "scalable" / "apps" / f"{APP_RDNN}.svg").is_file()
    assert (ICONS / "hicolor" / "symbolic" / "apps" / f"{APP_RDNN}-symbolic.svg").is_file()


def test_metainfo_release_matches_the_package_version() -> None:
    from trayapp import __version__

    root = ET.parse(METAINFO).getroot()
    assert root.find("releases/release").get("version") == __version__  # type: ignore[union-attr]
