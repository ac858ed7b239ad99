from __future__ import annotations

import string

from trayapp.core.explain import EXPLANATIONS_EN, EXPLANATIONS_JA
from trayapp.core.texts import MESSAGES, resolve_language, system_language, text


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_exists_in_japanese_with_the_same_fields() -> None:
    missing = set(MESSAGES["en"]) - set(MESSAGES["ja"])
    assert not missing, f"no Japanese text for {sorted(missing)}"
    for key, english in MESSAGES["en"].items():
        assert fields(MESSAGES["ja"][key]) == fields(english), key


def test_every_alert_explanation_exists_in_japanese() -> None:
    assert set(EXPLANATIONS_EN) == set(EXPLANATIONS_JA)
    for code, ja in EXPLANATIONS_JA.items():
        assert ja.title and ja.meaning and ja.todo, code
        assert [url for _, url in ja.links] == [url for _, url in EXPLANATIONS_EN[code].links], code


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
