"""What time away, sleep and quiet periods do to the timetable (pure transitions).

* Away for at least the natural break: nothing fires meanwhile; on return the reset
  count starts again, what fell due while away is dropped (recorded as missed), and
  after a longer break (coffee, the printer) a reset is offered right away.
* Asleep: the same as away, but nothing fires in the first moments after waking
  (``WAKE_SETTLE``) and no return offer follows: a sleep is not a coffee break.
* Quiet (a fullscreen window, do-not-disturb): prompts wait and come right after,
  once, however late.
* The wall clock set back while awake (an NTP correction, a user fixing the time):
  what counts real minutes (the reset count, a snooze, a pause) moves back with it,
  so the next reset still comes the configured minutes after the last movement;
  what follows the wall clock (working hours, meetings, the morning) stays put.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from movebreak.core import agenda, timetable
from movebreak.core.engine import Engine
from movebreak.core.events import Event, Outcome, Result, minutes_text
from movebreak.core.state import Prompt, Source, TimetableState

WAKE_SETTLE = timedelta(seconds=60)


def went_away(engine: Engine, state: TimetableState, since: datetime) -> Result:
    """The user has been idle since ``since``: hold prompts until they are back."""
    if state.away_since is not None or state.running is not None:
        return state, []  # a routine done away from the keyboard is not time away
    return replace(state, away_since=since), []


def came_back(engine: Engine, state: TimetableState, now: datetime) -> Result:
    """The user is back: a natural break, and maybe a reset right away."""
    since = state.away_since
    if since is None:
        return state, []
    # A routine done away from the keyboard is not time away: count from its end.
    away_for = now - max(filter(None, (since, state.reset_anchor)))
    events: list[Event] = []
    if state.pending is not None:
        old = state.pending
        events.append(Event(Outcome.MISSED, now, old.routine, old.source, old.rotation, "away"))
    state = replace(state, away_since=None, pending=None)
    state, caught = engine.catch_up(state, now, events)
    state = replace(state, reset_anchor=max(filter(None, (state.reset_anchor, now))))
    if state.pending is None and _offer_reset(engine, state, now, away_for):
        reason = f"welcome back after {minutes_text(away_for)} away"
        offer = Prompt(now, engine.config.reset.routine, Source.RETURN, reason)
        state, delivered = engine.deliver(state, [offer], now)
        caught += delivered
    return state, caught


def _offer_reset(engine: Engine, state: TimetableState, now: datetime,
                 away_for: timedelta) -> bool:
    config = engine.config
    after = config.away.offer_reset_after
    in_meeting = agenda.after_busy(engine.meetings, now) > now
    return (after is not None and away_for >= after and config.reset.enabled
            and state.running is None and not state.paused(now) and not in_meeting
            and timetable.in_working_hours(config, engine.tz, now))


def slept(engine: Engine, state: TimetableState, start: datetime, end: datetime) -> Result:
    """The machine slept from ``start`` to ``end``: time away, then a moment to settle."""
    events: list[Event] = []
    if state.pending is not None:
        old = state.pending
        events.append(Event(Outcome.MISSED, end, old.routine, old.source, old.rotation, "asleep"))
    anchor = max(filter(None, (state.reset_anchor, end)))
    state = replace(state, away_since=None, pending=None, reset_anchor=anchor,
                    settle_until=end + WAKE_SETTLE)
    return state, events


def clock_set_back(engine: Engine, state: TimetableState, now: datetime,
                   step: timedelta) -> Result:
    """The wall clock went back by ``step`` at ``now``: keep real durations, then plan."""

    def back(moment: datetime | None) -> datetime | None:
        return None if moment is None else moment - step

    snoozed = state.snoozed
    if snoozed is not None:
        snoozed = replace(snoozed, at=snoozed.at - step)
    running = state.running
    if running is not None:
        running = replace(running, started=running.started - step)
    state = replace(
        state,
        checked_until=min(filter(None, (back(state.checked_until), now))),
        reset_anchor=back(state.reset_anchor),
        snoozed=snoozed,
        running=running,
        paused_until=back(state.paused_until),
        away_since=back(state.away_since),
        settle_until=back(state.settle_until),
    )
    return engine.advance(state, now)


def quiet_started(engine: Engine, state: TimetableState, reason: str) -> Result:
    """A fullscreen window or do-not-disturb: prompts wait."""
    return replace(state, quiet_reason=reason), []


def quiet_ended(engine: Engine, state: TimetableState, now: datetime) -> Result:
    """The quiet is over: what waited comes now, once, however late."""
    if state.quiet_reason is None:
        return state, []
    state = replace(state, quiet_reason=None)
    if state.holding(now) or state.running is not None:
        return state, []
    return engine.catch_up(state, now, [], forgive_lateness=True)
