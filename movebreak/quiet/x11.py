"""X11: is the active window fullscreen? EWMH properties read through libX11.

The window manager names the focused window in the root's ``_NET_ACTIVE_WINDOW`` and
lists each window's state in ``_NET_WM_STATE``; a fullscreen video or slide show
carries ``_NET_WM_STATE_FULLSCREEN`` there. Two property reads (``XGetWindowProperty``)
on a connection opened once, with the three atoms interned once. Only the *active*
window counts: a fullscreen player left in the background should not hold prompts all
day. The calls go through ctypes on libX11, which the tray process has mapped already
(``movebreak.x11``), instead of python-xlib.

The active window may close between the two reads: the server then answers BadWindow,
which Xlib's default handler turns into ``exit(1)``. ``movebreak.x11.display`` traps
it per display, and the probe answers "not fullscreen". A lost X server raises
``QuietUnavailable`` instead of ending the process (see that module for the limits).

Without an EWMH window manager nobody sets ``_NET_ACTIVE_WINDOW``, and the answer is
simply "not fullscreen".
"""

from __future__ import annotations

from movebreak.quiet.base import QuietReason, QuietUnavailable
from movebreak.x11.display import Connection, XUnavailable

_MAX_STATES = 64
"""More atoms than any window carries in ``_NET_WM_STATE`` (EWMH defines 13)."""


class X11FullscreenProbe:
    """``QuietProbe``: FULLSCREEN while the active window is fullscreen."""

    name = "x11-fullscreen"
    sees_fullscreen = True

    def __init__(self, display_name: str | None = None) -> None:
        try:
            self._connection = Connection(display_name)
        except XUnavailable as error:
            raise QuietUnavailable(str(error)) from error
        try:
            with self._connection.lock:
                self._active = self._connection.intern_atom("_NET_ACTIVE_WINDOW")
                self._state = self._connection.intern_atom("_NET_WM_STATE")
                self._fullscreen = self._connection.intern_atom("_NET_WM_STATE_FULLSCREEN")
        except XUnavailable as error:
            self.close()
            raise QuietUnavailable(str(error)) from error

    def active_window(self) -> int | None:
        """The id the window manager says has focus, or None."""
        with self._connection.lock:
            try:
                return self._active_window()
            except XUnavailable as error:
                raise QuietUnavailable(f"X server query failed: {error}") from error

    def _active_window(self) -> int | None:
        connection = self._connection
        value = connection.property_longs(connection.root, self._active, 1)
        if not value or value[0] == 0:
            return None
        return value[0]

    def reason(self) -> QuietReason | None:
        with self._connection.lock:
            try:
                window = self._active_window()
                if window is None:
                    return None
                # None also when the window closed after the first read (BadWindow):
                states = self._connection.property_longs(window, self._state, _MAX_STATES)
            except XUnavailable as error:
                raise QuietUnavailable(f"X server query failed: {error}") from error
        if states is not None and self._fullscreen in states:
            return QuietReason.FULLSCREEN
        return None

    def close(self) -> None:
        with self._connection.lock:
            self._connection.close()
