"""Live calls beside the calendar: the microphone and camera in use become a meeting.

An audio-only call (microphone, no camera) is offered the stand prompt once; a video
call holds prompts like a video meeting. Off unless ``[quiet] live_calls = true``;
nothing is kept beyond "a call started / ended".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from movebreak.core.agenda import Meeting
from movebreak.core.meeting_facts import MeetingKind

log = logging.getLogger(__name__)

# A live call's end is unknown until it ends; until then it counts as this long.
OPEN_ENDED = timedelta(hours=12)


class LiveCalls:
    """Starts and stops the platform's call watcher; reports the call as a meeting."""

    def __init__(
        self, now: Callable[[], datetime], on_change: Callable[[Meeting | None], None]
    ) -> None:
        self._now = now
        self._on_change = on_change
        self._watcher: Any = None
        self.current: Meeting | None = None

    def enable(self, on: bool) -> None:
        if on and self._watcher is None:
            try:
                from movebreak.calls import make_call_watcher

                self._watcher = make_call_watcher(self._changed, self._now)
                self._watcher.start()
                log.info("live call detection on")
            except Exception as error:  # no sound server, no library: say so, carry on
                log.warning("live call detection is not available here: %s", error)
                self._watcher = None
        elif not on and self._watcher is not None:
            self._watcher.stop()
            self._watcher = None
            log.info("live call detection off")

    def _changed(self, kind: Any, started: bool) -> None:
        from movebreak.core.calls import DEFAULT_TIMING, CallKind

        if started and kind in (CallKind.AUDIO, CallKind.VIDEO):
            meeting_kind = MeetingKind.AUDIO if kind is CallKind.AUDIO else MeetingKind.VIDEO
            # The watcher reports a call once the microphone was held for start_after.
            began = self._now() - DEFAULT_TIMING.start_after
            self.current = Meeting(
                began, began + OPEN_ENDED, meeting_kind, "a live call", reminders=False
            )
        else:
            self.current = None
        self._on_change(self.current)

    def stop(self) -> None:
        self.enable(False)
