"""One Xlib connection, made safe to use from a long-running app.

Xlib's defaults end the process on two kinds of trouble, and this module defuses both:

**Protocol errors** (a BadWindow because the active window closed between two reads).
The default error handler prints the error and calls ``exit(1)``. The usual cure,
``XSetErrorHandler``, swaps a *process-global* function, and GDK already owns it: its
error traps set and restore that global around their own requests from the GTK thread
(warning "XSetErrorHandler() called with a GDK error trap pushed. Don't do that." when
someone else changes it meanwhile), so a handler of ours could be dropped by GDK's next
pop. We therefore do not touch it. Each of our displays gets a private extension slot
(``XAddExtension``) whose error hook (``XESetError``) Xlib asks first about every error
it meets while waiting for a reply, on that display only; the hook records the error
and tells Xlib it is handled, so the call returns failure and we answer "no answer".
Xlib consults such hooks only inside ``_XReply``, so every request of ours either has a
reply or is followed by ``XSync`` inside the same locked call: no error of ours is ever
left to arrive later, where only the global handler would see it.

**A lost connection** (the X server died). The I/O error handler is global too; Xlib's
default prints and exits, GDK's calls ``_exit(1)``, and even if one returns, Xlib then
calls the display's exit handler, which by default exits. So we install one global I/O
handler that, for our displays, only records the loss and returns, and passes any other
display to the handler it replaced (GDK's, or Xlib's: for them nothing changes); and on
each of our displays an exit handler (``XSetIOErrorExitHandler``, libX11 >= 1.7) that
returns. Xlib then marks the display dead and every later call on it returns at once;
we raise ``XUnavailable``. With a libX11 older than 1.7 Xlib still exits after our
handler: a lost X server ends the app, as it always has for Xlib programs. The global
handler is installed (again, if someone replaced it) whenever we open a display; in the
app that is after GTK has set up its own, so ours wraps GDK's.

**Threads.** Each ``Connection`` is used by one thread at a time, under its ``lock``;
the idle source keeps a second connection for its blocking wait. We never share a
display between threads, so we need no Xlib locking and do not call ``XInitThreads``:
it only takes effect as the first Xlib call of the process, and in the tray process GDK
has made many by then (libX11 1.8, Debian 12's, calls it itself when it is loaded).
"""

from __future__ import annotations

import ctypes
import threading
from ctypes import POINTER, byref, c_int, c_ubyte, c_ulong
from dataclasses import dataclass
from functools import cache
from typing import Any

from movebreak.adapters import Unavailable
from movebreak.x11 import xlib


class XUnavailable(Unavailable):
    """The X server cannot be reached (any more), or a library is missing; says why."""


@dataclass(frozen=True)
class ProtocolError:
    """An error the server sent for one of our requests (codes from X.h)."""

    code: int
    major_opcode: int
    resource: int


class _IOErrorRouter:
    """The one global I/O error handler: ours for our displays, the previous for others."""

    def __init__(self, lib: Any) -> None:
        self._lib = lib
        self._ours: dict[int, Connection] = {}
        self._previous: Any = None
        self._handler = xlib.IO_ERROR_HANDLER(self._on_io_error)
        self._address = ctypes.cast(self._handler, ctypes.c_void_p).value

    def install(self) -> None:
        previous = self._lib.XSetIOErrorHandler(self._handler)
        if previous is not None and previous != self._address:  # not already ours
            self._previous = xlib.IO_ERROR_HANDLER(previous)

    def register(self, connection: Connection) -> None:
        self._ours[connection.address] = connection

    def unregister(self, connection: Connection) -> None:
        self._ours.pop(connection.address, None)

    def _on_io_error(self, display: int | None) -> int:
        connection = self._ours.get(display or 0)
        if connection is not None:
            connection.mark_lost()
            return 0
        if self._previous is not None:
            return int(self._previous(display))
        return 0  # Xlib exits after this, as it would have without us


@cache
def _io_errors() -> _IOErrorRouter:
    """Process-wide, as the C global it stands for."""
    return _IOErrorRouter(xlib.libx11())


class Connection:
    """An open ``Display`` with our error hooks; hold ``lock`` around every call on it."""

    def __init__(self, display_name: str | None = None) -> None:
        try:
            lib = xlib.libx11()
        except xlib.LibraryMissing as error:
            raise XUnavailable(str(error)) from error
        self.lib = lib
        self.lock = threading.Lock()
        self._error: ProtocolError | None = None
        self._lost = False
        name = display_name.encode() if display_name else None
        pointer = lib.XOpenDisplay(name)
        if not pointer:
            raise XUnavailable(f"cannot open X display {display_name or '$DISPLAY'}")
        self.display = ctypes.c_void_p(pointer)
        self.address: int = pointer
        self.name = (lib.XDisplayString(self.display) or b"?").decode(errors="replace")
        self._error_hook = xlib.EXTENSION_ERROR_HOOK(self._on_error)
        self._exit_hook = xlib.IO_ERROR_EXIT_HANDLER(self._on_exit)
        router = _io_errors()
        router.install()
        router.register(self)
        if hasattr(lib, "XSetIOErrorExitHandler"):
            lib.XSetIOErrorExitHandler(self.display, self._exit_hook, None)
        codes = lib.XAddExtension(self.display)
        if not codes:
            self.close()
            raise XUnavailable("Xlib could not allocate an extension slot (out of memory)")
        lib.XESetError(self.display, codes.contents.extension, self._error_hook)
        self.root: int = lib.XDefaultRootWindow(self.display)

    # ----- called by Xlib, on the thread that made the failing request ------------------
    def _on_error(self, _display: int, error: Any, _codes: Any, ret_code: Any) -> int:
        wire = error.contents
        self._error = ProtocolError(wire.error_code, wire.major_code, wire.resource_id)
        ret_code[0] = 0  # the call reports failure
        return 1  # handled: Xlib calls no error handler

    def _on_exit(self, _display: int, _data: int) -> None:
        self.mark_lost()  # returning is the point: Xlib's default here is exit(1)

    def mark_lost(self) -> None:
        self._lost = True

    # ----- used by the adapters, under ``lock`` -----------------------------------------
    def raise_if_lost(self) -> None:
        if self._lost:
            raise XUnavailable(f"lost the connection to X display {self.name}")

    def take_error(self) -> ProtocolError | None:
        """The protocol error since the last call, if any (and forget it); raise if lost."""
        self.raise_if_lost()
        error, self._error = self._error, None
        return error

    def sync(self) -> None:
        """Round trip: errors of earlier requests arrive now, where our hook sees them."""
        self.lib.XSync(self.display, 0)
        self.raise_if_lost()

    def fileno(self) -> int:
        return int(self.lib.XConnectionNumber(self.display))

    def query_extension(self, name: str) -> int | None:
        """The extension's major opcode, or None when the server lacks it."""
        opcode, event, error = c_int(), c_int(), c_int()
        present = self.lib.XQueryExtension(self.display, name.encode(), byref(opcode),
                                           byref(event), byref(error))
        self.raise_if_lost()
        return opcode.value if present else None

    def intern_atom(self, name: str) -> int:
        atom = int(self.lib.XInternAtom(self.display, name.encode(), 0))
        if self.take_error() is not None or atom == 0:
            raise XUnavailable(f"the X server would not intern {name}")
        return atom

    def selection_owner(self, selection: str) -> int:
        """The window owning ``selection`` (0: none); ``{screen}`` in the name is filled in.

        For the tray's "is an XEmbed tray running?" (``_NET_SYSTEM_TRAY_S{screen}``).
        """
        name = selection.format(screen=self.lib.XDefaultScreen(self.display))
        owner = int(self.lib.XGetSelectionOwner(self.display, self.intern_atom(name)))
        self.raise_if_lost()
        return owner

    def property_longs(self, window: int, atom: int, max_items: int) -> list[int] | None:
        """A format-32 property's items, or None: absent, another format, or an error.

        Format 32 means C ``long`` in the returned buffer, 8 bytes each on 64-bit
        systems, not the protocol's 4; the buffer is Xlib's and goes back with XFree.
        """
        actual_type, actual_format = xlib.Atom(), c_int()
        count, remaining = c_ulong(), c_ulong()
        data = POINTER(c_ubyte)()
        status = self.lib.XGetWindowProperty(
            self.display, window, atom, 0, max_items, 0, xlib.ANY_PROPERTY_TYPE,
            byref(actual_type), byref(actual_format), byref(count), byref(remaining),
            byref(data),
        )
        try:
            if self.take_error() is not None or status != xlib.SUCCESS:
                return None
            if actual_format.value != 32 or not data:
                return None
            longs = ctypes.cast(data, POINTER(c_ulong))
            return [longs[index] for index in range(count.value)]
        finally:
            if data:
                self.lib.XFree(data)

    def close(self) -> None:
        """Close the display (a dead one too: Xlib then only frees it)."""
        if self.address == 0:
            return
        self.lib.XCloseDisplay(self.display)
        _io_errors().unregister(self)  # after: closing a dead display may report it again
        self.address = 0
