"""Windows: the value ``movebreak`` under ``HKCU\\...\\CurrentVersion\\Run``.

Task Manager's Startup tab and Settings > Apps > Startup do not delete that value
when the user switches an app off: they write a 12-byte flag under
``...\\Explorer\\StartupApproved\\Run`` with the same value name. An odd first byte means
"off" (0x03, 0x07), an even one or no flag at all means "on"; the last 8 bytes hold
the FILETIME of the switch. We read it to report DISABLED_BY_SYSTEM and never write
it: that switch is the user's, made in Windows, and stays theirs.

``winreg`` only exists on Windows, so the registry is behind a tiny interface and the
logic (the command line, the flag) is tested elsewhere with a dictionary.
"""

from __future__ import annotations

import subprocess
from typing import Protocol

from movebreak.autostart.base import APP_NAME, EntryState

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
APPROVED_KEY = r"Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run"
VALUE_NAME = APP_NAME


class UserRegistry(Protocol):
    """The few HKEY_CURRENT_USER operations autostart needs."""

    def read(self, key: str, name: str) -> str | bytes | int | None:
        """The value's data, or None when the key or value does not exist."""
        ...

    def write_string(self, key: str, name: str, value: str) -> None: ...

    def delete(self, key: str, name: str) -> None:
        """Delete the value; no error when it does not exist."""
        ...


def run_value(argv: tuple[str, ...]) -> str:
    """The ``Run`` value's command line: the program always quoted, the rest as cmd quotes.

    An unquoted program path with spaces ("C:\\Program Files\\...") is both a bug and a
    known hijack route, so the program is quoted even when it has no space.
    """
    program, *rest = argv
    line = f'"{program}"'
    return f"{line} {subprocess.list2cmdline(rest)}" if rest else line


def approved(flag: str | bytes | int | None) -> bool:
    """Whether a StartupApproved flag lets the entry run: missing or even first byte."""
    if not isinstance(flag, bytes) or not flag:
        return True
    return flag[0] % 2 == 0


class RunKeyAutostart:
    """``AutostartBackend`` for the HKCU ``Run`` key."""

    name = "windows-run-key"
    system_switch = "Task Manager > Startup apps (or Settings > Apps > Startup)"

    def __init__(self, registry: UserRegistry) -> None:
        self.registry = registry

    @property
    def location(self) -> str:
        return f"HKCU\\{RUN_KEY}\\{VALUE_NAME}"

    def entry(self) -> EntryState:
        if self.registry.read(RUN_KEY, VALUE_NAME) is None:
            return EntryState.ABSENT
        if not approved(self.registry.read(APPROVED_KEY, VALUE_NAME)):
            return EntryState.SWITCHED_OFF
        return EntryState.ACTIVE

    def install(self, argv: tuple[str, ...]) -> None:
        self.registry.write_string(RUN_KEY, VALUE_NAME, run_value(argv))

    def remove(self) -> None:
        self.registry.delete(RUN_KEY, VALUE_NAME)


class WinRegistry:
    """``UserRegistry`` over ``winreg`` (Windows only; imported when constructed)."""

    def __init__(self) -> None:
        import winreg  # ImportError elsewhere: the caller picks another backend

        self._winreg = winreg

    def read(self, key: str, name: str) -> str | bytes | int | None:
        winreg = self._winreg
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key) as handle:
                value, _kind = winreg.QueryValueEx(handle, name)
        except FileNotFoundError:
            return None
        return value  # type: ignore[no-any-return]

    def write_string(self, key: str, name: str, value: str) -> None:
        winreg = self._winreg
        with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, key, 0, winreg.KEY_SET_VALUE) as handle:
            winreg.SetValueEx(handle, name, 0, winreg.REG_SZ, value)

    def delete(self, key: str, name: str) -> None:
        winreg = self._winreg
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key, 0, winreg.KEY_SET_VALUE) as handle:
                winreg.DeleteValue(handle, name)
        except FileNotFoundError:
            return
