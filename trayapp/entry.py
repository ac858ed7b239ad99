"""The `trayapp` command's entry point: the tray starts before the core or the CLI's parser is imported.

Starting the tray is the common case and the one a user waits for, so plain `trayapp`,
`trayapp --demo` and `trayapp --config-dir DIR` go straight to the tray; everything else goes to the CLI.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def tray_arguments(argv: Sequence[str]) -> tuple[str | None, bool] | None:
    """(config_dir, demo) when the arguments only start the tray; None for anything else (the CLI decides)."""
    config_dir: str | None = None
    demo = False
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--demo":
            demo = True
        elif arg == "--config-dir" and i + 1 < len(argv) and not argv[i + 1].startswith("-"):
            config_dir = argv[i + 1]
            i += 1
        elif arg.startswith("--config-dir=") and len(arg) > len("--config-dir="):
            config_dir = arg.split("=", 1)[1]
        else:
            return None
        i += 1
    return config_dir, demo


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    tray = tray_arguments(args)
    if tray is None:
        from .monitoring.statusbar import status_argv

        if (status := status_argv(args)) is not None:  # a bar runs it every few seconds: not through the CLI
            from .monitoring.statusbar import main as status_main

            return status_main(status)  # hardens itself past its cache, before it reads anything else
    from .platform.hardening import harden

    harden()  # before any key is read: the tray and every command hold keys (no core dump of them)
    if tray is not None:
        return start_tray(*tray)
    from .cli import main as cli_main

    return cli_main(args, start_tray=start_tray)


def start_tray(config_dir: str | None, demo: bool) -> int:
    from .app import run_tray

    try:
        return run_tray(config_dir, demo)
    except Exception as exc:
        # Imported only here: the errors bring in the models (~6 ms), which the icon shown first does not need.
        from .core.errors import TrayError

        if not isinstance(exc, TrayError):
            raise
        print(f"trayapp: {exc.title}: {exc.message}", file=sys.stderr)  # a config dir that cannot be one, say
        return 1
