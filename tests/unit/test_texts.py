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


def test_a_providers_explanations_and_help_links_exist_in_japanese() -> None:
    from trayapp.providers.catalog import CATALOG

    infos = list(CATALOG.values())  # every provider imported first: the catalog holds the texts of those loaded
    ja = catalog("ja")
    for info in infos:
        for key, english in info.explanations.items():
            assert key in EXPLANATIONS, (info.name, key)  # it replaces one the core has: every alert keeps one
            for part in (english.title, english.meaning, english.todo, *(t for t, _ in english.links)):
                assert part in ja, (info.name, key, part)
        for key, links in info.help_links.items():
            assert key in EXPLANATIONS and links, (info.name, key)
            assert all(text in ja and url.startswith("https://") for text, url in links), (info.name, key)


def test_an_explanation_carries_the_accounts_own_providers_help_not_another_ones() -> None:
    """A DeepSeek account at zero is not sent to OpenAI's help pages; an OpenAI account is, and its second account
    is explained with OpenAI's trial-credit rule, which the core does not claim for every provider."""
    from trayapp.providers.catalog import info

    openai, deepseek = info("openai"), info("deepseek")
    plain = explain("credit_zero", own=deepseek.explanations, links=deepseek.help_links)
    assert plain is not None and not any("openai.com" in url for _, url in plain.links)
    at_openai = explain("credit_zero", own=openai.explanations, links=openai.help_links)
    assert at_openai is not None and "https://help.openai.com/en/articles/6891831" in [u for _, u in at_openai.links]
    assert "insufficient_quota" in at_openai.meaning and "OpenAI" not in plain.meaning
    second = explain("second_account", "ja", own=openai.explanations, links=openai.help_links)
    generic = explain("second_account", "ja")
    assert second is not None and generic is not None
    assert "OpenAI" in second.meaning and "OpenAI" not in generic.meaning
    assert second.title == generic.title  # the same alert, told in the provider's terms
