"""Processes that hold keys write no core dump (issue 16 item 5): started with `ulimit -c unlimited` in a folder
where the kernel writes cores, the `check` command, the fetch child and the tray are killed with SIGSEGV, as a
crash would, and no core file appears; their limits are read from /proc while they run.

A plain Python process started the same way does leave a core: the control that shows this machine writes
them. Where cores go to a pipe (apport, systemd-coredump), the limits and the dumpable flag are what is checked.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CliRunner
from tests.reliability.counts import record
from tests.reliability.server import LoopServer, Reply, serve, wait_until

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc and core_pattern")

CORE_PATTERN = Path("/proc/sys/kernel/core_pattern").read_text().strip() if Path("/proc").is_dir() else ""
CORES_IN_CWD = bool(CORE_PATTERN) and not CORE_PATTERN.startswith("|") and "/" not in CORE_PATTERN
KEY = "sk-Core5Dump9Canary3Key7Xq2Wv8Lm4Tn"


def unlimited_cores() -> None:
    """In the child before exec: what `ulimit -c unlimited` does in a shell."""
    _, hard = resource.getrlimit(resource.RLIMIT_CORE)
    resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))


def core_limit(pid: int) -> str:
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max core file size"):
            return " ".join(line.split()[4:6])
    raise AssertionError("no core limit in /proc/PID/limits")


def cores(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith("core")]


def crash(proc: subprocess.Popen[bytes], folder: Path) -> list[Path]:
    proc.send_signal(signal.SIGSEGV)
    proc.wait(timeout=60)
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()
    assert proc.returncode == -signal.SIGSEGV
    return cores(folder)


@pytest.fixture
def silent() -> Iterator[LoopServer]:
    yield from serve(lambda seen: Reply(hang=True))


def test_harden_sets_the_limits_and_the_flag(tmp_path: Path) -> None:
    code = (
        "import resource; from trayapp.platform.hardening import harden, dumpable; harden();"
        "print(resource.getrlimit(resource.RLIMIT_CORE), dumpable(), oct(__import__('os').umask(0)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], preexec_fn=unlimited_cores, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["(0,", "0)", "0", "0o77"]
    record("hardening.processes_checked")


def test_a_plain_process_does_dump_core_here(tmp_path: Path) -> None:
    """The control: without hardening, this machine writes a core in the crashing process's folder."""
    if not CORES_IN_CWD:
        pytest.skip(f"cores go to {CORE_PATTERN!r}, not the process's folder")
    proc = subprocess.Popen(
        [sys.executable, "-c", "import time; print('up', flush=True); time.sleep(60)"],
        cwd=tmp_path,
        preexec_fn=unlimited_cores,
        stdout=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stdout.readline() == b"up\n"
    assert core_limit(proc.pid) == "unlimited unlimited"
    assert crash(proc, tmp_path), "no core written: this machine does not dump cores"


def test_check_holding_a_key_leaves_no_core(cli: CliRunner, silent: LoopServer, tmp_path: Path) -> None:
    added = cli(
        *("accounts", "add", "--provider", "deepseek", "--label", "ds", "--base-url", silent.url("/ds")),
        "--key-stdin",
        stdin=KEY + "\n",
    )
    assert added.code == 0, added.err
    folder = tmp_path / "cwd"
    folder.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "trayapp", "--config-dir", str(cli.config_dir), "check"],
        cwd=folder,
        env=cli.env,
        preexec_fn=unlimited_cores,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert wait_until(lambda: any(s.authorization == f"Bearer {KEY}" for s in silent.seen), 30), "no request"
    assert core_limit(proc.pid) == "0 0"
    assert crash(proc, folder) == []
    record("hardening.crashes_without_core")


def test_fetch_child_holding_a_key_leaves_no_core(silent: LoopServer, tmp_path: Path) -> None:
    from tests.reliability.providers import BY_NAME, request
    from trayapp.core import codec

    job = request(BY_NAME["deepseek"], silent.url("/ds"), timeout=30)
    payload = {
        "now": codec.dt_out(job.now),
        "salt": "s",
        "timeout": 30,
        "jobs": [{"account": codec.account_out(job.account), "secrets": {"api": KEY}, "cache": {}}],
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "trayapp.fetch"],
        cwd=tmp_path,
        preexec_fn=unlimited_cores,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdin is not None
    proc.stdin.write(json.dumps(payload).encode())
    proc.stdin.close()
    assert wait_until(lambda: any(s.authorization == f"Bearer {KEY}" for s in silent.seen), 30), "no request"
    assert core_limit(proc.pid) == "0 0"
    assert crash(proc, tmp_path) == []
    record("hardening.crashes_without_core")


def test_tray_leaves_no_core(cli: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "cwd"
    folder.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "trayapp", "--config-dir", str(cli.config_dir), "--demo"],
        cwd=folder,
        env={**cli.env, "QT_QPA_PLATFORM": "offscreen"},
        preexec_fn=unlimited_cores,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    log = cli.config_dir / "demo" / "logs" / "trayapp.log"
    try:
        assert wait_until(lambda: log.exists() and "started (" in log.read_text(), 30), "the tray did not start"
        assert core_limit(proc.pid) == "0 0"
        assert crash(proc, folder) == []
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    record("hardening.crashes_without_core")


def test_umask_is_private_whatever_the_parent_gave(cli: CliRunner) -> None:
    res = subprocess.run(
        [sys.executable, "-m", "trayapp", "--config-dir", str(cli.config_dir), "accounts", "list"],
        env=cli.env,
        preexec_fn=lambda: os.umask(0o022),
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr
    log = cli.config_dir / "logs" / "trayapp.log"
    assert log.exists()
    assert oct(log.stat().st_mode & 0o777) == "0o600"
