"""The timetable engine, driven by an injected clock (plain datetimes)."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

import pytest

from movebreak.config.loader import config_from_text, default_config
from movebreak.core.engine import Engine
from movebreak.core.events import Outcome
from movebreak.core.state import Source, Status, TimetableState
from tests.conftest import BERLIN, at


@pytest.fixture
def engine() -> Engine:
    return Engine(default_config(), BERLIN)


def started(engine: Engine, when: str) -> TimetableState:
    """A state as the app leaves it after starting at ``when``."""
    state, _ = engine.advance(TimetableState(), at(when))
    return state


def outcomes(events) -> list[tuple[Outcome, str | None]]:
    return [(e.outcome, e.routine) for e in events]


def test_monday_plan_has_morning_then_resets_inside_working_hours(engine):
    plan = engine.upcoming(TimetableState(), at("2026-11-30 00:00"), at("2026-11-30 23:59"))
    assert [(p.at.astimezone(BERLIN).strftime("%H:%M"), p.routine) for p in plan[:3]] == [
        ("09:00", "morning"),
        ("09:50", "reset"),
        ("10:40", "reset"),
    ]
    assert all(at("2026-11-30 09:00") <= p.at < at("2026-11-30 18:00") for p in plan)
    assert plan[-1].at.astimezone(BERLIN).strftime("%H:%M") == "17:20"  # 18:10 would be after hours


def test_a_day_to_24_00_leaves_no_gap_before_midnight():
    """With "23:59" the last minute of each day had no prompt; "24:00" ends at midnight."""
    config = config_from_text(
        '[work]\ndays = ["mon", "tue"]\nstart = "00:00"\nend = "24:00"\n'
        '[morning]\nenabled = false\n[reset]\nevery = "20s"\n',
        "c.toml",
    )
    engine = Engine(config, BERLIN)
    state = started(engine, "2026-11-30 23:58:40")
    plan = engine.upcoming(state, at("2026-11-30 23:58:40"), at("2026-12-01 00:00:45"))
    assert [p.at for p in plan] == [
        at("2026-11-30 23:59:00"),
        at("2026-11-30 23:59:20"),
        at("2026-11-30 23:59:40"),
        at("2026-12-01 00:00:20"),  # a new working day: its count starts at midnight
        at("2026-12-01 00:00:40"),
    ]


def test_weekend_plan_is_empty(engine):
    assert engine.upcoming(TimetableState(), at("2026-11-28 00:00"), at("2026-11-29 23:59")) == []


def test_working_days_and_hours_from_config():
    config = config_from_text(
        '[work]\ndays = ["sat"]\nstart = "10:00"\nend = "11:00"\n'
        '[morning]\nenabled = false\n[reset]\nevery = "20m"\n',
        "c.toml",
    )
    plan = Engine(config, BERLIN).upcoming(
        TimetableState(), at("2026-11-27 00:00"), at("2026-12-06 00:00")
    )
    assert [p.at for p in plan] == [
        at("2026-11-28 10:20"),
        at("2026-11-28 10:40"),
        at("2026-12-05 10:20"),
        at("2026-12-05 10:40"),
    ]


def test_dst_change_keeps_wall_clock_times_and_real_intervals(engine):
    # Europe/Berlin leaves summer time on Sunday 2026-10-25; Monday stays at 09:00 local.
    plan = engine.upcoming(TimetableState(), at("2026-10-23 12:00"), at("2026-10-26 10:00"))
    monday = [p for p in plan if p.at.date().isoformat() == "2026-10-26"]
    assert [p.at.astimezone(BERLIN).strftime("%H:%M %z") for p in monday] == [
        "09:00 +0100",
        "09:50 +0100",
    ]
    friday = [p for p in plan if p.at.date().isoformat() == "2026-10-23"]
    assert friday[0].at.astimezone(BERLIN).utcoffset() == timedelta(hours=2)
    gaps = {b.at - a.at for a, b in pairwise(friday)}
    assert gaps == {timedelta(minutes=50)}


def test_advance_delivers_due_reset_once(engine):
    state = started(engine, "2026-11-30 10:00")
    assert engine.next_wakeup(state, at("2026-11-30 10:00")) == at("2026-11-30 10:50")
    state, events = engine.advance(state, at("2026-11-30 10:50:00.3"))
    assert outcomes(events) == [(Outcome.PROMPTED, "reset")]
    assert engine.status(state, at("2026-11-30 10:51")) is Status.DUE
    state, events = engine.advance(state, at("2026-11-30 10:50:01"))
    assert events == []  # nothing twice
    assert engine.next_wakeup(state, at("2026-11-30 10:51")) == at("2026-11-30 11:40")


def test_rotation_offers_different_reset_exercises(engine):
    state = started(engine, "2026-11-30 10:00")
    state, first = engine.advance(state, at("2026-11-30 10:50"))
    state, _ = engine.skip(state, at("2026-11-30 10:51"))
    state, second = engine.advance(state, at("2026-11-30 11:41"))
    routine = engine.config.routine("reset")
    one = routine.steps_for(first[-1].rotation)
    two = routine.steps_for(second[-1].rotation)
    assert one != two and len(one) == len(two) == 2


def test_nothing_fires_outside_working_hours(engine):
    state = started(engine, "2026-11-30 17:30")
    assert engine.next_wakeup(state, at("2026-11-30 17:30")) == at("2026-12-01 09:00")
    state, events = engine.advance(state, at("2026-11-30 23:00"))
    assert events == []


def test_snooze_reprompts_after_the_chosen_time(engine):
    state = started(engine, "2026-11-30 10:00")
    state, _ = engine.advance(state, at("2026-11-30 10:50"))
    state, events = engine.snooze(state, at("2026-11-30 10:51"), timedelta(minutes=10))
    assert outcomes(events) == [(Outcome.SNOOZED, "reset")]
    assert engine.status(state, at("2026-11-30 10:52")) is Status.WAITING
    assert engine.next_wakeup(state, at("2026-11-30 10:52")) == at("2026-11-30 11:01")
    state, events = engine.advance(state, at("2026-11-30 11:01"))
    assert outcomes(events) == [(Outcome.PROMPTED, "reset")]
    assert state.pending.source is Source.SNOOZE


def test_skip_moves_on_to_the_next_slot(engine):
    state = started(engine, "2026-11-30 10:00")
    state, _ = engine.advance(state, at("2026-11-30 10:50"))
    state, events = engine.skip(state, at("2026-11-30 10:55"))
    assert outcomes(events) == [(Outcome.SKIPPED, "reset")]
    assert engine.next_wakeup(state, at("2026-11-30 10:55")) == at("2026-11-30 11:45")


def test_skip_with_nothing_due_skips_the_next_prompt(engine):
    state = started(engine, "2026-11-30 10:00")
    state, events = engine.skip(state, at("2026-11-30 10:30"))
    assert outcomes(events) == [(Outcome.SKIPPED, "reset")]
    assert engine.next_wakeup(state, at("2026-11-30 10:30")) == at("2026-11-30 11:40")


def test_pause_holds_everything_and_does_not_replay(engine):
    state = started(engine, "2026-11-30 10:00")
    state, events = engine.pause(state, at("2026-11-30 10:10"), at("2026-11-30 12:10"))
    assert outcomes(events) == [(Outcome.PAUSED, None)]
    assert engine.status(state, at("2026-11-30 11:00")) is Status.PAUSED
    assert engine.next_wakeup(state, at("2026-11-30 10:10")) == at("2026-11-30 12:10")
    state, events = engine.advance(state, at("2026-11-30 12:10"))
    assert outcomes(events) == [(Outcome.RESUMED, None)]  # no prompt for 10:50 or 11:40
    assert engine.next_wakeup(state, at("2026-11-30 12:10")) == at("2026-11-30 13:00")


def test_resume_brings_the_timetable_back_now(engine):
    state = started(engine, "2026-11-30 10:00")
    state, _ = engine.pause(
        state, at("2026-11-30 10:10"), engine.pause_until_tomorrow(at("2026-11-30 10:10"))
    )
    assert state.paused_until == at("2026-12-01 00:00")
    state, events = engine.resume(state, at("2026-11-30 11:00"))
    assert outcomes(events) == [(Outcome.RESUMED, None)]
    assert engine.next_wakeup(state, at("2026-11-30 11:00")) == at("2026-11-30 11:50")


def test_three_hour_suspend_gives_no_burst(engine):
    state = started(engine, "2026-11-30 10:00")
    # The machine slept from 10:20 to 13:20; the timer fires late, once.
    state, events = engine.advance(state, at("2026-11-30 13:20"))
    assert [e.outcome for e in events] == [Outcome.MISSED]
    assert engine.status(state, at("2026-11-30 13:20")) is Status.WAITING
    assert engine.next_wakeup(state, at("2026-11-30 13:20")) == at("2026-11-30 14:10")


def test_slightly_late_timer_still_delivers(engine):
    state = started(engine, "2026-11-30 10:00")
    state, events = engine.advance(state, at("2026-11-30 10:51:30"))
    assert outcomes(events) == [(Outcome.PROMPTED, "reset")]


def test_morning_routine_at_nine_and_not_again_after_restart(engine):
    state = started(engine, "2026-11-30 08:30")
    assert engine.next_wakeup(state, at("2026-11-30 08:30")) == at("2026-11-30 09:00")
    state, events = engine.advance(state, at("2026-11-30 09:00"))
    assert outcomes(events) == [(Outcome.PROMPTED, "morning")]
    state, events = engine.start(state, at("2026-11-30 09:02"))
    assert outcomes(events) == [(Outcome.STARTED, "morning")]
    assert engine.status(state, at("2026-11-30 09:03")) is Status.RUNNING
    assert engine.next_wakeup(state, at("2026-11-30 09:03")) is None  # the session decides
    state, events = engine.advance(state, at("2026-11-30 09:10"))
    assert events == []  # nothing interrupts a routine in progress
    state, events = engine.done(state, at("2026-11-30 09:17"))
    assert outcomes(events) == [(Outcome.COMPLETED, "morning")]
    # the reset count starts when the routine ends
    assert engine.next_wakeup(state, at("2026-11-30 09:17")) == at("2026-11-30 10:07")
    assert engine.next_prompt(state, at("2026-11-30 09:17")).routine == "reset"


def test_prompt_due_during_a_routine_waits_for_its_end(engine):
    state = started(engine, "2026-11-30 08:55")
    state, _ = engine.start(state, at("2026-11-30 08:58"), "reset")
    state, events = engine.advance(state, at("2026-11-30 09:01"))
    assert events == []
    state, events = engine.done(state, at("2026-11-30 09:02"))
    state, events = engine.advance(state, at("2026-11-30 09:02"))
    assert outcomes(events) == [(Outcome.PROMPTED, "morning")]


def test_app_started_a_little_after_nine_still_offers_the_morning_routine(engine):
    state, events = engine.advance(TimetableState(), at("2026-11-30 09:20"))
    assert outcomes(events) == [(Outcome.PROMPTED, "morning")]


def test_done_completes_the_pending_prompt(engine):
    state = started(engine, "2026-11-30 10:00")
    state, _ = engine.advance(state, at("2026-11-30 10:50"))
    state, events = engine.done(state, at("2026-11-30 10:53"))
    assert outcomes(events) == [(Outcome.COMPLETED, "reset")]
    assert engine.next_wakeup(state, at("2026-11-30 10:53")) == at("2026-11-30 11:43")


def test_start_on_demand_runs_a_routine_and_skip_stops_it(engine):
    state = started(engine, "2026-11-30 10:00")
    state, events = engine.start(state, at("2026-11-30 10:05"), "reset")
    assert outcomes(events) == [(Outcome.STARTED, "reset")]
    assert state.running.source is Source.MANUAL
    state, events = engine.skip(state, at("2026-11-30 10:06"))
    assert outcomes(events) == [(Outcome.SKIPPED, "reset")]
    assert state.running is None


def test_unanswered_prompt_is_replaced_not_stacked(engine):
    state = started(engine, "2026-11-30 10:00")
    state, _ = engine.advance(state, at("2026-11-30 10:50"))
    state, events = engine.advance(state, at("2026-11-30 11:40"))
    assert outcomes(events) == [(Outcome.MISSED, "reset"), (Outcome.PROMPTED, "reset")]


def test_clock_set_back_does_not_wait_for_the_old_future(engine):
    state = started(engine, "2026-11-30 12:00")
    state, events = engine.advance(state, at("2026-11-30 10:00"))
    assert events == []
    assert engine.next_wakeup(state, at("2026-11-30 10:00")) == at("2026-11-30 10:50")


def test_standing_blocks_alternate_when_enabled():
    config = config_from_text(
        '[standing]\nenabled = true\nsit = "30m"\nstand = "30m"\n'
        "[reset]\nenabled = false\n[morning]\nenabled = false\n",
        "c.toml",
    )
    plan = Engine(config, BERLIN).upcoming(
        TimetableState(), at("2026-11-30 08:00"), at("2026-11-30 12:00")
    )
    assert [p.at.astimezone(BERLIN).strftime("%H:%M") for p in plan] == ["09:30", "10:30", "11:30"]
    assert {p.routine for p in plan} == {"standing-block"}


def test_a_snoozed_prompt_comes_back_with_the_same_exercises(engine):
    state = started(engine, "2026-11-30 10:00")
    state, first = engine.advance(state, at("2026-11-30 10:50"))
    state, _ = engine.snooze(state, at("2026-11-30 10:50"), timedelta(minutes=5))
    state, again = engine.advance(state, at("2026-11-30 10:55"))
    assert again[-1].rotation == first[-1].rotation
    state, _ = engine.skip(state, at("2026-11-30 10:56"))
    state, later = engine.advance(state, at("2026-11-30 11:46"))
    assert later[-1].rotation == first[-1].rotation + 1


def test_snooze_with_nothing_due_postpones_the_next_prompt(engine):
    state = started(engine, "2026-11-30 10:00")
    state, events = engine.snooze(state, at("2026-11-30 10:20"), timedelta(minutes=10))
    assert outcomes(events) == [(Outcome.SNOOZED, "reset")]
    assert engine.next_wakeup(state, at("2026-11-30 10:20")) == at("2026-11-30 10:30")


@pytest.mark.parametrize("finish", ["done", "skip"])
def test_a_routine_dealt_with_by_hand_uses_up_its_snooze(engine, finish):
    """Snooze a reset, then start it from the menu and finish (or skip) it before the snooze
    runs out: the snoozed prompt must not fire right after (issue 18, defect 7)."""
    state = started(engine, "2026-11-30 10:00")
    state, prompted = engine.advance(state, at("2026-11-30 10:50"))
    state, _ = engine.snooze(state, at("2026-11-30 10:50"), timedelta(minutes=10))
    state, events = engine.start(state, at("2026-11-30 10:52"), "reset")
    # Done early, it is the snoozed prompt: the same exercises, still counted as prompted.
    assert (events[-1].source, events[-1].rotation) == (Source.SNOOZE, prompted[-1].rotation)
    state, _ = getattr(engine, finish)(state, at("2026-11-30 10:54"))
    assert state.snoozed is None
    state, events = engine.advance(state, at("2026-11-30 11:01"))
    assert events == []
    assert engine.next_wakeup(state, at("2026-11-30 11:01")) == at("2026-11-30 11:44")


def test_i_just_moved_uses_up_a_snoozed_reset(engine):
    state = started(engine, "2026-11-30 10:00")
    state, _ = engine.advance(state, at("2026-11-30 10:50"))
    state, _ = engine.snooze(state, at("2026-11-30 10:50"), timedelta(minutes=10))
    state, events = engine.done(state, at("2026-11-30 10:55"))
    assert events == [] and state.snoozed is None
    assert engine.next_wakeup(state, at("2026-11-30 10:56")) == at("2026-11-30 11:45")


def test_starting_another_routine_keeps_the_snooze(engine):
    state = started(engine, "2026-11-30 10:00")
    state, _ = engine.advance(state, at("2026-11-30 10:50"))
    state, _ = engine.snooze(state, at("2026-11-30 10:50"), timedelta(minutes=10))
    state, _ = engine.start(state, at("2026-11-30 10:52"), "morning")
    state, _ = engine.done(state, at("2026-11-30 10:55"))
    assert state.snoozed is not None and state.snoozed.routine == "reset"
    state, events = engine.advance(state, at("2026-11-30 11:00"))
    assert outcomes(events) == [(Outcome.PROMPTED, "reset")]


def test_a_users_snooze_is_never_replaced_by_an_offer_again():
    engine = Engine(default_config(), BERLIN, sees_fullscreen=False)
    state = started(engine, "2026-11-30 08:30")
    state, _ = engine.advance(state, at("2026-11-30 09:00"))
    state, _ = engine.snooze(state, at("2026-11-30 09:01"), timedelta(minutes=90))  # morning
    state, events = engine.advance(state, at("2026-11-30 09:51"))
    assert outcomes(events) == [(Outcome.PROMPTED, "reset")]  # a first offer, unanswered
    assert state.snoozed.routine == "morning"  # no room to offer the reset again
    state, events = engine.advance(state, at("2026-11-30 10:31"))
    assert outcomes(events) == [(Outcome.MISSED, "reset"), (Outcome.PROMPTED, "morning")]


def test_fullscreen_holds_turned_off_means_no_offer_again():
    config = config_from_text('[quiet]\nfullscreen = false\n', "c.toml")
    engine = Engine(config, BERLIN, sees_fullscreen=False)
    state = started(engine, "2026-11-30 10:00")
    state, _ = engine.advance(state, at("2026-11-30 10:50"))
    assert state.snoozed is None
