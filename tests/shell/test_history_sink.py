"""Core events become history rows: one prompt id from offer to outcome, across a snooze."""

from __future__ import annotations

from datetime import timedelta

from movebreak.app.controller import Controller
from movebreak.app.history_sink import HistoryRecorder
from movebreak.config.loader import default_config
from movebreak.core.commands import Done, Skip, Snooze, Start
from movebreak.core.engine import Engine
from movebreak.core.state import TimetableState
from movebreak.core.stats import summarize, today_line
from movebreak.history import EventKind
from tests.conftest import BERLIN, at
from tests.shell.doubles import ManualClock, ManualTimer, RecordingNotifier


def rig(tmp_path):
    clock = ManualClock(at("2026-11-30 10:00"))
    timer = ManualTimer(clock)
    config = default_config()
    controller = Controller(Engine(config, BERLIN), TimetableState(), clock, RecordingNotifier(),
                            timer, lambda s: None)
    history = HistoryRecorder(tmp_path / "history.sqlite3", lambda: config, lambda: BERLIN)
    controller.on_event(history)
    controller.start_up()
    return controller, clock, timer, history


def test_a_snoozed_then_completed_prompt_is_one_prompt(tmp_path):
    controller, clock, timer, history = rig(tmp_path)
    timer.run_until(at("2026-11-30 10:50"), controller)
    controller.handle(Snooze(timedelta(minutes=5)))
    timer.run_until(at("2026-11-30 10:55"), controller)
    controller.handle(Start())
    timer.run_until(at("2026-11-30 10:56:10"), controller)  # pull-aparts over, stretch running
    controller.handle(Done())
    rows = history.store().events()
    assert {r.prompt_id for r in rows} == {rows[0].prompt_id}
    assert [r.kind for r in rows] == [EventKind.PROMPTED, EventKind.SNOOZED, EventKind.PROMPTED,
                                      EventKind.STARTED, EventKind.COMPLETED]
    assert rows[-1].steps_done == 2 and rows[-1].active_seconds == 70
    assert history.today(clock.now()) == "Today: 1 of 1 reset"


def test_manual_start_and_missed_prompts_get_their_own_ids(tmp_path):
    controller, clock, timer, history = rig(tmp_path)
    controller.handle(Start("morning"))
    controller.handle(Skip())
    clock.current = at("2026-11-30 14:00")  # the machine slept through 11:..
    controller.tick()
    kinds = [(r.routine_id, r.kind) for r in history.store().events()]
    assert kinds[:3] == [("morning", EventKind.PROMPTED), ("morning", EventKind.STARTED),
                         ("morning", EventKind.SKIPPED)]
    assert ("reset", EventKind.MISSED) in kinds


def test_an_unusable_history_turns_itself_off(tmp_path, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    history = HistoryRecorder(blocker / "history.sqlite3", default_config, lambda: BERLIN)
    assert history.store() is None
    assert history.today(at("2026-11-30 10:00")) == "Today: history is off"
    assert "history is off" in caplog.text


def line_from_whole_history(read_events, now) -> str:
    """What the tray would say were the day read back from the database, as it once was."""
    day = now.astimezone(BERLIN).date()
    return today_line(summarize(read_events(since=day), day, days=1).today)


def test_the_tray_line_follows_events_without_reading_the_day_again(tmp_path, monkeypatch):
    controller, clock, timer, history = rig(tmp_path)
    assert history.today(clock.now()) == "Today: no resets yet"  # seeded: one read
    reads = []
    store = history.store()
    real_events = store.events
    monkeypatch.setattr(store, "events", lambda *a, **k: reads.append(k) or real_events(*a, **k))
    lines = []
    for answer in ("snooze", "done", "skip", "morning", "missed"):
        timer.run_until(clock.now() + timedelta(minutes=50), controller)
        if answer == "snooze":
            controller.handle(Snooze(timedelta(minutes=5)))
            timer.run_until(clock.now() + timedelta(minutes=5), controller)
        if answer in ("snooze", "done"):
            controller.handle(Start())
            timer.run_until(clock.now() + timedelta(seconds=30), controller)
            controller.handle(Done())
        elif answer == "skip":
            controller.handle(Skip())
        elif answer == "morning":
            controller.handle(Start("morning"))
            controller.handle(Skip())
        lines.append(history.today(clock.now()))
        assert lines[-1] == line_from_whole_history(real_events, clock.now()), answer
    assert reads == []
    assert lines[1] == "Today: 2 of 2 resets" and "morning not done" in lines[-1]


def test_the_tray_line_starts_afresh_when_the_date_changes(tmp_path):
    controller, clock, timer, history = rig(tmp_path)
    timer.run_until(at("2026-11-30 10:50"), controller)
    controller.handle(Skip())
    assert history.today(clock.now()) == "Today: 0 of 1 reset"
    clock.current = at("2026-12-01 09:00")
    assert history.today(clock.now()) == "Today: no resets yet"
    timer.run_until(at("2026-12-01 10:00"), controller)
    controller.handle(Skip())
    line = history.today(clock.now())
    assert line == line_from_whole_history(history.store().events, clock.now())
    assert line == "Today: 0 of 1 reset · morning not done"  # the new day's morning came at 9


def blind_rig(tmp_path):
    """A desktop that cannot tell fullscreen windows (GNOME on Wayland, macOS)."""
    controller, clock, timer, history = rig(tmp_path)
    controller.sees_fullscreen(False)
    return controller, clock, timer, history


def test_an_unanswered_prompt_where_fullscreen_is_unseen_comes_once_more(tmp_path):
    controller, clock, timer, history = blind_rig(tmp_path)
    timer.run_until(at("2026-11-30 10:50"), controller)
    notifier = controller._notifier
    assert len(notifier.shown) == 1
    timer.run_until(at("2026-11-30 11:00"), controller)  # prompts.snooze later, unanswered
    assert len(notifier.shown) == 2 and notifier.shown[1].title == notifier.shown[0].title
    timer.run_until(at("2026-11-30 11:49"), controller)  # no third offer
    assert len(notifier.shown) == 2
    rows = history.store().events()
    assert {r.prompt_id for r in rows} == {rows[0].prompt_id}  # one prompt, offered twice
    assert [r.kind for r in rows] == [EventKind.PROMPTED, EventKind.PROMPTED]
    assert history.today(clock.now()) == "Today: 0 of 1 reset"
    timer.run_until(at("2026-11-30 11:50"), controller)  # the next reset, 50 min on
    assert len(notifier.shown) == 3


def test_an_answered_prompt_is_not_offered_again(tmp_path):
    controller, clock, timer, history = blind_rig(tmp_path)
    timer.run_until(at("2026-11-30 10:50"), controller)
    clock.advance(seconds=20)
    controller.handle(Skip())
    timer.run_until(at("2026-11-30 11:30"), controller)
    assert len(controller._notifier.shown) == 1
    assert [r.kind for r in history.store().events()] == [EventKind.PROMPTED,
                                                          EventKind.SKIPPED]


def test_a_desktop_that_sees_fullscreen_offers_once(tmp_path):
    controller, clock, timer, history = rig(tmp_path)
    timer.run_until(at("2026-11-30 11:30"), controller)
    assert len(controller._notifier.shown) == 1


def test_blindness_survives_a_config_reload(tmp_path):
    controller, clock, timer, history = blind_rig(tmp_path)
    controller.use_config(Engine(default_config(), BERLIN))
    timer.run_until(at("2026-11-30 11:00"), controller)
    assert len(controller._notifier.shown) == 2
