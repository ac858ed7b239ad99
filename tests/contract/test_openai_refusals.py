"""OpenAI's refusals, as real users got them (bodies and sources in openai_server.py), through the real SDK and
transport: each carries OpenAI's own reason and advice that can help; a restricted key stays alive; a region
OpenAI does not serve is an error, whatever the endpoint."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.contract.openai_server import (
    ACCOUNT_DEACTIVATED,
    MISMATCHED_ORGANIZATION,
    MISSING_MODEL_READ,
    MISSING_RESPONSES_WRITE,
    NO_ORGANIZATION,
    REGION_NOT_SERVED,
    SESSION_KEY_ONLY,
    Answer,
    FakeOpenAI,
    credit_summary,
    me,
    serve,
    spend_limit,
)
from tests.contract.test_openai_provider import ADMIN, API, CHAT, GRANTS, LIMIT, ME, MODELS, SESSION, fetch
from trayapp.core.errors import ProviderError
from trayapp.core.models import ErrorKind


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    yield from serve()


def refused(server: FakeOpenAI, **kw: object) -> ProviderError:
    with pytest.raises(ProviderError) as caught:
        fetch(server, **kw)  # type: ignore[arg-type]
    return caught.value


def test_a_deactivated_account_is_not_told_to_make_a_new_key(server: FakeOpenAI) -> None:
    server.route("GET", ME, ACCOUNT_DEACTIVATED)
    err = refused(server)
    assert err.kind is ErrorKind.AUTH and err.title == "Account deactivated"
    assert "account this API key belongs to is deactivated (401)" in err.message
    assert "has been deactivated" in err.message  # OpenAI's own words
    assert "A new key will not help" in err.message and "another account" in err.message
    assert "mistyped" not in err.message and "create a new key" not in err.message.lower()


def test_a_revoked_key_is_told_to_make_a_new_one(server: FakeOpenAI) -> None:
    server.route(
        "GET",
        ME,
        Answer(
            401,
            {
                "error": {
                    "message": "Incorrect API key provided: sk-proj-****cdef. You can find your API key at "
                    "https://platform.openai.com/account/api-keys.",
                    "type": "invalid_request_error",
                    "param": None,
                    "code": "invalid_api_key",
                }
            },
        ),
    )
    err = refused(server)
    assert err.kind is ErrorKind.AUTH and err.title == "Key rejected"
    assert "revoked" in err.message and "create a new key" in err.message
    assert ".." not in err.message


def test_a_wrong_organization_is_not_a_bad_key(server: FakeOpenAI) -> None:
    server.route("GET", ME, MISMATCHED_ORGANIZATION)
    server.route("GET", MODELS, MISMATCHED_ORGANIZATION)
    err = refused(server)
    assert err.kind is ErrorKind.PERMISSION and err.title == "Wrong organization"
    assert "should match organization" in err.message and "proxy" in err.message
    assert "a new key will not help" in err.message.lower()


def test_no_organization_says_so(server: FakeOpenAI) -> None:
    server.route("GET", ME, NO_ORGANIZATION)
    err = refused(server)
    assert err.kind is ErrorKind.AUTH and err.title == "No organization"
    assert "not a member of any organization" in err.message and "invite" in err.message


def test_a_restricted_key_is_alive_on_every_poll(server: FakeOpenAI) -> None:
    """The first poll reads /v1/me; from the second on, /v1/models (401 Missing scopes) must not kill the key."""
    server.route("GET", ME, Answer(200, me()))
    server.route("GET", MODELS, MISSING_MODEL_READ)
    server.route("GET", GRANTS, SESSION_KEY_ONLY)
    first = fetch(server)
    second = fetch(server, cache=first.cache)
    assert server.count(MODELS) >= 1
    snap = second.snapshot
    assert snap.identity is not None and snap.identity.user_id == "user-ohfap0ky8lkatw97iskuhghv"
    assert snap.remaining is None and snap.unknown_reason
    assert any("lacks the scope api.model.read" in n for n in snap.notes), snap.notes


def test_a_restricted_key_without_me_falls_back_and_still_lives(server: FakeOpenAI) -> None:
    server.route("GET", ME, MISSING_MODEL_READ)
    server.route("GET", MODELS, MISSING_MODEL_READ)
    server.route("GET", GRANTS, SESSION_KEY_ONLY)
    snap = fetch(server).snapshot
    assert snap.remaining is None
    assert any("Missing permission" in n for n in snap.notes), snap.notes


def test_a_missing_scope_is_a_permission_error_naming_the_scope(server: FakeOpenAI) -> None:
    server.route("GET", ME, Answer(200, me()))
    server.route("GET", GRANTS, MISSING_RESPONSES_WRITE)
    err = refused(server, api=SESSION)
    assert err.kind is ErrorKind.PERMISSION and err.title == "Missing permission"
    assert "lacks the scope api.responses.write" in err.message and "Missing scopes" in err.message


def test_the_probe_of_a_restricted_key_is_refused_not_fatal(server: FakeOpenAI) -> None:
    server.route("GET", ME, Answer(200, me()))
    server.route("GET", MODELS, MISSING_MODEL_READ)
    server.route("GET", GRANTS, SESSION_KEY_ONLY)
    server.route("POST", CHAT, MISSING_RESPONSES_WRITE)
    snap = fetch(server, options={"probe": True}).snapshot
    assert any("refused (permission or model)" in n for n in snap.notes), snap.notes


@pytest.mark.parametrize("key", [API, SESSION])
def test_a_region_not_served_is_an_error_on_every_endpoint(server: FakeOpenAI, key: str) -> None:
    for path in (ME, MODELS, GRANTS, "/v1/dashboard/billing/subscription"):
        server.route("GET", path, REGION_NOT_SERVED)
    err = refused(server, api=key)
    assert err.kind is ErrorKind.PERMISSION and err.title == "Access denied"
    assert err.message.startswith("Access denied: the country or region is not served.")
    assert "Country, region, or territory not supported" in err.message and "5347006" in err.message


def test_a_region_not_served_on_the_admin_endpoints_is_an_error(server: FakeOpenAI) -> None:
    server.route("GET", LIMIT, REGION_NOT_SERVED)
    server.route("GET", "/v1/organization/costs", REGION_NOT_SERVED)
    err = refused(server, api=None, admin=ADMIN)
    assert err.title == "Access denied" and "country or region is not served" in err.message


def test_a_region_answer_after_a_good_identity_is_not_swallowed(server: FakeOpenAI) -> None:
    server.route("GET", ME, Answer(200, me()))
    server.route("GET", MODELS, REGION_NOT_SERVED)
    server.route("GET", GRANTS, Answer(200, credit_summary()))
    server.route("GET", LIMIT, Answer(200, spend_limit()))
    first = fetch(server)
    with pytest.raises(ProviderError) as caught:
        fetch(server, cache=first.cache)  # identity fresh: /v1/models is the liveness check
    assert caught.value.title == "Access denied"
