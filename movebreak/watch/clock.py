"""Hear at once when the wall clock is set or the machine resumes, without polling.

The scheduler keeps its jobs in wall-clock time (the core's instants are UTC) but waits
with the monotonic clock, so a clock set *back* by an hour would hold the next prompt
an hour, and after a resume the wait still counts only the time awake. Linux tells a
process about both: a ``timerfd`` on ``CLOCK_REALTIME`` armed with
``TFD_TIMER_CANCEL_ON_SET`` is cancelled (its ``read`` fails with ``ECANCELED``) on
every discontinuous change of the wall clock, and resuming from suspend counts as one.
One thread blocks on that descriptor all day; it wakes only on such a change.

Elsewhere there is no watch (``detect`` returns None): a step back is then noticed at
the next planned look (see README, pitfalls).
"""

from __future__ import annotations

import ctypes
import errno
import logging
import os
import sys
import time
from collections.abc import Callable
from typing import Protocol

from movebreak.watch.reader import DescriptorThread

log = logging.getLogger(__name__)

CLOCK_REALTIME = 0
_TFD_CLOEXEC = 0o2000000
_TFD_NONBLOCK = 0o4000
_TFD_TIMER_ABSTIME = 1
_TFD_TIMER_CANCEL_ON_SET = 2
_FAR_AHEAD_S = 10 * 365 * 24 * 3600  # the timer itself never needs to expire


class ClockWatch(Protocol):
    """Calls back after each jump of the wall clock (a step, or a resume)."""

    def start(self, on_change: Callable[[], None]) -> None: ...
    def stop(self) -> None: ...


class Timespec(ctypes.Structure):
    """``struct timespec`` (also used by the tests that set the clock)."""

    _fields_ = [("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long)]


class _Itimerspec(ctypes.Structure):
    _fields_ = [("it_interval", Timespec), ("it_value", Timespec)]


class TimerfdClockWatch:
    """``ClockWatch`` on Linux: a cancel-on-set timerfd and a thread asleep on it."""

    def __init__(self) -> None:
        self._libc = ctypes.CDLL(None, use_errno=True)
        fd = self._libc.timerfd_create(CLOCK_REALTIME, _TFD_CLOEXEC | _TFD_NONBLOCK)
        if fd < 0:
            raise OSError(ctypes.get_errno(), "timerfd_create failed")
        self._fd = fd
        self._on_change: Callable[[], None] = lambda: None
        self._reader = DescriptorThread(fd, "clock-watch", self._readable)
        self._arm()

    def _arm(self) -> None:
        spec = _Itimerspec()
        spec.it_value.tv_sec = int(time.time()) + _FAR_AHEAD_S
        flags = _TFD_TIMER_ABSTIME | _TFD_TIMER_CANCEL_ON_SET
        if self._libc.timerfd_settime(self._fd, flags, ctypes.byref(spec), None) != 0:
            raise OSError(ctypes.get_errno(), "timerfd_settime failed")

    def start(self, on_change: Callable[[], None]) -> None:
        self._on_change = on_change
        self._reader.start()

    def _readable(self) -> None:
        if not self._changed():
            return
        log.info("the wall clock changed (set, or resumed from sleep)")
        self._rearm()
        self._on_change()

    def _rearm(self) -> None:
        """Arm again. A change that lands between the read and the arm makes the kernel
        refuse (ECANCELED): that refusal is the change's notice and clears it, so arm
        once more; the ``on_change`` that follows covers both changes. Left unarmed,
        the watch would sleep through every later change."""
        for _ in range(3):
            try:
                self._arm()
                return
            except OSError as error:
                if error.errno != errno.ECANCELED:
                    raise
        raise OSError(errno.ECANCELED, "the wall clock keeps changing; cannot re-arm")

    def _changed(self) -> bool:
        """Whether the wake was a clock change (True) rather than a spurious one."""
        try:
            os.read(self._fd, 8)
        except BlockingIOError:
            return False
        except OSError as error:
            if error.errno == errno.ECANCELED:
                return True
            raise
        return True  # expired after ten years: re-arm all the same

    def stop(self) -> None:
        self._reader.stop()


def detect() -> ClockWatch | None:
    """The watch this platform has, or None (then a step is noticed at the next look)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return TimerfdClockWatch()
    except (OSError, AttributeError) as error:
        log.warning("cannot watch the wall clock for changes: %s", error)
        return None
