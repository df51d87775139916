"""The port a platform implements so that :class:`~movebreak.calls.watcher.CallWatcher`
can follow the microphone and camera: open, take a snapshot, wait for a change.

Sources that get change events from the OS (PulseAudio/PipeWire on Linux) return from
``wait`` as soon as something happened; the others (:class:`PollingSource`) look again
after a coarse interval, in-process, and only while the feature is on.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Protocol

from movebreak.adapters import Unavailable
from movebreak.core.calls import DeviceSnapshot


class CallsUnavailable(Unavailable):
    """The platform's sound or device service cannot be reached (now); says why."""


class DeviceSource(Protocol):
    """What the watcher needs from a platform. Only ``interrupt`` may be called from
    another thread; the watcher calls everything else from its own thread."""

    name: str

    def open(self) -> None:
        """Connect to the platform service; raise CallsUnavailable when it is not there."""
        ...

    def snapshot(self) -> DeviceSnapshot:
        """The devices in use now; raise CallsUnavailable when the service went away."""
        ...

    def wait(self, timeout: float | None) -> None:
        """Return when the devices may have changed, ``timeout`` seconds passed (None:
        no limit) or ``interrupt`` was called; raise CallsUnavailable on a lost service."""
        ...

    def interrupt(self) -> None:
        """Make a running or the next ``wait`` return soon; safe from any thread."""
        ...

    def close(self) -> None:
        """Let go of the service; ``open`` may be called again later."""
        ...


class PollingSource:
    """Base for platforms with no change events we can use: look again every ``every``.

    The look itself is an in-process read (registry values, a CoreAudio property), so
    a poll costs microseconds and forks nothing.
    """

    name = "polling"

    def __init__(self, every: timedelta = timedelta(seconds=10)) -> None:
        self._every = every.total_seconds()
        self._woken = threading.Event()

    def open(self) -> None:
        """Nothing to connect to by default."""

    def wait(self, timeout: float | None) -> None:
        limit = self._every if timeout is None else min(timeout, self._every)
        self._woken.wait(max(limit, 0.0))
        self._woken.clear()

    def interrupt(self) -> None:
        self._woken.set()

    def close(self) -> None:
        """Nothing to let go of by default."""
