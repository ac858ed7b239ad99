"""Every provider's declarative entry (defaults, currency, billing page, which keys, what is knowable),
gathered from the modules the registry names: each module declares its own `INFO`.

Importing this module imports every registered provider module, which must stay cheap (registry.py).
"""

from __future__ import annotations

from ..core.i18n import tr_noop
from . import registry
from .base import Provider, ProviderInfo, SecretSpec

# OpenAI's entry is still written here: its module imports the openai SDK at import time.
OPENAI = ProviderInfo(
    name="openai",
    display_name="OpenAI",
    module="trayapp.providers.openai",
    default_base_url="https://api.openai.com/v1",
    default_currency="USD",
    billing_url="https://platform.openai.com/settings/organization/billing/overview",
    secrets=(
        SecretSpec("api", tr_noop("API key"), hint=tr_noop("sk-…, sk-proj-…, or a session key sess-…")),
        SecretSpec(
            "admin",
            tr_noop("Admin key (optional)"),
            required=False,
            hint=tr_noop("sk-admin-…: reads the org's costs"),
            prefix="sk-admin-",
        ),
    ),
    reads=tr_noop("who the key belongs to (/v1/me); costs with an admin key; grants with a session key"),
    not_knowable=tr_noop("remaining credit with a normal key: OpenAI has no balance endpoint for API keys"),
    options=("probe",),
)


def _gather() -> dict[str, ProviderInfo]:
    found: dict[str, ProviderInfo] = {OPENAI.name: OPENAI}
    for module in registry.modules():
        entry: ProviderInfo = module.INFO
        if entry.name in found or entry.module != module.__name__:
            raise RuntimeError(f"{module.__name__}: INFO names {entry.name!r} in {entry.module!r}")
        found[entry.name] = entry
    return found


CATALOG: dict[str, ProviderInfo] = _gather()


class UnknownProvider(KeyError):
    pass


def info(name: str) -> ProviderInfo:
    try:
        return CATALOG[name]
    except KeyError:
        raise UnknownProvider(name) from None


def load(name: str) -> Provider:
    """The provider's fetch object (its module's `PROVIDER`)."""
    import importlib

    module = importlib.import_module(info(name).module)
    provider: Provider = module.PROVIDER
    return provider
