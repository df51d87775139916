"""Logging out under the app without a tray: its session bus goes away (issue 15).

Before: the notifier's reader logged ``ConnectionResetError`` as a warning, said "the
next notice reconnects" to a bus that is gone for good, and the app ran on in a
session that had ended. Now: one line, exit code 0, at once. (With a tray, see
tests/desktop/test_session_end.py.)
"""

from __future__ import annotations

import subprocess

from tests.faults.app_process import AppProcess
from tests.idle.dbus_fakes import private_bus

GONE = "the session bus went away"


def test_logout_ends_the_app_with_one_line_and_status_0(tmp_path):
    (tmp_path / "bus").mkdir()
    with private_bus(tmp_path / "bus") as bus:
        (tmp_path / "home").mkdir()
        app = AppProcess(tmp_path / "home", env_extra={"DBUS_SESSION_BUS_ADDRESS": bus.address})
        try:
            app.wait_for_log("notifications over D-Bus")
            app.wait_for_log("ready: the menu is the app's")
            bus.stop()  # as at logout: the bus daemon ends
            code = app.process.wait(timeout=5)  # promptly, by itself
        except (AssertionError, subprocess.TimeoutExpired):
            app.stop()
            raise
    log = app.text()
    assert code == 0, log
    assert "Traceback" not in log, log
    after = log.split("ready: the menu is the app's", 1)[1]  # no display: warnings before
    assert " WARNING " not in after and " ERROR " not in after, log
    assert sum(GONE in line for line in log.splitlines()) == 1, log
    assert "reconnects" not in log, log
