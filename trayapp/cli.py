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

from . import __version__
from .core import rules
from .core.errors import ConfigError, SecretStoreError, TrayError
from .core.i18n import localize
from .core.models import Grant
from .core.monitor import AccountView, report_exit_code, report_json, verdict_summary
from .core.validation import parse_amount, parse_currency, parse_date, validate_base_url
from .providers import catalog
from .providers.base import ProviderInfo
from .secrets.secret import Secret

EXIT_FAILURE = 3  # for `check`, UNKNOWN; for other commands, "could not do it"


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
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

    parser = argparse.ArgumentParser(
        prog="trayapp",
        parents=[common],
        description="Credit Tray: remaining AI API credit, expiry and second-account mix-ups, in the tray.",
    )
    parser.add_argument("--version", action="version", version=f"trayapp {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", parents=[common], help="poll once, print, exit 0/1/2/3 (Nagios)")
    check.add_argument("--json", action="store_true", help="print one JSON object")
    check.add_argument("--account", metavar="ID", help="only this account")

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
    add.add_argument("--provider", required=True, choices=[i.name for i in catalog.CATALOG.values() if not i.sample])
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


TrayStarter = Callable[[str | None, bool], int]


def main(argv: Sequence[str] | None = None, *, start_tray: TrayStarter | None = None) -> int:
    """`start_tray`: how to start the tray when no command is given (entry.py hands it in: only the entry
    point knows the composition root)."""
    if list(sys.argv[1:] if argv is None else argv)[:1] == ["--fetcher"]:  # fetch.child_command, frozen
        from .fetch.child import child_main, exit_child

        exit_child(child_main())  # as `python -m trayapp.fetch`
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
            code = cmd_check(config_dir, demo, as_json=args.json, account_id=args.account)
            _leave_stuck_fetches(code)
            return code
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


def cmd_check(config_dir: str | None, demo: bool, *, as_json: bool, account_id: str | None) -> int:
    from .fetch import prepare_jobs, run_jobs
    from .service import open_service

    service = open_service(config_dir, demo=demo)
    for problem in service.problems:
        print(f"trayapp: {problem}", file=sys.stderr)
    accounts = service.config.accounts
    if account_id is not None:
        accounts = [service.config.account(account_id)]
    now = datetime.now(UTC)
    jobs, failed = prepare_jobs(accounts, service.monitor.states, service.secrets)
    results = failed + run_jobs(jobs, now, service.state.identity_salt)
    ids = {a.id for a in accounts}
    views = [v for v in service.take(results, now) if v.account.id in ids]
    if as_json:
        print(json.dumps(report_json(views, now), indent=2, ensure_ascii=False))
    else:
        print(text_report(views, now, service.monitor.lang))
    return report_exit_code(views)  # UNKNOWN when there is no account


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


def text_report(views: Sequence[AccountView], now: datetime, lang: str = "en") -> str:
    """The human report: the verdict and every account that made it, then a line per account; the core's
    sentences (alerts, errors, why unknown) in `lang`, like the alerts."""
    lines = [f"CREDIT {rules.STATE_NAMES[report_exit_code(views)]} - {verdict_summary(views, lang)}"]
    for v in views:
        lines.append("  " + account_line(v, now, lang))
        if v.error is not None:
            lines.append(f"      error: {localize(v.error.title, lang)}: {localize(v.error.message, lang)}")
        if v.unknown_reason:
            lines.append(f"      remaining unknown: {localize(v.unknown_reason, lang)}")
        for a in v.alerts:
            lines.append(f"      {a.severity.value}: {a.message}")
    return "\n".join(lines)


def account_line(v: AccountView, now: datetime, lang: str = "en") -> str:
    parts = [f"{v.account.label}: {v.remaining_in(lang)}"]
    if v.days_to_expiry is not None:
        parts.append(f"expires in {v.days_to_expiry} d")
    parts.append(v.age_in(now, lang))
    if v.status.value not in ("ok",):
        parts.append(v.status.value)
    return " · ".join(parts)


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
        if sys.stdin is None or sys.stdin.isatty():
            print("Paste the key, then press Enter:", file=sys.stderr)
        value = sys.stdin.readline().strip() if sys.stdin else ""
        if not value:
            raise ConfigError("No key", "No key was given on standard input.")
    else:
        value = os.environ.get(var, "").strip()
        if not value:
            raise ConfigError("No key", f"The environment variable {var} is empty or not set.")
    if any(c.isspace() for c in value):
        raise ConfigError("Invalid key", "The key contains spaces or line breaks.")
    return Secret(value)


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
