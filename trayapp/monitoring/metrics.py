"""The Prometheus metrics of `trayapp serve` (/metrics) and `trayapp check --prometheus-textfile`, from the
same views every client shows. A value that is not known is absent, never a 0: an alert rule on
`credit_tray_remaining < 5` must not fire for an account whose remaining credit cannot be read.

Labels carry the account id, its label, provider and currency; the label is scrubbed of anything shaped like a
key, an email address or a phone number (a user may well name an account after its login).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector, CollectorRegistry

if TYPE_CHECKING:
    from prometheus_client.metrics_core import Metric

    from ..core.monitor import AccountView

PREFIX = "credit_tray"
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
_PHONE = re.compile(r"\+?\d[\d\s().-]{5,}\d")


def public_label(text: str) -> str:
    """An account's label as a metric label: keys, email addresses and phone numbers masked."""
    from ..core.identity import mask_email, mask_phone
    from ..secrets.keys import mask_keylike

    text = mask_keylike(text)
    text = _EMAIL.sub(lambda m: mask_email(m.group(0)) or "***", text)
    return _PHONE.sub(lambda m: mask_phone(m.group(0)) or "***", text)


def families(views: Sequence[AccountView], poll_seconds: float | None) -> list[GaugeMetricFamily]:
    """Every metric of these views (and of the poll that made them)."""
    ids = ["account", "label", "provider", "currency"]
    remaining = GaugeMetricFamily(f"{PREFIX}_remaining", "Remaining credit, in its currency.", labels=ids)
    granted = GaugeMetricFamily(
        f"{PREFIX}_remaining_granted", "Remaining granted (trial, promotional) credit.", labels=ids
    )
    paid = GaugeMetricFamily(f"{PREFIX}_remaining_paid", "Remaining paid (topped-up) credit.", labels=ids)
    expiry = GaugeMetricFamily(
        f"{PREFIX}_expiry_timestamp_seconds", "When the credit expires (Unix time).", labels=ids[:3]
    )
    success = GaugeMetricFamily(
        f"{PREFIX}_last_success_timestamp_seconds", "When the account was last read (Unix time).", labels=ids[:3]
    )
    up = GaugeMetricFamily(f"{PREFIX}_up", "1 when the last read of the account worked, else 0.", labels=["account"])
    alert = GaugeMetricFamily(f"{PREFIX}_alert", "1 while the alert is active.", labels=["account", "code", "severity"])
    duration = GaugeMetricFamily(f"{PREFIX}_poll_duration_seconds", "How long the last poll took.")

    def add(family: GaugeMetricFamily, labels: list[str], value: Decimal | float | None) -> None:
        if value is not None:
            family.add_metric(labels, float(value))

    for v in views:
        a, snap = v.account, v.snapshot
        base = [a.id, public_label(a.label), a.provider]
        if v.checked_at is not None or snap is not None:  # never tried: nothing is known, not even "down"
            up.add_metric([a.id], 1.0 if snap is not None and v.error is None else 0.0)
        for al in v.alerts:
            alert.add_metric([a.id, str(al.code), al.severity.value], 1.0)
        if snap is None:
            continue
        labels = [*base, snap.currency or ""]
        add(remaining, labels, snap.remaining)
        add(granted, labels, snap.remaining_granted)
        add(paid, labels, snap.remaining_paid)
        add(expiry, base, snap.expires_at.timestamp() if snap.expires_at else None)
        add(success, base, snap.checked_at.timestamp())
    add(duration, [], poll_seconds)
    return [remaining, granted, paid, expiry, success, up, alert, duration]


class ViewsCollector(Collector):
    """Collects from `source()` (the latest views and poll duration) at each scrape."""

    def __init__(self, source: Callable[[], tuple[Sequence[AccountView], float | None]]) -> None:
        self._source = source

    def collect(self) -> Iterator[Metric]:
        views, seconds = self._source()
        yield from families(views, seconds)


def registry_of(source: Callable[[], tuple[Sequence[AccountView], float | None]]) -> CollectorRegistry:
    """A registry with only these metrics: no process or Python metrics beside them."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(ViewsCollector(source))
    return registry


def write_textfile(path: str, views: Sequence[AccountView], poll_seconds: float | None) -> None:
    """The metrics into `path` for node_exporter's textfile collector: written beside it, then renamed, so the
    collector never reads half a file."""
    from prometheus_client import write_to_textfile

    frozen = list(views)
    write_to_textfile(path, registry_of(lambda: (frozen, poll_seconds)))
