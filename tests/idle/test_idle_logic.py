"""The idle sources' logic that runs anywhere: tick arithmetic, session kinds, detection."""

from __future__ import annotations

import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from movebreak.idle.base import IdleUnavailable
from movebreak.idle.detect import CANDIDATES, DisplayKind, detect, session_of
from movebreak.idle.macos import MacIdleSource
from movebreak.idle.windows import TICK_WRAP, WindowsIdleSource, elapsed_ticks
from movebreak.idle.x11 import X11IdleSource

TICKS = st.integers(min_value=0, max_value=TICK_WRAP - 1)


def test_ticks_without_wrap():
    assert elapsed_ticks(now=10_500, last_input=10_000) == 500
    assert elapsed_ticks(now=10_000, last_input=10_000) == 0


def test_ticks_across_the_49_7_day_wrap():
    # Last input 16 ms before the counter wrapped, now 5 ms after it: 21 ms idle.
    assert elapsed_ticks(now=5, last_input=TICK_WRAP - 16) == 21


@given(last=TICKS, idle=TICKS)
def test_ticks_recover_any_idle_time_shorter_than_a_wrap(last, idle):
    now = (last + idle) % TICK_WRAP  # what a 32-bit GetTickCount shows
    assert elapsed_ticks(now, last) == idle


@pytest.mark.parametrize(("env", "platform", "session"), [
    ({"DISPLAY": ":0"}, "linux", DisplayKind.X11),
    ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, "linux", DisplayKind.WAYLAND),
    ({"DISPLAY": ":0", "XDG_SESSION_TYPE": "wayland"}, "linux", DisplayKind.WAYLAND),
    ({}, "linux", DisplayKind.NONE),
    ({"DISPLAY": ":0"}, "win32", DisplayKind.WINDOWS),
    ({}, "darwin", DisplayKind.MACOS),
    ({"DISPLAY": ":0"}, "freebsd14", DisplayKind.X11),
])
def test_session_kind(env, platform, session):
    assert session_of(env, platform) is session


def test_x11_is_tried_first_under_x_and_never_under_wayland():
    assert CANDIDATES[DisplayKind.X11][0][0] == "x11"
    assert "x11" not in [name for name, _ in CANDIDATES[DisplayKind.WAYLAND]]


def test_platform_sources_say_why_they_cannot_run_here():
    with pytest.raises(IdleUnavailable, match="only on Windows"):
        WindowsIdleSource()
    with pytest.raises(IdleUnavailable, match="CoreGraphics"):
        MacIdleSource()


def test_x11_without_a_server(tmp_path):
    with pytest.raises(IdleUnavailable, match="cannot open X display"):
        X11IdleSource(":9999")  # nothing listens there: the harness uses 200-899


def test_no_graphical_session_gives_one_warning(caplog):
    with caplog.at_level(logging.INFO, logger="movebreak.idle"):
        assert detect({}, platform="linux") is None
    assert [r.levelno for r in caplog.records] == [logging.WARNING]
    assert "no graphical session" in caplog.records[0].getMessage()


def test_windows_detection_off_windows_warns(caplog):
    with caplog.at_level(logging.WARNING, logger="movebreak.idle"):
        assert detect({}, platform="win32") is None
    assert "windows: GetLastInputInfo exists only on Windows" in caplog.text
