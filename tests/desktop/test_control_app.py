"""One instance, controlled from the command line, observed on the desktop."""

from __future__ import annotations

import json
import subprocess

import pytest
from harness import MOVEBREAK, wait_until
from test_app import QUIET, start

pytestmark = pytest.mark.desktop


def cli(app, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*MOVEBREAK, *args], env=app.env, capture_output=True, text=True,
                          timeout=30, check=False)


def test_second_instance_and_every_control_command(launch, desktop, artifacts, gtk_tray):
    app, icon = start(launch, desktop, QUIET)
    second = cli(app)
    assert second.returncode == 0
    assert "movebreak is already running" in second.stderr + second.stdout
    assert len([i for i in desktop.tray_icons() if i.viewable]) == 1

    status = json.loads(cli(app, "status", "--json").stdout)
    assert status["paused"] is False and "2-minute reset" in json.dumps(status)

    assert cli(app, "start", "reset").returncode == 0
    wait_until(lambda: json.loads(cli(app, "status", "--json").stdout).get("running"), 10,
               "the routine to run")
    assert cli(app, "done").returncode == 0
    desktop.wait_for_notification(lambda n: n.summary == "Done: 2-minute reset")

    refused = cli(app, "start", "yoga")
    assert refused.returncode == 1 and "morning" in refused.stderr + refused.stdout

    assert cli(app, "pause", "1h").returncode == 0
    assert json.loads(cli(app, "status", "--json").stdout)["paused"] is True
    assert cli(app, "resume").returncode == 0
    assert json.loads(cli(app, "status", "--json").stdout)["paused"] is False

    assert cli(app, "snooze", "10m").returncode == 0
    assert cli(app, "skip").returncode == 0

    assert cli(app, "quit").returncode == 0
    result = app.wait(timeout=10)
    assert result.exit_code == 0 and result.left_behind == []
    gone = cli(app, "status")
    assert gone.returncode == 3 and "not running" in gone.stderr + gone.stdout
    wait_until(lambda: not [i for i in desktop.tray_icons() if i.viewable] or None, 5,
               "the icon to leave the tray")
