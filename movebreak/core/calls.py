"""Live calls from the devices in use: is the user on a call now, and which kind?

The platform adapters (``movebreak/calls``) report *snapshots*: the recording streams
open on the microphone and the processes holding a camera. This module decides, with
no I/O and no clock (every function takes ``now``):

* which recording streams mean "someone is listening to the user": not a stream that
  records a monitor (what the speakers play), not a corked (paused) one, and not a
  level meter (pavucontrol, GNOME Settings) that only draws a volume bar;
* the kind: a microphone in use with no camera is an audio-only call, with a camera a
  video call, and no microphone no call at all (a camera alone is a preview, a photo
  booth or a scanner more often than a call, and no call app keeps the microphone
  closed for a whole call);
* when a call starts and ends. Devices flicker: a browser opens the microphone for a
  second to list devices, a call app re-opens it when the headset changes. So a call
  starts only once the microphone has stayed in use for ``CallTiming.start_after``,
  ends only once it has stayed free for ``end_after``, and changes kind (camera on or
  off) only once the new kind has held for ``start_after`` too.

Privacy: the tracker keeps kinds and moments, never an app name; snapshots carry app
names only so that the adapters can log them at debug level.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum


class CallKind(StrEnum):
    """What the devices say about the user right now; the value is for logs and JSON."""

    NONE = "none"
    AUDIO = "audio"
    VIDEO = "video"


@dataclass(frozen=True)
class MicStream:
    """One recording stream (or, where the OS tells no more, one busy input device).

    ``app`` is for debug logs only. ``from_monitor``: it records what a sink plays, not
    a microphone. ``corked``: the application paused it. ``level_meter``: a mixer's
    peak detector drawing a volume bar.
    """

    app: str = ""
    corked: bool = False
    from_monitor: bool = False
    level_meter: bool = False


@dataclass(frozen=True)
class DeviceSnapshot:
    """The devices in use at one moment, as an adapter saw them."""

    mic_streams: tuple[MicStream, ...] = ()
    camera_users: tuple[str, ...] = ()


NOTHING_IN_USE = DeviceSnapshot()


@dataclass(frozen=True)
class CallTiming:
    """How long a change must hold before it counts.

    A stream that flickers for two seconds is not a call, hence ``start_after`` of
    five seconds; call apps drop and re-open the microphone when a headset connects
    or the network hiccups, hence ``end_after`` of thirty.
    """

    start_after: timedelta = timedelta(seconds=5)
    end_after: timedelta = timedelta(seconds=30)


DEFAULT_TIMING = CallTiming()


@dataclass(frozen=True)
class CallEvent:
    """A call of ``kind`` started (``started``) or ended; ``at`` is when the devices changed."""

    kind: CallKind
    started: bool
    at: datetime


@dataclass(frozen=True)
class CallTracker:
    """What the tracker remembers between observations: kinds and moments only.

    ``reported`` is the call the app was told about (NONE: no call). ``observed`` is
    the kind the latest snapshot showed; ``mic_changed_at`` is when the microphone last
    went from free to busy or back, ``kind_changed_at`` when ``observed`` last changed
    (both None before the first observation).
    """

    timing: CallTiming = DEFAULT_TIMING
    reported: CallKind = CallKind.NONE
    observed: CallKind = CallKind.NONE
    mic_changed_at: datetime | None = None
    kind_changed_at: datetime | None = None


def counts_as_microphone(stream: MicStream) -> bool:
    """True for a stream that records the user: not a monitor, paused stream or meter."""
    return not (stream.from_monitor or stream.corked or stream.level_meter)


def microphone_users(streams: Iterable[MicStream]) -> tuple[MicStream, ...]:
    """The streams that :func:`counts_as_microphone` keeps."""
    return tuple(stream for stream in streams if counts_as_microphone(stream))


def classify(snapshot: DeviceSnapshot) -> CallKind:
    """The kind of call the snapshot shows, before any debounce."""
    if not microphone_users(snapshot.mic_streams):
        return CallKind.NONE
    return CallKind.VIDEO if snapshot.camera_users else CallKind.AUDIO


def observe(
    tracker: CallTracker, kind: CallKind, now: datetime
) -> tuple[CallTracker, tuple[CallEvent, ...]]:
    """Record that the devices show ``kind`` at ``now``; return the events now due.

    Call it with every snapshot (``classify(snapshot)``) and again at
    :func:`next_deadline`; calling it more often changes nothing.
    """
    if tracker.mic_changed_at is None:
        tracker = replace(tracker, observed=kind, mic_changed_at=now, kind_changed_at=now)
    elif kind != tracker.observed:
        mic_flipped = (kind == CallKind.NONE) != (tracker.observed == CallKind.NONE)
        tracker = replace(
            tracker,
            observed=kind,
            kind_changed_at=now,
            mic_changed_at=now if mic_flipped else tracker.mic_changed_at,
        )
    return advance(tracker, now)


def advance(tracker: CallTracker, now: datetime) -> tuple[CallTracker, tuple[CallEvent, ...]]:
    """Apply the deadline that has passed by ``now`` without a new snapshot."""
    due = next_deadline(tracker)
    if due is None or now < due:
        return tracker, ()
    reported, observed = tracker.reported, tracker.observed
    mic_at, kind_at = _moments(tracker)
    if reported == CallKind.NONE:
        return replace(tracker, reported=observed), (CallEvent(observed, True, mic_at),)
    if observed == CallKind.NONE:
        return replace(tracker, reported=CallKind.NONE), (CallEvent(reported, False, mic_at),)
    switched = (CallEvent(reported, False, kind_at), CallEvent(observed, True, kind_at))
    return replace(tracker, reported=observed), switched


def next_deadline(tracker: CallTracker) -> datetime | None:
    """When :func:`advance` next has something to report if nothing changes; else None."""
    if tracker.mic_changed_at is None or tracker.observed == tracker.reported:
        return None
    mic_at, kind_at = _moments(tracker)
    if tracker.reported == CallKind.NONE:
        return mic_at + tracker.timing.start_after
    if tracker.observed == CallKind.NONE:
        return mic_at + tracker.timing.end_after
    return kind_at + tracker.timing.start_after


def _moments(tracker: CallTracker) -> tuple[datetime, datetime]:
    if tracker.mic_changed_at is None or tracker.kind_changed_at is None:
        raise ValueError("the tracker has not observed anything yet")
    return tracker.mic_changed_at, tracker.kind_changed_at


def is_in_call(tracker: CallTracker) -> bool:
    """True between a started and an ended event."""
    return tracker.reported != CallKind.NONE
