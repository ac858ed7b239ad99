"""Every provider's parser against hostile answers (hypothesis, derandomized): wrong types, missing and extra
fields, NaN/inf/huge/negative numbers, numbers as text, empty bodies, HTML, truncated JSON.

Each answer goes through the shared layer's own JSON reading (`http.parse_json`, as on the wire) into the
provider's real `fetch` (only the socket is replaced), or into OpenAI's parse functions. The outcome is a
ProviderError, or a snapshot whose numbers equal what the payload says, computed here independently.
Anything else escaping is a failure.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reliability.counts import record
from tests.reliability.providers import BY_NAME, request
from tests.support.i18n import assert_translatable
from trayapp.core.errors import ProviderError
from trayapp.core.models import Snapshot
from trayapp.providers import catalog, http
from trayapp.providers.openai import parse as oparse

EXAMPLES = int(os.environ.get("TRAYAPP_FUZZ_EXAMPLES", "2000"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
NUMBER_TEXT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


class Malformed(Exception):
    """The oracle's verdict: this payload holds no trustworthy number here."""


def num(value: Any, *, negative: bool = True, text: bool = True) -> Decimal:
    """A payload value as the documented contract reads it (independent of the app's code)."""
    if isinstance(value, bool) or value is None:
        raise Malformed
    if isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, float):
        d = Decimal(repr(value))
    elif isinstance(value, Decimal):
        d = value
    elif isinstance(value, str) and text and NUMBER_TEXT.fullmatch(value.strip()):
        d = Decimal(value.strip())
    else:
        raise Malformed
    if not d.is_finite() or abs(d) >= Decimal("1e12") or (d < 0 and not negative):
        raise Malformed
    return d


def opt(data: Mapping[str, Any], key: str, **kw: Any) -> Decimal | None:
    return None if data.get(key) is None else num(data[key], **kw)


# ---------------------------------------------------------------- hostile values and shapes

amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
good_number = st.one_of(amounts.map(str), amounts.map(float), st.integers(0, 10**9))
hostile = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["1e400", "NaN", "-0", "１２", "1_000", " 5 ", "0x10", "1e-400", "Infinity", "-3.5", "", "1e11"]),
    st.sampled_from(["1e999999999", "9" * 40, "-1e12", "0.000000000000000001", "1E+5"]),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    amounts.map(lambda d: str(-d)),
    amounts.map(lambda d: -float(d)),
)


def mutate(draw: Callable[..., Any], value: Any, depth: int = 0) -> Any:
    """A valid payload, bent: values replaced, keys dropped, keys added, lists emptied or doubled."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            action = draw(st.sampled_from(["keep", "keep", "keep", "mutate", "drop", "hostile"]))
            if action == "drop":
                continue
            out[k] = draw(hostile) if action == "hostile" else mutate(draw, v, depth + 1) if action == "mutate" else v
        if draw(st.booleans()):
            out[draw(st.text(max_size=8))] = draw(hostile)
        return out
    if isinstance(value, list):
        action = draw(st.sampled_from(["keep", "mutate", "empty", "double", "hostile"]))
        if action == "empty":
            return []
        if action == "double":
            return value + value
        if action == "hostile":
            return [draw(hostile)]
        return [mutate(draw, v, depth + 1) for v in value] if action == "mutate" else value
    return draw(hostile) if draw(st.booleans()) else value


def wire(draw: Callable[..., Any], payload: Any) -> bytes:
    """The payload as bytes on the wire, sometimes damaged."""
    text = json.dumps(payload, allow_nan=True)
    envelope = draw(st.sampled_from(["json"] * 7 + ["truncated", "html", "empty", "text", "array", "scalar"]))
    if envelope == "truncated":
        return text[: draw(st.integers(0, max(0, len(text) - 1)))].encode()
    if envelope == "html":
        return b"<html><head><title>Just a moment...</title></head><body>cf</body></html>"
    if envelope == "empty":
        return draw(st.sampled_from([b"", b"   ", b"\n"]))
    if envelope == "text":
        return draw(st.text(max_size=30)).encode()
    if envelope == "array":
        return json.dumps([payload]).encode()
    if envelope == "scalar":
        return json.dumps(draw(hostile), allow_nan=True).encode()
    return text.encode()


# ---------------------------------------------------------------- running a provider on bytes


def run_provider(monkeypatch: pytest.MonkeyPatch, name: str, bodies: Mapping[str, bytes]) -> Snapshot | None:
    """The provider's fetch with every request answered from `bodies` (by path suffix), through parse_json."""
    spec = BY_NAME[name]
    info = catalog.info(name)
    module = __import__(info.module, fromlist=["PROVIDER"])
    secrets = tuple(spec.secrets.values())

    def fake_get_json(request: Any, info_: Any, path: str, **kw: Any) -> http.JsonAnswer:
        endpoint = f"GET {path}"
        raw = next(body for suffix, body in bodies.items() if path.endswith(suffix))
        body = http.parse_json(info_, endpoint, 200, raw, "application/json", secrets)
        return http.JsonAnswer(info_, endpoint, body, {}, secrets)

    monkeypatch.setattr(module, "get_json", fake_get_json)
    try:
        outcome = module.PROVIDER.fetch(request(spec, f"http://127.0.0.1:9{spec.prefix}"))
    except ProviderError as exc:
        assert exc.title and exc.message
        assert all(s not in exc.message for s in secrets)
        assert_translatable(exc.title, exc.message)  # shown in the UI's language, never English by mistake
        return None
    assert_translatable(outcome.snapshot.unknown_reason, *outcome.snapshot.notes)
    return outcome.snapshot


def count(name: str, snapshot: Snapshot | None) -> None:
    record(f"fuzz.{name}.examples")
    record(f"fuzz.{name}.{'snapshots' if snapshot is not None else 'typed_errors'}")


def check_or_malformed(oracle: Callable[[], None]) -> None:
    try:
        oracle()
    except Malformed:
        raise AssertionError("a snapshot came out of a payload with a malformed number") from None


# ---------------------------------------------------------------- DeepSeek


def deepseek_payload() -> st.SearchStrategy[dict[str, Any]]:
    entry = st.fixed_dictionaries(
        {
            "currency": st.sampled_from(["CNY", "USD", "usd", "EUR", "", "CNYX"]),
            "total_balance": good_number,
            "granted_balance": good_number,
            "topped_up_balance": good_number,
        }
    )
    return st.fixed_dictionaries({"is_available": st.booleans(), "balance_infos": st.lists(entry, max_size=3)})


@FUZZ
@given(data=st.data())
def test_fuzz_deepseek(monkeypatch: pytest.MonkeyPatch, data: st.DataObject) -> None:
    payload = data.draw(deepseek_payload())
    if data.draw(st.booleans()):
        payload = mutate(data.draw, payload)
    snap = run_provider(monkeypatch, "deepseek", {"/user/balance": wire(data.draw, payload)})
    count("deepseek", snap)
    if snap is None or snap.remaining is None:
        return

    def oracle() -> None:
        entries = {str(e["currency"]).upper(): e for e in payload["balance_infos"]}
        e = entries[snap.currency]
        assert snap.remaining == num(e["total_balance"])
        assert snap.remaining_granted == num(e["granted_balance"], negative=False)
        assert snap.remaining_paid == num(e["topped_up_balance"])
        for b in snap.balances:
            assert b.remaining == num(entries[b.currency]["total_balance"])

    check_or_malformed(oracle)


# ---------------------------------------------------------------- Moonshot


@FUZZ
@given(data=st.data())
def test_fuzz_moonshot(monkeypatch: pytest.MonkeyPatch, data: st.DataObject) -> None:
    inner = st.fixed_dictionaries(
        {"available_balance": good_number, "voucher_balance": good_number, "cash_balance": good_number}
    )
    payload: Any = data.draw(
        st.fixed_dictionaries({"code": st.just(0), "status": st.just(True), "scode": st.just("0x0"), "data": inner})
    )
    if data.draw(st.booleans()):
        payload = mutate(data.draw, payload)
    snap = run_provider(monkeypatch, "moonshot", {"/users/me/balance": wire(data.draw, payload)})
    count("moonshot", snap)
    if snap is None:
        return

    def oracle() -> None:
        d = payload["data"]
        assert payload.get("code") in (None, 0, "0") and payload.get("status") is not False
        assert snap.remaining == num(d["available_balance"])
        assert snap.remaining_granted == opt(d, "voucher_balance", negative=False)
        cash = opt(d, "cash_balance")
        assert snap.remaining_paid == (None if cash is None else max(cash, Decimal(0)))

    check_or_malformed(oracle)


# ---------------------------------------------------------------- SiliconFlow


@FUZZ
@given(data=st.data())
def test_fuzz_siliconflow(monkeypatch: pytest.MonkeyPatch, data: st.DataObject) -> None:
    inner = st.fixed_dictionaries(
        {
            "id": st.text(max_size=10),
            "email": st.sampled_from(["a@b.c", "", "not-an-email"]),
            "balance": good_number,
            "chargeBalance": good_number,
            "totalBalance": good_number,
        }
    )
    payload: Any = data.draw(
        st.fixed_dictionaries(
            {"code": st.just(20000), "message": st.just("OK"), "status": st.just(True), "data": inner}
        )
    )
    if data.draw(st.booleans()):
        payload = mutate(data.draw, payload)
    snap = run_provider(monkeypatch, "siliconflow", {"/user/info": wire(data.draw, payload)})
    count("siliconflow", snap)
    if snap is None:
        return

    def oracle() -> None:
        d = payload["data"]
        assert str(payload.get("code")) == "20000" and payload.get("status") is not False
        assert snap.remaining == num(d["totalBalance"])
        assert snap.remaining_granted == opt(d, "balance", negative=False)
        assert snap.remaining_paid == opt(d, "chargeBalance")

    check_or_malformed(oracle)


# ---------------------------------------------------------------- OpenRouter (key and management key)


@FUZZ
@given(data=st.data())
def test_fuzz_openrouter(monkeypatch: pytest.MonkeyPatch, data: st.DataObject) -> None:
    key: Any = data.draw(
        st.fixed_dictionaries(
            {
                "data": st.fixed_dictionaries(
                    {
                        "limit": st.one_of(st.none(), good_number),
                        "limit_remaining": st.one_of(st.none(), good_number),
                        "usage": good_number,
                        "is_free_tier": st.booleans(),
                        "limit_reset": st.sampled_from([None, "monthly"]),
                        "expires_at": st.sampled_from([None, "2027-01-01T00:00:00Z"]),
                    }
                )
            }
        )
    )
    credits: Any = data.draw(
        st.fixed_dictionaries(
            {"data": st.fixed_dictionaries({"total_credits": good_number, "total_usage": good_number})}
        )
    )
    if data.draw(st.booleans()):
        key = mutate(data.draw, key)
    if data.draw(st.booleans()):
        credits = mutate(data.draw, credits)
    bodies = {"/key": wire(data.draw, key), "/credits": wire(data.draw, credits)}
    snap = run_provider(monkeypatch, "openrouter", bodies)
    count("openrouter", snap)
    if snap is None:
        return

    def oracle() -> None:
        d = key["data"]
        limit, usage = opt(d, "limit", negative=False), opt(d, "usage", negative=False)
        key_left, window_unknown = None, False
        if limit is not None:
            left = opt(d, "limit_remaining")
            if left is not None:
                key_left = left
            elif d.get("limit_reset"):  # resets, and this key has no usage_* of its window: unknown
                window_unknown = True
            else:
                key_left = limit - num(usage)
        c = credits["data"]
        total, spent = num(c["total_credits"], negative=False), num(c["total_usage"], negative=False)
        # /credits zeros that the key contradicts (it has usage, or is not free tier) are no balance.
        doubtful = total == 0 and spent == 0 and ((usage or 0) > 0 or d.get("is_free_tier") is False)
        balance = None if doubtful else total - spent
        expected: Decimal | None = None
        if not window_unknown:
            candidates = [x for x in (key_left, balance) if x is not None]
            expected = min(candidates) if candidates else None
        assert snap.remaining == expected
        assert snap.used == usage

    check_or_malformed(oracle)


# ---------------------------------------------------------------- OpenAI-compatible relays


@FUZZ
@given(data=st.data())
def test_fuzz_relay(monkeypatch: pytest.MonkeyPatch, data: st.DataObject) -> None:
    sub: Any = data.draw(
        st.fixed_dictionaries(
            {
                "hard_limit_usd": st.one_of(good_number, st.just(100000000)),
                "access_until": st.one_of(st.just(0), st.integers(-5, 2**40)),
                "object": st.just("billing_subscription"),
            }
        )
    )
    usage: Any = data.draw(st.fixed_dictionaries({"total_usage": good_number}))
    if data.draw(st.booleans()):
        sub = mutate(data.draw, sub)
    if data.draw(st.booleans()):
        usage = mutate(data.draw, usage)
    # The relay's program, from /api/status (relay.py): its dashboard figures mean different things.
    program = data.draw(st.sampled_from(["none", "new-api", "one-api-sum", "one-api-remaining"]))
    status = {
        "none": b"<html><title>relay</title></html>",
        "new-api": b'{"success": true, "data": {"quota_per_unit": 500000, "enable_drawing": true}}',
        "one-api-sum": b'{"success": true, "data": {"version": "v0.5.11", "quota_per_unit": 500000}}',
        "one-api-remaining": b'{"success": true, "data": {"version": "v0.6.10", "quota_per_unit": 500000}}',
    }[program]
    bodies = {
        "/api/usage/token": b"<html><title>relay</title></html>",  # no such route: the dashboard is read
        "/api/status": status,
        "/subscription": wire(data.draw, sub),
        "/usage": wire(data.draw, usage),
    }
    snap = run_provider(monkeypatch, "openai-compatible", bodies)
    count("openai-compatible", snap)
    if snap is None:
        return

    def oracle() -> None:
        hard = num(sub["hard_limit_usd"], negative=False)
        used = num(usage["total_usage"], negative=False) / 100
        until = sub.get("access_until") or 0
        expected: Decimal | None
        if hard >= 100000000:
            expected = None
        elif until > 0 or program in ("new-api", "one-api-sum") or used == 0:
            expected = hard - used if hard >= used else None  # never a negative from the subtraction
        elif hard <= used and program == "one-api-remaining":
            expected = hard  # the limit is already what is left
        else:
            expected = None  # cannot be told: unknown
        assert snap.remaining == expected
        assert snap.used == (used if expected is not None or hard >= 100000000 else None)
        assert (snap.remaining is None) == (snap.unknown_reason is not None)

    check_or_malformed(oracle)


# ---------------------------------------------------------------- OpenAI (parse functions)


def openai_body(draw: Callable[..., Any], payload: Any) -> Any:
    """As the OpenAI client reads it: the shared layer's JSON reading of the wire bytes (Decimal, no NaN)."""
    return http.parse_json(catalog.info("openai"), "GET /x", 200, wire(draw, payload), "application/json", ())


def ts() -> st.SearchStrategy[Any]:
    return st.one_of(st.integers(1_600_000_000, 1_900_000_000), st.floats(1.6e9, 1.9e9))


@FUZZ
@given(data=st.data())
def test_fuzz_openai(data: st.DataObject) -> None:
    grant = st.fixed_dictionaries(
        {"grant_amount": good_number, "used_amount": good_number, "effective_at": ts(), "expires_at": ts()}
    )
    which = data.draw(st.sampled_from(["grants", "summary", "costs", "spend", "me", "subscription"]))
    payload: Any
    if which == "grants":
        payload = {"object": "credit_summary", "grants": {"data": data.draw(st.lists(grant, max_size=4))}}
    elif which == "summary":
        payload = {"total_granted": data.draw(good_number), "total_available": data.draw(good_number)}
    elif which == "costs":
        bucket = st.fixed_dictionaries(
            {
                "start_time": ts(),
                "results": st.lists(
                    st.fixed_dictionaries(
                        {"amount": st.fixed_dictionaries({"value": good_number, "currency": st.just("usd")})}
                    ),
                    max_size=3,
                ),
            }
        )
        payload = {"data": data.draw(st.lists(bucket, max_size=3)), "has_more": False, "next_page": None}
    elif which == "spend":
        payload = {"threshold_amount": data.draw(good_number), "enforcement": {"status": "enforcing"}}
    elif which == "me":
        payload = {"id": "user-1", "created": data.draw(ts()), "email": "a@b.c", "orgs": {"data": [{"id": "org-1"}]}}
    else:
        payload = {"hard_limit_usd": data.draw(good_number), "access_until": data.draw(ts()), "plan": {"id": "free"}}
    if data.draw(st.booleans()):
        payload = mutate(data.draw, payload)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    try:
        body = openai_body(data.draw, payload)  # what is not JSON is a typed error here
        if which in ("grants", "summary"):
            totals = oparse.grant_totals(oparse.parse_credit_grants(body, "GET /credit_grants"), now)
            result: Any = totals
        elif which == "costs":
            result = oparse.parse_costs_page(body)
        elif which == "spend":
            result = oparse.parse_spend_limit(body)
        elif which == "me":
            result = oparse.parse_me(body, "salt")
        else:
            result = oparse.parse_subscription(body)
    except ProviderError as exc:
        assert_translatable(exc.title, exc.message)
        record("fuzz.openai.examples")
        record("fuzz.openai.typed_errors")
        return
    record("fuzz.openai.examples")
    record("fuzz.openai.snapshots")

    def oracle() -> None:
        if which in ("grants", "summary"):
            if body.get("grants") is not None and body["grants"]["data"]:
                left = Decimal(0)
                for g in body["grants"]["data"]:
                    expires = g.get("expires_at")
                    if expires is None or datetime.fromtimestamp(float(expires), UTC) > now:
                        left += max(Decimal(0), num(g["grant_amount"], negative=False) - num(g["used_amount"]))
                assert result.remaining == left
            else:  # no grants listed: the totals, as given (None: not known)
                assert result.remaining == opt(body, "total_available")
        elif which == "costs":
            for (_, total), bucket in zip(result.buckets, body["data"], strict=True):
                assert total == sum((num(r["amount"]["value"]) for r in bucket.get("results", [])), Decimal(0))
        elif which == "spend" and body.get("threshold_amount") is not None:
            assert result.threshold_usd == num(body["threshold_amount"]) / 100
        elif which == "subscription" and body.get("hard_limit_usd") is not None:
            assert result.hard_limit_usd == num(body["hard_limit_usd"])

    check_or_malformed(oracle)


# ---------------------------------------------------------------- a smaller number over real loopback HTTP

PAYLOADS = {
    "deepseek": ("/user/balance", deepseek_payload()),
    "moonshot": ("/users/me/balance", st.just({"code": 0, "status": True, "data": {"available_balance": "1.5"}})),
    "siliconflow": ("/user/info", st.just({"code": 20000, "status": True, "data": {"totalBalance": "2"}})),
    "openrouter": ("/key", st.just({"data": {"limit": 5, "limit_remaining": "1.25", "usage": 3.75}})),
}


@pytest.fixture(scope="module")
def wire_server() -> Any:
    from tests.reliability.server import serve

    yield from serve()


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_fuzz_over_loopback_http(wire_server: Any, name: str) -> None:
    from tests.reliability.server import Reply

    spec = BY_NAME[name]
    _path, strategy = PAYLOADS[name]

    @settings(max_examples=60, derandomize=True, deadline=None, database=None)
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        payload = mutate(data.draw, data.draw(strategy)) if data.draw(st.booleans()) else data.draw(strategy)
        raw = wire(data.draw, payload)
        status = data.draw(st.sampled_from([200] * 6 + [400, 401, 403, 404, 429, 500, 503]))
        ctype = data.draw(st.sampled_from(["application/json", "text/html", "text/plain", ""]))
        wire_server.handler = lambda seen: Reply(status, raw, {"Content-Type": ctype} if ctype else {})
        try:
            catalog.load(name).fetch(request(spec, wire_server.url(spec.prefix)))
        except ProviderError as exc:
            assert exc.title and exc.message
            assert_translatable(exc.title, exc.message)
            assert status == 200 or exc.kind.value != "bad_response" or status not in (401, 403, 429)
        else:
            assert status == 200
        record(f"fuzz.{name}.over_http")

    run()
