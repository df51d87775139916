"""What every autostart backend shares: the states, the command to start, the interface.

A backend only knows its platform's entry (a file, a plist, a registry value) and
whether the platform's own startup switch lets it run. Whether the *user* once said
"no" is remembered outside the entry (see ``service``), because deleting the entry
is exactly what "off" looks like on disk and would otherwise read as "never asked".
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path, PurePath, PureWindowsPath
from typing import Protocol

APP_NAME = "movebreak"


class AutostartState(Enum):
    """What the user sees next to "Start at login", and what the app may do about it."""

    ENABLED = "enabled"
    """Our entry exists and the platform will run it at the next login."""
    DISABLED_BY_USER = "disabled-by-user"
    """The user turned it off (through movebreak, or by deleting the entry we wrote)."""
    DISABLED_BY_SYSTEM = "disabled-by-system"
    """Our entry exists, but the platform's own startup switch has it off."""
    NOT_SET = "not-set"
    """No entry and no decision yet: the only state in which the app may offer it."""


class AutostartUnavailable(RuntimeError):
    """This computer offers no way (that we support) to start at login; says why."""


class EntryState(Enum):
    """What a backend finds on disk or in the registry."""

    ABSENT = "absent"
    ACTIVE = "active"
    SWITCHED_OFF = "switched-off"  # present, but the platform's switch says "do not run"


class AutostartBackend(Protocol):
    """One platform's way of starting a program at login."""

    name: str
    location: str
    """Where the entry lives, for messages (a path, or a registry key and value name)."""
    system_switch: str
    """Where the platform's own on/off switch is, for the DISABLED_BY_SYSTEM message."""

    def entry(self) -> EntryState: ...

    def install(self, argv: tuple[str, ...]) -> None:
        """Write the entry so ``argv`` runs at login (replacing an older one)."""
        ...

    def remove(self) -> None:
        """Delete the entry; no error when there is none."""
        ...


def launch_command(
    executable: str | None = None,
    *,
    frozen: bool | None = None,
    platform: str = sys.platform,
    exists: Callable[[PurePath], bool] = lambda path: Path(path).exists(),
) -> tuple[str, ...]:
    """The absolute command that starts *this* install of movebreak.

    A frozen build (PyInstaller, Briefcase) is its own executable. Otherwise the
    interpreter of this environment runs the package, so a venv install keeps its
    venv: the path is made absolute but not resolved, since resolving a venv's
    ``python`` symlink would leave the venv. On Windows ``pythonw.exe`` is preferred
    where it sits next to ``python.exe``: it opens no console window at login.
    """
    executable = executable if executable is not None else sys.executable
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    if not executable:
        raise AutostartUnavailable("cannot tell which program runs movebreak "
                                   "(sys.executable is empty)")
    if platform == "win32":
        program = executable  # Windows path rules, whatever OS computes this
        interpreter = PureWindowsPath(executable)
        windowless = interpreter.with_name("pythonw.exe")
        if not frozen and interpreter.name.lower() == "python.exe" and exists(windowless):
            program = str(windowless)
    else:
        program = os.path.abspath(executable)
    return (program,) if frozen else (program, "-m", APP_NAME)
