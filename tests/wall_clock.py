"""Set the machine's wall clock to the time it already shows: a clock change of ~0 s.

The kernel treats any ``clock_settime(CLOCK_REALTIME)`` as a discontinuous change and
cancels every cancel-on-set timerfd, exactly as after an NTP step or a resume, while
the time itself moves by microseconds at most: safe on a shared test machine. It
needs CAP_SYS_TIME (CI runs as root); without it, tests fail under CI and skip here.
"""

from __future__ import annotations

import ctypes
import os

import pytest

from movebreak.watch.clock import CLOCK_REALTIME, Timespec


def announce_clock_change() -> None:
    """Set CLOCK_REALTIME to its own reading; fail or skip without the right to."""
    libc = ctypes.CDLL(None, use_errno=True)
    now = Timespec()
    libc.clock_gettime(CLOCK_REALTIME, ctypes.byref(now))
    if libc.clock_settime(CLOCK_REALTIME, ctypes.byref(now)) != 0:
        message = (f"setting the clock needs CAP_SYS_TIME (root): "
                   f"{os.strerror(ctypes.get_errno())}")
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
