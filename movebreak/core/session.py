"""The guided-session state machine: one routine, step by step, on an injected clock.

Pure on purpose: no windows, no notifications, no clock and no I/O. Every method
takes ``now`` (an aware datetime) and returns the events the shell should react to,
so the whole behaviour is testable in microseconds and the app can sleep until
``next_deadline(now)`` instead of waking every second.

How a session moves:

* The routine's offered steps run in order. Each step is one *part*, or two parts
  (first side, second side) when it is an "each side" step. A part lasts the step's
  planned time (``Step.suggested``) divided by its sides, the same figure the prompt
  announced, so "2-minute reset" means two minutes on the timer too.
* A timed part ends by itself at its deadline; the next part starts at once
  (``StepStarted``, or ``SidesSwitched`` for a second side).
* A rep part counts its suggested time down, but does **not** advance when it runs
  out: it emits ``RepTimeUp`` once and waits for Next. People count their own reps
  and do them at their own pace; cutting a set off mid-rep, or moving on while they
  are still at it, is exactly the nagging that makes people quit break apps. The
  countdown is a pace guide, and the window shows overtime as "+m:ss".
* Next leaves the current part: on a first side it switches sides, otherwise it
  moves to the next step; on the last part it completes the session. Next is the
  user's word that the part is done, so it counts the step as done.
* Done ends the session as completed at any point, counting the current step (the
  user says they did it) but not the ones after it. Skip and Snooze end it with
  those outcomes and the steps finished so far. The shell reschedules a snooze.
* Pause freezes the countdown; only Resume restarts it. Next, Done, Skip and Snooze
  work while paused (Next keeps the session paused, on the new part).

Clock trouble, which a laptop has every day:

* A tick that arrives more than ``late_limit`` after its deadline means the computer
  slept or the process stalled. The part that was due ends as planned, and the
  session pauses (``Paused(reason=LATE_TICK)``) at the start of the next part
  rather than racing through steps nobody saw.
* A clock that steps backwards (an NTP correction) shifts the running countdown
  with it at the next call, counting no time since the previous call, so a part
  never jumps and stretches at most by that gap. A shell that wants full immunity
  passes ``now`` from a monotonic clock anchored to the wall clock at start-up (on
  Linux that clock stops during suspend, so a nap then simply pauses the session).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from movebreak.core.outcome import Outcome
from movebreak.core.routines import Routine, Step
from movebreak.core.session_events import (
    Paused,
    PauseReason,
    RepTimeUp,
    Resumed,
    SessionEnded,
    SessionEvent,
    SessionResult,
    SessionStarted,
    SessionState,
    SessionView,
    Side,
    SidesSwitched,
    StepKind,
    StepStarted,
    ceil_seconds,
)
from movebreak.core.words import ENGLISH, Words

# Later than this after a deadline, a tick means the machine was asleep (see above).
LATE_LIMIT = timedelta(seconds=60)
# No part is shorter than this, whatever the data says: a zero-length part would
# flash past unseen.
MIN_PART = timedelta(seconds=1)

_ACTIVE = (SessionState.RUNNING, SessionState.PAUSED)


@dataclass(frozen=True)
class _Part:
    """One countdown: a whole step, or one side of an "each side" step."""

    step_index: int
    side: Side
    length: timedelta
    kind: StepKind
    last_of_step: bool


def _parts_of(steps: tuple[Step, ...]) -> tuple[_Part, ...]:
    parts: list[_Part] = []
    for index, step in enumerate(steps):
        kind = StepKind.REPS if step.reps is not None else StepKind.TIMED
        length = max(MIN_PART, step.suggested / step.sides)
        sides = (Side.FIRST, Side.SECOND) if step.each_side else (Side.NONE,)
        for side in sides:
            parts.append(_Part(index, side, length, kind, side is sides[-1]))
    return tuple(parts)


def _require_aware(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("the session clock needs aware datetimes (with a time zone)")


class Session:
    """Runs one routine; see the module docstring for the rules.

    Create it when the user presses Start (or at prompt time: Skip and Snooze also
    work before ``start``), then feed it the user's operations and ``tick`` at
    ``next_deadline``. Operations that do not apply (Pause while paused, anything
    after the end) return no events rather than raising, because double clicks and
    a button racing a deadline are normal.
    """

    def __init__(
        self,
        routine: Routine,
        steps: tuple[Step, ...] | None = None,
        *,
        late_limit: timedelta = LATE_LIMIT,
    ) -> None:
        self._routine = routine
        self._steps = tuple(routine.steps if steps is None else steps)
        if not self._steps:
            raise ValueError(f"routine {routine.id!r} offers no steps to run")
        self._parts = _parts_of(self._steps)
        self._planned = sum((p.length for p in self._parts), timedelta())
        self._late_limit = late_limit
        self._state = SessionState.READY
        self._index = 0
        self._deadline: datetime | None = None  # end of the current part, when running
        self._left = self._parts[0].length  # time left of the current part, otherwise
        self._time_up_sent = False
        self._steps_done = 0
        self._active = timedelta()
        self._run_since: datetime | None = None
        self._started_at: datetime | None = None
        self._last: datetime | None = None
        self._result: SessionResult | None = None

    # --- properties ------------------------------------------------------------------

    @property
    def state(self) -> SessionState:
        """The current state."""
        return self._state

    @property
    def routine(self) -> Routine:
        """The routine being run."""
        return self._routine

    @property
    def steps(self) -> tuple[Step, ...]:
        """The steps offered by this prompt, in order."""
        return self._steps

    @property
    def result(self) -> SessionResult | None:
        """The outcome once ended, else None."""
        return self._result

    # --- operations ------------------------------------------------------------------

    def start(self, now: datetime) -> list[SessionEvent]:
        """Begin the first step. Only a READY session starts."""
        self._observe(now)
        if self._state is not SessionState.READY:
            return []
        self._state = SessionState.RUNNING
        self._started_at = now
        self._run_since = now
        events: list[SessionEvent] = [SessionStarted(now, self._routine.id, len(self._steps))]
        self._enter(0, now, events)
        return events

    def tick(self, now: datetime) -> list[SessionEvent]:
        """Apply every deadline up to ``now``; call it at ``next_deadline``."""
        self._observe(now)
        return self._advance(now)

    def pause(self, now: datetime) -> list[SessionEvent]:
        """Freeze the countdown."""
        self._observe(now)
        events = self._advance(now)
        if self._state is SessionState.RUNNING:
            self._pause(now, PauseReason.USER, events)
        return events

    def resume(self, now: datetime) -> list[SessionEvent]:
        """Restart the countdown where it stopped."""
        self._observe(now)
        if self._state is not SessionState.PAUSED:
            return self._advance(now)
        self._state = SessionState.RUNNING
        self._deadline = now + self._left
        self._run_since = now
        events: list[SessionEvent] = [Resumed(now)]
        events += self._advance(now)
        return events

    def toggle_pause(self, now: datetime) -> list[SessionEvent]:
        """Pause if running, resume if paused: the one button of the window."""
        if self._state is SessionState.PAUSED:
            return self.resume(now)
        return self.pause(now)

    def next(self, now: datetime) -> list[SessionEvent]:
        """Leave the current part: switch sides, go to the next step, or complete."""
        self._observe(now)
        events = self._advance(now)
        if self._state in _ACTIVE:
            self._finish_part(now, events)
        return events

    def done(self, now: datetime) -> list[SessionEvent]:
        """End as completed, counting the current step but not the later ones."""
        self._observe(now)
        events = self._advance(now)
        if self._state in _ACTIVE:
            self._steps_done += 1
            self._end(Outcome.COMPLETED, now, events)
        return events

    def skip(self, now: datetime) -> list[SessionEvent]:
        """End as skipped (also before ``start``: skipping the prompt)."""
        return self._stop(Outcome.SKIPPED, now)

    def snooze(self, now: datetime) -> list[SessionEvent]:
        """End as snoozed; the shell prompts again later with a fresh session."""
        return self._stop(Outcome.SNOOZED, now)

    # --- queries ---------------------------------------------------------------------

    def next_deadline(self, now: datetime) -> datetime | None:
        """When the shell must call ``tick`` next; None when nothing is due.

        Nothing is due while paused, before start, after the end, and on a rep part
        whose suggested time is over (it waits for the user). The answer may lie
        before ``now`` (the shell was late): then tick at once.
        """
        del now  # the answer depends on the state alone; ``now`` keeps calls uniform
        if self._state is not SessionState.RUNNING:
            return None
        if self._part.kind is StepKind.REPS and self._time_up_sent:
            return None
        return self._deadline

    def view(self, now: datetime, words: Words = ENGLISH) -> SessionView:
        """What a timer window shows at ``now``; it changes nothing.

        Between a deadline and its tick the countdown shows 0 rather than going
        negative (or, on a rep part, the overtime). The dose is said in ``words``.
        """
        _require_aware(now)
        part = self._part
        step = self._steps[part.step_index]
        left = min(self._time_left(now), part.length)  # a clock stepped back shows no more
        overtime = max(0, int(-left.total_seconds())) if part.kind is StepKind.REPS else 0
        later = sum((p.length for p in self._parts[self._index + 1 :]), timedelta())
        if self._result is not None and self._result.outcome is Outcome.COMPLETED:
            total_left = timedelta()
        else:
            total_left = max(timedelta(), left) + later
        return SessionView(
            state=self._state,
            routine_id=self._routine.id,
            routine_title=self._routine.title,
            step_name=step.name,
            instruction=step.instruction,
            section=step.section,
            dose=step.dose(words),
            kind=part.kind,
            step_number=part.step_index + 1,
            step_count=len(self._steps),
            side=part.side,
            remaining_seconds=ceil_seconds(left),
            overtime_seconds=overtime,
            total_remaining_seconds=ceil_seconds(total_left),
            fraction_done=min(1.0, max(0.0, 1 - total_left / self._planned)),
            awaiting_user=part.kind is StepKind.REPS,
            is_last=self._index == len(self._parts) - 1,
            outcome=self._result.outcome if self._result else None,
            image=step.image,
        )

    # --- internals -------------------------------------------------------------------

    @property
    def _part(self) -> _Part:
        return self._parts[self._index]

    def _time_left(self, now: datetime) -> timedelta:
        """Signed time left of the current part (negative = overtime)."""
        if self._state is SessionState.RUNNING and self._deadline is not None:
            return self._deadline - now
        return self._left

    def _observe(self, now: datetime) -> None:
        """Check the clock and absorb a backwards step, so countdowns keep their size."""
        _require_aware(now)
        if self._last is not None and now < self._last:
            shift = self._last - now
            if self._deadline is not None:
                self._deadline -= shift
            if self._run_since is not None:
                self._run_since -= shift
        self._last = now

    def _advance(self, now: datetime) -> list[SessionEvent]:
        """Apply the deadlines that have passed, each stamped with its own time."""
        events: list[SessionEvent] = []
        while (due := self.next_deadline(now)) is not None and due <= now:
            part = self._part
            if part.kind is StepKind.REPS:
                self._time_up_sent = True
                events.append(RepTimeUp(due, part.step_index, self._step, part.side))
                continue
            late = now - due > self._late_limit
            self._finish_part(due, events)
            if late and self._state is SessionState.RUNNING:
                self._pause(due, PauseReason.LATE_TICK, events)
        return events

    @property
    def _step(self) -> Step:
        return self._steps[self._part.step_index]

    def _enter(self, index: int, at: datetime, events: list[SessionEvent]) -> None:
        """Make part ``index`` current, keeping the running/paused state."""
        self._index = index
        part = self._part
        self._time_up_sent = False
        self._left = part.length
        self._deadline = at + part.length if self._state is SessionState.RUNNING else None
        seconds = part.length.total_seconds()
        if part.side is Side.SECOND:
            events.append(SidesSwitched(at, part.step_index, self._step, seconds))
        else:
            events.append(
                StepStarted(at, part.step_index, len(self._steps), self._step, part.side, seconds)
            )

    def _finish_part(self, at: datetime, events: list[SessionEvent]) -> None:
        """The current part is over (timer or Next): count it, then move on or end."""
        if self._part.last_of_step:
            self._steps_done += 1
        if self._index + 1 < len(self._parts):
            self._enter(self._index + 1, at, events)
        else:
            self._end(Outcome.COMPLETED, at, events)

    def _pause(self, at: datetime, reason: PauseReason, events: list[SessionEvent]) -> None:
        self._left = self._time_left(at)
        self._stop_clock(at)
        self._deadline = None
        self._state = SessionState.PAUSED
        events.append(Paused(at, reason))

    def _stop_clock(self, at: datetime) -> None:
        if self._run_since is not None:
            self._active += max(timedelta(), at - self._run_since)
            self._run_since = None

    def _stop(self, outcome: Outcome, now: datetime) -> list[SessionEvent]:
        self._observe(now)
        events = self._advance(now)
        if self._state is SessionState.READY:
            self._started_at = now
        if self._state is not SessionState.ENDED:
            self._end(outcome, now, events)
        return events

    def _end(self, outcome: Outcome, at: datetime, events: list[SessionEvent]) -> None:
        if self._state is SessionState.RUNNING:
            self._left = self._time_left(at)
        self._stop_clock(at)
        self._deadline = None
        self._state = SessionState.ENDED
        started = self._started_at if self._started_at is not None else at
        self._result = SessionResult(
            routine_id=self._routine.id,
            outcome=outcome,
            steps_done=self._steps_done,
            steps_total=len(self._steps),
            started_at=started,
            ended_at=at,
            active_seconds=self._active.total_seconds(),
        )
        events.append(SessionEnded(at, self._result))
