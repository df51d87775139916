"""X11: the MIT-SCREEN-SAVER extension's idle counter, read in-process through libXss.

``XScreenSaverQueryInfo`` returns the milliseconds since the server last saw input
from any device: one round trip on a connection opened once, into one info struct
allocated once (``XScreenSaverAllocInfo``, freed with ``XFree`` on close), so asking
costs no fork (no ``xprintidle``) and no allocation. The calls go through ctypes on the
C libraries (``movebreak.x11``): in the tray process GDK has them mapped already, which
makes this about 0.4 MB where python-xlib cost about 3.5 MB (see ``movebreak.x11.xlib``).
Without libXss (Debian package libxss1) or the extension (XWayland) the source is
unavailable and detection moves on to the D-Bus sources.

Waiting for the user's return uses XInput 2 *raw* events selected on the root window
(``movebreak.x11.raw_input``): the server sends one for every key, button and relative
motion of any device, no matter which window has focus, so the wait wakes on the first
touch and costs nothing while nobody types. It runs on a second connection of its own,
so ``idle_seconds`` stays free for other threads. The screen-saver extension's own
notify events were considered and rejected: they fire only when the *server's* screen
saver switches on or off, i.e. after its global timeout (``xset s``; 600 s by default,
0 on desktops that run their own locker), and changing that timeout would blank the
user's screen.

A pointer *warp* (``XWarpPointer``, e.g. ``xdotool mousemove``) resets the idle counter
but makes no raw event; ``wait_for_activity`` therefore asks the counter once more at
the end of a quiet wait, so such input is still reported, just at the timeout.
"""

from __future__ import annotations

import threading
import time
from ctypes import byref, c_int

from movebreak.idle.base import IdleUnavailable
from movebreak.x11 import xlib
from movebreak.x11.display import Connection, XUnavailable
from movebreak.x11.raw_input import RawInputWatch

EXTENSION = "MIT-SCREEN-SAVER"
_MARGIN_S = 0.05
"""Input within this much of the wait's start is taken as "before the wait"."""


class X11IdleSource:
    """``IdleSource`` and ``ActivityWatch`` for an X server with MIT-SCREEN-SAVER."""

    name = "x11"

    def __init__(self, display_name: str | None = None) -> None:
        self._display_name = display_name
        self._watch: RawInputWatch | None = None  # opened by the first wait
        self._watch_lock = threading.Lock()
        try:
            self._xss = xlib.libxss()
            self._connection = Connection(display_name)
        except (xlib.LibraryMissing, XUnavailable) as error:
            raise IdleUnavailable(str(error)) from error
        self._info = None
        with self._connection.lock:
            event_base, error_base = c_int(), c_int()
            has_extension = self._xss.XScreenSaverQueryExtension(
                self._connection.display, byref(event_base), byref(error_base))
            if has_extension:
                self._info = self._xss.XScreenSaverAllocInfo()
        if not has_extension or not self._info:
            self.close()
            raise IdleUnavailable(f"the X server has no {EXTENSION} extension (XWayland?)")

    def idle_seconds(self) -> float:
        connection, info = self._connection, self._info
        if info is None:
            raise IdleUnavailable("the X11 idle source is not open")
        with connection.lock:
            try:
                answered = self._xss.XScreenSaverQueryInfo(
                    connection.display, connection.root, info)
                error = connection.take_error()
            except XUnavailable as lost:
                raise IdleUnavailable(f"X server query failed: {lost}") from lost
            if not answered or error is not None:
                raise IdleUnavailable("the X server did not answer XScreenSaverQueryInfo")
            return int(info.contents.idle) / 1000.0

    def wait_for_activity(self, timeout: float) -> bool:
        """Block until raw input arrives (True) or ``timeout`` seconds pass (False)."""
        with self._watch_lock:
            started = time.monotonic()
            try:
                if self._watch is None:
                    self._watch = RawInputWatch(self._display_name)
                if self._watch.wait(timeout):
                    return True
            except XUnavailable as error:
                self._drop_watch()
                raise IdleUnavailable(f"waiting for X input failed: {error}") from error
        waited = time.monotonic() - started
        return self.idle_seconds() + _MARGIN_S < waited

    def _drop_watch(self) -> None:
        watch, self._watch = self._watch, None
        if watch is not None:
            watch.close()

    def close(self) -> None:
        with self._watch_lock:
            self._drop_watch()
        with self._connection.lock:
            if self._info:
                self._connection.lib.XFree(self._info)
                self._info = None
            self._connection.close()
