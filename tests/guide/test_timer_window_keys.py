"""The timer window never acts on keystrokes meant for another program (issue 18, item 8).

A routine started from a terminal (``movebreak start reset``) or from a notification
while the user types opens the window; a window manager that focuses new windows then
handed the next keys to it, and "d", "k", "s", "n", Space or Return acted on the
routine. Here ``matchbox-window-manager`` (which focuses new windows) manages a private
Xvfb; the real window process gets a ``show`` message and the test types at it.
"""

from __future__ import annotations

import json
import select
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from movebreak.guide.messages import encode
from movebreak.x11.display import Connection
from tests.idle.dbus_fakes import require_program, wait_for
from tests.idle.xvfb import XServer, private_x_server, stop

SHOW = {"kind": "show", "routine": "2-minute reset", "step": "Band pull-aparts",
        "dose": "10–15 reps", "instruction": "Arms straight.", "position": "step 1 of 3",
        "side": "", "remaining": 60, "reps": True, "paused": False, "last": False, "cue": ""}


@pytest.fixture
def managed() -> Iterator[XServer]:
    manager = require_program("matchbox-window-manager", "matchbox-window-manager")
    with private_x_server() as server:
        wm = subprocess.Popen([manager, "-use_titlebar", "no"], env=server.env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            yield server
        finally:
            stop(wm)


def timer_window(server: XServer) -> int:
    """The window's id once it is mapped (found by its class, as a WM rule would)."""
    program = require_program("xdotool", "xdotool")

    def find() -> int | None:
        found = subprocess.run([program, "search", "--onlyvisible", "--class", "movebreak-timer"],
                               env=server.env, capture_output=True, text=True, timeout=10)
        ids = found.stdout.split()
        return int(ids[-1]) if ids else None

    return int(wait_for(find, 10))


def read_action(child: subprocess.Popen[bytes], timeout: float) -> str | None:
    assert child.stdout is not None
    ready, _, _ = select.select([child.stdout], [], [], timeout)
    if not ready:
        return None
    line = child.stdout.readline()
    return json.loads(line)["action"] if line else None


def test_keys_typed_as_the_window_appears_do_not_act_on_the_routine(managed):
    require_program("xprop", "x11-utils")
    managed.xdotool("mousemove", "5", "590")  # the pointer is nowhere near the corner
    child = subprocess.Popen([sys.executable, "-m", "movebreak.guide.window"], env=managed.env,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert child.stdin is not None
    try:
        child.stdin.write(encode(SHOW))
        child.stdin.flush()
        window = timer_window(managed)
        user_time = subprocess.run(["xprop", "-id", str(window), "_NET_WM_USER_TIME"],
                                   env=managed.env, capture_output=True, text=True, timeout=10)
        assert user_time.stdout.strip().endswith("= 0"), user_time.stdout
        # The user goes on typing a sentence with the shortcut letters in it.
        focused = _focused_window(managed)
        managed.xdotool("type", "--delay", "20", "done, skip, snooze and next")
        managed.xdotool("key", "space", "Return")
        # Now they turn to it: click its clock, then press N.
        managed.xdotool("mousemove", "--window", str(window), "200", "140", "click", "1")
        managed.xdotool("key", "n")
        assert read_action(child, 5) == "next", f"focus was on {focused:#x}"
        assert read_action(child, 0.3) is None
    finally:
        child.stdin.close()
        try:
            child.wait(5)
        except subprocess.TimeoutExpired:
            stop(child)


def _focused_window(server: XServer) -> int:
    """What the window manager focused (for the failure message)."""
    connection = Connection(server.display)
    try:
        atom = connection.intern_atom("_NET_ACTIVE_WINDOW")
        deadline = time.monotonic() + 1
        while time.monotonic() < deadline:
            value = connection.property_longs(connection.root, atom, 1)
            if value:
                return int(value[0])
            time.sleep(0.05)
        return 0
    finally:
        connection.close()

