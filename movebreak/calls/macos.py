"""Microphone and camera in use on macOS, from CoreAudio and CoreMediaIO.

``kAudioDevicePropertyDeviceIsRunningSomewhere`` ('gone') is true on an audio device
some process is running: on an input device, the same fact as the orange dot in the
menu bar. CoreMediaIO has the same property for cameras. Virtual input devices are
ignored: loopback drivers (BlackHole, Soundflower, Loopback) and the call apps' own
devices (ZoomAudioDevice, Microsoft Teams Audio) run whenever their helper does, call
or not. A device is virtual by its transport type (virtual, aggregate) or its name.

Caveat [verify on target]: the property is per device, so a USB headset (one device,
input and output) playing music also reads as running. macOS 14.2+ has per-process
``kAudioProcessPropertyIsRunningInput`` that would avoid this.

CoreAudio property listeners need a callback thread we cannot exercise here, so this
source reads the properties every 10 s, in-process through ctypes, only while the
feature is on. The decisions are pure and tested on every platform.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from movebreak.calls.base import CallsUnavailable, PollingSource
from movebreak.core.calls import DeviceSnapshot, MicStream


def fourcc(code: str) -> int:
    """A four-character code as CoreAudio spells its constants (``'gone'``)."""
    return int.from_bytes(code.encode("ascii"), "big")


VIRTUAL_TRANSPORTS = frozenset({fourcc("virt"), fourcc("grup"), fourcc("fgrp")})
VIRTUAL_NAME_HINTS = (
    "blackhole", "soundflower", "loopback", "zoomaudiodevice", "zoom audio",
    "microsoft teams audio", "background music", "krisp",
)


@dataclass(frozen=True)
class AudioDevice:
    """What we read of one CoreAudio device."""

    name: str
    transport: int
    has_input: bool
    running_somewhere: bool


def is_virtual(device: AudioDevice) -> bool:
    """True for a driver-made device rather than a microphone."""
    name = device.name.casefold()
    return device.transport in VIRTUAL_TRANSPORTS or any(h in name for h in VIRTUAL_NAME_HINTS)


def busy_microphones(devices: Iterable[AudioDevice]) -> tuple[str, ...]:
    """Names of the real input devices someone is recording from."""
    return tuple(d.name for d in devices
                 if d.has_input and d.running_somewhere and not is_virtual(d))


def snapshot_from_devices(
    audio: Iterable[AudioDevice], cameras_running: Iterable[str]
) -> DeviceSnapshot:
    """One snapshot; each busy microphone stands for one recording stream."""
    microphones = tuple(MicStream(app=name) for name in busy_microphones(audio))
    return DeviceSnapshot(microphones, tuple(cameras_running))


class _Address(ctypes.Structure):
    _fields_ = (("selector", ctypes.c_uint32), ("scope", ctypes.c_uint32),
                ("element", ctypes.c_uint32))


_SYSTEM_OBJECT = 1
_GLOBAL, _INPUT = fourcc("glob"), fourcc("inpt")
_FRAMEWORKS = "/System/Library/Frameworks/{0}.framework/{0}"
_UTF8 = 0x08000100


class CoreAudioReader:
    """Reads devices through ctypes (macOS only; loading fails elsewhere)."""

    def __init__(self) -> None:
        self._audio = ctypes.cdll.LoadLibrary(_FRAMEWORKS.format("CoreAudio"))
        self._cmio = ctypes.cdll.LoadLibrary(_FRAMEWORKS.format("CoreMediaIO"))
        self._cf = ctypes.cdll.LoadLibrary(_FRAMEWORKS.format("CoreFoundation"))
        self._cf.CFStringGetCString.restype = ctypes.c_bool
        self._cf.CFStringGetCString.argtypes = (ctypes.c_void_p, ctypes.c_char_p,
                                                ctypes.c_long, ctypes.c_uint32)
        self._cf.CFRelease.argtypes = (ctypes.c_void_p,)

    def audio_devices(self) -> list[AudioDevice]:
        return [
            AudioDevice(
                name=self._name(self._audio_get, device),
                transport=self._uint(self._audio_get, device, "tran"),
                has_input=self._audio_size(device, "stm#", _INPUT) > 0,
                running_somewhere=self._uint(self._audio_get, device, "gone") != 0,
            )
            for device in self._ids(self._audio_size, self._audio_get)
        ]

    def running_cameras(self) -> list[str]:
        return [self._name(self._cmio_get, camera)
                for camera in self._ids(self._cmio_size, self._cmio_get)
                if self._uint(self._cmio_get, camera, "gone") != 0]

    def _audio_size(self, obj: int, selector: str, scope: int = _GLOBAL) -> int:
        size = ctypes.c_uint32(0)
        address = _Address(fourcc(selector), scope, 0)
        status = self._audio.AudioObjectGetPropertyDataSize(
            ctypes.c_uint32(obj), ctypes.byref(address), 0, None, ctypes.byref(size))
        return size.value if status == 0 else 0

    def _audio_get(self, obj: int, selector: str, buffer: Any, size: int) -> bool:
        io_size = ctypes.c_uint32(size)
        address = _Address(fourcc(selector), _GLOBAL, 0)
        status: int = self._audio.AudioObjectGetPropertyData(
            ctypes.c_uint32(obj), ctypes.byref(address), 0, None, ctypes.byref(io_size),
            ctypes.byref(buffer))
        return status == 0

    def _cmio_size(self, obj: int, selector: str, scope: int = _GLOBAL) -> int:
        size = ctypes.c_uint32(0)
        address = _Address(fourcc(selector), scope, 0)
        status = self._cmio.CMIOObjectGetPropertyDataSize(
            ctypes.c_uint32(obj), ctypes.byref(address), 0, None, ctypes.byref(size))
        return size.value if status == 0 else 0

    def _cmio_get(self, obj: int, selector: str, buffer: Any, size: int) -> bool:
        used = ctypes.c_uint32(0)
        address = _Address(fourcc(selector), _GLOBAL, 0)
        status: int = self._cmio.CMIOObjectGetPropertyData(
            ctypes.c_uint32(obj), ctypes.byref(address), 0, None, ctypes.c_uint32(size),
            ctypes.byref(used), ctypes.byref(buffer))
        return status == 0

    def _ids(self, size_of: Any, get: Any) -> list[int]:
        count = size_of(_SYSTEM_OBJECT, "dev#") // 4
        ids = (ctypes.c_uint32 * count)()
        return list(ids) if count and get(_SYSTEM_OBJECT, "dev#", ids, 4 * count) else []

    def _uint(self, get: Any, obj: int, selector: str) -> int:
        value = ctypes.c_uint32(0)
        return value.value if get(obj, selector, value, 4) else 0

    def _name(self, get: Any, obj: int) -> str:
        ref = ctypes.c_void_p(None)
        if not get(obj, "lnam", ref, ctypes.sizeof(ref)) or not ref.value:
            return ""
        text = ctypes.create_string_buffer(256)
        ok = self._cf.CFStringGetCString(ref, text, len(text), _UTF8)
        self._cf.CFRelease(ref)
        return text.value.decode("utf-8", "replace") if ok else ""


class MacDeviceSource(PollingSource):
    """``DeviceSource`` that reads CoreAudio and CoreMediaIO every ``every``."""

    name = "CoreAudio"

    def __init__(self, every: timedelta = timedelta(seconds=10)) -> None:
        super().__init__(every)
        self._reader: CoreAudioReader | None = None

    def open(self) -> None:
        try:
            self._reader = CoreAudioReader()
        except OSError as error:
            raise CallsUnavailable(f"CoreAudio is not available: {error}") from error

    def snapshot(self) -> DeviceSnapshot:
        if self._reader is None:
            raise CallsUnavailable("not opened")
        return snapshot_from_devices(self._reader.audio_devices(), self._reader.running_cameras())

    def close(self) -> None:
        self._reader = None
