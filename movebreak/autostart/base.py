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

from movebreak.adapters import Unavailable

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


class AutostartUnavailable(Unavailable):
    """This computer offers no way (that we support) to start at login; says why."""


class EntryState(Enum):
    """What a backend finds on disk or in the registry."""

    ABSENT = "absent"
    ACTIVE = "active"
    SWITCHED_OFF = "switched-off"  # present, but the platform's switch says "do not run"


class AutostartBackend(Protocol):
    """One platform's way of starting a program at login."""

    @property
    def name(self) -> str: ...

    @property
    def location(self) -> str:
        """Where the entry lives, for messages (a path, or a registry key and value name)."""
        ...

    @property
    def system_switch(self) -> str:
        """Where the platform's own on/off switch is, for the DISABLED_BY_SYSTEM message."""
        ...

    def entry(self) -> EntryState: ...

    def install(self, argv: tuple[str, ...]) -> None:
        """Write the entry so ``argv`` runs at login (replacing an older one)."""
        ...

    def remove(self) -> None:
        """Delete the entry; no error when there is none."""
        ...


LAUNCHER_ENV = "MOVEBREAK_LAUNCHER"
"""Set by a launcher script that puts the app on the import path itself (the .deb's
``/usr/bin/movebreak``) to its own path: the only command that can start that install."""


def launch_command(
    executable: str | None = None,
    *,
    frozen: bool | None = None,
    platform: str = sys.platform,
    exists: Callable[[PurePath], bool] = lambda path: Path(path).is_file(),
    launcher: str | None = None,
    started_as: str | None = None,
    in_venv: bool | None = None,
) -> tuple[str, ...]:
    """The absolute command that starts *this* install of movebreak at login.

    In this order, the first that applies:

    1. a frozen build (PyInstaller, Briefcase) is its own executable;
    2. a launcher that named itself in ``$MOVEBREAK_LAUNCHER`` (the .deb's
       ``/usr/bin/movebreak``, which alone puts ``/usr/lib/movebreak`` on the path:
       ``python3 -m movebreak`` fails there with "No module named movebreak"), if
       it is the script this process started as (``sys.argv[0]``): the variable is
       inherited by whatever the app starts, which may be another install;
    3. in a venv (pip, pipx, ``./dev``), its ``movebreak`` console script beside the
       interpreter: the script pip wrote for this very install. Made absolute but not
       resolved, since resolving a venv's links would leave the venv;
    4. else this interpreter with ``-m movebreak`` (``pip install --user``, a system
       pip install): the interpreter's own path finds the package.

    Not ``sys.argv[0]``: it is the launcher only when one started us (``python -m``
    gives ``__main__.py``, tests give pytest, and a relative path breaks after a
    ``chdir``), and nothing in argv[0] says which case this is. Not a console script
    beside a system interpreter either: ``/usr/bin/movebreak`` beside
    ``/usr/bin/python3`` is the .deb's, whoever runs. On Windows a venv keeps
    ``pythonw.exe -m movebreak``, which opens no console window at login (the
    console script ``movebreak.exe`` would).
    """
    executable = executable if executable is not None else sys.executable
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    launcher = os.environ.get(LAUNCHER_ENV, "") if launcher is None else launcher
    started_as = (sys.argv[0] if sys.argv else "") if started_as is None else started_as
    in_venv = sys.prefix != sys.base_prefix if in_venv is None else in_venv
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
    if frozen:
        return (program,)
    if (launcher and os.path.isabs(launcher) and exists(PurePath(launcher))
            and os.path.realpath(started_as) == os.path.realpath(launcher)):
        return (launcher,)
    if platform != "win32" and in_venv:
        script = os.path.join(os.path.dirname(program), APP_NAME)
        if exists(PurePath(script)):
            return (script,)
    return (program, "-m", APP_NAME)
