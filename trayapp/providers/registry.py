"""The providers this version knows, one module of trayapp.providers a line, in the order the Add account
dialog offers them. Each module declares everything about itself (docs/adding-a-provider.md): `INFO` (its
catalog entry), `PROVIDER` (its fetch) and `JA` (the Japanese of its texts). Nothing else names a provider.

The catalog imports them all (the tray too, at start), so importing a provider module must stay cheap: what
it imports at module level is the core and providers/http.py, whose HTTP client is loaded for a request.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Mapping
from types import ModuleType

from ..core import i18n

MODULES: tuple[str, ...] = (
    "openai",
    "relay",
    "deepseek",
    "moonshot",
    "siliconflow",
    "openrouter",
    "stepfun",
    "novita",
    "zhipu",
    "minimax",
    "deepinfra",
    "venice",
    "xai",
    "vercel",
    "poe",
    "litellm",
    "demo",
)


# Not a provider but the reader of the providers a user declares in TOML files (catalog.use_declared): its texts
# are registered with the providers'.
DECLARED = "declared"


def modules() -> list[ModuleType]:
    return [importlib.import_module(f"{__package__}.{name}") for name in MODULES]


@functools.cache
def provider_texts(lang: str) -> Mapping[str, str]:
    """English template -> translation, of every provider's own texts (merged into core.i18n's catalog)."""
    table: dict[str, str] = {}
    for module in [*modules(), importlib.import_module(f"{__package__}.{DECLARED}")]:
        table.update(getattr(module, lang.upper(), {}))
    return table


i18n.add_texts(provider_texts)  # the core's catalog shows providers' texts without knowing any provider
