"""``movebreak status | start | snooze | skip | done | pause | resume | quit``, and the
single-instance check ``movebreak`` (run) makes first.

Exit codes, for scripts: 0 done; 1 the app refused or failed (unknown routine, no
answer in time); 2 a bad argument (caught before anything is sent); 3 movebreak is
not running. A second ``movebreak`` exits 0 when it finds one running and answering
(what the user wanted, one running app, is true; an autostart entry or a
``Restart=on-failure`` unit must not treat it as a crash), and 1 when the running
one holds the lock but does not answer.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from enum import IntEnum
from pathlib import Path
from typing import Any, Protocol, TextIO

from movebreak.control.client import DEFAULT_TIMEOUT, send
from movebreak.control.errors import AlreadyRunning, ControlError, NotRunning
from movebreak.control.protocol import UNTIL_TOMORROW, Command, ProtocolError, make_request
from movebreak.control.target import ControlTarget
from movebreak.core.durations import format_duration


class ExitCode(IntEnum):
    OK = 0
    REFUSED = 1
    USAGE = 2
    NOT_RUNNING = 3


# What ``movebreak`` (run) returns when an instance is already running and answering.
ALREADY_RUNNING_EXIT = ExitCode.OK
STUCK_INSTANCE_EXIT = ExitCode.REFUSED


class InstanceServer(Protocol):
    """The control server of either platform: the lock, then the listener."""

    def bind(self) -> None: ...

    def start(self, target: ControlTarget) -> InstanceServer: ...

    def stop(self) -> None: ...


def add_control_parsers(subparsers: argparse._SubParsersAction) -> None:
    """Add the control commands; each parser sets ``args.control`` to its Command."""

    def add(command: Command, help_text: str) -> argparse.ArgumentParser:
        parser = subparsers.add_parser(command.value, help=help_text, description=help_text)
        parser.set_defaults(control=command)
        return parser

    status = add(Command.STATUS, "what is next, what runs, paused or not (of the running app)")
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    start = add(Command.START, "start a routine now: reset, morning or any routine id")
    start.add_argument("routine", metavar="ROUTINE")
    snooze = add(Command.SNOOZE, "snooze the prompt that is due, e.g. `snooze 10m`")
    snooze.add_argument("length", metavar="DURATION")
    add(Command.SKIP, "skip the prompt that is due")
    add(Command.DONE, "mark the prompt (or the running routine) done")
    pause = add(Command.PAUSE, f"hold every prompt: `pause 1h` or `pause {UNTIL_TOMORROW}`")
    pause.add_argument("length", metavar=f"DURATION|{UNTIL_TOMORROW}")
    add(Command.RESUME, "end a pause")
    add(Command.QUIT, "quit the running app")


def is_control_command(args: argparse.Namespace) -> bool:
    return isinstance(getattr(args, "control", None), Command)


def run_control(
    args: argparse.Namespace,
    folder: Path | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> int:
    """Send the command in ``args`` to the running app and print what happened."""
    out, err = out or sys.stdout, err or sys.stderr
    command: Command = args.control
    argument = getattr(args, "routine", None) or getattr(args, "length", None)
    try:
        request = make_request(command, argument)
    except ProtocolError as error:
        print(f"movebreak: {error.message}", file=err)
        return ExitCode.USAGE
    try:
        reply = send(request, folder, timeout)
    except NotRunning as error:
        print(error, file=err)
        return ExitCode.NOT_RUNNING
    except ControlError as error:
        print(f"movebreak {command.value}: {error}", file=err)
        return ExitCode.REFUSED
    if not reply.ok:
        print(f"movebreak {command.value}: {reply.message}", file=err)
        return ExitCode.REFUSED
    if command is Command.STATUS:
        if getattr(args, "json", False):
            print(json.dumps(reply.data, indent=2), file=out)
        else:
            print("\n".join(describe_status(reply.data)), file=out)
        return ExitCode.OK
    print(confirmation(command, argument, reply.data.get("status") or {}), file=out)
    return ExitCode.OK


def confirmation(command: Command, argument: str | None, status: dict[str, Any]) -> str:
    """One line saying what the command did, then what the tray now says."""
    if command is Command.START:
        running = status.get("running")
        title = running.get("title") if isinstance(running, dict) else None
        said = f"Started {title or argument}."
    elif command in (Command.SNOOZE, Command.PAUSE) and argument not in (None, UNTIL_TOMORROW):
        length = make_request(command, argument).length
        verb = "Snoozed" if command is Command.SNOOZE else "Paused"
        said = f"{verb} for {format_duration(length) if length else argument}."
    else:
        said = {
            Command.PAUSE: "Paused until tomorrow.",
            Command.SKIP: "Skipped.",
            Command.DONE: "Marked done.",
            Command.RESUME: "Resumed.",
            Command.QUIT: "movebreak is quitting.",
        }.get(command, "OK.")
    headline = status.get("headline")
    return f"{said} {headline}" if isinstance(headline, str) and headline else said


def _when(text: object) -> str:
    if not isinstance(text, str):
        return "?"
    try:
        return f"{datetime.fromisoformat(text):%a %Y-%m-%d %H:%M}"
    except ValueError:
        return text


def describe_status(report: dict[str, Any]) -> list[str]:
    """``movebreak status`` in words, from whatever keys the app reported."""
    lines: list[str] = []
    if isinstance(report.get("headline"), str):
        lines.append(report["headline"])
    if isinstance(report.get("state"), str):
        lines.append(f"state:   {report['state']}")
    upcoming = report.get("next")
    if isinstance(upcoming, dict):
        title = upcoming.get("title") or upcoming.get("routine")
        lines.append(f"next:    {title} at {_when(upcoming.get('at'))}")
    running = report.get("running")
    if isinstance(running, dict):
        progress = running.get("progress")
        done = f" ({round(progress * 100)}% done)" if isinstance(progress, int | float) else ""
        lines.append(f"running: {running.get('title') or running.get('routine')}{done}")
    if report.get("paused_until"):
        lines.append(f"paused:  until {_when(report['paused_until'])}")
    elif report.get("paused") is True:
        lines.append("paused:  yes")
    return lines or ["movebreak is running."]


def control_server(folder: Path | None = None, probe_timeout: float = 1.0) -> InstanceServer:
    """This platform's control server (not yet bound)."""
    if sys.platform == "win32":
        from movebreak.control.windows_pipe import PipeServer

        return PipeServer()
    from movebreak.control.server import ControlServer, Limits

    return ControlServer(folder, Limits(probe_timeout=probe_timeout))


def ensure_single_instance(
    folder: Path | None = None, err: TextIO | None = None, probe_timeout: float = 1.0
) -> InstanceServer | int:
    """Take the single-instance lock before anything else starts.

    Returns the bound server (call ``start(app)`` once the app exists, ``stop()``
    at exit), or, when another instance owns the lock, prints one line and returns
    the exit code for ``movebreak`` to return. ``probe_timeout`` bounds the wait
    for the running one to answer ``ping``. A folder that cannot be made private
    raises ControlError with the reason.
    """
    server = control_server(folder, probe_timeout)
    try:
        server.bind()
    except AlreadyRunning as running:
        print(running, file=err or sys.stderr)
        return ALREADY_RUNNING_EXIT if running.answering else STUCK_INSTANCE_EXIT
    return server
