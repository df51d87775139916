"""The timetable engine: pure transitions of ``TimetableState`` given the time now.

Safe Eyes keeps one pending timer; so do we. The shell asks ``next_wakeup`` when
to call ``advance`` next and sleeps until then. ``advance`` delivers at most one
prompt, drops prompts that are too late (a suspended laptop wakes up to one fresh
start, not a burst of stale prompts) and reports every happening as an ``Event``
for the history and the tray. Snooze, skip, done, start, pause and resume are
operations here, not tricks on scheduler jobs.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, tzinfo

from movebreak.core import agenda, timetable
from movebreak.core.agenda import Meeting
from movebreak.core.config import Config
from movebreak.core.events import (
    MEETING_ROUTINE,
    Event,
    Outcome,
    Result,
    minutes_text,
)
from movebreak.core.meeting_facts import first_line
from movebreak.core.state import Prompt, Source, Status, TimetableState
from movebreak.core.user_actions import UserActions

# A morning routine is still worth offering this late (the app started at 09:40,
# or the laptop woke up then); later than this it is dropped for the day.
MORNING_GRACE = timedelta(hours=1)
# How far back a call's stand prompt is still looked for (see next_prompt).
CUE_LOOKBACK = timedelta(minutes=15)
# A gap longer than this (a long holiday asleep, a clock jumping years) starts afresh.
LONG_GAP = timedelta(days=1)
# A call's title in a prompt: enough to recognise it, never a wall of text.
CALL_TITLE_LIMIT = 60
# Guards the catch-up loop in ``advance`` against any rule that fails to move on.
_MAX_CATCH_UP = 500


UNSEEN_AGAIN = "offered again: a fullscreen window may have hidden it"


class Engine(UserActions):
    """The rules of one config in one time zone. Holds no state of its own."""

    def __init__(
        self,
        config: Config,
        tz: tzinfo,
        meetings: tuple[Meeting, ...] = (),
        sees_fullscreen: bool = True,
    ) -> None:
        self.config = config
        self.tz = tz
        self.meetings = meetings
        # False where the desktop cannot say when a fullscreen window hides prompts
        # (GNOME on Wayland, macOS): then a prompt is offered once more if unanswered.
        self.sees_fullscreen = sees_fullscreen

    def with_meetings(self, meetings: tuple[Meeting, ...]) -> Engine:
        """The same rules with a fresh view of the calendar (and live calls)."""
        return Engine(self.config, self.tz, meetings, self.sees_fullscreen)

    def with_desktop_of(self, other: Engine) -> Engine:
        """These rules (a new config) with what ``other`` knew of the calendar and desktop."""
        return Engine(self.config, self.tz, other.meetings, other.sees_fullscreen)

    def seeing_fullscreen(self, sees: bool) -> Engine:
        return Engine(self.config, self.tz, self.meetings, sees)

    # ----- what comes next -------------------------------------------------
    def next_prompt(self, state: TimetableState, after: datetime) -> Prompt | None:
        """The first prompt the rules produce after ``after`` (may already be due)."""
        hold = state.paused_until if state.paused_until and state.paused_until > after else None
        start = hold or after
        anchor = max(filter(None, (state.reset_anchor, hold)), default=None)
        cfg = self.config
        candidates = []
        if state.snoozed is not None and hold is None:
            candidates.append(replace(state.snoozed, at=self._after_meetings(state.snoozed.at)))
        if (at := self._reset_at(anchor, start)) is not None:
            reason = f"every {minutes_text(cfg.reset.every)} of sitting"
            candidates.append(Prompt(at, cfg.reset.routine, Source.RESET, reason))
        morning = timetable.next_morning(cfg, self.tz, start, state.morning_handled, hold)
        if morning is not None and not self._moved_past_work(morning):
            moved = self._after_meetings(morning)
            reason = "morning routine" if moved == morning else "morning routine, after a meeting"
            candidates.append(Prompt(moved, cfg.morning.routine, Source.MORNING, reason))
        at = timetable.next_standing(cfg, self.tz, start)
        if at is not None and not self._moved_past_work(at):
            candidates.append(
                Prompt(self._after_meetings(at), cfg.standing.routine, Source.STANDING,
                       "standing block")
            )
        # A call may be noticed a little after it began (a live call is reported once the
        # microphone was held a few seconds): look back, and remember what was offered.
        since = max(filter(None, (state.cue_handled, start - CUE_LOOKBACK)))
        cue = agenda.next_stand_cue(self.meetings, cfg.calendar.audio_reminder, since)
        if cue is not None and MEETING_ROUTINE in cfg.routines:
            title = first_line(cue.meeting.title, CALL_TITLE_LIMIT) or "an audio-only call"
            reason = f"{'still in' if cue.reminder else 'audio-only call'}: {title}"
            cue_at = max(cue.at, hold) if hold else cue.at  # a pause holds calls' prompts too
            candidates.append(
                Prompt(cue_at, MEETING_ROUTINE, Source.MEETING, reason, until=cue.meeting.end)
            )
        return min(candidates, key=lambda p: (p.at, p.source.value), default=None)

    def _moved_past_work(self, moment: datetime) -> bool:
        """A meeting pushes ``moment`` out of the working day: then it is dropped."""
        moved = self._after_meetings(moment)
        return moved != moment and not timetable.in_working_hours(self.config, self.tz, moved)

    def _after_meetings(self, moment: datetime) -> datetime:
        """``moment``, or the end of the video / in-person meetings it falls into."""
        return agenda.after_busy(self.meetings, moment)

    def _reset_at(self, anchor: datetime | None, start: datetime) -> datetime | None:
        """The next reset, kept out of meetings and inside working hours."""
        for _ in range(len(self.meetings) + 2):
            at = timetable.next_reset(self.config, self.tz, anchor, start)
            if at is None:
                return None
            call = agenda.audio_call_at(self.meetings, at)
            if call is not None:  # the call was the walking time: count again from its end
                anchor, start = call.end, max(start, call.end)
                continue
            moved = self._after_meetings(at)
            if moved == at or timetable.in_working_hours(self.config, self.tz, moved):
                return moved
            anchor, start = moved, moved  # the meeting ran past the working day
        return None

    def upcoming(self, state: TimetableState, now: datetime, until: datetime) -> list[Prompt]:
        """Prompts from ``now`` to ``until`` if nobody answers them: what ``next`` prints."""
        prompts: list[Prompt] = []
        after = max(filter(None, (state.checked_until, now)))
        for _ in range(_MAX_CATCH_UP):
            prompt = self.next_prompt(state, after)
            if prompt is None or prompt.at > until:
                break
            if prompt.at >= now:  # an unhandled morning of today may lie in the past
                prompts.append(prompt)
            state = self._consume(state, prompt, prompt.at)
            after = max(after, prompt.at)
        return prompts

    def next_wakeup(self, state: TimetableState, now: datetime) -> datetime | None:
        """When ``advance`` must run next; the shell sleeps until then."""
        prompt = self.next_prompt(state, state.checked_until or now)
        if state.running is not None or state.away_since or state.quiet_reason:
            return None  # a guided session, or the presence watch, says when to look again
        moments = [prompt.at if prompt else None, state.paused_until]
        soonest = min(filter(None, moments), default=None)
        if soonest is not None and state.settle_until is not None:
            soonest = max(soonest, state.settle_until)
        return max(soonest, self._after_meetings(now)) if soonest else None

    def status(self, state: TimetableState, now: datetime) -> Status:
        """The tray state: running beats due beats paused beats meeting beats waiting."""
        if state.running is not None:
            return Status.RUNNING
        if state.pending is not None:
            return Status.DUE
        if state.paused(now):
            return Status.PAUSED
        if state.quiet_reason is not None:
            return Status.HELD
        if agenda.current(self.meetings, now) is not None:
            return Status.MEETING
        return Status.WAITING

    def start_up(self, state: TimetableState, now: datetime) -> TimetableState:
        """A new process takes over a saved state: what fell due while it was not running
        is dropped silently (a day the app did not run is no day of missed prompts)."""
        last = state.checked_until
        if last is None or now - last <= MORNING_GRACE:
            return state
        lookback = now - MORNING_GRACE
        return replace(
            state,
            checked_until=lookback,
            reset_anchor=max(filter(None, (state.reset_anchor, now))),
            morning_handled=self._morning_gone(now, lookback) or state.morning_handled,
            pending=None,
            snoozed=None,
        )

    def settle(self, result: Result, now: datetime) -> Result:
        """A change, then the catch-up ``advance`` (a pause it ended, a prompt now due):
        how the app applies every change, and the month simulation with it."""
        state, events = result
        state, more = self.advance(state, now)
        return state, [*events, *more]

    # ----- the clock moves ---------------------------------------------------
    def advance(self, state: TimetableState, now: datetime) -> Result:
        """Bring the state up to ``now``: finish routines, end pauses, deliver what is due."""
        events: list[Event] = []
        checked = state.checked_until
        if checked is None:  # first run: look back only as far as a prompt may be late
            state = replace(
                state,
                checked_until=now - MORNING_GRACE,
                reset_anchor=now,
                morning_handled=self._morning_gone(now, now - MORNING_GRACE),
            )
        elif now - checked > LONG_GAP:  # days asleep, or a clock set years ahead
            state = self.start_up(state, now)  # no pile of "missed" rows: a fresh start
        elif now < checked:  # the clock went back: do not wait for the old future
            anchor = now if state.reset_anchor is None else min(state.reset_anchor, now)
            state = replace(state, checked_until=now, reset_anchor=anchor)
        if state.running is not None:
            # Nothing interrupts a routine in progress; what falls due meanwhile is looked
            # at when it ends (checked_until stays put), within each prompt's grace.
            return state, events
        if state.paused_until is not None and state.paused_until <= now:
            events.append(Event(Outcome.RESUMED, state.paused_until))
            handled = self._morning_gone(now, state.paused_until) or state.morning_handled
            state = replace(
                state, reset_anchor=state.paused_until, paused_until=None, morning_handled=handled
            )
        if state.holding(now):  # away, quiet or just woken: prompts wait, none is lost
            return state, events
        if state.settle_until is not None:
            state = replace(state, settle_until=None)
        return self.catch_up(state, now, events)

    def catch_up(
        self,
        state: TimetableState,
        now: datetime,
        events: list[Event],
        *,
        forgive_lateness: bool = False,
    ) -> Result:
        """Deliver what fell due since ``checked_until``; too-late prompts are dropped.

        ``forgive_lateness`` delivers held prompts however late (the end of a
        presentation): they were held back, not missed.
        """
        if self._after_meetings(now) > now:  # in a video or in-person meeting: what is due waits
            return state, events
        due: list[Prompt] = []
        after = state.checked_until or now
        for _ in range(_MAX_CATCH_UP):
            prompt = self.next_prompt(state, after)
            if prompt is None or prompt.at > now:
                break
            punctual = self._on_time(prompt, now)
            on_time = punctual or (forgive_lateness and self._alive(prompt, now))
            if on_time:
                due.append(prompt)
            else:
                events.append(
                    Event(
                        Outcome.MISSED,
                        prompt.at,
                        prompt.routine,
                        prompt.source,
                        detail=f"{minutes_text(now - prompt.at)} late (asleep or away)",
                    )
                )
            on_grid = punctual and self._held_until(prompt, now) == prompt.at
            state = self._consume(state, prompt, prompt.at if on_grid else now)
            after = max(after, prompt.at)
        state = replace(state, checked_until=now)
        if due:
            state, delivered = self.deliver(state, due, now)
            events.extend(delivered)
        return state, events

    def _held_until(self, prompt: Prompt, now: datetime) -> datetime:
        """When ``prompt`` could first be shown: after the video meetings that held it."""
        ends = [m.end for m in self.meetings if m.kind in agenda.BUSY and prompt.at < m.end <= now]
        return max([prompt.at, *ends])

    @staticmethod
    def _alive(prompt: Prompt, now: datetime) -> bool:
        return prompt.until is None or now < prompt.until

    def _on_time(self, prompt: Prompt, now: datetime) -> bool:
        """Whether a due prompt is still worth showing: a call's, until the call ends.

        A prompt held back by a video meeting counts from the meeting's end.
        """
        if prompt.until is not None:
            return now < prompt.until
        prompt = replace(prompt, at=self._held_until(prompt, now))
        grace = self.config.prompts.late_grace
        if prompt.source is Source.MORNING:
            if self.config.morning.first_activity:  # it waits for the user, until the day ends
                local = now.astimezone(self.tz)
                same_day = local.date() == prompt.at.astimezone(self.tz).date()
                return same_day and local.time() < self.config.work.end
            grace = max(grace, MORNING_GRACE)
        return now - prompt.at <= grace

    def _morning_gone(self, now: datetime, before: datetime) -> date | None:
        """Today's date if today's morning routine time lies before ``before`` (not offered)."""
        if self.config.morning.first_activity:  # it waits for the user, until the day ends
            local = now.astimezone(self.tz)
            return local.date() if local.time() >= self.config.work.end else None
        today = now.astimezone(self.tz).date()
        due = timetable.at_local(today, self.config.morning.at, self.tz)
        return today if due <= before else None

    def _consume(self, state: TimetableState, prompt: Prompt, moment: datetime) -> TimetableState:
        """The state once ``prompt`` has fallen due (delivered, or dropped at ``moment``)."""
        if prompt.source is Source.RESET:
            return replace(state, reset_anchor=moment)
        if prompt.source is Source.MORNING:
            return replace(state, morning_handled=prompt.at.astimezone(self.tz).date())
        if prompt.source is Source.MEETING:
            return replace(state, cue_handled=prompt.at)
        if prompt.source is Source.SNOOZE:
            return replace(
                state, snoozed=None, reset_anchor=max(moment, state.reset_anchor or moment)
            )
        return state

    def deliver(self, state: TimetableState, due: list[Prompt], now: datetime) -> Result:
        """Offer the most important due prompt; the rest were merged into it."""
        best = min(due, key=lambda p: (p.source.value, -p.at.timestamp()))
        events = [
            Event(Outcome.MISSED, p.at, p.routine, p.source, detail=f"merged into {best.routine}")
            for p in due
            if p is not best
        ]
        old = state.pending
        again = best.source is Source.SNOOZE and old is not None and old.routine == best.routine
        if old is not None and not again:  # replaced unanswered (offered again: the same one)
            events.append(
                Event(Outcome.MISSED, now, old.routine, old.source, detail="not answered")
            )
        if best.source is Source.SNOOZE:  # the same exercises the user saw before
            rotation = best.rotation
        else:
            rotation = state.rotation(best.routine)
            state = state.rotated(best.routine)
        state = replace(state, pending=replace(best, rotation=rotation))
        events.append(
            Event(Outcome.PROMPTED, now, best.routine, best.source, rotation, best.reason)
        )
        if self._may_be_hidden(best) and state.snoozed is None:
            # Answering it (start, done, skip, snooze) uses this up; otherwise it comes
            # once more, and then the history has the first one as "not answered".
            once_more = Prompt(now + self.config.prompts.snooze, best.routine, Source.SNOOZE,
                               UNSEEN_AGAIN, rotation, best.until)
            state = replace(state, snoozed=once_more)
        return state, events

    def _may_be_hidden(self, prompt: Prompt) -> bool:
        """A first offer a fullscreen window could have hidden without our knowing."""
        return (not self.sees_fullscreen and self.config.quiet.fullscreen
                and prompt.source is not Source.SNOOZE)
