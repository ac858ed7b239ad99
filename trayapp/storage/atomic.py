"""Write a file so that a crash leaves either the old or the new content, never half of one."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any


def write_atomic(path: Path, data: bytes, *, keep_backup: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)
        if keep_backup and path.exists():
            with contextlib.suppress(OSError):
                _backup(path)
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _backup(path: Path) -> None:
    """path.bak := path, without a moment when `path` is missing (a crash then would lose it)."""
    backup = path.with_name(path.name + ".bak")
    tmp = path.with_name(f".{backup.name}.tmp")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)
    try:
        os.link(path, tmp)
    except OSError:  # no hard links on this file system
        shutil.copyfile(path, tmp)
    os.replace(tmp, backup)


def remove_stale_temps(directory: Path, older_than: float = 600.0) -> list[Path]:
    """Remove what saves killed midway left (`.NAME.*.tmp`). Only old ones: a young one may belong to a
    save running now in another process (`trayapp check` next to the tray)."""
    removed = []
    limit = time.time() - older_than
    with contextlib.suppress(OSError):
        for tmp in directory.glob(".*.tmp"):
            with contextlib.suppress(OSError):
                if tmp.is_file() and tmp.stat().st_mtime < limit:
                    tmp.unlink()
                    removed.append(tmp)
    return removed


def write_json(path: Path, value: Any, *, keep_backup: bool = False) -> None:
    text = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    write_atomic(path, text.encode("utf-8"), keep_backup=keep_backup)


def set_aside(path: Path, now: datetime) -> Path:
    """Move a file that cannot be read out of the way (kept for the user), and say where."""
    target = path.with_name(f"{path.name}.corrupt-{now.strftime('%Y%m%dT%H%M%S')}")
    os.replace(path, target)
    return target


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
