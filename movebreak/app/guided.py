"""A routine in progress: the pure ``Session`` joined to its window and step notices.

The controller owns one of these while a routine runs. It forwards the user's
actions and the timer's ticks here and gets back a ``SessionResult`` when the
routine is over; everything shown along the way (the window's view, the switch-
sides cue, a notification per step where configured) is sent from here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from movebreak.config.model import Config
from movebreak.core.commands import Command, Done, Hold, Next, Skip, Snooze
from movebreak.core.cues import Countdown, Cue, cue_for
from movebreak.core.outcome import Outcome
from movebreak.core.routines import Routine
from movebreak.core.session import Session
from movebreak.core.session_events import (
    RepTimeUp,
    SessionEnded,
    SessionEvent,
    SessionResult,
    SessionView,
    SidesSwitched,
    StepStarted,
)
from movebreak.core.words import N_
from movebreak.guide.display import SessionDisplay
from movebreak.guide.messages import end_message, show_message
from movebreak.guide.pictures import NOTIFICATION_SIZE, picture_path, step_picture
from movebreak.i18n import language
from movebreak.notify.base import Notice, NoticeKind, Notifier
from movebreak.sound.player import CuePlayer
from movebreak.sound.settings import cue_sound

log = logging.getLogger(__name__)

STEP_ACTIONS: tuple[tuple[Command, str], ...] = ((Next(), N_("Next")), (Hold(), N_("Pause")),
                                                  (Done(), N_("Done")))
END_TEXT = {
    Outcome.COMPLETED: N_("Done. Nice work!"),
    Outcome.SKIPPED: N_("Skipped"),
    Outcome.SNOOZED: N_("Snoozed"),
}


class GuidedRoutine:
    """One guided session from start to result."""

    def __init__(
        self,
        routine: Routine,
        rotation: int,
        config: Config,
        display: SessionDisplay,
        notifier: Notifier,
        window: bool,
        now: datetime,
        sound: CuePlayer | None = None,
        started: Notice | None = None,
    ) -> None:
        self.session = Session(routine, routine.steps_for(rotation))
        self._words = language()
        self._sound = sound
        self._sound_settings = config.sound
        counts_down = sound is not None and cue_sound(config.sound, Cue.COUNTDOWN) is not None
        self._countdown = Countdown(counts_down)
        self._display = display
        self._notifier = notifier
        self._window = window
        # The "Started" notice repeats the window's first screen: held while the window
        # carries the routine, sent if the window fails to open.
        self._held = started if window else None
        self._announce = routine.id in config.guide.step_notifications
        self._timeout = config.prompts.notification_timeout
        self.result: SessionResult | None = None
        self._handle(self.session.start(now), now)

    @property
    def routine_id(self) -> str:
        return self.session.routine.id

    def deadline(self, now: datetime) -> datetime | None:
        """The next tick: the part's end, or the start of its 3-2-1 when that comes first."""
        end = self.session.next_deadline(now)
        return min(filter(None, (end, self._countdown.moment(end, now))), default=None)

    def view(self, now: datetime) -> SessionView:
        return self.session.view(now, self._words)

    def tick(self, now: datetime) -> SessionResult | None:
        if self._countdown.due(self.session.next_deadline(now), now):
            self._play(Cue.COUNTDOWN)
        return self._handle(self.session.tick(now), now)

    def act(self, command: Command, now: datetime) -> SessionResult | None:
        """A button in the window, on a notification or in the tray."""
        operations: dict[type[Command], Callable[[datetime], list[SessionEvent]]] = {
            Hold: self.session.toggle_pause,
            Next: self.session.next,
            Snooze: self.session.snooze,
            Skip: self.session.skip,
            Done: self.session.done,
        }
        return self._handle(operations[type(command)](now), now)

    def abandon(self, now: datetime) -> SessionResult | None:
        """End it quietly (the whole app was paused): skipped with the steps done so far."""
        result = self._handle(self.session.skip(now), now, quiet=True)
        self._on_display(self._display.close)
        return result

    def _handle(
        self, events: list[SessionEvent], now: datetime, quiet: bool = False
    ) -> SessionResult | None:
        self._countdown.learn(events)
        sound = None if quiet else cue_for(events)
        if sound is not None:
            self._play(sound)
        cue = ""
        for event in events:
            if isinstance(event, SessionEnded):
                self.result = event.result
                if not quiet:
                    text = self._words.gettext(END_TEXT[event.result.outcome])
                    self._on_display(self._display.end, end_message(text))
                return event.result
            if isinstance(event, SidesSwitched):
                cue = self._words.gettext("Switch sides")
                if not self._window_on():
                    title = self._words.gettext("Switch sides: {step}").format(step=event.step.name)
                    self._notice(title, event.step.instruction,
                                 step_picture(event.step, NOTIFICATION_SIZE))
            elif (isinstance(event, StepStarted) and self._announce and event.index > 0
                  and not self._window_on()):  # the window shows the step already
                self._announce_step(now)
            elif isinstance(event, RepTimeUp) and not self._window_on():
                return self._handle(self.session.next(now), now)  # no window to press Next in
        if self._window_on():
            self._on_display(self._display.show, show_message(self.view(now), cue, self._words))
        return None

    def _play(self, cue: Cue) -> None:
        if self._sound is not None:
            self._sound.play(cue, self._sound_settings)

    @staticmethod
    def _on_display(call: Callable[..., None], *message: dict[str, Any]) -> None:
        """The window is a view: when it fails, the routine still ends and is recorded."""
        try:
            call(*message)
        except Exception:
            log.exception("the timer window failed; the routine goes on without it")

    def _window_on(self) -> bool:
        """A window is wanted and still works (else notifications carry the routine)."""
        return self._window and self._display.available

    def window_failed(self, now: datetime) -> None:
        """The window did not open (or died unasked): notifications carry the rest."""
        if not self._window or self.result is not None:
            return
        self._window = False
        log.info("the timer window failed; notifications carry the routine")
        held, self._held = self._held, None
        if held is not None:
            self._notifier.show(held)
        if self._announce and self.session.view(now).step_number > 1:
            self._announce_step(now)

    def _announce_step(self, now: datetime) -> None:
        """The step notice (for users who follow by notifications), with its picture."""
        view = self.view(now)
        position = view.position(self._words)
        self._notice(
            f"{position[:1].upper()}{position[1:]}: {view.step_name}",
            f"{view.dose}. {view.instruction}",
            picture_path(view.image, NOTIFICATION_SIZE),
        )

    def _notice(self, title: str, body: str, picture: Path | None = None) -> None:
        timeout = min(self._timeout, timedelta(seconds=20))
        actions = tuple((action, self._words.gettext(label)) for action, label in STEP_ACTIONS)
        self._notifier.show(Notice(title, body, timeout, actions, NoticeKind.STEP, picture))
