"""What a provider is: a declarative description and a `fetch` that returns a Snapshot or raises."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from ..core.explain import Explanation, Link
from ..core.i18n import tr_noop
from ..core.models import Account, Snapshot
from ..secrets.secret import Secret


@dataclass(frozen=True)
class SecretSpec:
    kind: str  # the keyring item's suffix ("api" for the main key); the dialog shows one field per kind
    label: str  # marked with tr_noop, shown through the core catalog
    required: bool = True
    hint: str = ""  # marked with tr_noop too
    prefix: str | None = None  # every key of this kind starts with it: checked when the key is entered
    # (key prefix, caution marked with tr_noop): shown when an entered key starts with that prefix
    cautions: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ProviderInfo:
    """Facts about a provider, used by the dialog, the details window, the CLI and the docs."""

    name: str
    display_name: str
    module: str  # imported only when an account of this provider is polled
    default_base_url: str | None
    default_currency: str | None = None
    currency_by_host: Mapping[str, str] = field(default_factory=dict)  # host suffix -> currency
    billing_url: str | None = None
    secrets: tuple[SecretSpec, ...] = (SecretSpec("api", tr_noop("API key")),)
    reads: str = ""  # what is read, in one sentence (tr_noop)
    not_knowable: str = ""  # what cannot be known with its keys (tr_noop)
    needs_network: bool = True
    sample: bool = False  # built-in sample accounts (the demo): no keys, never offered to add
    options: tuple[str, ...] = ()  # account options the provider understands, e.g. "probe"
    # Alert explanation key (core/alerts.py) -> this provider's own explanation, in place of the core's.
    explanations: Mapping[str, Explanation] = field(default_factory=dict)
    # Alert explanation key -> links to the provider's help, shown after the explanation.
    help_links: Mapping[str, tuple[Link, ...]] = field(default_factory=dict)
    # Where the provider lists the credit grants a user copies into Edit account (tr_noop), and links to that
    # page. Empty: the dialog's general words.
    grants_help: str = ""
    grants_links: tuple[Link, ...] = ()

    def currency_for(self, base_url: str | None, override: str | None = None) -> str | None:
        if override:
            return override
        host = _host(base_url or self.default_base_url or "")
        for suffix, currency in self.currency_by_host.items():
            if host == suffix or host.endswith("." + suffix) or host.endswith(suffix):
                return currency
        return self.default_currency


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return (urlsplit(url).hostname or "").lower()


@dataclass(frozen=True)
class FetchRequest:
    account: Account
    secrets: Mapping[str, Secret]
    now: datetime
    cache: Mapping[str, Any] = field(default_factory=dict)
    timeout: float = 15.0
    identity_salt: str = ""  # per installation; emails and phones are kept only as salted hashes

    @property
    def base_url(self) -> str | None:
        return self.account.base_url


@dataclass(frozen=True)
class FetchOutcome:
    snapshot: Snapshot
    cache: Mapping[str, Any] = field(default_factory=dict)  # replaces the account's provider cache


class Provider(Protocol):
    info: ProviderInfo

    def fetch(self, request: FetchRequest) -> FetchOutcome:
        """Read the account. Raises ProviderError (or a subclass) when it cannot."""
        ...
