"""The X11 idle source (ctypes on libX11/libXss/libXi) against a private Xvfb.

``xdotool key``, ``click`` and ``mousemove_relative`` go through XTEST, the server's
real input path, so they make XInput 2 raw events; ``xdotool mousemove`` is a pointer
*warp*, which resets the idle counter but makes no raw event. Needs apt ``xvfb`` and
``xdotool``; skips without them and fails under ``CI=true``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest

from movebreak.idle.base import ActivityWatch, IdleUnavailable
from movebreak.idle.dbus import SCREENSAVER_NAME, SCREENSAVER_PATH
from movebreak.idle.detect import detect
from movebreak.idle.x11 import X11IdleSource
from movebreak.x11 import xlib
from tests.idle.dbus_fakes import FakeService
from tests.idle.xvfb import LEAK_BOUND_KB, XServer, private_x_server, rss_kb


@pytest.fixture
def source(x_server: XServer) -> Iterator[X11IdleSource]:
    opened = X11IdleSource(x_server.display)
    yield opened
    opened.close()


def later(delay: float, action: Callable[[], object]) -> threading.Timer:
    """Run ``action`` on a thread after ``delay`` seconds (input while a wait blocks)."""
    timer = threading.Timer(delay, action)
    timer.start()
    return timer


def test_it_is_an_activity_watch(source):
    assert source.name == "x11"
    assert isinstance(source, ActivityWatch)


def test_idle_grows_and_input_resets_it(x_server, source):
    x_server.xdotool("mousemove_relative", "--", "3", "3")
    first = source.idle_seconds()
    time.sleep(0.4)
    assert source.idle_seconds() - first == pytest.approx(0.4, abs=0.15)
    x_server.xdotool("key", "shift")
    assert source.idle_seconds() < 0.15
    time.sleep(0.2)
    x_server.xdotool("click", "1")
    assert source.idle_seconds() < 0.15


def test_a_quiet_wait_returns_false_at_its_timeout(source):
    started = time.monotonic()
    assert source.wait_for_activity(timeout=0.3) is False
    assert 0.28 < time.monotonic() - started < 0.8


@pytest.mark.parametrize("touch", [("key", "shift"), ("click", "1"),
                                   ("mousemove_relative", "--", "4", "4")],
                         ids=["key", "click", "relative-motion"])
def test_input_wakes_the_wait_before_its_timeout(x_server, source, touch):
    started = time.monotonic()
    poke = later(0.1, lambda: x_server.xdotool(*touch))
    try:
        assert source.wait_for_activity(timeout=1.0) is True
    finally:
        poke.join()
    assert time.monotonic() - started < 0.9  # woken by the raw event, not by the timeout


def test_a_warp_makes_no_raw_event_but_counts_at_the_timeout(x_server, source):
    x_server.xdotool("mousemove", "100", "100")
    started = time.monotonic()
    poke = later(0.1, lambda: x_server.xdotool("mousemove", "300", "200"))
    try:
        assert source.wait_for_activity(timeout=0.6) is True
    finally:
        poke.join()
    assert time.monotonic() - started >= 0.58  # only the idle counter saw it


def test_waits_repeat_and_idle_queries_run_meanwhile(x_server, source):
    assert source.wait_for_activity(timeout=0.1) is False
    answers: list[float] = []
    reader = later(0.05, lambda: answers.append(source.idle_seconds()))
    assert source.wait_for_activity(timeout=0.3) is False
    reader.join()
    assert answers and answers[0] >= 0.0
    poke = later(0.1, lambda: x_server.xdotool("key", "shift"))
    try:
        assert source.wait_for_activity(timeout=1.0) is True
    finally:
        poke.join()
    assert source.wait_for_activity(timeout=0.2) is False  # the burst was drained


def test_twenty_thousand_queries_do_not_grow_memory(source):
    for _ in range(500):  # warm up: first calls allocate what they keep
        source.idle_seconds()
    before = rss_kb()
    for _ in range(20_000):
        source.idle_seconds()
    assert rss_kb() - before < LEAK_BOUND_KB


def test_repeated_waits_do_not_grow_memory(source):
    for _ in range(50):
        source.wait_for_activity(timeout=0)
    before = rss_kb()
    for _ in range(2_000):
        source.wait_for_activity(timeout=0)
    assert rss_kb() - before < LEAK_BOUND_KB


def test_a_server_without_the_screen_saver_extension_falls_through_to_dbus(bus):
    service = FakeService(bus.address, SCREENSAVER_NAME)
    service.methods[(SCREENSAVER_PATH, SCREENSAVER_NAME, "GetSessionIdleTime")] = (
        lambda body: ("u", (4_500,)))
    env = {"DISPLAY": "", "DBUS_SESSION_BUS_ADDRESS": bus.address}
    try:
        with private_x_server("-extension", "MIT-SCREEN-SAVER") as bare:
            with pytest.raises(IdleUnavailable, match="no MIT-SCREEN-SAVER"):
                X11IdleSource(bare.display)
            env["DISPLAY"] = bare.display
            found = detect(env, platform="linux")
            assert found is not None and found.name != "x11"
            found.close()
    finally:
        service.stop()


def test_a_missing_libxss_names_the_package_to_install(x_server, monkeypatch):
    """The real loader, pointed at a soname no system has (libXss cannot be removed here)."""
    monkeypatch.setattr(xlib, "_XSS", xlib._Library("libXss.so.404", "Xss-404", "libxss1"))
    xlib.libxss.cache_clear()
    try:
        with pytest.raises(IdleUnavailable, match=r"libXss\.so\.404 .*Debian package libxss1"):
            X11IdleSource(x_server.display)
    finally:
        monkeypatch.undo()
        xlib.libxss.cache_clear()
    X11IdleSource(x_server.display).close()  # the real one loads again
