"""The controller joins core and ports: wake-ups, notifications, saved state, config reloads."""

from __future__ import annotations

from datetime import timedelta

import pytest

from movebreak.app.controller import Controller
from movebreak.config.errors import Problem
from movebreak.config.loader import config_from_text, default_config
from movebreak.core.commands import Done, Hold, Next, Pause, Resume, Skip, Snooze, Start
from movebreak.core.engine import Engine, Outcome
from movebreak.core.state import Status, TimetableState
from movebreak.guide.pictures import picture_path
from movebreak.notify.base import NoticeKind
from movebreak.storage.state_store import load_state, save_state
from tests.conftest import BERLIN, at
from tests.shell.doubles import ManualClock, ManualTimer, RecordingNotifier


@pytest.fixture
def rig(tmp_path):
    clock = ManualClock(at("2026-11-30 10:00"))
    timer = ManualTimer(clock)
    notifier = RecordingNotifier()
    state_file = tmp_path / "state.json"
    controller = Controller(Engine(default_config(), BERLIN), TimetableState(), clock, notifier,
                            timer, lambda s: save_state(state_file, s))
    events = []
    controller.on_event(events.append)
    controller.start_up()
    return controller, clock, timer, notifier, events, state_file


def test_sleeps_until_the_next_prompt_and_notifies_with_instructions(rig):
    controller, clock, timer, notifier, events, _ = rig
    assert timer.when == at("2026-11-30 10:50")
    timer.run_until(at("2026-11-30 10:50:01"), controller)
    [notice] = notifier.shown
    assert notice.title == "2-minute reset · 2 min"
    assert "Band pull-aparts (10–15 reps)" in notice.body
    assert "Wall pec stretch (30–45 s each side)" in notice.body
    assert [action for action, _ in notice.actions] == [Start(), Snooze(), Skip()]
    assert controller.view.status is Status.DUE
    assert controller.view.headline == "Due now: 2-minute reset"


def test_a_day_of_ignored_prompts_wakes_once_per_slot(rig):
    controller, _, timer, notifier, events, _ = rig
    wakeups = 0
    while timer.when is not None and timer.when <= at("2026-11-30 23:00"):
        timer.run_until(timer.when, controller)
        wakeups += 1
    assert len(notifier.shown) == 9  # 10:50 ... 17:30, one each
    assert wakeups == 9
    assert timer.when == at("2026-12-01 09:00")


def test_snooze_from_the_menu_comes_back(rig):
    controller, clock, timer, notifier, events, _ = rig
    timer.run_until(at("2026-11-30 10:50"), controller)
    clock.advance(seconds=30)
    controller.handle(Snooze(timedelta(minutes=5)))
    assert controller.view.status is Status.WAITING
    assert timer.when == at("2026-11-30 10:55:30")
    timer.run_until(at("2026-11-30 10:56"), controller)
    assert len(notifier.shown) == 2
    assert [e.outcome for e in events] == [Outcome.PROMPTED, Outcome.SNOOZED, Outcome.PROMPTED]


def test_pause_then_resume(rig):
    controller, clock, timer, notifier, events, _ = rig
    controller.handle(Pause(timedelta(hours=1)))
    assert controller.view.status is Status.PAUSED
    assert controller.view.headline == "Paused until 11:00"
    assert timer.when == at("2026-11-30 11:00")
    clock.advance(minutes=20)
    controller.handle(Resume())
    assert controller.view.status is Status.WAITING
    assert timer.when == at("2026-11-30 11:10")
    assert notifier.shown == []


def test_pause_until_tomorrow(rig):
    controller, *_ = rig
    controller.handle(Pause(None))
    assert controller.view.headline == "Paused until tomorrow 00:00"


def test_start_now_runs_a_guided_routine_to_its_end(rig):
    controller, clock, timer, notifier, events, _ = rig
    controller.handle(Start("morning"))
    assert notifier.shown[-1].title.startswith("Started: Morning routine")
    assert controller.view.status is Status.RUNNING
    timer.run_until(at("2026-11-30 10:05"), controller)
    assert controller.view.progress == pytest.approx(5 / 15, abs=0.02)
    assert timer.when <= clock.now() + timedelta(seconds=20)  # ring redrawn, not every second
    steps = [n.title for n in notifier.shown if n.kind is NoticeKind.STEP]
    assert steps[0] == "Step 2 of 7: Thoracic rotations"
    # no window: timed steps end by themselves, rep steps move on at their suggested time
    timer.run_until(at("2026-11-30 10:16"), controller)
    assert controller.view.status is Status.WAITING
    assert notifier.shown[-1].title == "Done: Morning routine"
    titles = [n.title for n in notifier.shown if n.kind is NoticeKind.STEP]
    assert len([t for t in titles if t.startswith("Step ")]) == 6
    assert titles.count("Switch sides: Thoracic rotations") == 1
    assert titles.count("Switch sides: Lunges") == 1
    done = [e for e in events if e.outcome is Outcome.COMPLETED]
    assert done[0].session.steps_done == 7 and done[0].session.active_seconds == 900


def test_done_in_the_middle_of_a_routine_completes_it(rig):
    controller, clock, timer, notifier, events, _ = rig
    controller.handle(Start("reset"))
    clock.advance(seconds=30)
    controller.handle(Done())
    [completed] = [e for e in events if e.outcome is Outcome.COMPLETED]
    assert completed.session.steps_done == 1 and completed.session.steps_total == 2
    assert controller.view.status is Status.WAITING
    assert timer.when == at("2026-11-30 10:50:30")


def test_snooze_during_a_routine_offers_it_again(rig):
    controller, clock, timer, notifier, events, _ = rig
    controller.handle(Start("reset"))
    controller.handle(Snooze(timedelta(minutes=5)))
    assert controller.guided is None
    timer.run_until(at("2026-11-30 10:05"), controller)
    assert controller.view.status is Status.DUE


def test_pausing_the_app_ends_the_routine_quietly(rig):
    controller, clock, timer, notifier, events, _ = rig
    controller.handle(Start("reset"))
    controller.handle(Pause(timedelta(hours=1)))
    assert controller.guided is None
    paused = [e for e in events if e.outcome is Outcome.PAUSED and e.routine == "reset"]
    assert paused and paused[0].session is not None


def test_a_routines_buttons_step_through_it_and_mean_nothing_once_it_is_over(rig):
    controller, clock, timer, notifier, events, _ = rig
    controller.handle(Next())  # no routine runs: a step button does nothing
    assert events == [] and controller.guided is None
    controller.handle(Start("reset"))
    assert controller.guided is not None
    controller.handle(Hold(), in_routine=True)
    assert controller.view.headline.endswith("(paused)")
    for _ in range(10):  # each step (and side) in turn, past the last one
        if controller.guided is None:
            break
        controller.handle(Next(), in_routine=True)
    assert [e.outcome for e in events][-1] is Outcome.COMPLETED
    before = list(events)
    controller.handle(Skip(), in_routine=True)  # a late press in a closing window
    assert events == before and controller.view.status is Status.WAITING


def test_start_during_a_routine_skips_it_first(rig):
    controller, clock, timer, notifier, events, _ = rig
    controller.handle(Start("reset"))
    controller.handle(Start("morning"))
    outcomes = [(e.outcome, e.routine) for e in events]
    assert outcomes[-2:] == [(Outcome.SKIPPED, "reset"), (Outcome.STARTED, "morning")]
    assert controller.guided is not None and controller.guided.routine_id == "morning"


def test_state_is_saved_and_survives_a_restart(rig):
    controller, clock, timer, notifier, events, state_file = rig
    controller.handle(Pause(timedelta(hours=2)))
    restored = load_state(state_file)
    assert restored.paused_until == at("2026-11-30 12:00")
    assert state_file.stat().st_mode & 0o777 == 0o600


def test_bad_config_keeps_the_last_good_one_and_says_where(rig):
    controller, clock, timer, notifier, events, _ = rig
    controller.use_config(Engine(config_from_text('[reset]\nevery = "20m"\n', "c.toml"), BERLIN))
    assert timer.when == at("2026-11-30 10:20")
    controller.config_failed([Problem("reset.every", 'expected a duration, got "soon"',
                                      "c.toml", 2)])
    [notice] = notifier.shown
    assert "c.toml:2: reset.every" in notice.body
    assert timer.when == at("2026-11-30 10:20")


def test_quitting_does_not_wait_forever_on_a_lock_another_thread_holds(rig):
    """Issue 14: a thread stuck under the lock (a huge calendar) kept Quit and SIGTERM waiting."""
    import threading

    controller = rig[0]
    held, release = threading.Event(), threading.Event()

    def stuck() -> None:
        with controller._lock:
            held.set()
            release.wait(30)

    thread = threading.Thread(target=stuck, daemon=True)
    thread.start()
    held.wait(5)
    try:
        done = threading.Event()
        threading.Thread(target=lambda: (controller.shutdown(wait=0.2), done.set()),
                         daemon=True).start()
        assert done.wait(10), "shutdown still waits on the lock"
    finally:
        release.set()
        thread.join(5)


class ShownWindow:
    """The timer window port as the app sees it: it shows, and may fail."""

    available = True

    def __init__(self) -> None:
        self.shown: list[dict] = []

    def show(self, message: dict) -> None:
        self.shown.append(message)

    def end(self, message: dict) -> None:
        self.shown.append(message)

    def close(self) -> None:
        pass


def windowed(tmp_path):
    clock = ManualClock(at("2026-11-30 10:00"))
    timer = ManualTimer(clock)
    notifier = RecordingNotifier()
    window = ShownWindow()
    config = default_config()  # window = true; step_notifications = ["morning"]
    assert config.guide.window and "morning" in config.guide.step_notifications
    controller = Controller(Engine(config, BERLIN), TimetableState(), clock, notifier,
                            timer, lambda s: save_state(tmp_path / "state.json", s), window)
    controller.start_up()
    return controller, clock, timer, notifier, window


def test_an_open_window_is_not_repeated_by_notifications(tmp_path):
    controller, clock, timer, notifier, window = windowed(tmp_path)
    controller.handle(Start("morning"))
    assert window.shown[0]["step"]  # the window shows the routine...
    for _ in range(3):  # step 2 has two sides
        controller.handle(Next(), in_routine=True)
    assert window.shown[-1]["position"] == "step 3 of 7"
    # ...so neither "Started" nor the steps come as notifications
    assert [n.title for n in notifier.shown] == []


def test_a_window_that_fails_to_open_hands_the_routine_to_notifications(tmp_path):
    controller, clock, timer, notifier, window = windowed(tmp_path)
    controller.handle(Start("morning"))
    controller.handle(Next(), in_routine=True)
    assert notifier.shown == []
    controller.window_failed()  # the window process exited before anything was pressed
    assert notifier.shown[0].title.startswith("Started: Morning routine")
    assert notifier.shown[1].title == "Step 2 of 7: Thoracic rotations"
    assert notifier.shown[1].picture == picture_path("thoracic-rotation", 96)
    controller.handle(Next(), in_routine=True)
    assert notifier.shown[-1].title == "Switch sides: Thoracic rotations"
    controller.handle(Next(), in_routine=True)
    assert notifier.shown[-1].kind is NoticeKind.STEP
    assert notifier.shown[-1].title.startswith("Step 3 of 7")
    assert notifier.shown[-1].picture is not None and notifier.shown[-1].picture.is_file()


def test_with_the_window_off_step_notices_carry_their_picture(rig):
    controller, clock, timer, notifier, events, _ = rig
    controller.handle(Start("morning"))
    timer.run_until(at("2026-11-30 10:05"), controller)
    [first, *_] = [n for n in notifier.shown if n.kind is NoticeKind.STEP]
    assert first.picture is not None and first.picture.parent.name == "96"
    assert first.picture.is_file()
