"""Presence and live calls reach the timetable through the controller."""

from __future__ import annotations

from datetime import timedelta

from movebreak.app.live_calls import LiveCalls
from movebreak.app.presence import PresenceWatch
from movebreak.core.calls import CallKind
from movebreak.core.state import Source, Status
from tests.conftest import at
from tests.shell.test_controller import rig as rig  # the fixture


class Readings:
    """Idle seconds and a quiet reason, as the desktop would report them."""

    def __init__(self) -> None:
        self.idle = 0.0
        self.quiet: str | None = None
        self.mono = 1000.0


def watch(controller, clock, readings, planned):
    return PresenceWatch(clock, lambda: readings.idle, lambda: readings.quiet,
                         lambda: timedelta(minutes=2), controller.presence,
                         lambda when, fn: planned.append(when), lambda: readings.mono)


def test_away_holds_the_prompt_and_return_offers_a_reset(rig):
    controller, clock, timer, notifier, events, _ = rig
    readings, planned = Readings(), []
    presence = watch(controller, clock, readings, planned)
    clock.current = at("2026-11-30 10:45")
    readings.idle, readings.mono = 300.0, 1000.0 + 2700
    presence.look()
    assert planned[-1] == at("2026-11-30 10:45:20")  # while away: look again soon
    timer.run_until(at("2026-11-30 10:50:30"), controller)
    assert notifier.shown == []  # nobody at the desk at 10:50
    clock.current = at("2026-11-30 10:58")
    readings.idle, readings.mono = 2.0, 1000.0 + 3480
    presence.look()
    assert controller.state.pending.source is Source.RETURN
    assert notifier.shown[-1].title.startswith("2-minute reset")
    assert "welcome back" in controller.state.pending.reason


def test_a_fullscreen_window_holds_and_the_tray_says_so(rig):
    controller, clock, timer, notifier, events, _ = rig
    readings, planned = Readings(), []
    presence = watch(controller, clock, readings, planned)
    readings.quiet = "a fullscreen window"
    presence.look()
    assert controller.view.status is Status.HELD
    assert controller.view.headline.startswith("Held: a fullscreen window")
    timer.run_until(at("2026-11-30 11:30"), controller)
    assert notifier.shown == []
    clock.current = at("2026-11-30 11:31")
    readings.quiet, readings.mono = None, 1000.0 + 5460
    presence.look()
    assert len(notifier.shown) == 1  # right after, once


def test_live_audio_call_is_offered_standing_once(rig):
    controller, clock, timer, notifier, events, _ = rig
    calls = LiveCalls(clock.now, lambda m: controller.use_meetings((m,) if m else ()))
    calls._changed(CallKind.AUDIO, True)
    assert notifier.shown[-1].title.startswith("Stand for this call")
    timer.run_until(at("2026-11-30 11:30"), controller)
    assert [n.title for n in notifier.shown].count(notifier.shown[0].title) == 1
    calls._changed(CallKind.AUDIO, False)
    assert controller.view.status is not Status.MEETING
