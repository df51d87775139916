"""Idle time read for real from the harness's Xvfb, and reset by xdotool input.

Uses the shared ``desktop`` fixture (its Xvfb has MIT-SCREEN-SAVER and XInput 2, and
nothing else moves the pointer while a test runs). ``xdotool mousemove_relative`` and
``key`` go through XTEST, i.e. through the server's input path like a real mouse;
``xdotool mousemove`` is a pointer *warp*, which resets the idle counter but makes
no raw input event, and is checked separately.
"""

from __future__ import annotations

import threading
import time

import pytest

from movebreak.idle.base import ActivityWatch
from movebreak.idle.detect import detect
from movebreak.idle.x11 import X11IdleSource


@pytest.fixture
def source(desktop):
    found = detect(desktop.env)
    assert found is not None, "no idle source on the harness desktop"
    yield found
    found.close()


def later(delay: float, action) -> threading.Thread:
    """Run ``action`` on a thread after ``delay`` seconds (input while a wait blocks)."""
    thread = threading.Timer(delay, action)
    thread.start()
    return thread


def test_detect_picks_the_x_server_counter(source):
    assert isinstance(source, X11IdleSource)
    assert isinstance(source, ActivityWatch)


def test_idle_grows_and_a_mouse_move_resets_it(desktop, source):
    desktop.move_mouse(3, 3, relative=True)
    first = source.idle_seconds()
    time.sleep(0.6)
    grown = source.idle_seconds()
    assert grown - first == pytest.approx(0.6, abs=0.15)
    desktop.move_mouse(5, 0, relative=True)
    assert source.idle_seconds() < 0.15
    assert abs(source.idle_seconds() * 1000 - desktop.idle_ms()) < 100  # same counter


def test_a_key_press_resets_it(desktop, source):
    time.sleep(0.3)
    assert source.idle_seconds() >= 0.25
    desktop.key("shift")
    assert source.idle_seconds() < 0.15


def test_wait_returns_false_after_a_quiet_timeout(desktop, source):
    started = time.monotonic()
    assert source.wait_for_activity(timeout=0.3) is False
    assert 0.28 < time.monotonic() - started < 1.0


@pytest.mark.parametrize("touch", ["mouse", "key"])
def test_wait_wakes_on_input_not_on_the_timeout(desktop, source, touch):
    act = (lambda: desktop.move_mouse(4, 4, relative=True)) if touch == "mouse" else (
        lambda: desktop.key("shift"))
    started = time.monotonic()
    poke = later(0.2, act)
    try:
        assert source.wait_for_activity(timeout=5) is True
    finally:
        poke.join()
    assert time.monotonic() - started < 1.5


def test_a_pointer_warp_still_counts_at_the_end_of_the_wait(desktop, source):
    """XWarpPointer (what ``xdotool mousemove`` does), sent in-process so it lands in time."""
    root = desktop.x.screen().root
    pointer = root.query_pointer()
    target = ((pointer.root_x + 137) % 900 + 20, (pointer.root_y + 91) % 600 + 20)

    def warp() -> None:
        root.warp_pointer(*target)  # a warp to where the pointer already is would be no input
        desktop.x.sync()

    poke = later(0.1, warp)
    try:
        assert source.wait_for_activity(timeout=0.8) is True
    finally:
        poke.join()


def test_waits_can_repeat_and_idle_queries_work_meanwhile(desktop, source):
    assert source.wait_for_activity(timeout=0.1) is False
    answers: list[float] = []
    reader = later(0.05, lambda: answers.append(source.idle_seconds()))
    assert source.wait_for_activity(timeout=0.3) is False
    reader.join()
    assert answers and answers[0] >= 0.0
    poke = later(0.1, lambda: desktop.key("shift"))
    try:
        assert source.wait_for_activity(timeout=5) is True
    finally:
        poke.join()
