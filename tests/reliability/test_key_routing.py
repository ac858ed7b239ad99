"""Keys go only to their own host: no redirect carries them elsewhere, an admin key only to /organization/*,
https only (except loopback), and a certificate that cannot be verified is an error, never a fallback."""

from __future__ import annotations

import re
import ssl
import subprocess
from collections.abc import Iterator

import pytest

from tests.conftest import ROOT, CliRunner
from tests.reliability.counts import record
from tests.reliability.providers import SPECS, Spec, request
from tests.reliability.server import LoopServer, Reply, serve
from tests.reliability.test_canary import Canary
from trayapp.core.errors import ProviderError
from trayapp.core.models import ErrorKind
from trayapp.providers import catalog


@pytest.fixture(scope="module")
def elsewhere() -> Iterator[LoopServer]:
    yield from serve(lambda seen: Reply(200, {"stolen": True}))


@pytest.fixture(scope="module")
def origin() -> Iterator[LoopServer]:
    yield from serve()


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("spec", SPECS, ids=[s.name for s in SPECS])
def test_no_redirect_carries_a_key_to_another_host(
    origin: LoopServer, elsewhere: LoopServer, spec: Spec, status: int
) -> None:
    target = f"http://localhost:{elsewhere.port}/collect"
    origin.handler = lambda seen: Reply(status, b"", {"Location": target})
    asked, before = len(origin.seen), len(elsewhere.seen)
    with pytest.raises(ProviderError) as info:
        catalog.load(spec.name).fetch(request(spec, origin.url(spec.prefix)))
    assert info.value.kind is ErrorKind.CONFIG, info.value.message
    assert len(origin.seen) > asked, "the provider's own host was asked"
    assert len(elsewhere.seen) == before, "a redirect was followed"
    record("routing.redirects_refused")


def test_each_key_goes_only_where_it_belongs() -> None:
    """OpenAI: the admin key only to /organization/*, the normal key never there; every provider's keys only
    to its own base path; the OpenRouter management key only to /credits."""
    canary = Canary()
    canary.server.start()
    try:
        for spec, prefix in [
            (SPECS[0], "/ds"),
            (SPECS[1], "/ms/v1"),
            (SPECS[2], "/sf/v1"),
            (SPECS[3], "/or/api/v1"),
            (SPECS[4], "/relay"),
            (SPECS[5], "/oa/v1"),
        ]:
            catalog.load(spec.name).fetch(request(spec, canary.server.url(prefix)))
    finally:
        canary.server.stop()
    key_of = {f"Bearer {v}": (s.name, kind) for s in SPECS for kind, v in s.secrets.items()}
    prefixes = {"deepseek": "/ds/", "moonshot": "/ms/", "siliconflow": "/sf/", "openrouter": "/or/"}
    prefixes |= {"openai-compatible": "/relay/", "openai": "/oa/"}
    assert canary.server.seen
    for seen in canary.server.seen:
        assert seen.authorization in key_of, seen
        provider, kind = key_of[seen.authorization]
        assert seen.path.startswith(prefixes[provider]), (provider, seen.path)
        if provider == "openai":
            assert (kind == "admin") == seen.path.startswith("/oa/v1/organization/"), (kind, seen.path)
        if provider == "openrouter":
            assert (kind == "management") == (seen.path == "/or/api/v1/credits"), (kind, seen.path)
        record("routing.requests_checked")
    assert any(s.path.startswith("/oa/v1/organization/") for s in canary.server.seen)


@pytest.mark.parametrize("spec", SPECS, ids=[s.name for s in SPECS])
@pytest.mark.parametrize("url", ["http://example.com", "http://example.com:443/v1", "ftp://example.com/"])
def test_plain_http_to_another_machine_is_refused(spec: Spec, url: str) -> None:
    with pytest.raises(ProviderError) as info:
        catalog.load(spec.name).fetch(request(spec, url))
    assert info.value.kind is ErrorKind.CONFIG, info.value.message
    record("routing.insecure_urls_refused")


def test_cli_refuses_plain_http_base_url(cli: CliRunner) -> None:
    res = cli(
        *("accounts", "add", "--provider", "openai-compatible", "--label", "x"),
        *("--base-url", "http://example.com/v1", "--key-stdin"),
        stdin="sk-insecure-0123456789\n",
    )
    assert res.code != 0 and "https" in res.err
    assert (
        not (cli.config_dir / "config.json").exists()
        or "example.com" not in (cli.config_dir / "config.json").read_text()
    )
    record("routing.insecure_urls_refused")


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoopServer]:
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
    server = LoopServer(lambda seen: Reply(200, {"data": {}}), ssl_context=ctx).start()
    yield server
    server.stop()


@pytest.mark.parametrize("spec", SPECS, ids=[s.name for s in SPECS])
def test_self_signed_certificate_is_an_error_and_no_key_is_sent(tls_server: LoopServer, spec: Spec) -> None:
    with pytest.raises(ProviderError) as info:
        catalog.load(spec.name).fetch(request(spec, tls_server.url(spec.prefix, scheme="https")))
    assert info.value.kind is ErrorKind.NETWORK, info.value.message
    if spec.name != "openai":
        assert "certificate" in info.value.message.lower()
    assert tls_server.seen == []  # the handshake failed: no request, no key
    record("routing.bad_certificates_refused")


def test_no_code_turns_certificate_checks_off() -> None:
    pattern = re.compile(r"verify\s*=\s*False|CERT_NONE|check_hostname\s*=\s*False|_create_unverified_context")
    files = sorted((ROOT / "trayapp").rglob("*.py"))
    assert files
    offenders = [
        f"{p}:{n}" for p in files for n, line in enumerate(p.read_text().splitlines(), 1) if pattern.search(line)
    ]
    assert offenders == []
    record("routing.source_files_grepped", len(files))
