"""The command line against a live server: words, JSON, and exit codes."""

from __future__ import annotations

import argparse
import io
import json
import os
from datetime import timedelta

import pytest

from movebreak.control.cli import (
    ExitCode,
    add_control_parsers,
    describe_status,
    is_control_command,
    run_control,
)
from movebreak.control.client import ping
from movebreak.control.instance import ALREADY_RUNNING_EXIT, ensure_single_instance
from movebreak.control.server import ControlServer

from .conftest import FAST, RecordingApp


def parse(*words: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="movebreak")
    add_control_parsers(parser.add_subparsers(dest="command"))
    return parser.parse_args(words)


def run(folder, *words: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_control(parse(*words), folder, out, err, timeout=1.0)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("words", "printed", "call"),
    [
        (("start", "morning"), "Started Morning. Next: 2-minute reset at 10:50\n",
         ("start_routine", "morning")),
        (("snooze", "90s"), "Snoozed for 1m30s. Next: 2-minute reset at 10:50\n",
         ("snooze", timedelta(seconds=90))),
        (("skip",), "Skipped. Next: 2-minute reset at 10:50\n", ("skip", None)),
        (("done",), "Marked done. Next: 2-minute reset at 10:50\n", ("done", None)),
        (("pause", "1h"), "Paused for 1h. Paused\n", ("pause", timedelta(hours=1))),
        (("pause", "until-tomorrow"), "Paused until tomorrow. Paused\n", ("pause", None)),
        (("resume",), "Resumed. Next: 2-minute reset at 10:50\n", ("resume", None)),
        (("quit",), "movebreak is quitting.\n", ("quit", None)),
    ],
)
def test_each_command_says_what_it_did(server, app, words, printed, call):
    assert is_control_command(parse(*words))
    assert run(server.folder, *words) == (ExitCode.OK, printed, "")
    assert app.wait_for(call)
    assert app.actions() == [call]


def test_status_in_words_and_as_json(server):
    code, text, _ = run(server.folder, "status")
    assert code == ExitCode.OK
    assert text == (
        "Next: 2-minute reset at 10:50\n"
        "state:   waiting\n"
        "next:    Reset at Mon 2026-11-30 10:50\n"
    )
    code, text, _ = run(server.folder, "status", "--json")
    assert code == ExitCode.OK and json.loads(text) == RecordingApp().status()


def test_describe_status_covers_a_running_routine_and_a_pause():
    lines = describe_status(
        {
            "running": {"routine": "morning", "title": "Morning routine", "progress": 0.4},
            "paused_until": "2026-11-30T15:00:00+01:00",
        }
    )
    assert lines == ["running: Morning routine (40% done)", "paused:  until Mon 2026-11-30 15:00"]
    assert describe_status({}) == ["movebreak is running."]


def test_errors_and_their_exit_codes(server, app, short_dir):
    assert run(server.folder, "start", "yoga") == (
        ExitCode.REFUSED,
        "",
        "movebreak start: no routine 'yoga'; known routines: reset, morning, eyes\n",
    )
    code, _, err = run(server.folder, "snooze", "soon")
    assert code == ExitCode.USAGE and 'expected a duration such as "45m"' in err
    code, _, err = run(server.folder, "pause", "tomorrow")
    assert code == ExitCode.USAGE
    assert app.actions() == []
    assert run(short_dir / "none", "skip") == (
        ExitCode.NOT_RUNNING, "", "movebreak is not running\n"
    )


def test_the_first_instance_binds_and_a_second_gets_one_line(folder):
    err = io.StringIO()
    first = ensure_single_instance(folder, err)
    assert isinstance(first, ControlServer)
    first.start(RecordingApp())
    try:
        second = ensure_single_instance(folder, err)
        assert second == ALREADY_RUNNING_EXIT == 0
        assert err.getvalue() == (
            f"movebreak is already running (pid {os.getpid()}); use `movebreak status`\n"
        )
    finally:
        first.stop()
    third = ensure_single_instance(folder, err)
    assert isinstance(third, ControlServer)
    third.start(RecordingApp())
    try:
        assert ping(folder)["pid"] == os.getpid()
    finally:
        third.stop()


def test_a_stuck_instance_makes_the_second_exit_1(folder):
    holder = ControlServer(folder, FAST)
    holder.bind()
    try:
        err = io.StringIO()
        assert ensure_single_instance(folder, err, probe_timeout=0.2) == ExitCode.REFUSED
        assert "does not answer commands" in err.getvalue()
    finally:
        holder.stop()
