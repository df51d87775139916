"""ctypes declarations for the few calls movebreak makes into libX11, libXss and libXi.

Why ctypes and not python-xlib: in the tray process GDK has already mapped libX11 and
libXi, so the idle source and fullscreen probe cost about 0.45 MB of PSS over it (both
connections, one wait done; ctypes itself, which the app loads anyway, 0.25 MB more),
where python-xlib's some 40 pure-Python modules and its ``Display`` cost about 3.7 MB
and 25-30 ms of imports. Only what we call is declared, with exact argument and result
types: a missing ``argtypes`` would pass a 64-bit pointer as a 32-bit int.

Each library is looked up by its soname first (``libX11.so.6`` and so on: the ABI
these declarations are written against; no process is started) and only then with
``ctypes.util.find_library``, which runs ``ldconfig -p``, for systems that name it
otherwise. A library that is missing raises ``LibraryMissing`` naming the Debian
package that ships it, so callers can say what to install.

The loaded libraries are process-wide (``functools.cache``): the same handle every
time, prototypes set once and never changed afterwards.
"""

from __future__ import annotations

import ctypes
from ctypes import (
    CFUNCTYPE,
    POINTER,
    Structure,
    Union,
    c_char_p,
    c_int,
    c_long,
    c_ubyte,
    c_uint,
    c_uint16,
    c_uint32,
    c_ulong,
    c_void_p,
)
from dataclasses import dataclass
from functools import cache
from typing import Any

# Protocol constants (X.h, XI2.h).
SUCCESS = 0
ANY_PROPERTY_TYPE = 0
GENERIC_EVENT = 35
XI_ALL_MASTER_DEVICES = 1
XI_RAW_KEY_PRESS = 13
XI_RAW_BUTTON_PRESS = 15
XI_RAW_MOTION = 17
XI_RAW_TOUCH_BEGIN = 22  # XI 2.2
XI_MASK_BYTES = 4  # XIMaskLen(XI_LASTEVENT) for XI 2.2 (last event 26)

Window = c_ulong  # XID: a C long, whatever the protocol's 32 bits
Atom = c_ulong


class XErrorWire(Structure):
    """``xError``: the 32-byte error as it came off the wire (what extension hooks see)."""

    _fields_ = (
        ("type", c_ubyte),
        ("error_code", c_ubyte),
        ("sequence", c_uint16),
        ("resource_id", c_uint32),
        ("minor_code", c_uint16),
        ("major_code", c_ubyte),
    )


class XExtCodes(Structure):
    """What ``XAddExtension`` returns: our private extension slot on one display."""

    _fields_ = (("extension", c_int), ("major_opcode", c_int), ("first_event", c_int),
                ("first_error", c_int))


class XScreenSaverInfo(Structure):
    _fields_ = (("window", Window), ("state", c_int), ("kind", c_int),
                ("til_or_since", c_ulong), ("idle", c_ulong), ("event_mask", c_ulong))


class XIEventMask(Structure):
    _fields_ = (("deviceid", c_int), ("mask_len", c_int), ("mask", POINTER(c_ubyte)))


class XGenericEventCookie(Structure):
    _fields_ = (("type", c_int), ("serial", c_ulong), ("send_event", c_int),
                ("display", c_void_p), ("extension", c_int), ("evtype", c_int),
                ("cookie", c_uint), ("data", c_void_p))


class XEvent(Union):
    """Only the members we read; ``pad`` gives the union Xlib's full size (24 longs)."""

    _fields_ = (("type", c_int), ("cookie", XGenericEventCookie), ("pad", c_long * 24))


EXTENSION_ERROR_HOOK = CFUNCTYPE(c_int, c_void_p, POINTER(XErrorWire), POINTER(XExtCodes),
                                 POINTER(c_int))
"""``XESetError``'s hook: nonzero means "handled", and ``*ret_code`` is what the call returns."""
IO_ERROR_HANDLER = CFUNCTYPE(c_int, c_void_p)
IO_ERROR_EXIT_HANDLER = CFUNCTYPE(None, c_void_p, c_void_p)


class LibraryMissing(OSError):
    """A C library is not installed; the message names the Debian package."""


@dataclass(frozen=True)
class _Library:
    soname: str
    short_name: str  # for find_library
    package: str  # Debian's


_X11 = _Library("libX11.so.6", "X11", "libx11-6")
_XSS = _Library("libXss.so.1", "Xss", "libxss1")
_XI = _Library("libXi.so.6", "Xi", "libxi6")


def _load(library: _Library) -> ctypes.CDLL:
    try:
        return ctypes.CDLL(library.soname)
    except OSError:
        pass
    from ctypes.util import find_library  # runs ldconfig: only when the soname is not there

    found = find_library(library.short_name)
    if found is not None:
        try:
            return ctypes.CDLL(found)
        except OSError:
            pass
    raise LibraryMissing(f"{library.soname} is not installed (Debian package {library.package})")


def _declare(function: Any, result: type | None, *arguments: type) -> None:
    """Give a foreign function its C types (``function`` is a ctypes function pointer)."""
    function.restype = result
    function.argtypes = arguments


@cache
def libx11() -> ctypes.CDLL:
    """libX11 with the prototypes we use; ``LibraryMissing`` without it."""
    lib = _load(_X11)
    display = c_void_p
    _declare(lib.XOpenDisplay, c_void_p, c_char_p)
    _declare(lib.XCloseDisplay, c_int, display)
    _declare(lib.XDisplayString, c_char_p, display)
    _declare(lib.XDefaultRootWindow, Window, display)
    _declare(lib.XDefaultScreen, c_int, display)
    _declare(lib.XGetSelectionOwner, Window, display, Atom)
    _declare(lib.XConnectionNumber, c_int, display)
    _declare(lib.XSync, c_int, display, c_int)
    _declare(lib.XPending, c_int, display)
    _declare(lib.XNextEvent, c_int, display, POINTER(XEvent))
    _declare(lib.XGetEventData, c_int, display, POINTER(XGenericEventCookie))
    _declare(lib.XFreeEventData, None, display, POINTER(XGenericEventCookie))
    _declare(lib.XQueryExtension, c_int, display, c_char_p, POINTER(c_int), POINTER(c_int),
             POINTER(c_int))
    _declare(lib.XInternAtom, Atom, display, c_char_p, c_int)
    _declare(lib.XGetWindowProperty, c_int, display, Window, Atom, c_long, c_long, c_int, Atom,
             POINTER(Atom), POINTER(c_int), POINTER(c_ulong), POINTER(c_ulong),
             POINTER(POINTER(c_ubyte)))
    _declare(lib.XFree, c_int, c_void_p)
    _declare(lib.XAddExtension, POINTER(XExtCodes), display)
    _declare(lib.XESetError, c_void_p, display, c_int, EXTENSION_ERROR_HOOK)
    _declare(lib.XSetIOErrorHandler, c_void_p, IO_ERROR_HANDLER)
    if hasattr(lib, "XSetIOErrorExitHandler"):  # libX11 1.7 (2020) and later
        _declare(lib.XSetIOErrorExitHandler, None, display, IO_ERROR_EXIT_HANDLER, c_void_p)
    return lib


@cache
def libxss() -> ctypes.CDLL:
    """libXss (MIT-SCREEN-SAVER's client side); ``LibraryMissing`` without it."""
    lib = _load(_XSS)
    _declare(lib.XScreenSaverQueryExtension, c_int, c_void_p, POINTER(c_int), POINTER(c_int))
    _declare(lib.XScreenSaverAllocInfo, POINTER(XScreenSaverInfo))
    _declare(lib.XScreenSaverQueryInfo, c_int, c_void_p, Window, POINTER(XScreenSaverInfo))
    return lib


@cache
def libxi() -> ctypes.CDLL:
    """libXi (XInput 2's client side); ``LibraryMissing`` without it."""
    lib = _load(_XI)
    _declare(lib.XIQueryVersion, c_int, c_void_p, POINTER(c_int), POINTER(c_int))
    _declare(lib.XISelectEvents, c_int, c_void_p, Window, POINTER(XIEventMask), c_int)
    return lib
