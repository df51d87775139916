"""What the tray says: the "Next: ..." line, the tooltip and the icon state, as plain data.

Kept pure so the words a person reads are tested without a desktop.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from movebreak.core import agenda
from movebreak.core.engine import Engine
from movebreak.core.meeting_facts import MeetingKind
from movebreak.core.session_events import SessionView
from movebreak.core.state import Status, TimetableState
from movebreak.core.words import ENGLISH, N_, Words


@dataclass(frozen=True)
class TrayView:
    """Everything the tray shows; swapped whole, so readers never see half an update."""

    status: Status
    headline: str
    tooltip: str
    progress: float | None = None  # 0..1 while a routine runs
    has_prompt: bool = False  # something to snooze, skip or mark done


_KIND_WORDS = {
    MeetingKind.VIDEO: N_("In a video call until {time}"),
    MeetingKind.AUDIO: N_("In an audio-only call until {time}"),
    MeetingKind.IN_PERSON: N_("In a meeting until {time}"),
    MeetingKind.NONE: N_("In a meeting until {time}"),
}


def _clock(moment: datetime, now: datetime, engine: Engine, words: Words) -> str:
    local = moment.astimezone(engine.tz)
    today = now.astimezone(engine.tz).date()
    clock = words.clock(local.time())
    if local.date() == today:
        return clock
    if local.date() == today + timedelta(days=1):
        return words.gettext("tomorrow {time}").format(time=clock)
    return words.gettext("{weekday} {time}").format(weekday=words.weekday(local.date()), time=clock)


def tray_view(
    engine: Engine,
    state: TimetableState,
    now: datetime,
    session: SessionView | None = None,
    words: Words = ENGLISH,
) -> TrayView:
    """The tray's words and state for ``state`` at ``now`` (and the guided session's view)."""
    status = engine.status(state, now)
    title = engine.config.routine

    def view(text: str, progress: float | None = None, has_prompt: bool = False) -> TrayView:
        return TrayView(status, text, f"movebreak · {text}", progress, has_prompt)

    def clock(moment: datetime) -> str:
        return _clock(moment, now, engine, words)

    if status is Status.RUNNING and state.running is not None:
        name = title(state.running.routine).title
        if session is None:
            return view(words.gettext("Running: {routine}").format(routine=name), None, True)
        left = max(1, round(session.total_remaining_seconds / 60))
        if session.paused:
            text = words.gettext("Running: {routine} (paused)").format(routine=name)
        else:
            text = words.ngettext(
                "Running: {routine}: about {minutes} minute left",
                "Running: {routine}: about {minutes} minutes left",
                left,
            ).format(routine=name, minutes=left)
        return view(text, session.fraction_done, True)
    if status is Status.DUE and state.pending is not None:
        routine = title(state.pending.routine).title
        return view(words.gettext("Due now: {routine}").format(routine=routine), None, True)
    if status is Status.HELD:
        return view(words.gettext("Held: {reason}; prompts come right after").format(
            reason=state.quiet_reason))
    if state.away_since is not None and status is Status.WAITING:
        return view(words.gettext("Away since {time}: a natural break").format(
            time=clock(state.away_since)))
    meeting = agenda.current(engine.meetings, now) if status is Status.MEETING else None
    if meeting is not None:
        text = words.gettext(_KIND_WORDS[meeting.kind]).format(time=clock(meeting.end))
        if meeting.kind in agenda.BUSY:
            text = words.gettext("{meeting}: prompts wait").format(meeting=text)
        return view(text)
    if status is Status.PAUSED and state.paused_until is not None:
        return view(words.gettext("Paused until {time}").format(time=clock(state.paused_until)))
    prompt = engine.next_prompt(state, state.checked_until or now)
    if prompt is None:
        return view(words.gettext("Nothing planned"))
    return view(words.gettext("Next: {routine} at {time}").format(
        routine=title(prompt.routine).title, time=clock(max(prompt.at, now))))
