"""The computer's time zone: a TZ that tzlocal refuses must not stop the app.

Each case runs in a fresh interpreter: tzlocal keeps the first zone it finds.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BERLIN_FILE = Path("/usr/share/zoneinfo/Europe/Berlin")
PROBE = """
import logging, sys
from datetime import UTC, datetime
from pathlib import Path
from movebreak.app.zone import local_zone
logging.basicConfig(level=logging.WARNING, format="%(message)s")
zone = local_zone(zone_file=Path(sys.argv[1]))
for month in (1, 7):
    print(datetime(2026, month, 15, 12, tzinfo=UTC).astimezone(zone).utcoffset())
"""


def run(tz: str, *args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TZ": tz, "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "c"), "XDG_DATA_HOME": str(tmp_path / "d"),
           "XDG_CACHE_HOME": str(tmp_path / "ca"), "XDG_STATE_HOME": str(tmp_path / "s")}
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True,
                          timeout=60, check=False)


def test_an_unknown_tz_falls_back_to_the_system_zone_file_with_its_dst(tmp_path):
    if not BERLIN_FILE.exists():
        pytest.fail("needs a zone file: apt-get install tzdata")
    done = run("Bogus/Zone", "-c", PROBE, str(BERLIN_FILE), tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1:00:00", "2:00:00"]  # winter and summer time
    assert "TZ='Bogus/Zone'" in done.stderr and str(BERLIN_FILE) in done.stderr


def test_without_a_zone_file_the_current_offset_is_used(tmp_path):
    done = run("Bogus/Zone", "-c", PROBE, str(tmp_path / "missing"), tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    winter, summer = done.stdout.split()
    assert winter == summer  # one fixed offset, as the warning says
    assert "ignores DST" in done.stderr


def test_next_runs_under_a_posix_tz_rule(tmp_path):
    """``CET-1CEST`` is a TZ the C library accepts and tzlocal does not."""
    done = run("CET-1CEST", "-m", "movebreak", "next", "--json", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "CET-1CEST" in done.stderr
