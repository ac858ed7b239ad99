"""`accounts add --key-stdin` typed or pasted on a terminal does not echo the key (issue 16 item 9).

A real pseudo-terminal (the `pty` module): the command runs with it as its controlling terminal, as in a
shell, and everything the terminal would show is read from its other end.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import CliRunner
from tests.reliability.counts import record

KEY = "sk-TtyEcho4Kq8Wz2Xv6Pn9Lm3Rb7"

pytestmark = pytest.mark.skipif(os.name != "posix", reason="a POSIX pseudo-terminal")


def read_until(fd: int, needle: bytes, seen: bytearray, timeout: float = 30) -> bool:
    import select

    end = time.monotonic() + timeout
    while needle not in seen and time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # EIO: the other side closed
                return needle in seen
            if not chunk:
                return needle in seen
            seen.extend(chunk)
    return needle in seen


def run_on_terminal(cli: CliRunner, *args: str, typed: str) -> tuple[int, str]:
    """`trayapp ARGS` with a terminal for stdin, stdout and stderr; `typed` typed once it asks."""
    import pty

    argv = [sys.executable, "-m", "trayapp", "--config-dir", str(cli.config_dir), *args]
    pid, fd = pty.fork()
    if pid == 0:  # the child: the terminal is its controlling terminal
        os.execve(sys.executable, argv, cli.env)
    seen = bytearray()
    try:
        # getpass turns echo off, then writes its prompt: what is typed after the prompt is not echoed.
        assert read_until(fd, b"Paste the key", seen), seen.decode(errors="replace")
        os.write(fd, typed.encode() + b"\r")
        read_until(fd, b"\x00never", seen)  # everything until it exits
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    return os.waitstatus_to_exitcode(status), seen.decode(errors="replace")


def test_a_key_pasted_on_a_terminal_is_not_echoed(cli: CliRunner) -> None:
    code, shown = run_on_terminal(
        cli, "accounts", "add", "--provider", "deepseek", "--label", "tty", "--key-stdin", typed=KEY
    )
    assert code == 0, shown
    assert KEY not in shown and KEY[3:15] not in shown, "the terminal showed the key"
    accounts = json.loads(Path(cli.config_dir / "config.json").read_text())["accounts"]
    assert [a["label"] for a in accounts] == ["tty"]
    assert accounts[0]["id"] in shown  # the id is printed, as off a terminal
    record("round2.tty_keys_unechoed")


def test_from_a_pipe_the_key_is_read_as_before(cli: CliRunner) -> None:
    res = cli("accounts", "add", "--provider", "deepseek", "--label", "pipe", "--key-stdin", stdin=KEY + "\n")
    assert res.code == 0, res.err
    assert "Paste the key" not in res.err
