"""The line `trayapp status` prints, from the accounts' views: its text, tooltip, class, icon level and share
left, and the three renderings of it (Waybar JSON, i3blocks' three lines, plain text). Imported by the slow
path only (statusbar.py): the fast one prints a rendering kept in status-cache.json.

The tooltip gives each account's data as a clock time ("updated 14:05", with the date when not today), not an
age: an age under an hour changes every minute, so a kept line would hold for less than the minute between
two runs of a bar, while a clock time changes only when the state does.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..core.monitor import AccountView

CLASSES = {0: "ok", 1: "warning", 2: "critical", 3: "stale"}  # by the plugin state (core/rules.py)
COLOURS = {"ok": "#98C379", "warning": "#E5C07B", "critical": "#E06C75", "stale": "#9DA5B4"}  # i3blocks


@dataclass(frozen=True)
class Line:
    text: str
    tooltip: str
    css_class: str
    alt: str
    percentage: int | None  # None: not known (Waybar then gets no percentage at all, never a 0)


def summarize(views: Sequence[AccountView], now: datetime, lang: str = "en") -> Line:
    from ..core.monitor import account_state, most_urgent, report_exit_code, verdict_summary
    from .nagios import account_line

    if not views:
        return Line("no accounts", "Credit Tray: no accounts configured", "stale", "none", None)
    urgent = most_urgent(views)
    assert urgent is not None
    state = report_exit_code(views)
    # The class of a whole bar is the worst account's, but never "stale" over a real problem (core PRECEDENCE).
    css = CLASSES[state]
    head = urgent if account_state(urgent) == state else next(v for v in views if account_state(v) == state)
    text = f"{head.account.label} {head.remaining_in(lang)}"
    if len(views) > 1:
        text += f" +{len(views) - 1}"
    tooltip = "\n".join(
        [
            verdict_summary(views, lang),
            *(account_line(v, now, lang, age=read_at(v, now, lang)) for v in views),
            *(a.message for v in views for a in v.alerts),
        ]
    )
    return Line(text, tooltip, css, head.level.name, _percentage(head))


def read_at(view: AccountView, now: datetime, lang: str = "en") -> str:
    """When the data shown was read, and a failed last try beside it, as clock times: what rules.data_age_text
    says as ages ("data from 09:12 · last try failed at 14:05", "never read")."""
    from ..core.texts import text

    if view.data_at is None:
        head = text(lang, "never_read")
    else:
        head = text(lang, "data_from_at" if view.last_try_failed else "updated_at", time=clock(view.data_at, now))
    if view.last_try_failed and view.checked_at is not None:
        return f"{head} · {text(lang, 'last_try_failed_at', time=clock(view.checked_at, now))}"
    return head


def clock(moment: datetime, now: datetime) -> str:
    """`moment` in the local time zone: "14:05" when it is the day of `now` there, else "2026-11-30 14:05"."""
    local = moment.astimezone()
    return f"{local:%H:%M}" if local.date() == now.astimezone().date() else f"{local:%Y-%m-%d %H:%M}"


def _percentage(view: AccountView) -> int | None:
    """The share of its credit an account has left, when it is known: of what was left plus what was used, or
    of the credit granted while that covers the remaining (credit bought since would make it > 100 %)."""
    snap = view.snapshot
    if snap is None or snap.remaining is None:
        return None
    if snap.used is not None:
        total = snap.remaining + snap.used
    elif snap.granted_total is not None and snap.granted_total >= snap.remaining:
        total = snap.granted_total
    else:
        return None
    if total <= 0:
        return None
    return max(0, min(100, round(float(snap.remaining / total * 100))))


def render(line: Line, fmt: str) -> str:
    if fmt == "waybar":
        data: dict[str, object] = {"text": line.text, "tooltip": line.tooltip, "class": line.css_class, "alt": line.alt}
        if line.percentage is not None:
            data["percentage"] = line.percentage
        return json.dumps(data, ensure_ascii=False)
    if fmt == "i3blocks":  # full_text, short_text, color (https://vivien.github.io/i3blocks/#_format)
        short = line.text.split(" +")[0]
        return "\n".join([line.text, short, COLOURS[line.css_class]])
    return line.text


def render_problem(fmt: str, message: str) -> str:
    text = "credit: error"
    if fmt == "waybar":
        return json.dumps({"text": text, "tooltip": message, "class": "stale", "alt": "error"}, ensure_ascii=False)
    if fmt == "i3blocks":
        return "\n".join([text, text, COLOURS["stale"]])
    return f"{text} ({message})"
