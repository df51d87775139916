"""Which sound a moment calls for, and when the 3-2-1 starts: pure, on an injected clock.

During a wall pec stretch or a couch stretch the user faces away from the screen, so a
guided routine speaks in sounds: a cue when a step starts, at "switch sides", a 3-2-1
before a timed part ends and when the routine is done; a prompt has a cue of its own.

The 3-2-1 is one sound holding three ticks one second apart, started ``COUNTDOWN_LEAD``
before a timed part ends, so the routine needs one extra wake-up per part rather than
a timer per second. ``Countdown`` knows the moment from the session's events and its
``next_deadline``; the shell asks it when to wake and whether the 3-2-1 is due.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import Enum

from movebreak.core.outcome import Outcome
from movebreak.core.session_events import (
    Paused,
    PauseReason,
    SessionEnded,
    SessionEvent,
    SidesSwitched,
    StepStarted,
)

COUNTDOWN_LEAD = timedelta(seconds=3)
"""The 3-2-1 starts this long before a timed part ends: its ticks fall at 3, 2, 1."""
COUNTDOWN_MIN_PART = timedelta(seconds=8)
"""Shorter parts get no 3-2-1: it would run into the cue that started them."""
COUNTDOWN_SLACK = timedelta(milliseconds=500)
"""A 3-2-1 found later than this (a resume with 2 s left, a late wake-up) is left out:
ticks out of step with the timer are worse than none."""


class Cue(Enum):
    """The sounds movebreak makes; the value is the ``[sound]`` key and the file's name."""

    STEP = "step"
    SWITCH_SIDES = "switch_sides"
    COUNTDOWN = "countdown"
    DONE = "done"
    PROMPT = "prompt"

    @property
    def file_name(self) -> str:
        """The built-in sound's file in ``movebreak/assets/sounds``."""
        return self.value.replace("_", "-") + ".wav"


def cue_for(events: Iterable[SessionEvent]) -> Cue | None:
    """The one cue a batch of session events calls for, or None.

    One batch is one moment, so it gets one sound: the routine's end over a side switch
    over a new step. A skip or snooze is the user's own doing and stays silent, and so
    does a batch that paused because the machine slept (nobody is there to hear it).
    """
    found: set[Cue] = set()
    for event in events:
        if isinstance(event, Paused) and event.reason is PauseReason.LATE_TICK:
            return None
        if isinstance(event, SessionEnded) and event.result.outcome is Outcome.COMPLETED:
            found.add(Cue.DONE)
        elif isinstance(event, SidesSwitched):
            found.add(Cue.SWITCH_SIDES)
        elif isinstance(event, StepStarted):
            found.add(Cue.STEP)
    for cue in (Cue.DONE, Cue.SWITCH_SIDES, Cue.STEP):
        if cue in found:
            return cue
    return None


def prompt_sounds(do_not_disturb: bool) -> bool:
    """A prompt's cue plays unless the desktop's do-not-disturb is on."""
    return not do_not_disturb


def amplitude(volume: int) -> float:
    """The ``[sound] volume`` (0-100) as a linear gain, cubic like desktop volume sliders."""
    return (max(0, min(100, volume)) / 100) ** 3


def decibels(volume: int) -> int | None:
    """The same gain in whole dB (libcanberra's ``canberra.volume``); None for silence.

    Whole numbers because libcanberra parses the string with the C library, whose
    decimal separator follows the locale.
    """
    gain = amplitude(volume)
    return None if gain <= 0 else round(20 * math.log10(gain))


class Countdown:
    """When the 3-2-1 of the current part starts, and whether it has played.

    Feed it every batch of session events (``learn``) so it knows whether the current
    part is timed and how long it is; give it the session's ``next_deadline`` when
    asking. A rep part waits for the user, so it gets no 3-2-1.
    """

    def __init__(
        self,
        enabled: bool = True,
        lead: timedelta = COUNTDOWN_LEAD,
        min_part: timedelta = COUNTDOWN_MIN_PART,
        slack: timedelta = COUNTDOWN_SLACK,
    ) -> None:
        self._lead = lead
        self._min_part = min_part
        self._slack = slack
        self._enabled = enabled  # off: no 3-2-1 to play, so no extra wake-up either
        self._timed = False
        self._played_for: datetime | None = None  # the part end whose 3-2-1 has played

    def learn(self, events: Iterable[SessionEvent]) -> None:
        """Note the part that the latest StepStarted or SidesSwitched began."""
        for event in events:
            if isinstance(event, StepStarted | SidesSwitched):
                long_enough = timedelta(seconds=event.seconds) >= self._min_part
                self._timed = self._enabled and event.step.reps is None and long_enough
            elif isinstance(event, SessionEnded):
                self._timed = False

    def moment(self, deadline: datetime | None, now: datetime) -> datetime | None:
        """When to wake for the 3-2-1, or None when none is coming for this part."""
        if not self._timed or deadline is None or self._played_for == deadline:
            return None
        start = deadline - self._lead
        return start if now - start <= self._slack else None

    def due(self, deadline: datetime | None, now: datetime) -> bool:
        """Whether the 3-2-1 starts now; True once per part end (then it counts as played)."""
        start = self.moment(deadline, now)
        if start is None or now < start:
            return False
        self._played_for = deadline
        return True
