"""The real app's alerts reach the notification daemon (dunst), and clicking one opens the account.

What Notify carries is read off the bus (notify_calls); the click is what dunst does on a left click:
invoke the "default" action (`dunstctl action 0`), which dunst sends as ActionInvoked to the app.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from . import app_runner
from .app_runner import DETAILS_TITLE, TrayApp, deepseek_balance

launch = app_runner.launch  # fixtures
add_account = app_runner.add_account

ACTIONS = ["default", "Open details"]  # one action: a click on the bubble
KEY = "sk-desktop-notify-0123456789abcdef"


@pytest.fixture
def deepseek() -> HTTPServer:
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    yield server
    server.clear()
    server.stop()


def app_notifications(notify_calls, count: int = 1):
    calls = notify_calls.wait(count, timeout=15)
    return [c for c in calls if c.app_name == "Credit Tray"]


def test_demo_alerts_arrive_grouped_and_critical_and_a_click_opens_the_glance(dunst, notify_calls, launch):
    app: TrayApp = launch("--demo")
    (call,) = app_notifications(notify_calls)
    assert call.summary == "5 accounts need attention"
    body = call.body.splitlines()  # one line per account, most urgent first, none hidden
    assert body[0] == "Moonshot (demo): 0.00 CNY — no credit left"
    assert body[1] == "OpenAI alias (demo): $0.00 — second account, no trial credit, no credit left"
    assert len(body) == 5 and not any(re.fullmatch(r"…and \d+ more", line) for line in body), body
    assert call.hints["urgency"] == 2  # critical: zero credit and a second account
    assert call.actions == ["default", "Show accounts"]
    assert call.replaces_id == 0
    assert call.sender  # sent by the app's own connection, which gets ActionInvoked back

    assert dunst.count("displayed") == 1
    dunst.action(0)  # a left click on the bubble: about several accounts, it opens the glance
    app.wait_log("glance opened from a notification")
    assert app.windows(DETAILS_TITLE) == []

    (shown,) = dunst.collect()
    assert (shown["appname"], shown["summary"]) == ("Credit Tray", "5 accounts need attention")


@pytest.mark.parametrize(
    ("scenario", "headline", "message"),
    [
        ("zero", "no credit left", "My DeepSeek: no credit left (0.00 CNY)."),
        ("rejected", "key rejected", "My DeepSeek: the key was rejected ("),
    ],
)
def test_one_accounts_alert_names_it_and_a_click_opens_it(
    scenario, headline, message, dunst, notify_calls, launch, add_account, deepseek, tmp_path: Path
):
    config = tmp_path / "config"
    account_id = add_account(config, deepseek.url_for("/ds"), KEY, label="My DeepSeek")
    request = deepseek.expect_request("/ds/user/balance", headers={"Authorization": f"Bearer {KEY}"})
    if scenario == "zero":
        request.respond_with_json(deepseek_balance("0.00", available=False))
    else:
        request.respond_with_json({"error": {"message": "Authentication Fails"}}, status=401)

    app: TrayApp = launch(config_dir=config)
    (call,) = app_notifications(notify_calls)
    assert call.summary == f"My DeepSeek: {headline}"
    assert call.body.startswith(message), call.body
    assert call.hints["urgency"] == 2
    assert call.actions == ACTIONS
    assert KEY not in call.body and KEY not in app.log()

    dunst.action(0)
    app.wait_details_window()
    app.wait_log(f"details opened for {account_id}")
    deepseek.check_assertions()
