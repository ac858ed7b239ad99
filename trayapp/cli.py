"""Command line: the tray by default, and `check` / `accounts` for scripts and monitoring systems.

Exit codes of `check` follow the Nagios plugin convention: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN; the worst
account decides, CRITICAL > WARNING > UNKNOWN > OK (README, "Command line").
Keys are never taken as arguments (they would show in `ps`): from stdin or a named environment variable.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import NoReturn

from . import __version__
from .core import rules
from .core.errors import ConfigError, SecretStoreError, TrayError
from .core.i18n import tr
from .core.models import Grant
from .core.monitor import report_exit_code
from .core.validation import parse_amount, parse_currency, parse_date, validate_base_url
from .providers import catalog
from .providers.base import ProviderInfo
from .secrets.keys import odd_character_message
from .secrets.secret import Secret

EXIT_FAILURE = 3  # for `check`, UNKNOWN; for other commands, "could not do it"


def build_parser() -> argparse.ArgumentParser:
    common = Parser(add_help=False)
    common.add_argument(
        "--config-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="keep every file under DIR (also TRAYAPP_CONFIG_DIR)",
    )
    common.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help="built-in demo accounts: no network, no keyring",
    )

    parser = Parser(
        prog="trayapp",
        parents=[common],
        description="Credit Tray: remaining AI API credit, expiry and second-account mix-ups, in the tray.",
    )
    parser.add_argument("--version", action="version", version=f"trayapp {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    check = sub.add_parser("check", parents=[common], help="poll once, print, exit 0/1/2/3 (Nagios)")
    add_check_arguments(check)
    add_serve_arguments(sub.add_parser("serve", parents=[common], help="poll on the schedule, serve /metrics"))
    add_status_arguments(sub.add_parser("status", parents=[common], help="one line for a status bar (no network)"))

    history = sub.add_parser("history", parents=[common], help="print the recorded readings (CSV, JSON or a table)")
    history.add_argument("--account", metavar="ID", help="only this account")
    history.add_argument("--since", metavar="DATE", help="from this date (YYYY-MM-DD) or time (ISO 8601, UTC if bare)")
    history_format = history.add_mutually_exclusive_group()
    history_format.add_argument("--csv", action="store_true", help="CSV with a header row")
    history_format.add_argument("--json", action="store_true", help="one JSON object")

    accounts = sub.add_parser("accounts", parents=[common], help="list, add or remove accounts")
    asub = accounts.add_subparsers(dest="accounts_command", metavar="ACTION", required=True)
    ls = asub.add_parser("list", parents=[common], help="list accounts")
    ls.add_argument("--json", action="store_true")
    add = asub.add_parser("add", parents=[common], help="add an account; prints its id last")
    offered = catalog.offered()  # declared ones too (main reads them)
    add.add_argument(
        "--provider", required=True, type=_provider_name, metavar="NAME", help=f"one of: {', '.join(offered)}"
    )
    add.add_argument("--label", required=True)
    add.add_argument("--base-url", metavar="URL")
    add.add_argument("--currency", metavar="CODE", help="for hosts that do not say (relays, local servers)")
    add.add_argument("--key-stdin", action="store_true", help="read the (API) key from standard input")
    add.add_argument(
        "--key-env",
        metavar="[KIND=]VAR",
        action="append",
        default=[],
        help="read a key from this environment variable; KIND is one of the provider's key kinds (api, admin, "
        "management, ...), api when left out; repeatable",
    )
    add.add_argument("--admin-key-env", metavar="VAR", help="same as --key-env admin=VAR")
    add.add_argument("--management-key-env", metavar="VAR", help="same as --key-env management=VAR")
    add.add_argument(
        "--probe",
        action="store_true",
        help="a 1-token request at most hourly (well under a cent a month) to see credit run out, where the "
        "provider offers it",
    )
    rm = asub.add_parser("remove", parents=[common], help="remove an account and its keys")
    rm.add_argument("id")
    grant = asub.add_parser("grant", parents=[common], help="enter credit with its expiry")
    grant.add_argument("id")
    grant.add_argument("--amount", required=True)
    grant.add_argument("--currency", default="USD")
    grant.add_argument("--effective", metavar="YYYY-MM-DD")
    grant.add_argument("--expires", metavar="YYYY-MM-DD", required=True)
    grant.add_argument(
        "--kind",
        choices=["granted", "paid"],
        default="granted",
        help="trial/promotional credit (granted) or bought credit (paid)",
    )
    return parser


def _provider_name(name: str) -> str:
    """A provider that can be added: built in, or declared in a file of <config dir>/providers that is not broken."""
    offered = catalog.offered()
    if name in offered:
        return name
    why = catalog.broken(name)
    raise argparse.ArgumentTypeError(
        f"invalid choice: {name!r}: {why}" if why else f"invalid choice: {name!r} (choose from {', '.join(offered)})"
    )


def _read_declared(argv: Sequence[str]) -> None:
    """The providers declared in the config dir's providers/*.toml, known before `--provider` is parsed."""
    from .storage.paths import resolve_paths

    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--config-dir")
    early.add_argument("--demo", action="store_true")
    known, _ = early.parse_known_args(argv)
    if not known.demo:
        catalog.use_declared(resolve_paths(known.config_dir).config_dir)  # problems: told by open_service


TrayStarter = Callable[[str | None, bool], int]


def main(argv: Sequence[str] | None = None, *, start_tray: TrayStarter | None = None) -> int:
    """`start_tray`: how to start the tray when no command is given (entry.py hands it in: only the entry
    point knows the composition root). Output into a pipe closed early (`trayapp … | head`) ends quietly."""
    try:
        code = _main(argv, start_tray=start_tray)
        sys.stdout.flush()  # here, where a closed pipe is caught, rather than at exit
        return code
    except BrokenPipeError:
        # The Python docs' recipe: whatever is still buffered goes nowhere, and exit 1 as Python does on EPIPE.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


def _main(argv: Sequence[str] | None, *, start_tray: TrayStarter | None) -> int:
    if list(sys.argv[1:] if argv is None else argv)[:1] == ["--fetcher"]:  # fetch.child_command, frozen
        from .fetch.child import child_main, exit_child

        exit_child(child_main())  # as `python -m trayapp.fetch`
    _read_declared(list(sys.argv[1:] if argv is None else argv))
    parser = build_parser()
    args = parser.parse_args(argv)
    config_dir = getattr(args, "config_dir", None)
    demo = bool(getattr(args, "demo", False))
    if args.command is None:
        if start_tray is None:
            parser.print_help()
            return 2
        return start_tray(config_dir, demo)
    try:
        if args.command == "check":
            code = cmd_check(config_dir, demo, args)
            _leave_stuck_fetches(code)
            return code
        if args.command in ("serve", "status"):
            return cmd_monitoring(config_dir, demo, args)
        if args.command == "history":
            from .history_cli import cmd_history

            return cmd_history(config_dir, demo, args)
        if args.accounts_command == "list":
            return cmd_list(config_dir, demo, as_json=args.json)
        if demo:
            raise ConfigError("Demo accounts are built in", "They cannot be added, removed or changed.")
        if args.accounts_command == "add":
            return cmd_add(config_dir, args, _key_sources(parser, args))
        if args.accounts_command == "remove":
            return cmd_remove(config_dir, args.id)
        return cmd_grant(config_dir, args)
    except TrayError as exc:
        print(f"trayapp: {exc.title}: {exc.message}", file=sys.stderr)
        return EXIT_FAILURE if args.command == "check" else 1


# ---------------------------------------------------------------- check


def add_check_arguments(check: argparse.ArgumentParser) -> None:
    check.add_argument("--json", action="store_true", help="print one JSON object")
    check.add_argument("--account", metavar="ID", action="append", default=[], help="only this account (repeatable)")
    check.add_argument(
        "--provider", metavar="NAME", action="append", default=[], help="only this provider's accounts (repeatable)"
    )
    check.add_argument(
        "-w",
        "--warning",
        metavar="N|Nd",
        action="append",
        default=[],
        help="for this run: warn at or below this amount (each account's currency), or, as Nd, when the credit "
        "expires within N days; overrides the settings",
    )
    check.add_argument(
        "-c",
        "--critical",
        metavar="N|Nd",
        action="append",
        default=[],
        help="for this run: critical at or below this amount (default 0: no credit left), or, as Nd, when the "
        "credit expires within N days",
    )
    check.add_argument(
        "-t",
        "--timeout",
        metavar="SECONDS",
        type=_seconds,
        default=CHECK_TIMEOUT,
        help=f"give up and say UNKNOWN after this long (default {CHECK_TIMEOUT:g})",
    )
    check.add_argument(
        "--prometheus-textfile",
        metavar="PATH",
        help="also write the metrics of `trayapp serve` to PATH, atomically (node_exporter's textfile collector)",
    )


def add_serve_arguments(serve: argparse.ArgumentParser) -> None:
    serve.add_argument(
        "--listen",
        metavar="ADDR:PORT",
        default=DEFAULT_LISTEN,
        help=f"where /metrics is served (default {DEFAULT_LISTEN}; [::1]:PORT for IPv6)",
    )
    serve.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow an address other than loopback: whoever reaches it reads every balance",
    )


def add_status_arguments(status: argparse.ArgumentParser) -> None:
    from .monitoring.statusbar import add_arguments

    add_arguments(status)


CHECK_TIMEOUT = 50.0  # under Nagios' own 60 s service_check_timeout, which would report CRITICAL instead
DEFAULT_LISTEN = "127.0.0.1:9464"


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if not 0 < seconds < 86400:
        raise argparse.ArgumentTypeError(f"not a usable timeout: {value!r}")
    return seconds


class Parser(argparse.ArgumentParser):
    """argparse exits 2 on a usage error, which a monitoring system reads as CRITICAL, and a status bar as a
    failed module (Waybar hides it): `check` says UNKNOWN (3) with the message on stdout, `status` prints the
    message as its line and exits 0."""

    def error(self, message: str) -> NoReturn:
        command = self.prog.split()[-1] if self.prog.split()[1:] else None
        _usage_error(command, message, self)
        super().error(message)

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        _GIVEN[:] = list(sys.argv[1:] if args is None else args)
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:  # reported by the top parser, so the command is known only from the result
            message = f"unrecognized arguments: {' '.join(extras)}"
            _usage_error(getattr(parsed, "command", None), message, self)
            self.error(message)
        return parsed


_GIVEN: list[str] = []  # the arguments being parsed: a usage error of `check --json` is said in JSON


def _usage_error(command: str | None, message: str, parser: argparse.ArgumentParser) -> None:
    if command == "check":
        from .monitoring import nagios

        parser.print_usage(sys.stderr)
        text = f"usage: {message} (trayapp check --help)"
        if "--json" in _GIVEN:
            print(json.dumps(nagios.unknown_report(text, datetime.now(UTC)), indent=2))
        else:
            print(nagios.unknown_output(text))
        sys.exit(rules.UNKNOWN)
    if command == "status":
        print(f"trayapp status: {message}")
        sys.exit(0)


def cmd_check(config_dir: str | None, demo: bool, args: argparse.Namespace) -> int:
    """Poll the chosen accounts once and print the plugin output (or the JSON); UNKNOWN, said on stdout, for
    anything that keeps it from telling (a usage error, an unknown account, a config that cannot be read)."""
    import time

    from .fetch import DEFAULT_TIMEOUT, prepare_jobs, run_jobs
    from .fetch.run import import_http_stack_meanwhile
    from .monitoring import nagios

    started = time.monotonic()
    now = datetime.now(UTC)
    as_json: bool = args.json
    output = _Output()

    def unknown_text(message: str) -> str:
        return json.dumps(nagios.unknown_report(message, now), indent=2) if as_json else nagios.unknown_output(message)

    def unknown(message: str) -> int:
        output.put(unknown_text(message))
        return rules.UNKNOWN

    try:
        thresholds = nagios.parse_thresholds(args.warning, args.critical)
    except nagios.UsageError as exc:
        return unknown(f"usage: {exc}")
    output.watch(args.timeout, unknown_text(f"no answer within {args.timeout:g} s (--timeout)"))
    try:
        from .service import open_service

        service = open_service(config_dir, demo=demo, with_history=False)
        service.open_history(forecasts=False)  # the poll's forecasts are computed once, by take() below
        for problem in service.problems:
            print(f"trayapp: {problem}", file=sys.stderr)
        accounts = nagios.select(service.config.accounts, args.provider, args.account)
        service.run_with_settings(nagios.run_settings(service.config.settings, thresholds))
        import_http_stack_meanwhile()  # while the keyring answers
        jobs, failed = prepare_jobs(accounts, service.monitor.states, service.secrets)
        left = args.timeout - (time.monotonic() - started) - 1.0  # a second to print and save
        fetched = time.monotonic()
        request_timeout = max(0.5, min(DEFAULT_TIMEOUT, left))
        results = failed + run_jobs(
            jobs,
            now,
            service.state.identity_salt,
            timeout=request_timeout,
            # The poll's own budget (as in the tray), cut short by --timeout: a provider trickling its answer
            # does not hold a plugin for the whole of a generous --timeout.
            deadline=max(0.5, min(left, request_timeout * 2 + 5)),
        )
        duration = time.monotonic() - fetched
        ids = {a.id for a in accounts}
        views = [v for v in service.take(results, now) if v.account.id in ids]
    except nagios.UsageError as exc:
        return unknown(str(exc))
    except TrayError as exc:
        return unknown(f"{exc.title}: {exc.message}")
    lang = service.monitor.lang
    views = nagios.escalate(views, thresholds, now, lang)
    if args.prometheus_textfile:
        from .monitoring.metrics import write_textfile

        try:
            write_textfile(args.prometheus_textfile, views, duration)
        except OSError as exc:
            print(f"trayapp: the metrics were not written to {args.prometheus_textfile}: {exc}", file=sys.stderr)
    if as_json:
        output.put(json.dumps(nagios.report(views, now, lang), indent=2, ensure_ascii=False))
    else:
        settings = service.monitor.settings
        output.put(nagios.plugin_output(views, now, lang, settings, thresholds, nagios.long_text(views, now, lang)))
    return report_exit_code(views)  # UNKNOWN when there is no account


class _Output:
    """The plugin's one output, printed once: by the check, or by its watchdog at --timeout (then the process
    exits UNKNOWN at once, as the guidelines ask of a plugin that runs out of time)."""

    def __init__(self) -> None:
        import threading

        self._lock = threading.Lock()
        self._done = False
        self._timer: threading.Timer | None = None

    def put(self, text: str) -> bool:
        with self._lock:
            if self._done:
                return False
            self._done = True
            if self._timer is not None:
                self._timer.cancel()
            print(text, flush=True)
            return True

    def watch(self, seconds: float, text: str) -> None:
        import threading

        def fire() -> None:
            if self.put(text):
                sys.stderr.flush()
                os._exit(rules.UNKNOWN)

        self._timer = threading.Timer(seconds, fire)
        self._timer.daemon = True
        self._timer.start()


def cmd_monitoring(config_dir: str | None, demo: bool, args: argparse.Namespace) -> int:
    if args.command == "status":
        from .monitoring.statusbar import run_status

        return run_status(config_dir, demo, args.format, poll=args.poll)
    from .monitoring.serve import ServeError, parse_listen, run_serve

    try:
        host, port = parse_listen(args.listen, allow_remote=args.allow_remote)
    except ServeError as exc:
        print(f"trayapp serve: {exc}", file=sys.stderr)
        return 2
    return run_serve(config_dir, demo, host, port)


def _leave_stuck_fetches(code: int) -> None:
    """A request past the poll's deadline (a server trickling bytes) still holds a worker thread, which
    Python would wait for at exit: the result is out and the state saved, so exit now instead."""
    import threading

    if any(t.name.startswith("fetch") and t.is_alive() for t in threading.enumerate()):
        import logging

        sys.stdout.flush()
        sys.stderr.flush()
        logging.shutdown()
        os._exit(code)


# ---------------------------------------------------------------- accounts


def cmd_list(config_dir: str | None, demo: bool, *, as_json: bool) -> int:
    from .service import open_service
    from .storage.atomic import dumps

    service = open_service(config_dir, demo=demo)
    for problem in service.problems:
        print(f"trayapp: {problem}", file=sys.stderr)
    if as_json:
        rows = [
            {
                "id": a.id,
                "label": a.label,
                "provider": a.provider,
                "base_url": a.base_url,
                "currency": a.currency,
                "keys": list(a.secret_kinds),
                "grants": [
                    {
                        "amount": float(g.amount),  # bounded when read (codec.MAX_AMOUNT): finite
                        "currency": g.currency,
                        "kind": g.kind,
                        "effective": g.effective.isoformat() if g.effective else None,
                        "expires": g.expires.isoformat() if g.expires else None,
                    }
                    for g in a.grants
                ],
            }
            for a in service.config.accounts
        ]
        print(dumps({"accounts": rows}))
    else:
        if not service.config.accounts:
            print("No accounts. Add one with: trayapp accounts add --provider NAME --label TEXT --key-stdin")
        for a in service.config.accounts:
            print(f"{a.id}\t{a.provider}\t{a.label}")
    return 0


def _key_sources(parser: argparse.ArgumentParser, args: argparse.Namespace) -> dict[str, str | None]:
    """{key kind: environment variable, or None for standard input}, checked against the provider's declared
    key kinds; a kind it does not declare, or a kind given twice, is a usage error (exit 2)."""
    info = catalog.info(args.provider)
    declared = [spec.kind for spec in info.secrets]
    given: list[tuple[str, str | None, str]] = []  # (kind, variable, as written)
    if args.key_stdin:
        given.append((declared[0], None, "--key-stdin"))
    for spec in args.key_env:
        kind, _, var = spec.rpartition("=")
        given.append((kind or "api", var, f"--key-env {spec}"))
    if args.admin_key_env:
        given.append(("admin", args.admin_key_env, f"--admin-key-env {args.admin_key_env}"))
    if args.management_key_env:
        given.append(("management", args.management_key_env, f"--management-key-env {args.management_key_env}"))
    sources: dict[str, str | None] = {}
    for kind, var, written in given:
        if kind not in declared:
            parser.error(f"{written}: {info.display_name} takes no {kind} key; its key kinds: {', '.join(declared)}")
        if kind in sources:
            parser.error(f"{written}: the {kind} key is given twice")
        if var is not None and not var:
            parser.error(f"{written}: no environment variable named")
        sources[kind] = var
    missing = [spec.kind for spec in info.secrets if spec.required and spec.kind not in sources]
    if missing:
        parser.error(f"one of the arguments --key-stdin --key-env is required (the {missing[0]} key)")
    return {kind: sources[kind] for kind in declared if kind in sources}


def _read_key(var: str | None) -> Secret:
    """A key from standard input (`var` None) or from an environment variable."""
    if var is None:
        value = _read_key_line().strip()
        if not value:
            raise ConfigError("No key", "No key was given on standard input.")
    else:
        value = os.environ.get(var, "").strip()
        if not value:
            raise ConfigError("No key", f"The environment variable {var} is empty or not set.")
    problem = odd_character_message(value, tr("key"))
    if problem is not None:  # an invisible character pasted along: refused here, not at the first poll
        raise ConfigError(tr("Invalid key"), problem)
    return Secret(value)


def _read_key_line() -> str:
    """A line of standard input; on a terminal without echo (getpass), so the pasted key is not shown."""
    if sys.stdin is None:
        return ""
    if sys.stdin.isatty():
        import getpass

        try:
            return getpass.getpass("Paste the key, then press Enter (it is not shown): ", stream=sys.stderr)
        except EOFError:
            return ""
    return sys.stdin.readline()


def _check_prefix(info: ProviderInfo, kind: str, key: Secret) -> None:
    spec = next(s for s in info.secrets if s.kind == kind)
    if spec.prefix and not key.reveal().startswith(spec.prefix):
        article = "an" if kind[:1] in "aeiou" else "a"
        raise ConfigError(
            f"Not {article} {kind} key",
            f"{article.capitalize()} {info.display_name} {kind} key starts with {spec.prefix}.",
        )


def cmd_add(config_dir: str | None, args: argparse.Namespace, sources: dict[str, str | None]) -> int:
    from .service import open_service

    info = catalog.info(args.provider)
    base_url = validate_base_url(args.base_url) if args.base_url else None
    if base_url is None and info.default_base_url is None:
        raise ConfigError("Base URL needed", f"{info.display_name} has no default address: give --base-url.")
    currency = parse_currency(args.currency) if args.currency else None
    keys: dict[str, Secret] = {}
    for kind, var in sources.items():
        keys[kind] = _read_key(var)
        _check_prefix(info, kind, keys[kind])
    if args.probe and "probe" not in info.options:
        offering = [i for i in catalog.CATALOG.values() if "probe" in i.options]
        raise ConfigError(
            f"The probe is {' / '.join(i.display_name for i in offering)}'s",
            f"--probe applies to --provider {' or '.join(i.name for i in offering)}.",
        )
    service = open_service(config_dir)
    account = service.draft_account(
        args.provider,
        args.label.strip() or info.display_name,
        base_url=base_url,
        currency=currency,
        secret_kinds=tuple(keys),
        options={"probe": True} if args.probe else {},
    )
    # Keys first: if the secret store refuses, nothing is half-added; if config.json then cannot be written
    # (a full disk), the keys just stored go again, so every file and the keyring are as they were.
    service.store_keys(account.id, keys)
    try:
        service.put_account(account)
    except TrayError:
        try:
            service.delete_keys(account)
        except SecretStoreError:
            service.state.orphaned_keys.add(account.id)  # deleted by the next add or remove
            with contextlib.suppress(TrayError):
                service.save_state()
        raise
    service.clean_orphaned_keys()
    print(
        f"Added {account.label} ({info.display_name}); key stored in {service.secrets.describe()}.",
        file=sys.stderr,
    )
    print(account.id)
    return 0


def cmd_remove(config_dir: str | None, account_id: str) -> int:
    from .service import open_service

    service = open_service(config_dir)
    account = service.config.account(account_id)
    try:
        service.delete_keys(account)
    except SecretStoreError as exc:
        raise SecretStoreError(exc.title, exc.message + " The account was not removed.", state=exc.state) from None
    service.remove_account(account_id)
    service.clean_orphaned_keys()
    print(f"Removed {account.label} and its keys.", file=sys.stderr)
    return 0


def cmd_grant(config_dir: str | None, args: argparse.Namespace) -> int:
    from .service import open_service

    service = open_service(config_dir)
    account = service.config.account(args.id)
    effective = parse_date(args.effective, "effective date") if args.effective else None
    expires = parse_date(args.expires, "expiry date")
    if effective and expires <= effective:
        raise ConfigError("Invalid dates", "The expiry date must come after the effective date.")
    grant = Grant(
        amount=parse_amount(args.amount),
        currency=parse_currency(args.currency),
        effective=effective,
        expires=expires,
        kind=args.kind,
    )
    service.add_grant(account.id, grant)
    print(
        f"Added {rules.format_money(grant.amount, grant.currency)} to {account.label}, expiring {expires.isoformat()}.",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
