"""Where every file lives. With --config-dir (or TRAYAPP_CONFIG_DIR), everything lives under that folder."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .. import APP_ID

ENV_CONFIG_DIR = "TRAYAPP_CONFIG_DIR"


@dataclass(frozen=True)
class Paths:
    config_dir: Path  # config.json (settings and accounts), logs
    data_dir: Path  # state.json, history

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.json"

    @property
    def state_file(self) -> Path:
        return self.data_dir / "state.json"

    @property
    def history_file(self) -> Path:
        return self.data_dir / "history.sqlite3"

    @property
    def log_dir(self) -> Path:
        return self.config_dir / "logs"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "trayapp.log"

    @property
    def instance_name(self) -> str:
        """A per-user, per-config-dir name for the single-instance socket."""
        import hashlib

        digest = hashlib.sha256(str(self.config_dir.resolve()).encode()).hexdigest()[:12]
        return f"{APP_ID}-{os.getuid() if hasattr(os, 'getuid') else 0}-{digest}"

    def ensure(self) -> None:
        for d in (self.config_dir, self.data_dir, self.log_dir):
            d.mkdir(parents=True, exist_ok=True, mode=0o700)


def resolve_paths(config_dir: str | os.PathLike[str] | None = None) -> Paths:
    chosen = config_dir or os.environ.get(ENV_CONFIG_DIR)
    if chosen:
        root = Path(chosen).expanduser()
        return Paths(config_dir=root, data_dir=root)
    import platformdirs

    return Paths(
        config_dir=Path(platformdirs.user_config_dir(APP_ID, appauthor=False)),
        data_dir=Path(platformdirs.user_data_dir(APP_ID, appauthor=False)),
    )
