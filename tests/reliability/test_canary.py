"""Secrets canary: recognisable fake keys through every path of the CLI and the tray; then every file under
the config dir, every stdout and stderr is scanned: no key, nor its distinctive middle part, appears anywhere.

Servers answer from 127.0.0.1 and echo the key they were sent (whole or in part) in 401/403/429/500/HTML
bodies and in the fields of 200 answers, as a careless provider or proxy might.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CliResult, CliRunner
from tests.reliability.counts import record
from tests.reliability.server import LoopServer, Reply, Seen, json_reply, wait_until

MIDDLE = "CanaryMid7Q4zXw9Vb2"
KEYS = {
    "deepseek": f"sk-ds{MIDDLE}deepseek0001",
    "moonshot": f"sk-ms-{MIDDLE}-moonshot002",
    "siliconflow": f"sk-sf-{MIDDLE}-siliconfl003",
    "openrouter": f"sk-or-v1-{MIDDLE}-openrouter4",
    "openrouter_mgmt": f"sk-or-v1-{MIDDLE}-management5",
    "relay": f"sk-{MIDDLE}relay00000006",
    "openai": f"sk-proj-{MIDDLE}-openai000007",
    "openai_admin": f"sk-admin-{MIDDLE}-admin0000008",
}
PREFIX = {"/ds": "deepseek", "/ms": "moonshot", "/sf": "siliconflow", "/or": "openrouter", "/relay": "relay"}


def fragments() -> list[str]:
    """Every key, and of each key its middle third (what a partial echo would show)."""
    out = [MIDDLE]
    for key in KEYS.values():
        third = len(key) // 3
        out += [key, key[third : 2 * third + 1]]
    return out


def scan(texts: dict[str, str], root: Path) -> list[str]:
    """Where any fragment shows up, with some context: in the texts, and in every file under root (bytes)."""
    found: list[str] = []
    blobs: list[tuple[str, bytes]] = [(name, text.encode()) for name, text in texts.items()]
    record("canary.streams_scanned", len(blobs))
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        record("canary.files_scanned")
        record("canary.bytes_scanned", len(data))
        blobs.append((str(path.relative_to(root)), data))
    for name, data in blobs:
        for needle in (f.encode() for f in fragments()):
            if (at := data.find(needle)) >= 0:
                found.append(f"{name}: {data[max(0, at - 60) : at + len(needle) + 20]!r}")
                break
    record("canary.scans")
    return found


class Canary:
    """The provider side: answers by phase; every error echoes the key it was sent."""

    def __init__(self) -> None:
        self.phase = "ok"
        self.server = LoopServer(self.answer)

    def answer(self, seen: Seen) -> Reply:
        key = (seen.authorization or "").removeprefix("Bearer ")
        part = key[len(key) // 3 :]
        phase = self.phase
        if phase == "ok":
            return self.good(seen.path)
        if phase == "hang":
            return Reply(hang=True)
        if phase == "401":
            return json_reply({"error": {"message": f"Incorrect API key provided: {key}", "code": key}}, 401)
        if phase == "403":
            return json_reply({"message": f"key …{part} may not read this", "detail": part}, 403)
        if phase == "429":
            return Reply(429, f"slow down, {key} ({part})".encode(), {"Content-Type": "text/plain", "Retry-After": "1"})
        if phase == "500":
            html = f"<html><head><title>Error for {key}</title></head><body>{part} {key}</body></html>"
            return Reply(500, html.encode(), {"Content-Type": "text/html"})
        if phase == "html200":
            return Reply(200, f"<html><title>Login {part}</title>{key}</html>".encode(), {"Content-Type": "text/html"})
        if phase == "bad":  # 200 with the key where numbers and codes belong
            return json_reply(
                {
                    "code": part,
                    "status": False,
                    "message": f"invalid {part}",
                    "is_available": True,
                    "balance_infos": [
                        {"currency": "CNY", "total_balance": part, "granted_balance": key, "topped_up_balance": "1"}
                    ],
                    "data": {"limit": part, "total_credits": key, "totalBalance": part, "available_balance": part},
                    "hard_limit_usd": part,
                    "error": {"message": f"quota for {key}"},
                }
            )
        if phase == "truncated":
            return Reply(200, f'{{"data": {{"limit": "{part}'.encode())
        raise AssertionError(phase)

    def good(self, path: str) -> Reply:
        if path == "/ds/user/balance":
            return json_reply(
                {
                    "is_available": True,
                    "balance_infos": [
                        {
                            "currency": "CNY",
                            "total_balance": "9.50",
                            "granted_balance": "2.50",
                            "topped_up_balance": "7.00",
                        }
                    ],
                }
            )
        if path == "/ms/v1/users/me/balance":
            data = {"available_balance": 12.5, "voucher_balance": 2.5, "cash_balance": 10}
            return json_reply({"code": 0, "status": True, "data": data})
        if path == "/sf/v1/user/info":
            data = {"id": "u1", "balance": "1.0", "chargeBalance": "2.0", "totalBalance": "3.0"}
            return json_reply({"code": 20000, "status": True, "message": "OK", "data": data})
        if path == "/or/api/v1/key":
            return json_reply({"data": {"limit": 10, "limit_remaining": 4.5, "usage": 5.5, "is_free_tier": False}})
        if path == "/or/api/v1/credits":
            return json_reply({"data": {"total_credits": 20, "total_usage": 3}})
        if path == "/relay/v1/dashboard/billing/subscription":
            return json_reply({"hard_limit_usd": 50, "access_until": 0})
        if path == "/relay/v1/dashboard/billing/usage":
            return json_reply({"total_usage": 1234})
        if path == "/oa/v1/me":
            return json_reply({"id": "user-canary", "email": "pat@example.com", "orgs": {"data": []}})
        if path == "/oa/v1/models":
            return json_reply({"data": []}, **{"openai-organization": "user-canary"})
        if path == "/oa/v1/dashboard/billing/credit_grants":
            msg = "must be made with a session key"
            return json_reply({"error": {"message": msg, "type": "server_error"}}, 403)
        if path == "/oa/v1/organization/spend_limit":
            return json_reply({"threshold_amount": 1000, "interval": "month", "enforcement": {"status": "inactive"}})
        if path == "/oa/v1/organization/costs":
            return json_reply({"data": [], "has_more": False, "next_page": None})
        return json_reply({"error": {"message": f"no route {path}"}}, 404)


@pytest.fixture
def canary() -> Iterator[Canary]:
    c = Canary()
    c.server.start()
    try:
        yield c
    finally:
        c.server.stop()


def add_accounts(cli: CliRunner, base: str) -> dict[str, str]:
    """Every provider, keys through stdin and environment variables."""
    env = {f"CANARY_{k.upper()}": v for k, v in KEYS.items()}
    ids: dict[str, str] = {}
    outputs: list[CliResult] = []

    def add(name: str, *args: str, stdin: str | None = None) -> None:
        res = cli("accounts", "add", *args, stdin=stdin, env=env)
        assert res.code == 0, res.err
        outputs.append(res)
        ids[name] = res.out.strip().splitlines()[-1]

    add(
        "deepseek",
        "--provider",
        "deepseek",
        "--label",
        "ds",
        "--base-url",
        f"{base}/ds",
        "--key-stdin",
        stdin=KEYS["deepseek"] + "\n",
    )
    add(
        "moonshot",
        "--provider",
        "moonshot",
        "--label",
        "ms",
        "--base-url",
        f"{base}/ms/v1",
        "--currency",
        "CNY",
        "--key-env",
        "CANARY_MOONSHOT",
    )
    add(
        "siliconflow",
        "--provider",
        "siliconflow",
        "--label",
        "sf",
        "--base-url",
        f"{base}/sf/v1",
        "--currency",
        "CNY",
        "--key-stdin",
        stdin=KEYS["siliconflow"],
    )
    add(
        "openrouter",
        "--provider",
        "openrouter",
        "--label",
        "or",
        "--base-url",
        f"{base}/or/api/v1",
        "--key-env",
        "CANARY_OPENROUTER",
        "--management-key-env",
        "CANARY_OPENROUTER_MGMT",
    )
    add(
        "relay",
        "--provider",
        "openai-compatible",
        "--label",
        "relay",
        "--base-url",
        f"{base}/relay",
        "--key-stdin",
        stdin=KEYS["relay"],
    )
    add(
        "openai",
        "--provider",
        "openai",
        "--label",
        "oa",
        "--base-url",
        f"{base}/oa/v1",
        "--key-env",
        "CANARY_OPENAI",
        "--admin-key-env",
        "CANARY_OPENAI_ADMIN",
    )
    # A grant, a list, and an account added then removed (its keys deleted).
    assert (
        cli(
            "accounts", "grant", ids["openai"], "--amount", "5", "--effective", "2026-01-01", "--expires", "2099-01-01"
        ).code
        == 0
    )
    gone = cli(
        "accounts",
        "add",
        "--provider",
        "deepseek",
        "--label",
        "gone",
        "--base-url",
        f"{base}/ds",
        "--key-stdin",
        stdin=KEYS["deepseek"],
    )
    assert gone.code == 0
    assert cli("accounts", "remove", gone.out.strip().splitlines()[-1]).code == 0
    listed = cli("accounts", "list", "--json")
    assert listed.code == 0 and len(json.loads(listed.out)["accounts"]) == 6
    runs = [*outputs, gone, listed]
    leaks = scan({f"add {i}.{s}": getattr(r, s) for i, r in enumerate(runs) for s in ("out", "err")}, cli.config_dir)
    assert leaks == []
    return ids


PHASES = ["ok", "401", "403", "429", "500", "html200", "bad", "truncated", "ok"]


def test_cli_canary_every_path(cli: CliRunner, canary: Canary) -> None:
    debug = {"TRAYAPP_LOG_LEVEL": "DEBUG"}
    ids = add_accounts(cli, canary.server.url())
    streams: dict[str, str] = {}
    for i, phase in enumerate(PHASES):
        canary.phase = phase
        as_json = cli("check", "--json", env=debug)
        text = cli("check", env=debug)
        report = json.loads(as_json.out)
        assert {a["id"] for a in report["accounts"]} == set(ids.values())
        if phase == "ok":
            assert all(a["error"] is None for a in report["accounts"]), as_json.out
        else:  # every account failed, and says so; the last good reading is kept
            assert all(a["error"] is not None for a in report["accounts"]), (phase, as_json.out)
        streams.update({f"{i}-{phase} json out": as_json.out, f"{i}-{phase} json err": as_json.err})
        streams.update({f"{i}-{phase} text out": text.out, f"{i}-{phase} text err": text.err})
        record("canary.cli_runs", 2)
        record("canary.provider_answers", len(ids) * 2)
    # A check killed in the middle of a poll (servers silent).
    canary.phase = "hang"
    proc = subprocess.Popen(
        [sys.executable, "-m", "trayapp", "--config-dir", str(cli.config_dir), "check", "--json"],
        env={**cli.env, **debug},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert wait_until(lambda: sum(1 for s in canary.server.seen if s.path.startswith("/ds")) > len(PHASES) * 2, 20)
    proc.kill()
    out, err = proc.communicate(timeout=10)
    streams.update({"killed out": out.decode(), "killed err": err.decode()})
    # The history of every poll above, as scripts export it.
    for fmt in ("--csv", "--json"):
        exported = cli("history", fmt)
        assert exported.code == 0, exported.err
        assert all(account_id in exported.out for account_id in ids.values())
        streams.update({f"history {fmt} out": exported.out, f"history {fmt} err": exported.err})
    assert (cli.config_dir / "history.sqlite3").exists(), "the history database is scanned too"
    log = cli.config_dir / "logs" / "trayapp.log"
    assert "DEBUG" in log.read_text(), "debug logging was not on"
    leaks = scan(streams, cli.config_dir)
    assert leaks == [], "\n".join(leaks)
    record("canary.paths", len(PHASES) * 2 + 3)


# ---------------------------------------------------------------- the tray process


def start_tray(cli: CliRunner, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "trayapp", "--config-dir", str(cli.config_dir)],
        env={**cli.env, "QT_QPA_PLATFORM": "offscreen", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def attempts(cli: CliRunner) -> dict[str, str | None]:
    path = cli.config_dir / "state.json"
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return {k: v.get("last_attempt_at") for k, v in data.get("accounts", {}).items()}


def make_all_due(cli: CliRunner) -> None:
    """As if the poll interval had passed since the last run: every account is due at start."""
    path = cli.config_dir / "state.json"
    if path.exists():
        data = json.loads(path.read_text())
        for st in data["accounts"].values():
            st["next_due_at"] = None
        path.write_text(json.dumps(data))


def fetch_children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid and b"trayapp.fetch" in cmd:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds the fetch child through /proc")
def test_tray_canary_errors_crash_and_sigterm(cli: CliRunner, canary: Canary) -> None:
    ids = add_accounts(cli, canary.server.url())
    env = {"TRAYAPP_LOG_LEVEL": "DEBUG"}
    streams: dict[str, str] = {}
    for run, phase in enumerate(["ok", "401", "500", "hang"]):
        canary.phase = phase
        make_all_due(cli)
        before = attempts(cli)
        tray = start_tray(cli, env)
        try:
            if phase == "hang":
                # The fetch child is killed in the middle of its poll, as a crash would.
                assert wait_until(lambda t=tray: bool(fetch_children(t.pid)), 30)
                assert wait_until(lambda: any(s.path.startswith("/ds") for s in canary.server.seen[-20:]), 20)
                for child in fetch_children(tray.pid):
                    os.kill(child, signal.SIGKILL)
                record("canary.fetch_children_killed")
            changed = wait_until(
                lambda b=before: (
                    (a := attempts(cli)).keys() >= set(ids.values()) and all(a[i] != b.get(i) for i in ids.values())
                ),
                40,
            )
            assert changed, f"tray did not record a poll in phase {phase}"
            time.sleep(0.3)
            tray.send_signal(signal.SIGTERM)
            out, err = tray.communicate(timeout=20)
            assert tray.returncode == 0, err.decode()
        finally:
            if tray.poll() is None:
                tray.kill()
                tray.wait()
        streams.update({f"tray {run}-{phase} out": out.decode(), f"tray {run}-{phase} err": err.decode()})
        record("canary.tray_runs")
        state = json.loads((cli.config_dir / "state.json").read_text())
        errors = [v["last_error"] for v in state["accounts"].values()]
        if phase == "ok":
            assert all(e is None for e in errors), errors
        else:
            assert all(e is not None for e in errors), errors
            if phase == "hang":
                assert any("background fetch ended" in e["message"] for e in errors), errors
    leaks = scan(streams, cli.config_dir)
    assert leaks == [], "\n".join(leaks)


# ---------------------------------------------------------------- the scrubber itself


@settings(max_examples=1500, derandomize=True, deadline=None)
@given(
    key=st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", min_size=20, max_size=80),
    cut=st.tuples(st.integers(0, 80), st.integers(8, 80)),
    before=st.text(max_size=40),
    after=st.text(max_size=40),
)
def test_no_run_of_eight_key_characters_survives_scrubbing(
    key: str, cut: tuple[int, int], before: str, after: str
) -> None:
    from trayapp.providers.http import scrub

    start = min(cut[0], len(key) - 8)
    part = key[start : start + cut[1]]
    shown = scrub(f"{before}{part}{after}", [key], limit=10_000)
    record("canary.scrub_examples")
    assert not any(key[i : i + 8] in shown for i in range(len(key) - 7))
