"""X11: is the active window fullscreen? EWMH properties read with python-xlib.

The window manager names the focused window in the root's ``_NET_ACTIVE_WINDOW`` and
lists each window's state in ``_NET_WM_STATE``; a fullscreen video or slide show
carries ``_NET_WM_STATE_FULLSCREEN`` there. Two property reads on a connection opened
once. Only the *active* window counts: a fullscreen player left in the background
should not hold prompts all day.

Without an EWMH window manager nobody sets ``_NET_ACTIVE_WINDOW``, and the answer is
simply "not fullscreen".
"""

from __future__ import annotations

import threading
from typing import Any

from movebreak.focus.base import ProbeUnavailable, QuietReason


class X11FullscreenProbe:
    """``QuietProbe``: FULLSCREEN while the active window is fullscreen."""

    name = "x11-fullscreen"

    def __init__(self, display_name: str | None = None) -> None:
        try:
            from Xlib import display as xdisplay
            from Xlib import error as xerror
        except ImportError as error:
            raise ProbeUnavailable("python-xlib is not installed") from error
        try:
            self._display: Any = xdisplay.Display(display_name)
        except (xerror.DisplayError, OSError) as error:
            raise ProbeUnavailable(f"cannot open X display: {error}") from error
        self._root = self._display.screen().root
        self._active = self._display.intern_atom("_NET_ACTIVE_WINDOW")
        self._state = self._display.intern_atom("_NET_WM_STATE")
        self._fullscreen = self._display.intern_atom("_NET_WM_STATE_FULLSCREEN")
        self._lock = threading.Lock()

    def active_window(self) -> int | None:
        """The id the window manager says has focus, or None."""
        from Xlib import X

        prop = self._root.get_full_property(self._active, X.AnyPropertyType)
        if prop is None or len(prop.value) == 0 or int(prop.value[0]) == 0:
            return None
        return int(prop.value[0])

    def reason(self) -> QuietReason | None:
        from Xlib import X
        from Xlib import error as xerror

        with self._lock:
            try:
                window_id = self.active_window()
                if window_id is None:
                    return None
                window = self._display.create_resource_object("window", window_id)
                state = window.get_full_property(self._state, X.AnyPropertyType)
            except (xerror.BadWindow, xerror.BadValue):
                return None  # the active window closed between the two reads
            except (xerror.ConnectionClosedError, xerror.XError, OSError) as error:
                raise ProbeUnavailable(f"X server query failed: {error}") from error
        if state is not None and self._fullscreen in (int(atom) for atom in state.value):
            return QuietReason.FULLSCREEN
        return None

    def close(self) -> None:
        with self._lock:
            self._display.close()
