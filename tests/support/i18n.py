"""Checks that a text the core made can be shown in Japanese: every sentence in it comes from tr() and has a
catalog entry (plain-str parameters are data: names, endpoints, numbers, scrubbed quotes)."""

from __future__ import annotations

from trayapp.core.i18n import LocalText, catalog


def untranslated(text: str | None, lang: str = "ja") -> list[str]:
    """What in `text` would show in English in `lang`: empty when all of it is translatable."""
    if text is None:
        return []
    if not isinstance(text, LocalText):
        return [f"plain str, not tr(): {text!r}"]
    missing = [] if text.template in catalog(lang) else [f"no {lang} entry: {text.template!r}"]
    for value in text.params.values():
        if isinstance(value, LocalText):
            missing += untranslated(value, lang)
    return missing


def assert_translatable(*texts: str | None) -> None:
    problems = [p for t in texts for p in untranslated(t)]
    assert not problems, problems
