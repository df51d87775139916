"""The month simulation's engine room: the core driven as the app's controller drives it.

``Simulation`` keeps one ``TimetableState`` and at most one ``Session``, jumps the
injected clock to the next moment that matters (the engine's next wake-up, the
session's next deadline, the next planned happening, or the end of a sleep), and
applies each change the way ``movebreak.app.controller`` does: the operation, then
``Engine.advance`` to catch up. It records what a benchmark needs per week.
"""

from __future__ import annotations

import gc
import heapq
import sys
import tracemalloc
import types
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from month_plan import Act, Answer, Happening, MonthPlan

from movebreak.config.model import Config
from movebreak.core import away, timetable
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
            until = self.now + h.length if h.length else e.pause_until_tomorrow(self.now)
            self._apply(lambda n: e.pause(self.state, n, until), timer=False)
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
        e = self.engine
        if answer is Answer.START:
            self._apply(lambda n: e.start(self.state, n), timer=False)
        elif answer is Answer.SNOOZE:
            self._apply(lambda n: e.snooze(self.state, n, self.config.prompts.snooze), timer=False)
        elif answer is Answer.SKIP:
            self._apply(lambda n: e.skip(self.state, n), timer=False)

    def _stop_session(self) -> None:
        """Pause or sleep: a running routine ends as skipped (as the app's pause does)."""
        if self.session is not None:
            self.session.skip(self.now)
            self.session = None
            self._apply(lambda n: self.engine.skip(self.state, n), timer=False)

    def _session(self, events: list[SessionEvent]) -> None:
        for event in events:
            if isinstance(event, RepTimeUp):
                heapq.heappush(self.queue, self.plan.rep_done(self.now, self.session))
            elif isinstance(event, SessionEnded):
                self.session = None
                self._apply(self._ending(event.result.outcome), timer=False)
                return

    def _ending(self, outcome: Outcome) -> Operation:
        """What the core does when a routine ends this way (as the controller's _finish)."""
        e, snooze = self.engine, self.config.prompts.snooze
        operations: dict[Outcome, Operation] = {
            Outcome.COMPLETED: lambda n: e.done(self.state, n),
            Outcome.SKIPPED: lambda n: e.skip(self.state, n),
            Outcome.SNOOZED: lambda n: e.snooze(self.state, n, snooze),
        }
        return operations[outcome]

    # ----- applying and recording --------------------------------------------------
    def _apply(self, operation: Operation, *, timer: bool) -> None:
        self._before = self.state
        state, events = operation(self.now)
        state, more = self.engine.advance(state, self.now)
        self.state = state
        events += more
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
