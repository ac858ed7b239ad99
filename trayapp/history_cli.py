"""`trayapp history`: the recorded readings as CSV, JSON or a table (kept apart from cli.py)."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, time

from .core import rules
from .core.errors import ConfigError
from .core.history import Reading, readings_csv, readings_json
from .storage.atomic import dumps


def parse_since(text: str) -> datetime:
    try:
        if len(text) == 10:
            return datetime.combine(datetime.strptime(text, "%Y-%m-%d").date(), time(0), UTC)
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ConfigError("Invalid date", f"'{text}' is not a date (YYYY-MM-DD) or an ISO 8601 time.") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def cmd_history(config_dir: str | None, demo: bool, args: argparse.Namespace) -> int:
    from .service import open_service

    since = parse_since(args.since) if args.since else None
    service = open_service(config_dir, demo=demo)
    for problem in service.problems:
        print(f"trayapp: {problem}", file=sys.stderr)
    if service.history is None:
        raise ConfigError("No history", "The history file could not be opened (see above).")
    if args.account is not None and not service.history.has_readings(args.account):
        service.config.account(args.account)  # an unknown id is an error, not an empty history
    readings = service.history.readings(args.account, since)
    if args.csv:
        sys.stdout.write(readings_csv(readings))
    elif args.json:
        print(dumps(readings_json(readings)))  # never NaN or Infinity: not JSON
    else:
        print(text_table(readings))
    return 0


def text_table(readings: list[Reading]) -> str:
    if not readings:
        return "No readings recorded yet: they are recorded by the tray and by `trayapp check`."
    rows = [("TIME (UTC)", "ACCOUNT", "STATUS", "REMAINING", "ALERTS")]
    for r in readings:
        remaining = f"failed: {r.error_kind}" if r.failed else rules.format_money(r.remaining, r.currency)
        rows.append(
            (r.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M"), r.account_id, r.status, remaining, " ".join(r.alerts))
        )
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "\n".join(
        "  ".join(cell.ljust(widths[i]) if i < 4 else cell for i, cell in enumerate(row)).rstrip() for row in rows
    )
