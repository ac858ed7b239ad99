"""The connection pools of the HTTP layer (providers/http.py `shared_pool`), as a fetch child's many accounts
use them: a plain-http pool (this machine only) loads no CA bundle and could never accept a certificate,
an https pool verifies against the system's trust, and the answers and refusals are what they were, whichever
order a fresh process meets its accounts in (the base URL checks are kept per process)."""

from __future__ import annotations

import ssl

import pytest
from pytest_httpserver import HTTPServer

from trayapp.core.errors import ProviderError
from trayapp.core.models import ErrorKind
from trayapp.providers import catalog
from trayapp.providers.http import get_json, shared_pool, ssl_context

from .conftest import KEY, base, request_for

DS = catalog.info("deepseek")


def pool_context(base_url: str, trust_env: bool) -> ssl.SSLContext:
    context = shared_pool(None, trust_env, base_url)._pool._ssl_context  # type: ignore[attr-defined]
    assert isinstance(context, ssl.SSLContext)
    return context


def test_a_plain_http_pool_trusts_no_certificate_at_all() -> None:
    context = pool_context("http://127.0.0.1:1/plain-pool", False)
    assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] == 0  # not even the system's CAs: no TLS could pass it
    assert context is pool_context("http://127.0.0.1:2/another", False)  # built once for all of them


def test_an_https_pool_verifies_against_the_system_trust() -> None:
    context = pool_context("https://api.deepseek.com", True)
    assert context is ssl_context(True)
    assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname


def test_a_base_url_refused_once_is_refused_again_and_a_good_one_still_answers(server: HTTPServer) -> None:
    server.expect_request("/user/balance").respond_with_json({"is_available": True, "balance_infos": []})
    for _ in range(2):  # the second time from what the process kept: the same refusal, not a pass
        with pytest.raises(ProviderError) as info:
            get_json(request_for("deepseek", "http://192.0.2.1:8080"), DS, "/user/balance")
        assert info.value.kind is ErrorKind.CONFIG and KEY not in info.value.message
        answer = get_json(request_for("deepseek", base(server)), DS, "/user/balance")
        assert answer.body == {"is_available": True, "balance_infos": []}
