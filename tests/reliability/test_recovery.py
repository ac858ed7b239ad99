"""The app stays up, says what is wrong, and recovers by itself: keyring locked or absent, no network at
start, a suspend/resume (clock jump); a notification is never delivered twice, even across a restart; a
second launch while one runs shows no second icon. Controller level, offscreen Qt, real loopback HTTP."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from keyring.errors import KeyringLocked, NoKeyringError

from tests.conftest import CliRunner
from tests.qt import conftest as qt_conftest
from tests.reliability.counts import record
from tests.reliability.server import LoopServer, Reply, free_port, wait_until
from tests.support.keyring_backend import MemoryKeyring
from trayapp.core.models import Account, Status
from trayapp.scheduling.scheduler import ClockJumpDetector, PollScheduler
from trayapp.secrets.store import KeyringStore
from trayapp.service import open_service

make_controller = qt_conftest.make_controller  # the fixture, shared with tests/qt

GOOD = {
    "is_available": True,
    "balance_infos": [{"currency": "USD", "total_balance": "4.00", "granted_balance": "0", "topped_up_balance": "4"}],
}


class FlakyKeyring(MemoryKeyring):
    """A keyring that can be locked, or gone, and come back."""

    def __init__(self) -> None:
        super().__init__()
        self.fault: type[Exception] | None = None

    def get_password(self, service: str, username: str) -> str | None:
        if self.fault is not None:
            raise self.fault("test fault")
        return super().get_password(service, username)


def core_with(tmp_path: Path, base_url: str, keyring: FlakyKeyring) -> Any:
    core = open_service(str(tmp_path / "cfg"))
    core.secrets = KeyringStore(backend=keyring, timeout=5)
    account = Account(
        id="deepseek-rec", provider="deepseek", label="DS", created_at=datetime.now(UTC), base_url=base_url
    )
    keyring.set_password("credit-tray", "deepseek-rec:api", "sk-recovery-0123456789abcdef")
    core.config.accounts = [account]
    core.save_config()
    return core


def poll(qtbot: Any, c: Any) -> Any:
    """A poll, until it has settled (its alerts are delivered once its forecasts are in)."""
    with qtbot.waitSignal(c.settled, timeout=20000):
        c.refresh_now()
    return c.service.monitor.views(c.clock())[0]


@pytest.mark.parametrize("fault", [KeyringLocked, NoKeyringError])
def test_keyring_locked_or_absent_then_back(qtbot: Any, make_controller: Any, tmp_path: Path, fault: Any) -> None:
    server = LoopServer(lambda seen: Reply(200, GOOD)).start()
    try:
        keyring = FlakyKeyring()
        core = core_with(tmp_path, server.url("/ds"), keyring)
        keyring.fault = fault
        c = make_controller(core)
        view = poll(qtbot, c)
        assert view.status is Status.ERROR and view.error is not None and view.error.kind.value == "secret"
        assert c.tray.status_line and ("locked" in c.tray.status_line.lower() or "secret store" in c.tray.status_line)
        assert server.seen == []  # no key, no request
        keyring.fault = None  # unlocked / started
        view = poll(qtbot, c)
        assert view.status is Status.OK and str(view.snapshot.remaining) == "4.00"
        assert c.tray.status_line is None  # the warning goes away by itself
    finally:
        server.stop()
    record("recovery.keyring_faults")


def test_no_network_at_start_then_back(qtbot: Any, make_controller: Any, tmp_path: Path) -> None:
    port = free_port()
    core = core_with(tmp_path, f"http://127.0.0.1:{port}/ds", FlakyKeyring())
    c = make_controller(core)
    view = poll(qtbot, c)
    assert view.status is Status.ERROR and view.error is not None and view.error.kind.value == "network"
    assert "DS" in c.tray.tray.toolTip()
    state = c.service.monitor.states["deepseek-rec"]
    assert state.next_due_at is not None and state.next_due_at > datetime.now(UTC)  # retried later, backed off
    server = LoopServer(lambda seen: Reply(200, GOOD), port=port).start()
    try:
        view = poll(qtbot, c)
    finally:
        server.stop()
    assert view.status is Status.OK and c.service.monitor.states["deepseek-rec"].failures == 0
    record("recovery.network_back")


def test_resume_after_sleep_polls_at_once(qtbot: Any, make_controller: Any, tmp_path: Path) -> None:
    server = LoopServer(lambda seen: Reply(200, GOOD)).start()
    try:
        c = make_controller(core_with(tmp_path, server.url("/ds"), FlakyKeyring()))
        poll(qtbot, c)
        asked = len(server.seen)
        assert c.service.monitor.due(datetime.now(UTC)) == []  # nothing due for 15 minutes
        wall = [1_000_000.0]
        mono = [50.0]
        scheduler = PollScheduler(c.scheduler_due, c.scheduler_resumed)
        scheduler._detector = ClockJumpDetector(wall=lambda: wall[0], mono=lambda: mono[0])
        wall[0] += 60
        mono[0] += 60
        scheduler._check_wake()  # awake: no jump, nothing happens
        qtbot.wait(200)
        assert len(server.seen) == asked
        wall[0] += 3 * 3600 + 60  # the laptop slept three hours
        mono[0] += 60
        with qtbot.waitSignal(c.poller.finished, timeout=20000):
            scheduler._check_wake()
        assert len(server.seen) == asked + 1
        assert c.service.monitor.views(datetime.now(UTC))[0].status is Status.OK
    finally:
        server.stop()
    record("recovery.resumes")


def test_a_notification_is_not_repeated_across_polls_and_a_restart(
    qtbot: Any, make_controller: Any, tmp_path: Path
) -> None:
    server = LoopServer(lambda seen: Reply(401, {"error": {"message": "revoked"}})).start()
    try:
        c = make_controller(core_with(tmp_path, server.url("/ds"), FlakyKeyring()))
        poll(qtbot, c)
        assert len(c.delivered) == 1
        for _ in range(3):
            poll(qtbot, c)
        assert len(c.delivered) == 1
        # A new process: the same files, no repeat.
        again = open_service(str(tmp_path / "cfg"))
        keyring = FlakyKeyring()
        keyring.set_password("credit-tray", "deepseek-rec:api", "sk-recovery-0123456789abcdef")
        again.secrets = KeyringStore(backend=keyring)
        c2 = make_controller(again)
        poll(qtbot, c2)
        assert c2.delivered == []
    finally:
        server.stop()
    record("recovery.notifications_not_repeated")


def test_second_launch_shows_no_second_icon(cli: CliRunner) -> None:
    env = {**cli.env, "QT_QPA_PLATFORM": "offscreen"}
    first = subprocess.Popen(
        [sys.executable, "-m", "trayapp", "--config-dir", str(cli.config_dir)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    log = cli.config_dir / "logs" / "trayapp.log"
    try:
        assert wait_until(lambda: log.exists() and "started (0 accounts)" in log.read_text(), 30)
        for _ in range(3):
            start = time.monotonic()
            second = subprocess.run(
                [sys.executable, "-m", "trayapp", "--config-dir", str(cli.config_dir)],
                env=env,
                capture_output=True,
                text=True,
                timeout=30,
            )
            assert second.returncode == 0 and "already running" in second.stderr
            assert time.monotonic() - start < 15
            record("recovery.second_launches")
        assert log.read_text().count("started (") == 1  # one tray built, one icon
        assert first.poll() is None
    finally:
        first.terminate()
        first.wait(timeout=10)
