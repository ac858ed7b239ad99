"""The fetch child process: a request on stdin, one JSON result per line on stdout.

`python -m trayapp.fetcher`; started by the tray for each poll and gone when it is done.
"""

from __future__ import annotations

import json
import logging
import sys

from .core.monitor import FetchResult
from .engine import decode_request, result_out, run_jobs


def main() -> int:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="fetcher: %(levelname)s %(message)s")
    try:
        jobs, now, salt, timeout = decode_request(sys.stdin.buffer.read())
    except (ValueError, KeyError, TypeError):
        print("fetcher: the request could not be read", file=sys.stderr)
        return 2

    def emit(result: FetchResult) -> None:
        sys.stdout.write(json.dumps(result_out(result)) + "\n")
        sys.stdout.flush()

    run_jobs(jobs, now, salt, timeout=timeout, on_result=emit)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    # Threads of providers that did not answer must not keep the process alive past its deadline.
    import os

    os._exit(code)
