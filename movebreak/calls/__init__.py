"""Live calls: the microphone and camera in use, as "a call started / ended" events.

Off by default (privacy): the app builds a watcher with :func:`make_call_watcher` and
starts it only when the user turns the feature on. The decisions live in
:mod:`movebreak.core.calls`; this package holds one device source per platform.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime

from movebreak.calls.base import CallsUnavailable, DeviceSource
from movebreak.calls.detect import detect
from movebreak.calls.watcher import CallWatcher, OnCall
from movebreak.core.calls import DEFAULT_TIMING, CallKind, CallTiming

__all__ = [
    "CallKind",
    "CallTiming",
    "CallWatcher",
    "CallsUnavailable",
    "DeviceSource",
    "OnCall",
    "detect",
    "make_call_watcher",
]


def make_call_watcher(
    on_call: OnCall,
    now: Callable[[], datetime],
    *,
    timing: CallTiming = DEFAULT_TIMING,
    platform: str = sys.platform,
) -> CallWatcher:
    """A watcher on this platform's devices; call ``start()`` when the switch is on."""
    return CallWatcher(detect(platform), on_call, now, timing=timing)
