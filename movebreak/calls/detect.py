"""The device source for this platform: PulseAudio/PipeWire, Core Audio or the
Windows privacy registry. Each opens lazily, so choosing one costs nothing."""

from __future__ import annotations

import sys

from movebreak.calls.base import DeviceSource


def detect(platform: str = sys.platform) -> DeviceSource:
    """The device source for ``platform`` (a ``sys.platform`` value); one that cannot
    reach its service raises ``CallsUnavailable`` when the watcher opens it."""
    if platform == "win32":
        from movebreak.calls.windows import WindowsDeviceSource

        return WindowsDeviceSource()
    if platform == "darwin":
        from movebreak.calls.macos import MacDeviceSource

        return MacDeviceSource()
    from movebreak.calls.linux import PulseDeviceSource

    return PulseDeviceSource()
