"""Scrubbing a fetch's result of its keys stays complete with the quick pre-check (secrets/keys.py `Fragments`):
a text that may hold a fragment of a key is always looked at in full, so no part of a key a provider echoes
gets through, whole, in part, or in two halves in two fields."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from trayapp.core.i18n import LocalText
from trayapp.core.models import ErrorKind, FetchError, FetchResult, Snapshot
from trayapp.fetch.run import scrubbed
from trayapp.secrets.keys import MASK, MIN_FRAGMENT, PREFIXES, Fragments, mask_fragments

KEY = "sk-proj-Zq8vT3mW9xLp2NcR7bYh4KdF6sGj1AeU"
KEY_CHARS = st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


def every_fragment_masked_reference(text: str, secret: str) -> str:
    """The rule, written the slow way without any shortcut: each run of MIN_FRAGMENT characters of the key
    (not within the public prefix alone) that appears in the text is covered by one mask per covered stretch."""
    text = text.replace(secret, MASK)
    if len(secret) < MIN_FRAGMENT:
        return text
    prefix = next((p for p in PREFIXES if secret.startswith(p)), "")
    start = max(0, len(prefix) - MIN_FRAGMENT + 1)
    grams = {secret[i : i + MIN_FRAGMENT] for i in range(start, len(secret) - MIN_FRAGMENT + 1)}
    covered = [False] * len(text)
    for i in range(len(text) - MIN_FRAGMENT + 1):
        if text[i : i + MIN_FRAGMENT] in grams:
            for j in range(i, i + MIN_FRAGMENT):
                covered[j] = True
    out = []
    for i, ch in enumerate(text):
        if not covered[i]:
            out.append(ch)
        elif i == 0 or not covered[i - 1]:
            out.append(MASK)
    return "".join(out)


@st.composite
def key_and_echo(draw: st.DrawFn) -> tuple[str, str]:
    """A key (with or without a public prefix) and a text quoting any part of it among other characters."""
    prefix = draw(st.sampled_from(["", *PREFIXES]))
    key = prefix + "".join(draw(st.lists(KEY_CHARS, min_size=1, max_size=60)))
    start = draw(st.integers(0, len(key)))
    end = draw(st.integers(start, len(key)))
    around = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x7E), max_size=30)
    return key, draw(around) + key[start:end] + draw(around) + key[: draw(st.integers(0, len(key)))]


@settings(max_examples=400, deadline=None)
@given(key_and_echo())
def test_the_quick_check_never_lets_a_fragment_through(case: tuple[str, str]) -> None:
    key, text = case
    assert Fragments(key).mask(text) == every_fragment_masked_reference(text, key)
    assert mask_fragments(text, key) == every_fragment_masked_reference(text, key)


def test_texts_without_any_part_of_the_key_come_back_as_they_are() -> None:
    for text in ("USD", "2026-12-01T00:00:00+00:00", "sk-proj-", "Personal", "balance 12.50 CNY", ""):
        assert Fragments(KEY).mask(text) == text


def test_a_key_echoed_in_a_good_answer_is_masked_in_every_field_even_split_in_two() -> None:
    """A provider that echoes the key whole in a note, its first half in the plan's name and its second half in
    the cache, and a part of it in an error's parameter: none of it stays in what is kept or shown."""
    half = len(KEY) // 2
    snapshot = Snapshot(
        account_id="a1",
        checked_at=datetime(2026, 12, 1, tzinfo=UTC),
        currency="USD",
        notes=(f"key {KEY} accepted", f"plan {KEY[:half]}"),
        flags=frozenset({KEY[half:]}),
    )
    result = FetchResult(
        "a1",
        snapshot=snapshot,
        error=FetchError(ErrorKind.AUTH, "Key rejected", LocalText("{said}", {"said": KEY[10:30]})),
        cache={"token": KEY[half:], KEY[3:20]: "name"},
    )
    out = scrubbed(result, [KEY])
    shown = repr(out)
    for i in range(8, len(KEY) - MIN_FRAGMENT + 1):  # every run of the key past its public prefix
        assert KEY[i : i + MIN_FRAGMENT] not in shown
    assert out.snapshot is not None
    assert out.snapshot.notes == (f"key {MASK} accepted", f"plan s{MASK}")  # "s": of the public prefix
    assert out.snapshot.currency == "USD"
    assert out.cache == {"token": MASK, MASK: "name"}


def test_a_result_with_nothing_of_the_key_is_the_very_same_object() -> None:
    snapshot = Snapshot(account_id="a1", checked_at=datetime(2026, 12, 1, tzinfo=UTC), notes=("fine",))
    result = FetchResult("a1", snapshot=snapshot, cache={"root": "http://127.0.0.1:8080/api"})
    out = scrubbed(result, [KEY])
    assert out.snapshot is snapshot
    assert out.cache is result.cache
