"""The UI in Japanese: every string of the .ts translated (placeholders kept), the .ts in step with the
sources, the shipped .qm built from the .ts, and the windows really showing the translation."""

from __future__ import annotations

import string
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QTranslator

from trayapp.providers import catalog
from trayapp.ui import i18n
from trayapp.ui.details import DetailsWindow
from trayapp.ui.dialogs import SettingsDialog
from trayapp.ui.tray import TrayController

from .conftest import poll_and_wait

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "trayapp_ja.ts"
BIN = Path(sys.executable).parent


def messages(ts: Path) -> list[tuple[str, str, ET.Element]]:
    """(context, source, message element) of every message in a .ts file."""
    root = ET.parse(ts).getroot()
    return [
        (ctx.findtext("name") or "", m.findtext("source") or "", m)
        for ctx in root.iter("context")
        for m in ctx.iter("message")
    ]


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_string_has_a_japanese_translation_with_the_same_placeholders() -> None:
    found = messages(TS)
    assert len(found) > 100  # the alert kinds and the provider catalog are in the core catalog
    for context, source, m in found:
        translation = m.find("translation")
        assert translation is not None and translation.get("type") is None, f"unfinished: {context}/{source!r}"
        ja = translation.text or ""
        assert ja.strip(), f"no Japanese for {context}/{source!r}"
        assert fields(ja) == fields(source), f"placeholders differ in {context}/{source!r}: {ja!r}"


def test_the_ts_has_every_string_of_the_sources(tmp_path: Path) -> None:
    """A string added to the UI without running `make translations` (and translating it) fails here."""
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in (ROOT / "trayapp" / "ui").glob("*.py"))
    proc = subprocess.run(
        [str(BIN / "pyside6-lupdate"), *sources, "-ts", str(fresh), "-no-obsolete", "-locations", "none"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    committed = {(c, s) for c, s, _ in messages(TS)}
    current = {(c, s) for c, s, _ in messages(fresh)}
    assert current - committed == set(), "run `make translations` and translate the new strings"
    assert committed - current == set(), "run `make translations`: the .ts has strings the sources no longer use"


def test_the_shipped_qm_is_built_from_the_ts(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.qm"
    proc = subprocess.run(
        [str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(fresh)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    shipped, built = QTranslator(), QTranslator()
    assert shipped.load(str(i18n.qm_file("ja"))) and built.load(str(fresh))
    for context, source, m in messages(TS):
        expected = m.findtext("translation")
        assert built.translate(context, source) == expected
        assert shipped.translate(context, source) == expected, f"stale .qm ({context}/{source!r}): make translations"


def test_the_provider_catalog_is_shown_in_japanese(qapp, japanese) -> None:
    """Key labels, hints, what is read and what cannot be known come from the core catalog (each provider's JA)."""
    shown = {
        t
        for info in catalog.CATALOG.values()
        for t in (info.reads, info.not_knowable, *(x for s in info.secrets for x in (s.label, s.hint)))
        if t and " " in t  # a key's shape (sk-or-v1-…) reads the same
    }
    assert len(shown) > 15
    untranslated = [t for t in shown if i18n.shown(t) == t]
    assert not untranslated, untranslated


def menu_texts(tray: TrayController) -> list[str]:
    tray.rebuild_menu()
    return [a.text() for a in tray.menu.actions() if not a.isSeparator()]


def test_tray_menu_in_japanese_and_in_english(qtbot, japanese) -> None:
    tray = TrayController()
    try:
        texts = menu_texts(tray)
        assert {"今すぐ更新", "詳細…", "アカウントを追加…", "設定…", "通知を一時停止", "終了"} <= set(texts), texts
        assert "アカウントはまだありません" in tray.tooltip()
    finally:
        tray.dispose()
    i18n.remove()
    tray = TrayController()
    try:
        assert {"Refresh now", "Details…", "Add account…", "Settings…", "Quit"} <= set(menu_texts(tray))
    finally:
        tray.dispose()


def test_details_window_in_japanese(qtbot, make_controller, japanese) -> None:
    c = make_controller()
    c.service.monitor.lang = "ja"
    poll_and_wait(qtbot, c)
    c.open_details("demo-zero")
    window: DetailsWindow = c.details
    table = window.table
    headers = [table.horizontalHeaderItem(i).text() for i in range(table.columnCount())]
    assert headers[:3] == ["アカウント", "プロバイダー", "残高"] and headers[-1] == "推移（30日）"
    assert window.refresh_button.text() == "今すぐ更新"
    assert window.windowTitle().startswith("アカウント")
    cells = [table.item(r, col).text() for r in range(table.rowCount()) for col in (5, 6, 7)]
    assert "正常" in cells and any(cell.endswith("前に更新") or cell == "たった今更新" for cell in cells)
    assert "残高なし" in cells or any("残高なし" in cell for cell in cells)
    html = window.explanation_html()
    assert "状態" in html and "対処" in html and "請求ページ" in html
    assert window.history.range_buttons["30 days"].text() == "30日"
    for line in c.tray.tooltip().splitlines()[1:]:
        assert "updated" not in line, line


def test_settings_dialog_in_japanese_says_when_the_language_applies(qtbot, make_controller, japanese) -> None:
    c = make_controller()
    dialog = SettingsDialog(c.service.config.settings)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "設定"
    assert dialog.alert_kinds["credit_zero"].text() == "クレジット残高なし"
    assert not dialog.language_note.isVisibleTo(dialog)
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    assert dialog.language_note.isVisibleTo(dialog) and "次回の起動時" in dialog.language_note.text()


def test_an_unknown_language_leaves_the_ui_in_english(qapp) -> None:
    assert i18n.qm_file("ja").is_file()
    assert i18n.install("fr") and i18n.language() == "en"
