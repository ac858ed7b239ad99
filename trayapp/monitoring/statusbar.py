"""`trayapp status`: one line for a status bar (Waybar, i3blocks, polybar...) from the last state the tray or
`trayapp serve` wrote: no network, no Qt, no history, no provider module. A bar runs it every few seconds,
so `trayapp.entry` sends it here before the CLI's parser (which loads every provider) is imported, and
this module imports only what reading config.json and state.json takes. `--poll` reads the accounts now.

It always exits 0: Waybar hides a custom module whose command fails, which would hide the very problem.

Classes (Waybar's `class`, i3blocks' colour): critical and warning as `trayapp check` says them, `stale` when
an account could not be read lately (or was never read: the tray or serve is not running), else `ok`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from ..core.monitor import AccountView

FORMATS = ("waybar", "i3blocks", "text")
CLASSES = {0: "ok", 1: "warning", 2: "critical", 3: "stale"}  # by the plugin state (core/rules.py)
COLOURS = {"ok": "#98C379", "warning": "#E5C07B", "critical": "#E06C75", "stale": "#9DA5B4"}  # i3blocks


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="text", help="waybar (JSON), i3blocks or text")
    parser.add_argument("--poll", action="store_true", help="read the accounts now (network) instead of the last state")


def status_argv(argv: Sequence[str]) -> list[str] | None:
    """`argv` when its command is `status` (after --config-dir DIR / --demo), else None."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "status":
            return list(argv)
        if arg == "--config-dir":
            i += 2
            continue
        if arg == "--demo" or arg.startswith("--config-dir="):
            i += 1
            continue
        return None
    return None


def main(argv: Sequence[str]) -> int:
    """The fast path from trayapp.entry: `trayapp [--config-dir DIR] [--demo] status [options]`. Parsed by hand:
    argparse alone (with gettext) would cost a fifth of the time budget; it is imported for `--help` only."""
    values: dict[str, str | None] = {"config_dir": None, "format": "text"}
    flags = {"demo": False, "poll": False}
    args = list(argv)
    while args:
        arg = args.pop(0)
        name, eq, value = arg.partition("=")
        if arg in ("--demo", "--poll"):
            flags[arg[2:]] = True
        elif name in ("--config-dir", "--format") and (eq or args):
            values[name[2:].replace("-", "_")] = value if eq else args.pop(0)
        elif arg in ("-h", "--help"):
            import argparse

            parser = argparse.ArgumentParser(prog="trayapp [--config-dir DIR] [--demo] status")
            add_arguments(parser)
            parser.print_help()
            return 0
        elif arg != "status":
            return _usage(f"unrecognized argument: {arg}")
    if values["format"] not in FORMATS:
        return _usage(f"--format {values['format']}: one of {', '.join(FORMATS)}")
    return run_status(values["config_dir"], flags["demo"], values["format"] or "text", poll=flags["poll"])


def _usage(message: str) -> int:
    print(f"trayapp status: {message}")
    return 0  # a failing module is hidden by the bar: say it on the line instead


def run_status(config_dir: str | None, demo: bool, fmt: str, *, poll: bool = False) -> int:
    try:
        views, lang, now = _poll(config_dir, demo) if poll else _last_state(config_dir, demo)
        line = render(views, fmt, now, lang)
    except Exception as exc:  # the bar shows why rather than nothing; never a traceback, never exit 1
        line = render_problem(fmt, f"{type(exc).__name__}: {exc}")
    print(line, flush=True)
    return 0


# ---------------------------------------------------------------- reading


def _last_state(config_dir: str | None, demo: bool) -> tuple[list[AccountView], str, datetime]:
    """The views of the last state on disk. Read only: a file that cannot be read is left where it is (the tray
    sets it aside when it next starts); the bar says so."""
    from ..core import codec
    from ..core.monitor import Monitor
    from ..core.texts import resolve_language
    from ..storage.config import Config, ConfigStore, LoadReport

    now = datetime.now(UTC)
    if demo:
        from ..providers.demo import demo_accounts
        from ..service import demo_paths

        paths = demo_paths(config_dir)
        config = Config(accounts=demo_accounts(now))
    else:
        from ..storage.paths import resolve_paths

        paths = resolve_paths(config_dir)
        if not paths.config_file.exists():
            return [], "en", now
        config = ConfigStore._parse(paths.config_file.read_text(encoding="utf-8"), LoadReport(), "config.json")
    states = {}
    if paths.state_file.exists():
        data = json.loads(paths.state_file.read_text(encoding="utf-8"))
        states = {str(k): codec.state_in(v) for k, v in (data.get("accounts") or {}).items()}
    lang = resolve_language(config.settings.language)
    monitor = Monitor(config.accounts, config.settings, states, lang=lang)
    return monitor.views(now), lang, now


def _poll(config_dir: str | None, demo: bool) -> tuple[list[AccountView], str, datetime]:
    from ..fetch import prepare_jobs, run_jobs
    from ..service import open_service

    service = open_service(config_dir, demo=demo)
    now = datetime.now(UTC)
    jobs, failed = prepare_jobs(service.config.accounts, service.monitor.states, service.secrets)
    views = service.take(failed + run_jobs(jobs, now, service.state.identity_salt), now)
    return views, service.monitor.lang, now


# ---------------------------------------------------------------- the line


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
            *(account_line(v, now, lang) for v in views),
            *(a.message for v in views for a in v.alerts),
        ]
    )
    return Line(text, tooltip, css, head.level.name, _percentage(head))


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


def render(views: Sequence[AccountView], fmt: str, now: datetime, lang: str = "en") -> str:
    line = summarize(views, now, lang)
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
