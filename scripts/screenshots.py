"""Screenshots of the real app for the README: `make screenshots` (= scripts/desktop-session -- .venv/bin/python
scripts/screenshots.py docs/screenshots).

Runs `python -m trayapp --demo` in the desktop session (xfce4-panel, dunst) and writes, cropped:
  tray.png          the panel with the icon, and its tooltip (every account's line)
  tray-menu.png     the menu the panel opens on a right click on the icon
  glance.png        the glance a left click on the icon opens (one card per account, most urgent first)
  notification.png  the alert bubble dunst shows at start
  details.png       the details window, on a trial credit that runs low and expires soon
and, with a Japanese locale (LANG=ja_JP.UTF-8), tray-menu-ja.png, glance-ja.png and details-ja.png.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
BACKGROUND = "#4a5568"
DETAILS_ACCOUNT = "OpenAI trial (demo)"  # the details window opens on this account
T = TypeVar("T")


def run(*argv: str, check: bool = True, timeout: float = 20) -> str:
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise SystemExit(f"screenshots: {' '.join(argv)} exited {proc.returncode}: {proc.stderr.strip()}")
    return proc.stdout


def wait(predicate: Callable[[], T | None], what: str, timeout: float = 10) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise SystemExit(f"screenshots: timed out waiting for {what}")
        time.sleep(0.05)


Box = tuple[int, int, int, int]  # x, y, width, height


def geometry(window: str) -> Box:
    values = dict(line.split("=", 1) for line in run("xdotool", "getwindowgeometry", "--shell", window).split())
    return int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"])


def top_level() -> dict[str, Box]:
    found = {}
    for line in run("xwininfo", "-root", "-children").splitlines():
        m = re.match(r"\s+(0x[0-9a-f]+) .*\s(\d+)x(\d+)\+(-?\d+)\+(-?\d+)\s", line)
        if m:
            window, w, h, x, y = m.groups()
            found[window] = (int(x), int(y), int(w), int(h))
    return found


def new_popup(before: dict[str, Box]) -> Box | None:
    for window, box in top_level().items():
        if window not in before and box[3] > 60 and "IsViewable" in run("xwininfo", "-id", window, check=False):
            return box
    return None


def union(*boxes: Box, margin: int = 0) -> Box:
    x0 = max(min(b[0] for b in boxes) - margin, 0)
    y0 = max(min(b[1] for b in boxes) - margin, 0)
    x1 = max(b[0] + b[2] for b in boxes) + margin
    y1 = max(b[1] + b[3] for b in boxes) + margin
    return x0, y0, x1 - x0, y1 - y0


def shoot(path: Path, box: Box, scale: int = 100) -> None:
    """The screen region `box` to a PNG (ImageMagick), optionally scaled up."""
    x, y, w, h = box
    argv = ["import", "-window", "root", "-crop", f"{w}x{h}+{x}+{y}", "+repage"]
    if scale != 100:
        argv += ["-filter", "Lanczos", "-resize", f"{scale}%"]
    run(*argv, "-strip", str(path))
    print(f"screenshots: {path} ({w}x{h} at {x},{y})")


def bus_call(dest: str, path: str, interface: str, method: str, signature: str | None = None, body: tuple = ()) -> Any:
    from jeepney import DBusAddress, new_method_call
    from jeepney.io.blocking import open_dbus_connection

    with open_dbus_connection(bus="SESSION") as conn:
        reply = conn.send_and_get_reply(new_method_call(DBusAddress(path, dest, interface), method, signature, body))
    return tuple(reply.body)


def app_service(pid: int) -> str | None:
    """The app's StatusNotifierItem service on the bus (the watcher lists "SERVICE/PATH")."""
    try:
        ((_sig, items),) = bus_call(
            "org.kde.StatusNotifierWatcher",
            "/StatusNotifierWatcher",
            "org.freedesktop.DBus.Properties",
            "Get",
            "ss",
            ("org.kde.StatusNotifierWatcher", "RegisteredStatusNotifierItems"),
        )
    except Exception:
        return None
    for entry in items:
        service = entry.split("/", 1)[0]
        (owner_pid,) = bus_call(
            "org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus",
            "GetConnectionUnixProcessID",
            "s",
            (service,),
        )
        if owner_pid == pid:
            return service
    return None


def click_menu(service: str, wanted: Callable[[str], bool]) -> None:
    """Click the exported menu entry whose label matches, as the panel would (dbusmenu Event)."""
    bus_call(service, "/MenuBar", "com.canonical.dbusmenu", "AboutToShow", "i", (0,))
    _rev, layout = bus_call(service, "/MenuBar", "com.canonical.dbusmenu", "GetLayout", "iias", (0, -1, []))
    for _sig, (item_id, props, _children) in layout[2]:
        label = props.get("label", ("s", ""))[1]
        if wanted(label):
            bus_call(service, "/MenuBar", "com.canonical.dbusmenu", "Event", "isvu", (item_id, "clicked", ("i", 0), 0))
            return
    raise SystemExit("screenshots: no such menu entry")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: scripts/desktop-session -- .venv/bin/python scripts/screenshots.py OUT_DIR", file=sys.stderr)
        return 2
    if os.environ.get("TRAYAPP_DESKTOP_SESSION") != "1":
        print("screenshots: run me inside scripts/desktop-session (make screenshots)", file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    if (os.environ.get("DS_DIR") and Path(os.environ["DS_DIR"], "state", "tray").read_text().strip()) != "xfce4-panel":
        run(os.environ["DS_SCRIPT"], "ctl", "tray", "xfce4-panel", timeout=60)

    # A plain desktop background instead of Xvfb's black.
    with tempfile.TemporaryDirectory() as tmp:
        background = Path(tmp) / "bg.png"
        run("convert", "-size", "1280x800", f"xc:{BACKGROUND}", str(background))
        subprocess.run(["display", "-window", "root", str(background)], capture_output=True, timeout=10)

        # English, whatever the machine's locale; then Japanese.
        for locale, suffix in (("C.UTF-8", ""), ("ja_JP.UTF-8", "-ja")):
            config = Path(tmp) / "config"
            env = {k: v for k, v in os.environ.items() if k not in ("PYTHON_KEYRING_BACKEND", "TRAYAPP_CONFIG_DIR")}
            env["LANG"] = env["LC_ALL"] = locale
            app = subprocess.Popen(
                [sys.executable, "-m", "trayapp", "--demo", "--config-dir", str(config)],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                take_all(out, app.pid, suffix)
            finally:
                app.terminate()
                try:
                    app.wait(10)
                except subprocess.TimeoutExpired:
                    app.kill()
                shutil.rmtree(config, ignore_errors=True)
    return 0


def take_all(out: Path, pid: int, suffix: str = "") -> None:
    """Every screenshot in English (suffix ""); only the menu, the glance and the details window in another
    language."""
    service = wait(lambda: app_service(pid), "the app's icon on the panel", timeout=20)
    panel = max(
        (geometry(w) for w in run("xdotool", "search", "--onlyvisible", "--class", "xfce4-panel").split()),
        key=lambda b: b[2] * b[3],
    )
    px, py, _pw, ph = panel
    icon_x, icon_y = px + ph // 2, py + ph // 2

    # The notification the demo raises at start (dunst keeps it until closed).
    bubble = wait(lambda: run("xdotool", "search", "--onlyvisible", "--class", "Dunst", check=False).split(), "dunst")
    time.sleep(0.3)  # let dunst finish drawing
    if not suffix:
        shoot(out / "notification.png", union(geometry(bubble[0]), margin=12))
    run("dunstctl", "close-all")

    # The icon, with its tooltip (hover).
    before = top_level()
    run("xdotool", "mousemove", str(icon_x - 1), str(icon_y - 1))
    run("xdotool", "mousemove", str(icon_x), str(icon_y))
    tip = wait(lambda: new_popup(before), "the tooltip")
    time.sleep(0.3)
    if not suffix:
        shoot(out / "tray.png", union(panel, tip, margin=12))
    run("xdotool", "mousemove", "900", "600")
    wait(lambda: new_popup(before) is None, "the tooltip to go")

    def popup(button: str, name: str, what: str) -> None:
        """Click the icon, shoot the panel with the popup that opens, close it with Escape."""
        before = top_level()
        run("xdotool", "mousemove", str(icon_x), str(icon_y), "click", button)
        box = wait(lambda: new_popup(before), what)
        time.sleep(0.3)
        shoot(out / f"{name}{suffix}.png", union(panel, box, margin=12))
        run("xdotool", "key", "Escape")
        wait(lambda: new_popup(before) is None, f"{what} to close")

    # The menu: a right click on the icon, rendered by the panel from the app's exported menu.
    popup("3", "tray-menu", "the menu")
    # The glance: a left click on the icon; the popup by the icon.
    popup("1", "glance", "the glance")

    # The details window on the trial credit that expires soon (what a click on its menu line opens).
    click_menu(service, lambda label: DETAILS_ACCOUNT in label)
    # Found by the app's pid: Qt puts "Accounts — Credit Tray" only in _NET_WM_NAME, which xdotool does not search.
    window = wait(
        lambda: run("xdotool", "search", "--onlyvisible", "--pid", str(pid), check=False).split(),
        "the details window",
    )[0]
    time.sleep(0.5)
    shoot(out / f"details{suffix}.png", geometry(window))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
