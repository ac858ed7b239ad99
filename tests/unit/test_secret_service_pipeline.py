"""The batch key read sends its SearchItems calls in windows: a bus refuses more calls awaiting an answer than
its max_replies_per_connection (dbus-daemon's default: 128). Found by `make bench`: a poll of 500 accounts had
every key refused with LimitsExceeded.

A real dbus-daemon (a private one, with that limit set to 100) and a collection served on it that answers
slowly (as gnome-keyring does under load); the real keyring is in tests/desktop/test_keyring_batch.py."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from trayapp.secrets import store

pytestmark = pytest.mark.skipif(shutil.which("dbus-daemon") is None, reason="dbus-daemon is not installed")

LIMIT = 100
CONFIG = f"""<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:dir={{dir}}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/>
<allow own="*"/></policy>
<limit name="max_replies_per_connection">{LIMIT}</limit></busconfig>
"""
NAME = "org.example.SlowSecrets"
PATH = "/org/example/collection"


@pytest.fixture
def bus(tmp_path: Path) -> Iterator[str]:
    conf = tmp_path / "bus.conf"
    conf.write_text(CONFIG.format(dir=tmp_path))
    proc = subprocess.Popen(
        ["dbus-daemon", f"--config-file={conf}", "--nofork", "--print-address=1"], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    yield proc.stdout.readline().strip()
    proc.terminate()
    proc.wait(5)


def serve_collection(address: str, stop: threading.Event) -> None:
    """SearchItems answered one at a time, 1 ms each: the item path of the username asked, for every third."""
    from jeepney import MessageType, new_method_return
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import open_dbus_connection
    from jeepney.low_level import HeaderFields

    with open_dbus_connection(address) as conn:
        conn.send_and_get_reply(message_bus.RequestName(NAME))
        ready.set()
        while not stop.is_set():
            try:
                msg = conn.receive(timeout=0.2)
            except TimeoutError:
                continue
            if msg.header.message_type is MessageType.method_call and msg.header.fields[HeaderFields.member] == (
                "SearchItems"
            ):
                time.sleep(0.001)
                (query,) = msg.body
                number = int(query["username"].removeprefix("acc-"))
                paths = [f"{PATH}/{number}"] if number % 3 == 0 else []
                conn.send(new_method_return(msg, "ao", (paths,)))


ready = threading.Event()


def test_more_searches_than_the_bus_lets_wait_are_all_answered(bus: str) -> None:
    from jeepney import DBusAddress
    from jeepney.io.blocking import open_dbus_connection

    assert store.PIPELINE < LIMIT
    stop = threading.Event()
    ready.clear()
    server = threading.Thread(target=serve_collection, args=(bus, stop), daemon=True)
    server.start()
    assert ready.wait(5)
    try:
        with open_dbus_connection(bus) as conn:
            collection = DBusAddress(PATH, NAME, "org.freedesktop.Secret.Collection")
            queries = [{"username": f"acc-{i}", "service": "credit-tray"} for i in range(3 * LIMIT)]
            found = store._search_pipelined(conn, collection, queries)
    finally:
        stop.set()
        server.join(5)
    assert found == [[f"{PATH}/{i}"] if i % 3 == 0 else [] for i in range(3 * LIMIT)]
