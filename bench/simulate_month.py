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
import gc
import heapq
import sys
import time
import tracemalloc
import types
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from month_plan import Act, Answer, Happening, MonthPlan
from table import markdown

from movebreak.config.loader import default_config
from movebreak.config.model import Config
from movebreak.core import away, timetable
from movebreak.core.commands import Command, Pause, Skip, Snooze, Start, ending
from movebreak.core.engine import Engine
from movebreak.core.events import Event, Outcome, Result
from movebreak.core.session import Session
from movebreak.core.session_events import RepTimeUp, SessionEnded, SessionEvent
from movebreak.core.state import Source, TimetableState
from movebreak.storage.state_store import dumps

Operation = Callable[[datetime], Result]


@dataclass
class WeekFigures:
    """What one week of the month looked like."""

    number: int
    workdays: int = 0
    outcomes: Counter[Outcome] = field(default_factory=Counter)
    sources: Counter[str] = field(default_factory=Counter)  # prompted, by why
    sessions: int = 0
    morning_at: Counter[str] = field(default_factory=Counter)
    first_reset_at: Counter[str] = field(default_factory=Counter)
    timer_prompts: int = 0
    max_lateness_s: float = 0.0
    held_prompts: int = 0  # fell due while asleep, away or settling: delivered at the end
    max_prompts_at_once: int = 0
    state_bytes: int = 0
    held_bytes: int = 0  # everything reachable from the engine, state and session
    start_traced: int = 0
    peak_above_start_kib: float = 0.0  # tracemalloc: the week's high-water mark


class Simulation:
    """One month of one user (see ``month_plan``) on the pure core."""

    def __init__(self, config: Config, tz: tzinfo, first_day: date, days: int, seed: int,
                 trace: bool) -> None:
        self.config = config
        self.tz = tz
        self.base = Engine(config, tz)
        self.engine = self.base
        self.plan = MonthPlan(tz, seed)
        self.first_day = first_day
        self.end = datetime.combine(first_day + timedelta(days=days), datetime.min.time(), tz)
        self.trace = trace
        self.state = TimetableState()
        self.session: Session | None = None
        self.queue: list[Happening] = []
        self.now = self.plan.wake(first_day)
        self.previous = self.now  # the moment before this one: a prompt due after it is new
        self.asleep: tuple[datetime, datetime] | None = None
        self.weeks: list[WeekFigures] = []
        self.steps = self.total_events = self.outside_hours = self.outside_hours_snoozed = 0
        self.while_paused: list[str] = []  # prompts shown although the user paused them all
        self.offsets: set[str] = set()
        self._reset_days: set[date] = set()
        self._before = self.state

    # ----- the loop ------------------------------------------------------------------
    def run(self) -> None:
        self._week()
        self._apply(lambda n: self.engine.advance(self.state, n), timer=False)
        self._start_day()
        while (moment := self._next_moment()) is not None and moment < self.end:
            self.steps += 1
            self.previous, self.now = self.now, moment
            self._week()
            self._step()
        self._close_week()

    def _next_moment(self) -> datetime | None:
        if self.asleep is not None:
            return self.asleep[1]
        moments = [self.engine.next_wakeup(self.state, self.now)]
        if self.session is not None:
            moments.append(self.session.next_deadline(self.now))
        if self.queue:
            moments.append(self.queue[0].at)
        return min(filter(None, moments), default=None)

    def _step(self) -> None:
        if self.asleep is not None:
            start, end = self.asleep
            self.asleep = None
            self._apply(lambda _n: away.slept(self.engine, self.state, start, end), timer=False)
            self._start_day()
            return
        while self.queue and self.queue[0].at <= self.now and self.asleep is None:
            self._happen(heapq.heappop(self.queue))
        if self.asleep is not None:
            return
        deadline = self.session.next_deadline(self.now) if self.session is not None else None
        if self.session is not None and deadline is not None and deadline <= self.now:
            self._session(self.session.tick(self.now))
        wake = self.engine.next_wakeup(self.state, self.now)
        if wake is not None and wake <= self.now:
            self._apply(lambda n: self.engine.advance(self.state, n), timer=True)

    def _start_day(self) -> None:
        day = self.plan.day(self.now.astimezone(self.tz).date())
        self.engine = self.base.with_meetings(day.meetings)
        self.weeks[-1].workdays += 1
        for happening in day.happenings:
            heapq.heappush(self.queue, happening)

    # ----- what the user and the world do ----------------------------------------------
    def _happen(self, h: Happening) -> None:
        e, s = self.engine, self.state
        if h.act is Act.AWAY:
            self._apply(lambda _n: away.went_away(e, s, h.since or self.now), timer=False)
        elif h.act is Act.BACK:
            self._apply(lambda n: away.came_back(e, s, n), timer=False)
        elif h.act is Act.QUIET:
            self._apply(lambda _n: away.quiet_started(e, s, "a presentation"), timer=False)
        elif h.act is Act.QUIET_ENDED:
            self._apply(lambda n: away.quiet_ended(e, s, n), timer=False)
        elif h.act is Act.PAUSE:
            self._stop_session()
            self._command(Pause(h.length))
        elif h.act is Act.SLEEP:
            self._stop_session()
            assert h.until is not None
            self.asleep = (self.now, h.until)
            self.queue = [q for q in self.queue if q.at >= h.until]
            heapq.heapify(self.queue)
        elif h.act is Act.ANSWER and s.pending is not None and s.pending == h.target:
            self._answer(h.answer)
        elif h.act in (Act.NEXT, Act.DONE) and self.session is h.target:
            press = self.session.next if h.act is Act.NEXT else self.session.done
            self._session(press(self.now))

    def _answer(self, answer: Answer | None) -> None:
        """The user answers the prompt as the app's buttons do: with a command."""
        command = {Answer.START: Start(), Answer.SNOOZE: Snooze(), Answer.SKIP: Skip()}
        if answer in command:  # IGNORE (or None): the prompt times out unanswered
            self._command(command[answer])

    def _command(self, command: Command) -> None:
        self._apply(lambda n: self.engine.apply(self.state, n, command), timer=False)

    def _stop_session(self) -> None:
        """Pause or sleep: a running routine ends as skipped (as the app's pause does)."""
        if self.session is not None:
            self.session.skip(self.now)
            self.session = None
            self._command(Skip())

    def _session(self, events: list[SessionEvent]) -> None:
        for event in events:
            if isinstance(event, RepTimeUp):
                heapq.heappush(self.queue, self.plan.rep_done(self.now, self.session))
            elif isinstance(event, SessionEnded):
                self.session = None
                self._apply(self._ending(event.result.outcome), timer=False)
                return

    def _ending(self, outcome: Outcome) -> Operation:
        """What the core does when a routine ends this way: the app's own command."""
        return lambda n: self.engine.apply(self.state, n, ending(outcome))

    # ----- applying and recording --------------------------------------------------
    def _apply(self, operation: Operation, *, timer: bool) -> None:
        self._before = self.state
        state, events = self.engine.settle(operation(self.now), self.now)  # as the app does
        self.state = state
        self.total_events += len(events)
        week = self.weeks[-1]
        prompted = [e for e in events if e.outcome is Outcome.PROMPTED]
        week.max_prompts_at_once = max(week.max_prompts_at_once, len(prompted))
        for event in events:
            week.outcomes[event.outcome] += 1
            if event.outcome is Outcome.PROMPTED:
                self._prompted(event, timer)
            elif event.outcome is Outcome.STARTED and event.routine is not None:
                self._start_session(event)

    def _prompted(self, event: Event, timer: bool) -> None:
        week, prompt = self.weeks[-1], self.state.pending
        assert prompt is not None
        local = self.now.astimezone(self.tz)
        week.sources[prompt.source.name.lower()] += 1
        self.offsets.add(local.strftime("%z"))
        if self.state.paused(self.now):
            self.while_paused.append(f"{local:%a %d %H:%M} {prompt.routine} ({prompt.reason})")
        held = self._before.paused(prompt.at)  # fell due in a pause: comes at its end
        if timer and prompt.at > self.previous and not held:  # new since the last moment
            week.timer_prompts += 1
            week.max_lateness_s = max(week.max_lateness_s, (self.now - prompt.at).total_seconds())
        elif timer:
            week.held_prompts += 1
        if not timetable.in_working_hours(self.config, self.tz, self.now):
            self.outside_hours += 1
            self.outside_hours_snoozed += prompt.source is Source.SNOOZE
        if prompt.source is Source.MORNING:
            week.morning_at[f"{local:%H:%M}"] += 1
        if prompt.source is Source.RESET and local.date() not in self._reset_days:
            self._reset_days.add(local.date())
            week.first_reset_at[f"{local:%H:%M}"] += 1
        heapq.heappush(self.queue, self.plan.answer(self.now, prompt))

    def _start_session(self, event: Event) -> None:
        assert event.routine is not None
        routine = self.config.routine(event.routine)
        self.session = Session(routine, routine.steps_for(event.rotation))
        self.weeks[-1].sessions += 1
        cut = self.plan.maybe_cut_short(self.now, routine.planned_time(event.rotation),
                                        self.session)
        if cut is not None:
            heapq.heappush(self.queue, cut)
        self._session(self.session.start(self.now))

    def _week(self) -> None:
        """Open the week ``now`` falls in (closing the one before)."""
        number = (self.now.astimezone(self.tz).date() - self.first_day).days // 7 + 1
        if self.weeks and self.weeks[-1].number == number:
            return
        if self.weeks:
            self._close_week()
        self.weeks.append(WeekFigures(number))
        if self.trace:
            tracemalloc.reset_peak()
            self.weeks[-1].start_traced = tracemalloc.get_traced_memory()[0]

    def _close_week(self) -> None:
        week = self.weeks[-1]
        week.state_bytes = len(dumps(self.state).encode())
        week.held_bytes = deep_size((self.engine, self.state, self.session))
        if self.trace:
            peak = tracemalloc.get_traced_memory()[1]
            week.peak_above_start_kib = (peak - week.start_traced) / 1024


def deep_size(root: object) -> int:
    """Bytes of every object reachable from ``root`` (modules, classes and functions aside)."""
    seen: set[int] = set()
    todo, total = [root], 0
    skip = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType)
    while todo:
        obj = todo.pop()
        if id(obj) in seen or isinstance(obj, skip):
            continue
        seen.add(id(obj))
        total += sys.getsizeof(obj)
        todo.extend(gc.get_referents(obj))
    return total


# ----- the command line --------------------------------------------------
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
