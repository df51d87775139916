"""What movebreak costs while it waits, beside the floor: a bare tray icon with a menu.

One run brings up the private test desktop (``tests/desktop/harness.py``: a D-Bus bus,
Xvfb, trayer, dunst) and measures, one program at a time so they never share pages:

* **floor (gtk)**: ``bench/floor_tray.py``, a pystray icon with a small menu on the gtk
  backend: what any tray app with a menu costs here;
* **movebreak**: ``python -m movebreak`` as a user runs it: defaults (idle detection
  and the scheduler included) plus a calendar refreshed every 15 min from a small .ics;
* optionally (``--xorg``) **floor (xorg)**: the same icon on the menu-less backend.

For each: time from start to the icon docked (the harness's tray icon finder, polled
every 10 ms), then after ``--settle`` seconds, over a ``--window``: PSS and USS, CPU
time, context switches and forks of its whole process tree (see ``procfs``). After
movebreak's window it runs a routine (``movebreak start reset``, then ``movebreak
done``) and measures memory again: the timer window is a child process, so memory
must come back to where it was, with no process left behind. Every figure is the
median of ``--runs`` runs, each on a fresh desktop.

Run: ``.venv/bin/python bench/idle_cost.py`` (defaults: 20 s settle, 60 s window,
3 runs, about 10 minutes; 15 with ``--xorg``); a quick look: ``--settle 5 --window 15
--runs 1``. ``--user away`` lets nobody touch the mouse (use ``--settle 150`` so the
user counts as away before the window starts). ``--user untouched`` measures the state
of issue 15: the display never receives input at all, neither before the app starts
nor after, and every program starts only once the display has been idle past
movebreak's ``[away] natural_break`` (2 min by default), so movebreak is away from its
first look ("Away since HH:MM: a natural break" in its tray title, which the run
checks before the window) and the window measures that state from its start.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import procfs
from desktop_user import BENCH, compile_like_an_install, prime_display, spend, wait_docked
from harness import MOVEBREAK, AppHandle, Desktop
from idle_report import APP, FLOOR, print_report


@dataclass(frozen=True)
class Subject:
    """A program to measure: how to start it, and with what environment and config."""

    name: str
    args: tuple[str, ...]
    env: dict[str, str] = field(default_factory=dict)
    movebreak: bool = False


@dataclass
class Figures:
    """One subject's figures from one run."""

    dock_s: float
    pss: int
    uss: int
    processes: int
    cpu_percent: float
    cpu_ticks: int
    switches_per_s: float
    forks_per_min: float
    busiest_threads: list[str]
    fork_method: str
    after_routine: dict[str, Any] | None = None
    title: str = ""  # the tray icon's title when the window started


def small_calendar(now: datetime) -> str:
    """An .ics with a video call, an audio-only call and a lunch this week."""
    day = now.astimezone(UTC).date()
    events = [("video", "Design review", "LOCATION:https://meet.google.com/abc-defg-hij", 10),
              ("audio", "Supplier call", "LOCATION:tel:+15550100", 14),
              ("lunch", "Lunch", "LOCATION:Canteen", 12)]
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//movebreak bench//EN"]
    for offset in range(-1, 6):
        date = day + timedelta(days=offset)
        for uid, summary, location, hour in events:
            stamp = f"{date:%Y%m%d}T{hour:02d}"
            lines += ["BEGIN:VEVENT", f"UID:{uid}-{date:%Y%m%d}@bench", "DTSTAMP:20260101T000000Z",
                      f"DTSTART:{stamp}0000Z", f"DTEND:{stamp}3000Z", f"SUMMARY:{summary}",
                      location, "END:VEVENT"]
    return "\r\n".join([*lines, "END:VCALENDAR", ""])


def movebreak_config(ics: Path) -> str:
    """The defaults, plus one local calendar refreshed on the default interval."""
    return (f'[calendar]\nrefresh = "15m"\n\n[[calendar.sources]]\nname = "work"\n'
            f'path = "{ics}"\n')


NATURAL_BREAK_S = 120.0  # movebreak's default [away] natural_break
UNTOUCHED_MARGIN_S = 5.0


def display_idle(desktop: Desktop) -> float:
    """Seconds since the display last saw input (MIT-SCREEN-SAVER, as movebreak reads it)."""
    return desktop.x.screen().root.screensaver_query_info().idle / 1000.0


def wait_untouched(desktop: Desktop, seconds: float) -> None:
    """Let the display sit without input until it has been idle ``seconds``."""
    left = seconds - display_idle(desktop)
    if left > 0:
        print(f"untouched: waiting {left:.0f} s for the display to be idle {seconds:.0f} s",
              flush=True)
        time.sleep(left)


def tray_title(desktop: Desktop) -> str:
    """The docked icon's title (one program is measured at a time)."""
    return next((i.name or "" for i in desktop.tray_icons() if i.viewable), "")


def idle_window(desktop: Desktop, root: int, window: float, user: str) -> dict[str, Any]:
    """CPU, context switches and forks of the tree over ``window`` seconds."""
    watch = procfs.ForkWatch([root])
    watch.start()
    first = procfs.thread_switches(root)
    last = dict(first)
    ticks = procfs.cpu_ticks(root)
    started = time.monotonic()
    # A thread that ends inside the window keeps the last count seen of it.
    spend(desktop, window, user == "active", lambda: last.update(procfs.thread_switches(root)))
    spent = procfs.elapsed(started)
    ticks = procfs.cpu_ticks(root) - ticks
    forks = watch.stop()[root]
    per_thread = {key: count - first.get(key, 0) for key, count in last.items()}
    names = procfs.thread_names(root)
    busiest = sorted(((n, k[0]) for k, n in per_thread.items() if n), reverse=True)[:5]
    return {
        "cpu_ticks": ticks,
        "cpu_percent": ticks / procfs.CLOCK_TICKS / spent * 100,
        "switches_per_s": sum(per_thread.values()) / spent,
        "forks_per_min": forks / spent * 60,
        "busiest_threads": [f"{names.get(tid, '?')}[{tid}]: {n}" for n, tid in busiest],
        "fork_method": watch.method,
    }


def control(app: AppHandle, *words: str) -> None:
    """``movebreak WORDS`` against the running app, as a user types it."""
    done = subprocess.run([*MOVEBREAK, *words], env=app.env, capture_output=True, text=True,
                          timeout=30, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"movebreak {' '.join(words)}: {done.returncode} {done.stderr}")


def wait_processes(root: int, want: int, timeout: float) -> float | None:
    """Seconds until the tree has ``want`` processes; None if it never does."""
    started = time.monotonic()
    while procfs.elapsed(started) < timeout:
        if len(procfs.tree(root)) == want:
            return procfs.elapsed(started)
        time.sleep(0.02)
    return None


def after_routine(desktop: Desktop, app: AppHandle, settle: float, user: str) -> dict[str, Any]:
    """Memory while a routine runs and after it ended: the timer window must be gone."""
    before = procfs.memory(app.pid)
    control(app, "start", "reset")
    opened = wait_processes(app.pid, before.processes + 1, 15)
    during = procfs.memory(app.pid)
    control(app, "done")
    closed = wait_processes(app.pid, before.processes, 15)
    spend(desktop, settle, user == "active")
    after = procfs.memory(app.pid)
    return {"before_pss": before.pss, "during_pss": during.pss, "during_processes":
            during.processes, "window_opened_s": opened, "window_gone_s": closed,
            "after_pss": after.pss, "after_uss": after.uss, "after_processes": after.processes,
            "processes_before": before.processes}


def measure(desktop: Desktop, subject: Subject, args: argparse.Namespace,
            config: str | None) -> Figures:
    """Start ``subject`` alone on the desktop, measure it, stop it."""
    started = time.monotonic()
    app = desktop.start_app(list(subject.args), subject.env, config, name=subject.name)
    try:
        dock = wait_docked(desktop, started)
        spend(desktop, args.settle, args.user == "active")
        title = tray_title(desktop)
        if subject.movebreak and args.user == "untouched" and "Away since" not in title:
            raise RuntimeError(f"movebreak is not away before the window: {title!r}")
        idle = idle_window(desktop, app.pid, args.window, args.user)
        mem = procfs.memory(app.pid)
        routine = after_routine(desktop, app, args.after, args.user) if subject.movebreak else None
        if not app.running:
            raise RuntimeError(f"{subject.name} exited: {app.errors()[-2000:]}")
    finally:
        result = app.stop()
        with contextlib.suppress(Exception):
            desktop.wait_for_no_icon(timeout=5)
    if result.left_behind:
        print(f"  note: {subject.name} left {len(result.left_behind)} process(es) running")
    return Figures(dock_s=dock, pss=mem.pss, uss=mem.uss, processes=mem.processes,
                   after_routine=routine, title=title, **idle)


def subjects(with_xorg: bool) -> list[Subject]:
    floor = (sys.executable, str(BENCH / "floor_tray.py"))
    found = [Subject("floor (gtk)", floor, {"PYSTRAY_BACKEND": "gtk"}),
             Subject("movebreak", MOVEBREAK, {"PYSTRAY_BACKEND": "gtk"}, movebreak=True)]
    if with_xorg:
        found.append(Subject("floor (xorg)", floor, {"PYSTRAY_BACKEND": "xorg"}))
    return found


def run_once(number: int, args: argparse.Namespace) -> dict[str, Figures]:
    """One fresh desktop; every subject in turn (the order alternates between runs)."""
    order = subjects(args.xorg)
    if number % 2:
        order = order[1:2] + order[:1] + order[2:]
    figures: dict[str, Figures] = {}
    with Desktop() as desktop:
        prime_display(desktop)
        ics = desktop.tmp / "calendar.ics"
        ics.write_text(small_calendar(datetime.now(UTC)))
        for subject in order:
            if args.user == "untouched":
                wait_untouched(desktop, NATURAL_BREAK_S + UNTOUCHED_MARGIN_S)
            config = movebreak_config(ics) if subject.movebreak else None
            print(f"run {number + 1}: {subject.name} ...", flush=True)
            figures[subject.name] = measure(desktop, subject, args, config)
            f = figures[subject.name]
            print(f"  docked {f.dock_s:.3f} s, PSS {f.pss / 1e6:.1f} MB, CPU {f.cpu_percent:.3f} %"
                  f", {f.switches_per_s:.2f} switches/s, {f.forks_per_min:.1f} forks/min",
                  flush=True)
    return figures


def medians(runs: list[dict[str, Figures]]) -> dict[str, dict[str, Any]]:
    """The median of every numeric figure per subject (plus the last run's notes)."""
    result: dict[str, dict[str, Any]] = {}
    for name in runs[0]:
        rows = [asdict(r[name]) for r in runs]
        merged: dict[str, Any] = {}
        for key, value in rows[-1].items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                merged[key] = statistics.median(row[key] for row in rows)
            else:
                merged[key] = value
        routines = [row["after_routine"] for row in rows if row["after_routine"]]
        if routines:
            merged["after_routine"] = {k: statistics.median(r[k] for r in routines)
                                       if all(r[k] is not None for r in routines) else None
                                       for k in routines[0]}
        result[name] = merged
    return result


def gaps(runs: list[dict[str, Figures]]) -> dict[str, float]:
    """movebreak minus the gtk floor, run by run, then the median.

    PSS shares pages with whatever else maps the same libraries at that moment (other
    programs on a shared machine), so it moves between runs; both subjects of one run
    see the same neighbours, which makes the per-run difference the steadier figure.
    """
    keys = ("pss", "uss", "dock_s", "switches_per_s", "forks_per_min")
    return {key: statistics.median(getattr(r[APP], key) - getattr(r[FLOOR], key) for r in runs)
            for key in keys}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--settle", type=float, default=20.0, help="seconds before measuring")
    parser.add_argument("--window", type=float, default=60.0, help="seconds measured")
    parser.add_argument("--runs", type=int, default=3, help="runs (the median is printed)")
    parser.add_argument("--after", type=float, default=5.0,
                        help="seconds after a routine before memory is read again")
    parser.add_argument("--xorg", action="store_true", help="also the menu-less xorg floor")
    parser.add_argument("--user", choices=("active", "away", "untouched"), default="active",
                        help="active: the pointer moves every 10 s; away: nobody touches "
                             "it; untouched: the display never gets input, and each "
                             "program starts with the user already away")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    compile_like_an_install()
    runs = [run_once(n, args) for n in range(args.runs)]
    figures = medians(runs)
    machine = (f"{platform.platform(terse=True)}, {len(__import__('os').sched_getaffinity(0))}"
               f" cores, Python {platform.python_version()}; settle {args.settle:g} s, "
               f"window {args.window:g} s, user {args.user}, median of {args.runs} run(s)")
    print_report(figures, gaps(runs), machine)
    if args.json:
        args.json.write_text(json.dumps({"machine": machine, "figures": figures,
                                         "gaps": gaps(runs),
                                         "runs": [{k: asdict(v) for k, v in r.items()}
                                                  for r in runs]}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
