"""Where every file lives. With --config-dir (or TRAYAPP_CONFIG_DIR), everything lives under that folder."""

from __future__ import annotations

import logging
import os
import stat
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .. import APP_ID
from ..core.i18n import tr

ENV_CONFIG_DIR = "TRAYAPP_CONFIG_DIR"
DEMO_FOLDER = "credit-tray-demo"

log = logging.getLogger(__name__)


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
    def icon_cache(self) -> Path:
        """The tray's icon as last drawn, shown at the next start before anything else is read."""
        return self.data_dir / "tray-icon.png"

    @property
    def instance_name(self) -> str:
        """A per-user, per-config-dir name for the single-instance socket."""
        import hashlib

        digest = hashlib.sha256(str(self.config_dir.resolve()).encode()).hexdigest()[:12]
        return f"{APP_ID}-{os.getuid() if hasattr(os, 'getuid') else 0}-{digest}"

    def ensure(self) -> None:
        """The folders made (0700), the log and the icon cache the user's alone (0600, also when an older
        version left them 0644); a folder that cannot be one (a file is there, no permission) is a ConfigError."""
        for d in (self.config_dir, self.data_dir, self.log_dir):
            try:
                d.mkdir(parents=True, exist_ok=True, mode=0o700)
                if not d.is_dir():
                    raise NotADirectoryError(20, os.strerror(20))
            except OSError as exc:
                # Here, not at the top: the tray resolves its paths before its icon shows, and the errors
                # module brings in the models (~15 ms of dataclasses), which the icon does not need.
                from ..core.errors import ConfigError

                raise ConfigError(
                    tr("Folder unusable"),
                    tr(
                        "{path} cannot be used as a folder ({reason}). Point --config-dir or TRAYAPP_CONFIG_DIR "
                        "at a folder, or leave them unset.",
                        path=str(d),
                        reason=exc.strerror or type(exc).__name__,
                    ),
                ) from None
        for path in (self.log_file, *self.log_dir.glob(self.log_file.name + ".*"), self.icon_cache):
            _private(path)


def _private(path: Path) -> None:
    """0600 for a file of ours that exists (the log file is opened by logging with the process's umask)."""
    try:
        if path.is_file() and not path.is_symlink() and path.stat().st_mode & 0o077:
            path.chmod(0o600)
    except OSError:
        pass


@cache  # once per process: a fresh folder, when one is needed, is the same for the whole run
def demo_root() -> Path:
    """The demo's own folder when no config dir is given: private to this user, never a planted one.

    $XDG_RUNTIME_DIR/credit-tray-demo where that folder is the user's own (0700, per the XDG spec), else
    credit-tray-demo-<uid> in the temp dir. Either is checked with lstat once made: a folder, not a symlink,
    owned by this user, closed to others. One that fails (someone else made it first, or planted a link) is
    passed over for a fresh private folder (tempfile.mkdtemp): the demo never writes through it.
    The name is fixed otherwise, so that a second demo finds the running one (the single-instance name is
    made from the folder).
    """
    if os.name != "posix":
        return Path(tempfile.gettempdir()) / DEMO_FOLDER  # the user's own temp dir on Windows
    uid = os.getuid()
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    candidates = []
    if runtime and _owned_private_dir(Path(runtime), uid):
        candidates.append(Path(runtime) / DEMO_FOLDER)
    candidates.append(Path(tempfile.gettempdir()) / f"{DEMO_FOLDER}-{uid}")
    for folder in candidates:
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            pass
        except OSError:
            continue
        if _owned_private_dir(folder, uid):
            return folder
        log.warning("%s is not a private folder of this user; the demo uses a new one", folder)
    return Path(tempfile.mkdtemp(prefix=f"{DEMO_FOLDER}-"))


def _owned_private_dir(folder: Path, uid: int) -> bool:
    try:
        st = folder.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and st.st_uid == uid and not st.st_mode & 0o077


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
