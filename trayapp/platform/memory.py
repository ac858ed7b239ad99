"""Give memory freed after a burst of work back to the OS.

A poll allocates on a few worker threads (JSON, results, keyring); glibc keeps what they freed in its
arenas, so a tray that idles all day would hold it for nothing. `malloc_trim` returns it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import cache
from typing import Any


@cache
def _libc() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
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
