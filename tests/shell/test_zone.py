"""The computer's time zone: a TZ that tzlocal cannot name must not stop the app.

Cases with a TZ run in a fresh interpreter: tzlocal keeps the first zone it finds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from movebreak.app.zone import LibcLocalZone
from movebreak.calendar.worker import _tz_from_name, _tz_name

# Central European time as a POSIX rule: the C library follows it, tzlocal cannot name it.
POSIX_CET = "CET-1CEST,M3.5.0,M10.5.0/3"
PROBE = """
import logging
from datetime import UTC, datetime
from movebreak.app.zone import local_zone
logging.basicConfig(level=logging.WARNING, format="%(message)s")
zone = local_zone()
assert local_zone() is zone
for month in (1, 7):
    print(datetime(2026, month, 15, 12, tzinfo=UTC).astimezone(zone).isoformat())
print(datetime(2026, 3, 29, 1, 30, tzinfo=UTC).astimezone(zone).isoformat())  # DST starts
print(datetime(2026, 7, 15, 9, 0, tzinfo=zone).astimezone(UTC).isoformat())
print(type(zone).__name__)
"""


def run(tz: str, *args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TZ": tz, "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "c"), "XDG_DATA_HOME": str(tmp_path / "d"),
           "XDG_CACHE_HOME": str(tmp_path / "ca"), "XDG_STATE_HOME": str(tmp_path / "s")}
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True,
                          timeout=60, check=False)


def test_a_posix_tz_is_followed_through_the_c_library_dst_included(tmp_path):
    done = run(POSIX_CET, "-c", PROBE, tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "2026-01-15T13:00:00+01:00",
        "2026-07-15T14:00:00+02:00",
        "2026-03-29T03:30:00+02:00",
        "2026-07-15T07:00:00+00:00",
        "LibcLocalZone",
    ]
    assert done.stderr.count("tzlocal cannot name") == 1  # asked twice, said once
    assert POSIX_CET in done.stderr


def test_next_plans_in_that_zone(tmp_path):
    done = run(POSIX_CET, "-m", "movebreak", "next", "--from", "2026-11-30", "--json",
               tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["at"] == "2026-11-30T09:00:00+01:00"


def test_an_unknown_tz_name_still_starts(tmp_path):
    done = run("Bogus/Zone", "-m", "movebreak", "next", "--json", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "Bogus/Zone" in done.stderr


def test_the_calendar_worker_is_told_to_use_the_same_zone():
    assert _tz_from_name(_tz_name(LibcLocalZone())) == LibcLocalZone()
