"""Xlib's fatal defaults, defused: a BadWindow and a killed X server end no process.

Xlib's default handlers call ``exit(1)``, and GDK's I/O error handler ``_exit(1)``, so
each case runs in a child process: if either handler ran, the child would exit 1 and
never print its report. The child holds an idle source (blocked in a wait on its second
connection when the server dies) and a fullscreen probe; once without GTK (Xlib's own
handlers) and once after ``Gtk.init`` (GDK's handlers, as in the tray process). Needs
apt ``xvfb``, and PyGObject for the GTK case; skips without them and fails under
``CI=true``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from contextlib import suppress
from importlib.util import find_spec

import pytest
from Xlib import X, Xatom
from Xlib import display as xdisplay

from tests.idle.xvfb import private_x_server

CHILD = """
import json, sys, threading, time
if sys.argv[1] == "gtk":
    import gi
    gi.require_version("Gtk", "3.0")
    from gi.repository import Gtk
    assert Gtk.init_check([])[0]
from movebreak.quiet.base import QuietUnavailable
from movebreak.quiet.x11 import X11FullscreenProbe
from movebreak.idle.base import IdleUnavailable
from movebreak.idle.x11 import X11IdleSource

def outcome(call):
    try:
        return repr(call())
    except (IdleUnavailable, QuietUnavailable) as error:
        return type(error).__name__

source, probe = X11IdleSource(), X11FullscreenProbe()
report = {"stale window": outcome(probe.reason)}
waited = []
wait = lambda: waited.append(outcome(lambda: source.wait_for_activity(30)))
waiter = threading.Thread(target=wait)
waiter.start()
time.sleep(0.2)
print("waiting", flush=True)
sys.stdin.readline()  # the server is dead now
waiter.join(5)
report["blocked wait"] = waited[0] if waited else "still blocked"
for name, call in (("idle", source.idle_seconds), ("reason", probe.reason),
                   ("active window", probe.active_window),
                   ("next wait", lambda: source.wait_for_activity(0.1))):
    report[name] = outcome(call)
source.close()
probe.close()
print(json.dumps(report), flush=True)
"""


def require_gtk() -> None:
    if find_spec("gi") is None:
        message = "PyGObject is missing: pip install -e '.[gtk]'"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


def name_a_closed_window_active(display: str) -> None:
    """Leave ``_NET_ACTIVE_WINDOW`` naming a destroyed window: the next read is BadWindow."""
    x = xdisplay.Display(display)
    try:
        root = x.screen().root
        window = root.create_window(0, 0, 10, 10, 0, X.CopyFromParent)
        window.change_property(x.intern_atom("_NET_WM_STATE"), Xatom.ATOM, 32,
                               [x.intern_atom("_NET_WM_STATE_FULLSCREEN")])
        root.change_property(x.intern_atom("_NET_ACTIVE_WINDOW"), Xatom.WINDOW, 32, [window.id])
        window.destroy()
        x.sync()
    finally:
        x.close()


@pytest.mark.parametrize("toolkit", ["xlib-defaults", "gtk"])
def test_bad_window_and_a_killed_server_end_no_process(toolkit):
    if toolkit == "gtk":
        require_gtk()
    with private_x_server() as server:
        name_a_closed_window_active(server.display)
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, toolkit], env=server.env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        assert child.stdin is not None and child.stdout is not None
        try:
            assert child.stdout.readline().strip() == "waiting"
            server.process.kill()
            server.process.wait()
            with suppress(BrokenPipeError):  # a child that died is reported below
                child.stdin.write("\n")
                child.stdin.flush()
            out, err = child.communicate(timeout=15)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
    assert child.returncode == 0, f"the child exited {child.returncode}: {err}"
    assert json.loads(out) == {
        "stale window": "None",
        "blocked wait": "IdleUnavailable",
        "idle": "IdleUnavailable",
        "reason": "QuietUnavailable",
        "active window": "QuietUnavailable",
        "next wait": "IdleUnavailable",
    }
