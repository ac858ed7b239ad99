"""A real Nagios (Debian's nagios4) runs `trayapp check` on its schedule against loopback accounts; its own
status file (status.dat) and performance data file show the state, the output and the perfdata it parsed.

The engine runs with a private configuration in the test's temp dir: one host, two services on a 2-second
check interval (interval_length=1), nothing else (no notifications, no CGI, no external commands).
"""

from __future__ import annotations

import grp
import os
import pwd
import shlex
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.conftest import ROOT, CliRunner

from .conftest import add_accounts, answer, assert_no_key_in, need, wait_for

NAGIOS_CFG = """\
log_file={d}/nagios.log
cfg_file={d}/objects.cfg
object_cache_file={d}/objects.cache
precached_object_file={d}/objects.precache
resource_file={d}/resource.cfg
status_file={d}/status.dat
status_update_interval=1
nagios_user={user}
nagios_group={group}
check_external_commands=0
command_file={d}/nagios.cmd
lock_file={d}/nagios.lock
temp_file={d}/nagios.tmp
temp_path={d}
check_result_path={d}/checkresults
check_result_reaper_frequency=1
retain_state_information=0
interval_length=1
max_service_check_spread=1
max_host_check_spread=1
enable_notifications=0
enable_event_handlers=0
enable_flap_detection=0
process_performance_data=1
service_perfdata_file={d}/service-perfdata
service_perfdata_file_template=$LASTSERVICECHECK$\\t$SERVICEDESC$\\t$SERVICESTATE$\\t$SERVICEOUTPUT$\\t$SERVICEPERFDATA$
service_perfdata_file_mode=a
service_perfdata_file_processing_interval=1
service_check_timeout=60
use_syslog=0
illegal_macro_output_chars=`~$&<>"
"""

OBJECTS = """\
define command {{
  command_name trayapp_check
  command_line {d}/trayapp-check $ARG1$
}}
define command {{
  command_name always_up
  command_line $USER1$/check_dummy 0 up
}}
define timeperiod {{
  timeperiod_name always
  alias always
  sunday 00:00-24:00
  monday 00:00-24:00
  tuesday 00:00-24:00
  wednesday 00:00-24:00
  thursday 00:00-24:00
  friday 00:00-24:00
  saturday 00:00-24:00
}}
define contact {{
  contact_name nobody
  host_notifications_enabled 0
  service_notifications_enabled 0
  host_notification_period always
  service_notification_period always
  host_notification_options n
  service_notification_options n
  host_notification_commands always_up
  service_notification_commands always_up
}}
define host {{
  host_name loopback
  address 127.0.0.1
  check_command always_up
  max_check_attempts 1
  check_interval 60
  check_period always
  contacts nobody
  notification_period always
}}
define service {{
  host_name loopback
  service_description credit
  check_command trayapp_check!--timeout 30
  max_check_attempts 1
  check_interval 2
  retry_interval 2
  check_period always
  contacts nobody
  notification_period always
}}
define service {{
  host_name loopback
  service_description credit-typo
  check_command trayapp_check!--account nope
  max_check_attempts 1
  check_interval 2
  retry_interval 2
  check_period always
  contacts nobody
  notification_period always
}}
"""


def status_blocks(path: Path) -> dict[str, dict[str, str]]:
    """status.dat's servicestatus blocks, by service description."""
    if not path.exists():
        return {}
    blocks: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for raw in path.read_text(errors="replace").splitlines():
        line = raw.strip()
        if line == "servicestatus {":
            current = {}
        elif line == "}" and current is not None:
            blocks[current.get("service_description", "")] = current
            current = None
        elif current is not None and "=" in line:
            key, _, value = line.partition("=")
            current[key] = value
    return blocks


@pytest.fixture
def nagios(tmp_path: Path, cli: CliRunner) -> Iterator[Callable[[], Path]]:
    """`start()`: Nagios running on its private config (the plugin: this checkout's trayapp, the test's config
    dir and keyring); returns its directory. Stopped (SIGTERM, by its pid) afterwards."""
    binary = need("nagios4", "nagios4-core")
    need("/usr/lib/nagios/plugins/check_dummy", "monitoring-plugins-basic")
    d = tmp_path / "nagios"
    (d / "checkresults").mkdir(parents=True)
    user = pwd.getpwuid(os.getuid()).pw_name
    group = grp.getgrgid(os.getgid()).gr_name
    (d / "nagios.cfg").write_text(NAGIOS_CFG.format(d=d, user=user, group=group))
    (d / "objects.cfg").write_text(OBJECTS.format(d=d))
    (d / "resource.cfg").write_text("$USER1$=/usr/lib/nagios/plugins\n")
    env = {k: cli.env[k] for k in ("PYTHONPATH", "PYTHON_KEYRING_BACKEND", "TRAYAPP_TEST_KEYRING_FILE")}
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    plugin = d / "trayapp-check"
    plugin.write_text(
        "#!/bin/sh\n"
        f"cd {shlex.quote(str(ROOT))}\n"
        f"exec env {exports} {shlex.quote(sys.executable)} -m trayapp "
        f'--config-dir {shlex.quote(str(cli.config_dir))} check "$@"\n'
    )
    plugin.chmod(0o755)
    verify = subprocess.run([binary, "-v", str(d / "nagios.cfg")], capture_output=True, text=True, timeout=60)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    started: list[subprocess.Popen[bytes]] = []

    def start() -> Path:
        log = (d / "nagios.out").open("wb")
        started.append(subprocess.Popen([binary, str(d / "nagios.cfg")], stdout=log, stderr=subprocess.STDOUT))
        return d

    yield start
    for proc in started:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def checked_after(d: Path, service: str, after: int) -> dict[str, str] | None:
    """The service's status once the plugin has run (its output, not Nagios' placeholder) after `after`."""
    block = status_blocks(d / "status.dat").get(service)
    if block and block.get("plugin_output", "").startswith("CREDIT ") and int(block.get("last_check", "0")) > after:
        return block
    return None


def test_nagios_runs_the_plugin_and_shows_its_state_and_perfdata(
    cli: CliRunner, server: HTTPServer, nagios: Callable[[], Path]
) -> None:
    ids = add_accounts(cli, server, ["A", "B"])
    answer(server, {"A": "110.00", "B": "2.50"})
    d = nagios()

    credit = wait_for(lambda: checked_after(d, "credit", 0), 120, "Nagios to run the check")
    assert credit["current_state"] == "1", credit  # WARNING
    assert (
        credit["plugin_output"]
        == "CREDIT WARNING - 1 warning (B): B: credit is low: 2.50 CNY left (warning at 5.00 CNY)."
    )
    assert credit["performance_data"] == "'A CNY'=110;@~:5;@~:0;0 'B CNY'=2.5;@~:5;@~:0;0"
    # The long text, as Nagios keeps it (newlines escaped).
    assert credit["long_plugin_output"].split("\\n")[:2] == [
        "  A: 110.00 CNY · updated just now",
        "  B: 2.50 CNY · updated just now",
    ], credit
    typo = wait_for(lambda: checked_after(d, "credit-typo", 0), 120, "Nagios to run the mistyped check")
    assert typo["current_state"] == "3", typo  # UNKNOWN, and said why: not "(No output returned from plugin)"
    listed = ", ".join(sorted(ids.values()))
    assert typo["plugin_output"] == f"CREDIT UNKNOWN - no account with the id 'nope' (accounts: {listed})"

    # B runs out: the next scheduled check turns CRITICAL.
    answer(server, {"A": "110.00", "B": "0"})
    last = int(credit["last_check"])
    credit = wait_for(
        lambda: (b := checked_after(d, "credit", last)) and b["current_state"] == "2" and b,
        120,
        "the next scheduled check to see B at zero",
    )
    assert credit["plugin_output"] == "CREDIT CRITICAL - 1 critical (B): B: no credit left (0.00 CNY)."
    assert credit["performance_data"] == "'A CNY'=110;@~:5;@~:0;0 'B CNY'=0;@~:5;@~:0;0"

    # The engine's performance data file: the values as a grapher (PNP4Nagios, nagflux) receives them.
    perf = wait_for(
        lambda: [
            line.split("\t")
            for line in (d / "service-perfdata").read_text().splitlines()
            if "\tcredit\tCRITICAL\t" in line
        ],
        30,
        "the performance data file",
    )
    assert perf[-1][3:] == [credit["plugin_output"], credit["performance_data"]]
    assert_no_key_in([d, cli.config_dir])
