"""Edge cases found in review: DST arithmetic, meetings when held prompts are released,
routines done away from the keyboard, and prompts pushed out of the working day."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

from movebreak.config.loader import config_from_text, default_config
from movebreak.core import away
from movebreak.core.agenda import Meeting
from movebreak.core.engine import Engine
from movebreak.core.events import Outcome
from movebreak.core.meetings import MeetingKind
from movebreak.core.state import Source, TimetableState
from tests.conftest import BERLIN, at


def video(start: str, end: str) -> Meeting:
    return Meeting(at(f"2026-11-30 {start}"), at(f"2026-11-30 {end}"), MeetingKind.VIDEO, "Call")


def test_resets_across_the_spring_dst_gap_are_fifty_real_minutes_apart():
    config = config_from_text(
        '[work]\ndays = ["sun"]\nstart = "00:30"\nend = "06:00"\n[morning]\nenabled = false\n',
        "c.toml",
    )
    plan = Engine(config, BERLIN).upcoming(
        TimetableState(), at("2026-03-29 00:00"), at("2026-03-29 06:00")
    )
    assert {b.at - a.at for a, b in pairwise(plan)} == {timedelta(minutes=50)}
    assert [p.at.astimezone(BERLIN).strftime("%H:%M") for p in plan[:3]] == [
        "01:20",
        "03:10",
        "04:00",
    ]  # 02:00-03:00 does not exist that night


def test_back_from_lunch_into_a_video_call_waits_for_its_end():
    engine = Engine(default_config(), BERLIN, (video("13:00", "14:00"),))
    state, _ = engine.advance(TimetableState(), at("2026-11-30 11:00"))
    state, _ = away.went_away(engine, state, at("2026-11-30 12:00"))
    state, events = away.came_back(engine, state, at("2026-11-30 13:05"))
    assert not [e for e in events if e.outcome is Outcome.PROMPTED]
    assert engine.next_wakeup(state, at("2026-11-30 13:05")) >= at("2026-11-30 14:00")


def test_quiet_ending_inside_a_video_call_releases_at_the_call_end():
    engine = Engine(default_config(), BERLIN, (video("13:00", "14:00"),))
    state, _ = engine.advance(TimetableState(), at("2026-11-30 12:00"))
    state, _ = away.quiet_started(engine, state, "a fullscreen window")
    state, _ = engine.advance(state, at("2026-11-30 12:55"))
    state, events = away.quiet_ended(engine, state, at("2026-11-30 13:10"))
    assert events == []
    assert engine.next_wakeup(state, at("2026-11-30 13:10")) == at("2026-11-30 14:00")
    state, events = engine.advance(state, at("2026-11-30 14:00"))
    assert [(e.outcome, e.routine) for e in events] == [(Outcome.PROMPTED, "reset")]


def test_a_routine_done_away_from_the_keyboard_is_not_a_welcome_back():
    engine = Engine(default_config(), BERLIN)
    state, _ = engine.advance(TimetableState(), at("2026-11-30 09:00"))
    state, _ = engine.start(state, at("2026-11-30 09:00:01"), "morning")
    state, _ = away.went_away(engine, state, at("2026-11-30 09:01"))  # ignored: it runs
    state, _ = engine.done(state, at("2026-11-30 09:15:01"))
    state, _ = away.went_away(engine, state, at("2026-11-30 09:15:02"))
    state, events = away.came_back(engine, state, at("2026-11-30 09:20:20"))
    assert not [e for e in events if e.source is Source.RETURN]


def test_first_activity_morning_does_not_come_in_the_evening():
    engine = Engine(config_from_text('[morning]\nat = "first-activity"\n', "c.toml"), BERLIN)
    state, events = engine.advance(TimetableState(), at("2026-11-30 21:30"))
    assert events == []


def test_a_snoozed_stand_prompt_ends_with_its_call():
    call = Meeting(at("2026-11-30 10:00"), at("2026-11-30 10:20"), MeetingKind.AUDIO, "Call")
    engine = Engine(default_config(), BERLIN, (call,))
    state, _ = engine.advance(TimetableState(), at("2026-11-30 09:55"))
    state, _ = engine.advance(state, at("2026-11-30 10:00"))
    state, _ = engine.snooze(state, at("2026-11-30 10:01"), timedelta(minutes=30))
    state, events = engine.advance(state, at("2026-11-30 10:31"))
    assert not [e for e in events if e.outcome is Outcome.PROMPTED]


def test_a_meeting_pushing_a_standing_block_past_the_day_drops_it():
    config = config_from_text(
        '[standing]\nenabled = true\nsit = "30m"\nstand = "30m"\n'
        "[reset]\nenabled = false\n[morning]\nenabled = false\n",
        "c.toml",
    )
    engine = Engine(config, BERLIN, (video("17:00", "18:30"),))
    plan = engine.upcoming(TimetableState(), at("2026-11-30 16:00"), at("2026-11-30 23:00"))
    assert all(p.at < at("2026-11-30 18:00") for p in plan)


def test_resuming_after_the_morning_time_drops_it_like_a_pause_ending():
    engine = Engine(default_config(), BERLIN)
    state, _ = engine.advance(TimetableState(), at("2026-11-30 08:20"))
    state, _ = engine.pause(state, at("2026-11-30 08:30"), at("2026-11-30 09:30"))
    state, _ = engine.resume(state, at("2026-11-30 09:20"))
    state, events = engine.advance(state, at("2026-11-30 09:20"))
    assert events == []


def test_days_the_app_did_not_run_leave_no_missed_prompts():
    engine = Engine(default_config(), BERLIN)
    state, _ = engine.advance(TimetableState(), at("2026-11-30 17:00"))
    state = engine.start_up(state, at("2026-12-02 08:55"))  # not run on Tuesday
    state, events = engine.advance(state, at("2026-12-02 08:55"))
    assert events == []
    state, events = engine.advance(state, at("2026-12-02 09:00"))
    assert [(e.outcome, e.routine) for e in events] == [(Outcome.PROMPTED, "morning")]
