"""Fetching, in one package: prepare jobs (reads the keys), run them in parallel, in this process
(`trayapp check`, tests) or in the short-lived child process (`python -m trayapp.fetch`, the tray).

Its names are loaded on first use: the child (`python -m trayapp.fetch` imports this package first) needs
neither the jobs' preparation nor the secret store, and every millisecond of its start is a poll's."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .child import child_command, child_env, run_in_child
    from .jobs import Job, prepare_jobs
    from .run import DEFAULT_TIMEOUT, MAX_WORKERS, ResultCallback, fetch_one, request_of, run_jobs, run_requests

_WHERE = {
    "DEFAULT_TIMEOUT": "run",
    "MAX_WORKERS": "run",
    "Job": "jobs",
    "ResultCallback": "run",
    "child_command": "child",
    "child_env": "child",
    "fetch_one": "run",
    "prepare_jobs": "jobs",
    "request_of": "run",
    "run_in_child": "child",
    "run_jobs": "run",
    "run_requests": "run",
}

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


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
