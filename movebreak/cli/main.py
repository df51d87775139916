"""Command-line entry point: ``movebreak`` runs the tray app; subcommands inspect and set up.

Subcommands import only what they need, so ``movebreak next`` answers quickly and
never touches the display. A plain start (what autostart and the menu entry run)
does not even import argparse: its few words are read directly (``_plain_start``).
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from movebreak import __version__
from movebreak.config.errors import ConfigError
from movebreak.i18n import language
from movebreak.process import HIDDEN_RUN
from movebreak.storage.paths import AppPaths

if TYPE_CHECKING:
    import argparse

    from movebreak.config.model import Config
    from movebreak.core.agenda import Meeting

# The words of a plain start; anything else (--help, a subcommand) goes to argparse.
_APP_WORDS = frozenset({"run", "-v", "-vv", "-vvv", "--verbose", "--no-tray"})


def _plain_start(argv: list[str]) -> tuple[int, bool] | None:
    """(verbosity, tray wanted) when ``argv`` is a plain start, else None.

    Reads the same words argparse would (``-v`` counts, ``run`` is the default
    command), saving its import (~0.25 MB and a few ms) on every login.
    """
    if not set(argv) <= _APP_WORDS:
        return None
    verbose = sum(w.count("v") for w in argv if w.startswith("-v")) + argv.count("--verbose")
    return verbose, "--no-tray" not in argv


def _parser() -> argparse.ArgumentParser:
    """Every command. The subcommands' modules are imported here, so only when used."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="movebreak",
        description=(
            "A tray app that prompts you to move: two-minute resets, a morning routine, "
            "and standing up in audio-only calls. With no command it starts the tray app."
        ),
    )
    parser.add_argument("--version", action="version", version=f"movebreak {__version__}")
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="log to stderr too (-vv for debug detail)",
    )
    parser.add_argument(
        "--no-tray", action="store_true", help="run without a tray icon: notifications only"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("run", help="start the tray app (the default)")

    nxt = sub.add_parser("next", help="print the coming prompts")
    nxt.add_argument("--days", type=int, default=1, help="how many days ahead (default 1)")
    nxt.add_argument(
        "--from",
        dest="start",
        metavar="ISO",
        help="plan from this date/time instead of now (ignores saved snoozes)",
    )
    nxt.add_argument(
        "--no-calendar",
        action="store_true",
        help="the bare timetable: leave out the calendars' meetings and calls",
    )
    nxt.add_argument("--json", action="store_true", help="print a JSON array")

    cfg = sub.add_parser("config", help="create, check or locate the config file")
    cfg_sub = cfg.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    init = cfg_sub.add_parser("init", help="write a commented config file holding the defaults")
    init.add_argument("path", nargs="?", type=Path)
    init.add_argument("--force", action="store_true", help="overwrite an existing file")
    check = cfg_sub.add_parser("check", help="validate a config file; exit 1 on problems")
    check.add_argument("path", nargs="?", type=Path)
    cfg_sub.add_parser("path", help="print where the config file lives")

    sub.add_parser("paths", help="print where config, data, cache and logs live")

    from movebreak.autostart.cli import add_autostart_parser
    from movebreak.calendar.cli import add_meetings_parser
    from movebreak.control.cli import add_control_parsers
    from movebreak.stats.cli import add_stats_parser

    add_autostart_parser(sub)
    add_meetings_parser(sub)
    add_stats_parser(sub)
    add_control_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == [HIDDEN_RUN]:  # a frozen app starting one of its helper processes
        return _run_module(argv[1])
    plain = _plain_start(argv)
    if plain is not None:  # the common start: skip the subcommands' imports (~90 ms)
        return _run(AppPaths.for_user(), *plain)
    args = _parser().parse_args(argv)
    try:
        return _command(args)
    except BrokenPipeError:
        return _reader_left()


def _reader_left() -> int:
    """The reader of our output went away (``movebreak meetings --json | head``): end
    quietly. stdout is pointed at /dev/null so the interpreter's last flush cannot fail
    and print a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 0


def _command(args: argparse.Namespace) -> int:
    from movebreak.control.cli import is_control_command, run_control

    if is_control_command(args):
        return run_control(args)
    paths = AppPaths.for_user()
    if args.command in (None, "run"):
        return _run(paths, args.verbose, not args.no_tray)
    if args.command == "next":
        return _next(args, paths)
    if args.command == "config":
        return _config(args, paths)
    if args.command == "autostart":
        from movebreak.autostart.cli import run_autostart

        return run_autostart(args)
    if args.command == "stats":
        from movebreak.stats.cli import run_stats

        return run_stats(args, paths.history_db)
    if args.command == "meetings":
        return _meetings(args, paths)
    if args.command == "paths":
        for label, path in paths.describe():
            print(f"{label:7} {path}")
        return 0
    return 2


def _run_module(name: str) -> int:
    """Run a helper module's ``main()`` (only our own: the timer window, the calendar worker)."""
    import importlib

    if name not in ("movebreak.guide.window", "movebreak.calendar"):
        print(f"movebreak: no such helper {name!r}", file=sys.stderr)
        return 2
    module = importlib.import_module(name if name != "movebreak.calendar" else
                                     "movebreak.calendar.worker")
    return int(module.main())


def _run(paths: AppPaths, verbose: int, want_tray: bool) -> int:
    from movebreak.app.memory import share_one_malloc_arena

    share_one_malloc_arena()  # before any thread starts
    from movebreak.control.errors import ControlError
    from movebreak.control.instance import ensure_single_instance

    try:
        server = ensure_single_instance()  # first: a second instance stops here
    except ControlError as error:
        print(f"movebreak: {error}", file=sys.stderr)
        return 1
    if isinstance(server, int):
        return server
    from movebreak.app.launch import Launcher
    from movebreak.logs import setup_logging

    setup_logging(paths.log_file, verbose)
    return Launcher(paths, server, want_tray).run()


def _next(args: argparse.Namespace, paths: AppPaths) -> int:
    from movebreak.app.zone import resolve_timezone
    from movebreak.config.loader import load_config
    from movebreak.core.engine import Engine
    from movebreak.core.state import TimetableState
    from movebreak.storage.state_store import load_state

    try:
        config = load_config(paths.config_file)
    except ConfigError as error:
        print(error.text(language()), file=sys.stderr)
        return 1
    tz = resolve_timezone(config)
    if args.start:
        now = datetime.fromisoformat(args.start)
        now = now.replace(tzinfo=tz) if now.tzinfo is None else now
        state = TimetableState()
    else:
        now = datetime.now(UTC)
        state = load_state(paths.state_file)
    until = now + timedelta(days=max(0, args.days))
    meetings = () if args.no_calendar else _meetings_for_next(config, paths, tz, now, until)
    engine = Engine(config, tz, meetings)
    prompts = engine.upcoming(state, now, until)
    if args.json:
        import json

        print(
            json.dumps(
                [
                    {
                        "at": p.at.astimezone(tz).isoformat(timespec="seconds"),
                        "routine": p.routine,
                        "title": config.routine(p.routine).title,
                        "reason": p.reason,
                    }
                    for p in prompts
                ],
                indent=2,
            )
        )
        return 0
    if not prompts:
        words = language()
        print(words.ngettext("Nothing planned in the next {count} day.",
                             "Nothing planned in the next {count} days.",
                             args.days).format(count=args.days))
    for p in prompts:
        print(
            f"{p.at.astimezone(tz):%a %Y-%m-%d %H:%M}  {config.routine(p.routine).title:24} "
            f"({p.reason})"
        )
    return 0


def _meetings_for_next(
    config: Config, paths: AppPaths, tz: tzinfo, now: datetime, until: datetime
) -> tuple[Meeting, ...]:
    """The meetings the running app would plan with: the configured sources, loaded by
    the same worker and filtered the same way, from the start of today (a call that
    began before ``now`` still holds or cues prompts). Warnings go to stderr."""
    if not config.calendar.sources:
        return ()
    from movebreak.app.calendar_feed import meetings_from
    from movebreak.calendar.worker import load_in_subprocess

    start = datetime.combine(now.astimezone(tz).date(), time(), tzinfo=tz)
    result = load_in_subprocess(config.calendar, paths.cache_dir / "calendar", start,
                                max(until, start + timedelta(days=1)), tz, now=now)
    for warning in result.warnings:
        print(language().gettext("warning: {warning}").format(warning=warning), file=sys.stderr)
    return meetings_from(result)


def _meetings(args: argparse.Namespace, paths: AppPaths) -> int:
    from movebreak.app.zone import resolve_timezone
    from movebreak.calendar.cli import run_meetings
    from movebreak.config.loader import load_config

    try:
        config = load_config(paths.config_file)
    except ConfigError as error:
        print(error.text(language()), file=sys.stderr)
        return 1
    return run_meetings(args, lambda: config.calendar, cache_dir=paths.cache_dir / "calendar",
                        tz=resolve_timezone(config))


def _config(args: argparse.Namespace, paths: AppPaths) -> int:
    from movebreak.config.loader import builtin_text, load_config
    from movebreak.storage.atomic import write_atomic

    if args.config_command == "path":
        print(paths.config_file)
        return 0
    target: Path = args.path or paths.config_file
    words = language()
    if args.config_command == "init":
        if target.exists() and not args.force:
            print(words.gettext("{path} exists already; use --force to replace it").format(
                path=target), file=sys.stderr)
            return 1
        write_atomic(target, builtin_text("config.toml"), private=True)  # may get feed tokens
        print(words.gettext("wrote {path}").format(path=target))
        return 0
    if not target.exists():
        print(words.gettext("{path}: no such file (the app runs on its built-in defaults)")
              .format(path=target), file=sys.stderr)
        return 1
    try:
        config = load_config(target)
    except ConfigError as error:
        for problem in error.problems:
            print(problem.text(words))
        return 1
    for note in config.notes:  # usable, but a detail is lost (a step's picture)
        print(note.text(words))
    if config.notes:
        print(words.gettext("{path}: OK (with the warnings above)").format(path=target))
    else:
        print(words.gettext("{path}: OK").format(path=target))
    return 0
