"""GNOME's do-not-disturb for real: ``gsettings`` writes through dconf on a private bus,
and a long-running reader (``Gio.Settings``, no GLib main loop) sees every change.

Needs apt ``libglib2.0-bin`` (gsettings), ``gsettings-desktop-schemas``,
``dconf-gsettings-backend`` and ``dconf-service``; they skip here and fail under CI.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from movebreak.quiet.base import QuietReason
from movebreak.quiet.gnome import KEY, SCHEMA, GnomeDndProbe, gsettings_reader
from tests.idle.dbus_fakes import require_program

DCONF_PACKAGES = "gsettings-desktop-schemas dconf-gsettings-backend dconf-service"

READER = """
import sys
from movebreak.quiet.detect import detect
detector = detect()
print(",".join(detector.probe_names), flush=True)
for _line in sys.stdin:
    reason = detector.quiet_reason()
    print(reason.name if reason else "None", flush=True)
"""


def unavailable(message: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture
def gnome_env(bus):
    """The private bus's environment as a GNOME session with dconf would have it."""
    require_program("gsettings", "libglib2.0-bin")
    env = {**bus.env, "GSETTINGS_BACKEND": "dconf", "XDG_CURRENT_DESKTOP": "ubuntu:GNOME"}
    gsettings(env, "set", SCHEMA, KEY, "false")
    if gsettings(env, "get", SCHEMA, KEY) != "false":  # GLib fell back to memory
        unavailable(f"dconf does not store settings here: apt-get install {DCONF_PACKAGES}")
    return env


def gsettings(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(["gsettings", *args], env=env, capture_output=True, text=True,
                          timeout=30, check=False)
    if "No such schema" in done.stderr:
        unavailable(f"the schema {SCHEMA} is missing: apt-get install {DCONF_PACKAGES}")
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_running_reader_follows_the_switch(gnome_env):
    gsettings(gnome_env, "set", SCHEMA, KEY, "true")
    reader = subprocess.Popen([sys.executable, "-c", READER], env=gnome_env, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert reader.stdin is not None and reader.stdout is not None

    def ask() -> str:
        reader.stdin.write("?\n")
        reader.stdin.flush()
        return reader.stdout.readline().strip()

    try:
        assert reader.stdout.readline().strip() == "gnome-dnd"
        assert ask() == "None"
        gsettings(gnome_env, "set", SCHEMA, KEY, "false")  # the quick-settings DND switch
        assert ask() == QuietReason.DO_NOT_DISTURB.name
        gsettings(gnome_env, "set", SCHEMA, KEY, "true")
        assert ask() == "None"
    finally:
        reader.stdin.close()
        reader.wait(timeout=10)


def test_the_gsettings_fallback_reads_the_same_key(gnome_env):
    probe = GnomeDndProbe(gsettings_reader(gnome_env))
    gsettings(gnome_env, "set", SCHEMA, KEY, "false")
    assert probe.reason() is QuietReason.DO_NOT_DISTURB
    gsettings(gnome_env, "set", SCHEMA, KEY, "true")
    assert probe.reason() is None
