"""The fullscreen probe's property reads against a private Xvfb, EWMH written by hand.

A second client (python-xlib, what the desktop harness uses too) plays the window
manager: it creates windows, writes ``_NET_WM_STATE`` on them and names one in the
root's ``_NET_ACTIVE_WINDOW``. test_quiet_window_manager.py does the same under a real
window manager. Needs apt ``xvfb``; skips without it and fails under ``CI=true``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from Xlib import X, Xatom
from Xlib import display as xdisplay

from movebreak.quiet.base import QuietReason, QuietUnavailable
from movebreak.quiet.x11 import X11FullscreenProbe
from tests.idle.xvfb import LEAK_BOUND_KB, XServer, rss_kb


class HandMadeWindowManager:
    """Writes what an EWMH window manager would, from its own connection."""

    def __init__(self, display: str) -> None:
        self.x = xdisplay.Display(display)
        self.root = self.x.screen().root

    def atom(self, name: str) -> int:
        return self.x.intern_atom(name)

    def window(self, *states: str) -> Any:
        window = self.root.create_window(0, 0, 10, 10, 0, X.CopyFromParent)
        window.change_property(self.atom("_NET_WM_STATE"), Xatom.ATOM, 32,
                               [self.atom(state) for state in states])
        self.x.sync()
        return window

    def focus(self, window_id: int | None) -> None:
        active = self.atom("_NET_ACTIVE_WINDOW")
        if window_id is None:
            self.root.delete_property(active)
        else:
            self.root.change_property(active, Xatom.WINDOW, 32, [window_id])
        self.x.sync()


@pytest.fixture
def wm(x_server: XServer) -> Iterator[HandMadeWindowManager]:
    manager = HandMadeWindowManager(x_server.display)
    yield manager
    manager.focus(None)
    manager.x.close()


@pytest.fixture
def probe(x_server: XServer) -> Iterator[X11FullscreenProbe]:
    opened = X11FullscreenProbe(x_server.display)
    yield opened
    opened.close()


def test_only_the_active_window_counts(wm, probe):
    assert probe.name == "x11-fullscreen"
    assert probe.active_window() is None and probe.reason() is None  # nobody named a focus
    video = wm.window("_NET_WM_STATE_ABOVE", "_NET_WM_STATE_FULLSCREEN")
    editor = wm.window("_NET_WM_STATE_MAXIMIZED_VERT")
    wm.focus(video.id)
    assert probe.active_window() == video.id
    assert probe.reason() is QuietReason.FULLSCREEN
    wm.focus(editor.id)
    assert probe.reason() is None
    wm.focus(0)  # "no window has focus", as EWMH spells it
    assert probe.active_window() is None and probe.reason() is None


def test_a_window_closed_between_the_two_reads_is_no_answer(wm, probe):
    """BadWindow on the second read: Xlib's default handler would exit(1) here."""
    video = wm.window("_NET_WM_STATE_FULLSCREEN")
    wm.focus(video.id)
    assert probe.reason() is QuietReason.FULLSCREEN
    video.destroy()
    wm.x.sync()  # the window is gone; _NET_ACTIVE_WINDOW still names it, as in the race
    assert probe.active_window() == video.id
    assert probe.reason() is None
    again = wm.window("_NET_WM_STATE_FULLSCREEN")
    wm.focus(again.id)
    assert probe.reason() is QuietReason.FULLSCREEN  # the connection is fine afterwards


def test_properties_of_the_wrong_shape_mean_no_answer(wm, probe):
    active = wm.atom("_NET_ACTIVE_WINDOW")
    wm.root.change_property(active, Xatom.STRING, 8, b"not a window id")
    wm.x.sync()
    assert probe.active_window() is None and probe.reason() is None


def test_twenty_thousand_reads_do_not_grow_memory(wm, probe):
    """Every read hands Xlib's buffer back (XFree); a leak would show here."""
    wm.focus(wm.window("_NET_WM_STATE_ABOVE", "_NET_WM_STATE_FULLSCREEN").id)
    for _ in range(500):
        probe.reason()
    before = rss_kb()
    for _ in range(20_000):
        assert probe.reason() is QuietReason.FULLSCREEN
    assert rss_kb() - before < LEAK_BOUND_KB


def test_no_server_means_unavailable():
    with pytest.raises(QuietUnavailable, match="cannot open X display"):
        X11FullscreenProbe(":9999")  # nothing listens there: tests use 200-999
