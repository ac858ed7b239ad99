"""`trayapp serve` and its metrics, read by a real Prometheus (Debian's prometheus package) started by the test
with a private config scraping it on loopback; the shipped alert rules checked and unit-tested by promtool.
Also: `check --prometheus-textfile`, the loopback-only default, labels without keys or addresses, no Qt."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families
from pytest_httpserver import HTTPServer

from tests.conftest import ROOT, CliRunner

from .conftest import ENGLISH, add_accounts, answer, assert_no_key_in, free_port, key_of, need, wait_for

RULES = ROOT / "packaging" / "prometheus" / "credit-tray-rules.yml"
RULES_TEST = Path(__file__).with_name("credit-tray-rules.test.yml")


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode())


def samples(text: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    """The exposition text parsed by prometheus-client's own parser: {metric: [(labels, value)]}."""
    out: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out.setdefault(s.name, []).append((dict(s.labels), s.value))
    return out


@pytest.fixture
def serve(cli: CliRunner) -> Iterator[Callable[..., tuple[subprocess.Popen[bytes], str]]]:
    """`start(*args)`: `trayapp serve` on a free loopback port; returns the process and its /metrics URL."""
    started: list[subprocess.Popen[bytes]] = []

    def start(*args: str) -> tuple[subprocess.Popen[bytes], str]:
        port = free_port()
        cmd = [sys.executable, "-m", "trayapp", "--config-dir", str(cli.config_dir), "serve"]
        proc = subprocess.Popen(
            [*cmd, "--listen", f"127.0.0.1:{port}", *args],
            env={**cli.env, **ENGLISH},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        started.append(proc)
        return proc, f"http://127.0.0.1:{port}/metrics"

    yield start
    for proc in started:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def scraped(url: str, accounts: int) -> dict[str, list[tuple[dict[str, str], float]]] | None:
    """The metrics once every account has been tried (each has its credit_tray_up)."""
    try:
        found = samples(get(url))
    except OSError:
        return None
    return found if len(found.get("credit_tray_up", [])) == accounts else None


def by_account(found: dict[str, list[tuple[dict[str, str], float]]], name: str) -> dict[str, float]:
    return {labels["account"]: value for labels, value in found.get(name, [])}


def test_prometheus_scrapes_serve_and_answers_queries(
    cli: CliRunner, server: HTTPServer, serve: Callable[..., tuple[subprocess.Popen[bytes], str]], tmp_path: Path
) -> None:
    prometheus = need("prometheus", "prometheus")
    ids = add_accounts(cli, server, ["A", "B", "C"])
    answer(server, {"A": "110.00", "B": "2.50"})  # C is not served: its reads fail (404)
    config_file = cli.config_dir / "config.json"  # the shortest poll interval, to see serve poll again
    config = json.loads(config_file.read_text())
    config["settings"]["poll_interval_minutes"] = 1
    config_file.write_text(json.dumps(config))
    proc, url = serve()
    found = wait_for(lambda: scraped(url, 3), 90, "trayapp serve's first poll")

    # The metrics as served: unknown values absent (C has no remaining at all, not a 0).
    assert by_account(found, "credit_tray_remaining") == {ids["A"]: 110.0, ids["B"]: 2.5}
    assert by_account(found, "credit_tray_up") == {ids["A"]: 1.0, ids["B"]: 1.0, ids["C"]: 0.0}
    (low,) = found["credit_tray_alert"]
    assert low == ({"account": ids["B"], "code": "credit_low", "severity": "warning"}, 1.0)
    assert ({"account": ids["A"], "label": "A", "provider": "deepseek", "currency": "CNY"}, 110.0) in found[
        "credit_tray_remaining"
    ]
    assert "credit_tray_expiry_timestamp_seconds" not in found  # no account has an expiry
    assert ids["C"] not in by_account(found, "credit_tray_last_success_timestamp_seconds")
    (duration,) = found["credit_tray_poll_duration_seconds"]
    assert duration[1] > 0
    # Headless: no Qt library is loaded in the serving process.
    maps = Path(f"/proc/{proc.pid}/maps").read_text()
    assert "PySide6" not in maps and "libQt6" not in maps

    # A real Prometheus scrapes it, with the shipped rules loaded.
    web = free_port()
    config = tmp_path / "prometheus.yml"
    target = urllib.parse.urlsplit(url).netloc
    config.write_text(
        "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
        f"rule_files: [{json.dumps(str(RULES))}]\n"
        f"scrape_configs:\n  - job_name: credit-tray\n    static_configs: [{{targets: [{json.dumps(target)}]}}]\n"
    )
    log = (tmp_path / "prometheus.log").open("wb")
    engine = subprocess.Popen(
        [
            prometheus,
            f"--config.file={config}",
            f"--storage.tsdb.path={tmp_path / 'tsdb'}",
            f"--web.listen-address=127.0.0.1:{web}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        api = f"http://127.0.0.1:{web}/api/v1"

        def query(expr: str) -> list[dict[str, Any]] | None:
            try:
                data = json.loads(get(f"{api}/query?query={urllib.parse.quote(expr)}"))
            except OSError:
                return None
            return list(data["data"]["result"]) or None

        result = wait_for(lambda: query("credit_tray_remaining"), 90, "Prometheus to scrape trayapp serve")
        values = {r["metric"]["account"]: float(r["value"][1]) for r in result}
        assert values == {ids["A"]: 110.0, ids["B"]: 2.5}
        assert {r["metric"]["job"] for r in result} == {"credit-tray"}
        up = {r["metric"]["account"]: r["value"][1] for r in query("credit_tray_up") or []}
        assert up == {ids["A"]: "1", ids["B"]: "1", ids["C"]: "0"}
        assert [r["metric"]["account"] for r in query("credit_tray_remaining < 5") or []] == [ids["B"]]

        # The rule file loaded, its rules evaluate without error, and the low-credit one holds B (pending:
        # it fires after its 5 minutes, as promtool shows below).
        def rules() -> list[dict[str, Any]] | None:
            found = [r for g in json.loads(get(f"{api}/rules"))["data"]["groups"] for r in g["rules"]]
            low = next((r for r in found if r["name"] == "CreditTrayCreditLow"), None)
            return found if low and low["alerts"] else None

        loaded = wait_for(rules, 60, "the low-credit rule to hold B")
        names = {r["name"] for r in loaded}
        assert names == {
            "CreditTrayCreditLow",
            "CreditTrayCreditZero",
            "CreditTrayCreditExpiring",
            "CreditTrayReadFailing",
            "CreditTrayNoFreshData",
        }
        assert all(r["health"] == "ok" for r in loaded), loaded
        low_rule = next(r for r in loaded if r["name"] == "CreditTrayCreditLow")
        assert [(a["labels"]["account"], a["state"]) for a in low_rule["alerts"]] == [(ids["B"], "pending")]

        # B runs out. serve reads it again on its schedule (a minute later), and Prometheus sees it.
        answer(server, {"A": "110.00", "B": "0"})
        zero = f'credit_tray_alert{{account="{ids["B"]}",code="credit_zero"}}'
        wait_for(lambda: query(zero), 150, "serve's next scheduled poll to reach Prometheus")
        remaining = {r["metric"]["account"]: float(r["value"][1]) for r in query("credit_tray_remaining") or []}
        assert remaining == {ids["A"]: 110.0, ids["B"]: 0.0}
        # The state serve wrote is what a status bar shows.
        bar = cli("status", env=ENGLISH)
        assert (bar.code, bar.out) == (0, "B 0.00 CNY +2\n"), bar.out + bar.err
    finally:
        engine.send_signal(signal.SIGTERM)
        try:
            engine.wait(timeout=30)
        except subprocess.TimeoutExpired:
            engine.kill()
            engine.wait()
    assert_no_key_in([cli.config_dir], get(url))


def test_shipped_alert_rules_load_and_fire_in_promtool() -> None:
    promtool = need("promtool", "prometheus")
    checked = subprocess.run([promtool, "check", "rules", str(RULES)], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0 and "SUCCESS: 5 rules found" in checked.stdout, checked.stdout + checked.stderr
    tested = subprocess.run(
        [promtool, "test", "rules", RULES_TEST.name], capture_output=True, text=True, timeout=120, cwd=RULES_TEST.parent
    )
    assert tested.returncode == 0 and "SUCCESS" in tested.stdout, tested.stdout + tested.stderr


def test_textfile_for_node_exporter_and_labels_without_secrets(
    cli: CliRunner, server: HTTPServer, tmp_path: Path
) -> None:
    # A label naming the login, as users do ("work alice@example.com"), and one with a key pasted into it.
    ids = add_accounts(cli, server, ["A"])
    label = f"work alice@example.com {key_of('B')}"
    relabel = cli(
        "accounts", "add", "--provider", "deepseek", "--label", label,
        "--base-url", f"http://127.0.0.1:{server.port}/ds-B", "--key-stdin", stdin=key_of("B") + "\n",
    )  # fmt: skip
    assert relabel.code == 0, relabel.err
    ids["B"] = relabel.out.split()[-1]
    answer(server, {"A": "0", "B": "40"})
    path = tmp_path / "textfile" / "credit_tray.prom"
    path.parent.mkdir()
    result = cli("check", "--prometheus-textfile", str(path), env=ENGLISH)
    assert result.code == 2, result.out + result.err
    text = path.read_text()
    assert [p.name for p in path.parent.iterdir()] == ["credit_tray.prom"]  # written beside, then renamed
    found = samples(text)
    assert by_account(found, "credit_tray_remaining") == {ids["A"]: 0.0, ids["B"]: 40.0}  # a real 0 is a 0
    assert by_account(found, "credit_tray_up") == {ids["A"]: 1.0, ids["B"]: 1.0}
    assert [labels for labels, _ in found["credit_tray_alert"]] == [
        {"account": ids["A"], "code": "credit_zero", "severity": "critical"}
    ]
    (b_labels,) = [labels for labels, _ in found["credit_tray_remaining"] if labels["account"] == ids["B"]]
    assert b_labels["label"].startswith("work a") and "alice@example.com" not in text and "***" in b_labels["label"]
    assert key_of("B") not in text and "CANARY" not in text


def test_serve_binds_loopback_unless_told(cli: CliRunner) -> None:
    for listen in ("0.0.0.0:9464", "192.0.2.10:9464", "[::]:9464"):
        result = cli("serve", "--listen", listen, env=ENGLISH, timeout=60)
        assert result.code == 2, result.err
        assert "is not a loopback address: anyone who can reach it reads every balance" in result.err
        assert "--allow-remote" in result.err
    result = cli("serve", "--listen", "127.0.0.1:notaport", env=ENGLISH, timeout=60)
    assert (result.code, result.err.strip()) == (
        2,
        "trayapp serve: --listen '127.0.0.1:notaport': 'notaport' is not a port number",
    )
