"""The shared HTTP layer through the real transport: refusals, redirects, size cap, timeouts, scrubbing."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from trayapp.core.errors import BadResponse, ProviderError
from trayapp.core.models import ErrorKind
from trayapp.providers import catalog
from trayapp.providers.http import MAX_BODY, get_json, retry_after_seconds, scrub

from .conftest import KEY, base, request_for

DS = catalog.info("deepseek")
PATH = "/user/balance"


def call(server: HTTPServer, *, timeout: float = 5.0, base_url: str | None = None, **kw: object) -> object:
    req = request_for("deepseek", base_url or base(server), timeout=timeout)
    return get_json(req, DS, PATH, **kw)  # type: ignore[arg-type]


def refused(server: HTTPServer, **kw: object) -> ProviderError:
    with pytest.raises(ProviderError) as info:
        call(server, **kw)
    err = info.value
    assert KEY not in str(err) and KEY not in err.message and KEY not in err.title
    return err


def test_sends_bearer_key_and_reads_json(server: HTTPServer) -> None:
    server.expect_request(PATH, method="GET", headers={"Authorization": f"Bearer {KEY}"}).respond_with_json(
        {"ok": 1.10}
    )
    answer = call(server)
    assert answer.body == {"ok": __import__("decimal").Decimal("1.10")}  # type: ignore[attr-defined]
    assert answer.endpoint == "GET /user/balance"  # type: ignore[attr-defined]


def test_401_is_auth_with_provider_message_and_no_key(server: HTTPServer) -> None:
    server.expect_request(PATH).respond_with_json(
        {"error": {"message": f"Authentication Fails, your api key: {KEY} is invalid", "type": "auth"}},
        status=401,
    )
    err = refused(server)
    assert err.kind is ErrorKind.AUTH
    assert err.title == "Key rejected"
    assert err.message.startswith("DeepSeek rejected the key (401): Authentication Fails")
    assert "***" in err.message


@pytest.mark.parametrize(
    ("status", "body", "sentence"),
    [
        # The wording issue 15 saw quoted as "Token is invalid..".
        (401, {"error": {"message": "Token is invalid.", "type": "auth"}}, "(401): Token is invalid. It may"),
        # OpenAI's well-known 401 text ends with a full stop after the URL.
        (
            401,
            {
                "error": {
                    "message": "Incorrect API key provided. You can find your API key at "
                    "https://platform.openai.com/account/api-keys.",
                    "type": "invalid_request_error",
                }
            },
            "/account/api-keys. It may",
        ),
        (403, {"message": "Access denied."}, "(403): Access denied."),
        (429, {"error": {"message": "Too many requests. "}}, "(429): Too many requests."),
        (
            500,
            {"error": {"message": "服务器繁忙，请稍后再试。"}},
            "on GET /user/balance: 服务器繁忙，请稍后再试. The last",
        ),
        (404, {"detail": "Not Found."}, "(404): Not Found; check"),
    ],
)
def test_a_quoted_message_ends_its_sentence_once(
    server: HTTPServer, status: int, body: dict[str, object], sentence: str
) -> None:
    server.expect_request(PATH).respond_with_json(body, status=status)
    err = refused(server)
    assert sentence in err.message, err.message
    assert ".." not in err.message and "。." not in err.message and ".;" not in err.message


def test_a_business_error_quote_ends_its_sentence_once(server: HTTPServer) -> None:
    # SiliconFlow's 200 envelope with a failing code; its messages end with a full stop.
    server.expect_request("/sf/v1/user/info").respond_with_json(
        {"code": 20015, "message": "Invalid token.", "status": False, "data": None}
    )
    req = request_for("siliconflow", base(server, "/sf/v1"), currency="CNY")
    with pytest.raises(ProviderError) as info:
        catalog.load("siliconflow").fetch(req)
    assert info.value.message == "GET /sf/v1/user/info answered code 20015: Invalid token.", info.value.message


def test_partial_key_echo_is_scrubbed(server: HTTPServer) -> None:
    server.expect_request(PATH).respond_with_json({"error": {"message": f"bad key {KEY[:20]}"}}, status=401)
    err = refused(server)
    assert KEY[:20] not in err.message


def test_403_is_permission(server: HTTPServer) -> None:
    server.expect_request(PATH).respond_with_json({"message": "region not supported"}, status=403)
    err = refused(server)
    assert err.kind is ErrorKind.PERMISSION
    assert "DeepSeek refused GET /user/balance" in err.message and "region not supported" in err.message


def test_402_is_quota(server: HTTPServer) -> None:
    server.expect_request(PATH).respond_with_json({"error": {"message": "Insufficient Balance"}}, status=402)
    err = refused(server)
    assert err.kind is ErrorKind.QUOTA and "credit is used up" in err.message


def test_429_rate_limit_honours_retry_after_seconds(server: HTTPServer) -> None:
    server.expect_request(PATH).respond_with_json(
        {"error": {"message": "Rate limit reached", "code": "rate_limit_exceeded"}},
        status=429,
        headers={"Retry-After": "120"},
    )
    err = refused(server)
    assert err.kind is ErrorKind.RATE_LIMITED
    assert err.retry_after == 120
    assert "wait 120 s" in err.message


def test_429_with_http_date_retry_after(server: HTTPServer) -> None:
    when = datetime.now(UTC) + timedelta(seconds=300)
    server.expect_request(PATH).respond_with_data(
        "slow down", status=429, headers={"Retry-After": format_datetime(when, usegmt=True)}
    )
    err = refused(server)
    assert err.kind is ErrorKind.RATE_LIMITED
    assert err.retry_after is not None and 290 <= err.retry_after <= 300


def test_429_insufficient_quota_is_quota(server: HTTPServer) -> None:
    server.expect_request(PATH).respond_with_json(
        {"error": {"message": "You exceeded your current quota", "code": "insufficient_quota"}}, status=429
    )
    err = refused(server)
    assert err.kind is ErrorKind.QUOTA


def test_5xx_is_server_error(server: HTTPServer) -> None:
    server.expect_request(PATH).respond_with_data("<html><title>502 Bad Gateway</title></html>", status=502)
    err = refused(server)
    assert err.kind is ErrorKind.SERVER
    assert "server error (502)" in err.message and "502 Bad Gateway" in err.message


def test_404_points_at_base_url(server: HTTPServer) -> None:
    server.expect_request(PATH).respond_with_data("not here", status=404)
    err = refused(server)
    assert err.kind is ErrorKind.CONFIG and "base URL" in err.message


def test_html_page_with_200_is_bad_response_naming_endpoint(server: HTTPServer) -> None:
    server.expect_request(PATH).respond_with_data(
        "<!doctype html><html><head><title>Login - Portal</title></head><body>x</body></html>",
        content_type="text/html",
    )
    err = refused(server)
    assert err.kind is ErrorKind.BAD_RESPONSE
    assert err.title == "Unexpected answer from DeepSeek"
    assert "GET /user/balance answered an HTML page: 'Login - Portal' instead of JSON" in err.message


def test_nan_is_not_json(server: HTTPServer) -> None:
    server.expect_request(PATH).respond_with_data('{"x": NaN}', content_type="application/json")
    assert refused(server).kind is ErrorKind.BAD_RESPONSE


def test_empty_body(server: HTTPServer) -> None:
    server.expect_request(PATH).respond_with_data("")
    err = refused(server)
    assert err.kind is ErrorKind.BAD_RESPONSE and "empty body" in err.message


def test_redirect_to_another_host_is_not_followed(server: HTTPServer, elsewhere: HTTPServer) -> None:
    target = f"http://localhost:{elsewhere.port}{PATH}"
    server.expect_request(PATH).respond_with_data("", status=302, headers={"Location": target})
    elsewhere.expect_request(PATH).respond_with_json({"stolen": True})
    err = refused(server)
    assert err.kind is ErrorKind.CONFIG and err.title == "Redirected"
    assert "to localhost" in err.message and "key was not sent there" in err.message
    assert elsewhere.log == []  # the other host saw nothing, let alone the Authorization header


def test_same_host_redirect_is_not_followed_either(server: HTTPServer) -> None:
    server.expect_request(PATH).respond_with_data("", status=301, headers={"Location": "/v2/user/balance"})
    server.expect_request("/v2/user/balance").respond_with_json({"ok": True})
    err = refused(server)
    assert err.title == "Redirected" and "127.0.0.1" in err.message
    assert [r.path for r, _ in server.log] == [PATH]


def test_oversize_body_is_refused(server: HTTPServer) -> None:
    big = json.dumps({"pad": "x" * (MAX_BODY + 10)})
    server.expect_request(PATH).respond_with_data(big, content_type="application/json")
    err = refused(server)
    assert err.kind is ErrorKind.BAD_RESPONSE and "more than 1024 KiB" in err.message


def test_oversize_streamed_body_without_length_is_refused(server: HTTPServer) -> None:
    def handler(_: Request) -> Response:
        def chunks():  # type: ignore[no-untyped-def]
            yield b'{"pad": "'
            for _ in range(300):
                yield b"y" * 8192
            yield b'"}'

        return Response(chunks(), content_type="application/json")

    server.expect_request(PATH).respond_with_handler(handler)
    err = refused(server)
    assert err.kind is ErrorKind.BAD_RESPONSE and "KiB" in err.message


def test_timeout_is_short_and_not_retried(server: HTTPServer) -> None:
    def slow(_: Request) -> Response:
        time.sleep(1.5)
        return Response("{}", content_type="application/json")

    server.expect_request(PATH).respond_with_handler(slow)
    started = time.monotonic()
    err = refused(server, timeout=0.4)
    assert time.monotonic() - started < 1.4
    assert err.kind is ErrorKind.TIMEOUT and "within 0.4 s" in err.message
    time.sleep(1.2)  # let the slow handler finish before the next test
    assert len(server.log) <= 1


def test_connection_refused_is_network() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    req = request_for("deepseek", f"http://127.0.0.1:{port}")
    with pytest.raises(ProviderError) as info:
        get_json(req, DS, PATH)
    assert info.value.kind is ErrorKind.NETWORK and "Could not reach DeepSeek at 127.0.0.1" in info.value.message


def test_plain_http_to_another_machine_is_refused_before_sending() -> None:
    req = request_for("deepseek", "http://api.deepseek.example")
    with pytest.raises(ProviderError) as info:
        get_json(req, DS, PATH)
    assert info.value.kind is ErrorKind.CONFIG and "plain http" in info.value.message


def test_https_to_loopback_without_certificate_fails_closed(server: HTTPServer) -> None:
    # The test server speaks plain http: a TLS handshake fails and nothing is sent in clear.
    req = request_for("deepseek", f"https://127.0.0.1:{server.port}")
    server.expect_request(PATH).respond_with_json({})
    with pytest.raises(ProviderError) as info:
        get_json(req, DS, PATH)
    assert info.value.kind is ErrorKind.NETWORK
    assert all(KEY not in str(r.headers) for r, _ in server.log)


def test_missing_secret_is_a_secret_error() -> None:
    req = request_for("deepseek", "http://127.0.0.1:9", secrets={})
    with pytest.raises(ProviderError) as info:
        get_json(req, DS, PATH)
    assert info.value.kind is ErrorKind.SECRET


def test_bad_response_names_provider_endpoint_and_field(server: HTTPServer) -> None:
    server.expect_request(PATH).respond_with_json({"data": {"limit": True}})
    answer = call(server)
    with pytest.raises(BadResponse) as info:
        answer.root().obj("data").decimal("limit")  # type: ignore[attr-defined]
    err = info.value
    assert err.title == "Unexpected answer from DeepSeek"
    assert err.message.startswith("GET /user/balance: field 'data.limit' is a boolean")
    assert err.provider == "deepseek" and err.kind is ErrorKind.BAD_RESPONSE


def test_retry_after_parsing() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert retry_after_seconds("30", now) == 30
    assert retry_after_seconds("Thu, 01 Jan 2026 00:01:00 GMT", now) == 60
    assert retry_after_seconds("Wed, 31 Dec 2025 00:00:00 GMT", now) == 0
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds(None, now) is None
    assert retry_after_seconds("99999999", now) == 24 * 3600


def test_scrub() -> None:
    assert scrub(f"key {KEY} end", [KEY]) == "key *** end"
    assert scrub("a\n\tb\x00c", []) == "a b c"
    assert len(scrub("x " * 500, [])) <= 160


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HTTPServer]:
    """A https server with a self-signed certificate that no trust store knows."""
    import ssl
    import subprocess

    d = tmp_path_factory.mktemp("tls")
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"),
            *("-keyout", str(d / "k.pem"), "-out", str(d / "c.pem")),
        ],
        check=True,
        capture_output=True,
    )
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(d / "c.pem", d / "k.pem")
    srv = HTTPServer(host="127.0.0.1", port=0, ssl_context=ctx, threaded=True)
    srv.start()
    yield srv
    srv.clear()
    srv.stop()


def test_untrusted_certificate_is_an_error_and_nothing_is_sent(tls_server: HTTPServer) -> None:
    tls_server.expect_request(PATH).respond_with_json({"ok": True})
    req = request_for("deepseek", f"https://127.0.0.1:{tls_server.port}")
    with pytest.raises(ProviderError) as info:
        get_json(req, DS, PATH)
    err = info.value
    assert err.kind is ErrorKind.NETWORK and err.title == "Certificate problem"
    assert "could not be verified" in err.message and KEY not in err.message
    assert tls_server.log == []  # the handshake failed: no request, no key


# ---------------------------------------------------------------- compressed answers: capped once inflated


def gzipped(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data, compresslevel=9)


def test_gzip_answer_is_read_decompressed(server: HTTPServer) -> None:
    body = gzipped(json.dumps({"ok": "yes", "pad": "z" * 5000}).encode())
    server.expect_request(PATH).respond_with_data(
        body, content_type="application/json", headers={"Content-Encoding": "gzip"}
    )
    answer = call(server)
    assert answer.body["ok"] == "yes"  # type: ignore[attr-defined]


def test_small_gzip_body_that_inflates_past_the_cap_is_refused(server: HTTPServer) -> None:
    bomb = gzipped(b'{"pad": "' + b"0" * (MAX_BODY * 8) + b'"}')
    assert len(bomb) < MAX_BODY // 50  # what crosses the wire is small: only the inflated size is over the cap
    server.expect_request(PATH).respond_with_data(
        bomb, content_type="application/json", headers={"Content-Encoding": "gzip"}
    )
    err = refused(server)
    assert err.kind is ErrorKind.BAD_RESPONSE and err.title == "Unexpected answer from DeepSeek"
    assert "more than 1024 KiB" in err.message


def test_gzip_error_page_is_cut_not_inflated_whole(server: HTTPServer) -> None:
    page = gzipped(b'{"error": {"message": "slow down"}, "pad": "' + b"1" * (MAX_BODY * 8) + b'"}')
    server.expect_request(PATH).respond_with_data(
        page, status=429, content_type="application/json", headers={"Content-Encoding": "gzip", "Retry-After": "7"}
    )
    err = refused(server)
    assert err.kind is ErrorKind.RATE_LIMITED and err.retry_after == 7  # read only as far as an error page needs


def test_a_request_elsewhere_than_the_base_url_is_not_sent(server: HTTPServer, elsewhere: HTTPServer) -> None:
    from trayapp.providers.http import Rules, http_client

    elsewhere.expect_request(PATH).respond_with_json({"stolen": True})
    rules = Rules(DS, base(server), KEY, (KEY,), 5.0)
    with http_client(rules) as client, pytest.raises(ProviderError) as info:
        client.get(f"http://127.0.0.1:{elsewhere.port}{PATH}")
    assert info.value.kind is ErrorKind.CONFIG and "not sent" in info.value.message
    assert elsewhere.log == []
