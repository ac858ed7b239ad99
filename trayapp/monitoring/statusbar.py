"""`trayapp status`: one line for a status bar (Waybar, i3blocks, polybar...) from the last state the tray or
`trayapp serve` wrote: no network, no Qt, no history, no provider module. A bar runs it every few seconds,
so `trayapp.entry` sends it here before the CLI's parser (which loads every provider) is imported, and this
module imports, before its fast path, only what reading the line kept in status-cache.json takes
(statuscache.py): while that line holds, it is printed and nothing else is loaded. Else the line is made from
config.json and state.json (statusline.py) and kept. `--poll` reads the accounts now.

It always exits 0: Waybar hides a custom module whose command fails, which would hide the very problem.

Classes (Waybar's `class`, i3blocks' colour): critical and warning as `trayapp check` says them, `stale` when
an account could not be read lately (or was never read: the tray or serve is not running), else `ok`.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence

from . import statuscache
from .statuscache import FORMATS

TYPE_CHECKING = False  # typing is not imported: it would take as long as the rest of the fast path's imports
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from datetime import datetime

    from ..core.monitor import AccountView
    from ..storage.paths import Paths
    from .statusline import Line

    ViewsAt = Callable[[datetime], list[AccountView]]


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
    """Print the line: the one kept in status-cache.json while it holds (statuscache.py), else one made from
    the files, then kept. `--poll` reads now and the demo makes its accounts from the clock: neither is kept."""
    kept = None
    if not (poll or demo):
        try:
            where = statuscache.locate(config_dir)
            kept = where, statuscache.fingerprint(where)  # before anything is read: a change after it is seen
        except (OSError, RuntimeError):  # a file that cannot even be looked at: the slow path says why
            pass
        else:
            cached = statuscache.cached_line(*kept, fmt, time.time())
            if cached is not None:
                print(cached, flush=True)
                return 0
    from ..platform.hardening import harden
    from .statusline import render, render_problem, summarize

    harden()  # past the cache: from here on, config and state are read (and keys, with --poll)
    try:
        if poll:
            views, lang, now = _poll(config_dir, demo)
            print(render(summarize(views, now, lang), fmt), flush=True)
            return 0
        views_at, lang, now, paths = _last_state(config_dir, demo)
        line = summarize(views_at(now), now, lang)
    except Exception as exc:  # the bar shows why rather than nothing; never a traceback, never exit 1
        print(render_problem(fmt, f"{type(exc).__name__}: {exc}"), flush=True)
        return 0
    print(render(line, fmt), flush=True)
    if kept is not None:
        try:
            _keep(*kept, paths, line, views_at, lang, now)
        except OSError:  # a full disk, a read-only folder: the line is out, the next run makes it again
            pass
        except Exception as exc:  # the line is out already; a bar logs stderr, and no traceback
            print(f"trayapp status: the line was not kept ({type(exc).__name__}: {exc})", file=sys.stderr)
    return 0


def _keep(
    where: statuscache.Where,
    key: statuscache.Fingerprint,
    paths: Paths,
    line: Line,
    views_at: ViewsAt,
    lang: str,
    now: datetime,
) -> None:
    """Write status-cache.json: the line in every format, valid from `now` until the same files would render
    otherwise (statuscache.valid_until, rendering the views of the states already read at later moments)."""
    from datetime import UTC, datetime
    from pathlib import Path

    from ..storage.atomic import dumps, write_atomic
    from .statusline import render, summarize

    if (Path(where.config_dir), Path(where.data_dir)) != (paths.config_dir, paths.data_dir):
        return  # statuscache.locate does not find what was read: a kept line would be found for other files
    if not os.path.isdir(where.data_dir):
        return  # nothing made it yet (no state): status makes no folder

    def same_at(t: float) -> bool:
        at = datetime.fromtimestamp(t, UTC)
        return summarize(views_at(at), at, lang) == line

    start = now.timestamp()
    until = statuscache.valid_until(same_at, start)
    data = statuscache.cache_data(key, {f: render(line, f) for f in FORMATS}, start, until)
    write_atomic(Path(where.cache_file), (dumps(data, indent=None) + "\n").encode("utf-8"))


# ---------------------------------------------------------------- reading


def _last_state(config_dir: str | None, demo: bool) -> tuple[ViewsAt, str, datetime, Paths]:
    """The views of the last state on disk, at any moment. Read only: a file that cannot be read is left where
    it is (the tray sets it aside when it next starts); the bar says so."""
    import json
    from datetime import UTC, datetime

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
            return lambda _: [], "en", now, paths
        config = ConfigStore._parse(paths.config_file.read_text(encoding="utf-8"), LoadReport(), "config.json")
    states = {}
    if paths.state_file.exists():
        data = json.loads(paths.state_file.read_text(encoding="utf-8"))
        states = {str(k): codec.state_in(v) for k, v in (data.get("accounts") or {}).items()}
    lang = resolve_language(config.settings.language)
    monitor = Monitor(config.accounts, config.settings, states, lang=lang)
    return monitor.views, lang, now, paths


def _poll(config_dir: str | None, demo: bool) -> tuple[list[AccountView], str, datetime]:
    from datetime import UTC, datetime

    from ..fetch import prepare_jobs, run_jobs
    from ..service import open_service

    service = open_service(config_dir, demo=demo)
    now = datetime.now(UTC)
    jobs, failed = prepare_jobs(service.config.accounts, service.monitor.states, service.secrets)
    views = service.take(failed + run_jobs(jobs, now, service.state.identity_salt), now)
    return views, service.monitor.lang, now
