"""Start at login: the platform's entry plus the user's remembered decision.

The rule from issue 6: once the user has turned autostart off, the app never turns it
back on by itself. "Off" on disk is simply "no entry", which also means "never
asked"; so the last decision is recorded in the data folder (``autostart-choice``).
A missing entry that we once wrote counts as the user's "no" too: they removed it
with their desktop's tools (GNOME Tweaks deletes the file), and that is respected.

``should_offer()`` is true only in NOT_SET: no entry and no decision on record. An
explicit ``enable()`` (the CLI, the tray's check item) is the user's own act and
always writes the entry; where the platform keeps its own switch apart from our entry
(Windows' StartupApproved flag) that switch is left alone and reported instead.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from enum import Enum
from pathlib import Path

from movebreak.autostart.base import (
    AutostartBackend,
    AutostartState,
    AutostartUnavailable,
    EntryState,
    launch_command,
)
from movebreak.storage.atomic import write_atomic

log = logging.getLogger(__name__)

CHOICE_FILE = "autostart-choice"


class Choice(Enum):
    """The last decision made through movebreak, as stored in the choice file."""

    NONE = ""
    ENABLED = "enabled"
    DISABLED = "disabled"


def decide(entry: EntryState, choice: Choice) -> AutostartState:
    """The state the user sees, from what is on disk and what they last chose."""
    if entry is EntryState.ACTIVE:
        return AutostartState.ENABLED
    if entry is EntryState.SWITCHED_OFF:
        return AutostartState.DISABLED_BY_SYSTEM
    if choice is Choice.NONE:
        return AutostartState.NOT_SET
    return AutostartState.DISABLED_BY_USER  # turned off here, or our entry removed outside


def read_choice(path: Path) -> Choice:
    """The recorded decision; an unreadable or unknown record counts as none."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except (FileNotFoundError, UnicodeDecodeError):
        return Choice.NONE
    try:
        return Choice(text)
    except ValueError:
        return Choice.NONE


class Autostart:
    """The API the CLI and the tray's "Start at login" item use."""

    def __init__(
        self, backend: AutostartBackend, choice_file: Path, command: tuple[str, ...]
    ) -> None:
        self.backend = backend
        self.choice_file = choice_file
        self.command = command

    def status(self) -> AutostartState:
        return decide(self.backend.entry(), read_choice(self.choice_file))

    def should_offer(self) -> bool:
        """May the app suggest (or on first run, set up) autostart by itself?"""
        return self.status() is AutostartState.NOT_SET

    def enable(self) -> AutostartState:
        """Write the entry for this install's command; return the resulting state."""
        self.backend.install(self.command)
        self._record(Choice.ENABLED)
        state = self.status()
        log.info("autostart enabled: %s (%s)", self.backend.location, state.value)
        return state

    def disable(self) -> AutostartState:
        """Remove the entry and remember that the user said no."""
        self.backend.remove()
        self._record(Choice.DISABLED)
        log.info("autostart disabled by the user: removed %s", self.backend.location)
        return self.status()

    def _record(self, choice: Choice) -> None:
        write_atomic(self.choice_file, choice.value + "\n")


def backend_for(platform: str, env: Mapping[str, str]) -> AutostartBackend:
    """The platform's backend; ``AutostartUnavailable`` when there is none."""
    if platform == "win32":
        from movebreak.autostart.windows import RunKeyAutostart, WinRegistry

        try:
            return RunKeyAutostart(WinRegistry())
        except (ImportError, OSError) as error:
            reason = f"the Windows registry cannot be opened ({error})"
            raise AutostartUnavailable(reason) from error
    if platform == "darwin":
        from movebreak.autostart.macos import LaunchAgentAutostart

        return LaunchAgentAutostart(Path(env.get("HOME") or Path.home()))
    if "FLATPAK_ID" in env:
        raise AutostartUnavailable(
            "inside Flatpak the autostart folder is not the desktop's, and the "
            "Background portal is not supported yet"
        )
    if platform.startswith(("linux", "freebsd", "openbsd", "netbsd", "dragonfly")):
        from movebreak.autostart.linux import XdgAutostart

        return XdgAutostart.for_env(env)
    raise AutostartUnavailable(f"no autostart support for platform {platform!r}")


def for_platform(
    data_dir: Path,
    *,
    platform: str = sys.platform,
    env: Mapping[str, str] | None = None,
    command: tuple[str, ...] | None = None,
) -> Autostart:
    """The autostart API for this computer; raises ``AutostartUnavailable``."""
    backend = backend_for(platform, os.environ if env is None else env)
    if command is None:
        command = launch_command(platform=platform)
    return Autostart(backend, data_dir / CHOICE_FILE, command)


def detect(
    data_dir: Path,
    *,
    platform: str = sys.platform,
    env: Mapping[str, str] | None = None,
) -> Autostart | None:
    """``for_platform`` for the app: None and one log line when there is no backend.

    The tray hides its "Start at login" item when this returns None.
    """
    try:
        return for_platform(data_dir, platform=platform, env=env)
    except AutostartUnavailable as error:
        log.warning("Start at login is unavailable: %s", error)
        return None
