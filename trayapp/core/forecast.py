"""Forecasts from the recorded history: burn rate, when credit runs out, what expires unused. Pure.

The burn rate is the credit spent over the time it was spent in, over the last 14 days:
- a top-up (remaining goes up between two readings) hides what was spent in that interval, so the
  interval is left out entirely (neither its spend nor its time count);
- a gap (the computer was off) counts: what was spent across it was spent in that time;
- fewer than two readings, or less than 12 hours of usable intervals, give no rate and a reason.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import pairwise

from .i18n import tr
from .models import Account, Alert, Settings, Severity, Snapshot
from .rules import format_money
from .texts import text

WINDOW = timedelta(days=14)
MIN_SPAN = timedelta(hours=12)
EXPIRY_HORIZON = timedelta(days=30)  # will_expire_unused looks this far ahead
CENT = Decimal("0.01")
HOLD_FACTOR = 1.5  # a runs_out_soon already notified clears only beyond 1.5 x the warning days
_DAY = Decimal(86400)


@dataclass(frozen=True)
class Forecast:
    burn_per_day: Decimal | None  # None: not enough data (see reason)
    runs_out_at: datetime | None  # when remaining reaches zero at this rate; None if never or unknown
    expires_unused: Decimal | None  # left on the expiry date at this rate (0: all used in time)
    expires_at: datetime | None
    basis: timedelta  # time covered by the intervals the rate is computed from
    readings: int
    topups: int
    reason: str | None = None  # why runs_out_at is None (too little data, no spending, no credit): a LocalText


@dataclass(frozen=True)
class Rate:
    per_day: Decimal | None
    basis: timedelta
    readings: int
    topups: int
    reason: str | None


Point = tuple[datetime, Decimal]  # (time, remaining)


@dataclass(frozen=True)
class Fold:
    """What the burn rate is computed from, summed over (time, remaining) points in time order: kept as it is
    (storage keeps one per account), it can take a newer point (`then`) or lose its oldest (`rest`) without
    going over every point again."""

    readings: int = 0
    spent: Decimal = Decimal(0)
    span: timedelta = timedelta(0)  # the time of the intervals that count (not the top-ups')
    topups: int = 0
    first: Point | None = None
    last: Point | None = None

    def then(self, t: datetime, remaining: Decimal) -> Fold:
        """This fold with a newer point after its last one."""
        if self.last is None:
            return Fold(1, self.spent, self.span, self.topups, (t, remaining), (t, remaining))
        spent, span, topups = _pair(self.last, (t, remaining))
        return Fold(
            self.readings + 1, self.spent + spent, self.span + span, self.topups + topups, self.first, (t, remaining)
        )

    def rest(self, second: Point | None) -> Fold:
        """This fold without its first point; `second` is the point after it (None when the first is the only one)."""
        if self.first is None or second is None or self.readings <= 1:
            return Fold()
        spent, span, topups = _pair(self.first, second)
        return Fold(self.readings - 1, self.spent - spent, self.span - span, self.topups - topups, second, self.last)


def _pair(a: Point, b: Point) -> tuple[Decimal, timedelta, int]:
    """What one interval adds to a fold: (spent, time, top-ups)."""
    (t0, r0), (t1, r1) = a, b
    if t1 <= t0:
        return Decimal(0), timedelta(0), 0
    if r1 > r0:
        return Decimal(0), timedelta(0), 1
    return r0 - r1, t1 - t0, 0


def fold(points: Sequence[Point]) -> Fold:
    """The fold of (time, remaining) points in time order."""
    if not points:
        return Fold()
    spent = Decimal(0)
    span = timedelta(0)
    topups = 0
    for a, b in pairwise(points):
        pair_spent, pair_span, pair_topups = _pair(a, b)
        spent += pair_spent
        span += pair_span
        topups += pair_topups
    return Fold(len(points), spent, span, topups, points[0], points[-1])


def burn_rate(points: Sequence[Point]) -> Rate:
    """Spend per day from (time, remaining) points in time order."""
    return rate_of(fold(points))


def rate_of(f: Fold) -> Rate:
    """Spend per day from a fold, or why there is none."""
    if f.readings < 2:
        return Rate(
            None, timedelta(0), f.readings, 0, tr("only one reading so far") if f.readings else tr("no readings yet")
        )
    if f.span < MIN_SPAN:
        hours = int(f.span.total_seconds() // 3600)
        return Rate(
            None,
            f.span,
            f.readings,
            f.topups,
            tr(
                "too little history: {hours} h of readings without a top-up; a forecast needs at least {needed} h",
                hours=hours,
                needed=int(MIN_SPAN.total_seconds() // 3600),
            ),
        )
    return Rate(f.spent * _DAY / Decimal(f.span.total_seconds()), f.span, f.readings, f.topups, None)


def forecast(
    balances: Iterable[tuple[datetime, Decimal, str | None]],
    snapshot: Snapshot | None,
    now: datetime,
    window: timedelta = WINDOW,
) -> Forecast:
    """The forecast of one account from its recorded balances (time, remaining, currency) and its last
    good snapshot (the newest numbers and the expiry)."""
    currency = snapshot.currency if snapshot else None
    since = now - window
    return forecast_folded(fold(sorted((t, r) for t, r, c in balances if t >= since and c == currency)), snapshot, now)


def forecast_folded(recorded: Fold, snapshot: Snapshot | None, now: datetime) -> Forecast:
    """The forecast of one account from the fold of its recorded balances in the window (those in the snapshot's
    currency) and its last good snapshot: what `forecast` computes, from the sums instead of every point."""
    f = recorded
    if snapshot is not None and snapshot.remaining is not None and (f.last is None or snapshot.checked_at > f.last[0]):
        f = f.then(snapshot.checked_at, snapshot.remaining)
    rate = rate_of(f)
    # An expiry of credit that `remaining` does not count (Zhipu's token packs) says nothing of the money's.
    expires_at = snapshot.expires_at if snapshot and "expiry_outside_balance" not in snapshot.flags else None

    def result(runs_out_at: datetime | None, unused: Decimal | None, reason: str | None) -> Forecast:
        return Forecast(rate.per_day, runs_out_at, unused, expires_at, rate.basis, rate.readings, rate.topups, reason)

    if snapshot is None or snapshot.remaining is None:
        return result(None, None, tr("the remaining credit is not known"))
    if rate.per_day is None or f.last is None:
        return result(None, None, rate.reason)
    last_t, remaining = f.last
    unused: Decimal | None = None
    if expires_at is not None and expires_at > now:
        expiring = snapshot.remaining_granted if snapshot.remaining_granted is not None else remaining
        days_left = Decimal((expires_at - last_t).total_seconds()) / _DAY
        unused = max(Decimal(0), expiring - rate.per_day * days_left).quantize(CENT)
    if remaining <= 0:
        return result(None, unused, tr("no credit left"))
    if rate.per_day <= 0:
        return result(None, unused, tr("no spending in the last {span}", span=_span_text(rate.basis)))
    seconds = float(remaining / rate.per_day * _DAY)
    if seconds > 3650 * 86400:
        return result(None, unused, tr("spending is too slow to run out within ten years"))
    return result(last_t + timedelta(seconds=seconds), unused, None)


def _span_text(span: timedelta) -> str:
    days = span.total_seconds() / 86400
    return tr("{n} days", n=round(days)) if days >= 2 else tr("{n} h", n=int(span.total_seconds() // 3600))


def forecast_alerts(
    account: Account,
    snapshot: Snapshot | None,
    fc: Forecast | None,
    settings: Settings,
    now: datetime,
    lang: str = "en",
    held: Collection[str] = (),
) -> list[Alert]:
    """runs_out_soon and will_expire_unused: both warnings, both from the forecast.

    `held`: this account's alert codes already notified. A forecast wobbles from poll to poll, so a
    runs_out_soon already told holds until the run-out date is clearly further away (HOLD_FACTOR times the
    warning days), instead of clearing and coming back (and nagging again) around the threshold."""
    if snapshot is None or fc is None or snapshot.remaining is None or fc.burn_per_day is None:
        return []
    alerts: list[Alert] = []
    cur = snapshot.currency
    rate = format_money(fc.burn_per_day, cur)
    warning_days = settings.runs_out_warning_days * (HOLD_FACTOR if "runs_out_soon" in held else 1)
    horizon = now + timedelta(days=warning_days)
    expires_first = fc.expires_at is not None and fc.runs_out_at is not None and fc.expires_at <= fc.runs_out_at
    if fc.runs_out_at is not None and fc.runs_out_at <= horizon and snapshot.remaining > 0 and not expires_first:
        alerts.append(
            Alert(
                account.id,
                "runs_out_soon",
                Severity.WARNING,
                text(
                    lang,
                    "runs_out_soon",
                    label=account.label,
                    rate=rate,
                    until=_until(fc.runs_out_at, now, lang),
                    date=fc.runs_out_at.astimezone(UTC).date().isoformat(),
                ),
            )
        )
    if (
        fc.expires_unused is not None
        and fc.expires_unused >= CENT
        and fc.expires_at is not None
        and now < fc.expires_at <= now + EXPIRY_HORIZON
    ):
        kind = text(lang, "kind_trial" if snapshot.remaining_granted is not None else "kind_credit")
        alerts.append(
            Alert(
                account.id,
                "will_expire_unused",
                Severity.WARNING,
                text(
                    lang,
                    "will_expire_unused",
                    label=account.label,
                    amount=format_money(fc.expires_unused, cur),
                    kind=kind,
                    date=fc.expires_at.astimezone(UTC).date().isoformat(),
                    rate=rate,
                ),
            )
        )
    return alerts


def _until(when: datetime, now: datetime, lang: str) -> str:
    hours = (when - now).total_seconds() / 3600
    if hours < 24:
        return text(lang, "days_0")
    days = round(hours / 24)
    return text(lang, "about_days_1" if days == 1 else "about_days_n", n=days)
