"""The providers this version knows, by name, each with its module of trayapp.providers, in the order the
Add account dialog offers them. Each module declares everything about itself (docs/adding-a-provider.md): `INFO` (its
catalog entry), `PROVIDER` (its fetch) and `JA` (the Japanese of its texts). Nothing else names a provider.

The catalog imports a module when its entry is first used (the providers of the accounts there are), and all
of them to list them (the Add account dialog), so importing a provider module must stay cheap: what it
imports at module level is the core and providers/http.py, whose HTTP client is loaded for a request.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Mapping
from types import ModuleType

from ..core import i18n

# provider name (`--provider`, config.json) -> its module in trayapp.providers; in the order the Add account
# dialog offers them. The names are known without importing anything (catalog.py imports a module when used).
PROVIDERS: dict[str, str] = {
    "openai": "openai",
    "openai-compatible": "relay",
    "deepseek": "deepseek",
    "moonshot": "moonshot",
    "siliconflow": "siliconflow",
    "openrouter": "openrouter",
    "stepfun": "stepfun",
    "novita": "novita",
    "zhipu": "zhipu",
    "minimax": "minimax",
    "deepinfra": "deepinfra",
    "venice": "venice",
    "xai": "xai",
    "vercel": "vercel",
    "poe": "poe",
    "litellm": "litellm",
    "demo": "demo",
}
MODULES: tuple[str, ...] = tuple(PROVIDERS.values())
SAMPLES = frozenset({"demo"})  # the built-in sample accounts (INFO.sample): never offered to add


# Not a provider but the reader of the providers a user declares in TOML files (catalog.use_declared): its texts
# are registered with the providers'.
DECLARED = "declared"
DECLARED_FOLDER = "providers"  # under the config dir: one TOML file per declared provider


def modules() -> list[ModuleType]:
    return [importlib.import_module(f"{__package__}.{name}") for name in MODULES]


def provider_texts(lang: str) -> Mapping[str, str]:
    """English template -> translation, of the own texts of every provider imported so far (merged into
    core.i18n's catalog, which asks again when a text is missing, then has every module imported)."""
    table: dict[str, str] = {}
    for name in (*MODULES, DECLARED):
        module = sys.modules.get(f"{__package__}.{name}")
        if module is not None:
            table.update(getattr(module, lang.upper(), {}))
    return table


def import_all() -> None:
    """Every module with texts of its own imported: the providers and the reader of declared ones."""
    modules()
    importlib.import_module(f"{__package__}.{DECLARED}")


i18n.add_texts(provider_texts, complete=import_all)  # the core's catalog shows providers' texts, naming none
