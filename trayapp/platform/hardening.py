"""What a process that holds keys does for itself at start: no core dump of its memory, no file others can read.

A core dump is a copy of the process's memory, keys included, written where the shell's `ulimit -c` and the
system's core pattern say; a process that is not "dumpable" also cannot be read through /proc or ptrace by
other processes of the same user that are not its ancestors' debuggers. Called by the tray (entry.py, app.py),
every CLI command (entry.py), and the fetch child (fetch/child.py) before any key is read.

- Linux: RLIMIT_CORE 0 (soft and hard: it cannot be raised again) and prctl(PR_SET_DUMPABLE, 0), which also
  stops a core handler (systemd-coredump, apport) from being handed the memory.
- macOS and the other Unixes: RLIMIT_CORE 0 (cores go to /cores only when the limit allows it).
- Windows: nothing to do. There is no core file: a crash dump is written only when an administrator turns on
  Windows Error Reporting's LocalDumps for the machine, and no per-process switch stops a process of the same
  user from reading this one's memory anyway.

Files this process creates are the user's alone (umask 077): the log, the icon cache and every temporary file
are 0600, directories 0700, whatever the umask it was started with.
"""

from __future__ import annotations

import contextlib
import os
import sys

PR_SET_DUMPABLE = 4  # linux/prctl.h
PR_GET_DUMPABLE = 3
PR_SET_PDEATHSIG = 1

_done = False


def harden() -> None:
    """Core dumps off and a private umask for this process; once per process, never raises."""
    global _done
    if _done:
        return
    _done = True
    if os.name != "posix":
        return
    os.umask(0o077)
    no_core_files()
    if sys.platform.startswith("linux"):
        not_dumpable()


def no_core_files() -> None:
    import resource

    with contextlib.suppress(OSError, ValueError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _prctl(option: int, arg: int) -> int | None:
    """prctl(2) through the C library; None where it cannot be called."""
    import ctypes

    try:
        # The process's own symbols hold the C library's: no ctypes.util.find_library, which runs ldconfig
        # (a process, and the subprocess module imported) in every process that hardens itself.
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        try:
            import ctypes.util

            prctl = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True).prctl
        except (OSError, AttributeError):
            return None
    result = prctl(ctypes.c_int(option), ctypes.c_ulong(arg), ctypes.c_ulong(0), ctypes.c_ulong(0))
    return int(result)


def not_dumpable() -> bool:
    """PR_SET_DUMPABLE 0: no core, no /proc/PID/mem or ptrace by other processes of the user. True if set."""
    return _prctl(PR_SET_DUMPABLE, 0) == 0


def dumpable() -> int | None:
    """This process's dumpable flag (Linux), for the tests and the curious."""
    return _prctl(PR_GET_DUMPABLE, 0)


def die_with_parent(sig: int) -> bool:
    """Linux: `sig` is sent to this process when the thread that started it ends. True if set."""
    if not sys.platform.startswith("linux"):
        return False
    return _prctl(PR_SET_PDEATHSIG, sig) == 0
