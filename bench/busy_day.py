"""Memory over a busy day, compressed: does movebreak stay flat prompt after prompt?

One run of the real app on the private test desktop (``tests/desktop/harness.py``),
with resets every ``--every`` at any hour and a calendar re-read every minute. Each
cycle waits for the next prompt to reach dunst, then answers it the way people do,
in turn: does the routine (``movebreak start reset``, the timer window opens, then
``movebreak done``), snoozes it, or skips it; every tenth cycle the config file is
saved again (a hot reload). After each cycle, once the timer window has gone, the
PSS of the app's whole process tree is read.

The figure that matters is the drift: the median of the last ten samples against
the median of cycles 6-15 (the first five warm up: the first routine loads the
guided session, the first snooze its parser), per prompt, and scaled to a working
day of ``PROMPTS_PER_DAY`` prompts (the defaults: a reset every 50 min over nine
hours, the morning routine, returns and snoozes). A few KB per prompt shows up as a
steady climb over 60 cycles, far above the samples' noise. The slope is also given
for each half of the measured cycles: a climb that slows down is the allocator
reaching its high-water mark, one that keeps its pace is a leak. All cycles fall on
one calendar day, so the tray's tally of the day (one small entry per prompt) keeps
growing: a harder case than a real day, which starts afresh each morning.

Run: ``.venv/bin/python bench/busy_day.py`` (60 cycles, resets every 8 s: about
10 minutes); ``--cycles 20`` for a quick look.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime

import procfs
from desktop_user import compile_like_an_install, nudge, prime_display, wait_docked
from harness import MOVEBREAK, AppHandle, Desktop
from idle_cost import control, small_calendar, wait_processes
from table import markdown, mb

ALL_DAY = ('[work]\ndays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]\n'
           'start = "00:00"\nend = "24:00"\n\n')
ANSWERS = ("routine", "snooze", "skip")
WARM_UP = 5
PROMPTS_PER_DAY = 15
DAY_TARGET_MB = 0.1
"""Flat over a day: at most 0.1 MB more at the end of a working day than at its start."""


def config_text(every: str, ics: str, saved: int) -> str:
    """Resets every ``every``; one calendar re-read every minute; a counter to resave."""
    return (f"# saved {saved} times\n" + ALL_DAY
            + f'[reset]\nevery = "{every}"\n\n[morning]\nenabled = false\n\n'
            + '[calendar]\nrefresh = "1m"\n\n[[calendar.sources]]\nname = "work"\n'
            + f'path = "{ics}"\n')


def answer(desktop: Desktop, app: AppHandle, how: str) -> None:
    """Answer the prompt that is due, as a person would, and wait for the app to settle."""
    if how == "routine":
        control(app, "start", "reset")
        if wait_processes(app.pid, 2, 15) is None:
            raise RuntimeError("the timer window never opened")
        nudge(desktop)
        control(app, "done")
    else:
        control(app, how, *(["3s"] if how == "snooze" else []))
    if wait_processes(app.pid, 1, 15) is None:
        raise RuntimeError("a process outlived the routine")


def run(args: argparse.Namespace) -> list[int]:
    """Every cycle's PSS (bytes) after it settled."""
    samples: list[int] = []
    with Desktop() as desktop:
        prime_display(desktop)
        ics = desktop.tmp / "calendar.ics"
        ics.write_text(small_calendar(datetime.now(UTC)))
        started = time.monotonic()
        app = desktop.start_app([*MOVEBREAK], {"PYSTRAY_BACKEND": ""},
                                config_text(args.every, str(ics), 0), name="movebreak")
        try:
            wait_docked(desktop, started)
            assert app.config_path is not None
            since = time.monotonic()
            for cycle in range(args.cycles):
                nudge(desktop)  # the user is at the desk: no prompt is held as "away"
                desktop.wait_for_notification(
                    lambda n, t=since: n.summary.startswith("2-minute reset")
                    and n.received_at > t, timeout=60)
                answer(desktop, app, ANSWERS[cycle % len(ANSWERS)])
                since = time.monotonic()
                if cycle % 10 == 9:
                    app.config_path.write_text(config_text(args.every, str(ics), cycle))
                time.sleep(0.5)
                samples.append(procfs.memory(app.pid).pss)
                print(f"cycle {cycle + 1:3d} ({ANSWERS[cycle % len(ANSWERS)]:7}): "
                      f"PSS {mb(samples[-1])}", flush=True)
            if not app.running:
                raise RuntimeError(f"movebreak exited: {app.errors()[-2000:]}")
        finally:
            app.stop()
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cycles", type=int, default=60, help="prompts answered (default 60)")
    parser.add_argument("--every", default="8s", help="reset interval (default 8s)")
    args = parser.parse_args()
    if args.cycles < 20:
        parser.error("--cycles must be at least 20: warm-up, then two windows of ten")
    compile_like_an_install()
    samples = run(args)
    early = statistics.median(samples[WARM_UP:WARM_UP + 10])
    late = statistics.median(samples[-10:])
    drift = (late - early) / 1e6
    rows = [[f"{i + 1}", mb(s), f"{(s - early) / 1e6:+.2f} MB"]
            for i, s in enumerate(samples) if i % 5 == 4 or i == 0]
    print()
    print(f"A busy day, compressed: {len(samples)} prompts answered in turn by a routine, "
          f"a snooze and a skip; resets every {args.every}; calendar re-read every minute; "
          "config saved every 10th cycle")
    print()
    print(markdown(["cycle", "PSS", "vs cycles 6-15"], rows))
    print()
    cycles = len(samples) - WARM_UP - 10
    per_day = drift / cycles * PROMPTS_PER_DAY
    middle_at = (WARM_UP + len(samples)) // 2  # ten cycles centred between the two
    middle = statistics.median(samples[middle_at - 5:middle_at + 5])
    first_half, second_half = middle_at - (WARM_UP + 5), len(samples) - 5 - middle_at
    print(f"slope: {(middle - early) / first_half / 1e3:+.1f} KB per prompt in the first half, "
          f"{(late - middle) / second_half / 1e3:+.1f} KB in the second (a climb that slows "
          "down is the allocator reaching its high-water mark; one that does not is a leak)")
    print(f"drift: median of the last 10 {mb(late)} vs cycles 6-15 {mb(early)}: "
          f"{drift:+.2f} MB over {cycles} cycles, {drift / cycles * 1e3:+.1f} KB per prompt, "
          f"{per_day:+.3f} MB per day of {PROMPTS_PER_DAY} prompts; target <= "
          f"{DAY_TARGET_MB} MB a day -> {'met' if per_day <= DAY_TARGET_MB else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
