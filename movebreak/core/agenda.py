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

from bisect import bisect_right
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


@dataclass(frozen=True)
class _Index:
    """Busy time merged into sorted disjoint intervals, and audio calls by start.

    Built once per meetings tuple (see :func:`_index`): the lookups below are then
    logarithmic. They used to scan every meeting once per meeting they stepped over,
    quadratic in back-to-back meetings, under the controller's lock.
    """

    busy_starts: tuple[datetime, ...]
    busy_ends: tuple[datetime, ...]
    audio_starts: tuple[datetime, ...]
    audio_longest: tuple[Meeting, ...]  # of the calls started so far, the one ending last


def _build(meetings: tuple[Meeting, ...]) -> _Index:
    starts: list[datetime] = []
    ends: list[datetime] = []
    for m in sorted((m for m in meetings if m.kind in BUSY and m.end > m.start),
                    key=lambda m: m.start):
        if ends and m.start <= ends[-1]:  # touching counts: back-to-back meetings hold on
            ends[-1] = max(ends[-1], m.end)
        else:
            starts.append(m.start)
            ends.append(m.end)
    calls = sorted((m for m in meetings if m.kind is MeetingKind.AUDIO and m.end > m.start),
                   key=lambda m: m.start)
    longest: list[Meeting] = []
    for call in calls:
        longest.append(call if not longest or call.end > longest[-1].end else longest[-1])
    return _Index(tuple(starts), tuple(ends), tuple(c.start for c in calls), tuple(longest))


_last: tuple[tuple[Meeting, ...], _Index] | None = None


def _index(meetings: tuple[Meeting, ...]) -> _Index:
    """The index of ``meetings``, rebuilt only when a different tuple comes (one per load)."""
    global _last
    last = _last
    if last is not None and last[0] is meetings:
        return last[1]
    built = _build(meetings)
    _last = (meetings, built)  # one assignment: a racing thread sees the old or the new pair
    return built


def after_busy(meetings: tuple[Meeting, ...], moment: datetime) -> datetime:
    """``moment``, or the end of the video / in-person meetings it falls into."""
    index = _index(meetings)
    i = bisect_right(index.busy_starts, moment) - 1
    if i >= 0 and moment < index.busy_ends[i]:
        return index.busy_ends[i]
    return moment


def audio_call_at(meetings: tuple[Meeting, ...], moment: datetime) -> Meeting | None:
    """The audio-only call going on at ``moment`` (the one ending last), if any."""
    index = _index(meetings)
    i = bisect_right(index.audio_starts, moment) - 1
    if i >= 0 and moment < index.audio_longest[i].end:
        return index.audio_longest[i]
    return None


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
    """The first stand prompt strictly after ``after``.

    Computed per call, not listed: a call with a huge DURATION would otherwise list a
    reminder every 20 minutes for years.
    """
    best: StandCue | None = None
    for meeting in meetings:
        if meeting.kind is not MeetingKind.AUDIO:
            continue
        if meeting.start > after:
            cue = StandCue(meeting.start, meeting, False)
        elif reminder and meeting.reminders and reminder > timedelta(0):
            steps = (after - meeting.start) // reminder + 1
            moment = meeting.start + reminder * steps
            if moment >= meeting.end - _REMINDER_MARGIN:
                continue
            cue = StandCue(moment, meeting, True)
        else:
            continue
        if best is None or cue.at < best.at:
            best = cue
    return best
