"""Open a file in the user's editor the way the desktop would (double-click semantics)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

log = logging.getLogger(__name__)


def open_command(path: Path, platform: str = sys.platform) -> list[str] | None:
    """The command that opens ``path`` on ``platform``; None on Windows (os.startfile)."""
    if platform.startswith("win"):
        return None
    if platform == "darwin":
        return ["open", "-t", str(path)]
    return ["xdg-open", str(path)]


def open_in_editor(path: Path) -> None:
    """Open ``path`` without waiting; a missing opener is logged, not raised."""
    command = open_command(path)
    try:
        if command is None:
            os.startfile(path)  # type: ignore[attr-defined]  # Windows only
        else:
            subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
    except OSError as error:
        log.warning("cannot open %s: %s; edit it in any text editor", path, error)
