"""Presence: away time, sleep and quiet periods, observed and applied with an injected clock."""

from __future__ import annotations

from datetime import timedelta

from movebreak.config.loader import config_from_text, default_config
from movebreak.core import away
from movebreak.core.engine import Engine
from movebreak.core.events import Outcome
from movebreak.core.presence import Look, PresenceKind, Tracker, observe
from movebreak.core.state import Source, Status, TimetableState
from tests.conftest import BERLIN, at

BREAK = timedelta(minutes=2)


def kinds(events):
    return [e.kind for e in events]


def test_looks_are_spaced_by_how_soon_the_user_could_count_as_away():
    tracker, events, wait = observe(Tracker(), Look(at("2026-11-30 10:00"), 100.0, 30.0), BREAK)
    assert events == [] and wait == timedelta(seconds=90)
    tracker, events, wait = observe(tracker, Look(at("2026-11-30 10:01:30"), 190.0, 1.0), BREAK)
    assert wait == timedelta(seconds=119)


def test_away_and_back():
    tracker = Tracker()
    tracker, events, wait = observe(tracker, Look(at("2026-11-30 10:05"), 100.0, 150.0), BREAK)
    assert kinds(events) == [PresenceKind.AWAY] and events[0].since == at("2026-11-30 10:02:30")
    assert wait == timedelta(seconds=20)
    tracker, events, _ = observe(tracker, Look(at("2026-11-30 10:20"), 1000.0, 3.0), BREAK)
    assert kinds(events) == [PresenceKind.BACK]
    assert events[0].at == at("2026-11-30 10:19:57")


def test_a_jump_between_wall_and_monotonic_clocks_is_a_sleep():
    tracker, _, _ = observe(Tracker(), Look(at("2026-11-30 10:00"), 100.0, 1.0), BREAK)
    tracker, events, _ = observe(tracker, Look(at("2026-11-30 13:02"), 220.0, 1.0), BREAK)
    assert kinds(events) == [PresenceKind.SLEPT]
    assert events[0].since == at("2026-11-30 10:02")  # 3 h 2 min of wall, 2 min awake


def test_a_wall_clock_set_back_says_from_when_to_when():
    tracker, _, _ = observe(Tracker(), Look(at("2026-11-30 10:00"), 100.0, 1.0), BREAK)
    tracker, events, _ = observe(tracker, Look(at("2026-11-30 09:10"), 700.0, 1.0), BREAK)
    assert kinds(events) == [PresenceKind.CLOCK_BACK]
    assert events[0].since == at("2026-11-30 10:10") and events[0].at == at("2026-11-30 09:10")


def test_a_clock_set_back_moves_real_durations_but_not_the_working_day():
    engine = Engine(default_config(), BERLIN)
    state, _ = engine.advance(TimetableState(), at("2026-11-30 10:00"))
    state, _ = engine.done(state, at("2026-11-30 10:00"))
    state, _ = engine.pause(state, at("2026-11-30 10:05"), at("2026-11-30 10:35"))
    state, _ = away.clock_set_back(engine, state, at("2026-11-30 09:10"), timedelta(hours=1))
    assert state.reset_anchor == at("2026-11-30 09:00")
    assert state.paused_until == at("2026-11-30 09:35")
    assert state.morning_handled == at("2026-11-30 10:00").date()
    assert engine.next_wakeup(state, at("2026-11-30 09:10")) == at("2026-11-30 09:35")


def test_quiet_starts_and_ends():
    tracker, events, _ = observe(
        Tracker(), Look(at("2026-11-30 10:00"), 1.0, 1.0, "fullscreen"), BREAK
    )
    assert kinds(events) == [PresenceKind.QUIET] and events[0].reason == "fullscreen"
    tracker, events, _ = observe(tracker, Look(at("2026-11-30 10:30"), 1801.0, 1.0), BREAK)
    assert kinds(events) == [PresenceKind.QUIET_ENDED]


def test_no_idle_source_still_detects_sleep_and_looks_rarely():
    _, events, wait = observe(Tracker(), Look(at("2026-11-30 10:00"), 1.0, None), BREAK)
    assert events == [] and wait == BREAK


# ---- what presence does to the timetable ------------------------------------------


def engine(text: str = "") -> Engine:
    return Engine(config_from_text(text, "c.toml") if text else default_config(), BERLIN)


def started(eng: Engine, when: str) -> TimetableState:
    state, _ = eng.advance(TimetableState(), at(f"2026-11-30 {when}"))
    return state


def test_nothing_fires_while_away_and_coming_back_is_a_natural_break():
    eng = engine()
    state = started(eng, "10:00")
    state, _ = away.went_away(eng, state, at("2026-11-30 10:40"))
    state, events = eng.advance(state, at("2026-11-30 10:50"))
    assert events == []  # the 10:50 reset waits while the user is away
    state, events = away.came_back(eng, state, at("2026-11-30 10:55"))
    assert [e.outcome for e in events] == [Outcome.MISSED, Outcome.PROMPTED]
    assert state.pending.source is Source.RETURN  # back after 15 min: a reset right away
    state, _ = eng.done(state, at("2026-11-30 10:57"))
    assert eng.next_wakeup(state, at("2026-11-30 10:57")) == at("2026-11-30 11:47")


def test_a_short_absence_restarts_the_count_without_an_offer():
    eng = engine()
    state = started(eng, "10:00")
    state, _ = away.went_away(eng, state, at("2026-11-30 10:20"))
    state, events = away.came_back(eng, state, at("2026-11-30 10:25"))
    assert events == []
    assert eng.next_wakeup(state, at("2026-11-30 10:25")) == at("2026-11-30 11:15")


def test_three_hour_sleep_settles_first_and_never_bursts():
    eng = engine()
    state = started(eng, "10:00")
    state, events = away.slept(eng, state, at("2026-11-30 10:20"), at("2026-11-30 13:20"))
    assert events == []
    state, events = eng.advance(state, at("2026-11-30 13:20:10"))
    assert events == []  # no prompt in the first moments after waking
    assert eng.next_wakeup(state, at("2026-11-30 13:20:10")) == at("2026-11-30 14:10")
    state, events = eng.advance(state, at("2026-11-30 14:10"))
    assert [e.outcome for e in events] == [Outcome.PROMPTED]


def test_quiet_holds_prompts_and_delivers_once_right_after():
    eng = engine()
    state = started(eng, "10:00")
    state, _ = away.quiet_started(eng, state, "a fullscreen window")
    assert eng.status(state, at("2026-11-30 10:30")) is Status.HELD
    state, events = eng.advance(state, at("2026-11-30 11:45"))  # 10:50 and 11:40 fell due
    assert events == []
    state, events = away.quiet_ended(eng, state, at("2026-11-30 12:15"))
    assert [(e.outcome, e.routine) for e in events] == [(Outcome.PROMPTED, "reset")]


def test_first_activity_morning_meets_the_user_when_they_sit_down():
    eng = engine('[morning]\nat = "first-activity"\nfirst_activity_after = "07:00"\n')
    state, _ = eng.advance(TimetableState(), at("2026-11-30 06:30"))
    state, _ = away.went_away(eng, state, at("2026-11-30 06:35"))
    state, events = eng.advance(state, at("2026-11-30 07:00"))
    assert events == []  # nobody there at 07:00
    state, events = away.came_back(eng, state, at("2026-11-30 08:12"))
    assert [(e.outcome, e.routine) for e in events if e.outcome is Outcome.PROMPTED] == [
        (Outcome.PROMPTED, "morning")
    ]
    # and the app started at 08:40 on a day it has not run yet offers it too
    later, events = eng.advance(TimetableState(), at("2026-12-01 08:40"))
    assert [e.routine for e in events] == ["morning"]
