"""The service's verbs: the one place that builds accounts and writes the files both clients share."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from trayapp.core.models import FetchResult
from trayapp.fetch import Job, run_jobs
from trayapp.providers.demo import demo_accounts
from trayapp.secrets.secret import Secret
from trayapp.secrets.store import MemorySecretStore
from trayapp.service import open_service

NOW = datetime.now(UTC).replace(microsecond=0)


def service_at(tmp_path: Path):
    service = open_service(str(tmp_path / "cfg"))
    service.secrets = MemorySecretStore()
    return service


def test_draft_put_and_remove_accounts(tmp_path: Path) -> None:
    service = service_at(tmp_path)
    first = service.draft_account("deepseek", "One", base_url=None, currency=None, secret_kinds=("api",), now=NOW)
    second = service.draft_account("deepseek", "Two", base_url=None, currency="CNY", secret_kinds=("api",))
    assert first.id.startswith("deepseek-") and first.created_at == NOW and service.config.accounts == []
    service.put_account(first)
    service.put_account(second)
    edited = service.draft_account(
        "deepseek",
        "One again",
        base_url="https://example.com",
        currency=None,
        secret_kinds=("api", "admin"),  # another host: its keys entered again (issue 16 item 4)
        account_id=first.id,
    )
    assert edited.id == first.id and edited.secret_kinds == ("api", "admin") and edited.created_at == NOW
    service.put_account(edited)  # where it stood, not at the end
    on_disk = json.loads(service.paths.config_file.read_text())["accounts"]
    assert [a["label"] for a in on_disk] == ["One again", "Two"]
    assert [a.label for a in service.monitor.accounts] == ["One again", "Two"]
    service.store_keys(first.id, {"api": Secret("sk-1"), "admin": Secret("sk-admin-1")})
    assert service.stored_keys(edited)["admin"].reveal() == "sk-admin-1"
    service.delete_keys(edited)
    service.remove_account(first.id)
    assert service.stored_keys(edited) == {}
    assert [a["label"] for a in json.loads(service.paths.config_file.read_text())["accounts"]] == ["Two"]


def test_snooze_and_resume(tmp_path: Path) -> None:
    service = service_at(tmp_path)
    assert service.snooze("4h", NOW) == NOW + timedelta(hours=4)
    assert service.config.settings.snoozed_until == NOW + timedelta(hours=4)
    assert service.monitor.settings.snoozed_until == NOW + timedelta(hours=4)
    assert service.snooze("resume", NOW) is None and service.config.settings.snoozed_until is None


def test_take_applies_records_with_the_views_alerts_and_saves(tmp_path: Path) -> None:
    service = service_at(tmp_path)
    for account in demo_accounts(NOW):
        service.put_account(account)
    results = run_jobs([Job(a, {}) for a in service.config.accounts], NOW, "s" * 16)
    views = service.take(results, NOW)
    assert service.history is not None
    readings = {r.account_id: r for r in service.history.readings()}
    assert set(readings) == {a.id for a in service.config.accounts}
    for view in views:
        assert readings[view.account.id].alerts == tuple(a.code for a in view.alerts)
        assert readings[view.account.id].status == view.status.value
    saved = json.loads(service.paths.state_file.read_text())
    assert set(saved["accounts"]) == set(readings)
    fresh = service.notify_due(NOW, views)
    assert fresh and service.notify_due(NOW, views) == [], "notified once"


def test_results_of_a_removed_account_are_neither_applied_nor_recorded(tmp_path: Path) -> None:
    service = service_at(tmp_path)
    [account, *_] = demo_accounts(NOW)
    service.put_account(account)
    [result] = run_jobs([Job(account, {})], NOW, "s" * 16)
    service.remove_account(account.id)
    views = service.take([result, FetchResult("gone")], NOW)
    assert views == [] and service.history is not None and service.history.readings() == []
    assert service.monitor.forecasts == {}
