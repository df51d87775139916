"""What the user does to the timetable: start, done, skip, snooze, pause and resume.

Pure transitions like the rest of the engine (``Engine`` mixes these in); kept apart
because they answer a person, while ``engine`` answers the clock.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta

from movebreak.core import agenda, timetable
from movebreak.core.commands import Command, Done, Pause, Resume, Skip, Snooze, Start
from movebreak.core.events import (
    MEETING_ROUTINE,
    SKIPPED_AHEAD,
    Event,
    Outcome,
    Result,
    minutes_text,
)
from movebreak.core.state import Prompt, Running, Source, TimetableState


class UserActions:
    """The user's operations; ``self`` is an ``Engine``."""

    def apply(self, state: TimetableState, now: datetime, command: Command) -> Result:
        """What ``command`` does to the timetable (nothing, for the commands it has none)."""
        match command:
            case Start(routine):
                return self.start(state, now, routine)
            case Snooze(length):
                return self.snooze(state, now, length or self.config.prompts.snooze)
            case Skip():
                return self.skip(state, now)
            case Done():
                return self.done(state, now)
            case Pause(length):
                until = now + length if length else self.pause_until_tomorrow(now)
                return self.pause(state, now, until)
            case Resume():
                return self.resume(state, now)
        return state, []

    def start(self, state: TimetableState, now: datetime, routine_id: str | None = None) -> Result:
        """Start the pending prompt's routine, or ``routine_id`` on demand."""
        pending = state.pending
        if routine_id is None and pending is None:
            return state, []
        rid = routine_id or (pending.routine if pending else "")
        snoozed = state.snoozed
        if pending is not None and pending.routine == rid:
            source, rotation = pending.source, pending.rotation
        elif snoozed is not None and snoozed.routine == rid:  # done early: the same exercises
            source, rotation = snoozed.source, snoozed.rotation
        else:
            source, rotation = Source.MANUAL, state.rotation(rid)
            state = state.rotated(rid)
        events = []
        replaced = state.running or (
            pending if pending is not None and pending.routine != rid else None
        )
        if replaced is not None:
            events.append(
                Event(
                    Outcome.SKIPPED,
                    now,
                    replaced.routine,
                    replaced.source,
                    replaced.rotation,
                    "replaced",
                )
            )
        state = replace(
            _without_snooze_of(state, rid),
            pending=None,
            running=Running(rid, now, rotation, source),
            reset_anchor=now,
        )
        if rid == self.config.morning.routine:
            state = replace(state, morning_handled=now.astimezone(self.tz).date())
        events.append(Event(Outcome.STARTED, now, rid, source, rotation))
        return state, events

    def done(self, state: TimetableState, now: datetime) -> Result:
        """The user did it: the running or pending routine counts as completed."""
        target = state.running or state.pending
        moved = target.routine if target is not None else self.config.reset.routine
        state = replace(
            _without_snooze_of(state, moved), running=None, pending=None, reset_anchor=now
        )
        if target is None:  # "I just moved": nothing to record, but the count starts again
            return state, []
        if target.routine == self.config.morning.routine:
            state = replace(state, morning_handled=now.astimezone(self.tz).date())
        return state, [
            Event(Outcome.COMPLETED, now, target.routine, target.source, target.rotation)
        ]

    def skip(self, state: TimetableState, now: datetime) -> Result:
        """Drop the running, pending or next prompt; the count moves on to the next slot."""
        target = state.running or state.pending
        if target is None:
            prompt = self.next_prompt(state, state.checked_until or now)
            if prompt is None:
                return state, []
            state = self._consume(state, prompt, max(prompt.at, now))
            return state, [
                Event(Outcome.SKIPPED, now, prompt.routine, prompt.source, detail=SKIPPED_AHEAD)
            ]
        state = replace(
            _without_snooze_of(state, target.routine), running=None, pending=None,
            reset_anchor=now,
        )
        return state, [Event(Outcome.SKIPPED, now, target.routine, target.source, target.rotation)]

    def snooze(self, state: TimetableState, now: datetime, length: timedelta) -> Result:
        """Offer the running, pending or next prompt again after ``length``, same exercises."""
        held = state.running or state.pending
        until = None
        if held is not None:
            routine, source, rotation = held.routine, held.source, held.rotation
            until = held.until if isinstance(held, Prompt) else None
        else:
            upcoming = self.next_prompt(state, state.checked_until or now)
            if upcoming is None:
                return state, []
            state = self._consume(state, upcoming, now)
            routine, source = upcoming.routine, upcoming.source
            rotation = state.rotation(routine)
            state = state.rotated(routine)
        if routine == MEETING_ROUTINE and until is None:  # standing for a call ends with it
            call = agenda.audio_call_at(self.meetings, now)
            until = call.end if call else None
        wait = minutes_text(length)
        again = Prompt(now + length, routine, Source.SNOOZE, f"snoozed {wait}", rotation, until)
        state = replace(state, running=None, pending=None, snoozed=again, reset_anchor=now)
        return state, [Event(Outcome.SNOOZED, now, routine, source, rotation, wait)]

    def pause(self, state: TimetableState, now: datetime, until: datetime) -> Result:
        """Hold every prompt until ``until``; what falls due meanwhile is not replayed."""
        events = []
        for held in (state.running, state.pending):
            if held is not None:
                events.append(
                    Event(Outcome.PAUSED, now, held.routine, held.source, held.rotation, "paused")
                )
        state = replace(state, paused_until=until, pending=None, snoozed=None, running=None)
        events.append(Event(Outcome.PAUSED, now, detail=until.isoformat()))
        return state, events

    def resume(self, state: TimetableState, now: datetime) -> Result:
        """End a pause now; the reset count starts again from now."""
        if state.paused_until is None:
            return state, []
        handled = self._morning_gone(now, now) or state.morning_handled
        state = replace(state, paused_until=None, reset_anchor=now, morning_handled=handled)
        return state, [Event(Outcome.RESUMED, now)]

    def pause_until_tomorrow(self, now: datetime) -> datetime:
        """Midnight after ``now`` in the config's zone."""
        local = now.astimezone(self.tz).date() + timedelta(days=1)
        return timetable.at_local(local, time(0), self.tz)


def _without_snooze_of(state: TimetableState, routine: str) -> TimetableState:
    """A snoozed prompt of ``routine`` is used up once that routine is started, done or
    skipped: it must not come back right after the user already dealt with it."""
    if state.snoozed is not None and state.snoozed.routine == routine:
        return replace(state, snoozed=None)
    return state
