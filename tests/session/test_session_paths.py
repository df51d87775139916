"""Drive the session state machine through every path on an injected clock."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from session_helpers import T0, at, reps, reset_routine, routine, timed

from movebreak.core.outcome import Outcome
from movebreak.core.session import Session
from movebreak.core.session_events import (
    Paused,
    PauseReason,
    RepTimeUp,
    Resumed,
    SessionEnded,
    SessionStarted,
    SessionState,
    Side,
    SidesSwitched,
    StepKind,
    StepStarted,
)


def kinds(events: list) -> list[type]:
    return [type(e) for e in events]


def ended(events: list) -> SessionEnded:
    (end,) = [e for e in events if isinstance(e, SessionEnded)]
    return end


# --- timed steps ---------------------------------------------------------------------


def test_timed_steps_count_down_and_complete_on_ticks() -> None:
    session = Session(routine(timed("Squat hold", 45), timed("Shoulder circles", 60)))
    events = session.start(T0)
    assert kinds(events) == [SessionStarted, StepStarted]
    assert events[1].index == 0 and events[1].seconds == 45
    assert session.next_deadline(T0) == at(45)

    assert session.tick(at(44.5)) == []
    assert session.view(at(44.5)).remaining_seconds == 1

    events = session.tick(at(45))
    assert kinds(events) == [StepStarted]
    assert events[0].at == at(45) and events[0].number == 2
    assert session.next_deadline(at(45)) == at(105)

    end = ended(session.tick(at(105)))
    assert end.at == at(105)
    assert end.result.outcome is Outcome.COMPLETED
    assert (end.result.steps_done, end.result.steps_total) == (2, 2)
    assert end.result.active_seconds == 105
    assert session.state is SessionState.ENDED
    assert session.next_deadline(at(105)) is None


def test_a_tick_after_several_deadlines_stamps_each_event_with_its_own_time() -> None:
    session = Session(routine(timed("a", 10), timed("b", 10), timed("c", 10)))
    session.start(T0)
    events = session.tick(at(31))  # 1 s late: the shell was slow, not asleep
    assert kinds(events) == [StepStarted, StepStarted, SessionEnded]
    assert [e.at for e in events] == [at(10), at(20), at(30)]
    assert ended(events).result.steps_done == 3


def test_timed_range_runs_for_its_upper_bound_like_the_prompt_announced() -> None:
    session = Session(reset_routine(), reset_routine().steps[1:2])
    events = session.start(T0)
    assert events[1].seconds == 45  # "30-45 s each side" -> 45 s per side
    assert session.view(T0).total_remaining_seconds == 90


# --- each side -----------------------------------------------------------------------


def test_each_side_step_runs_two_halves_with_a_switch_cue() -> None:
    session = Session(routine(timed("Pec stretch", 45, each_side=True), timed("Walk", 30)))
    events = session.start(T0)
    assert events[1].side is Side.FIRST
    view = session.view(at(10))
    assert (view.side, view.side.label(), view.remaining_seconds) == (Side.FIRST, "left side", 35)
    assert view.total_remaining_seconds == 35 + 45 + 30

    events = session.tick(at(45))
    assert kinds(events) == [SidesSwitched]
    assert events[0].index == 0 and events[0].seconds == 45
    view = session.view(at(45))
    assert (view.side, view.side.label(), view.step_number) == (Side.SECOND, "right side", 1)

    events = session.tick(at(90))
    assert kinds(events) == [StepStarted]
    assert events[0].side is Side.NONE and events[0].index == 1
    assert ended(session.tick(at(120))).result.steps_done == 2


def test_next_on_the_first_side_switches_sides_rather_than_skipping_the_step() -> None:
    session = Session(routine(timed("Pec stretch", 45, each_side=True), timed("Walk", 30)))
    session.start(T0)
    events = session.next(at(20))
    assert kinds(events) == [SidesSwitched]
    assert session.next_deadline(at(20)) == at(65)
    events = session.next(at(30))
    assert kinds(events) == [StepStarted]
    assert session.view(at(30)).step_name == "Walk"


# --- rep steps -----------------------------------------------------------------------


def test_rep_step_shows_the_range_and_waits_for_next_past_its_suggested_time() -> None:
    session = Session(routine(reps("Pull-aparts", 10, 15, 40), timed("Walk", 30)))
    session.start(T0)
    view = session.view(at(0))
    assert view.kind is StepKind.REPS and view.awaiting_user
    assert view.dose == "10–15 reps"
    assert (view.remaining_seconds, view.clock) == (40, "0:40")

    events = session.tick(at(40))
    assert kinds(events) == [RepTimeUp]
    assert events[0].at == at(40)
    assert session.next_deadline(at(40)) is None  # nothing to wake up for

    view = session.view(at(55))
    assert (view.remaining_seconds, view.overtime_seconds, view.clock) == (0, 15, "+0:15")
    assert view.step_name == "Pull-aparts"
    assert session.tick(at(300)) == []  # still waiting: no auto-advance

    events = session.next(at(300))
    assert kinds(events) == [StepStarted]
    assert session.next_deadline(at(300)) == at(330)
    result = ended(session.tick(at(330))).result
    assert result.steps_done == 2 and result.active_seconds == 330


def test_rep_step_done_before_its_suggested_time_moves_on_at_once() -> None:
    session = Session(routine(reps("Push-ups", 10, 15, 90), timed("Walk", 30)))
    session.start(T0)
    events = session.next(at(25))
    assert kinds(events) == [StepStarted]
    assert session.view(at(25)).remaining_seconds == 30


def test_each_side_rep_step_uses_next_per_side() -> None:
    session = Session(routine(reps("Lunges", 8, 10, 100, each_side=True)))
    session.start(T0)
    assert session.next_deadline(T0) == at(50)
    assert kinds(session.tick(at(50))) == [RepTimeUp]
    assert kinds(session.next(at(70))) == [SidesSwitched]
    assert session.view(at(70)).side is Side.SECOND
    assert session.next_deadline(at(70)) == at(120)
    end = ended(session.next(at(100)))
    assert end.result.outcome is Outcome.COMPLETED and end.result.steps_done == 1


# --- pause ---------------------------------------------------------------------------


def test_pause_in_the_middle_freezes_the_countdown_and_the_active_time() -> None:
    session = Session(routine(timed("Squat hold", 45)))
    session.start(T0)
    events = session.pause(at(20))
    assert kinds(events) == [Paused] and events[0].reason is PauseReason.USER
    assert session.next_deadline(at(20)) is None
    later = session.view(at(500))
    assert later.paused and later.remaining_seconds == 25 and later.clock == "0:25"
    assert session.tick(at(600)) == []

    events = session.resume(at(1000))
    assert kinds(events) == [Resumed]
    assert session.next_deadline(at(1000)) == at(1025)
    result = ended(session.tick(at(1025))).result
    assert result.active_seconds == 45
    assert result.started_at == T0 and result.ended_at == at(1025)


def test_toggle_pause_and_repeated_presses_are_harmless() -> None:
    session = Session(routine(timed("Squat hold", 45)))
    session.start(T0)
    assert kinds(session.toggle_pause(at(5))) == [Paused]
    assert session.pause(at(6)) == []
    assert kinds(session.toggle_pause(at(10))) == [Resumed]
    assert session.resume(at(11)) == []
    assert session.start(at(12)) == []
    assert session.next_deadline(at(12)) == at(50)


def test_next_while_paused_moves_on_and_stays_paused() -> None:
    session = Session(routine(timed("a", 45), timed("b", 60)))
    session.start(T0)
    session.pause(at(10))
    events = session.next(at(20))
    assert kinds(events) == [StepStarted]
    view = session.view(at(200))
    assert view.paused and view.step_name == "b" and view.remaining_seconds == 60
    assert session.next_deadline(at(200)) is None
    session.resume(at(300))
    assert session.next_deadline(at(300)) == at(360)


def test_pause_during_rep_overtime_keeps_the_overtime() -> None:
    session = Session(routine(reps("Rows", 12, 15, 30)))
    session.start(T0)
    session.tick(at(30))
    session.pause(at(40))
    assert session.view(at(400)).overtime_seconds == 10
    assert session.resume(at(500)) == [Resumed(at(500))]  # no second RepTimeUp
    assert session.view(at(505)).overtime_seconds == 15


# --- ending early: snooze, skip, done ------------------------------------------------


def test_snooze_ends_the_session_with_the_steps_done_so_far() -> None:
    session = Session(routine(timed("a", 10), timed("b", 10), timed("c", 10)))
    session.start(T0)
    session.tick(at(10))
    result = ended(session.snooze(at(15))).result
    assert result.outcome is Outcome.SNOOZED
    assert (result.steps_done, result.steps_total) == (1, 3)
    assert result.active_seconds == 15
    assert session.next_deadline(at(15)) is None
    for operation in (session.tick, session.next, session.done, session.skip, session.pause):
        assert operation(at(20)) == []
    assert session.result == result


def test_skip_works_while_paused_and_before_start() -> None:
    paused = Session(routine(timed("a", 10)))
    paused.start(T0)
    paused.pause(at(4))
    result = ended(paused.skip(at(100))).result
    assert result.outcome is Outcome.SKIPPED and result.active_seconds == 4

    unstarted = Session(routine(timed("a", 10)))
    events = unstarted.skip(at(7))
    assert kinds(events) == [SessionEnded]  # no SessionStarted: the prompt was skipped
    result = events[0].result
    assert (result.steps_done, result.active_seconds, result.started_at) == (0, 0, at(7))
    assert unstarted.start(at(8)) == []


def test_done_early_completes_counting_only_the_current_step() -> None:
    session = Session(routine(timed("a", 60), timed("b", 60), timed("c", 60)))
    session.start(T0)
    result = ended(session.done(at(20))).result
    assert result.outcome is Outcome.COMPLETED
    assert (result.steps_done, result.steps_total) == (1, 3)
    assert session.view(at(20)).fraction_done == 1.0


def test_done_late_on_a_waiting_rep_step_counts_every_step_and_the_overtime() -> None:
    session = Session(routine(timed("Walk", 30), reps("Rows", 12, 15, 30)))
    session.start(T0)
    session.tick(at(30))
    session.tick(at(60))
    result = ended(session.done(at(200))).result
    assert result.outcome is Outcome.COMPLETED
    assert result.steps_done == 2 and result.active_seconds == 200


def test_done_before_start_does_nothing() -> None:
    session = Session(routine(timed("a", 10)))
    assert session.done(T0) == [] and session.next(T0) == [] and session.pause(T0) == []
    assert session.state is SessionState.READY


def test_next_on_the_last_part_completes() -> None:
    session = Session(routine(timed("a", 10), reps("b", 5, 5, 20)))
    session.start(T0)
    session.next(at(3))
    assert session.view(at(3)).is_last
    result = ended(session.next(at(5))).result
    assert result.outcome is Outcome.COMPLETED and result.steps_done == 2


# --- clock trouble -------------------------------------------------------------------


def test_a_tick_long_after_its_deadline_pauses_at_the_next_part() -> None:
    session = Session(routine(timed("a", 60), timed("b", 60), timed("c", 60)))
    session.start(T0)
    events = session.tick(at(3600))  # the laptop slept for an hour
    assert kinds(events) == [StepStarted, Paused]
    assert events[1].reason is PauseReason.LATE_TICK and events[1].at == at(60)
    view = session.view(at(3600))
    assert view.paused and view.step_name == "b" and view.remaining_seconds == 60
    session.resume(at(3700))
    result = ended(session.tick(at(3820))).result
    assert result.steps_done == 3 and result.active_seconds == 180


def test_a_late_tick_on_the_last_part_simply_completes() -> None:
    session = Session(routine(timed("a", 60)))
    session.start(T0)
    events = session.tick(at(7200))
    assert kinds(events) == [SessionEnded]
    assert events[0].at == at(60) and events[0].result.active_seconds == 60


def test_the_clock_stepping_back_neither_stretches_nor_skips_the_countdown() -> None:
    session = Session(routine(timed("a", 60)))
    session.start(T0)
    session.tick(at(20))
    back = at(20) - timedelta(hours=1)
    assert session.tick(back) == []
    assert session.next_deadline(back) == back + timedelta(seconds=40)
    result = ended(session.tick(back + timedelta(seconds=40))).result
    assert result.active_seconds == 60


def test_naive_times_are_refused() -> None:
    session = Session(routine(timed("a", 60)))
    with pytest.raises(ValueError, match="aware"):
        session.start(datetime(2025, 3, 14, 9, 0))


def test_a_routine_without_steps_is_refused() -> None:
    with pytest.raises(ValueError, match="no steps"):
        Session(routine(timed("a", 60)), ())


# --- what the window shows -----------------------------------------------------------


def test_view_gives_everything_the_timer_window_shows() -> None:
    source = reset_routine()
    steps = source.steps[1:3]  # the two stretches
    session = Session(source, steps)
    before = session.view(T0)
    assert before.state is SessionState.READY and before.fraction_done == 0.0
    session.start(T0)
    view = session.view(at(45))
    assert view.routine_title == "2-minute reset" and view.routine_id == "reset"
    assert view.step_name == "Wall pec stretch"
    assert view.instruction == "Forearm on the wall."
    assert view.position() == "step 1 of 2"
    assert view.dose == "30–45 s each side"
    assert view.total_remaining_seconds == 135
    assert view.fraction_done == pytest.approx(0.25)
    assert not view.paused and not view.is_last and view.outcome is None

    session.tick(at(90))
    view = session.view(at(100))
    assert view.position() == "step 2 of 2" and view.side is Side.FIRST
    session.tick(at(135))
    assert session.view(at(135)).is_last
    session.tick(at(180))
    final = session.view(at(180))
    assert final.state is SessionState.ENDED and final.outcome is Outcome.COMPLETED
    assert final.fraction_done == 1.0 and final.total_remaining_seconds == 0


def test_countdown_rounds_up_so_zero_shows_only_at_the_end() -> None:
    session = Session(routine(timed("a", 60)))
    session.start(T0)
    assert session.view(at(0.2)).remaining_seconds == 60
    assert session.view(at(59.9)).clock == "0:01"
    assert session.view(at(61)).clock == "0:00"  # past due, tick not yet in


def test_a_shell_that_sleeps_until_each_deadline_runs_the_whole_reset() -> None:
    """The app's loop: sleep to next_deadline, tick; the user presses Next on reps."""
    session = Session(reset_routine())
    now = T0
    log = session.start(now)
    while session.state is not SessionState.ENDED:
        due = session.next_deadline(now)
        if due is None:  # a rep step waits: the user finishes 5 s later
            now += timedelta(seconds=5)
            log += session.next(now)
        else:
            now = due
            log += session.tick(now)
    switched = [e for e in log if isinstance(e, SidesSwitched)]
    assert [e.step.name for e in switched] == ["Wall pec stretch", "Hip-flexor stretch"]
    assert sum(isinstance(e, RepTimeUp) for e in log) == 2
    result = ended(log).result
    assert result.steps_done == 4
    assert result.active_seconds == 40 + 5 + 90 + 90 + 40 + 5


def test_the_countdown_never_shows_more_than_the_part_after_the_clock_steps_back() -> None:
    session = Session(routine(timed("a", 60)))
    session.start(T0)
    assert session.view(at(30) - timedelta(hours=1)).remaining_seconds == 60
