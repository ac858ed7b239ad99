"""The core's sentences in the Japanese UI: real providers answering from 127.0.0.1, their errors and "why
unknown" reasons in the details window, the tray's menu and tooltip and the notifications; a ConfigError and
a failed test poll in the account dialog; problems loading files; forecasts; the first-run note."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytest_httpserver import HTTPServer

from tests.contract.openai_server import SESSION_KEY_ONLY, Answer, FakeOpenAI, me, models, serve
from tests.support.keyring_backend import MemoryKeyring
from trayapp.core.forecast import Forecast
from trayapp.core.i18n import tr
from trayapp.core.models import Account, Snapshot, Status
from trayapp.core.monitor import AccountView
from trayapp.core.rules import Level
from trayapp.platform import firstrun
from trayapp.secrets.store import SERVICE, KeyringStore
from trayapp.service import Service, open_service
from trayapp.ui.history_panel import forecast_text

from .conftest import poll_and_wait

DS_KEY = "sk-deepseek-CANARY-0123456789"
OPENAI_KEY = "sk-proj-CANARYapi0123456789abcdef"


@pytest.fixture
def openai_server() -> Iterator[FakeOpenAI]:
    yield from serve()


def core_with(tmp_path: Path, accounts: list[Account], keys: dict[str, str]) -> Service:
    core = open_service(str(tmp_path / "cfg"))
    backend = MemoryKeyring()
    backend.items.update({(SERVICE, f"{account_id}:api"): key for account_id, key in keys.items()})
    core.secrets = KeyringStore(backend=backend, timeout=2)
    core.config.accounts = accounts
    core.save_config()
    return core


def no_english(text: str, *phrases: str) -> None:
    for phrase in phrases:
        assert phrase not in text, f"{phrase!r} left in English: {text}"


def test_a_rejected_key_reads_in_japanese_in_the_details_menu_tooltip_and_notification(
    qtbot, make_controller, tmp_path: Path, httpserver: HTTPServer, japanese
) -> None:
    httpserver.expect_request("/user/balance").respond_with_json(
        {"error": {"message": "Authentication Fails, Your api key is invalid", "type": "authentication_error"}},
        status=401,
    )
    now = datetime.now(UTC)
    base = httpserver.url_for("").rstrip("/")
    accounts = [
        Account("ds-1", "deepseek", "DS", now, base_url=base),
        Account("ds-2", "deepseek", "DS no key", now, base_url=base),  # its key is not in the keyring
    ]
    c = make_controller(core=core_with(tmp_path, accounts, {"ds-1": DS_KEY}))
    c.service.monitor.lang = "ja"  # the alert language, as resolved from the same setting at start
    poll_and_wait(qtbot, c)

    c.open_details("ds-1")
    html = c.details.explanation_html()
    assert "キーが拒否されました" in html, html
    assert "DeepSeek がキーを拒否しました（401）：Authentication Fails, Your api key is invalid。" in html
    no_english(html, "Key rejected", "rejected the key", "It may be mistyped")

    c.tray.rebuild_menu()
    [entry] = [a for a in c.tray.menu.actions() if a.data() == "ds-1"]
    assert entry.toolTip().startswith("DS: キーが拒否されました（DeepSeek がキーを拒否しました（401）"), entry.toolTip()
    no_english(entry.toolTip(), "rejected", "mistyped")
    alerts_cell = c.details.table.item(0, 7).toolTip()
    assert "DeepSeek がキーを拒否しました" in alerts_cell

    # The account whose key is missing: the tray's status line, atop its tooltip and its menu.
    tooltip = c.tray.tooltip()
    assert "キーがありません: このアカウントの api キーがOSのキーリングにありません。" in tooltip, tooltip
    no_english(tooltip, "Key missing", "secret store")

    assert c.delivered, "a notification was sent"
    assert "DeepSeek がキーを拒否しました（401）" in c.delivered[-1].body, c.delivered[-1].body


def test_why_unknown_and_notes_of_an_openai_normal_key_read_in_japanese_after_a_restart(
    qtbot, make_controller, tmp_path: Path, openai_server: FakeOpenAI, japanese
) -> None:
    openai_server.route("GET", "/v1/me", Answer(200, me()))
    openai_server.route("GET", "/v1/models", models())
    openai_server.route("GET", "/v1/dashboard/billing/credit_grants", SESSION_KEY_ONLY)
    account = Account("oa-1", "openai", "OpenAI", datetime.now(UTC), base_url=openai_server.base_url)
    c = make_controller(core=core_with(tmp_path, [account], {"oa-1": OPENAI_KEY}))
    poll_and_wait(qtbot, c)
    expected = (
        "このキーでは残高を読み取れません: OpenAI はクレジットの付与をブラウザーのセッションにだけ表示し、"
        "APIキーには表示しません。計算するには管理者キー（sk-admin-…）を追加して"
    )
    c.open_details("oa-1")
    html = c.details.explanation_html()
    assert "不明な理由" in html and expected in html, html
    no_english(html, "balance not readable", "the provider does not report it")
    c.service.save_state()

    # Read back from state.json by a new start: still Japanese (the codec kept template and parameters).
    again = make_controller(core=open_service(str(tmp_path / "cfg")))
    again.open_details("oa-1")
    assert expected in again.details.explanation_html()


def test_the_account_dialog_shows_config_and_provider_errors_in_japanese(
    qtbot, make_controller, tmp_path: Path, httpserver: HTTPServer, japanese
) -> None:
    httpserver.expect_request("/user/balance").respond_with_json({"error": {"message": "invalid key"}}, status=401)
    c = make_controller(core=core_with(tmp_path, [], {}))
    dialog = c.add_account()
    dialog.provider.setCurrentIndex(dialog.provider.findData("deepseek"))
    dialog.key_fields["api"].setText(DS_KEY)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)

    # A ConfigError from core/validation.py, before anything is sent.
    dialog.base_url.setText("http://relay.example.com/v1")
    save.click()
    assert dialog.error.text() == (
        "安全でないベースURL: 「http://relay.example.com/v1」は別のマシンへの暗号化されていない http で、"
        "キーが平文で送られてしまいます。"
        "https を使ってください（http を使えるのは 127.0.0.1、::1、localhost だけです）。"
    )

    # A ProviderError from the test poll against the provider.
    dialog.base_url.setText(httpserver.url_for("").rstrip("/"))
    dialog.error.clear()
    save.click()
    qtbot.waitUntil(lambda: dialog.error.text().startswith("キーが拒否されました"), timeout=30000)
    assert "DeepSeek がキーを拒否しました（401）：invalid key。" in dialog.error.text()
    assert c.service.config.accounts == []
    dialog.reject()


def test_problems_loading_files_are_told_in_japanese(qtbot, make_controller, tmp_path: Path, japanese) -> None:
    open_service(str(tmp_path / "cfg")).save_state()
    state = next((tmp_path / "cfg").rglob("state.json"))
    state.write_text('{"version": 1, "accounts": {"a": {"failures": "many"}}}')
    c = make_controller(core=open_service(str(tmp_path / "cfg")))
    c.start()
    banner = c.details.banner.text()
    assert (
        banner.startswith("保存された状態を読み込めませんでした（") and "アカウントと設定には影響ありません。" in banner
    )
    no_english(banner, "could not be read")


def test_forecast_reasons_under_the_chart_are_japanese(qapp, japanese) -> None:
    now = datetime.now(UTC)
    snap = Snapshot("a", now, currency="USD", remaining=Decimal(0))

    def view(fc: Forecast) -> AccountView:
        return AccountView(
            Account("a", "demo", "A", now), Status.OK, snap, None, (), None, Level(0, "healthy"), now, fc
        )

    no_rate = Forecast(None, None, None, None, timedelta(0), 1, 0, tr("only one reading so far"))
    assert forecast_text(view(no_rate)) == "予測なし: 記録がまだ1回しかありません。"
    empty = Forecast(Decimal(1), None, None, None, timedelta(days=3), 72, 0, tr("no credit left"))
    text = forecast_text(view(empty))
    assert "クレジット残高がありません。" in text and "No credit" not in text, text


def test_the_first_run_note_is_in_the_ui_language(
    qtbot, make_controller, tmp_path: Path, japanese, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(firstrun, "overflow_note_due", lambda marker: not marker.exists())  # as on Windows
    c = make_controller(core=core_with(tmp_path, [], {}))
    shown: list[tuple[str, str]] = []
    c.tray.tray.showMessage = lambda title, body, *rest: shown.append((title, body))  # what the balloon gets
    c.start()
    [(title, body)] = shown
    assert title == "Credit Tray を実行中です" and "タスク バー" in body and "taskbar" not in body
