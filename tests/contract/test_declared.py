"""Providers a user declares in `<config dir>/providers/<name>.toml` (providers/declared.py, issue 17), read through a
real loopback server: values and scale, RFC 6901 pointers, missing and odd values, business errors, expiry forms,
where the key goes, broken files, and the fetch child that is handed the declaration instead of reading files.

The answers served are real shapes: new-api's `GET /api/user/self` (QuantumNous/new-api controller/user.go GetSelf:
`{"success": true, "data": {"quota", "used_quota", ...}}`, refusals HTTP 200 `{"success": false, "message"}`,
middleware/auth.go), one-api's `/api/status` (songquanpeng/one-api controller/misc.go) and Vercel's AI Gateway
`/v1/credits` (`{"balance": "95.50", "total_used": "4.50"}`, decimal strings: vercel.com/docs/ai-gateway, read by
steipete/CodexBar docs/vercel.md).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from trayapp.core.errors import BadResponse, ProviderError
from trayapp.core.models import Account, ErrorKind
from trayapp.fetch import Job, child_env, prepare_jobs, run_in_child
from trayapp.providers import catalog, declared
from trayapp.secrets.secret import Secret
from trayapp.secrets.store import MemorySecretStore

from .conftest import KEY, NOW, base, fetch

D = Decimal


@pytest.fixture
def config_dir(tmp_path: Path) -> Iterator[Path]:
    """A config dir whose providers/ folder the test fills; the catalog is given back without them after."""
    (tmp_path / "providers").mkdir()
    yield tmp_path
    empty = tmp_path / "none"
    empty.mkdir(exist_ok=True)
    catalog.use_declared(empty)


def declare(config_dir: Path, name: str, text: str) -> list[str]:
    (config_dir / "providers" / f"{name}.toml").write_text(text, encoding="utf-8")
    return catalog.use_declared(config_dir)


def relay_file(server: HTTPServer, extra: str = "", path: str = "/api/user/self") -> str:
    # The issue's example, pointed at the loopback relay.
    return f"""
name = "My relay"
url = "{base(server, path)}"
auth = "bearer"
currency = "USD"
remaining = "/data/quota"
scale = 500000
used = "/data/used_quota"
error_when = {{ pointer = "/success", equals = false }}
error_message = "/message"
{extra}
"""


def user_self(**data: object) -> dict[str, object]:
    return {"success": True, "message": "", "data": {"id": 7, "email": "u@example.com", **data}}


def test_a_new_api_relays_balance_scaled(server: HTTPServer, config_dir: Path) -> None:
    assert declare(config_dir, "myrelay", relay_file(server)) == []
    server.expect_request("/api/user/self", headers={"Authorization": f"Bearer {KEY}"}).respond_with_json(
        user_self(quota=1250000, used_quota=250000)
    )
    snap = fetch("myrelay", None).snapshot
    assert (snap.remaining, snap.used, snap.currency) == (D("2.5"), D("0.5"), "USD")
    assert snap.remaining_granted is None and snap.expires_at is None
    assert catalog.info("myrelay").display_name == "My relay"


def test_the_account_currency_wins_and_a_currency_pointer_is_read(server: HTTPServer, config_dir: Path) -> None:
    declare(
        config_dir,
        "cnrelay",
        f'url = "{base(server, "/balance")}"\nremaining = "/data/left"\ncurrency_pointer = "/data/currency"\n',
    )
    server.expect_request("/balance").respond_with_json({"data": {"left": 12, "currency": "cny"}})
    assert fetch("cnrelay", None).snapshot.currency == "CNY"
    server.clear()
    server.expect_request("/balance").respond_with_json({"data": {"left": 12, "currency": "yuan!"}})
    with pytest.raises(BadResponse) as info:
        fetch("cnrelay", None)
    assert "/data/currency" in info.value.message and "cnrelay.toml" in info.value.message


def test_pointers_with_escapes_and_array_indexes(server: HTTPServer, config_dir: Path) -> None:
    # RFC 6901: ~1 is "/", ~0 is "~" (in that order), a number steps into a list.
    declare(
        config_dir,
        "escapes",
        f'url = "{base(server, "/b")}"\nremaining = "/a~1b/m~0n"\ngranted = "/wallets/1/amount"\npaid = "/~01"\n',
    )
    server.expect_request("/b").respond_with_json(
        {"a/b": {"m~n": "7.25"}, "wallets": [{"amount": 1}, {"amount": 2.5}], "~1": 4}
    )
    snap = fetch("escapes", None).snapshot
    assert (snap.remaining, snap.remaining_granted, snap.remaining_paid) == (D("7.25"), D("2.5"), D("4"))


def test_decimal_strings_as_vercel_sends_them(server: HTTPServer, config_dir: Path) -> None:
    declare(
        config_dir,
        "gateway",
        f'name = "Gateway"\nurl = "{base(server, "/v1/credits")}"\ncurrency = "USD"\n'
        'remaining = "/balance"\nused = "/total_used"\n',
    )
    server.expect_request("/v1/credits").respond_with_json({"balance": "95.50", "total_used": "4.50"})
    snap = fetch("gateway", None).snapshot
    assert (snap.remaining, snap.used) == (D("95.50"), D("4.50"))


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        ({"success": True, "data": {}}, "is missing"),
        ({"success": True, "data": None}, "is missing"),
        ({"success": True, "data": {"quota": None}}, "is null"),
        ({"success": True, "data": {"quota": "lots"}}, "not a number"),
        ({"success": True, "data": {"quota": True}}, "boolean"),
        ({"success": True, "data": {"quota": [1]}}, "not an amount"),
    ],
)
def test_a_missing_or_odd_value_is_an_error_naming_the_file_and_the_pointer_never_a_zero(
    server: HTTPServer, config_dir: Path, answer: object, problem: str
) -> None:
    declare(config_dir, "myrelay", relay_file(server))
    server.expect_request("/api/user/self").respond_with_json(answer)
    with pytest.raises(BadResponse) as info:
        fetch("myrelay", None)
    message = info.value.message
    assert "/data/quota" in message and "myrelay.toml" in message and problem in message
    assert info.value.kind is ErrorKind.BAD_RESPONSE


def test_an_optional_pointer_that_is_null_is_unknown_but_absent_is_an_error(
    server: HTTPServer, config_dir: Path
) -> None:
    declare(config_dir, "myrelay", relay_file(server, 'granted = "/data/gift"'))
    server.expect_request("/api/user/self").respond_with_json(user_self(quota=500000, used_quota=0, gift=None))
    snap = fetch("myrelay", None).snapshot
    assert snap.remaining == D("1") and snap.remaining_granted is None
    server.clear()
    server.expect_request("/api/user/self").respond_with_json(user_self(quota=500000, used_quota=0))
    with pytest.raises(BadResponse) as info:
        fetch("myrelay", None)
    assert "/data/gift" in info.value.message


def test_error_when_is_the_providers_business_error_scrubbed(server: HTTPServer, config_dir: Path) -> None:
    declare(config_dir, "myrelay", relay_file(server))
    # new-api middleware/auth.go: a wrong access token is HTTP 200 success false.
    server.expect_request("/api/user/self").respond_with_json(
        {"success": False, "message": f"无权进行此操作，access token 无效 ({KEY})"}
    )
    with pytest.raises(ProviderError) as info:
        fetch("myrelay", None)
    assert "access token 无效" in info.value.message and "/success=false" in info.value.message
    assert KEY not in info.value.message and "0123456789abcdef" not in info.value.message


def test_error_when_compares_true_and_1_apart(server: HTTPServer, config_dir: Path) -> None:
    declare(
        config_dir,
        "coded",
        f'url = "{base(server, "/b")}"\nremaining = "/balance"\nerror_when = {{ pointer = "/code", equals = 1 }}\n',
    )
    server.expect_request("/b").respond_with_json({"code": True, "balance": 3})
    assert fetch("coded", None).snapshot.remaining == D("3")
    server.clear()
    server.expect_request("/b").respond_with_json({"code": 1.0, "balance": 3})
    with pytest.raises(ProviderError):
        fetch("coded", None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1798761600, datetime(2027, 1, 1, tzinfo=UTC)),
        ("1798761600", datetime(2027, 1, 1, tzinfo=UTC)),
        ("2027-01-01T00:00:00Z", datetime(2027, 1, 1, tzinfo=UTC)),
        ("2027-01-01T09:00:00+09:00", datetime(2027, 1, 1, tzinfo=UTC)),
        ("2027-01-01", datetime(2027, 1, 1, tzinfo=UTC)),
        (0, None),  # new-api: 0 = never
        (-1, None),  # one-api tokens: -1 = never
        (None, None),
    ],
)
def test_expiry_forms(server: HTTPServer, config_dir: Path, value: object, expected: datetime | None) -> None:
    declare(config_dir, "myrelay", relay_file(server, 'expires_at = "/data/expired_time"'))
    server.expect_request("/api/user/self").respond_with_json(user_self(quota=500000, used_quota=0, expired_time=value))
    assert fetch("myrelay", None).snapshot.expires_at == expected


@pytest.mark.parametrize("value", ["soon", -5, True, 10**13])
def test_an_unreadable_expiry_is_an_error(server: HTTPServer, config_dir: Path, value: object) -> None:
    declare(config_dir, "myrelay", relay_file(server, 'expires_at = "/data/expired_time"'))
    server.expect_request("/api/user/self").respond_with_json(user_self(quota=500000, used_quota=0, expired_time=value))
    with pytest.raises(BadResponse) as info:
        fetch("myrelay", None)
    assert "/data/expired_time" in info.value.message


def test_a_header_auth_sends_the_key_there_only(server: HTTPServer, config_dir: Path) -> None:
    declare(
        config_dir,
        "keyed",
        f'url = "{base(server, "/v2/balance?unit=usd")}"\nauth = "header:X-Api-Key"\nremaining = "/balance"\n',
    )
    server.expect_request("/v2/balance", query_string="unit=usd").respond_with_json({"balance": 1})
    assert fetch("keyed", None).snapshot.remaining == D("1")
    (request, _) = server.log[0]
    assert request.headers["X-Api-Key"] == KEY and "Authorization" not in request.headers


def test_the_file_address_wins_over_the_accounts(server: HTTPServer, elsewhere: HTTPServer, config_dir: Path) -> None:
    declare(config_dir, "myrelay", relay_file(server))
    server.expect_request("/api/user/self").respond_with_json(user_self(quota=500000, used_quota=0))
    assert fetch("myrelay", base(elsewhere, "/api")).snapshot.remaining == D("1")
    assert elsewhere.log == []


def test_a_redirect_is_refused_and_the_key_goes_nowhere_else(
    server: HTTPServer, elsewhere: HTTPServer, config_dir: Path
) -> None:
    declare(config_dir, "myrelay", relay_file(server))

    def moved(request: Request) -> Response:
        return Response(status=302, headers={"Location": base(elsewhere, "/api/user/self")})

    server.expect_request("/api/user/self").respond_with_handler(moved)
    with pytest.raises(ProviderError) as info:
        fetch("myrelay", None)
    assert info.value.title == "Redirected" and elsewhere.log == []


def test_an_answer_too_large_is_refused(server: HTTPServer, config_dir: Path) -> None:
    declare(config_dir, "myrelay", relay_file(server))
    server.expect_request("/api/user/self").respond_with_data(
        '{"data": {"quota": 1, "pad": "' + "x" * (2 * 1024 * 1024) + '"}}', content_type="application/json"
    )
    with pytest.raises(ProviderError) as info:
        fetch("myrelay", None)
    assert "KiB" in info.value.message


# ---------------------------------------------------------------- broken files


BROKEN = {
    "badtoml": ('url = "https://relay.example.com/api"\nremaining = "/data/quota\n', "line 2"),
    "noremaining": ('url = "https://relay.example.com/api"\n', "'remaining' is missing"),
    "plainhttp": ('url = "http://relay.example.com/api"\nremaining = "/q"\n', "line 1"),
    "badpointer": ('url = "https://relay.example.com/api"\nremaining = "data/quota"\n', "not a JSON pointer"),
    "typo": ('url = "https://relay.example.com/api"\nremaining = "/q"\nscael = 100\n', "line 3"),
    "zeroscale": ('url = "https://relay.example.com/api"\nremaining = "/q"\nscale = 0\n', "greater than 0"),
    "badauth": ('url = "https://relay.example.com/api"\nremaining = "/q"\nauth = "basic"\n', "'auth'"),
    "openai": ('url = "https://relay.example.com/api"\nremaining = "/q"\n', "built-in provider"),
    "Bad Name": ('url = "https://relay.example.com/api"\nremaining = "/q"\n', "lower-case"),
    "hostauth": ('url = "https://relay.example.com/api"\nremaining = "/q"\nauth = "header:Host"\n', "line 3"),
    "both": (
        'url = "https://r.example.com/a"\nremaining = "/q"\ncurrency = "USD"\ncurrency_pointer = "/c"\n',
        "not both",
    ),
    "huge": ('url = "https://relay.example.com/api"\nremaining = "/q"\n' + "#" * 70000 + "\n", "KiB"),
}


def test_each_broken_file_is_reported_and_stops_nothing_else(server: HTTPServer, config_dir: Path) -> None:
    for name, (text, _) in BROKEN.items():
        (config_dir / "providers" / f"{name}.toml").write_text(text, encoding="utf-8")
    problems = declare(config_dir, "myrelay", relay_file(server))
    assert len(problems) == len(BROKEN)
    for name, (_, says) in BROKEN.items():
        (problem,) = [p for p in problems if f"{name}.toml" in p]
        assert says in problem, problem
    assert "myrelay" in catalog.CATALOG and catalog.info("openai").display_name == "OpenAI"
    assert not any(name in catalog.CATALOG for name in BROKEN if name != "openai")
    server.expect_request("/api/user/self").respond_with_json(user_self(quota=500000, used_quota=0))
    assert fetch("myrelay", None).snapshot.remaining == D("1")


def test_an_account_of_a_broken_provider_shows_the_files_problem(config_dir: Path) -> None:
    declare(config_dir, "myrelay", 'url = "https://relay.example.com/api"\nremaining = "/q\n')
    account = Account(id="a1", provider="myrelay", label="Relay", created_at=NOW, secret_kinds=("api",))
    jobs, failed = prepare_jobs([account], {}, MemorySecretStore({("a1", "api"): Secret(KEY)}))
    assert jobs == [] and failed[0].error is not None
    assert "myrelay.toml" in failed[0].error.message and "line 2" in failed[0].error.message


def test_a_file_fixed_is_read_again(server: HTTPServer, config_dir: Path) -> None:
    assert declare(config_dir, "myrelay", 'url = "https://relay.example.com/api"\n') != []
    assert declare(config_dir, "myrelay", relay_file(server)) == [] and "myrelay" in catalog.CATALOG
    (config_dir / "providers" / "myrelay.toml").unlink()
    assert catalog.use_declared(config_dir) == [] and "myrelay" not in catalog.CATALOG


# ---------------------------------------------------------------- the fetch child is handed the declaration


def test_the_fetch_child_reads_a_declared_provider_without_reading_its_file(
    server: HTTPServer, config_dir: Path
) -> None:
    declare(config_dir, "myrelay", relay_file(server))
    (config_dir / "providers" / "myrelay.toml").unlink()  # the child could not read it: it is given it
    server.expect_request("/api/user/self").respond_with_json(user_self(quota=750000, used_quota=0))
    account = Account(id="a1", provider="myrelay", label="Relay", created_at=NOW, secret_kinds=("api",))
    (result,) = run_in_child([Job(account, {"api": Secret(KEY)})], NOW, "salt", timeout=5, env=child_env())
    assert result.error is None and result.snapshot is not None
    assert result.snapshot.remaining == D("1.5")


# ---------------------------------------------------------------- the examples in docs/providers.md


DOCS = Path(__file__).resolve().parents[2] / "docs" / "providers.md"


def documented_examples() -> dict[str, str]:
    """The TOML examples of the docs' last section, by the file name each is given there."""
    section = DOCS.read_text(encoding="utf-8").partition("## Providers you declare")[2]
    # a file's name in backquotes, on the line before its ```toml block
    blocks = re.findall(r"`(?:[^`\n]*/)?([a-z0-9_-]+)\.toml`[^\n]*\n+```toml\n(.*?)```", section, re.S)
    return dict(blocks)


def test_the_documented_examples_are_valid_declarations() -> None:
    examples = documented_examples()
    assert set(examples) == {"aihubmix", "aigateway", "example"}
    for name, text in examples.items():
        declaration = declared.parse(name, f"{name}.toml", tomllib.loads(text), text)
        assert declaration.url.startswith("https://")
    assert declared.parse("aihubmix", "aihubmix.toml", tomllib.loads(examples["aihubmix"])).auth_header() == (
        "Authorization",
        "",
    )


def test_the_documented_illustration_reads_what_the_docs_say(server: HTTPServer, config_dir: Path) -> None:
    text = documented_examples()["example"].replace("https://api.example.com", base(server))
    declare(config_dir, "example", text)
    server.expect_request("/v1/wallet", query_string="detail=1", headers={"X-Api-Key": KEY}).respond_with_json(
        {
            "code": 0,
            "msg": "ok",
            "result": {
                "currency": "EUR",
                "wallet": {"cash/bonus": {"cash": 1250, "bonus": 300}},
                "left": 1550,
                "valid_until": "2027-03-31T23:59:59Z",
            },
        }
    )
    snap = fetch("example", None).snapshot
    assert (snap.currency, snap.remaining, snap.remaining_paid, snap.remaining_granted) == (
        "EUR",
        D("15.5"),
        D("12.5"),
        D("3"),
    )
    assert snap.expires_at == datetime(2027, 3, 31, 23, 59, 59, tzinfo=UTC)
    server.clear()
    server.expect_request("/v1/wallet").respond_with_json({"code": 1003, "msg": "key disabled"})
    with pytest.raises(ProviderError) as info:
        fetch("example", None)
    assert "key disabled" in info.value.message
