"""Which cue each moment of a guided session calls for, and when the 3-2-1 wakes the app."""

from __future__ import annotations

from datetime import timedelta

from movebreak.core.cues import COUNTDOWN_LEAD, Countdown, Cue, amplitude, cue_for, decibels
from movebreak.core.session import Session
from tests.session.session_helpers import at, reps, routine, timed


def test_each_moment_of_a_routine_has_its_cue():
    session = Session(routine(timed("Couch stretch", 20, each_side=True), timed("Plank", 30)))
    assert cue_for(session.start(at(0))) is Cue.STEP
    assert cue_for(session.tick(at(20))) is Cue.SWITCH_SIDES
    assert cue_for(session.tick(at(40))) is Cue.STEP
    assert cue_for(session.tick(at(70))) is Cue.DONE


def test_one_moment_gets_one_cue_the_end_first():
    session = Session(routine(timed("Plank", 10)))
    session.start(at(0))
    assert cue_for(session.next(at(3))) is Cue.DONE  # Next on the last part: the end


def test_skip_snooze_and_a_slept_through_deadline_stay_silent():
    session = Session(routine(timed("Plank", 10), timed("Squat", 10)))
    session.start(at(0))
    assert cue_for(session.tick(at(300))) is None  # the machine slept: nobody to hear it
    assert cue_for(session.skip(at(301))) is None
    other = Session(routine(timed("Plank", 10)))
    other.start(at(0))
    assert cue_for(other.snooze(at(2))) is None


def test_the_3_2_1_starts_three_seconds_before_a_timed_part_ends_once():
    session = Session(routine(timed("Wall pec stretch", 30, each_side=True)))
    countdown = Countdown()
    countdown.learn(session.start(at(0)))
    end = session.next_deadline(at(0))
    assert end == at(30)
    assert countdown.moment(end, at(0)) == at(30) - COUNTDOWN_LEAD == at(27)
    assert not countdown.due(end, at(26.9))
    assert countdown.due(end, at(27.01))
    assert countdown.moment(end, at(27.02)) is None  # played: no more wake-ups for it
    assert not countdown.due(end, at(27.5))
    countdown.learn(session.tick(at(30)))  # the second side
    assert countdown.moment(session.next_deadline(at(30)), at(30)) == at(57)


def test_a_paused_part_counts_down_again_after_resume_but_not_out_of_step():
    session = Session(routine(timed("Plank", 30)))
    countdown = Countdown()
    countdown.learn(session.start(at(0)))
    session.pause(at(10))
    assert countdown.moment(session.next_deadline(at(10)), at(10)) is None  # paused
    session.resume(at(20))  # 20 s left: ends at 40
    assert countdown.moment(session.next_deadline(at(20)), at(20)) == at(37)
    session.pause(at(38))
    session.resume(at(50))  # 2 s left: a 3-2-1 now would be out of step with the timer
    assert countdown.moment(session.next_deadline(at(50)), at(50)) is None
    assert not countdown.due(session.next_deadline(at(50)), at(50))


def test_rep_parts_short_parts_and_a_muted_countdown_get_no_3_2_1():
    rep_session = Session(routine(reps("Squats", 10, 15, 40)))
    countdown = Countdown()
    countdown.learn(rep_session.start(at(0)))
    assert countdown.moment(rep_session.next_deadline(at(0)), at(0)) is None
    short = Session(routine(timed("Shake out", 5)))
    countdown.learn(short.start(at(0)))
    assert countdown.moment(short.next_deadline(at(0)), at(0)) is None
    muted = Countdown(enabled=False)
    long = Session(routine(timed("Plank", 60)))
    muted.learn(long.start(at(0)))
    assert muted.moment(long.next_deadline(at(0)), at(0)) is None


def test_volume_follows_the_desktop_sliders_cubic_scale():
    assert amplitude(100) == 1.0
    assert amplitude(0) == 0.0
    assert abs(amplitude(50) - 0.125) < 1e-12
    assert decibels(100) == 0
    assert decibels(50) == -18
    assert decibels(0) is None
    assert amplitude(150) == 1.0


def test_countdown_lead_matches_the_cue_file():
    from tests.sound.test_cue_files import make_cues

    ticks = [note.at for note in make_cues().CUES["countdown"]]
    assert ticks == [0.0, 1.0, 2.0]
    assert timedelta(seconds=3) == COUNTDOWN_LEAD
