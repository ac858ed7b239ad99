"""Checks of what the user types, with messages that say how to fix it."""

from __future__ import annotations

import ipaddress
from datetime import date
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from .errors import ConfigError
from .i18n import tr


def is_loopback_host(host: str) -> bool:
    """A literal loopback address (127.0.0.0/8, ::1), or the name `localhost` itself. Not `*.localhost`:
    where such a name goes is up to the resolver (a DNS server may be asked). The transport checks the
    address it really connected to as well (providers/http.py)."""
    host = host.strip("[]").lower()
    return host == "localhost" or is_loopback_address(host)


def is_loopback_address(address: str) -> bool:
    """127.0.0.0/8 or ::1, also written as an IPv4-mapped IPv6 address (::ffff:127.0.0.1)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped.is_loopback
    return ip.is_loopback


def validate_base_url(url: str) -> str:
    """https anywhere; plain http only to this machine (tests, local relays): keys never cross a network
    in clear."""
    url = url.strip().rstrip("/")
    _check_url_text(url)
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConfigError(tr("Invalid base URL"), tr("'{url}' is not an http(s) URL with a host.", url=url))
    try:
        parts.port  # noqa: B018 - reading it is the check: two ports or a word there raise
    except ValueError:
        raise ConfigError(
            tr("Invalid base URL"),
            tr("'{url}' has no valid port: after the host comes at most one ':' and a number up to 65535.", url=url),
        ) from None
    if parts.username or parts.password:
        raise ConfigError(tr("Invalid base URL"), tr("A base URL must not contain a user name or password."))
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise ConfigError(
            tr("Insecure base URL"),
            tr(
                "'{url}' uses plain http to another machine, which would send the key in clear. "
                "Use https (plain http is accepted only for 127.0.0.1, ::1 and localhost).",
                url=url,
            ),
        )
    return url


def _check_url_text(url: str) -> None:
    """No space, control or invisible character (pasted along with the URL): the transport would refuse it
    with an error no one understands."""
    for position, ch in enumerate(url, 1):
        if ch.isspace() or not ch.isprintable():
            raise ConfigError(
                tr("Invalid base URL"),
                tr(
                    "The base URL has a space or an invisible character at position {position} (U+{code}); "
                    "enter it again.",
                    position=position,
                    code=f"{ord(ch):04X}",
                ),
            )


MAX_GRANT = Decimal("1e9")  # more than any prepaid credit; past it, a typo (1e30 would not even print)
GRANT_DECIMALS = 6


def parse_amount(text: str) -> Decimal:
    """A grant's amount as typed: a positive, finite number up to MAX_GRANT with at most GRANT_DECIMALS
    decimals."""
    try:
        value = Decimal(text.strip()) if len(text) <= 100 else Decimal("NaN")
    except InvalidOperation:
        raise ConfigError(tr("Invalid amount"), tr("'{text}' is not a number.", text=text)) from None
    if not value.is_finite() or value <= 0:
        raise ConfigError(tr("Invalid amount"), tr("A grant's amount must be a positive number."))
    if value > MAX_GRANT:
        raise ConfigError(
            tr("Invalid amount"), tr("A grant's amount can be at most {limit}.", limit=f"{MAX_GRANT:,.0f}")
        )
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -GRANT_DECIMALS:
        raise ConfigError(tr("Invalid amount"), tr("A grant's amount has at most {n} decimals.", n=GRANT_DECIMALS))
    return value


def parse_date(text: str, what: str) -> date:
    """`what` names the date in the title: tr("expiry date"), for instance."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(
            tr("Invalid {what}", what=what), tr("'{text}' is not a date like 2026-12-31.", text=text)
        ) from None


def parse_currency(text: str) -> str:
    code = text.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise ConfigError(
            tr("Invalid currency"), tr("'{text}' is not a three-letter currency code like USD.", text=text)
        )
    return code
