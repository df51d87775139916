"""``movebreak autostart enable | disable | status``: start at login, from the command line.

The words match the tray's "Start at login" item, and every "off" says who turned it
off and where to turn it on again, because "why does it not start?" is the question a
person has when they run ``status``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from movebreak.autostart.base import AutostartState, AutostartUnavailable
from movebreak.autostart.service import Autostart, for_platform


def add_autostart_parser(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    """Add ``autostart`` to the app's subcommands and return its parser."""
    parser = subparsers.add_parser(
        "autostart",
        help="start movebreak when you log in: enable, disable or show",
        description="Start movebreak at login. Once you disable it, movebreak never "
                    "turns it back on by itself.",
    )
    actions = parser.add_subparsers(dest="autostart_command", metavar="ACTION", required=True)
    actions.add_parser("enable", help="start movebreak at login (this install's command)")
    actions.add_parser("disable", help="do not start at login; remembered for good")
    status = actions.add_parser("status", help="show whether movebreak starts at login")
    status.add_argument("--json", action="store_true", help="print a JSON object")
    return parser


def describe(state: AutostartState, autostart: Autostart) -> str:
    """One line for a person: the state, and what to do about it."""
    backend = autostart.backend
    if state is AutostartState.ENABLED:
        return f"on: movebreak starts at login ({backend.location})"
    if state is AutostartState.DISABLED_BY_USER:
        return "off: you turned it off (`movebreak autostart enable` turns it on again)"
    if state is AutostartState.DISABLED_BY_SYSTEM:
        return (f"off: switched off in {backend.system_switch}; turn it on there "
                f"(entry: {backend.location})")
    return "not set: movebreak does not start at login (`movebreak autostart enable`)"


def run_autostart(
    args: argparse.Namespace,
    *,
    autostart: Autostart | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run one ``autostart`` action; 0 when the result is what was asked for."""
    out = out or sys.stdout
    err = err or sys.stderr
    if autostart is None:
        from movebreak.storage.paths import AppPaths

        try:
            autostart = for_platform(AppPaths.for_user().data_dir)
        except AutostartUnavailable as error:
            print(f"movebreak: Start at login is unavailable here: {error}", file=err)
            return 1
    action = args.autostart_command
    try:
        if action == "enable":
            state = autostart.enable()
        elif action == "disable":
            state = autostart.disable()
        else:
            state = autostart.status()
    except OSError as error:
        print(f"movebreak: autostart {action} failed: {error}", file=err)
        return 1
    if action == "status" and getattr(args, "json", False):
        print(json.dumps({
            "state": state.value,
            "backend": autostart.backend.name,
            "location": autostart.backend.location,
            "command": list(autostart.command),
            "should_offer": state is AutostartState.NOT_SET,
        }, indent=2), file=out)
        return 0
    print(describe(state, autostart), file=out)
    if action == "enable":
        return 0 if state is AutostartState.ENABLED else 1
    return 0
