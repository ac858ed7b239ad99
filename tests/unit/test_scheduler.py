from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from trayapp.scheduling.scheduler import ClockJumpDetector, PollScheduler


def test_clock_jump_detector_sees_sleep_not_normal_time() -> None:
    wall, mono = [1000.0], [50.0]
    d = ClockJumpDetector(lambda: wall[0], lambda: mono[0], threshold=90)
    wall[0] += 60
    mono[0] += 60
    assert d.jumped() == 0.0
    wall[0] += 3600 + 60  # an hour asleep: the monotonic clock stood still
    mono[0] += 60
    assert d.jumped() == 3600
    assert d.jumped() == 0.0


def test_poll_job_fires_when_armed_and_not_when_disarmed() -> None:
    fired = threading.Event()
    s = PollScheduler(fired.set, lambda _: None)
    s.start()
    try:
        s.arm(datetime.now(UTC) + timedelta(hours=1))
        assert s.next_run() is not None
        s.arm(None)
        assert s.next_run() is None
        s.arm(datetime.now(UTC) - timedelta(seconds=5))  # overdue: runs at once
        assert fired.wait(5)
    finally:
        s.shutdown()
