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


CALLS_ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:audio-1
DTSTART;TZID=Europe/Berlin:20261130T094500
DTEND;TZID=Europe/Berlin:20261130T103000
SUMMARY:Supplier call \x1b]0;pwned\x07<b>&</b> {long}
LOCATION:Telefonkonferenz
DESCRIPTION:Einwahl: +49 30 5555 0123\\, PIN 4411#
ORGANIZER:mailto:lea@example.com
ATTENDEE:mailto:me@example.com
END:VEVENT
BEGIN:VEVENT
UID:video-1
DTSTART;TZID=Europe/Berlin:20261130T111000
DTEND;TZID=Europe/Berlin:20261130T114000
SUMMARY:Design review
DESCRIPTION:Join: https://meet.google.com/abc-defg-hij
ORGANIZER:mailto:lea@example.com
ATTENDEE:mailto:me@example.com
END:VEVENT
END:VCALENDAR
""".replace("{long}", "x" * 300)


def _with_calendar(tmp_path: Path) -> Path:
    ics = tmp_path / "calls.ics"
    ics.write_text(CALLS_ICS.replace("\n", "\r\n"), encoding="utf-8")
    config = tmp_path / "config" / "movebreak" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'[[calendar.sources]]\nname = "work"\npath = "{ics}"\n')
    return ics


def test_next_plans_with_the_calendar_as_the_app_does(tmp_path):
    _with_calendar(tmp_path)
    done = run(tmp_path, "next", "--from", "2026-11-30T08:00", "--json")
    assert done.returncode == 0, done.stderr
    plan = json.loads(done.stdout)
    stand = [p for p in plan if p["routine"] == "meeting-stand"]
    # At the call's start, then every audio_reminder (20 min) while it lasts.
    assert [p["at"][11:16] for p in stand] == ["09:45", "10:05", "10:25"]
    assert stand[1]["reason"].startswith("still in: Supplier call")
    reason = stand[0]["reason"]
    assert reason.startswith("audio-only call: Supplier call")
    assert "\x1b" not in reason and "\x07" not in reason and "\\x1b" in reason
    assert len(reason) <= len("audio-only call: ") + 60
    resets = [p["at"][11:16] for p in plan if p["routine"] == "reset"]
    assert "09:50" not in resets  # the call was the walking time
    assert "11:20" not in resets and "11:40" in resets  # held by the video call, then offered

    bare = json.loads(run(tmp_path, "next", "--from", "2026-11-30T08:00", "--json",
                          "--no-calendar").stdout)
    assert not [p for p in bare if p["routine"] == "meeting-stand"]
    assert "09:50" in [p["at"][11:16] for p in bare if p["routine"] == "reset"]


def test_meetings_text_neutralises_controls_and_bounds_titles(tmp_path):
    ics = _with_calendar(tmp_path)
    done = run(tmp_path, "meetings", "--ics", str(ics), "--from", "2026-11-30")
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout
    line = next(ln for ln in done.stdout.splitlines() if "Supplier call" in ln)
    assert "\\x1b]0;pwned\\x07" in line and "x" * 100 not in line


def test_meetings_with_a_missing_ics_is_an_error(tmp_path):
    done = run(tmp_path, "meetings", "--ics", str(tmp_path / "missing.ics"), "--json")
    assert done.returncode == 2
    assert "missing.ics" in done.stderr and done.stdout == ""


def test_meetings_json_into_a_pipe_closed_early_ends_quietly(tmp_path):
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:e{i}\r\nDTSTART:20261130T{8 + i // 60:02d}{i % 60:02d}00Z\r\n"
        f"DURATION:PT1M\r\nSUMMARY:Call {i} {'y' * 200}\r\nLOCATION:Phone\r\n"
        "ORGANIZER:mailto:a@example.com\r\nATTENDEE:mailto:b@example.com\r\nEND:VEVENT\r\n"
        for i in range(600)
    )
    ics = tmp_path / "many.ics"
    ics.write_text(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{events}END:VCALENDAR\r\n")
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_CACHE_HOME": str(tmp_path / "cache"), "TZ": "UTC"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "movebreak", "meetings", "--ics", str(ics), "--from",
         "2026-11-30", "--json"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    _, stderr = proc.communicate(timeout=60)
    assert b"Traceback" not in stderr and b"BrokenPipe" not in stderr, stderr.decode()
    assert proc.returncode == 0
