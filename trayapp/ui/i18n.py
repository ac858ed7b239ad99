"""The UI's language. Widget texts go through Qt's translator: trayapp_<lang>.qm (built from
resources/translations/*.ts by `make translations`, shipped in the package) and Qt's own qtbase_<lang>.qm
(standard buttons such as Save and Cancel). The few words the core formats itself (data age, remaining)
take the language code from `language()`; the sentences the core, providers and storage write (errors, why
a number is unknown, notes, problems: core/i18n.py) are shown through `local()`, the texts they keep in
tables (a provider's key labels, an alert kind's names) through `shown()`.

Installed once at start, before any widget is built: texts set on widgets are not re-translated, so a
change of the language setting applies to the UI at the next start (alert messages switch at once)."""

from __future__ import annotations

from pathlib import Path
from typing import overload

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from ..core.i18n import localize, translate
from ..core.texts import LANGUAGES
from ..providers import registry as _registry  # noqa: F401 (registers the providers' texts)

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"

_language = "en"
_installed: list[QTranslator] = []


def qm_file(lang: str) -> Path:
    return TRANSLATIONS / f"trayapp_{lang}.qm"


def install(lang: str) -> bool:
    """Translate the UI into `lang` ("en" is the source language: nothing to load). False if the
    translation could not be loaded (the UI stays in English)."""
    global _language
    remove()
    _language = lang if lang in LANGUAGES else "en"
    if _language == "en":
        return True
    app = QCoreApplication.instance()
    own = QTranslator()
    if app is None or not own.load(str(qm_file(_language))):
        _language = "en"
        return False
    app.installTranslator(own)
    _installed.append(own)
    qt = QTranslator()
    if qt.load(f"qtbase_{_language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    return True


def remove() -> None:
    """Back to English (tests switch languages)."""
    global _language
    app = QCoreApplication.instance()
    while _installed:
        translator = _installed.pop()
        if app is not None:
            app.removeTranslator(translator)
    _language = "en"


def language() -> str:
    """The language the UI was translated into: "en" or "ja"."""
    return _language


@overload
def local(text: str) -> str: ...
@overload
def local(text: None) -> None: ...
def local(text: str | None) -> str | None:
    """A text from the core (a provider's error, an unknown reason, a note, a load problem) in the UI's language."""
    return localize(text, _language)


def shown(template: str, **params: object) -> str:
    """A template the Qt-free code keeps in a table (marked with tr_noop: a provider's key labels and what it
    reads, an alert kind's names) in the UI's language."""
    return translate(template, _language, **params) if template else template
