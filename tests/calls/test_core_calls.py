"""The pure call tracker on an injected clock: which streams count, which kind, debounce."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from movebreak.core.calls import (
    CallEvent,
    CallKind,
    CallTiming,
    CallTracker,
    DeviceSnapshot,
    MicStream,
    classify,
    counts_as_microphone,
    is_in_call,
    next_deadline,
    observe,
)
from tests.conftest import at

T0 = at("2026-11-30 10:00")
TIMING = CallTiming(start_after=timedelta(seconds=5), end_after=timedelta(seconds=30))
MIC = DeviceSnapshot((MicStream(app="zoom"),))
MIC_AND_CAMERA = DeviceSnapshot((MicStream(app="zoom"),), ("zoom",))


def s(seconds: float):
    return T0 + timedelta(seconds=seconds)


def run(observations: list[tuple[float, CallKind]], tracker: CallTracker | None = None):
    """Feed (second, kind) observations in order; return the tracker and all events."""
    tracker = tracker or CallTracker(timing=TIMING)
    events: list[CallEvent] = []
    for second, kind in observations:
        tracker, new = observe(tracker, kind, s(second))
        events += new
    return tracker, events


@pytest.mark.parametrize(
    ("stream", "counts"),
    [
        (MicStream(app="zoom"), True),
        (MicStream(app="obs", from_monitor=True), False),
        (MicStream(app="firefox", corked=True), False),
        (MicStream(app="pavucontrol", level_meter=True), False),
    ],
)
def test_only_real_recording_streams_count(stream, counts):
    assert counts_as_microphone(stream) is counts


def test_kind_follows_microphone_then_camera():
    assert classify(DeviceSnapshot()) == CallKind.NONE
    assert classify(MIC) == CallKind.AUDIO
    assert classify(MIC_AND_CAMERA) == CallKind.VIDEO
    # A camera with no microphone is a preview, not a call.
    assert classify(DeviceSnapshot((), ("cheese",))) == CallKind.NONE
    # A meter and a monitor recording beside the camera do not make a call either.
    ignored = (MicStream(level_meter=True), MicStream(from_monitor=True))
    assert classify(DeviceSnapshot(ignored, ("cheese",))) == CallKind.NONE


def test_call_starts_only_after_the_microphone_held_for_start_after():
    tracker, events = run([(0, CallKind.NONE), (10, CallKind.AUDIO), (14.9, CallKind.AUDIO)])
    assert events == []
    assert next_deadline(tracker) == s(15)
    tracker, events = run([(15, CallKind.AUDIO)], tracker)
    assert events == [CallEvent(CallKind.AUDIO, True, s(10))]
    assert is_in_call(tracker)
    assert next_deadline(tracker) is None


def test_a_two_second_flicker_is_not_a_call():
    tracker, events = run([(0, CallKind.AUDIO), (2, CallKind.NONE), (60, CallKind.NONE)])
    assert events == []
    assert not is_in_call(tracker)
    assert next_deadline(tracker) is None


def test_call_ends_only_after_the_microphone_stayed_free_for_end_after():
    tracker, events = run([(0, CallKind.AUDIO), (5, CallKind.AUDIO), (100, CallKind.NONE)])
    assert events == [CallEvent(CallKind.AUDIO, True, s(0))]
    assert next_deadline(tracker) == s(130)
    tracker, events = run([(129, CallKind.NONE)], tracker)
    assert events == []
    tracker, events = run([(130, CallKind.NONE)], tracker)
    assert events == [CallEvent(CallKind.AUDIO, False, s(100))]
    assert not is_in_call(tracker)


def test_a_short_drop_during_a_call_keeps_the_call():
    tracker, events = run([(0, CallKind.AUDIO), (5, CallKind.AUDIO), (100, CallKind.NONE),
                           (120, CallKind.AUDIO), (500, CallKind.AUDIO)])
    assert events == [CallEvent(CallKind.AUDIO, True, s(0))]
    assert is_in_call(tracker)


def test_camera_arriving_before_the_start_deadline_makes_it_a_video_call():
    _, events = run([(0, CallKind.AUDIO), (3, CallKind.VIDEO), (5, CallKind.VIDEO)])
    assert events == [CallEvent(CallKind.VIDEO, True, s(0))]


def test_camera_switched_on_mid_call_ends_the_audio_call_and_starts_a_video_one():
    tracker, events = run([(0, CallKind.AUDIO), (5, CallKind.AUDIO), (60, CallKind.VIDEO)])
    assert events == [CallEvent(CallKind.AUDIO, True, s(0))]
    assert next_deadline(tracker) == s(65)
    tracker, events = run([(65, CallKind.VIDEO)], tracker)
    assert events == [CallEvent(CallKind.AUDIO, False, s(60)),
                      CallEvent(CallKind.VIDEO, True, s(60))]
    assert tracker.reported == CallKind.VIDEO


def test_camera_flicker_mid_call_changes_nothing():
    _, events = run([(0, CallKind.AUDIO), (5, CallKind.AUDIO), (60, CallKind.VIDEO),
                     (62, CallKind.AUDIO), (90, CallKind.AUDIO)])
    assert events == [CallEvent(CallKind.AUDIO, True, s(0))]


def test_microphone_already_busy_at_start_up_is_a_call_after_start_after():
    tracker, events = run([(0, CallKind.AUDIO)])
    assert events == []
    assert next_deadline(tracker) == s(5)


def test_late_observation_after_sleep_reports_both_deadlines_in_order():
    tracker, events = run([(0, CallKind.AUDIO), (1, CallKind.AUDIO)])
    assert events == []
    # The machine slept through the start deadline: the call starts at the next look.
    tracker, events = run([(3600, CallKind.AUDIO)], tracker)
    assert events == [CallEvent(CallKind.AUDIO, True, s(0))]
    tracker, events = run([(3601, CallKind.NONE), (7200, CallKind.NONE)], tracker)
    assert events == [CallEvent(CallKind.AUDIO, False, s(3601))]


def test_repeated_observations_change_nothing():
    once, events_once = run([(0, CallKind.AUDIO), (5, CallKind.AUDIO)])
    again, events_again = run([(0, CallKind.AUDIO), (1, CallKind.AUDIO), (1, CallKind.AUDIO),
                               (4, CallKind.AUDIO), (5, CallKind.AUDIO), (5, CallKind.AUDIO)])
    assert once == again
    assert events_once == events_again


def test_the_tracker_keeps_no_app_names():
    tracker, _ = run([(0, classify(MIC_AND_CAMERA)), (5, classify(MIC_AND_CAMERA))])
    assert "zoom" not in repr(tracker)


@given(st.lists(st.tuples(st.integers(0, 40), st.sampled_from(list(CallKind))), max_size=40))
def test_events_always_pair_up_and_no_call_is_shorter_than_start_after(steps):
    """Whatever the devices do: start/end alternate, and a reported call's microphone
    had been busy for at least ``start_after`` at the moment it was reported."""
    tracker = CallTracker(timing=TIMING)
    second, busy_since = 0.0, None
    open_call: CallKind | None = None
    for gap, kind in steps:
        second += gap
        if kind == CallKind.NONE:
            busy_since = None
        elif busy_since is None:
            busy_since = second
        tracker, events = observe(tracker, kind, s(second))
        for event in events:
            if event.started:
                assert open_call is None
                assert busy_since is not None and second - busy_since >= 5
                open_call = event.kind
            else:
                assert open_call == event.kind
                open_call = None
    assert (open_call or CallKind.NONE) == tracker.reported
