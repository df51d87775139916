"""The vocabulary of a guided session: its states, the events it emits, what it shows.

Kept apart from the machine in ``session.py`` so that the shell (timer window, tray,
notifications, history) can import the types it reacts to without the logic, and so
that each module stays short enough to read in one sitting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from movebreak.core.outcome import Outcome
from movebreak.core.routines import Step
from movebreak.core.words import ENGLISH, N_, Words


class SessionState(Enum):
    """Where a session is in its life. Only READY accepts ``start``."""

    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    ENDED = "ended"



class StepKind(Enum):
    """Timed steps end on their own; rep steps end when the user says so."""

    TIMED = "timed"
    REPS = "reps"


class Side(Enum):
    """Which half of an "each side" step is running; NONE for ordinary steps.

    The machine does not know anatomy: FIRST is shown as the left side by
    convention so that instructions and cues read the same every time.
    """

    NONE = "none"
    FIRST = "first"
    SECOND = "second"

    def label(self, words: Words = ENGLISH) -> str:
        """What the timer window prints under the step name."""
        return words.gettext(_SIDE_LABELS[self]) if _SIDE_LABELS[self] else ""


_SIDE_LABELS = {Side.NONE: "", Side.FIRST: N_("left side"), Side.SECOND: N_("right side")}


class PauseReason(Enum):
    """Why the session paused: the user asked, or the clock says we were asleep."""

    USER = "user"
    LATE_TICK = "late_tick"


# --- events -------------------------------------------------------------------------
# Every event carries ``at``: the moment it happened on the injected clock. When a
# tick arrives late, events are stamped with their due time, not the tick's time.


@dataclass(frozen=True)
class SessionStarted:
    """The user started the routine; the first StepStarted follows at once."""

    at: datetime
    routine_id: str
    steps_total: int


@dataclass(frozen=True)
class StepStarted:
    """A new step began (its first side, if it has two): announce it."""

    at: datetime
    index: int
    steps_total: int
    step: Step
    side: Side
    seconds: float

    @property
    def number(self) -> int:
        """1-based position, for "step 2 of 3"."""
        return self.index + 1


@dataclass(frozen=True)
class SidesSwitched:
    """The second half of an "each side" step began: the switch-sides cue."""

    at: datetime
    index: int
    step: Step
    seconds: float


@dataclass(frozen=True)
class RepTimeUp:
    """A rep step's suggested time ran out; the step waits for the user's Next."""

    at: datetime
    index: int
    step: Step
    side: Side


@dataclass(frozen=True)
class Paused:
    """The countdown stopped; ``reason`` tells a user pause from a late tick."""

    at: datetime
    reason: PauseReason


@dataclass(frozen=True)
class Resumed:
    """The countdown runs again from where it stopped."""

    at: datetime


@dataclass(frozen=True)
class SessionResult:
    """What the history needs to know about a finished session."""

    routine_id: str
    outcome: Outcome
    steps_done: int
    steps_total: int
    started_at: datetime
    ended_at: datetime
    active_seconds: float


@dataclass(frozen=True)
class SessionEnded:
    """The session is over; the shell records ``result`` and closes the window."""

    at: datetime
    result: SessionResult


SessionEvent = (
    SessionStarted | StepStarted | SidesSwitched | RepTimeUp | Paused | Resumed | (SessionEnded)
)


@dataclass(frozen=True)
class SessionView:
    """Everything a timer window or tray title shows, computed for one moment.

    Seconds are whole and rounded up, so "0:00" shows only when time is really up.
    ``awaiting_user`` is set on rep steps: the window should offer Next as
    "done with these reps" there. ``is_last`` tells the window that Next will end the
    session as completed.
    """

    state: SessionState
    routine_id: str
    routine_title: str
    step_name: str
    instruction: str
    section: str
    dose: str
    kind: StepKind
    step_number: int
    step_count: int
    side: Side
    remaining_seconds: int
    overtime_seconds: int
    total_remaining_seconds: int
    fraction_done: float
    awaiting_user: bool
    is_last: bool
    outcome: Outcome | None
    image: str = ""  # the step's picture (see ``Step.image``)

    @property
    def paused(self) -> bool:
        """True while the countdown is stopped by a pause."""
        return self.state is SessionState.PAUSED

    def position(self, words: Words = ENGLISH) -> str:
        """ "step 2 of 3"."""
        return words.gettext("step {number} of {count}").format(
            number=self.step_number, count=self.step_count)

    @property
    def clock(self) -> str:
        """The big countdown, "m:ss"; overtime on a rep step shows as "+m:ss"."""
        if self.overtime_seconds:
            return "+" + _mmss(self.overtime_seconds)
        return _mmss(self.remaining_seconds)


def _mmss(seconds: int) -> str:
    minutes, secs = divmod(max(0, seconds), 60)
    return f"{minutes}:{secs:02d}"


def ceil_seconds(value: timedelta) -> int:
    """Whole seconds rounded up (never negative): what a countdown shows."""
    micro = max(0, value // timedelta(microseconds=1))
    return -(-micro // 1_000_000)
