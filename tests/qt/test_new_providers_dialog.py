"""The providers added for issue 17 in the tray (offscreen): the Add dialog offers each, a declared one from a TOML
file in the config dir too, with exactly its key fields and what it can and cannot show said before a key is
typed; an account added through the controller's dialog flow against a loopback server shows its balance in the
tray; a declared provider's poll through the fetch child (which reads no file) shows its reading; Poe's points
and Venice's DIEM survive state.json and are never shown as dollars.

The loopback answers are those of tests/cli/test_new_providers_e2e.py, which takes them from each provider's
contract test (where their sources are cited).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytest_httpserver import HTTPServer

from tests.cli.test_new_providers_e2e import CASES, Case
from tests.contract.test_declared import relay_file, user_self
from tests.support.keyring_backend import MemoryKeyring
from trayapp.core.models import CurrencyBalance, FetchResult, Snapshot
from trayapp.providers import catalog
from trayapp.secrets.store import SERVICE, KeyringStore
from trayapp.service import Service, open_service
from trayapp.ui.details import render_explanation
from trayapp.ui.dialogs import AccountDialog

from .conftest import poll_and_wait

NEW = ("stepfun", "novita", "zhipu", "minimax", "deepinfra", "venice", "xai", "vercel", "poe", "litellm")
DECLARED_KEY = "sk-declared-CANARY-0123456789abcdef"


@pytest.fixture
def config_dir(tmp_path: Path, httpserver: HTTPServer) -> Iterator[Path]:
    """A config dir with one declared provider (the issue's example, on the loopback relay); the catalog
    forgets it afterwards, so that no other test sees it."""
    folder = tmp_path / "cfg" / "providers"
    folder.mkdir(parents=True)
    (folder / "myrelay.toml").write_text(relay_file(httpserver), encoding="utf-8")
    yield tmp_path / "cfg"
    catalog.use_declared(tmp_path / "no-config")


def core_in(config_dir: Path, backend: MemoryKeyring) -> Service:
    core = open_service(str(config_dir))
    core.secrets = KeyringStore(backend=backend, timeout=2)
    return core


def choose(dialog: AccountDialog, provider: str) -> None:
    index = dialog.provider.findData(provider)
    assert index > 0, provider
    dialog.provider.setCurrentIndex(index)


def shown_keys(dialog: AccountDialog) -> dict[str, tuple[str, str]]:
    """The key fields the dialog shows: kind -> (label, placeholder)."""
    return {
        kind: (dialog.key_labels[kind].text(), edit.placeholderText())
        for kind, edit in dialog.key_fields.items()
        if not edit.isHidden()
    }


def test_the_dialog_offers_every_new_provider_and_a_declared_one(make_controller, config_dir: Path, qtbot) -> None:
    c = make_controller(core=core_in(config_dir, MemoryKeyring()))
    dialog = c.add_account()
    offered = {dialog.provider.itemData(i): dialog.provider.itemText(i) for i in range(dialog.provider.count())}
    for name in (*NEW, "openai-compatible"):
        assert offered.get(name) == catalog.info(name).display_name, name
    assert offered.get("myrelay") == "My relay"  # the name its file gives
    # Nothing chosen yet: no key field, and the dialog says why it asks for a provider first.
    assert shown_keys(dialog) == {}
    assert dialog.capability.text() == "Each provider shows different things: choose one to see what."
    dialog.reject()


API = "API key"
KEY_FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    "stepfun": {"api": (API, "")},
    "novita": {"api": (API, "")},
    "zhipu": {"api": (API, "")},
    "minimax": {"api": (API, "the pay-as-you-go key, sk-api-…")},
    "deepinfra": {"api": (API, "")},
    "venice": {"api": ("Admin API key", "an ADMIN key: Venice refuses inference keys here")},
    "xai": {
        "api": (API, "xai-… (tells the team and whether it is blocked)"),
        "management": ("Management key", "console.x.ai → Settings → Management Keys (reads the prepaid balance)"),
    },
    "vercel": {"api": (API, "vck_… (an AI Gateway API key)")},
    "poe": {"api": (API, "from poe.com/api/keys")},
    "litellm": {"api": (API, "")},
    "openai-compatible": {
        "api": (API, ""),
        "access": (
            "Access token (optional)",
            "the relay's system access token (AIHubMix: Manage Key): reads your whole balance",
        ),
        "user": (
            "Relay user ID (optional)",
            "your numeric user ID on the relay, which older new-api versions ask for with the token",
        ),
    },
    "myrelay": {"api": (API, "")},
}
# What each says it can and cannot show, before a key is typed: a phrase of each half.
CAPABILITIES = {
    "stepfun": ("the available balance", "given (voucher) credit, and when it expires"),
    "novita": ("the credit line", "when credit expires"),
    "zhipu": ("each resource pack with what is left and when it expires", "when gifted cash expires"),
    "minimax": ("split into cash and vouchers", "when vouchers expire"),
    "deepinfra": ("less usage not yet invoiced", "when any of it expires"),
    "venice": ("the USD and DIEM balances", "when USD credit expires"),
    "xai": ("the team's prepaid balance (management API)", "free or promotional credit and its expiry"),
    "vercel": ("credit left and its total spend", "when credits expire"),
    "poe": ("in Poe's points, not money", "what a point is worth in money"),
    "litellm": ("the virtual key's budget", "how much money is behind the proxy"),
    "openai-compatible": ("with an access token, your balance (/api/user/self)", "the unit may be CNY"),
    "myrelay": ("what its file in the providers folder of the config dir declares", "anything its file does not"),
}


@pytest.mark.parametrize("provider", list(KEY_FIELDS))
def test_each_provider_shows_its_own_key_fields_and_what_it_can_show(qtbot, config_dir: Path, provider: str) -> None:
    open_service(str(config_dir))  # reads the declared provider, as the tray does at start
    dialog = AccountDialog()
    qtbot.addWidget(dialog)
    choose(dialog, provider)
    assert shown_keys(dialog) == KEY_FIELDS[provider]
    reads, cannot = CAPABILITIES[provider]
    text = dialog.capability.text()
    assert text.startswith("Reads: ") and reads in text.split("Cannot be known: ")[0], text
    assert cannot in text.split("Cannot be known: ")[1], text
    # No base URL to type for a provider with a default; the relays and LiteLLM say they need one.
    default = catalog.info(provider).default_base_url
    assert dialog.base_url.placeholderText() == (default or dialog.base_url.placeholderText())
    if default is None:
        assert "required" in dialog.base_url.placeholderText()


# ---------------------------------------------------------------- through the dialog to the tray

TOOLTIP = {  # what the tray's tooltip says of each reading
    "stepfun": "My stepfun: 150.00 CNY",
    "novita": "My novita: $100.00",
    "zhipu": "My zhipu: 42.50 CNY",
    "minimax": "My minimax: $12.34",
    "deepinfra": "My deepinfra: $95.81",
    "venice": "My venice: $25.00",
    "vercel": "My vercel: $95.50",
    "poe": "My poe: 1500 points",
    "litellm": "My litellm: $87.65",
    "openai-compatible": "My openai-compatible: $12.50",
}
# xAI is left out: its management host is an account option of config.json, not a dialog field, so a dialog
# account asks the real management-api.x.ai (tests/cli/test_new_providers_e2e.py sets the option and reads it).
FLOW = [c for c in CASES if c.provider in TOOLTIP]


def save(qtbot, dialog: AccountDialog) -> None:
    """Save, and wait for the test poll: accepted, or the error it shows (then the test says which)."""
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: dialog.result() == dialog.DialogCode.Accepted or not dialog.error.isHidden(), timeout=30000)
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.error.text()


def add_through_dialog(qtbot, c, server: HTTPServer, case: Case) -> AccountDialog:
    dialog = c.add_account()
    choose(dialog, case.provider)
    dialog.label.setText(f"My {case.provider}")
    dialog.base_url.setText(f"http://127.0.0.1:{server.port}{case.base}")
    if case.currency:
        dialog.currency.setText(case.currency)
    for kind, key in case.keys.items():
        dialog.key_fields[kind].setText(key)
    save(qtbot, dialog)
    return dialog


@pytest.mark.parametrize("case", FLOW, ids=[c.provider for c in FLOW])
def test_an_account_added_in_the_dialog_shows_its_balance_in_the_tray(
    qtbot, make_controller, config_dir: Path, httpserver: HTTPServer, case: Case
) -> None:
    case.serve(httpserver, case)
    backend = MemoryKeyring()
    c = make_controller(core=core_in(config_dir, backend))
    dialog = add_through_dialog(qtbot, c, httpserver, case)
    [account] = c.service.config.accounts
    assert account.provider == case.provider
    assert backend.items == {(SERVICE, f"{account.id}:{kind}"): key for kind, key in case.keys.items()}
    assert TOOLTIP[case.provider] in c.tray.tooltip(), c.tray.tooltip()
    assert all(not edit.text() for edit in dialog.key_fields.values()), "no key lingers in the widgets"
    # state.json is written in the background (a temporary file renamed over it): a file that goes between
    # the listing and the reading has become another, and the whole folder is read again.
    for _attempt in range(20):
        try:
            texts = {f: f.read_text(errors="replace") for f in config_dir.rglob("*") if f.is_file()}
            break
        except FileNotFoundError:
            qtbot.wait(50)
    else:
        pytest.fail("the config folder kept changing")
    for f, text in texts.items():
        assert not any(key in text for key in case.keys.values() if len(key) > 8), f


def test_a_declared_provider_added_in_the_dialog_is_polled_through_the_fetch_child(
    qtbot, make_controller, config_dir: Path, httpserver: HTTPServer
) -> None:
    """The child process reads no file: the declaration travels in its request (fetch/child.py)."""
    httpserver.expect_ordered_request(
        "/api/user/self", headers={"Authorization": f"Bearer {DECLARED_KEY}"}
    ).respond_with_json(user_self(quota=6250000, used_quota=1250000))
    httpserver.expect_ordered_request(
        "/api/user/self", headers={"Authorization": f"Bearer {DECLARED_KEY}"}
    ).respond_with_json(user_self(quota=5000000, used_quota=2500000))
    backend = MemoryKeyring()
    c = make_controller(core=core_in(config_dir, backend))
    c.poller._runner = c.poller._child  # the tray's own way: `python -m trayapp.fetch`
    dialog = c.add_account()
    choose(dialog, "myrelay")
    dialog.label.setText("Relay")
    dialog.key_fields["api"].setText(DECLARED_KEY)
    save(qtbot, dialog)
    assert "Relay: $12.50" in c.tray.tooltip(), c.tray.tooltip()
    poll_and_wait(qtbot, c)  # the scheduled poll, through the child as well
    assert "Relay: $10.00" in c.tray.tooltip(), c.tray.tooltip()
    assert len(httpserver.log) == 2


# ---------------------------------------------------------------- units that are not dollars


def test_points_and_diem_survive_state_json_and_are_never_shown_as_dollars(
    qtbot, make_controller, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    backend = MemoryKeyring()
    core = core_in(tmp_path / "cfg", backend)
    poe = core.draft_account("poe", "Poe", base_url=None, currency=None, secret_kinds=("api",), options={})
    core.put_account(poe)
    venice = core.draft_account("venice", "Venice", base_url=None, currency=None, secret_kinds=("api",), options={})
    core.put_account(venice)
    points = Snapshot(account_id=poe.id, checked_at=now, currency="points", remaining=Decimal("1500"))
    diem = Snapshot(  # a staker with no USD: DIEM is the headline (venice.py)
        account_id=venice.id,
        checked_at=now,
        currency="DIEM",
        remaining=Decimal("90.5"),
        balances=(
            CurrencyBalance("USD", Decimal("0"), remaining_paid=Decimal("0")),
            CurrencyBalance("DIEM", Decimal("90.5")),
        ),
    )
    core.take([FetchResult(poe.id, points), FetchResult(venice.id, diem)], now)

    again = core_in(tmp_path / "cfg", backend)  # a new start: the readings come from state.json
    read_back = {i: again.monitor.states[i].last_good for i in (poe.id, venice.id)}
    assert read_back == {poe.id: points, venice.id: diem}
    c = make_controller(core=again)
    c.refresh_views()
    tip = c.tray.tooltip()
    assert "Poe: 1500 points" in tip and "Venice: 90.50 DIEM" in tip, tip
    c.tray.rebuild_menu()
    lines = [a.text() for a in c.tray.menu.actions() if a.data() in (poe.id, venice.id)]
    assert len(lines) == 2 and all("$" not in line for line in lines), lines
    assert "$" not in tip
    # The details window: the Remaining column and each account's explanation.
    views = again.views(now)
    c.details.set_views(views)
    column = {c.details.table.item(row, 2).text() for row in range(c.details.table.rowCount())}
    assert column == {"1500 points", "90.50 DIEM"}, column
    for view in views:
        explained = render_explanation(view, now)
        assert ("1500 points" in explained or "90.50 DIEM" in explained) and "$" not in explained, explained


def test_a_low_credit_threshold_in_points_is_set_in_settings_as_poes_note_says(
    qtbot, make_controller, tmp_path: Path, httpserver: HTTPServer
) -> None:
    poe = next(c for c in CASES if c.provider == "poe")
    poe.serve(httpserver, poe)
    c = make_controller(core=core_in(tmp_path / "cfg", MemoryKeyring()))
    add_through_dialog(qtbot, c, httpserver, poe)
    [view] = c.service.views(datetime.now(UTC))
    note = next(n for n in view.snapshot.notes if "points, not money" in n)  # type: ignore[union-attr]
    assert "in Settings" in note and "config.json" not in note, note

    c.open_settings()
    dialog = c._dialogs[-1]
    assert set(dialog.thresholds) == {"points"}  # the unit of the user's Poe account, as the note says
    assert dialog.thresholds["points"].suffix() == " points"
    dialog.thresholds["points"].setValue(2000)
    dialog.accept()
    [view] = c.service.views(datetime.now(UTC))
    [low] = view.alerts
    assert low.code == "credit_low" and "1500 points" in low.message and "2000 points" in low.message, low
    assert "$" not in low.message
