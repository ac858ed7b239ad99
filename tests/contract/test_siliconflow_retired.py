"""SiliconFlow's China balance endpoint, retired on 2026-08-14, and the international one that still answers.

Sources: SiliconFlow's release notes (docs.siliconflow.cn/docs/release-notes/overview, "接口服务调整：userinfo
接口将停止服务"), rikkahub/rikkahub#1811 (2026-08-28: "硅基流动查询余额返回 410", the notice cited), Chevey339/kelivo
67646fa7 and cuplivo/cuplivo#899 (2026-09: SiliconFlow balance lookup disabled by default, "官方已不再支持查余额"),
and issue 15 of this project: `GET api.siliconflow.cn/v1/user/info` answers HTTP 410 with code 20092 in
SiliconFlow's usual envelope (`{"code", "message", "status", "data"}`, docs.siliconflow.cn get-user-info). No
source found quotes the message text of that answer, so the tests do not depend on it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from pytest_httpserver import HTTPServer

from trayapp.core.errors import ProviderError
from trayapp.core.models import ErrorKind
from trayapp.providers import catalog
from trayapp.providers.siliconflow import PROVIDER

from .conftest import KEY, base, fetch, request_for

SF = "/v1/user/info"


def retired(message: str | None) -> dict[str, object]:
    body: dict[str, object] = {"code": 20092, "status": False, "data": None}
    if message is not None:
        body["message"] = message
    return body


@pytest.mark.parametrize("message", [None, f"user info api is offline ({KEY})"])
def test_410_with_code_20092_says_the_endpoint_was_retired(server: HTTPServer, message: str | None) -> None:
    """Was: "Request refused: SiliconFlow answered 410 …", which says nothing of why nor what to do."""
    server.expect_request(SF).respond_with_json(retired(message), status=410)
    with pytest.raises(ProviderError) as info:
        fetch("siliconflow", base(server, "/v1"), currency="CNY")
    err = info.value
    assert err.title == "Balance endpoint retired" and err.kind is ErrorKind.CONFIG
    assert "retired its balance endpoint for China accounts" in err.message and "2026-08-14" in err.message
    assert "GET /v1/user/info answered 410 (code 20092)" in err.message
    assert "no other SiliconFlow API is known" in err.message
    assert "api.siliconflow.com (international) are still read" in err.message
    assert KEY not in err.message
    if message:
        assert "user info api is offline" in err.message  # SiliconFlow's own words, scrubbed


def test_code_20092_in_a_200_envelope_is_the_same_retirement(server: HTTPServer) -> None:
    """SiliconFlow puts business codes in a 200 envelope elsewhere (code 30001, 余额不足); the retirement code
    is recognised there too rather than shown as a generic "reported an error"."""
    server.expect_request(SF).respond_with_json(retired(None))
    with pytest.raises(ProviderError) as info:
        fetch("siliconflow", base(server, "/v1"), currency="CNY")
    assert info.value.title == "Balance endpoint retired"
    assert "answered 200 (code 20092)" in info.value.message


def test_a_410_without_the_code_elsewhere_is_not_called_the_china_retirement(server: HTTPServer) -> None:
    """A 410 from another host (here a local mirror) without SiliconFlow's code keeps the shared message."""
    server.expect_request(SF).respond_with_data("gone", status=410, content_type="text/plain")
    with pytest.raises(ProviderError) as info:
        fetch("siliconflow", base(server, "/v1"), currency="CNY")
    assert info.value.title == "Request refused" and "410" in info.value.message


def test_which_answers_are_the_retirement() -> None:
    """By host, without sending anything: a 410 from api.siliconflow.cn is the retirement even if its body
    gives no code; a 410 from api.siliconflow.com (international, still served) is not."""
    china = request_for("siliconflow", "https://api.siliconflow.cn/v1")
    world = request_for("siliconflow", "https://api.siliconflow.com/v1")
    assert PROVIDER._is_retirement(china, 410, ())
    assert not PROVIDER._is_retirement(world, 410, ())
    assert PROVIDER._is_retirement(world, 410, ("20092",))  # SiliconFlow's own code is believed anywhere
    assert not PROVIDER._is_retirement(china, 404, ())


def test_the_international_answer_is_still_read(server: HTTPServer) -> None:
    """The documented answer (docs.siliconflow.com get-user-info) with the currency of siliconflow.com."""
    body = {
        "code": 20000,
        "message": "OK",
        "status": True,
        "data": {"id": "userid", "balance": "0.88", "chargeBalance": "88.00", "totalBalance": "88.88"},
    }
    server.expect_request(SF, headers={"Authorization": f"Bearer {KEY}"}).respond_with_json(body)
    snap = fetch("siliconflow", base(server, "/v1"), currency="USD").snapshot
    assert (snap.currency, snap.remaining) == ("USD", Decimal("88.88"))
    assert catalog.info("siliconflow").currency_for("https://api.siliconflow.com/v1") == "USD"
