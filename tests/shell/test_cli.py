"""The command line, run as a user runs it: a real process, real files in a temp HOME."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "XDG_STATE_HOME": str(tmp_path / "state"), "TZ": "Europe/Berlin"}
    env.pop("DISPLAY", None)
    return subprocess.run([sys.executable, "-m", "movebreak", *args], env=env,
                          capture_output=True, text=True, timeout=60, check=False)


def test_next_json_on_the_defaults_for_a_monday_and_a_saturday(tmp_path):
    monday = json.loads(run(tmp_path, "next", "--from", "2026-11-30", "--json").stdout)
    assert monday[0] == {"at": "2026-11-30T09:00:00+01:00", "routine": "morning",
                         "title": "Morning routine", "reason": "morning routine"}
    resets = [p for p in monday if p["routine"] == "reset"]
    assert resets[0]["at"] == "2026-11-30T09:50:00+01:00" and len(resets) == 10
    assert all("T1" in p["at"] or "T09" in p["at"] for p in monday)  # 09:00 to 17:59
    saturday = run(tmp_path, "next", "--from", "2026-11-28", "--json")
    assert saturday.returncode == 0 and json.loads(saturday.stdout) == []


def test_config_init_check_and_paths(tmp_path):
    assert run(tmp_path, "config", "init").returncode == 0
    path = Path(run(tmp_path, "config", "path").stdout.strip())
    assert path == tmp_path / "config" / "movebreak" / "config.toml"
    assert run(tmp_path, "config", "check").stdout.strip().endswith("OK")
    path.write_text(path.read_text().replace('every = "50m"', 'every = "soon"'))
    bad = run(tmp_path, "config", "check")
    lines = path.read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if 'every = "soon"' in text)
    assert bad.returncode == 1
    assert bad.stdout.strip() == (f'{path}:{line}: reset.every: expected a duration such as '
                                  f'"45m" or "1h30m", got "soon"')
    paths = run(tmp_path, "paths").stdout
    assert str(tmp_path / "data" / "movebreak") in paths and "movebreak.log" in paths


def test_no_display_runs_without_a_tray_and_says_so_once(tmp_path):
    env_home = tmp_path
    proc = subprocess.Popen([sys.executable, "-m", "movebreak"], env={
        **{k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "PYSTRAY_BACKEND")},
        "HOME": str(env_home), "XDG_CONFIG_HOME": str(env_home / "c"),
        "XDG_DATA_HOME": str(env_home / "d"), "XDG_CACHE_HOME": str(env_home / "ca"),
        "XDG_STATE_HOME": str(env_home / "s"), "XDG_RUNTIME_DIR": str(env_home / "r"),
        "DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent"},
        stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        assert "running without a tray icon: no display" in line
        assert proc.poll() is None  # and it keeps running the timetable
    finally:
        proc.terminate()
        assert proc.wait(timeout=10) == 0
