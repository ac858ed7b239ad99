"""The table of figures against targets, as text and as docs/PERFORMANCE.md."""

from __future__ import annotations

from typing import Any

IDLE_ALLOWANCE_MS = 20.0  # two clock ticks (CLK_TCK 100) over the baseline in 60 s
# Requests one poll needs per account, with the identity already known (see docs/PERFORMANCE.md).
NEEDED = {
    "openai": (1, "/v1/models (is the key alive, which organization); /v1/me daily, credit_grants weekly"),
    "deepseek": (1, "/user/balance"),
    "moonshot": (1, "/v1/users/me/balance"),
    "siliconflow": (1, "/v1/user/info"),
    "openrouter": (1, "/api/v1/key (plus /credits with a management key)"),
    "openai-compatible": (2, "subscription (the quota) + usage (what was used): no single endpoint has both"),
}


def _row(
    name: str, project: str, baseline: str, ratio: str, target: str, ok: bool | None, note: str = ""
) -> dict[str, Any]:
    return {
        "name": name,
        "project": project,
        "baseline": baseline,
        "ratio": ratio,
        "target": target,
        "pass": ok,
        "note": note,
    }


def rows(out: dict[str, Any]) -> list[dict[str, Any]]:
    result = []
    sb = out["start"]["baseline"]["median_s"]
    for side, name in (
        ("project", "1a. Start → icon registered (SNI), 10 accounts, first start"),
        ("restart", "1b. Start → icon registered (SNI), 10 accounts, restart"),
    ):
        sp = out["start"][side]["median_s"]
        result.append(
            _row(
                name,
                f"{sp * 1000:.0f} ms",
                f"{sb * 1000:.0f} ms",
                f"{sp / sb:.2f}×",
                "≤ 1.5× baseline",
                sp / sb <= 1.5,
                _fastest(out["start"], side),
            )
        )
    rp, rb = out["rest"]["project"]["rss_mib_median"], out["rest"]["baseline"]["rss_mib_median"]
    pp, pb = out["rest"]["project"]["pss_mib_median"], out["rest"]["baseline"]["pss_mib_median"]
    result.append(
        _row(
            "2. RSS after first poll + 10 s rest (tray + children)",
            f"{rp:.1f} MiB",
            f"{rb:.1f} MiB",
            f"{rp / rb:.2f}×",
            "≤ 1.2× baseline",
            rp / rb <= 1.2,
            f"PSS {pp:.1f} vs {pb:.1f} MiB",
        )
    )
    cp, cb = out["rest"]["project"]["idle_cpu_ms_median"], out["rest"]["baseline"]["idle_cpu_ms_median"]
    wp, wb = out["rest"]["project"]["idle_wakeups_median"], out["rest"]["baseline"]["idle_wakeups_median"]
    result.append(
        _row(
            "3. CPU idle between polls, 60 s (utime+stime)",
            f"{cp:.0f} ms",
            f"{cb:.0f} ms",
            f"+{cp - cb:.0f} ms",
            f"≈ 0: ≤ baseline + {IDLE_ALLOWANCE_MS:.0f} ms",
            cp <= cb + IDLE_ALLOWANCE_MS,
            f"context switches in 60 s: {wp:.0f} vs {wb:.0f}",
        )
    )
    r = out["refresh"]
    result.append(
        _row(
            "4a. Refresh of 50 accounts, 300 ms answers: wall",
            f"{r['wall_s_median']:.2f} s",
            "—",
            "—",
            "≤ 1.5 s",
            r["wall_s_median"] <= 1.5,
            f"first poll (cold): {r['first_poll']['wall_s']:.2f} s",
        )
    )
    result.append(
        _row(
            "4b. Longest UI-thread stall during those refreshes (worst run)",
            f"{r['max_gap_ms_worst']:.0f} ms",
            "—",
            "—",
            "≤ 50 ms, every run",
            r["max_gap_ms_worst"] <= 50,
            f"median of {len(r['refreshes'])}: {r['max_gap_ms_median']:.0f} ms (5 ms timer)",
        )
    )
    steady = r["refreshes"][-1]["requests"]
    for provider, (needed, what) in NEEDED.items():
        got = steady.get(provider, {}).get("per_account")
        first = out["first_poll_requests"].get(provider, {}).get("per_account")
        first_text = f"first poll after `accounts add`: {first:g}" if first is not None else ""
        result.append(
            _row(
                f"5. Requests per account per poll: {provider}",
                "—" if got is None else f"{got:g}",
                "—",
                "—",
                f"≤ {needed} ({what})",
                None if got is None else got <= needed,
                first_text,
            )
        )
    d = out["details"]
    result.append(
        _row(
            "6. Details window, 20 accounts, as on this branch: open → painted",
            f"{d['open_to_painted_ms_median']:.0f} ms",
            "—",
            "—",
            "≤ 300 ms",
            d["open_to_painted_ms_median"] <= 300,
            "no history in the window yet" if not d["history_seeded"] else "with a year of history",
        )
    )
    if not d["history_seeded"]:
        result.append(
            _row(
                "6. Details window with a year of history, 20 accounts",
                "not measured",
                "—",
                "—",
                "≤ 300 ms",
                None,
                d["history"],
            )
        )
    return result


def _fastest(start: dict[str, Any], side: str) -> str:
    fp, fb = min(start[side]["runs_s"]), min(start["baseline"]["runs_s"])
    return f"fastest runs {fp * 1000:.0f} vs {fb * 1000:.0f} ms ({fp / fb:.2f}×)"


def _status(ok: bool | None) -> str:
    return "PASS" if ok else "MISS" if ok is False else "PENDING"


def table(rows: list[dict[str, Any]]) -> str:
    head = ("Measurement", "Credit Tray", "Baseline", "Ratio", "Target", "Result")
    body = [(r["name"], r["project"], r["baseline"], r["ratio"], r["target"], _status(r["pass"])) for r in rows]
    widths = [max(len(str(x[i])) for x in [head, *body]) for i in range(len(head))]
    widths[4] = min(widths[4], 40)
    lines = ["  ".join(str(c)[: widths[i]].ljust(widths[i]) for i, c in enumerate(line)) for line in [head, *body]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    notes = [f"  {r['name'].split(' ', 1)[0]} {r['note']}" for r in rows if r["note"]]
    return "\n".join([*lines, "", "Notes:", *notes])


def markdown(out: dict[str, Any]) -> str:
    env = out["environment"]
    lines = [
        "# Performance",
        "",
        "<!-- Generated by `make bench` (bench/report.py); edit the template there, not this file. -->",
        "",
        "Credit Tray against the least a tray app of its design can be (`bench/baseline_tray.py`: a QPainter",
        "icon, a two-item menu, shown; then `keyring` with its backend loaded and an APScheduler",
        "BackgroundScheduler with a one-hour job), in the same run, with the same interpreter, on the desktop",
        "tier's headless session (Xvfb, xfce4-panel as SNI watcher, dunst, gnome-keyring unlocked).",
        "",
        f"Figures of {out['date']}: Python {env['python']}, PySide6 {env['pyside6']}, {env['cpus']} CPUs "
        f"({env['machine']}, Linux {env['kernel']}), load average {env['load_average_before'][0]:.1f} before and "
        f"{env['load_average_after'][0]:.1f} after; the run took {out['duration_s']:.0f} s.",
        "",
        "| Measurement | Credit Tray | Baseline | Ratio | Target | Result | Note |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in out["rows"]:
        cells = [
            r["name"],
            r["project"],
            r["baseline"],
            r["ratio"],
            r["target"],
            f"**{_status(r['pass'])}**",
            r["note"],
        ]
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
    s, rest, ref = out["start"], out["rest"], out["refresh"]
    lines += [
        "",
        "Runs behind the medians:",
        "",
        f"- start → icon (s): app, first start {_list(s['project']['runs_s'])}; app, restart "
        f"{_list(s['restart']['runs_s'])}; baseline {_list(s['baseline']['runs_s'])}",
        f"- RSS (MiB): app {_list(f['rss_mib'] for f in rest['project']['runs'])}; baseline "
        f"{_list(f['rss_mib'] for f in rest['baseline']['runs'])}",
        f"- idle CPU over 60 s (ms): app {_list(f['idle_cpu_ms'] for f in rest['project']['runs'])}; baseline "
        f"{_list(f['idle_cpu_ms'] for f in rest['baseline']['runs'])}",
        f"- refresh of 50 (s): {_list(p['wall_s'] for p in ref['refreshes'])}; longest stall (ms): "
        f"{_list((p['max_gap_ms'] for p in ref['refreshes']), 0)}; first poll {ref['first_poll']['wall_s']:.2f} s "
        f"(keys read from gnome-keyring, identities fetched), stall {ref['first_poll']['max_gap_ms']:.0f} ms",
        f"- details open → painted (ms): {_list((d['open_to_painted_ms'] for d in out['details']['runs']), 0)}",
        f"- threads of the app at rest: {', '.join(rest['project']['runs'][0]['threads'])}",
        "",
    ]
    lines += TEXT.splitlines()
    return "\n".join(lines) + "\n"


def _list(values: Any, digits: int = 2) -> str:
    return ", ".join(f"{v:.{digits}f}" for v in values)


TEXT = """\
## How it is measured

`make bench` (= `scripts/desktop-session -- .venv/bin/python -m bench`) takes about two and a half
minutes. It starts a loopback HTTP server that answers like every provider (OpenAI, DeepSeek,
Moonshot, SiliconFlow, OpenRouter, an OpenAI-compatible relay) and counts the requests per account;
nothing leaves 127.0.0.1. Results: a table on stdout, `bench/results/bench-<time>.json` and
`latest.json` (not committed), and this file. Exit status 1 when a target is missed, 2 when it cannot
run (no session, no SNI watcher). Options: `.venv/bin/python -m bench --help`.

1. **Start → icon registered.** Ten accounts (two OpenAI normal keys, two DeepSeek, Moonshot,
   SiliconFlow, two OpenRouter, two relays) are added with `trayapp accounts add … --key-stdin`, so the
   keys are in the session's gnome-keyring. Two kinds of start are timed: the **first start** after
   that (a fresh copy of the config directory, nothing saved yet) and a **restart** (one directory the
   app ran in once until its first poll ended, so it holds `state.json`, the last drawn icon and the
   history: every start at login looks like this). Each run starts `python -m trayapp --config-dir DIR`
   or `python bench/baseline_tray.py`, rotating which goes first, and times from just before `Popen` to
   the watcher's `StatusNotifierItemRegistered` signal for that process (sender's PID through
   `GetConnectionUnixProcessID`, with jeepney). Median of 9 per side (the fastest run of each is noted:
   the least disturbed by other load on the machine).
2. **Memory.** Three instances per side run at the same time, each in its own config directory. For the
   app: after the icon registered, wait until `state.json` holds a reading of all ten accounts and the
   fetch child has exited; then 10 s of rest; then `VmRSS` of the tray and every descendant still running
   (the fetch child is gone by then, so this is the tray alone). The baseline rests 10 s after its icon.
   PSS is noted because the two sides share the PySide6 libraries.
3. **Idle CPU.** Right after, `utime + stime` of the process (all threads) and its descendants from
   `/proc/PID/stat`, over 60 s, and the context switches of all its threads (how often it woke). The
   resolution is one clock tick (10 ms), so "0 ms" is read as "no more than the baseline + 2 ticks". The
   app's scheduler has a 60 s wake-check job (a suspend detector): it runs once or twice in the window.
   Running the instances side by side does not change their own CPU time or memory.
4. **Refresh of 50 accounts.** `python -m bench.harness refresh` builds what `run_tray` builds — the
   real `AppController`, the real `Poller` fetching in `python -m trayapp.fetch`, the keyring store on
   gnome-keyring, the tray icon, the history, the notifier — for 50 accounts (the same mix) whose server
   answers after 300 ms, each with a year of history (seeded as in measurement 6: every poll's forecasts
   read two weeks of it). After a first poll (keys read, identities fetched), each "Refresh now" is
   timed from the call to the poller's `finished` signal handled on the UI thread (median of 5); a 5 ms
   precise QTimer on the UI thread records its ticks, and the longest gap between ticks, from the refresh
   until 200 ms after the poll settled (results recorded, forecasts in, alerts delivered), is the longest
   stall. The target holds for the worst of the 5 runs ("never blocked").
5. **Requests per account per poll** are counted by the server, per provider: in the steady state (the
   last refresh of 4), and in the tray's first poll after `accounts add` (from measurement 2).
6. **Details window.** `python -m bench.harness details`: 20 accounts with a reading each; the time from
   `controller.open_details()` (what the menu's Details… calls) to the end of the window's first paint
   pass (a zero-delay timer posted from its first paint event). Each run is a fresh process (the first
   open is the one users wait for). Each account has a year of history in the app's SQLite store
   (`bench/history.py`: seeded as the retention plan leaves a year of 15-minute polls), so the window
   draws the sparkline column and the chart of the selected account from it.

CI does not run `make bench`: it takes minutes and its timings depend on the machine and its load.
Timing targets live only here, never in unit tests.

## What the requests are

- **OpenAI, normal key**: in the steady state one request, `GET /v1/models`, which tells at once if
  the key was revoked and which organization it bills to (the `openai-organization` header; if it
  changed, `/v1/me` is read again). `/v1/me` (who the key belongs to, for second-account detection) is
  cached for a day, and the legacy `credit_grants` (403 "session key" for API keys since 2023) is asked
  at most weekly. So the first poll of a new account makes two requests (`/v1/me` and `credit_grants`),
  then one per poll. `/v1/models` is the only request that is not strictly "what the data needs": it is
  the revocation check; with the identity cached a poll could skip it, at the cost of seeing a revoked
  key up to a day late.
- **Relay (one-api / new-api)**: two requests, because the quota (`subscription`) and what was used
  (`usage`) come from two endpoints.
- **DeepSeek, Moonshot, SiliconFlow, OpenRouter**: one request each (OpenRouter: plus `/credits` when a
  management key is given).

## Fixes this benchmark led to

- **One SSL context per process** (`providers/http.py`, `providers/openai/http.py`): every request made a
  new `httpx2.Client`, which loads the CA bundle (25-40 ms of CPU each). With 50 accounts the fetch child
  spent ~2 s of CPU on it, queued on the GIL. Now one verifying context is built once and shared.
- **64 fetch threads** (`fetch.MAX_WORKERS`, was 32): 50 accounts are asked in one wave, not two.
- **The icon first** (`app.py`, `ui/controller.py`): `run_tray` draws the icon from the saved state and
  shows it right after `open_service`; the details window, dialogs, notifier and poller are imported and
  built after it, and the scheduler (APScheduler, ~0.1 s of imports) is attached once the event loop runs
  (`AppController.attach_scheduler`). Start to icon went from ~410-480 ms to ~330 ms (baseline ~200 ms).
- **One redraw per burst of results** (`ui/controller.py`): each result used to be saved to `state.json`
  (with fsync) and redraw the tray and the details table, ~40 ms of UI thread per account with 50
  accounts: a 0.6-1.9 s freeze when they answered together. Now the results queued together make one
  burst (`ui/recorder.py`): applied, their alerts evaluated, recorded and redrawn once, and the state is
  written once per poll. The details window is built only when first opened (~6 MB saved while it never is).

- **History and forecasts off the UI thread** (`ui/recorder.py`): results queued together are handled in
  one pass of the event loop, so each one's history transaction and two-week forecast read added up (60-90
  ms with 50 accounts and a year of history; the refresh measurement had no history then, so it did not
  show). A burst's forecasts are now computed on a worker thread with its own SQLite connection and its
  readings recorded in one transaction; the poll's alerts are delivered once that is done, in one
  notification. The tray menu updates its entries in place when only their texts change (a rebuild
  re-exports every entry over D-Bus, ~0.5 ms each). Longest stall ~40-65 ms → ~15-20 ms. Compaction
  thins one account per transaction (a year of 50 accounts in one transaction held the write lock the UI
  thread waits for ~150 ms), and the tray's history connection keeps a small page cache (256 KB, not the
  default 2 MB).
- **The first icon before the core** (`app.py`, `ui/icon.py`): the icon is shown right after the
  single-instance check, before the core is imported: the last drawn icon (`tray-icon.png`, saved on
  every change) or, on a first start, the empty gauge, which is also what ten accounts with nothing read
  yet show. `ui/icon.py` only paints and keeps off PySide6's `Qt` namespace on that path (its enums are
  built on first use: ~25 ms). The controller takes that same item over, so the panel never sees a
  second one. The registration with the watcher is sent from `show()` itself (Qt's D-Bus thread; it does
  not wait for the event loop), so what counts is how early `show()` runs. First start ~330 → ~250 ms,
  restart ~225 ms (baseline ~205 ms). An earlier version of this benchmark timed only first starts,
  where the cached icon never existed, so that cache had not shown in its figures.

Before these, the same harness measured a refresh of 50 at 2.7-4.8 s with 0.3-1.9 s stalls.

## Costs the code is shaped around

Figures measured on this project's machines (2 cores), which the code's comments used to carry. The code
says *why* briefly; the numbers live here.

| cost | figure | what the code does about it |
|---|---|---|
| `import openai` (SDK) | ~50 MB resident, ~0.5 s | fetching runs in a short-lived child; the tray never imports it |
| one verifying SSL context (CA bundle) | 25-40 ms of CPU | built once per process and shared by every client |
| PySide6's `Qt` namespace enums, first use | ~25 ms | the first icon is painted without touching them |
| APScheduler's imports | ~0.1 s | the scheduler is attached once the icon is up |
| the details window | ~6 MB, a redraw per poll | built on first open only |
| one tray menu entry rebuilt | ~0.5 ms (re-exported over D-Bus) | entries change their texts in place |
| one result handled alone, 50 accounts | 1-40 ms of UI thread (0.6 s for 50) | one redraw, one transaction a burst |
| one account's forecast (two weeks of history) | ~1 ms; 50-70 ms for 50 | on a worker thread with its own connection |
| compacting a year × 50 accounts at once | ~150 ms holding the write lock | one account per transaction |
| SQLite page cache | 2 MB by default | 256 KiB for the connection the tray keeps all day |
"""
