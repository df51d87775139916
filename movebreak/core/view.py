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


@dataclass(frozen=True)
class TrayView:
    """Everything the tray shows; swapped whole, so readers never see half an update."""

    status: Status
    headline: str
    tooltip: str
    progress: float | None = None  # 0..1 while a routine runs
    has_prompt: bool = False  # something to snooze, skip or mark done


_KIND_WORDS = {
    MeetingKind.VIDEO: "a video call",
    MeetingKind.AUDIO: "an audio-only call",
    MeetingKind.IN_PERSON: "a meeting",
    MeetingKind.NONE: "a meeting",
}


def _clock(moment: datetime, now: datetime, engine: Engine) -> str:
    local = moment.astimezone(engine.tz)
    today = now.astimezone(engine.tz).date()
    if local.date() == today:
        return f"{local:%H:%M}"
    if local.date() == today + timedelta(days=1):
        return f"tomorrow {local:%H:%M}"
    return f"{local:%a %H:%M}"


def tray_view(
    engine: Engine, state: TimetableState, now: datetime, session: SessionView | None = None
) -> TrayView:
    """The tray's words and state for ``state`` at ``now`` (and the guided session's view)."""
    status = engine.status(state, now)
    title = engine.config.routine
    if status is Status.RUNNING and state.running is not None:
        text = title(state.running.routine).title
        if session is None:
            return TrayView(status, f"Running: {text}", f"movebreak · {text}", None, True)
        left = max(1, round(session.total_remaining_seconds / 60))
        text += " (paused)" if session.paused else f": about {left} min left"
        return TrayView(
            status, f"Running: {text}", f"movebreak · {text}", session.fraction_done, True
        )
    if status is Status.DUE and state.pending is not None:
        text = f"Due now: {title(state.pending.routine).title}"
        return TrayView(status, text, f"movebreak · {text}", None, True)
    if status is Status.HELD:
        text = f"Held: {state.quiet_reason}; prompts come right after"
        return TrayView(status, text, f"movebreak · {text}")
    if state.away_since is not None and status is Status.WAITING:
        text = f"Away since {_clock(state.away_since, now, engine)}: a natural break"
        return TrayView(status, text, f"movebreak · {text}")
    meeting = agenda.current(engine.meetings, now) if status is Status.MEETING else None
    if meeting is not None:
        text = f"In {_KIND_WORDS[meeting.kind]} until {_clock(meeting.end, now, engine)}"
        if meeting.kind in agenda.BUSY:
            text += ": prompts wait"
        return TrayView(status, text, f"movebreak · {text}")
    if status is Status.PAUSED and state.paused_until is not None:
        text = f"Paused until {_clock(state.paused_until, now, engine)}"
        return TrayView(status, text, f"movebreak · {text}")
    prompt = engine.next_prompt(state, state.checked_until or now)
    if prompt is None:
        text = "Nothing planned"
    else:
        text = f"Next: {title(prompt.routine).title} at {_clock(max(prompt.at, now), now, engine)}"
    return TrayView(status, text, f"movebreak · {text}", None, False)
