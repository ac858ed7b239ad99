"""The core's translatable sentences (core/i18n.py): English as a value, any language when shown, and the same
after a trip through the fetch child's JSON and state.json. Old files and damaged translation data load as
English, never as an error."""

from __future__ import annotations

import copy
import json
import pickle
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer

from trayapp.core import codec, i18n
from trayapp.core.errors import BadResponse
from trayapp.core.i18n import LocalText, localize, tr
from trayapp.core.models import Account, AccountState, ErrorKind, FetchError, FetchResult, Settings, Snapshot
from trayapp.core.monitor import Monitor, view_json
from trayapp.fetch import Job, child_env, run_in_child
from trayapp.fetch.child import result_in, result_out
from trayapp.secrets.secret import Secret
from trayapp.storage.state import AppState, StateStore

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
KEY = "sk-i18n-CANARY-0123456789abcdef"


def nested_error() -> FetchError:
    """A BadResponse: a title with a parameter, a message whose `problem` is itself a LocalText with one."""
    err = BadResponse("DeepSeek", "GET /user/balance", "balance_infos", tr("is {kind}, not a list", kind=tr("text")))
    return err.to_fetch_error()


def test_a_local_text_is_its_english_sentence() -> None:
    text = tr("Could not reach {provider} at {host}: {reason}.", provider="DeepSeek", host="h", reason="refused")
    assert text == "Could not reach DeepSeek at h: refused." and isinstance(text, str)
    assert json.dumps({"m": text}) == '{"m": "Could not reach DeepSeek at h: refused."}'
    assert text.template == "Could not reach {provider} at {host}: {reason}." and text.params["host"] == "h"
    assert tr("{n} h", n=3).params == {"n": "3"}  # numbers are kept as the text shown


def test_localize_renders_nested_parts_in_the_language() -> None:
    err = nested_error()
    assert err.message == "GET /user/balance: field 'balance_infos' is text, not a list. The last good data is kept."
    assert localize(err.title, "ja") == "DeepSeek から予期しない応答"
    assert localize(err.message, "ja") == (
        "GET /user/balance: フィールド「balance_infos」がテキストで、リストではありません。"
        "最後に取得できたデータを保持しています。"
    )
    assert localize(err.message, "en") == err.message and type(localize(err.message, "en")) is str


def test_plain_text_unknown_templates_and_unknown_languages_stay_english() -> None:
    assert localize("a plain sentence", "ja") == "a plain sentence"
    assert localize(None, "ja") is None
    assert localize(tr("not in any catalog {x}", x="1"), "ja") == "not in any catalog 1"
    assert localize(tr("Key missing"), "fr") == "Key missing"
    # Known outside, unknown inside: the known part is translated, the rest stays as it was.
    assert (
        localize(tr("{provider} could not be read", provider=tr("no entry")), "ja") == "no entry を読み取れませんでした"
    )


def test_a_catalog_entry_that_does_not_fit_falls_back_to_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(i18n.catalog("ja"), "Plan: {plan}.", "プラン: {plan_name}。")  # type: ignore[index]
    assert localize(tr("Plan: {plan}.", plan="Free"), "ja") == "Plan: Free."


def test_copies_and_pickles_keep_the_template() -> None:
    text = nested_error().message
    for again in (copy.copy(text), copy.deepcopy(text), pickle.loads(pickle.dumps(text))):
        assert isinstance(again, LocalText) and again == text
        assert localize(again, "ja") == localize(text, "ja")


def test_concatenation_loses_the_template_which_is_why_sentences_nest() -> None:
    assert not isinstance(tr("Key missing") + ".", LocalText)
    assert not isinstance(f"{tr('Key missing')}", LocalText)


# ---------------------------------------------------------------- the codec: fetch child JSON and state.json


def snapshot_with_texts() -> Snapshot:
    return Snapshot(
        "a",
        NOW,
        currency="USD",
        unknown_reason=tr("the provider does not report it"),
        notes=("a plain note", tr("Monthly usage limit: {amount}.", amount="120.00 USD")),
    )


def test_error_and_snapshot_texts_survive_the_fetch_child_json() -> None:
    result = FetchResult("a", error=nested_error())
    back = result_in(json.loads(json.dumps(result_out(result))))
    assert back.error == result.error
    assert back.error is not None and localize(back.error.message, "ja") == localize(result.error.message, "ja")  # type: ignore[union-attr]
    assert isinstance(back.error.title, LocalText)
    snap = result_in(json.loads(json.dumps(result_out(FetchResult("a", snapshot=snapshot_with_texts()))))).snapshot
    assert snap == snapshot_with_texts()
    assert snap is not None and localize(snap.unknown_reason, "ja") == "プロバイダーが報告していません"
    assert [localize(n, "ja") for n in snap.notes] == ["a plain note", "月間の利用上限: 120.00 USD。"]


def test_texts_survive_state_json_and_plain_old_state_still_loads(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state.json")
    state = AppState(accounts={"a": AccountState(last_good=snapshot_with_texts(), last_error=nested_error())})
    store.save(state)
    raw = json.loads((tmp_path / "state.json").read_text())
    saved = raw["accounts"]["a"]
    assert saved["last_error"]["message"] == nested_error().message  # English where it always was
    assert saved["last_error"]["i18n"]["message"]["p"]["problem"]["t"] == "is {kind}, not a list"
    loaded = store.load().accounts["a"]
    assert loaded.last_error is not None and localize(loaded.last_error.title, "ja") == "DeepSeek から予期しない応答"
    assert loaded.last_good is not None and localize(loaded.last_good.notes[1], "ja").startswith("月間の利用上限")
    # A state file from before translations: no "i18n" anywhere.
    for part in (saved["last_error"], saved["last_good"]):
        part.pop("i18n")
    (tmp_path / "state.json").write_text(json.dumps(raw))
    problems: list[str] = []
    old = store.load(problems).accounts["a"]
    assert problems == [] and old.last_error == nested_error() and old.last_good == snapshot_with_texts()
    assert old.last_error is not None and localize(old.last_error.message, "ja") == nested_error().message


ENGLISH = "GET /x: field 'f' is missing. The last good data is kept."
GOOD = {
    "t": "{endpoint}: field '{field}' {problem}. The last good data is kept.",
    "p": {"endpoint": "GET /x", "field": "f", "problem": {"t": "is missing", "p": {}}},
}


@pytest.mark.parametrize(
    "damaged",
    [
        "not an object",
        [],
        {"t": 3, "p": {}},
        {"t": "{a}", "p": []},
        {"t": "{a}", "p": {"a": 7}},
        {"t": "{a}", "p": {}},  # a placeholder without its value
        {"t": "{a.__class__}", "p": {"a": ENGLISH}},  # only plain {name} fields
        {"t": "{a!r}", "p": {"a": ENGLISH}},
        {"t": "{a:>200}", "p": {"a": ENGLISH}},
        {"t": "{a}" * 50, "p": {"a": ENGLISH}},  # would render far longer than the text it claims to be
        {"t": "something else entirely", "p": {}},  # does not render to the stored English
        {**GOOD, "p": {**GOOD["p"], "field": "g"}},  # type: ignore[dict-item]
        {"t": "{a}", "p": {"a": {"t": "{a}", "p": {"a": {"t": "{a}", "p": {"a": {}}}}}}},
    ],
)
def test_damaged_translation_data_leaves_the_english_text(damaged: Any) -> None:
    error = {"kind": "bad_response", "title": "T", "message": ENGLISH, "i18n": {"message": damaged, "title": damaged}}
    back = codec.error_in(error)
    assert back is not None and back.message == ENGLISH and type(back.message) is str
    assert localize(back.message, "ja") == ENGLISH
    assert localize(codec.error_in({**error, "i18n": {"message": GOOD}}).message, "ja").startswith("GET /x: フィールド")  # type: ignore[union-attr]


def test_deep_nesting_in_a_file_is_refused_not_recursed() -> None:
    data: Any = {"t": "x", "p": {}}
    for _ in range(10_000):
        data = {"t": "{a}", "p": {"a": data}}
    assert i18n.decode("x", data) == "x" and type(i18n.decode("x", data)) is str


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["t", "p", "a", "b"]), inner, max_size=3)
    ),
    max_leaves=20,
)


@settings(max_examples=400, derandomize=True, database=None, deadline=None)
@given(i18n_part=json_values, english=st.text(max_size=30))
def test_any_i18n_data_in_a_file_loads_without_error(i18n_part: Any, english: str) -> None:
    error = codec.error_in({"kind": "auth", "title": english, "message": english, "i18n": i18n_part})
    assert error is not None and error.title == english and error.message == english
    snap = codec.snapshot_in({"account_id": "a", "checked_at": "2026-01-01T00:00:00+00:00", "unknown_reason": english,
                              "notes": [english, english], "i18n": i18n_part})  # fmt: skip
    assert snap.unknown_reason == english and list(snap.notes) == [english, english]
    for value in (error.title, error.message, snap.unknown_reason):
        assert localize(value, "ja") is not None


def test_check_json_stays_english() -> None:
    account = Account("a", "deepseek", "A", NOW)
    monitor = Monitor([account], Settings(), lang="ja")
    monitor.apply([FetchResult("a", error=nested_error())], NOW)
    monitor.apply([FetchResult("a", snapshot=snapshot_with_texts())], NOW)
    monitor.apply([FetchResult("a", error=nested_error())], NOW)
    data = json.loads(json.dumps(view_json(monitor.views(NOW)[0])))
    assert data["error"] == {"title": "Unexpected answer from DeepSeek", "message": nested_error().message}
    assert data["unknown_reason"] == "the provider does not report it"
    assert data["notes"][1] == "Monthly usage limit: 120.00 USD." and "i18n" not in data


def test_a_real_error_from_the_fetch_child_is_shown_in_japanese(httpserver: HTTPServer) -> None:
    """The child process (`python -m trayapp.fetch`) meets a 401 from a loopback server; the parent gets an
    error it can show in Japanese, the key scrubbed from the quoted answer."""
    httpserver.expect_request("/user/balance").respond_with_json(
        {"error": {"message": f"Authentication Fails ({KEY[:20]}... is invalid)"}}, status=401
    )
    account = Account("ds", "deepseek", "DS", NOW, base_url=httpserver.url_for("").rstrip("/"))
    [result] = run_in_child([Job(account, {"api": Secret(KEY)})], NOW, "s" * 16, timeout=5, env=child_env())
    assert result.error is not None and result.error.kind is ErrorKind.AUTH
    assert result.error.message.startswith("DeepSeek rejected the key (401): Authentication Fails")
    ja = localize(result.error.message, "ja")
    assert ja.startswith("DeepSeek がキーを拒否しました（401）：Authentication Fails") and ja.endswith(
        "可能性があります。"
    )
    assert localize(result.error.title, "ja") == "キーが拒否されました"
    assert KEY[8:20] not in ja and KEY[8:20] not in json.dumps(codec.error_out(result.error))
