"""Provider modules are imported to read what they declare (the catalog, the dialog, the CLI): that must not
load the HTTP stack or the openai SDK, which are imported only when a request is made."""

from __future__ import annotations

import ast
import subprocess
import sys

HEAVY = ("httpx2", "httpcore2", "openai", "anyio", "pydantic", "ssl")


def loaded_after(imports: str) -> list[str]:
    code = f"import sys, {imports}; print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    names: list[str] = ast.literal_eval(out)
    return names


def test_http_layer_and_openai_provider_import_without_httpx2_or_the_sdk() -> None:
    modules = "trayapp.providers.http, trayapp.providers.openai, trayapp.providers.openai.parse, trayapp.secrets.keys"
    assert loaded_after(modules) == []


def test_the_check_sees_what_a_request_needs() -> None:
    """The check itself: the module that sends requests does load httpx2; the SDK only an admin key's poll
    loads (tests/unit/test_perf_child.py)."""
    assert set(loaded_after("trayapp.providers.openai.http")) & {"httpx2", "openai"} == {"httpx2"}
