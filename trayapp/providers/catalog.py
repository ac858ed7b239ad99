"""Every provider's declarative entry (defaults, currency, billing page, which keys, what is knowable),
from the modules the registry names: each module declares its own `INFO`; and the providers a user declares
in `<config dir>/providers/*.toml` (providers/declared.py), added by `use_declared` once the config dir is
known, after the built-in ones, which they can never replace.

A provider's module is imported when its entry is first asked for, not before: the tray, `check` and the fetch
child load only the providers of the accounts they have (a module and what it imports cost milliseconds and
hundreds of KiB each, and there are many). Listing every entry (the Add account dialog, `trayapp providers`)
imports them all. Which names are built in is known from the registry alone.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import registry
from .base import Provider, ProviderInfo

if TYPE_CHECKING:
    from . import declared


class UnknownProvider(KeyError):
    pass


class _Catalog(Mapping[str, ProviderInfo]):
    """name -> ProviderInfo, built-in entries in the registry's order, then the declared ones."""

    def __init__(self) -> None:
        self._built_in: dict[str, ProviderInfo] = {}
        self.declared: dict[str, ProviderInfo] = {}  # the providers of TOML files (use_declared)
        self._lock = threading.Lock()  # the fetch child asks from many threads at once

    def __getitem__(self, name: str) -> ProviderInfo:
        found = self._built_in.get(name) or self.declared.get(name)
        if found is not None:
            return found
        if name not in registry.PROVIDERS:
            raise KeyError(name)
        with self._lock:
            if name not in self._built_in:
                self._built_in[name] = _info_of(name)
            return self._built_in[name]

    def __contains__(self, name: object) -> bool:
        return name in registry.PROVIDERS or name in self.declared

    def __iter__(self) -> Iterator[str]:
        yield from registry.PROVIDERS
        yield from list(self.declared)

    def __len__(self) -> int:
        return len(registry.PROVIDERS) + len(self.declared)

    def loaded(self) -> list[str]:
        """The built-in providers whose module has been imported so far."""
        return list(self._built_in)


def _info_of(name: str) -> ProviderInfo:
    module = importlib.import_module(f"{__package__}.{registry.PROVIDERS[name]}")
    entry: ProviderInfo = module.INFO
    if entry.name != name or entry.module != module.__name__:
        raise RuntimeError(f"{module.__name__}: INFO names {entry.name!r} in {entry.module!r}, the registry {name!r}")
    return entry


CATALOG = _Catalog()
BUILT_IN = frozenset(registry.PROVIDERS)
_DECLARED: dict[str, declared.DeclaredProvider] = {}
_BROKEN: dict[str, str] = {}  # file stem -> what is wrong with its file


def info(name: str) -> ProviderInfo:
    try:
        return CATALOG[name]
    except KeyError:
        raise UnknownProvider(name) from None


def offered() -> list[str]:
    """The providers an account can be added for: built in or declared, never the sample accounts. Known
    without importing any provider (the CLI's parser lists them at every start)."""
    return [name for name in CATALOG if name not in registry.SAMPLES]


def load(name: str) -> Provider:
    """The provider's fetch object (its module's `PROVIDER`)."""
    if name in _DECLARED:
        return _DECLARED[name]
    module = importlib.import_module(info(name).module)
    provider: Provider = module.PROVIDER
    return provider


# ---------------------------------------------------------------- providers a user declares


def use_declared(config_dir: Path) -> list[str]:
    """The providers declared in `<config_dir>/providers/*.toml`, in place of any read before; what is wrong
    with the files that cannot be used (each a sentence naming the file), which are left out."""
    _forget()
    if not _any_declared(config_dir):  # the common case: no folder, and the reader is not even imported
        return []
    from . import declared

    found, broken = declared.load_dir(config_dir, BUILT_IN)
    for declaration in found.values():
        _add(declaration)
    _BROKEN.update(broken)
    return list(broken.values())


def _any_declared(config_dir: Path) -> bool:
    from .registry import DECLARED_FOLDER

    try:
        return any(p.suffix == ".toml" for p in (config_dir / DECLARED_FOLDER).iterdir())
    except OSError:
        return False


def declare(data: Mapping[str, Any]) -> None:
    """A declaration the tray read (`declaration_of`), received by the fetch child; raises ValueError when it
    is not one."""
    from . import declared

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
    from . import declared

    provider = declared.DeclaredProvider(declaration)
    _DECLARED[declaration.name] = provider
    CATALOG.declared[declaration.name] = provider.info


def _forget() -> None:
    CATALOG.declared.clear()
    _DECLARED.clear()
    _BROKEN.clear()
