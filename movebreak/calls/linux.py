"""Microphone and camera in use on Linux: PulseAudio or PipeWire, and ``/proc``.

The microphone side is event-driven. We subscribe to the sound server's
``source_output`` events (a recording stream appeared, changed or went away) through
pulsectl, a ctypes binding of libpulse, and block in libpulse's own poll until one
arrives: no timer, no subprocess. PipeWire desktops answer the same protocol through
``pipewire-pulse``, which lists native PipeWire recording streams as source outputs too.

A recording stream counts unless it records a monitor (what a sink plays), is corked,
or is a level meter: a stream with the PEAK_DETECT flag, which the server reports with
the ``peaks`` resample method (pavucontrol, GNOME Settings), or one PipeWire marks
``stream.monitor``.

The camera side is a scan of ``/proc/*/fd`` (:mod:`movebreak.calls.camera_scan`),
done only while a microphone stream is open, at the moments the watcher takes a
snapshot: when the microphone changes and when a debounce deadline passes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from movebreak.calls.base import CallsUnavailable
from movebreak.calls.camera_scan import PathMatcher, holders, is_camera_device
from movebreak.core.calls import DeviceSnapshot, MicStream, microphone_users

log = logging.getLogger(__name__)

PA_INVALID_INDEX = 2**32 - 1
LEVEL_METER_APPS = frozenset({"org.PulseAudio.pavucontrol", "org.gnome.VolumeControl"})
SMALLEST_WAIT = 0.001  # pulsectl reads a timeout of 0 as "no timeout"


def is_level_meter(props: Mapping[str, str], resample_method: str) -> bool:
    """True for a stream that only measures the level for a volume bar."""
    return (
        resample_method == "peaks"
        or props.get("stream.monitor") == "true"
        or props.get("application.id", "") in LEVEL_METER_APPS
    )


def stream_app(props: Mapping[str, str]) -> str:
    """The best name for a stream's application (for debug logs only)."""
    for key in ("application.name", "application.process.binary", "media.name"):
        if props.get(key):
            return props[key]
    return "?"


def mic_stream(
    props: Mapping[str, str], *, corked: bool, resample_method: str, source_is_monitor: bool
) -> MicStream:
    """One source output as the core sees it."""
    return MicStream(
        app=stream_app(props),
        corked=corked,
        from_monitor=source_is_monitor,
        level_meter=is_level_meter(props, resample_method),
    )


class PulseDeviceSource:
    """``DeviceSource`` on the PulseAudio protocol (PulseAudio or pipewire-pulse).

    ``server`` is a PulseAudio server string (None: the usual lookup, PULSE_SERVER
    first); the client never spawns a server. ``camera_matcher`` and ``proc`` choose
    what counts as a camera and where processes live (tests point them elsewhere).
    """

    name = "PulseAudio"

    def __init__(
        self,
        server: str | None = None,
        *,
        camera_matcher: PathMatcher = is_camera_device,
        proc: Path = Path("/proc"),
    ) -> None:
        self._server = server
        self._camera_matcher = camera_matcher
        self._proc = proc
        self._pulse: Any = None
        self._lock = threading.Lock()  # guards _pulse between close() and interrupt()
        self._interrupted = threading.Event()

    def open(self) -> None:
        pulsectl = _import_pulsectl()
        pulse = pulsectl.Pulse("movebreak", server=self._server, connect=False)
        try:
            # No timeout: pulsectl 24.12.0 then waits out the whole timeout even
            # after connecting. A missing server fails at once without one.
            pulse.connect(autospawn=False)
            pulse.event_mask_set("source_output")
        except pulsectl.PulseError as error:
            pulse.close()
            raise CallsUnavailable(f"no PulseAudio/PipeWire server: {error}") from error
        pulse.event_callback_set(_stop_listening)
        with self._lock:
            self._pulse = pulse

    def snapshot(self) -> DeviceSnapshot:
        pulse = self._require()
        pulsectl = _import_pulsectl()
        try:
            sources = pulse.source_list()
            outputs = pulse.source_output_list()
        except (pulsectl.PulseError, pulsectl.PulseDisconnected) as error:
            raise CallsUnavailable(f"lost the sound server: {error}") from error
        monitors = {s.index for s in sources if s.monitor_of_sink != PA_INVALID_INDEX}
        streams = tuple(
            mic_stream(out.proplist, corked=out.corked, resample_method=out.resample_method,
                       source_is_monitor=out.source in monitors)
            for out in outputs
        )
        cameras: tuple[str, ...] = ()
        if microphone_users(streams):
            cameras = tuple(h.name for h in holders(self._camera_matcher, proc=self._proc))
        log.debug("recording streams: %s; camera held by: %s", streams, cameras or "nobody")
        return DeviceSnapshot(streams, cameras)

    def wait(self, timeout: float | None) -> None:
        pulse = self._require()
        if self._interrupted.is_set():
            self._interrupted.clear()
            return
        pulsectl = _import_pulsectl()
        try:
            pulse.event_listen(timeout=None if timeout is None else max(timeout, SMALLEST_WAIT))
        except pulsectl.PulseDisconnected as error:
            raise CallsUnavailable("the sound server went away") from error
        self._interrupted.clear()

    def interrupt(self) -> None:
        """Stop a running ``wait``. pulsectl drops a stop that arrives just before its
        loop starts, so a caller waiting for the watcher to end repeats this."""
        self._interrupted.set()
        with self._lock:
            if self._pulse is not None:
                self._pulse.event_listen_stop()

    def close(self) -> None:
        with self._lock:
            pulse, self._pulse = self._pulse, None
        if pulse is not None:
            pulse.close()

    def _require(self) -> Any:
        if self._pulse is None:
            raise CallsUnavailable("not connected")
        return self._pulse


def _stop_listening(_event: object) -> None:
    """Any source-output event ends ``event_listen`` so the watcher takes a snapshot."""
    import pulsectl

    raise pulsectl.PulseLoopStop


def _import_pulsectl() -> Any:
    try:
        import pulsectl
    except ImportError as error:
        raise CallsUnavailable("pulsectl is missing: pip install 'pulsectl==24.12.0'") from error
    except OSError as error:  # libpulse.so.0 missing: pulsectl loads it on import
        raise CallsUnavailable(f"libpulse is missing (Debian: libpulse0): {error}") from error
    return pulsectl
