"""macOS: a LaunchAgent plist in ``~/Library/LaunchAgents/``, loaded by launchd at login.

The agent is written but not loaded now (no ``launchctl load``): loading it would
start a second movebreak next to the running one. ``RunAtLoad`` starts it at the next
login; no ``KeepAlive``, so "Quit" stays quit. ``LimitLoadToSessionType = Aqua`` keeps
it out of SSH sessions, where a tray app has no screen.

launchd's own off switch is the ``Disabled`` key (``launchctl disable`` keeps its own
database, which only launchctl can read, so that one is not seen here). macOS 13+ also
lists hand-written agents under Settings > General > Login Items, where the user can
switch them off; a signed app bundle would use ``SMAppService`` instead.
"""

from __future__ import annotations

import contextlib
import plistlib
from pathlib import Path
from typing import Any

from movebreak.autostart.base import EntryState
from movebreak.storage.atomic import write_atomic

LABEL = "io.github.movebreak"


def launch_agent(argv: tuple[str, ...], label: str = LABEL) -> dict[str, Any]:
    """The agent's keys, as plistlib writes them."""
    return {
        "Label": label,
        "ProgramArguments": list(argv),
        "RunAtLoad": True,
        "ProcessType": "Interactive",
        "LimitLoadToSessionType": "Aqua",
    }


def launch_agent_bytes(argv: tuple[str, ...], label: str = LABEL) -> bytes:
    """The plist file's bytes (XML, as ``plutil -lint`` accepts)."""
    return plistlib.dumps(launch_agent(argv, label), fmt=plistlib.FMT_XML, sort_keys=True)


def entry_state_of(data: bytes) -> EntryState:
    """ACTIVE unless launchd's ``Disabled`` key is true; an unreadable plist never runs."""
    try:
        agent = plistlib.loads(data)
    except (plistlib.InvalidFileException, ValueError):
        return EntryState.SWITCHED_OFF
    if not isinstance(agent, dict) or agent.get("Disabled") is True:
        return EntryState.SWITCHED_OFF
    return EntryState.ACTIVE


class LaunchAgentAutostart:
    """``AutostartBackend`` writing ``~/Library/LaunchAgents/<label>.plist``."""

    name = "launchagent"
    system_switch = "System Settings > General > Login Items"

    def __init__(self, home: Path, label: str = LABEL) -> None:
        self.label = label
        self.path = home / "Library" / "LaunchAgents" / f"{label}.plist"

    @property
    def location(self) -> str:
        return str(self.path)

    def entry(self) -> EntryState:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return EntryState.ABSENT
        return entry_state_of(data)

    def install(self, argv: tuple[str, ...]) -> None:
        write_atomic(self.path, launch_agent_bytes(argv, self.label))

    def remove(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
