"""``movebreak.x11``'s connection and loader, against a private Xvfb and the real dynamic linker.

Needs apt ``xvfb``; skips without it and fails under ``CI=true``.
"""

from __future__ import annotations

from collections.abc import Iterator
from ctypes import byref, c_ubyte

import pytest
from Xlib import X
from Xlib import display as xdisplay

from movebreak.x11 import xlib
from movebreak.x11.display import Connection, XUnavailable
from tests.idle.xvfb import XServer


@pytest.fixture
def connection(x_server: XServer) -> Iterator[Connection]:
    opened = Connection(x_server.display)
    yield opened
    with opened.lock:
        opened.close()


def test_a_missing_library_names_its_debian_package():
    absent = xlib._Library("libXmovebreak-absent.so.7", "Xmovebreak-absent", "libxabsent7")
    with pytest.raises(xlib.LibraryMissing, match=r"libXmovebreak-absent\.so\.7 .*libxabsent7"):
        xlib._load(absent)


def test_no_server_is_unavailable():
    with pytest.raises(XUnavailable, match="cannot open X display :9999"):
        Connection(":9999")


def test_the_connection_knows_its_display_and_root(x_server, connection):
    assert connection.name == x_server.display
    assert connection.root != 0
    assert connection.fileno() >= 0
    with connection.lock:
        assert connection.query_extension("XInputExtension") is not None
        assert connection.query_extension("NO-SUCH-EXTENSION") is None


def test_selection_owner_sees_an_xembed_tray(x_server, connection):
    """What the tray backend asks before choosing XEmbed: who owns _NET_SYSTEM_TRAY_S0."""
    with connection.lock:
        assert connection.selection_owner("_NET_SYSTEM_TRAY_S{screen}") == 0
    tray = xdisplay.Display(x_server.display)
    try:
        window = tray.screen().root.create_window(0, 0, 1, 1, 0, X.CopyFromParent)
        window.set_selection_owner(tray.intern_atom("_NET_SYSTEM_TRAY_S0"), X.CurrentTime)
        tray.sync()
        with connection.lock:
            assert connection.selection_owner("_NET_SYSTEM_TRAY_S{screen}") == window.id
    finally:
        tray.close()
    with connection.lock:  # the owner's connection closed: the selection is free again
        assert connection.selection_owner("_NET_SYSTEM_TRAY_S{screen}") == 0


def test_errors_of_requests_without_replies_are_trapped_by_the_sync(connection):
    """An XISelectEvents on a window that does not exist: BadWindow arrives at the sync."""
    mask_bits = (c_ubyte * xlib.XI_MASK_BYTES)()
    mask = xlib.XIEventMask(xlib.XI_ALL_MASTER_DEVICES, xlib.XI_MASK_BYTES, mask_bits)
    with connection.lock:
        xlib.libxi().XISelectEvents(connection.display, 0x3FFFFF, byref(mask), 1)
        connection.sync()
        error = connection.take_error()
    assert error is not None and error.code == 3  # BadWindow
    assert error.resource == 0x3FFFFF
