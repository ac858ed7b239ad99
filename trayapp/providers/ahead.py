"""A provider's request that depends on no other, sent at once on its own thread while the provider makes
the next one: a poll waits for one answer, not two in a row (docs/PERFORMANCE.md)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Ahead(Generic[T]):
    """`call` running now; its answer, or its error, is taken with `result()` where the request used to be
    made, so what a poll reports (and which error wins) is as when the requests went in turn. Not the poll's
    thread pool: an account's thread waiting on a task queued behind every account's could wait for them all.
    Whoever starts one waits for it (`wait`) on every way out, so that no request outlives its poll."""

    def __init__(self, call: Callable[[], T], name: str = "provider-ahead") -> None:
        self._value: list[T] = []
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(call,), name=name, daemon=True)
        self._thread.start()

    def _run(self, call: Callable[[], T]) -> None:
        try:
            self._value.append(call())
        except BaseException as exc:  # handed to the caller, raised where the request used to be made
            self._error = exc

    def wait(self) -> None:
        """Bounded by the request's own timeout (the HTTP layer's whole-call timeout)."""
        self._thread.join()

    def result(self) -> T:
        self.wait()
        if self._error is not None:
            raise self._error
        return self._value[0]
