"""Clock jumps, sleeps and DST through the injected clock: no burst and no lost prompt.

``tests/core`` already covers a three-hour suspend, a clock set back at the engine,
DST on the plan of a normal day, and a sleep seen by the presence watch. Missing, and
added here:

* the whole shell (controller, presence watch, a timer that fires by the wall clock
  as APScheduler's date jobs do) while the wall clock is stepped forward or back with
  the machine awake (an NTP correction, a user setting the clock). The app hears of a
  step at once (``watch/clock.py``: the kernel cancels a timerfd when the
  clock is set), looks, and plans again: a step back must not delay the next prompt
  by the step's length, nor bring one early;
* a working window that spans the DST change (night shifts, "all day" configs);
* a weekend sleep across the DST change;
* a clock that jumps years forward (a dead RTC battery, then NTP);
* a sleep in the middle of a guided routine.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from movebreak.app.controller import Controller
from movebreak.app.presence import PresenceWatch
from movebreak.config.loader import config_from_text, default_config
from movebreak.core import away
from movebreak.core.commands import Done, Skip, Snooze, Start
from movebreak.core.engine import Engine, Event, Outcome
from movebreak.core.state import TimetableState
from tests.conftest import BERLIN, at
from tests.shell.doubles import ManualClock, ManualTimer, RecordingNotifier

EVERY = timedelta(minutes=50)


class Laptop:
    """The app's shell on a machine whose wall clock can be stepped while it runs.

    Real time (the monotonic clock) moves in one-second steps; the wall clock is real
    time plus an offset a test may change. The controller's wake-up and the presence
    watch's next look fire once the *wall* clock reaches them, like APScheduler date
    jobs, and a wake-up looks first, like ``App._wake``.
    """

    def __init__(self, start: datetime) -> None:
        self.start = start
        self.real = 0.0
        self.offset = timedelta()
        self.clock = ManualClock(start)
        self.timer = ManualTimer(self.clock)
        self.notifier = RecordingNotifier()
        self.controller = Controller(Engine(default_config(), BERLIN), TimetableState(),
                                     self.clock, self.notifier, self.timer, lambda _s: None,
                                     monotonic=lambda: self.real)
        self.look: tuple[datetime, object] | None = None
        self.prompts: list[float] = []  # real minutes at which a prompt was shown
        self.watch = PresenceWatch(self.clock, lambda: 1.0, lambda: None,
                                   lambda: timedelta(minutes=2), self.controller.presence,
                                   self._plan_look, lambda: self.real)
        self.controller.start_up()
        self.watch.look()

    def set_clock(self, step: timedelta) -> None:
        """Step the wall clock; the app is told at once, as ``ClockWatch`` tells it."""
        self.offset += step
        self.clock.current = self.start + timedelta(seconds=self.real) + self.offset
        self.watch.look()
        self.controller.tick()

    def _plan_look(self, when: datetime, look: object) -> None:
        self.look = (when, look)

    def run(self, minutes: float) -> None:
        end = self.real + minutes * 60
        while self.real < end:
            self.real += 1
            self.clock.current = self.start + timedelta(seconds=self.real) + self.offset
            shown = len(self.notifier.shown)
            if self.look is not None and self.look[0] <= self.clock.current:
                look, self.look = self.look[1], None
                look()  # type: ignore[operator]
            if self.timer.when is not None and self.timer.when <= self.clock.current:
                self.timer.when = None
                self.watch.look()
                self.controller.tick()
            for notice in self.notifier.shown[shown:]:
                if any(isinstance(action, Snooze) for action, _ in notice.actions):
                    self.prompts.append(self.real / 60)


def test_a_clock_stepped_forward_three_hours_is_one_calm_wake() -> None:
    laptop = Laptop(at("2026-11-30 10:00"))
    laptop.run(20)
    laptop.offset += timedelta(hours=3)  # 10:20 becomes 13:20: like a sleep
    laptop.run(110)
    assert all(b - a >= 49 for a, b in pairwise(laptop.prompts)), laptop.prompts
    assert laptop.prompts and laptop.prompts[0] <= 20 + 50 + 2, laptop.prompts
    assert not any(20 < p < 21 for p in laptop.prompts), "a prompt right after the jump"


@pytest.mark.parametrize("step", [timedelta(minutes=10), timedelta(hours=1)])
def test_a_clock_stepped_back_keeps_resets_every_interval_of_real_time(step: timedelta) -> None:
    laptop = Laptop(at("2026-11-30 10:00"))
    laptop.run(1)
    laptop.controller.handle(Done())  # the last movement: real minute 1
    laptop.run(19)
    laptop.set_clock(-step)
    laptop.run(120)
    assert laptop.prompts, "no prompt after the clock was set back"
    assert 1 + 50 - 1 <= laptop.prompts[0] <= 1 + 50 + 1, laptop.prompts
    assert all(b - a >= 49 for a, b in pairwise(laptop.prompts)), laptop.prompts


def test_a_skip_that_races_the_clock_watch_is_not_moved_back_with_the_rest() -> None:
    """The clock steps back, the user skips before the watch has looked (seen under load).

    The skip is recorded in the new time; moving it back an hour with the older
    moments made the next reset "59 min late": missed at once, then one more interval.
    """
    laptop = Laptop(at("2026-11-30 10:00"))
    events: list[Event] = []
    laptop.controller.on_event(events.append)
    laptop.run(51)
    assert laptop.prompts, "the first reset did not come"
    laptop.offset -= timedelta(hours=1)  # NTP sets the clock back ...
    laptop.clock.current -= timedelta(hours=1)
    skipped_at = laptop.clock.current
    laptop.controller.handle(Skip())  # ... and the user's skip gets in before the watch looks
    laptop.watch.look()
    laptop.controller.tick()
    assert laptop.controller.state.reset_anchor == skipped_at
    laptop.run(60)
    assert [e.outcome for e in events if e.outcome is Outcome.MISSED] == []
    assert len(laptop.prompts) == 2 and 100 <= laptop.prompts[1] <= 102, laptop.prompts


def test_a_clock_set_back_during_a_snooze_keeps_the_snooze_in_real_minutes() -> None:
    laptop = Laptop(at("2026-11-30 10:00"))
    laptop.run(51)
    assert laptop.prompts, "the first reset did not come"
    laptop.controller.handle(Snooze(timedelta(minutes=10)))  # back at real minute 61
    laptop.run(4)
    laptop.set_clock(-timedelta(hours=2))
    laptop.run(10)
    assert len(laptop.prompts) == 2 and 60 <= laptop.prompts[1] <= 62, laptop.prompts


@pytest.mark.parametrize("day", ["2026-03-29", "2026-10-25"])  # Europe/Berlin: 02:00 -> 03:00
def test_resets_across_a_dst_change_stay_every_interval_apart_in_real_time(day: str) -> None:
    config = config_from_text('[work]\ndays = ["sun"]\nstart = "00:00"\nend = "23:59"\n'
                              '[morning]\nenabled = false\n', "c.toml")
    engine = Engine(config, BERLIN)
    now = at(f"{day} 00:00")
    state, _ = engine.advance(TimetableState(), now)
    delivered = []
    while now < at(f"{day} 06:00"):
        wake = engine.next_wakeup(state, now)
        assert wake is not None
        assert wake.astimezone(UTC) >= now.astimezone(UTC), "the timer was set in the past"
        now = wake
        state, events = engine.advance(state, now)
        delivered += [now.astimezone(UTC) for e in events if e.outcome is Outcome.PROMPTED]
    gaps = {b - a for a, b in pairwise(delivered)}
    assert gaps == {EVERY}, sorted(str(g) for g in gaps)


def test_a_weekend_asleep_across_the_dst_change_wakes_to_one_morning_at_nine() -> None:
    engine = Engine(default_config(), BERLIN)
    state, _ = engine.advance(TimetableState(), at("2026-03-27 16:30"))
    state, events = away.slept(engine, state, at("2026-03-27 17:00"), at("2026-03-30 08:55"))
    now = at("2026-03-30 08:55")
    prompts = []
    for _ in range(4):
        now = engine.next_wakeup(state, now) or now
        state, events = engine.advance(state, now)
        prompts += [(now.astimezone(BERLIN).strftime("%H:%M%z"), e.routine) for e in events
                    if e.outcome is Outcome.PROMPTED]
        state, _ = engine.done(state, now) if events else (state, [])
    assert prompts[:2] == [("09:00+0200", "morning"), ("09:50+0200", "reset")]


def test_a_clock_that_jumps_years_forward_gives_one_calm_wake_and_few_records() -> None:
    """A dead RTC battery starts the laptop in 2000; NTP then moves it to 2026."""
    engine = Engine(default_config(), BERLIN)
    state, _ = engine.advance(TimetableState(), at("2000-01-03 10:00"))
    state, slept = away.slept(engine, state, at("2000-01-03 10:00"), at("2026-11-30 10:00"))
    now, events = at("2026-11-30 10:00"), list(slept)
    for _ in range(2):  # the wake-up itself, then the first slot after it
        now = engine.next_wakeup(state, now) or now
        state, more = engine.advance(state, now)
        events += more
    kinds = Counter(e.outcome for e in events)
    assert kinds[Outcome.PROMPTED] <= 1
    assert all(e.at.year == 2026 for e in events if e.outcome is Outcome.PROMPTED)
    # A fortnight of missed prompts is the most a real absence can explain; 26 years of
    # daily rows written in one tick is a burst of history for a broken clock.
    assert kinds[Outcome.MISSED] <= 2 * 14, f"{kinds[Outcome.MISSED]} missed records at once"


def test_a_sleep_in_the_middle_of_a_routine_gives_no_burst_afterwards() -> None:
    clock = ManualClock(at("2026-11-30 10:00"))
    timer, notifier = ManualTimer(clock), RecordingNotifier()
    controller = Controller(Engine(default_config(), BERLIN), TimetableState(), clock,
                            notifier, timer, lambda _s: None)
    events = []
    controller.on_event(events.append)
    controller.start_up()
    controller.handle(Start("reset"))
    clock.current = at("2026-11-30 13:30")  # the lid closed at 10:00:30, opened at 13:30
    controller.tick()
    timer.run_until(at("2026-11-30 13:31"), controller)
    prompted = [e for e in events if e.outcome is Outcome.PROMPTED]
    assert len(prompted) <= 1, [(e.routine, e.at) for e in prompted]
    controller.handle(Done())
    assert timer.when is not None and timer.when - clock.now() <= EVERY + timedelta(minutes=1)
