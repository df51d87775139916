"""Block until the user touches a key, a button or the pointer: XInput 2 raw events.

Raw events selected on the root window reach us for every device's key, button and
relative motion (and touch, from XI 2.2), whichever window has focus. They are selected
only for the length of a wait, on a connection of the watch's own, so nothing arrives
while nobody waits and the idle queries on the other connection never queue behind a
blocked read. Between waits the connection stays open and silent.

A wait sleeps in ``select()`` on the connection's socket and wakes on data; ``XPending``
then reads it (it never blocks) and each event is looked at. XI2 events come as
``GenericEvent``s whose cookie names the extension and the event type; their payload is
claimed with ``XGetEventData`` and given back with ``XFreeEventData``.
"""

from __future__ import annotations

import select
import time
from ctypes import byref, c_int, c_ubyte

from movebreak.x11 import xlib
from movebreak.x11.display import Connection, XUnavailable

_RAW_INPUT = (xlib.XI_RAW_KEY_PRESS, xlib.XI_RAW_BUTTON_PRESS, xlib.XI_RAW_MOTION)


class RawInputWatch:
    """A second X connection that can wait for raw input; used by one thread at a time."""

    def __init__(self, display_name: str | None) -> None:
        try:
            self._xi = xlib.libxi()
        except xlib.LibraryMissing as error:
            raise XUnavailable(str(error)) from error
        self._connection = Connection(display_name)
        try:
            with self._connection.lock:
                self._opcode, self._event_types = self._announce()
        except XUnavailable:
            self._connection.close()
            raise
        self._event = xlib.XEvent()  # one buffer, reused by every wait

    def _announce(self) -> tuple[int, tuple[int, ...]]:
        """Tell the server we speak XI 2.2 (it sends no XI2 events before); what we get."""
        opcode = self._connection.query_extension("XInputExtension")
        if opcode is None:
            raise XUnavailable("the X server has no XInput extension to wait on")
        major, minor = c_int(2), c_int(2)
        status = self._xi.XIQueryVersion(self._connection.display, byref(major), byref(minor))
        if self._connection.take_error() is not None or status != xlib.SUCCESS:
            raise XUnavailable("the X server does not speak XInput 2")
        touch = (major.value, minor.value) >= (2, 2)  # touch screens count as input too
        return opcode, (*_RAW_INPUT, xlib.XI_RAW_TOUCH_BEGIN) if touch else _RAW_INPUT

    def wait(self, timeout: float) -> bool:
        """True on the first raw input event, False once ``timeout`` seconds pass."""
        connection = self._connection
        with connection.lock:
            deadline = time.monotonic() + timeout
            self._select(self._event_types)  # synced: no input slips in before we block
            found = self._raw_event_before(deadline)  # raises on a lost connection
            self._select(())
            self._drain()
            return found

    def _select(self, event_types: tuple[int, ...]) -> None:
        bits = bytearray(xlib.XI_MASK_BYTES)
        for event_type in event_types:
            bits[event_type >> 3] |= 1 << (event_type & 7)
        buffer = (c_ubyte * len(bits)).from_buffer(bits)
        mask = xlib.XIEventMask(xlib.XI_ALL_MASTER_DEVICES, len(bits), buffer)
        connection = self._connection
        self._xi.XISelectEvents(connection.display, connection.root, byref(mask), 1)
        connection.sync()
        error = connection.take_error()
        if error is not None:
            raise XUnavailable(f"selecting XInput 2 raw events failed (X error {error.code})")

    def _raw_event_before(self, deadline: float) -> bool:
        connection = self._connection
        descriptor = connection.fileno()
        while True:
            while connection.lib.XPending(connection.display) > 0:
                if self._next_is_raw_input():
                    return True
            connection.raise_if_lost()  # a dead socket stays readable: never spin on it
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            ready, _, _ = select.select([descriptor], [], [], remaining)
            if not ready:
                connection.raise_if_lost()
                return False

    def _next_is_raw_input(self) -> bool:
        lib, display, event = self._connection.lib, self._connection.display, self._event
        lib.XNextEvent(display, byref(event))
        cookie = event.cookie
        if event.type != xlib.GENERIC_EVENT or cookie.extension != self._opcode:
            return False
        if not lib.XGetEventData(display, byref(cookie)):
            return False
        try:
            return cookie.evtype in self._event_types
        finally:
            lib.XFreeEventData(display, byref(cookie))

    def _drain(self) -> None:
        """Drop the rest of a burst of motion, so the next wait starts from silence."""
        connection = self._connection
        while connection.lib.XPending(connection.display) > 0:
            connection.lib.XNextEvent(connection.display, byref(self._event))
        connection.raise_if_lost()

    def close(self) -> None:
        with self._connection.lock:
            self._connection.close()
