"""Every provider's declarative entry (defaults, currency, billing page, which keys, what is knowable),
gathered from the modules the registry names: each module declares its own `INFO`; and the providers a user
declares in `<config dir>/providers/*.toml` (providers/declared.py), added by `use_declared` once the config
dir is known, after the built-in ones, which they can never replace.

Importing this module imports every registered provider module, which must stay cheap (registry.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import declared, registry
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
BUILT_IN = frozenset(CATALOG)
_DECLARED: dict[str, declared.DeclaredProvider] = {}
_BROKEN: dict[str, str] = {}  # file stem -> what is wrong with its file


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

    if name in _DECLARED:
        return _DECLARED[name]
    module = importlib.import_module(info(name).module)
    provider: Provider = module.PROVIDER
    return provider


# ---------------------------------------------------------------- providers a user declares


def use_declared(config_dir: Path) -> list[str]:
    """The providers declared in `<config_dir>/providers/*.toml`, in place of any read before; what is wrong
    with the files that cannot be used (each a sentence naming the file), which are left out."""
    found, broken = declared.load_dir(config_dir, BUILT_IN)
    _forget()
    for declaration in found.values():
        _add(declaration)
    _BROKEN.update(broken)
    return list(broken.values())


def declare(data: Mapping[str, Any]) -> None:
    """A declaration the tray read (`declaration_of`), received by the fetch child; raises ValueError when it
    is not one."""
    try:
        declaration = declared.Declaration.from_json(data)
    except declared.Broken as exc:
        raise ValueError(exc.problem) from None
    if declaration.name in BUILT_IN:
        raise ValueError(declaration.name)
    _add(declaration)


def declaration_of(name: str) -> dict[str, Any] | None:
    """What the fetch child needs to know of a declared provider; None for a built-in one."""
    provider = _DECLARED.get(name)
    return provider.declaration.to_json() if provider is not None else None


def broken(name: str) -> str | None:
    """Why the declared provider `name` cannot be used, when its file is broken."""
    return _BROKEN.get(name)


def _add(declaration: declared.Declaration) -> None:
    provider = declared.DeclaredProvider(declaration)
    _DECLARED[declaration.name] = provider
    CATALOG[declaration.name] = provider.info


def _forget() -> None:
    for name in _DECLARED:
        CATALOG.pop(name, None)
    _DECLARED.clear()
    _BROKEN.clear()
