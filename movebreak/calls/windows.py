"""Microphone and camera in use on Windows 10 1903+ and 11, from the consent store.

Windows records each app's use of a capability under
``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\CapabilityAccessManager\\
ConsentStore\\{microphone,webcam}``: one subkey per Store app (its package family
name), and under ``NonPackaged`` one per desktop program (its path with ``#`` for
``\\``). Each has ``LastUsedTimeStart`` and ``LastUsedTimeStop`` (FILETIME QWORDs);
a start with a stop of 0 means the app is using the device right now. This is what the
privacy indicator in the taskbar shows.

Windows does notify registry changes (RegNotifyChangeKeyValue), but waiting on it
needs Win32 events we cannot exercise here, so this source reads the values every
10 s, in-process through ``winreg``, only while the feature is on. The walk and the
in-use decision are pure and tested on every platform with a registry given as data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any, Protocol

from movebreak.calls.base import CallsUnavailable, PollingSource
from movebreak.core.calls import DeviceSnapshot, MicStream

CONSENT_STORE = (
    r"Software\Microsoft\Windows\CurrentVersion\CapabilityAccessManager\ConsentStore"
)
MICROPHONE = "microphone"
WEBCAM = "webcam"
NON_PACKAGED = "NonPackaged"


class RegistryReader(Protocol):
    """The two reads the walk needs, under HKEY_CURRENT_USER; missing keys read empty."""

    def subkeys(self, path: str) -> list[str]: ...
    def values(self, path: str) -> Mapping[str, object]: ...


def in_use_now(values: Mapping[str, object]) -> bool:
    """True when an app's values say it holds the device now: started, never stopped."""
    start, stop = values.get("LastUsedTimeStart"), values.get("LastUsedTimeStop")
    return isinstance(start, int) and start > 0 and stop == 0


def app_label(subkey: str) -> str:
    """A short name for debug logs: ``C:#Apps#Zoom.exe`` -> ``Zoom.exe``,
    ``Microsoft.SkypeApp_kzf8qxf38zg5c`` -> ``Microsoft.SkypeApp``."""
    if "#" in subkey:
        return subkey.rsplit("#", 1)[-1]
    return subkey.split("_", 1)[0]


def users_of(reader: RegistryReader, capability: str) -> tuple[str, ...]:
    """The apps using ``capability`` (``microphone`` or ``webcam``) right now."""
    base = f"{CONSENT_STORE}\\{capability}"
    users = []
    for subkey in reader.subkeys(base):
        if subkey == NON_PACKAGED:
            folder = f"{base}\\{NON_PACKAGED}"
            users += [app_label(app) for app in reader.subkeys(folder)
                      if in_use_now(reader.values(f"{folder}\\{app}"))]
        elif in_use_now(reader.values(f"{base}\\{subkey}")):
            users.append(app_label(subkey))
    return tuple(users)


def snapshot_from_registry(reader: RegistryReader) -> DeviceSnapshot:
    """One snapshot: each app using the microphone is a recording stream."""
    microphones = tuple(MicStream(app=app) for app in users_of(reader, MICROPHONE))
    return DeviceSnapshot(microphones, users_of(reader, WEBCAM))


class WinregReader:
    """``RegistryReader`` on the real registry (Windows only)."""

    def __init__(self) -> None:
        import winreg  # type: ignore[import-not-found,unused-ignore]

        self._winreg: Any = winreg  # winreg exists on Windows only

    def subkeys(self, path: str) -> list[str]:
        names: list[str] = []
        try:
            with self._winreg.OpenKey(self._winreg.HKEY_CURRENT_USER, path) as key:
                count = self._winreg.QueryInfoKey(key)[0]
                names = [self._winreg.EnumKey(key, i) for i in range(count)]
        except OSError:
            return []
        return names

    def values(self, path: str) -> Mapping[str, object]:
        found: dict[str, object] = {}
        try:
            with self._winreg.OpenKey(self._winreg.HKEY_CURRENT_USER, path) as key:
                for i in range(self._winreg.QueryInfoKey(key)[1]):
                    name, value, _kind = self._winreg.EnumValue(key, i)
                    found[name] = value
        except OSError:
            return {}
        return found


class WindowsDeviceSource(PollingSource):
    """``DeviceSource`` that reads the consent store every ``every``.

    ``reader`` makes the registry access (the real one by default; tests give data).
    """

    name = "the Windows capability access store"

    def __init__(
        self,
        every: timedelta = timedelta(seconds=10),
        reader: Callable[[], RegistryReader] = WinregReader,
    ) -> None:
        super().__init__(every)
        self._make_reader = reader
        self._reader: RegistryReader | None = None

    def open(self) -> None:
        try:
            self._reader = self._make_reader()
        except ImportError as error:
            raise CallsUnavailable("winreg exists only on Windows") from error

    def snapshot(self) -> DeviceSnapshot:
        if self._reader is None:
            raise CallsUnavailable("not opened")
        return snapshot_from_registry(self._reader)

    def close(self) -> None:
        self._reader = None
