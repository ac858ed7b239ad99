"""Keep a long-running process's memory work small: give freed memory back to the OS after a burst of work,
and keep what the process built to run out of the cyclic garbage collector's way.

A poll allocates on a few worker threads (JSON, results, keyring); glibc keeps what they freed in its
arenas, so a tray that idles all day would hold it for nothing. `malloc_trim` returns it.
"""

from __future__ import annotations

import ctypes
import gc
import sys
from functools import cache
from typing import Any


@cache
def _libc() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        # The process's own symbols hold the C library's: no ctypes.util.find_library, which runs ldconfig.
        libc = ctypes.CDLL(None)
        return libc if hasattr(libc, "malloc_trim") else None  # glibc only (not musl)
    except OSError:
        return None


def release_free_memory() -> bool:
    """True when freed memory was handed back (glibc); False where there is nothing to do."""
    libc = _libc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True


def freeze_heap() -> int:
    """Collect every generation once, then move what survives (modules, classes, Qt wrappers, what the first
    poll left) out of the collector's reach for good (`gc.freeze`); returns how many objects were frozen.

    Why: a full collection walks every tracked object, and a started tray has ~40k of them, nearly all alive
    for the process's life. The interpreter starts one whenever enough new objects have piled up, at rest too
    (a panel's D-Bus questions, the scheduler's wake check): ~20 ms of CPU on the UI thread each time, for
    nothing. Frozen, a full collection walks only what was made after. Called once, at the first rest:
    an object frozen that later becomes cyclic garbage is never freed, so freezing again and again would leak
    each round's; once, it leaks at most what the start-up leaves behind."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
