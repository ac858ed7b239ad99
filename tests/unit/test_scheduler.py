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


def test_a_suspend_is_noticed_on_the_checks_own_thread_and_the_check_ends_with_the_scheduler() -> None:
    wall, mono = [1_000_000.0], [50.0]
    resumed: list[float] = []
    noticed = threading.Event()

    def on_resume(slept: float) -> None:
        resumed.append(slept)
        noticed.set()

    s = PollScheduler(lambda: None, on_resume, wake_check_seconds=0.02)
    s._detector = ClockJumpDetector(wall=lambda: wall[0], mono=lambda: mono[0])
    s.start()
    try:
        # Not a scheduler job (a job's run costs twice or more the check's CPU): the poll is the only job.
        assert [job.id for job in s._scheduler.get_jobs()] == ["poll"]
        assert not noticed.wait(0.2)  # awake: checks come and go, nothing is reported
        wall[0] += 2 * 3600  # two hours asleep: the monotonic clock stood still
        assert noticed.wait(5)
        assert resumed == [2 * 3600]
    finally:
        s.shutdown()
    assert s._wake_thread is not None
    s._wake_thread.join(5)
    assert not s._wake_thread.is_alive()
