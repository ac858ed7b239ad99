"""A one-time note on Windows: new tray icons start hidden in the taskbar's overflow area (the ^ arrow)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..core.i18n import tr

# Shown by the tray in its language (i18n.localize); a translation names Windows' settings as a Windows in
# that language does.
OVERFLOW_NOTE_TITLE = tr("Credit Tray is running")
OVERFLOW_NOTE = tr(
    "Windows may hide its icon under the ^ arrow next to the clock. To keep it in view, drag it onto "
    "the taskbar, or turn it on in Settings › Personalization › Taskbar › Other system tray icons."
)
MARKER = "windows-overflow-note-shown"


def overflow_note_due(marker: Path, platform: str = sys.platform) -> bool:
    """True once per config folder, on Windows only."""
    return platform == "win32" and not marker.exists()


def mark_overflow_note_shown(marker: Path) -> None:
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text("The first-run note about the taskbar overflow area was shown.\n", encoding="utf-8")
