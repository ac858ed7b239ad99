"""APScheduler 3.x BackgroundScheduler whose jobs only call back; the callback hands over to the UI thread.

(Its QtScheduler runs jobs on a pool thread anyway, loses the wake-up when a job is added from another
thread, and cannot cancel its timers: the background scheduler with a thread-safe wake-up is the safer
bridge.)

One "poll" job is re-armed to the earliest time an account is due; nothing ticks while nothing is due.
A slow check on a thread of its own notices a suspend/resume (the wall clock jumped ahead of the monotonic
clock) and asks for a poll at once, since timers do not run during sleep. It is not an APScheduler job: a
job's run costs ~0.65 ms of CPU (due-job lookup, executor hand-off, events, re-scheduling) against
~0.2-0.3 ms for a thread's wait ending, and at rest this check is all the process does (make bench,
measurement 3).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

log = logging.getLogger(__name__)

WAKE_CHECK_SECONDS = 60
JUMP_THRESHOLD_SECONDS = 90  # a jump larger than this between checks means the machine slept


class ClockJumpDetector:
    """Wall time minus monotonic time is constant while awake; it grows by the time spent asleep."""

    def __init__(
        self,
        wall: Callable[[], float] = time.time,
        mono: Callable[[], float] = time.monotonic,
        threshold: float = JUMP_THRESHOLD_SECONDS,
    ) -> None:
        self._wall, self._mono, self.threshold = wall, mono, threshold
        self._offset = wall() - mono()

    def jumped(self) -> float:
        """Seconds the wall clock moved beyond the monotonic one since the last call (0 when awake)."""
        offset = self._wall() - self._mono()
        delta, self._offset = offset - self._offset, offset
        return delta if abs(delta) > self.threshold else 0.0


class PollScheduler:
    def __init__(
        self,
        on_due: Callable[[], None],
        on_resume: Callable[[float], None],
        *,
        grace_seconds: int = 600,
        wake_check_seconds: float = WAKE_CHECK_SECONDS,
    ) -> None:
        from apscheduler.schedulers.background import BackgroundScheduler

        self._on_due = on_due
        self._on_resume = on_resume
        self._detector = ClockJumpDetector()
        self._wake_check_seconds = wake_check_seconds
        self._stopping = threading.Event()
        self._wake_thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._scheduler: Any = BackgroundScheduler(
            timezone=UTC,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": grace_seconds},
        )

    def start(self) -> None:
        self._scheduler.start()
        self._wake_thread = threading.Thread(target=self._watch_clock, name="wake-check", daemon=True)
        self._wake_thread.start()
        # One permanent job, paused until armed: re-arming moves its next run time, so no job is ever
        # removed while the scheduler's thread may be running it.
        self._scheduler.add_job(self._fire, "interval", days=1, id="poll", next_run_time=None)

    def shutdown(self) -> None:
        self._stopping.set()
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    def arm(self, when: datetime | None) -> None:
        """Run the poll job at `when` (now if in the past); None: nothing is due, no job."""
        with self._lock:
            if when is None:
                self._scheduler.pause_job("poll")
                return
            when = max(when, datetime.now(UTC) + timedelta(milliseconds=10))
            self._scheduler.modify_job("poll", next_run_time=when)

    def next_run(self) -> datetime | None:
        job = self._scheduler.get_job("poll")
        return job.next_run_time if job else None

    def _fire(self) -> None:
        self._on_due()

    def _watch_clock(self) -> None:
        while not self._stopping.wait(self._wake_check_seconds):
            try:
                self._check_wake()
            except Exception:  # the check must outlive a failing callback, as a scheduler job would
                log.exception("wake check failed")

    def _check_wake(self) -> None:
        slept = self._detector.jumped()
        if slept > 0:
            log.info("resumed after about %.0f s asleep", slept)
            self._on_resume(slept)
