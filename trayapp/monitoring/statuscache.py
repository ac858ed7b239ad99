"""The rendered line of `trayapp status`, kept next to state.json (`status-cache.json`) with what it was made from
and how long it holds, so that a bar's next run prints it without loading the core.

A bar runs `trayapp status` every few seconds to every minute, while the state it shows changes once a poll
(every 15 minutes) and the texts that age with time change in steps of minutes to days. The slow path
(statusbar.py) computes the line as before and writes this file; the fast path reads it and prints it when:
- the format and the app version are the ones that wrote it (a new version may render differently);
- every input is as it was (`fingerprint`): config.json, state.json and the folder of declared providers (their
  times, size, inode: the tray replaces state.json with a new file at every save), the variables the language
  and the time zone come from (texts and clock times depend on them), and those that locate the files;
- now is within [valid_from, valid_until): until the first moment the same inputs would render otherwise
  (`valid_until`, by rendering at later moments: see there), and never when the clock was set back.
Anything else (no file, a half-written or foreign one, any mismatch) is the slow path, which writes it anew.

Only the standard library is imported here, and only what starting Python has mostly loaded already: this
runs before, and instead of, the core's import.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable

from .. import APP_ID, __version__

FORMATS = ("waybar", "i3blocks", "text")  # of the line; each is kept
FORMAT = 1  # of this file; another is read as "no cache"
FILE_NAME = "status-cache.json"
ENV_CONFIG_DIR = "TRAYAPP_CONFIG_DIR"  # storage/paths.py's
LANGUAGE_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")  # core/texts.py's system_language reads these
LOCATION_VARS = (ENV_CONFIG_DIR, "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME")
LONGEST = 24 * 3600.0  # s: the longest a line is kept, whatever it says
FIRST_STEP = 60.0  # s: the first later moment rendered
RESOLUTION = 15.0  # s: how close to the first change valid_until is searched

INFINITY = float("inf")
Fingerprint = list[object]  # JSON-native (lists, str, int, None): compared with what the file holds


class Where:
    """The folders `trayapp status` reads: config.json in `config_dir`, state.json and this cache in `data_dir`."""

    __slots__ = ("config_dir", "data_dir")

    def __init__(self, config_dir: str, data_dir: str) -> None:
        self.config_dir = config_dir
        self.data_dir = data_dir

    @property
    def cache_file(self) -> str:
        return os.path.join(self.data_dir, FILE_NAME)

    def __repr__(self) -> str:
        return f"Where({self.config_dir!r}, {self.data_dir!r})"


def locate(config_dir: str | None) -> Where:
    """Where storage/paths.py's resolve_paths puts the files, without importing it (nor platformdirs, ~10 ms,
    where the XDG rule is plain): --config-dir, else TRAYAPP_CONFIG_DIR, else the user's folders. A test
    checks that both agree; the variables used are in the fingerprint, so a file found by another rule is
    never taken for this one's."""
    chosen = config_dir or os.environ.get(ENV_CONFIG_DIR)
    if chosen:
        root = os.path.expanduser(chosen)
        return Where(root, root)
    home = os.environ.get("HOME", "")
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")) and os.path.isabs(home):
        xdg = [os.environ.get(var, "") for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME")]
        # Unset or blank: the default (every platformdirs 4). Relative: versions differ; theirs is asked.
        if all(not v.strip() or os.path.isabs(v) for v in xdg):
            config_base = xdg[0] if os.path.isabs(xdg[0]) else os.path.join(home, ".config")
            data_base = xdg[1] if os.path.isabs(xdg[1]) else os.path.join(home, ".local", "share")
            return Where(os.path.join(config_base, APP_ID), os.path.join(data_base, APP_ID))
    import platformdirs  # macOS, Windows, an unusual environment: its own rule

    return Where(
        platformdirs.user_config_dir(APP_ID, appauthor=False), platformdirs.user_data_dir(APP_ID, appauthor=False)
    )


def _file(path: str) -> list[int] | str:
    """What changes when a file is rewritten, replaced (a new inode), truncated or made unreadable (ctime)."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return "absent"
    return [st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, st.st_dev]


def fingerprint(where: Where) -> Fingerprint:
    """Every input of the line but the time. Raises OSError when a file cannot even be looked at."""
    return [
        where.config_dir,
        where.data_dir,
        _file(os.path.join(where.config_dir, "config.json")),
        _file(os.path.join(where.data_dir, "state.json")),
        _file(os.path.join(where.config_dir, "providers")),  # a declared provider added, removed or renamed
        [os.environ.get(var) for var in (*LANGUAGE_VARS, *LOCATION_VARS)],
        [os.environ.get("TZ"), *time.tzname, time.timezone, time.altzone],
    ]


def _number(value: object) -> float | None:
    """A finite number of seconds (not a bool, not NaN: NaN is between nothing)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not -INFINITY < value < INFINITY:
        return None
    return float(value)


def cached_line(where: Where, key: Fingerprint, fmt: str, now: float) -> str | None:
    """The line kept for `fmt` when it still holds at `now` (epoch seconds), else None. Never raises: a file
    that cannot be read or is not what this version writes is no cache."""
    try:
        with open(where.cache_file, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):  # missing, unreadable, half written, not UTF-8, not JSON
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("app") != __version__:
        return None
    valid_from, valid_until = _number(data.get("valid_from")), _number(data.get("valid_until"))
    if valid_from is None or valid_until is None or not valid_from <= now < valid_until:
        return None
    if data.get("fingerprint") != key:
        return None
    lines = data.get("lines")
    line = lines.get(fmt) if isinstance(lines, dict) else None
    return line if isinstance(line, str) else None


def cache_data(key: Fingerprint, lines: dict[str, str], valid_from: float, valid_until: float) -> dict[str, object]:
    """What status-cache.json holds (written by the slow path with storage's atomic write, 0600)."""
    return {
        "format": FORMAT,
        "app": __version__,
        "valid_from": valid_from,
        "valid_until": valid_until,
        "fingerprint": key,
        "lines": lines,
    }


def valid_until(same_at: Callable[[float], bool], now: float) -> float:
    """The last moment (epoch seconds, at most LONGEST after `now`, within RESOLUTION of the truth) until which
    the line rendered at `now` is still the one the same inputs render; `same_at(t)` renders at `t` and
    compares.

    Why a few renderings suffice, without knowing the rules: each piece of the line that depends on the time
    is a step function of it that only moves forward: an age ("no fresh data for 2 h") only grows, the days
    to an expiry only shrink, an account only goes from read lately to stale, from "expires in 1 day" to
    expired, from "updated 14:05" to "updated 2026-12-01 14:05" (not today), from a young login to an old
    one. No piece comes back to a value it left, and each is printed in the line (the tooltip names every
    account's days, status, clock times and every alert; a piece printed only from some moment on, as the
    age of stale data, stays printed from then), so if the line at `t` is the line at `now`, no piece moved
    in between, and the line is the same at every moment of [now, t]. Rendering at now + 1, 2,
    4, ... minutes up to LONGEST finds a moment where it differs, and halving the gap between the last equal
    and the first different moment finds the change to RESOLUTION: about 12 + 11 renderings at the most.
    """
    good, bad = now, None
    step = FIRST_STEP
    while bad is None:
        t = now + min(step, LONGEST)
        if not same_at(t):
            bad = t
        elif t - now >= LONGEST:
            return t
        else:
            good, step = t, step * 2
    while bad - good > RESOLUTION:
        mid = (good + bad) / 2
        if same_at(mid):
            good = mid
        else:
            bad = mid
    return good
