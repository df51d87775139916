"""X11: the MIT-SCREEN-SAVER extension's idle counter, read in-process with python-xlib.

``XScreenSaverQueryInfo`` returns the milliseconds since the server last saw input
from any device: one round trip on a connection opened once (python-xlib is already
pystray's dependency, so this costs no new package and no ``xprintidle`` fork).

Waiting for the user's return uses XInput 2 *raw* events selected on the root window:
the server sends one for every key, button and relative motion of any device, no
matter which window has focus, so the wait wakes on the first touch and costs nothing
while nobody types. The screen-saver extension's own notify events were considered
and rejected: they fire only when the *server's* screen saver switches on or off,
i.e. after its global timeout (``xset s``; 600 s by default, 0 on desktops that run
their own locker), and changing that timeout would blank the user's screen.

A pointer *warp* (``XWarpPointer``, e.g. ``xdotool mousemove``) resets the idle counter
but makes no raw event; ``wait_for_activity`` therefore asks the counter once more at
the end of a quiet wait, so such input is still reported, just at the timeout.
"""

from __future__ import annotations

import contextlib
import select
import threading
import time
from typing import Any

from movebreak.idle.base import IdleUnavailable

EXTENSION = "MIT-SCREEN-SAVER"
_RAW_INPUT = (13, 15, 17)  # XI_RawKeyPress, XI_RawButtonPress, XI_RawMotion (XI 2.0)
_RAW_TOUCH = 22  # XI_RawTouchBegin, XI 2.2: touch screens count as input too
_MARGIN_S = 0.05
"""Input within this much of the wait's start is taken as "before the wait"."""


def _open(display_name: str | None) -> Any:
    """A python-xlib ``Display``; ``IdleUnavailable`` when there is no X server to reach."""
    try:
        from Xlib import display as xdisplay
        from Xlib import error as xerror
    except ImportError as error:
        raise IdleUnavailable("python-xlib is not installed") from error
    try:
        return xdisplay.Display(display_name)
    except (xerror.DisplayError, OSError) as error:
        raise IdleUnavailable(f"cannot open X display {display_name or '$DISPLAY'}: {error}") \
            from error


class X11IdleSource:
    """``IdleSource`` and ``ActivityWatch`` for an X server with MIT-SCREEN-SAVER."""

    name = "x11"

    def __init__(self, display_name: str | None = None) -> None:
        self._display_name = display_name
        self._display = _open(display_name)
        if not self._display.has_extension(EXTENSION):
            self._display.close()
            raise IdleUnavailable(f"the X server has no {EXTENSION} extension (XWayland?)")
        self._root = self._display.screen().root
        self._lock = threading.Lock()
        self._watch: Any = None  # a second connection, only for wait_for_activity
        self._watch_lock = threading.Lock()
        self._raw_mask = 0

    def idle_seconds(self) -> float:
        from Xlib import error as xerror

        with self._lock:
            try:
                info = self._root.screensaver_query_info()
            except (xerror.ConnectionClosedError, xerror.XError, OSError) as error:
                raise IdleUnavailable(f"X server query failed: {error}") from error
        return int(info.idle) / 1000.0

    def wait_for_activity(self, timeout: float) -> bool:
        """Block until raw input arrives (True) or ``timeout`` seconds pass (False).

        Runs on its own X connection, so ``idle_seconds`` stays free for other threads.
        """
        from Xlib import error as xerror
        from Xlib.ext import xinput

        with self._watch_lock:
            watch = self._watch_connection()
            root = watch.screen().root
            started = time.monotonic()
            try:
                root.xinput_select_events([(xinput.AllMasterDevices, self._raw_mask)])
                watch.sync()  # in effect before we block: no input slips between
                if _raw_event_within(watch, started + timeout):
                    return True
            except (xerror.ConnectionClosedError, xerror.XError, OSError) as error:
                self._drop_watch()
                raise IdleUnavailable(f"waiting for X input failed: {error}") from error
            finally:
                self._deselect(root)
        waited = time.monotonic() - started
        return self.idle_seconds() + _MARGIN_S < waited

    def _watch_connection(self) -> Any:
        if self._watch is None:
            watch = _open(self._display_name)
            if not watch.has_extension("XInputExtension"):
                watch.close()
                raise IdleUnavailable("the X server has no XInput 2 extension to wait on")
            self._watch = watch
            self._raw_mask = _announce_xi2(watch)
        return self._watch

    def _deselect(self, root: Any) -> None:
        from Xlib import error as xerror
        from Xlib.ext import xinput

        if self._watch is None:
            return
        try:
            root.xinput_select_events([(xinput.AllMasterDevices, 0)])
            self._watch.sync()
            while self._watch.pending_events():  # drop the rest of a burst of motion
                self._watch.next_event()
        except (xerror.ConnectionClosedError, xerror.XError, OSError):
            self._drop_watch()

    def _drop_watch(self) -> None:
        watch, self._watch = self._watch, None
        if watch is not None:
            with contextlib.suppress(Exception):  # already broken: nothing left to release
                watch.close()

    def close(self) -> None:
        with self._watch_lock:
            self._drop_watch()
        with self._lock:
            self._display.close()


def _announce_xi2(watch: Any) -> int:
    """Tell the server we speak XI 2.2 (it sends no XI2 events before); return our mask."""
    from Xlib.ext import xinput

    reply = xinput.XIQueryVersion(
        display=watch.display, opcode=watch.display.get_extension_major(xinput.extname),
        major_version=2, minor_version=2,
    )
    has_touch = (reply.major_version, reply.minor_version) >= (2, 2)
    types = (*_RAW_INPUT, _RAW_TOUCH) if has_touch else _RAW_INPUT
    return sum(1 << event_type for event_type in types)


def _raw_event_within(watch: Any, deadline: float) -> bool:
    """Sleep on the connection's socket until a raw input event or the deadline."""
    while True:
        while watch.pending_events():
            if getattr(watch.next_event(), "evtype", None) in (*_RAW_INPUT, _RAW_TOUCH):
                return True
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        ready, _, _ = select.select([watch.fileno()], [], [], remaining)
        if not ready:
            return False
