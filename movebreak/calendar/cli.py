"""``movebreak meetings``: list what the calendars hold in a window, and how it is judged.

A person debugging "why did it prompt me during my call?" needs to see every
occurrence with its kind and reason; ``--json`` gives the same to scripts and tests.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import TextIO

from movebreak.core.meeting_facts import MeetingKind, first_line, neutralise

from .models import LoadResult, Occurrence
from .settings import CalendarSettings, SourceSettings, normalise_address

SettingsLoader = Callable[[], CalendarSettings]
TITLE_LIMIT = 80


def add_meetings_parser(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    """Add ``meetings`` to the app's subcommands and return its parser."""
    parser = subparsers.add_parser(
        "meetings",
        help="list calendar occurrences and how each is classified",
        description="List occurrences in a window (default: today) with their kind and reason.",
    )
    parser.add_argument("--from", dest="start", metavar="ISO",
                        help="start of the window: a date or date-time (default: today 00:00)")
    parser.add_argument("--to", dest="end", metavar="ISO",
                        help="end of the window (default: one day after --from)")
    parser.add_argument("--ics", action="append", type=Path, metavar="PATH", default=[],
                        help="read only this .ics file or folder (repeatable)")
    parser.add_argument("--me", action="append", metavar="ADDRESS", default=[],
                        help="your e-mail address, to spot events you declined (repeatable)")
    parser.add_argument("--all", action="store_true",
                        help="also list what is not a meeting (cancelled, declined, free, all-day)")
    parser.add_argument("--json", action="store_true", help="print a JSON array")
    return parser


def _local_tz() -> tzinfo:
    try:
        import tzlocal

        return tzlocal.get_localzone()
    except Exception:  # no zone configured: the offset the OS reports still works
        local = datetime.now().astimezone().tzinfo
        assert local is not None
        return local


def _when(text: str, tz: tzinfo, name: str) -> datetime:
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(), tz)
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{name}: expected an ISO date or date-time, got {text!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=tz)


def window(
    start: str | None, end: str | None, tz: tzinfo, now: datetime
) -> tuple[datetime, datetime]:
    """The ``--from``/``--to`` window; today in ``tz`` when neither is given."""
    today = datetime.combine(now.astimezone(tz).date(), time(), tz)
    begin = _when(start, tz, "--from") if start else today
    finish = _when(end, tz, "--to") if end else begin + timedelta(days=1)
    if finish <= begin:
        raise ValueError("--to must be after --from")
    return begin, finish


def _line(o: Occurrence) -> str:
    """One occurrence for a terminal: event text is anyone's, so controls are neutralised."""
    if o.all_day:
        when = f"{o.start:%Y-%m-%d}  all day    "
    else:
        when = f"{o.start:%Y-%m-%d}  {o.start:%H:%M}-{o.end:%H:%M}"
    link = f"  <{neutralise(o.link)}>" if o.link else ""
    title = first_line(o.summary, TITLE_LIMIT) or "(no title)"
    return f"{when}  {o.kind.value:<9}  {title} — {neutralise(o.reason)}{link}"


def _unreadable(paths: list[Path]) -> list[str]:
    """Why each ``--ics`` path named on the command line cannot be read."""
    problems = []
    for path in paths:
        target = path.expanduser()
        if not target.exists():
            problems.append(f"{path}: no such file or folder")
        elif not os.access(target, os.R_OK):
            problems.append(f"{path}: not readable")
    return problems


def _json_item(o: Occurrence) -> dict[str, object]:
    full = o.to_json_dict()
    keys = ("uid", "recurrence_id", "start", "end", "summary", "kind", "reason", "link")
    return {k: full[k] for k in keys}


def run_meetings(
    args: argparse.Namespace,
    load_settings: SettingsLoader = CalendarSettings,
    *,
    cache_dir: Path | None = None,
    tz: tzinfo | None = None,
    now: datetime | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Print the occurrences; 0 on success, 2 on a bad argument or an unreadable ``--ics``.

    ``--ics`` replaces the configured sources (rules and addresses still apply);
    ``--me`` adds addresses. Warnings go to stderr so ``--json`` output stays clean.
    """
    from .load import load_occurrences

    out = out or sys.stdout
    err = err or sys.stderr
    tz = tz or _local_tz()
    now = now or datetime.now(tz)
    try:
        start, end = window(args.start, args.end, tz, now)
    except ValueError as error:
        print(f"movebreak meetings: {error}", file=err)
        return 2
    problems = _unreadable(args.ics)
    if problems:  # a file the user named is not a calendar that happens to be empty
        for problem in problems:
            print(f"movebreak meetings: {problem}", file=err)
        return 2
    settings = load_settings()
    if args.ics:
        sources = tuple(
            SourceSettings(name=p.stem or str(p), path=p.expanduser().resolve()) for p in args.ics
        )
        settings = dataclasses.replace(settings, sources=sources)
    if args.me:
        me = tuple(dict.fromkeys([*settings.me, *(normalise_address(a) for a in args.me)]))
        settings = dataclasses.replace(settings, me=me)
    if cache_dir is None and not args.ics and any(s.url for s in settings.sources):
        import platformdirs

        cache_dir = Path(platformdirs.user_cache_dir("movebreak")) / "calendar"
    result: LoadResult = load_occurrences(settings, cache_dir, start, end, tz, now=now)
    for warning in result.warnings:
        print(f"warning: {warning}", file=err)
    shown = [o for o in result.occurrences if args.all or o.kind is not MeetingKind.NONE]
    if args.json:
        json.dump([_json_item(o) for o in shown], out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif not shown:
        print("No meetings in this window." + ("" if args.all else " (--all shows the rest)"),
              file=out)
    else:
        for occurrence in shown:
            print(_line(occurrence), file=out)
    return 0
