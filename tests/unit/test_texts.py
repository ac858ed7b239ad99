from __future__ import annotations

import string

from trayapp.core.alerts import ALERTS, AlertCode
from trayapp.core.explain import EXPLANATIONS, explain
from trayapp.core.i18n import catalog
from trayapp.core.texts import MESSAGES, resolve_language, system_language, text


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_exists_in_japanese_with_the_same_fields() -> None:
    ja = catalog("ja")
    missing = sorted(key for key, english in MESSAGES.items() if english not in ja)
    assert not missing, f"no Japanese text for {missing}"
    for key, english in MESSAGES.items():
        assert fields(ja[english]) == fields(english), key


def test_every_alert_explanation_exists_in_japanese() -> None:
    ja = catalog("ja")
    for code, english in EXPLANATIONS.items():
        for part in (english.title, english.meaning, english.todo, *(t for t, _ in english.links)):
            assert part in ja, (code, part)
        local = explain(code, "ja")
        assert local is not None and local.title and local.meaning and local.todo, code
        assert [url for _, url in local.links] == [url for _, url in english.links], code


def test_every_alert_code_has_one_row_and_an_explanation() -> None:
    assert set(ALERTS) == set(AlertCode)
    for code, kind in ALERTS.items():
        assert kind.explanation in EXPLANATIONS, code
        assert explain(code.value) == explain(code), code  # a code read back as a plain string finds its row
    assert AlertCode.CREDIT_ZERO == "credit_zero" and f"{AlertCode.STALE}" == "stale"  # the strings scripts see


def test_language_follows_locale_and_a_setting_overrides() -> None:
    assert system_language({"LANG": "ja_JP.UTF-8"}) == "ja"
    assert system_language({"LC_ALL": "en_US.UTF-8", "LANG": "ja_JP.UTF-8"}) == "en"
    assert system_language({"LANG": "fr_FR.UTF-8"}) == "en"
    assert system_language({}) == "en"
    assert resolve_language("en", {"LANG": "ja_JP.UTF-8"}) == "en"
    assert resolve_language(None, {"LANG": "ja_JP.UTF-8"}) == "ja"
    assert text("ja", "days_n", n=5) == "5日"


def test_age_and_remaining_words_in_japanese() -> None:
    from datetime import UTC, datetime, timedelta

    from trayapp.core import rules
    from trayapp.core.models import Account, Status
    from trayapp.core.monitor import AccountView

    now = datetime(2025, 1, 1, tzinfo=UTC)
    assert rules.age_text(now - timedelta(minutes=5), now) == "updated 5 min ago"
    assert rules.age_text(now - timedelta(minutes=5), now, "ja") == "5分前に更新"
    assert rules.age_text(now, now, "ja") == "たった今更新"
    assert rules.age_text(None, now, "ja") == "未更新"
    level = rules.Level(4, "error")
    view = AccountView(Account("a", "demo", "A", now), Status.ERROR, None, None, (), None, level, None)
    assert (view.remaining_text, view.remaining_in("ja")) == ("error", "エラー")
