"""One declarative place per provider: defaults, currency, billing page, which keys, what is knowable.

Importing this module is cheap: provider code (and the HTTP stack) is imported only when polled.
"""

from __future__ import annotations

import importlib

from .base import Provider, ProviderInfo, SecretSpec

CATALOG: dict[str, ProviderInfo] = {
    info.name: info
    for info in (
        ProviderInfo(
            name="openai",
            display_name="OpenAI",
            module="trayapp.providers.openai",
            default_base_url="https://api.openai.com/v1",
            default_currency="USD",
            billing_url="https://platform.openai.com/settings/organization/billing/overview",
            secrets=(
                SecretSpec("api", "API key", hint="sk-…, sk-proj-…, or a session key sess-…"),
                SecretSpec(
                    "admin",
                    "Admin key (optional)",
                    required=False,
                    hint="sk-admin-…: reads the org's costs",
                    prefix="sk-admin-",
                ),
            ),
            reads="who the key belongs to (/v1/me); costs with an admin key; grants with a session key",
            not_knowable="remaining credit with a normal key: OpenAI has no balance endpoint for API keys",
            options=("probe",),
        ),
        ProviderInfo(
            name="openai-compatible",
            display_name="OpenAI-compatible relay (one-api / new-api)",
            module="trayapp.providers.relay",
            default_base_url=None,
            default_currency="USD",
            reads="the key's quota and usage (/v1/dashboard/billing/subscription and /usage)",
            not_knowable="the unit may be CNY on some relays: set the currency on the account",
        ),
        ProviderInfo(
            name="deepseek",
            display_name="DeepSeek",
            module="trayapp.providers.deepseek",
            default_base_url="https://api.deepseek.com",
            default_currency="CNY",
            billing_url="https://platform.deepseek.com/top_up",
            reads="balance per currency, granted vs topped-up (/user/balance)",
            not_knowable="when granted balance expires",
        ),
        ProviderInfo(
            name="moonshot",
            display_name="Moonshot / Kimi",
            module="trayapp.providers.moonshot",
            default_base_url="https://api.moonshot.cn/v1",
            default_currency=None,
            currency_by_host={"moonshot.cn": "CNY", "moonshot.ai": "USD"},
            billing_url="https://platform.moonshot.cn/console/account",
            reads="available, voucher and cash balance (/v1/users/me/balance)",
            not_knowable="when voucher credit expires",
        ),
        ProviderInfo(
            name="siliconflow",
            display_name="SiliconFlow",
            module="trayapp.providers.siliconflow",
            default_base_url="https://api.siliconflow.cn/v1",
            default_currency=None,
            currency_by_host={"siliconflow.cn": "CNY", "siliconflow.com": "USD"},
            billing_url="https://cloud.siliconflow.cn/expensebill",
            reads="total, paid and gift balance (/v1/user/info)",
            not_knowable="when gift credit expires",
        ),
        ProviderInfo(
            name="openrouter",
            display_name="OpenRouter",
            module="trayapp.providers.openrouter",
            default_base_url="https://openrouter.ai/api/v1",
            default_currency="USD",
            billing_url="https://openrouter.ai/settings/credits",
            secrets=(
                SecretSpec("api", "API key", hint="sk-or-v1-…"),
                SecretSpec(
                    "management",
                    "Management key (optional)",
                    required=False,
                    hint="reads the account balance (/api/v1/credits)",
                ),
            ),
            reads="the key's limit and usage (/api/v1/key); the account balance with a management key",
            not_knowable="the account balance without a management key, when the key has no limit",
        ),
        ProviderInfo(
            name="demo",
            display_name="Demo",
            module="trayapp.providers.demo",
            default_base_url=None,
            default_currency="USD",
            reads="built-in sample data; no network, no keyring",
            needs_network=False,
            sample=True,
        ),
    )
}


class UnknownProvider(KeyError):
    pass


def info(name: str) -> ProviderInfo:
    try:
        return CATALOG[name]
    except KeyError:
        raise UnknownProvider(name) from None


def load(name: str) -> Provider:
    """Import the provider's module (lazily: the HTTP stack costs memory and start-up time)."""
    module = importlib.import_module(info(name).module)
    provider: Provider = module.PROVIDER
    return provider
