"""Meetings in the timetable: hold prompts in video calls, get people standing in audio ones."""

from __future__ import annotations

from datetime import datetime, timedelta

from movebreak.config.loader import default_config
from movebreak.core import agenda
from movebreak.core.agenda import Meeting
from movebreak.core.engine import Engine
from movebreak.core.events import Outcome
from movebreak.core.meetings import MeetingKind
from movebreak.core.state import Source, Status, TimetableState
from tests.conftest import BERLIN, at


def engine_with(*meetings: Meeting) -> Engine:
    return Engine(default_config(), BERLIN, tuple(meetings))


def meeting(start: str, end: str, kind: MeetingKind, title: str = "Sync") -> Meeting:
    return Meeting(at(f"2026-11-30 {start}"), at(f"2026-11-30 {end}"), kind, title)


def started(engine: Engine, when: str) -> TimetableState:
    state, _ = engine.advance(TimetableState(), at(f"2026-11-30 {when}"))
    return state


def test_audio_call_prompts_standing_at_its_start_and_reminds_in_long_calls():
    engine = engine_with(meeting("11:00", "11:45", MeetingKind.AUDIO, "Weekly with Sam"))
    plan = engine.upcoming(started(engine, "10:55"), at("2026-11-30 10:55"), at("2026-11-30 12:00"))
    stand = [p for p in plan if p.source is Source.MEETING]
    assert [p.at.astimezone(BERLIN).strftime("%H:%M") for p in stand] == ["11:00", "11:20", "11:40"]
    assert stand[0].routine == "meeting-stand"
    assert stand[0].reason == "audio-only call: Weekly with Sam"
    assert stand[1].reason == "still in: Weekly with Sam"


def test_stand_prompt_fires_at_the_call_start_and_the_icon_shows_the_meeting():
    engine = engine_with(meeting("11:00", "11:45", MeetingKind.AUDIO))
    state = started(engine, "10:55")
    assert engine.next_wakeup(state, at("2026-11-30 10:55")) == at("2026-11-30 11:00")
    state, events = engine.advance(state, at("2026-11-30 11:00"))
    assert [(e.outcome, e.routine) for e in events] == [(Outcome.PROMPTED, "meeting-stand")]
    state, _ = engine.done(state, at("2026-11-30 11:01"))
    assert engine.status(state, at("2026-11-30 11:05")) is Status.MEETING


def test_app_started_during_a_call_still_prompts_until_the_call_ends():
    engine = engine_with(meeting("11:00", "11:45", MeetingKind.AUDIO))
    state, events = engine.advance(TimetableState(), at("2026-11-30 11:15"))
    assert [(e.outcome, e.routine) for e in events] == [(Outcome.PROMPTED, "meeting-stand")]


def test_reset_due_in_a_video_call_comes_right_after_it():
    engine = engine_with(meeting("10:30", "11:10", MeetingKind.VIDEO))
    state = started(engine, "10:00")
    assert engine.next_wakeup(state, at("2026-11-30 10:00")) == at("2026-11-30 11:10")
    assert engine.status(state, at("2026-11-30 10:45")) is Status.MEETING
    state, events = engine.advance(state, at("2026-11-30 10:50"))  # a stray wake-up: nothing
    assert events == []
    state, events = engine.advance(state, at("2026-11-30 11:10"))
    assert [(e.outcome, e.routine) for e in events] == [(Outcome.PROMPTED, "reset")]


def test_back_to_back_meetings_push_the_reset_to_the_last_end():
    engine = engine_with(
        meeting("10:30", "11:00", MeetingKind.VIDEO),
        meeting("11:00", "11:30", MeetingKind.IN_PERSON),
    )
    state = started(engine, "10:00")
    assert engine.next_wakeup(state, at("2026-11-30 10:00")) == at("2026-11-30 11:30")


def test_reset_due_in_an_audio_call_restarts_the_count_at_its_end():
    engine = engine_with(meeting("10:30", "11:10", MeetingKind.AUDIO))
    plan = engine.upcoming(started(engine, "10:00"), at("2026-11-30 10:00"), at("2026-11-30 13:00"))
    resets = [p.at.astimezone(BERLIN).strftime("%H:%M") for p in plan if p.source is Source.RESET]
    assert resets[0] == "12:00"  # 11:10 + 50 min, not 10:50 nor 11:10


def test_morning_routine_moves_to_after_a_meeting_that_covers_it():
    engine = engine_with(meeting("08:30", "09:30", MeetingKind.VIDEO, "Standup"))
    plan = engine.upcoming(TimetableState(), at("2026-11-30 00:00"), at("2026-11-30 12:00"))
    morning = [p for p in plan if p.source is Source.MORNING]
    assert morning[0].at == at("2026-11-30 09:30")
    assert morning[0].reason == "morning routine, after a meeting"
    # a bookkeeping tick in the middle of the meeting does not lose it
    state = started(engine, "08:45")
    state, events = engine.advance(state, at("2026-11-30 09:10"))
    assert events == []
    state, events = engine.advance(state, at("2026-11-30 09:30"))
    assert [(e.outcome, e.routine) for e in events] == [(Outcome.PROMPTED, "morning")]


def test_a_video_meeting_running_past_the_day_sends_the_reset_to_tomorrow():
    engine = engine_with(meeting("17:00", "18:30", MeetingKind.VIDEO))
    state = started(engine, "16:30")
    wake = engine.next_wakeup(state, at("2026-11-30 16:30"))
    assert wake == at("2026-12-01 09:00")  # tomorrow's morning routine comes first


def test_meeting_reminder_interval_is_configurable_and_can_be_off():
    config = default_config()
    quiet = Engine(
        config.__class__(
            **{**config.__dict__, "calendar": config.calendar.__class__(audio_reminder=None)}
        ),
        BERLIN,
        (meeting("11:00", "12:00", MeetingKind.AUDIO),),
    )
    plan = quiet.upcoming(started(quiet, "10:55"), at("2026-11-30 10:55"), at("2026-11-30 12:00"))
    assert [
        p.at.astimezone(BERLIN).strftime("%H:%M") for p in plan if p.source is Source.MEETING
    ] == ["11:00"]
    assert timedelta(minutes=20) == default_config().calendar.audio_reminder


def _naive_after_busy(meetings, moment):
    for _ in range(len(meetings) + 1):
        blocking = [m for m in meetings if m.kind in agenda.BUSY and m.covers(moment)]
        if not blocking:
            return moment
        moment = max(m.end for m in blocking)
    return moment


def _naive_audio(meetings, moment):
    calls = [m for m in meetings if m.kind is MeetingKind.AUDIO and m.covers(moment)]
    return max(calls, key=lambda m: m.end).end if calls else None


def _naive_cue(meetings, reminder, after):
    return next((c.at for c in agenda.stand_cues(meetings, reminder) if c.at > after), None)


def test_the_merged_busy_index_answers_as_the_plain_scan_did():
    """The index built once per load agrees with the scan it replaced, on random days."""
    import random
    from datetime import UTC

    rng = random.Random(14)
    base = datetime(2026, 3, 10, 8, tzinfo=UTC)
    kinds = [MeetingKind.VIDEO, MeetingKind.IN_PERSON, MeetingKind.AUDIO]
    for _ in range(60):
        meetings = tuple(
            agenda.Meeting(start, start + timedelta(minutes=rng.choice([0, 5, 15, 30, 60, 90])),
                           rng.choice(kinds))
            for start in (base + timedelta(minutes=5 * rng.randrange(0, 100))
                          for _ in range(rng.randrange(0, 25))))
        for step in range(0, 600, 5):
            moment = base + timedelta(minutes=step)
            assert agenda.after_busy(meetings, moment) == _naive_after_busy(meetings, moment)
            call = agenda.audio_call_at(meetings, moment)
            assert (call.end if call else None) == _naive_audio(meetings, moment)
            cue = agenda.next_stand_cue(meetings, timedelta(minutes=20), moment)
            assert (cue.at if cue else None) == _naive_cue(meetings, timedelta(minutes=20), moment)
