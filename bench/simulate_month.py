"""A busy month of the core on an injected clock: no drift, no growth, in seconds.

Runs the pure core (``Engine``, ``core.away``, ``Session``) the way the app's
controller does, over 30 days from Monday 2 March 2026 in Europe/Berlin (the clocks
go forward on the 29th), with the seeded user and world of ``month_plan``: every
prompt is answered or ignored, routines run step by step, snoozes, pauses, lunch and
coffee away from the desk, presentations, meetings of every kind, and the laptop
sleeping every night and weekend. The clock jumps straight to the next moment that
matters, as the app's timer would wake it.

It prints the outcomes per week and checks:

* no drift: every prompt the timer delivers comes exactly at its due time; the
  morning routine stays at 09:00 on the wall clock (across the DST change), and the
  first reset of the day keeps its place; week 4 looks like week 1;
* no burst: never more than one prompt at once, whatever was missed meanwhile;
* no growth: the saved state's size and the memory the core holds (tracemalloc) stay
  flat from week to week.

Run: ``.venv/bin/python bench/simulate_month.py`` (``--seed N``, ``--days N``).
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from collections import Counter
from datetime import date
from zoneinfo import ZoneInfo

from month_sim import Simulation, WeekFigures
from table import markdown

from movebreak.config.loader import default_config
from movebreak.core.events import Outcome

TZ = ZoneInfo("Europe/Berlin")
FIRST_DAY = date(2026, 3, 2)  # a Monday; Europe/Berlin changes to summer time on the 29th


def simulate(days: int, seed: int, trace: bool) -> tuple[Simulation, float]:
    """One month; returns the finished simulation and its wall time in seconds."""
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    sim = Simulation(default_config(), TZ, FIRST_DAY, days, seed, trace)
    sim.run()
    elapsed = time.perf_counter() - started
    if trace:
        tracemalloc.stop()
    return sim, elapsed


def outcome_table(weeks: list[WeekFigures]) -> str:
    header = ("outcome", *(f"week {w.number} ({w.workdays} d)" for w in weeks))
    rows = [(o.value, *(str(w.outcomes[o]) for w in weeks)) for o in Outcome]
    for source in sorted({s for w in weeks for s in w.sources}):
        rows.append((f"prompted: {source}", *(str(w.sources[source]) for w in weeks)))
    per_day = (w.outcomes[Outcome.PROMPTED] / max(1, w.workdays) for w in weeks)
    rows.append(("prompted per workday", *(f"{n:.1f}" for n in per_day)))
    rows.append(("routines run (sessions)", *(str(w.sessions) for w in weeks)))
    rows.append(("held, shown when the hold ended", *(str(w.held_prompts) for w in weeks)))
    return markdown(header, rows)


def drift_table(weeks: list[WeekFigures]) -> str:
    header = ("week", "morning routine at (local)", "first reset of the day at (local)",
              "timer prompts", "latest by", "most prompts at once")

    def common(times: Counter[str]) -> str:
        return ", ".join(f"{t} ×{n}" for t, n in sorted(times.items())) or "—"

    rows = [(str(w.number), common(w.morning_at), common(w.first_reset_at),
             str(w.timer_prompts), f"{w.max_lateness_s:.3f} s", str(w.max_prompts_at_once))
            for w in weeks]
    return markdown(header, rows)


def growth_table(weeks: list[WeekFigures]) -> str:
    header = ("week", "saved state at its end", "core objects at its end (deep size)",
              "busiest moment of the week (tracemalloc, above its start)")
    rows = [(str(w.number), f"{w.state_bytes} B", f"{w.held_bytes / 1024:.1f} KiB",
             f"{w.peak_above_start_kib:.1f} KiB") for w in weeks]
    return markdown(header, rows)


def verdicts(sim: Simulation) -> list[str]:
    weeks = sim.weeks
    first, fourth = weeks[0], weeks[min(3, len(weeks) - 1)]
    on_time = all(w.max_lateness_s == 0 for w in weeks)
    burst = max(w.max_prompts_at_once for w in weeks)
    mornings = {t for w in weeks for t in w.morning_at}
    states = [w.state_bytes for w in weeks]
    held = [w.held_bytes / 1024 for w in weeks]
    peaks = [w.peak_above_start_kib for w in weeks]
    per_day = [w.outcomes[Outcome.PROMPTED] / max(1, w.workdays) for w in (first, fourth)]
    return [
        f"timer prompts exactly on time: {'yes' if on_time else '**NO**'}",
        f"most prompts delivered at once: {burst} ({'no burst' if burst <= 1 else '**BURST**'})",
        f"prompts shown during a pause: {len(sim.while_paused)} "
        f"{'(none)' if not sim.while_paused else '**' + '; '.join(sim.while_paused) + '**'}",
        f"prompts outside working hours: {sim.outside_hours} "
        f"(snoozes the user asked for: {sim.outside_hours_snoozed})",
        f"morning routine offered at: {', '.join(sorted(mornings))} local",
        f"prompts per workday, week 1 vs week 4: {per_day[0]:.1f} vs {per_day[1]:.1f}",
        f"saved state: {min(states)}-{max(states)} bytes; core objects "
        f"{min(held):.1f}-{max(held):.1f} KiB; busiest moment of a week "
        f"{min(peaks):.1f}-{max(peaks):.1f} KiB",
        f"clock offsets seen: {', '.join(sorted(sim.offsets))}",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    plain, seconds = simulate(args.days, args.seed, trace=False)
    sim, traced_seconds = simulate(args.days, args.seed, trace=True)
    same = [w.outcomes for w in plain.weeks] == [w.outcomes for w in sim.weeks]
    print(f"Simulated {args.days} days from {FIRST_DAY} ({TZ.key}, seed {args.seed}): "
          f"{sim.steps} clock moves, {sim.total_events} core events, in {seconds:.2f} s "
          f"({traced_seconds:.2f} s again with tracemalloc; same outcomes: "
          f"{'yes' if same else '**NO**'})\n")
    print(outcome_table(sim.weeks), "\n")
    print(drift_table(sim.weeks), "\n")
    print(growth_table(sim.weeks), "\n")
    for line in verdicts(sim):
        print(f"- {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
