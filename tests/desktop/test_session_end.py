"""Logging out: the session bus goes away under a running app with a tray (issue 15).

Before: GLib's session connection raised SIGTERM in the app, pystray's finalizer then
called the vanished bus (``GError: The connection is closed``, ``NoReply`` on other
versions) and the log showed "the tray failed" with a traceback, plus a warning from
the notifier's reader (``ConnectionResetError``). Now: one line, exit code 0, at once.

Each test gets a desktop of its own: ending the shared one's bus would end the others.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from harness import Desktop

QUIET_CONFIG = (
    '[work]\ndays = ["mon","tue","wed","thu","fri","sat","sun"]\n'
    'start = "00:00"\nend = "23:59"\n[reset]\nevery = "1h"\n[morning]\nenabled = false\n'
)
GONE = "the session bus went away"


@pytest.mark.parametrize("backend", ["gtk", "appindicator"])
def test_logout_ends_the_app_cleanly_with_one_line(backend, artifacts: Path, gtk_tray):
    with Desktop(log_dir=artifacts / "_harness") as desktop:
        app = desktop.start_app([sys.executable, "-m", "movebreak", "-v"],
                                env_extra={"PYSTRAY_BACKEND": backend},
                                config_text=QUIET_CONFIG, name="app", out_dir=artifacts)
        desktop.wait_for_icon(timeout=20)
        app.wait_for_log("ready: the menu is the app's", timeout=30)
        desktop.end_session_bus()
        result = app.wait(timeout=5)  # promptly, by itself
        log = result.stderr
        assert result.exit_code == 0, log[-3000:]
        assert "Traceback" not in log and " ERROR " not in log, log[-3000:]
        assert [line for line in log.splitlines() if GONE in line] == [
            line for line in log.splitlines() if "session bus" in line], log[-3000:]
        assert sum(GONE in line for line in log.splitlines()) == 1, log[-3000:]
        assert "signal 15" not in log  # GLib no longer kills the app first
