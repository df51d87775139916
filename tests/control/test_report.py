"""The app-side helpers on the real engine and the built-in config."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from movebreak.config.loader import default_config
from movebreak.control.cli import describe_status
from movebreak.control.report import resolve_routine, status_report
from movebreak.control.target import UnknownRoutine
from movebreak.core.engine import Engine
from movebreak.core.state import TimetableState
from movebreak.core.view import tray_view
from tests.conftest import at


@pytest.fixture
def engine(tz):
    return Engine(default_config(), tz)


def report(engine, state, now):
    return status_report(engine, state, now, tray_view(engine, state, now))


def test_reset_and_morning_name_the_routines_the_timetable_uses(engine):
    config = engine.config
    assert resolve_routine(config, "reset") == config.reset.routine
    assert resolve_routine(config, "morning") == config.morning.routine
    with pytest.raises(UnknownRoutine) as caught:
        resolve_routine(config, "yoga")
    assert caught.value.known == sorted(config.routines)
    assert isinstance(caught.value, KeyError)


def test_a_waiting_day_reports_the_next_prompt_in_local_time(engine):
    now = at("2026-11-30 10:00")  # a Monday
    state = TimetableState(checked_until=now, reset_anchor=now, morning_handled=now.date())
    data = report(engine, state, now)
    assert json.loads(json.dumps(data)) == data  # JSON-ready as is
    assert data["state"] == "waiting"
    assert data["next"] == {
        "at": "2026-11-30T10:50:00+01:00",
        "routine": engine.config.reset.routine,
        "title": engine.config.routine(engine.config.reset.routine).title,
    }
    assert data["running"] is None and data["paused"] is False
    assert data["routines"] == sorted(engine.config.routines)
    assert describe_status(data)[:3] == [
        data["headline"],
        "state:   waiting",
        f"next:    {data['next']['title']} at Mon 2026-11-30 10:50",
    ]


def test_a_pause_and_a_running_routine_are_reported(engine):
    now = at("2026-11-30 10:00")
    state = TimetableState(checked_until=now, reset_anchor=now)
    paused, _ = engine.pause(state, now, now + timedelta(hours=1))
    data = report(engine, paused, now)
    assert data["state"] == "paused" and data["paused"] is True
    assert data["paused_until"] == "2026-11-30T11:00:00+01:00"
    started, _ = engine.start(state, now, resolve_routine(engine.config, "morning"))
    data = report(engine, started, now + timedelta(minutes=1))
    assert data["state"] == "running"
    assert data["running"]["routine"] == engine.config.morning.routine
    assert data["running"]["title"] == engine.config.routine(data["running"]["routine"]).title
