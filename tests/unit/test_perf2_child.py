"""The fetch child is started at the very start of a poll, before the keys are read: it imports its HTTP stack
while the keyring answers, then takes its request on stdin and works as before. A child that is not needed
after all (no account had its keys) ends at once; none is left running.

Real child processes (`python -m trayapp.fetch`); whether the child has its HTTP stack is read from the
libraries mapped into it (/proc/PID/maps: `_ssl`, which httpx2 loads and nothing before it does)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from trayapp.core.models import Account
from trayapp.fetch import Job, child_env, prepare_jobs, run_in_child, run_jobs
from trayapp.fetch.child import Started, _live, import_path
from trayapp.providers.demo import demo_accounts
from trayapp.secrets.secret import Secret
from trayapp.secrets.store import MemorySecretStore

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
WAIT = 30.0  # seconds: only a failing run waits this long


def demo_jobs() -> list[Job]:
    return [Job(a, {"api": Secret("demo")}) for a in demo_accounts(NOW)]


pytestmark = pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads /proc/PID/maps")


def has_http_stack(pid: int) -> bool:
    try:
        return "/_ssl." in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


def wait_until(condition: object, timeout: float = WAIT) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.02)
    return False


def test_a_child_started_before_its_request_imports_http_first_then_works() -> None:
    child = Started(child_env())
    # Nothing written on its stdin yet: it loads its HTTP stack all the same (what overlaps the keyring read).
    assert wait_until(lambda: has_http_stack(child.proc.pid)), "the waiting child did not import its HTTP stack"
    assert child.proc.poll() is None  # and waits for its request
    streamed: list[object] = []
    results = run_in_child(demo_jobs(), NOW, "salt" * 4, started=child, on_result=streamed.append)
    direct = {r.account_id: r.snapshot for r in run_jobs(demo_jobs(), NOW, "salt" * 4)}
    assert {r.account_id: r.snapshot for r in results} == direct
    assert len(streamed) == len(results) == len(demo_accounts(NOW))
    assert child.proc.returncode == 0 and child.proc not in _live


def test_a_child_not_needed_after_all_ends_at_once() -> None:
    child = Started(child_env())
    assert run_in_child([], NOW, "salt" * 4, started=child) == []
    assert child.proc.returncode is not None and child.proc not in _live


def test_a_child_whose_parent_gives_it_nothing_exits_cleanly() -> None:
    """Its stdin closed without a request (the tray quit while reading the keys): it ends, and says nothing."""
    child = Started(child_env())
    assert child.proc.stdin is not None
    child.proc.stdin.close()
    assert child.proc.wait(WAIT) == 0
    assert child.end() == ""  # nothing on stderr


class KeysAfterTheChild(MemorySecretStore):
    """A keyring that answers only once the poll's child has its HTTP stack: the poll started the child first.
    (Read in one exchange, as KeyringStore does.)"""

    def __init__(self) -> None:
        super().__init__()
        self.child_was_ready: bool | None = None

    def get_many(self, wanted: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Secret]:
        self.child_was_ready = wait_until(lambda: any(has_http_stack(p.pid) for p in list(_live)), WAIT)
        return super().get_many(wanted)


def test_the_tray_starts_the_child_while_it_reads_the_keys(qtbot) -> None:  # type: ignore[no-untyped-def]
    from trayapp.ui.poller import Poller

    store = KeysAfterTheChild()
    accounts = demo_accounts(NOW)
    for a in accounts:
        for kind in a.secret_kinds:
            store.set(a.id, kind, Secret("demo"))
    poller = Poller(store, "salt" * 4)
    results: list[object] = []
    poller.result.connect(results.append)
    with qtbot.waitSignal(poller.finished, timeout=int(WAIT * 1000)):
        assert poller.poll(accounts, {})
    assert store.child_was_ready is True
    assert sorted(r.account_id for r in results) == sorted(a.id for a in accounts)  # type: ignore[attr-defined]
    assert all(r.snapshot is not None for r in results)  # type: ignore[attr-defined]
    assert not _live  # the child is gone with the poll


def test_a_poll_whose_keys_are_all_missing_leaves_no_child(qtbot) -> None:  # type: ignore[no-untyped-def]
    from trayapp.ui.poller import Poller

    poller = Poller(MemorySecretStore(), "salt" * 4)
    accounts = [Account("a", "deepseek", "A", NOW)]  # its key is not in the store
    assert prepare_jobs(accounts, {}, MemorySecretStore())[0] == []
    results: list[object] = []
    poller.result.connect(results.append)
    with qtbot.waitSignal(poller.finished, timeout=int(WAIT * 1000)):
        assert poller.poll(accounts, {})
    assert [r.error.title for r in results] == ["Key missing"]  # type: ignore[attr-defined]
    assert not _live  # the child started for it was ended


def test_import_http_stack_meanwhile_loads_it_on_a_thread() -> None:
    """`trayapp check` polls in its own process: it imports the HTTP stack on a thread while the keyring answers.
    In a fresh interpreter, where nothing has imported httpx2 yet."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from trayapp.fetch.run import import_http_stack_meanwhile\n"
        "assert 'httpx2' not in sys.modules\n"
        "thread = import_http_stack_meanwhile()\n"
        "thread.join(60)\n"
        "print(thread.name != 'MainThread', all(m in sys.modules for m in ('httpx2', 'httpcore2', 'h11')))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["True", "True"]


def test_the_childs_http_stack_loads_without_importlib_metadata_and_leaves_the_real_one_importable() -> None:
    """The fetch child (`alone`) imports httpcore2 and httpx2 with a stand-in for importlib.metadata that only
    reads their versions from their dist-info folders: the versions are the ones importlib.metadata reads, and
    the real module is what a later import (the openai SDK's, an entry point's) gets; anyio, hidden from
    httpcore2, imports after."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from trayapp.fetch.run import import_http_stack\n"
        "import_http_stack(alone=True)\n"
        "import httpx2, httpcore2\n"
        "loaded = 'importlib.metadata' in sys.modules\n"
        "import importlib.metadata as real\n"
        "import anyio  # noqa: F401  (hidden from httpcore2 only while it imported)\n"
        "print(loaded, httpx2.__version__ == real.version('httpx2'),"
        " httpcore2.__version__ == real.version('httpcore2'), hasattr(real, 'entry_points'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-S", "-c", probe],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**child_env(), "PYTHONPATH": import_path()},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["False", "True", "True", "True"]
