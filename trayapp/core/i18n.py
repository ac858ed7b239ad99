"""Sentences the Qt-free layers write for people (provider errors, why a number is unknown, notes, problems
loading files), translated when they are shown.

`tr("Could not reach {name} at {host}: {reason}.", name=..., host=..., reason=...)` returns a `LocalText`:
a `str` whose value is the English sentence, so logs, `check --json` and every comparison with English keep
working, and which also keeps its template and parameters. `localize(text, lang)` renders it in `lang` from
the catalog, keyed by the English template as gettext and Qt's .ts files are. The catalog is one lookup:
core/texts_ja.py for the core's own texts, merged with the tables registered with `add_texts`: the `JA`
mapping of every provider module, which providers/registry.py registers when it is imported (a provider's
sentences and labels live in its file; the core knows no provider). A parameter
may itself be a LocalText (the `problem` of a BadResponse, a quoted part): it is rendered in the same
language. A plain `str`, a template missing from the catalog, or a catalog entry that does not fit, is shown
in English.

Build a sentence from parts with nested tr() parameters, never with `+` or an f-string: those return a plain
`str`, which has lost its template and stays English.

Texts kept in tables (alert messages and explanations, the alert kinds' labels, a provider's key labels and
what it reads) are marked with `tr_noop("…")` where they are written and rendered with `translate(template,
lang, **params)` where they are shown. Two texts with one English and two translations take a context, as
gettext's msgctxt: `tr_noop("alert setting\x04Key rejected")`; the English shown is the part after `\x04`.

The widgets' own texts go through Qt's translator instead (ui/i18n.py); these cannot: the core, the fetch
child and the CLI have no Qt. The codec keeps template and parameters next to the English text (`encode`,
`decode`), so a text made in the fetch child or saved in state.json is still translatable.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Callable, Mapping
from typing import Any, overload

Json = dict[str, Any]
MAX_DEPTH = 8  # of nested parameters read back from a file: deeper is not ours, and is shown in English
CONTEXT = "\x04"  # between a context and the English text, as in gettext's catalogs


class LocalText(str):
    """English text that knows how it was made (`template`, `params`), so it can be shown in another language."""

    template: str
    params: Mapping[str, str]  # each value a plain str or a LocalText

    def __new__(cls, template: str, params: Mapping[str, str]) -> LocalText:
        source = english(template)
        self = super().__new__(cls, source.format_map(params) if params else source)
        self.template = template
        self.params = params
        return self

    def __getnewargs__(self) -> tuple[str, Mapping[str, str]]:  # type: ignore[override]
        # copy, deepcopy and pickle rebuild it from its parts, not from the English text.
        return self.template, self.params


def tr(template: str, /, **params: str | int) -> LocalText:
    """Mark a sentence for translation; its value is the English text. Parameters are shown as they are
    (numbers pre-formatted by the caller), except LocalText parameters, which are translated too."""
    return LocalText(template, {k: v if isinstance(v, str) else str(v) for k, v in params.items()})


def tr_noop(template: str, /) -> str:
    """Mark a template kept in a table for the catalog; it is rendered where shown, with `translate`."""
    return template


def english(template: str) -> str:
    """The English of a template: without its context, if it has one."""
    return template.rpartition(CONTEXT)[2]


def translate(template: str, lang: str, /, **params: object) -> str:
    """A template marked with `tr_noop`, in `lang` and filled in; English where the catalog has no entry
    (or one that does not fit)."""
    if lang != "en":
        local = _lookup(template, lang)
        if local is not None:
            try:
                return local.format_map(params)
            except (KeyError, IndexError, ValueError, AttributeError):
                pass  # a catalog entry that does not fit its source: English rather than nothing
    return english(template).format_map(params)


def fields(template: str) -> set[str]:
    """The placeholder names of a template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


@overload
def localize(value: str, lang: str) -> str: ...
@overload
def localize(value: None, lang: str) -> None: ...
def localize(value: str | None, lang: str) -> str | None:
    """`value` in `lang` ("en", "ja"): a LocalText from the catalog, anything else as it is."""
    if value is None:
        return None
    if not isinstance(value, LocalText) or lang == "en":
        return str(value)
    return _render(value, lang)


TextSource = Callable[[str], Mapping[str, str]]  # language -> English template -> translation
_SOURCES: list[TextSource] = []
_COMPLETERS: list[Callable[[], object]] = []  # make every source complete (import what it reads from)


def add_texts(source: TextSource, complete: Callable[[], object] | None = None) -> None:
    """Merge another layer's translations into the catalog (the providers' own, from providers/registry.py).
    `source` may give only the texts of what is loaded so far (the providers imported); `complete` then loads
    the rest, called once, when a text is missing from the catalog (see `_lookup`)."""
    if source not in _SOURCES:
        _SOURCES.append(source)
        if complete is not None:
            _COMPLETERS.append(complete)
        catalog.cache_clear()


def _lookup(template: str, lang: str) -> str | None:
    """The translation of `template`. While a source is incomplete, a miss rebuilds the catalog from what has
    been loaded since (a provider module imported later), and a miss again loads every source in full, once."""
    local = catalog(lang).get(template)
    if local is None and _COMPLETERS:
        catalog.cache_clear()
        local = catalog(lang).get(template)
        if local is None:
            for complete in _COMPLETERS:
                complete()
            _COMPLETERS.clear()
            catalog.cache_clear()
            local = catalog(lang).get(template)
    return local


@functools.cache
def catalog(lang: str) -> Mapping[str, str]:
    """English template -> translation: the core's texts and every registered source's. Imported on first use:
    the fetch child never needs it."""
    if lang != "ja":
        return {}
    from .texts_ja import JA

    merged = dict(JA)
    for source in _SOURCES:
        merged.update(source(lang))
    return merged


def _render(value: LocalText, lang: str) -> str:
    params = {k: _render(v, lang) if isinstance(v, LocalText) else v for k, v in value.params.items()}
    template = _lookup(value.template, lang)
    if template is not None:
        try:
            return template.format_map(params)
        except (KeyError, IndexError, ValueError, AttributeError):
            pass  # a catalog entry that does not fit its source: English rather than nothing
    return str.__str__(value)


# ---------------------------------------------------------------- across the process boundary and in files


def encode(value: str | None) -> Json | None:
    """Template and parameters of a LocalText, JSON-ready; None for a plain str (nothing to keep)."""
    if not isinstance(value, LocalText):
        return None
    params: Json = {k: encode(v) if isinstance(v, LocalText) else str(v) for k, v in value.params.items()}
    return {"t": value.template, "p": params}


def decode(english: str, data: object) -> str:
    """The English text as stored, made a LocalText again from `data` (what `encode` wrote) when that renders
    exactly to it; anything missing, malformed or not matching leaves the plain English text."""
    if data is None:
        return english
    try:
        text = _decode(data, 0, len(english))
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, RecursionError):
        return english
    return text if str.__str__(text) == english else english


def _decode(data: object, depth: int, limit: int) -> LocalText:
    """One level of `encode`'s output; `limit`: no rendering may be longer than the English text."""
    if depth > MAX_DEPTH or not isinstance(data, Mapping):
        raise ValueError("not an encoded text")
    template, params = data.get("t"), data.get("p")
    if not isinstance(template, str) or not isinstance(params, Mapping):
        raise ValueError("not an encoded text")
    values: dict[str, str] = {}
    for name, value in params.items():
        if not isinstance(name, str):
            raise ValueError("not an encoded text")
        values[name] = value if isinstance(value, str) else _decode(value, depth + 1, limit)
    # Only plain {name} fields (no attributes, indexes, conversions or formats), and nothing that would
    # render longer than the text it claims to be.
    size = 0
    for literal, name, spec, conversion in string.Formatter().parse(template):
        size += len(literal)
        if name is not None:
            if not name.isidentifier() or spec or conversion or name not in values:
                raise ValueError("not an encoded text")
            size += len(values[name])
        if size > limit:
            raise ValueError("not an encoded text")
    return LocalText(template, values)
