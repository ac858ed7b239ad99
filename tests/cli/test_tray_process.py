"""The tray as a process: single instance, and a clean quit on Ctrl-C / SIGTERM (offscreen Qt)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import CliRunner


def start_tray(cli: CliRunner, *args: str) -> subprocess.Popen[str]:
    env = {**cli.env, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen(
        [sys.executable, "-m", "trayapp", "--config-dir", str(cli.config_dir), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_log(path: Path, text: str, timeout: float = 20) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if path.exists() and text in path.read_text():
            return
        time.sleep(0.05)
    raise AssertionError(f"{text!r} not logged in {path}")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_second_start_hands_over_and_signals_quit_cleanly(cli: CliRunner, sig: signal.Signals) -> None:
    tray = start_tray(cli, "--demo")
    log = cli.config_dir / "demo" / "logs" / "trayapp.log"
    try:
        wait_for_log(log, "started (8 accounts, demo)")
        second = subprocess.run(
            [sys.executable, "-m", "trayapp", "--config-dir", str(cli.config_dir), "--demo"],
            env={**cli.env, "QT_QPA_PLATFORM": "offscreen"},
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert second.returncode == 0
        assert "already running" in second.stderr
        os.kill(tray.pid, sig)
        assert tray.wait(timeout=10) == 0
        assert "quitting on signal" in log.read_text()
        assert "Traceback" not in (tray.stderr.read() if tray.stderr else "")
    finally:
        if tray.poll() is None:
            tray.kill()
            tray.wait()


def test_a_config_dir_that_cannot_be_a_folder_stops_the_tray_with_a_message(cli: CliRunner, tmp_path: Path) -> None:
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("a file, where the tray would make its folder\n")
    done = subprocess.run(
        [sys.executable, "-m", "trayapp", "--config-dir", str(a_file)],
        env={**cli.env, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1
    assert f"trayapp: Folder unusable: {a_file} cannot be used as a folder" in done.stderr
    assert "Traceback" not in done.stderr
    assert a_file.read_text() == "a file, where the tray would make its folder\n"
