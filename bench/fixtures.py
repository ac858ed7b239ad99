"""The accounts the benchmark configures: every provider, against the loopback server."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# provider, path after the tag that forms the base URL, currency for hosts that do not say
PROVIDER_MIX: tuple[tuple[str, str, str | None], ...] = (
    ("openai", "/v1", None),
    ("deepseek", "", None),
    ("moonshot", "/v1", "CNY"),
    ("siliconflow", "/v1", "CNY"),
    ("openrouter", "/api/v1", None),
    ("openai-compatible", "/v1", "USD"),
    ("openai", "/v1", None),
    ("deepseek", "", None),
    ("openrouter", "/api/v1", None),
    ("openai-compatible", "/v1", "USD"),
)


@dataclass(frozen=True)
class AccountSpec:
    tag: str
    provider: str
    base_url: str
    currency: str | None

    @property
    def key(self) -> str:
        prefix = "sk-or-v1-" if self.provider == "openrouter" else "sk-proj-" if self.provider == "openai" else "sk-"
        # Not the tag itself: the tag is in the base URL, and a result's strings are scrubbed of every run of 8
        # characters of the key (secrets/keys.py), which would mask the relay's root in its provider cache.
        return f"{prefix}bench{hashlib.sha256(self.tag.encode()).hexdigest()[:24]}"


def specs(count: int, port: int, *, slow: bool = False, prefix: str = "a") -> list[AccountSpec]:
    out = []
    for i in range(count):
        provider, suffix, currency = PROVIDER_MIX[i % len(PROVIDER_MIX)]
        tag = f"{'slow' if slow else 'fast'}{prefix}{i:02d}-{provider}"
        out.append(AccountSpec(tag, provider, f"http://127.0.0.1:{port}/{tag}{suffix}", currency))
    return out


def add_with_cli(config_dir: Path, accounts: list[AccountSpec]) -> None:
    """`trayapp accounts add … --key-stdin`, as a user would: keys go to the session's gnome-keyring."""
    for spec in accounts:
        argv = [sys.executable, "-m", "trayapp", "--config-dir", str(config_dir), "accounts", "add"]
        argv += ["--provider", spec.provider, "--label", spec.tag, "--base-url", spec.base_url, "--key-stdin"]
        if spec.currency:
            argv += ["--currency", spec.currency]
        subprocess.run(argv, input=spec.key + "\n", text=True, check=True, capture_output=True, env=os.environ.copy())


def add_in_process(config_dir: Path, accounts: list[AccountSpec]) -> None:
    """What `accounts add` does, in this process (50 CLI runs would take longer than the measurement)."""
    from trayapp.secrets.secret import Secret
    from trayapp.service import open_service

    service = open_service(str(config_dir))
    for spec in accounts:
        account = service.draft_account(
            spec.provider, spec.tag, base_url=spec.base_url, currency=spec.currency, secret_kinds=("api",)
        )
        service.store_keys(account.id, {"api": Secret(spec.key)})
        service.config.accounts.append(account)  # config.json written once, below
    service.save_config()


def provider_of_tag(tag: str) -> str:
    return tag.split("-", 1)[1] if "-" in tag else tag
