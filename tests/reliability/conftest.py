"""The reliability suite: writes its counters to $TRAYAPP_RELIABILITY_COUNTS when the session ends."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.reliability.counts import snapshot


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    target = os.environ.get("TRAYAPP_RELIABILITY_COUNTS")
    if target:
        Path(target).write_text(json.dumps(snapshot(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
