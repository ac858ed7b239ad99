"""One recorded poll result (a `Reading`), and how readings are printed (CSV, JSON). Pure: no I/O.

A reading never holds a key nor anything about who owns an account: only the account id, numbers,
the status, the kind of error and the codes of the alerts that were true.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from .models import Snapshot

CSV_COLUMNS = (
    "account_id",
    "time",
    "status",
    "currency",
    "remaining",
    "remaining_granted",
    "remaining_paid",
    "granted_total",
    "used",
    "expires_at",
    "error_kind",
    "alerts",
)


@dataclass(frozen=True)
class Reading:
    account_id: str
    at: datetime
    status: str  # the account's status after this poll: ok | unknown | stale | error
    currency: str | None = None
    remaining: Decimal | None = None  # None: not known (or the poll failed), never 0
    remaining_granted: Decimal | None = None
    remaining_paid: Decimal | None = None
    granted_total: Decimal | None = None
    used: Decimal | None = None
    expires_at: datetime | None = None
    error_kind: str | None = None  # set when the poll failed
    alerts: tuple[str, ...] = ()  # codes of the alerts true after this poll

    @property
    def failed(self) -> bool:
        return self.error_kind is not None


def reading_of(
    account_id: str,
    at: datetime,
    status: str,
    snapshot: Snapshot | None,
    error_kind: str | None,
    alerts: Iterable[str] = (),
) -> Reading:
    """The reading of one poll: the snapshot's numbers on success, none on failure (the last good
    numbers are already recorded in the reading that produced them)."""
    if snapshot is None or error_kind is not None:
        return Reading(account_id, at, status, error_kind=error_kind, alerts=tuple(alerts))
    return Reading(
        account_id,
        at,
        status,
        currency=snapshot.currency,
        remaining=snapshot.remaining,
        remaining_granted=snapshot.remaining_granted,
        remaining_paid=snapshot.remaining_paid,
        granted_total=snapshot.granted_total,
        used=snapshot.used,
        expires_at=snapshot.expires_at,
        alerts=tuple(alerts),
    )


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


def _dec(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def readings_csv(readings: Iterable[Reading]) -> str:
    """CSV with a header row; an unknown number is an empty cell, never 0."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in readings:
        writer.writerow(
            (
                r.account_id,
                _iso(r.at),
                r.status,
                r.currency or "",
                _dec(r.remaining),
                _dec(r.remaining_granted),
                _dec(r.remaining_paid),
                _dec(r.granted_total),
                _dec(r.used),
                _iso(r.expires_at) or "",
                r.error_kind or "",
                " ".join(r.alerts),
            )
        )
    return out.getvalue()


def reading_json(r: Reading) -> dict[str, Any]:
    return {
        "account_id": r.account_id,
        "time": _iso(r.at),
        "status": r.status,
        "currency": r.currency,
        "remaining": _num(r.remaining),
        "remaining_granted": _num(r.remaining_granted),
        "remaining_paid": _num(r.remaining_paid),
        "granted_total": _num(r.granted_total),
        "used": _num(r.used),
        "expires_at": _iso(r.expires_at),
        "error_kind": r.error_kind,
        "alerts": list(r.alerts),
    }


def readings_json(readings: Sequence[Reading]) -> dict[str, Any]:
    return {"readings": [reading_json(r) for r in readings]}
