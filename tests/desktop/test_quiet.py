"""Prompts are held for a fullscreen window and for dunst's pause, on the real desktop.

The harness's Xvfb runs no window manager. A real Tk program asks for fullscreen
(``attributes("-fullscreen", True)`` before its window is mapped makes Tk write
``_NET_WM_STATE = [_NET_WM_STATE_FULLSCREEN]`` on its toplevel itself); the test then
does the one thing a window manager would add, naming the focused window in the
root's ``_NET_ACTIVE_WINDOW``, and removes it afterwards so later tests see no focus.
dunst's pause (``dunstctl set-paused``) is its do-not-disturb.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from Xlib import X, Xatom

from movebreak.quiet.base import QuietReason
from movebreak.quiet.detect import detect

TK_WINDOW = """
import sys, tkinter
root = tkinter.Tk()
root.title(sys.argv[1])
root.attributes("-fullscreen", sys.argv[2] == "fullscreen")
root.update()
print("mapped", flush=True)
root.createfilehandler(sys.stdin, tkinter.READABLE, lambda *_: root.destroy())
root.mainloop()
"""


class TkWindow:
    """A Tk program showing one window; closed by closing its stdin."""

    def __init__(self, desktop, title: str, mode: str) -> None:
        self.desktop = desktop
        self.process = subprocess.Popen(
            [sys.executable, "-c", TK_WINDOW, title, mode], env=desktop.env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "mapped"
        self.window = next(w.window for w in desktop.top_windows() if w.name == title)

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=10)


@pytest.fixture
def window_manager(desktop):
    """Set or clear ``_NET_ACTIVE_WINDOW`` as an EWMH window manager would."""
    x = desktop.x
    root = x.screen().root
    active = x.intern_atom("_NET_ACTIVE_WINDOW")

    def focus(window: int | None) -> None:
        if window is None:
            root.delete_property(active)
        else:
            root.change_property(active, Xatom.WINDOW, 32, [window])
        x.sync()

    yield focus
    focus(None)


@pytest.fixture
def windows(desktop):
    opened: list[TkWindow] = []

    def open_window(title: str, mode: str) -> TkWindow:
        opened.append(TkWindow(desktop, title, mode))
        return opened[-1]

    yield open_window
    for window in opened:
        if window.process.poll() is None:
            window.close()


def dunstctl(desktop, *args: str) -> None:
    subprocess.run(["dunstctl", *args], env=desktop.env, check=True, timeout=10,
                   capture_output=True)


@pytest.fixture
def detector(desktop):
    found = detect(desktop.env)
    yield found
    found.close()


def test_tk_marks_its_fullscreen_window_itself(desktop, windows):
    video = windows("mb-fullscreen-video", "fullscreen")
    x = desktop.x
    state = x.create_resource_object("window", video.window).get_full_property(
        x.intern_atom("_NET_WM_STATE"), X.AnyPropertyType)
    assert list(state.value) == [x.intern_atom("_NET_WM_STATE_FULLSCREEN")]


def test_a_focused_fullscreen_window_holds_prompts(detector, windows, window_manager):
    assert "x11-fullscreen" in detector.probe_names
    video = windows("mb-fullscreen-video", "fullscreen")
    editor = windows("mb-plain-editor", "normal")
    assert detector.quiet_reason() is None  # no window manager has named a focus yet
    window_manager(video.window)
    assert detector.quiet_reason() is QuietReason.FULLSCREEN
    window_manager(editor.window)  # the user switched to another window
    assert detector.quiet_reason() is None
    window_manager(video.window)
    assert detector.quiet_reason() is QuietReason.FULLSCREEN
    video.close()  # the player quits while still named active: a stale id, not an error
    assert detector.quiet_reason() is None
    assert "x11-fullscreen" in detector.probe_names


def test_dunst_paused_is_do_not_disturb(desktop, detector):
    assert "dunst-paused" in detector.probe_names
    assert detector.quiet_reason() is None
    dunstctl(desktop, "set-paused", "true")
    try:
        assert detector.quiet_reason() is QuietReason.DO_NOT_DISTURB
    finally:
        dunstctl(desktop, "set-paused", "false")
    assert detector.quiet_reason() is None
