"""Every provider's declarative entry (defaults, currency, billing page, which keys, what is knowable),
gathered from the modules the registry names: each module declares its own `INFO`.

Importing this module imports every registered provider module, which must stay cheap (registry.py).
"""

from __future__ import annotations

from . import registry
from .base import Provider, ProviderInfo


def _gather() -> dict[str, ProviderInfo]:
    found: dict[str, ProviderInfo] = {}
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
