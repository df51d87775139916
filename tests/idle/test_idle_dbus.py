"""The D-Bus idle sources against stand-ins for GNOME Shell and the freedesktop service.

The stand-ins own the real bus names on a private ``dbus-daemon`` and answer the
real calls, so what is tested is our marshalling, errors and signal handling.
"""

from __future__ import annotations

import logging
import threading
import time

import pytest

from movebreak.idle.base import ActivityWatch, IdleUnavailable
from movebreak.idle.dbus import (
    MUTTER_NAME,
    MUTTER_PATH,
    SCREENSAVER_NAME,
    SCREENSAVER_PATH,
    FreedesktopIdleSource,
    MutterIdleSource,
)
from movebreak.idle.detect import detect
from tests.idle.dbus_fakes import FakeError, FakeService


@pytest.fixture
def mutter(bus):
    service = FakeService(bus.address, MUTTER_NAME)
    service.methods[(MUTTER_PATH, MUTTER_NAME, "GetIdletime")] = lambda body: ("t", (61_250,))
    yield service
    service.stop()


@pytest.fixture
def screensaver(bus):
    service = FakeService(bus.address, SCREENSAVER_NAME)
    service.methods[(SCREENSAVER_PATH, SCREENSAVER_NAME, "GetSessionIdleTime")] = (
        lambda body: ("u", (4_500,)))
    yield service
    service.stop()


def test_mutter_reports_milliseconds_as_seconds(bus, mutter):
    source = MutterIdleSource(bus.address)
    try:
        assert source.idle_seconds() == pytest.approx(61.25)
        assert source.idle_seconds() == pytest.approx(61.25)  # the connection is reused
    finally:
        source.close()
    assert [c[1] for c in mutter.calls] == ["GetIdletime", "GetIdletime"]


def test_freedesktop_screensaver_idle_time(bus, screensaver):
    source = FreedesktopIdleSource(bus.address)
    try:
        assert source.idle_seconds() == pytest.approx(4.5)
    finally:
        source.close()


def test_an_error_reply_means_unavailable(bus):
    service = FakeService(bus.address, SCREENSAVER_NAME)

    def refuse(body):
        raise FakeError("org.freedesktop.DBus.Error.NotSupported")

    service.methods[(SCREENSAVER_PATH, SCREENSAVER_NAME, "GetSessionIdleTime")] = refuse
    source = FreedesktopIdleSource(bus.address)
    try:
        with pytest.raises(IdleUnavailable, match="NotSupported"):
            source.idle_seconds()
    finally:
        source.close()
        service.stop()


def test_no_service_on_the_bus_means_unavailable(bus):
    source = MutterIdleSource(bus.address)
    try:
        with pytest.raises(IdleUnavailable, match="NameHasNoOwner"):  # and nothing auto-started
            source.idle_seconds()
    finally:
        source.close()


def test_no_bus_means_unavailable(tmp_path):
    with pytest.raises(IdleUnavailable, match="no D-Bus session bus"):
        MutterIdleSource(f"unix:path={tmp_path / 'no-bus'}")


def _serve_user_active_watch(mutter, fire_after: float | None, fired_id: int = 7):
    """Mutter's AddUserActiveWatch: returns id 7 and, later, emits WatchFired(fired_id)."""

    def add_watch(body):
        if fire_after is not None:
            timer = threading.Timer(fire_after, mutter.emit, args=(
                MUTTER_PATH, MUTTER_NAME, "WatchFired", "u", (fired_id,)))
            timer.daemon = True
            timer.start()
        return "u", (7,)

    mutter.methods[(MUTTER_PATH, MUTTER_NAME, "AddUserActiveWatch")] = add_watch


def test_mutter_wait_wakes_on_watch_fired(bus, mutter):
    _serve_user_active_watch(mutter, fire_after=0.15)
    source = MutterIdleSource(bus.address)
    try:
        assert isinstance(source, ActivityWatch)
        started = time.monotonic()
        assert source.wait_for_activity(timeout=5) is True
        assert time.monotonic() - started < 2  # woken by the signal, not by the timeout
    finally:
        source.close()


def test_mutter_wait_ignores_other_watches_and_times_out(bus, mutter):
    _serve_user_active_watch(mutter, fire_after=0.05, fired_id=99)
    source = MutterIdleSource(bus.address)
    try:
        started = time.monotonic()
        assert source.wait_for_activity(timeout=0.4) is False
        assert 0.35 < time.monotonic() - started < 2
    finally:
        source.close()


def wayland_env(bus) -> dict[str, str]:
    return {"WAYLAND_DISPLAY": "wayland-0", "DBUS_SESSION_BUS_ADDRESS": bus.address}


def test_detect_under_wayland_prefers_mutter(bus, mutter, screensaver):
    source = detect(wayland_env(bus), platform="linux")
    assert source is not None
    try:
        assert source.name == "gnome-mutter"
    finally:
        source.close()


def test_detect_falls_back_to_freedesktop(bus, screensaver):
    source = detect(wayland_env(bus), platform="linux")
    assert source is not None
    try:
        assert source.name == "freedesktop-screensaver"
        assert source.idle_seconds() == pytest.approx(4.5)
    finally:
        source.close()


def test_detect_says_once_why_nothing_works(bus, caplog):
    with caplog.at_level(logging.INFO, logger="movebreak.idle"):
        assert detect(wayland_env(bus), platform="linux") is None
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    text = warnings[0].getMessage()
    assert "gnome-mutter: " in text and "freedesktop-screensaver: " in text
    assert "x11" not in text  # never tried under Wayland
