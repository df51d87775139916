"""The Wayland idle source's arithmetic: idle time from when ``idled`` came (injected clock).

The source itself runs against a real sway in ``tests/desktop/test_sway.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from movebreak.idle.base import IdleUnavailable
from movebreak.idle.wayland import IdleClock, WaylandIdleSource


def test_active_reads_zero() -> None:
    assert IdleClock(2.0).idle_seconds(now=100.0) == 0.0


def test_idle_is_the_timeout_plus_the_time_since_idled() -> None:
    clock = IdleClock(2.0)
    clock.idled(now=100.0)
    assert clock.idle
    assert clock.idle_seconds(now=100.0) == 2.0
    assert clock.idle_seconds(now=130.5) == 32.5


def test_resumed_goes_back_to_zero() -> None:
    clock = IdleClock(2.0)
    clock.idled(now=100.0)
    clock.resumed()
    assert not clock.idle
    assert clock.idle_seconds(now=200.0) == 0.0


def test_a_clock_read_before_the_event_time_never_goes_below_the_timeout() -> None:
    clock = IdleClock(2.0)
    clock.idled(now=100.0)
    assert clock.idle_seconds(now=99.0) == 2.0


def test_no_compositor_is_unavailable(tmp_path: Path) -> None:
    env = {"XDG_RUNTIME_DIR": str(tmp_path), "WAYLAND_DISPLAY": "wayland-none"}
    with pytest.raises(IdleUnavailable, match="no Wayland compositor"):
        WaylandIdleSource(env)


def test_wayland_sessions_try_mutter_then_the_compositor_then_freedesktop() -> None:
    from movebreak.idle.detect import CANDIDATES, DisplayKind

    assert [name for name, _ in CANDIDATES[DisplayKind.WAYLAND]] == [
        "gnome-mutter", "wayland-idle", "freedesktop-screensaver"]
