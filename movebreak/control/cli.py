"""``movebreak status | start | snooze | skip | done | pause | resume | quit``.

Exit codes, for scripts: 0 done; 1 the app refused or failed (unknown routine, no
answer in time); 2 a bad argument (caught before anything is sent); 3 movebreak is
not running. The single-instance check of a plain ``movebreak`` lives in
``control/instance.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from enum import IntEnum
from pathlib import Path
from typing import Any, TextIO

from movebreak.control.client import DEFAULT_TIMEOUT, send
from movebreak.control.errors import ControlError, NotRunning
from movebreak.control.protocol import ProtocolError, make_request
from movebreak.core.commands import VERBS, Command, Pause, Snooze, Start, Status
from movebreak.core.durations import format_duration
from movebreak.core.words import Words
from movebreak.i18n import language


class ExitCode(IntEnum):
    OK = 0
    REFUSED = 1
    USAGE = 2
    NOT_RUNNING = 3


def add_control_parsers(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the control commands (each verb with help); each sets ``args.control`` to its verb."""
    for verb, kind in VERBS.items():
        if not (kind.remote and kind.help):
            continue
        parser = subparsers.add_parser(verb, help=kind.help, description=kind.help)
        parser.set_defaults(control=verb)
        if kind is Status:
            parser.add_argument("--json", action="store_true", help="print the status as JSON")
        elif kind.needs:
            parser.add_argument("argument", metavar=kind.metavar)


def is_control_command(args: argparse.Namespace) -> bool:
    return getattr(args, "control", None) in VERBS


def run_control(
    args: argparse.Namespace,
    folder: Path | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> int:
    """Send the command in ``args`` to the running app and print what happened."""
    out, err = out or sys.stdout, err or sys.stderr
    verb: str = args.control
    argument = getattr(args, "argument", None)
    try:
        command = make_request(verb, argument)
    except ProtocolError as error:
        print(f"movebreak: {error.message}", file=err)
        return ExitCode.USAGE
    try:
        reply = send(command, folder, timeout)
    except NotRunning as error:
        print(error, file=err)
        return ExitCode.NOT_RUNNING
    except ControlError as error:
        print(f"movebreak {verb}: {error}", file=err)
        return ExitCode.REFUSED
    if not reply.ok:
        print(f"movebreak {verb}: {reply.message}", file=err)
        return ExitCode.REFUSED
    if isinstance(command, Status):
        if getattr(args, "json", False):
            print(json.dumps(reply.data, indent=2), file=out)
        else:
            print("\n".join(describe_status(reply.data)), file=out)
        return ExitCode.OK
    print(confirmation(command, argument, reply.data.get("status") or {}), file=out)
    return ExitCode.OK


def confirmation(
    command: Command, argument: str | None, status: dict[str, Any], words: Words | None = None
) -> str:
    """One line saying what the command did, then what the tray now says."""
    say = words or language()
    if isinstance(command, Start):
        running = status.get("running")
        title = running.get("title") if isinstance(running, dict) else None
        said = say.gettext("Started {routine}.").format(routine=title or argument)
    elif isinstance(command, Snooze) and command.length is not None:
        said = say.gettext("Snoozed for {time}.").format(time=format_duration(command.length))
    elif isinstance(command, Pause) and command.length is not None:
        said = say.gettext("Paused for {time}.").format(time=format_duration(command.length))
    else:
        said = say.gettext(command.said)
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
