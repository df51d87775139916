"""Meetings as the timetable sees them: when the user is busy, and when to get them standing.

The calendar (or a live call) says *what* a meeting is; these rules say what it means
for prompts:

* nothing interrupts a video or in-person meeting: a prompt that falls due inside
  one is offered right after it ends (back-to-back meetings push it further);
* an audio-only call is the moment to stand and walk: a ``meeting-stand`` prompt at
  its start, and a gentle reminder every ``audio_reminder`` during a long one;
* a reset that falls due inside an audio call is not offered at its end: the call
  was the walking time, so the reset count starts again when it ends.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from movebreak.core.meeting_facts import MeetingKind

BUSY = frozenset({MeetingKind.VIDEO, MeetingKind.IN_PERSON})
# A reminder this close to the end of a call is not worth the interruption.
_REMINDER_MARGIN = timedelta(minutes=2)


@dataclass(frozen=True)
class Meeting:
    """One meeting that matters for prompts (kind is never NONE here)."""

    start: datetime
    end: datetime
    kind: MeetingKind
    title: str = ""
    reminders: bool = True  # a live call's end is unknown: it is prompted once

    def covers(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


@dataclass(frozen=True)
class StandCue:
    """When to prompt the user to stand for an audio call: its start or a reminder."""

    at: datetime
    meeting: Meeting
    reminder: bool


def current(meetings: Iterable[Meeting], moment: datetime) -> Meeting | None:
    """The meeting going on at ``moment`` (a busy one first), if any."""
    found = [m for m in meetings if m.covers(moment)]
    found.sort(key=lambda m: (m.kind not in BUSY, m.start))
    return found[0] if found else None


def after_busy(meetings: tuple[Meeting, ...], moment: datetime) -> datetime:
    """``moment``, or the end of the video / in-person meetings it falls into."""
    for _ in range(len(meetings) + 1):
        blocking = [m for m in meetings if m.kind in BUSY and m.covers(moment)]
        if not blocking:
            return moment
        moment = max(m.end for m in blocking)
    return moment


def audio_call_at(meetings: tuple[Meeting, ...], moment: datetime) -> Meeting | None:
    """The audio-only call going on at ``moment``, if any."""
    calls = [m for m in meetings if m.kind is MeetingKind.AUDIO and m.covers(moment)]
    return max(calls, key=lambda m: m.end) if calls else None


def stand_cues(meetings: Iterable[Meeting], reminder: timedelta | None) -> Iterator[StandCue]:
    """Every stand prompt the audio calls ask for, in time order."""
    cues: list[StandCue] = []
    for meeting in meetings:
        if meeting.kind is not MeetingKind.AUDIO:
            continue
        cues.append(StandCue(meeting.start, meeting, False))
        if reminder and meeting.reminders:
            moment = meeting.start + reminder
            while moment < meeting.end - _REMINDER_MARGIN:
                cues.append(StandCue(moment, meeting, True))
                moment += reminder
    return iter(sorted(cues, key=lambda c: c.at))


def next_stand_cue(
    meetings: tuple[Meeting, ...], reminder: timedelta | None, after: datetime
) -> StandCue | None:
    """The first stand prompt strictly after ``after``."""
    return next((c for c in stand_cues(meetings, reminder) if c.at > after), None)
