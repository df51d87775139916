"""A simulated three-hour suspend: the app's wall clock jumps while its monotonic clock does not.

libfaketime (apt ``faketime``) shifts CLOCK_REALTIME for the app alone, read again on
every call from a file the test writes; CLOCK_MONOTONIC stays real. That is exactly
what a laptop sees after a suspend, without suspending anything.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from harness import MOVEBREAK, DesktopTimeout
from test_app import ALL_DAY

pytestmark = pytest.mark.desktop

FAKETIME = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1")
CONFIG = (ALL_DAY + '[reset]\nevery = "3s"\n[morning]\nenabled = false\n'
          '[away]\nnatural_break = "4s"\noffer_reset_after = "off"\n'
          '[prompts]\nlate_grace = "1s"\n')


def test_three_hour_suspend_gives_no_burst(launch, desktop, artifacts, gtk_tray, tmp_path):
    if not FAKETIME.exists():
        message = "the suspend test needs libfaketime: apt-get install faketime"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    offset = tmp_path / "faketime"
    offset.write_text("+0\n")
    fake = {"LD_PRELOAD": str(FAKETIME), "FAKETIME_TIMESTAMP_FILE": str(offset),
            "FAKETIME_NO_CACHE": "1", "FAKETIME_DONT_FAKE_MONOTONIC": "1",
            "PYSTRAY_BACKEND": ""}
    desktop.move_mouse(3, 3, relative=True)
    app = launch([*MOVEBREAK, "-v"], env_extra=fake, config_text=CONFIG)
    desktop.wait_for_icon(timeout=10)
    first = desktop.wait_for_notification(lambda n: n.summary.startswith("2-minute reset"),
                                          timeout=10)
    desktop.pick_action("skip", first.id)
    offset.write_text("+3h\n")  # the lid closes; three hours later it opens
    woke, woke_wall = time.monotonic(), datetime.now().astimezone() + timedelta(hours=3)

    for _ in range(10):  # the user keeps working (so this is a sleep, not time away)
        desktop.move_mouse(1, 1, relative=True)
        with pytest.raises(DesktopTimeout):  # no burst of the ~3600 slots it slept through
            desktop.wait_for_notification(lambda n: n.received_at > woke, timeout=1)
    status = subprocess.run([*MOVEBREAK, "status", "--json"], env={**app.env, **fake},
                            capture_output=True, text=True, timeout=30, check=True)
    report = json.loads(status.stdout)
    upcoming = datetime.fromisoformat(report["next"]["at"])
    assert upcoming >= woke_wall - timedelta(seconds=1)  # planned from the wake-up
    assert "presence: slept" in app.errors() and "presence: away" not in app.errors()
