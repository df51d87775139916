"""The Linux clock watch on the real kernel: it wakes on a clock change and only then."""

from __future__ import annotations

import sys
import threading
import time

import pytest

from movebreak.watch.clock import TimerfdClockWatch, detect
from tests.wall_clock import announce_clock_change

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux timerfd")


def test_a_clock_change_wakes_the_watch_each_time_and_nothing_else_does():
    changes: list[float] = []
    woke = threading.Event()

    def on_change():
        changes.append(time.monotonic())
        woke.set()

    watch = TimerfdClockWatch()
    watch.start(on_change)
    try:
        assert not woke.wait(0.3), "woke with no clock change"
        for _ in range(2):  # re-armed after the first change
            woke.clear()
            changed = time.monotonic()
            announce_clock_change()
            assert woke.wait(1), "no wake after the clock was set"
            assert changes[-1] - changed < 0.5
        assert len(changes) == 2
    finally:
        watch.stop()


def test_stop_ends_the_thread_and_closes_the_descriptor():
    watch = detect()
    assert isinstance(watch, TimerfdClockWatch)
    watch.start(lambda: None)
    started = time.monotonic()
    watch.stop()
    assert time.monotonic() - started < 1
    assert not any(t.name == "clock-watch" for t in threading.enumerate())


def test_a_second_change_between_the_read_and_the_re_arm_does_not_end_the_watch():
    """The kernel refuses to arm (ECANCELED) when the clock was set after the read:
    the watch must still pass that change on and stay armed for the next one. Found by
    the away benchmark on a machine whose clock was being stepped."""
    changes: list[float] = []
    woke = threading.Event()

    def on_change():
        changes.append(time.monotonic())
        woke.set()

    class Racing(TimerfdClockWatch):
        raced = False

        def _changed(self) -> bool:
            changed = super()._changed()
            if changed and not Racing.raced:  # another step lands in the window, once
                Racing.raced = True
                announce_clock_change()
            return changed

    watch = Racing()
    watch.start(on_change)
    try:
        announce_clock_change()
        assert woke.wait(1), "the first change was not passed on"
        woke.clear()
        announce_clock_change()  # the watch must still be armed
        assert woke.wait(1), "the watch went deaf after a change raced its re-arm"
    finally:
        watch.stop()
