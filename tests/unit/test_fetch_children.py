"""A large poll runs in two fetch children (fetch/child.py `start_children`), each with a share of the accounts:
every account's result still arrives exactly once, in the poll's order; a child that dies loses only its own
accounts' results, which become errors that say so, while the other child's accounts are read as usual.

Real child processes (`python -m trayapp.fetch`) reading the built-in demo provider (no network)."""

from __future__ import annotations

import dataclasses
import os
from collections import Counter
from datetime import UTC, datetime

from trayapp.core.models import Account
from trayapp.fetch import Job, child_env, run_in_child
from trayapp.fetch.child import ACCOUNTS_PER_CHILD, MAX_CHILDREN, Started, _live, children_for, start_children
from trayapp.providers.demo import demo_accounts
from trayapp.secrets.secret import Secret

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
WAIT = 30.0  # seconds: only a failing run waits this long


def many_jobs(count: int) -> list[Job]:
    """`count` demo accounts, each with its own id (the demo's few, repeated)."""
    base = demo_accounts(NOW)
    jobs = []
    for i in range(count):
        account = dataclasses.replace(base[i % len(base)], id=f"acct-{i:03d}")
        jobs.append(Job(account, {"api": Secret("demo")}))
    return jobs


def test_small_polls_run_in_one_child_and_large_ones_in_at_most_two() -> None:
    assert children_for(1) == children_for(10) == children_for(50) == 1
    assert children_for(ACCOUNTS_PER_CHILD) == 1
    assert children_for(500) == min(MAX_CHILDREN, os.cpu_count() or 1) <= 2
    assert children_for(100_000) <= 2  # what one poll may start is capped


def test_every_account_of_a_poll_over_two_children_arrives_exactly_once_in_order() -> None:
    jobs = many_jobs(24)
    children = [Started(child_env(), [j.account for j in jobs]) for _ in range(2)]
    streamed: list[str] = []
    results = run_in_child(jobs, NOW, "salt" * 4, started=children, on_result=lambda r: streamed.append(r.account_id))
    assert [r.account_id for r in results] == [j.account.id for j in jobs]
    assert Counter(streamed) == Counter(j.account.id for j in jobs)  # each once, none twice
    assert all(r.snapshot is not None and r.error is None for r in results)
    assert all(c.proc.returncode == 0 for c in children) and not _live


def test_a_child_that_dies_loses_only_its_own_accounts_which_say_so() -> None:
    jobs = many_jobs(10)
    children = [Started(child_env(), [j.account for j in jobs]) for _ in range(2)]
    children[0].proc.kill()  # the first share's child is gone before its request
    children[0].proc.wait(WAIT)
    streamed: list[str] = []
    results = run_in_child(jobs, NOW, "salt" * 4, started=children, on_result=lambda r: streamed.append(r.account_id))
    assert Counter(streamed) == Counter(j.account.id for j in jobs)
    lost = [r for r in results if r.snapshot is None]
    read = [r for r in results if r.snapshot is not None]
    assert len(lost) == len(read) == 5  # one share each
    for r in lost:
        assert r.error is not None and r.error.title == "Fetch failed"
        assert "ended before this account was read" in r.error.message
    assert not _live


def test_more_children_than_jobs_end_those_not_needed() -> None:
    jobs = many_jobs(1)
    children = [Started(child_env(), [j.account for j in jobs]) for _ in range(2)]
    results = run_in_child(jobs, NOW, "salt" * 4, started=children)
    assert [r.snapshot is not None for r in results] == [True]
    assert all(c.proc.returncode is not None for c in children) and not _live


def test_start_children_for_a_large_poll_and_its_results() -> None:
    """What the tray's Poller does: children started for the accounts before their keys are read."""
    jobs = many_jobs(ACCOUNTS_PER_CHILD + 1)
    accounts: list[Account] = [j.account for j in jobs]
    children = start_children(accounts, child_env())
    assert len(children) == children_for(len(accounts))
    results = run_in_child(jobs, NOW, "salt" * 4, started=children)
    assert sorted(r.account_id for r in results) == sorted(a.id for a in accounts)
    assert all(r.snapshot is not None for r in results) and not _live
