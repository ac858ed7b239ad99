"""The accounts the benchmark configures: every provider, against the loopback server."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
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
        return f"{prefix}bench{self.tag.replace('-', '')}0123456789"


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
    from trayapp.core.models import Account
    from trayapp.secrets.secret import Secret
    from trayapp.service import open_service
    from trayapp.storage.config import new_account_id

    core = open_service(str(config_dir))
    for spec in accounts:
        account_id = new_account_id(spec.provider, {a.id for a in core.config.accounts})
        core.secrets.set(account_id, "api", Secret(spec.key))
        core.config.accounts.append(
            Account(
                id=account_id,
                provider=spec.provider,
                label=spec.tag,
                created_at=datetime.now(UTC),
                base_url=spec.base_url,
                currency=spec.currency,
                secret_kinds=("api",),
            )
        )
    core.save_config()


def provider_of_tag(tag: str) -> str:
    return tag.split("-", 1)[1] if "-" in tag else tag
