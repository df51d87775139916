"""Toplevel state bookkeeping of the Wayland fullscreen probe (pure; sway runs it for real
in ``tests/desktop/test_sway.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from movebreak.quiet.base import QuietUnavailable
from movebreak.quiet.wayland import FULLSCREEN, ToplevelStates, WaylandFullscreenProbe

ACTIVATED = 2


def test_a_state_counts_only_once_done() -> None:
    states = ToplevelStates()
    states.added(0xFF000001)
    states.state(0xFF000001, [ACTIVATED, FULLSCREEN])
    assert not states.any_fullscreen
    states.done(0xFF000001)
    assert states.any_fullscreen


def test_leaving_fullscreen_and_closing() -> None:
    states = ToplevelStates()
    for handle in (1, 2):
        states.added(handle)
        states.state(handle, [FULLSCREEN])
        states.done(handle)
    states.state(1, [ACTIVATED])
    states.done(1)
    assert states.any_fullscreen  # handle 2 still is
    states.closed(2)
    assert not states.any_fullscreen
    assert set(states.current) == {1}


def test_done_without_a_state_change_keeps_the_state() -> None:
    states = ToplevelStates()
    states.added(1)
    states.state(1, [FULLSCREEN])
    states.done(1)
    states.done(1)  # e.g. only the title changed
    assert states.any_fullscreen


def test_no_compositor_is_unavailable(tmp_path: Path) -> None:
    env = {"XDG_RUNTIME_DIR": str(tmp_path), "WAYLAND_DISPLAY": "wayland-none"}
    with pytest.raises(QuietUnavailable, match="no Wayland compositor"):
        WaylandFullscreenProbe(env)
