"""``CallWatcher``: follows the microphone and camera on one thread and tells the app
when a call starts or ends.

The thread takes a snapshot, feeds it to the pure tracker (:mod:`movebreak.core.calls`),
reports the events, and waits on the platform source until the devices change or the
tracker's next debounce deadline comes, whichever is first. Nothing runs on a timer of
its own: with no call pending the thread sleeps until the sound server says something.

When the platform service is missing or goes away (PulseAudio restarted, no libpulse),
the watcher logs one line, counts the microphone as free (so a call in progress ends
after the usual grace) and tries again after ``retry_after``, doubling up to
``retry_limit``.

The app starts it only when the user switched the feature on. ``on_call`` runs on the
watcher's thread; the tracker never keeps an app name, and app names reach the log
only at debug level.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from movebreak.calls.base import CallsUnavailable, DeviceSource
from movebreak.core.calls import (
    DEFAULT_TIMING,
    NOTHING_IN_USE,
    CallEvent,
    CallKind,
    CallTiming,
    CallTracker,
    DeviceSnapshot,
    classify,
    next_deadline,
    observe,
)

log = logging.getLogger(__name__)

OnCall = Callable[[CallKind, bool], None]
STOP_GRACE = 3.0  # seconds stop() waits for the thread


class CallWatcher:
    """Runs a :class:`DeviceSource` on a thread and calls ``on_call(kind, started)``."""

    def __init__(
        self,
        source: DeviceSource,
        on_call: OnCall,
        now: Callable[[], datetime],
        *,
        timing: CallTiming = DEFAULT_TIMING,
        retry_after: timedelta = timedelta(seconds=30),
        retry_limit: timedelta = timedelta(minutes=10),
    ) -> None:
        self._source = source
        self._on_call = on_call
        self._now = now
        self._tracker = CallTracker(timing=timing)
        self._retry_after = retry_after.total_seconds()
        self._retry_limit = retry_limit.total_seconds()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def in_call(self) -> CallKind:
        """The call the app was last told about (NONE: none)."""
        return self._tracker.reported

    def start(self) -> None:
        """Start watching; a second call does nothing."""
        if self._thread is not None:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="movebreak-calls", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop watching; a call in progress is reported as ended, so nothing stays held."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stopping.set()
        if thread is threading.current_thread():  # stop() from inside on_call
            return
        deadline = STOP_GRACE
        while thread.is_alive() and deadline > 0:
            self._source.interrupt()  # repeated: a stop may land just before a wait starts
            thread.join(0.05)
            deadline -= 0.05
        if thread.is_alive():
            log.warning("the call watcher did not stop within %.0f s", STOP_GRACE)
            return
        ongoing = self._tracker.reported
        if ongoing != CallKind.NONE:
            self._tracker = CallTracker(timing=self._tracker.timing)
            self._report((CallEvent(ongoing, False, self._now()),))

    def _run(self) -> None:
        connected, retry, next_attempt = False, self._retry_after, 0.0
        try:
            while not self._stopping.is_set():
                if not connected and time.monotonic() >= next_attempt:
                    connected = self._connect(first_failure=retry == self._retry_after)
                    if connected:
                        retry = self._retry_after
                    else:
                        next_attempt = time.monotonic() + retry
                        retry = min(retry * 2, self._retry_limit)
                snapshot = self._snapshot() if connected else None
                connected = snapshot is not None
                self._step(classify(snapshot or NOTHING_IN_USE))
                if self._stopping.is_set():
                    break
                timeout = self._timeout()
                if connected:
                    connected = self._wait(timeout)
                else:
                    pause = max(next_attempt - time.monotonic(), 0.0)
                    self._stopping.wait(pause if timeout is None else min(timeout, pause))
        except Exception:  # a bug here must not take the app down; the log has it
            log.exception("the call watcher stopped")
        finally:
            self._source.close()

    def _connect(self, *, first_failure: bool) -> bool:
        try:
            self._source.open()
        except CallsUnavailable as error:
            # One warning per outage; the retries after it only at debug level.
            log.log(logging.WARNING if first_failure else logging.DEBUG,
                    "call detection is off for now: %s", error)
            return False
        log.info("watching the microphone through %s", self._source.name)
        return True

    def _snapshot(self) -> DeviceSnapshot | None:
        try:
            return self._source.snapshot()
        except CallsUnavailable as error:
            self._lost(error)
            return None

    def _wait(self, timeout: float | None) -> bool:
        try:
            self._source.wait(timeout)
        except CallsUnavailable as error:
            self._lost(error)
            return False
        return True

    def _lost(self, error: CallsUnavailable) -> None:
        log.warning("call detection lost %s: %s", self._source.name, error)
        self._source.close()

    def _step(self, kind: CallKind) -> None:
        self._tracker, events = observe(self._tracker, kind, self._now())
        self._report(events)

    def _timeout(self) -> float | None:
        due = next_deadline(self._tracker)
        if due is None:
            return None
        return max((due - self._now()).total_seconds(), 0.0)

    def _report(self, events: tuple[CallEvent, ...]) -> None:
        for event in events:
            log.info("%s call %s", event.kind.value, "started" if event.started else "ended")
            try:
                self._on_call(event.kind, event.started)
            except Exception:
                log.exception("on_call failed")
