"""Write a file so that a crash leaves either the old or the new content, never half of one."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from ..core.errors import TrayError
from ..core.i18n import tr

LOCK_TIMEOUT = 30.0  # s: another writer holds the lock for a read, a change and an fsync; longer is a hang
FULL = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


class StorageError(TrayError):
    """A file could not be written (full disk, quota, no permission) or its lock not taken. The file on disk
    is left as it was: this is not corruption, and the same save can simply be tried again."""

    def __init__(self, title: str, message: str, *, full: bool = False) -> None:
        super().__init__(title, message)
        self.full = full


def write_failed(path: Path, exc: OSError) -> StorageError:
    """The error a user reads when `path` could not be written: which file, why, and that it was kept."""
    full = exc.errno in FULL
    reason = tr("the disk is full") if full else (exc.strerror or type(exc).__name__)
    return StorageError(
        tr("Could not save"),
        tr(
            "{file} could not be written ({reason}); it was left as it was. Free some space and try again.",
            file=str(path),
            reason=reason,
        )
        if full
        else tr("{file} could not be written ({reason}); it was left as it was.", file=str(path), reason=reason),
        full=full,
    )


@contextlib.contextmanager
def locked(lock_path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """An exclusive lock between processes (and threads: each call opens its own descriptor), held by a lock
    file beside the data: flock on POSIX, msvcrt byte locking on Windows. Released on exit, and by the OS when
    the process dies, so a writer killed holding it never blocks the others."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + timeout
        while not _try_lock(fd):
            if time.monotonic() > deadline:
                raise StorageError(
                    tr("Could not save"),
                    tr("{file} is locked by another Credit Tray process; try again.", file=str(lock_path)),
                )
            time.sleep(0.01)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


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


def dumps(value: Any, *, indent: int | None = 2) -> str:
    """The app's JSON: never NaN or Infinity (not JSON; other readers reject them)."""
    return json.dumps(value, indent=indent, ensure_ascii=False, allow_nan=False)


def write_json(path: Path, value: Any, *, keep_backup: bool = False) -> None:
    write_atomic(path, (dumps(value) + "\n").encode("utf-8"), keep_backup=keep_backup)


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
