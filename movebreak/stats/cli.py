"""``movebreak stats``: the history as a table, JSON, CSV or a chart.

A thin adapter: it reads rows through the history store, hands them to the pure
``movebreak.core.stats``, and formats the result. The chart module (and so the
drawing part of Pillow) is imported only when ``--chart`` is given.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from movebreak.core.stats import DayStats, Summary, summarize, today_line
from movebreak.history import HistoryError, HistoryStore
from movebreak.storage.atomic import write_atomic

# The streak looks back this far; a longer streak shows as this many days.
STREAK_LOOKBACK_DAYS = 400
MAX_DAYS = 366
CSV_FIELDS = (
    "date",
    "prompted",
    "done",
    "snoozed",
    "skipped",
    "missed",
    "unanswered",
    "minutes_moved",
    "morning_prompted",
    "morning_done",
)


def add_stats_parser(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    """Add the ``stats`` sub-command to ``subparsers`` (from ``add_subparsers()``)."""
    parser = subparsers.add_parser(
        "stats",
        help="show how many breaks you took, as a table, JSON, CSV or a chart",
        description=(
            "Per day: resets done of prompted, minutes moved, and the morning routine; "
            "then the morning streak and this week's completion rate."
        ),
    )
    parser.add_argument(
        "--days", type=_day_count, default=7, metavar="N", help="days to show (default 7)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--csv", type=Path, metavar="FILE", help="also write the days as CSV")
    parser.add_argument(
        "--chart", type=Path, metavar="FILE.png", help="also draw the days as a PNG chart"
    )
    return parser


def run_stats(
    args: argparse.Namespace,
    history_path: Path,
    *,
    now: datetime | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run ``movebreak stats``; return the exit status (0 fine, 1 failed).

    ``now`` (aware, local) and the streams are injectable for tests.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    today = (now or datetime.now().astimezone()).date()
    try:
        summary = load_summary(history_path, today, args.days)
    except HistoryError as error:
        print(f"movebreak stats: {error}", file=err)
        return 1
    if args.json:
        out.write(json.dumps(summary_json(summary, today), indent=2) + "\n")
    else:
        out.write(summary_text(summary, history_path.exists()))
    outputs: list[tuple[Path, Callable[[], bytes]]] = []
    if args.csv:
        outputs.append((args.csv, lambda: summary_csv(summary).encode("utf-8")))
    if args.chart:
        outputs.append((args.chart, lambda: _chart_png(summary)))
    status = 0
    for path, produce in outputs:
        try:
            # Private (0600): the file describes the user's days.
            write_atomic(path, produce(), private=True, create_folder=False)
        except OSError as error:
            print(f"movebreak stats: cannot write {path}: {error.strerror or error}", file=err)
            status = 1
        else:
            print(f"movebreak stats: wrote {path}", file=err)
    return status


def load_summary(history_path: Path, today: date, days: int) -> Summary:
    """Read enough history for the days and the streak, and summarise it."""
    if not history_path.exists():
        return summarize([], today, days=days)
    since = today - timedelta(days=max(days, STREAK_LOOKBACK_DAYS))
    with HistoryStore.open(history_path) as store:
        events = store.events(since=since, until=today)
    return summarize(events, today, days=days)


def summary_json(summary: Summary, today: date) -> dict[str, Any]:
    """The JSON document; field names are part of the interface, keep them stable."""
    monday = today - timedelta(days=today.weekday())
    return {
        "today": today.isoformat(),
        "today_line": today_line(summary.today),
        "days": [_day_dict(day) for day in summary.days],
        "morning_streak_days": summary.streak,
        "week": {
            "from": monday.isoformat(),
            "to": today.isoformat(),
            "done": summary.week_done,
            "prompted": summary.week_prompted,
            "completion_rate": (None if summary.week_rate is None else round(summary.week_rate, 3)),
        },
    }


def summary_csv(summary: Summary) -> str:
    """One row per day, with a header."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for day in summary.days:
        writer.writerow(_day_dict(day))
    return buffer.getvalue()


def summary_text(summary: Summary, have_history: bool) -> str:
    """The table people read in a terminal."""
    lines = [] if have_history else ["No history yet: it fills as movebreak prompts you.", ""]
    lines.append(
        f"{'day':<12}{'resets':>10}{'snoozed':>9}{'skipped':>9}{'missed':>8}{'minutes':>9}  morning"
    )
    for day in summary.days:
        resets = f"{day.done} of {day.prompted}" if day.prompted else "–"
        morning = "done" if day.morning_done else ("not done" if day.morning_prompted else "–")
        lines.append(
            f"{day.day:%a %d %b}  {resets:>10}{day.snoozed:>9}{day.skipped:>9}"
            f"{day.missed + day.unanswered:>8}{day.minutes_moved:>9.1f}  {morning}"
        )
    lines.append("")
    plural = "day" if summary.streak == 1 else "days"
    lines.append(
        f"Morning streak: {summary.streak} {plural} "
        "(workdays count; weekends and days off never break it)"
    )
    rate = summary.week_rate
    rate_text = "no resets yet" if rate is None else f"{round(100 * rate)} %"
    lines.append(
        f"This week: {summary.week_done} of {summary.week_prompted} resets done ({rate_text})"
    )
    lines.append(today_line(summary.today))
    return "\n".join(lines) + "\n"


def _chart_png(summary: Summary) -> bytes:
    from movebreak.stats.chart import chart_png  # Pillow drawing only when asked for

    return chart_png(summary)


def _day_dict(day: DayStats) -> dict[str, Any]:
    data = asdict(day)
    data["date"] = data.pop("day").isoformat()
    return {key: data[key] for key in CSV_FIELDS}


def _day_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of days, got {text!r}") from None
    if not 1 <= value <= MAX_DAYS:
        raise argparse.ArgumentTypeError(f"expected 1 to {MAX_DAYS} days, got {value}")
    return value
