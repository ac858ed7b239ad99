"""Fetching, in one package: prepare jobs (reads the keys), run them in parallel, in this process
(`trayapp check`, tests) or in the short-lived child process (`python -m trayapp.fetch`, the tray)."""

from .child import child_command, child_env, run_in_child
from .jobs import Job, prepare_jobs
from .run import DEFAULT_TIMEOUT, MAX_WORKERS, ResultCallback, fetch_one, request_of, run_jobs, run_requests

__all__ = [
    "DEFAULT_TIMEOUT",
    "MAX_WORKERS",
    "Job",
    "ResultCallback",
    "child_command",
    "child_env",
    "fetch_one",
    "prepare_jobs",
    "request_of",
    "run_in_child",
    "run_jobs",
    "run_requests",
]
