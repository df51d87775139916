"""The Linux watcher against a real PulseAudio server started by the test.

Recording streams are real ``parec`` clients; level meters are real PEAK_DETECT streams
(pulsectl's ``get_peak_sample``, what pavucontrol opens). The camera is a temporary
file that the scan is told to treat as ``/dev/video*``: this machine has no V4L2
device and cannot make one without the v4l2loopback kernel module.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from movebreak.calls.linux import PulseDeviceSource
from movebreak.calls.watcher import CallWatcher
from movebreak.core.calls import CallKind, CallTiming, DeviceSnapshot, classify
from tests.calls.conftest import PulseServer

QUICK = CallTiming(start_after=timedelta(seconds=0.3), end_after=timedelta(seconds=0.3))
PATIENCE = 3.0  # seconds any expected report may take on a slow CI machine


class Calls:
    """Collects ``on_call`` reports with the moment (monotonic) each arrived."""

    def __init__(self) -> None:
        self.reports: queue.Queue[tuple[float, CallKind, bool]] = queue.Queue()

    def __call__(self, kind: CallKind, started: bool) -> None:
        self.reports.put((time.monotonic(), kind, started))

    def next(self, timeout: float = PATIENCE) -> tuple[float, CallKind, bool]:
        return self.reports.get(timeout=timeout)

    def none_within(self, seconds: float) -> bool:
        try:
            self.reports.get(timeout=seconds)
        except queue.Empty:
            return True
        return False


def now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
def calls() -> Calls:
    return Calls()


@pytest.fixture
def stand_in_camera(tmp_path: Path) -> Path:
    camera = tmp_path / "video0"
    camera.write_bytes(b"")
    return camera.resolve()


@pytest.fixture
def watcher(
    pulse_server: PulseServer, calls: Calls, stand_in_camera: Path
) -> Iterator[CallWatcher]:
    source = PulseDeviceSource(pulse_server.address, camera_matcher=str(stand_in_camera).__eq__)
    watcher = CallWatcher(source, calls, now, timing=QUICK, retry_after=timedelta(seconds=0.1))
    watcher.start()
    yield watcher
    watcher.stop()


def wait_for_streams(source: PulseDeviceSource, count: int) -> DeviceSnapshot:
    """Snapshots on each server event until ``count`` recording streams exist."""
    deadline = time.monotonic() + PATIENCE
    while True:
        snapshot = source.snapshot()
        if len(snapshot.mic_streams) >= count or time.monotonic() > deadline:
            return snapshot
        source.wait(deadline - time.monotonic())


def level_meter(server: PulseServer, seconds: float) -> threading.Thread:
    """A PEAK_DETECT stream on the microphone for ``seconds``, as pavucontrol opens."""
    import pulsectl

    def run() -> None:
        with pulsectl.Pulse("meter", server=server.address) as pulse:
            pulse.get_peak_sample("mic", seconds)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_audio_call_is_reported_within_a_second_and_ends_after_the_stream_stops(
        pulse_server, watcher, calls):
    opened = time.monotonic()
    stream = pulse_server.record()
    started_at, kind, started = calls.next()
    assert (kind, started) == (CallKind.AUDIO, True)
    assert 0.3 <= started_at - opened < 1.0
    assert watcher.in_call == CallKind.AUDIO

    closed = time.monotonic()
    pulse_server.end(stream)
    ended_at, kind, started = calls.next()
    assert (kind, started) == (CallKind.AUDIO, False)
    assert 0.3 <= ended_at - closed < 1.0
    assert watcher.in_call == CallKind.NONE


@pytest.fixture
def observer(pulse_server: PulseServer) -> Iterator[PulseDeviceSource]:
    """A second source, used by the test to know when the server has a stream."""
    source = PulseDeviceSource(pulse_server.address)
    source.open()
    yield source
    source.close()


@pytest.fixture
def patient_watcher(pulse_server: PulseServer, calls: Calls) -> Iterator[CallWatcher]:
    """A watcher that needs 0.5 s of microphone before it believes in a call."""
    timing = CallTiming(start_after=timedelta(seconds=0.5), end_after=timedelta(seconds=0.3))
    watcher = CallWatcher(PulseDeviceSource(pulse_server.address), calls, now, timing=timing)
    watcher.start()
    yield watcher
    watcher.stop()


def test_a_stream_that_flickers_is_not_a_call(pulse_server, patient_watcher, calls, observer,
                                              caplog):
    caplog.set_level(logging.DEBUG, logger="movebreak.calls")
    stream = pulse_server.record()
    assert len(wait_for_streams(observer, 1).mic_streams) == 1
    pulse_server.end(stream)
    assert calls.none_within(0.8)
    assert "app='recorder'" in caplog.text  # the watcher did see the stream


def test_monitor_recordings_and_level_meters_are_seen_but_not_counted(pulse_server):
    source = PulseDeviceSource(pulse_server.address)
    source.open()
    try:
        pulse_server.record("spk.monitor")
        meter = level_meter(pulse_server, 1.0)
        snapshot = wait_for_streams(source, 2)
        assert sorted((s.from_monitor, s.level_meter) for s in snapshot.mic_streams) == [
            (False, True), (True, False)]
        assert classify(snapshot) == CallKind.NONE
        pulse_server.record("mic")
        assert classify(wait_for_streams(source, 3)) == CallKind.AUDIO
        meter.join()
    finally:
        source.close()


def test_watcher_ignores_meters_then_sees_a_real_microphone(pulse_server, watcher, calls,
                                                            observer):
    pulse_server.record("spk.monitor")
    meter = level_meter(pulse_server, 1.0)
    assert len(wait_for_streams(observer, 2).mic_streams) == 2
    assert calls.none_within(0.6)  # twice start_after
    pulse_server.record("mic")
    assert calls.next()[1:] == (CallKind.AUDIO, True)
    meter.join()


def test_a_camera_held_open_makes_it_a_video_call(pulse_server, watcher, calls, stand_in_camera):
    with stand_in_camera.open("rb"):
        stream = pulse_server.record()
        assert calls.next()[1:] == (CallKind.VIDEO, True)
        pulse_server.end(stream)
        assert calls.next()[1:] == (CallKind.VIDEO, False)


def test_a_camera_opened_just_after_the_microphone_still_counts(
        pulse_server, watcher, calls, stand_in_camera):
    pulse_server.record()
    time.sleep(0.1)  # the call app brings the camera up a moment after the microphone
    with stand_in_camera.open("rb"):
        assert calls.next()[1:] == (CallKind.VIDEO, True)


def test_server_restart_ends_the_call_and_the_watcher_reconnects(
        pulse_server, watcher, calls, caplog):
    caplog.set_level(logging.WARNING, logger="movebreak.calls")
    pulse_server.record()
    assert calls.next()[1:] == (CallKind.AUDIO, True)
    pulse_server.stop()
    assert calls.next()[1:] == (CallKind.AUDIO, False)
    assert "lost PulseAudio" in caplog.text
    pulse_server.start()
    pulse_server.record()  # seen by the snapshot at reconnection, or by its event
    assert calls.next()[1:] == (CallKind.AUDIO, True)


def test_stopping_mid_call_reports_the_end_and_returns_at_once(pulse_server, calls):
    watcher = CallWatcher(PulseDeviceSource(pulse_server.address), calls, now, timing=QUICK)
    watcher.start()
    pulse_server.record()
    assert calls.next()[1:] == (CallKind.AUDIO, True)
    began = time.monotonic()
    watcher.stop()
    assert time.monotonic() - began < 0.5
    assert calls.next(0)[1:] == (CallKind.AUDIO, False)
    watcher.stop()  # twice is harmless


def test_no_server_logs_once_and_reports_nothing(tmp_path, calls, caplog):
    caplog.set_level(logging.DEBUG, logger="movebreak.calls")
    source = PulseDeviceSource(f"unix:{tmp_path}/nothing-here")
    watcher = CallWatcher(source, calls, now, timing=QUICK, retry_after=timedelta(seconds=0.05))
    watcher.start()
    assert calls.none_within(0.4)
    began = time.monotonic()
    watcher.stop()
    assert time.monotonic() - began < 0.5
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "call detection is off for now" in warnings[0].getMessage()
