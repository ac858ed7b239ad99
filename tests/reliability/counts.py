"""Counters the reliability tests keep (cases fuzzed, faults injected, kills survived, files scanned).

`scripts/reliability-report.py` sets TRAYAPP_RELIABILITY_COUNTS to a file; the conftest writes these figures
there when the session ends. Without it the counters are only kept in memory.
"""

from __future__ import annotations

import threading
from collections import Counter

_lock = threading.Lock()
COUNTS: Counter[str] = Counter()


def record(name: str, n: int = 1) -> None:
    with _lock:
        COUNTS[name] += n


def snapshot() -> dict[str, int]:
    with _lock:
        return dict(sorted(COUNTS.items()))
