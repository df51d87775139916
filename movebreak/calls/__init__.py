"""Live calls: the microphone and camera in use, as "a call started / ended" events.

Off by default (privacy): the app builds a watcher with :func:`make_call_watcher` and
starts it only when the user turns the feature on. The decisions live in
:mod:`movebreak.core.calls`; this package holds one device source per platform.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime

from movebreak.calls.source import DeviceSource, DeviceSourceError
from movebreak.calls.watcher import CallWatcher, OnCall
from movebreak.core.calls import DEFAULT_TIMING, CallKind, CallTiming

__all__ = [
    "CallKind",
    "CallTiming",
    "CallWatcher",
    "DeviceSource",
    "DeviceSourceError",
    "OnCall",
    "make_call_watcher",
    "platform_source",
]


def platform_source(platform: str = sys.platform) -> DeviceSource:
    """The device source for ``platform`` (a ``sys.platform`` value)."""
    if platform == "win32":
        from movebreak.calls.windows import WindowsDeviceSource

        return WindowsDeviceSource()
    if platform == "darwin":
        from movebreak.calls.macos import MacDeviceSource

        return MacDeviceSource()
    from movebreak.calls.linux import PulseDeviceSource

    return PulseDeviceSource()


def make_call_watcher(
    on_call: OnCall,
    now: Callable[[], datetime],
    *,
    timing: CallTiming = DEFAULT_TIMING,
    platform: str = sys.platform,
) -> CallWatcher:
    """A watcher on this platform's devices; call ``start()`` when the switch is on."""
    return CallWatcher(platform_source(platform), on_call, now, timing=timing)
