"""Is the user here? Away time, sleep and quiet periods, from cheap observations.

The shell looks, at moments this module chooses, at three facts it can read in-process:
the wall clock beside the monotonic one (a jump between them is a sleep), the
seconds since the last input (idle), and whether something asks for quiet (a
fullscreen window, do-not-disturb). ``observe`` turns one look into events and says
when to look next: while the user works, just when they could first count as away;
while away or quiet, every ``WATCH`` to notice the return quickly. Workrave counts
active time the same way, so time away is a natural break.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

# A jump between the wall clock and the monotonic clock larger than this is a sleep.
SLEEP_SLACK = timedelta(seconds=60)
# How often to look while the user is away (when the desktop cannot tell us the moment
# they return) and while something asks for quiet (to notice when it ends).
WATCH = timedelta(seconds=20)
# 20 s: a held prompt comes soon after the quiet ends, for one in-process look (a D-Bus
# property or two, a shared-memory read) three times a minute while quiet lasts.
QUIET_WATCH = timedelta(seconds=20)
# Never look more often than this, whatever the numbers say.
MIN_LOOK = timedelta(seconds=5)


class PresenceKind(Enum):
    AWAY = "away"  # idle for at least the natural break, since ``since``
    BACK = "back"  # active again after being away since ``since``
    SLEPT = "slept"  # the machine slept from ``since`` to ``at``
    CLOCK_BACK = "clock_back"  # the wall clock was set back from ``since`` to ``at``
    QUIET = "quiet"  # something asks for quiet (``reason``)
    QUIET_ENDED = "quiet_ended"  # the quiet is over


@dataclass(frozen=True)
class PresenceEvent:
    kind: PresenceKind
    at: datetime
    since: datetime | None = None
    reason: str = ""


@dataclass(frozen=True)
class Look:
    """One observation: the clocks, idle seconds (None: unknown), and a quiet reason."""

    wall: datetime
    monotonic: float
    idle: float | None
    quiet: str | None = None


@dataclass(frozen=True)
class Tracker:
    """What the last look saw."""

    wall: datetime | None = None
    monotonic: float | None = None
    away_since: datetime | None = None
    quiet: str | None = None


def clock_jump(before: tuple[datetime, float], wall: datetime, monotonic: float) -> timedelta:
    """How far the wall clock moved beyond the monotonic one since ``before`` (wall, monotonic).

    Positive: a sleep (the monotonic clock stops while suspended) or a clock set
    forward; negative: the clock was set back. Within ``SLEEP_SLACK`` it is drift.
    """
    return (wall - before[0]) - timedelta(seconds=monotonic - before[1])


def observe(
    tracker: Tracker, look: Look, natural_break: timedelta, away_watch: timedelta = WATCH
) -> tuple[Tracker, list[PresenceEvent], timedelta]:
    """Events since the last look, the new tracker, and how long until the next look.

    ``away_watch`` is how often to look while the user is away: longer when the
    desktop itself reports their return (the shell then looks at once).
    """
    events: list[PresenceEvent] = []
    if tracker.wall is not None and tracker.monotonic is not None:
        jump = clock_jump((tracker.wall, tracker.monotonic), look.wall, look.monotonic)
        if jump > SLEEP_SLACK:
            events.append(PresenceEvent(PresenceKind.SLEPT, look.wall, look.wall - jump))
            # The sleep covers the time away; some idle counters (Windows) ran through it.
            return Tracker(look.wall, look.monotonic, None, tracker.quiet), events, MIN_LOOK
        if jump < -SLEEP_SLACK:
            events.append(PresenceEvent(PresenceKind.CLOCK_BACK, look.wall, look.wall - jump))
    away_since = tracker.away_since
    if look.idle is not None:
        idle = timedelta(seconds=look.idle)
        if away_since is None and idle >= natural_break:
            away_since = look.wall - idle
            events.append(PresenceEvent(PresenceKind.AWAY, look.wall, away_since))
        elif away_since is not None and idle < natural_break:
            events.append(PresenceEvent(PresenceKind.BACK, look.wall - idle, away_since))
            away_since = None
    if look.quiet != tracker.quiet:
        kind = PresenceKind.QUIET if look.quiet else PresenceKind.QUIET_ENDED
        events.append(PresenceEvent(kind, look.wall, reason=look.quiet or ""))
    tracker = Tracker(look.wall, look.monotonic, away_since, look.quiet)
    if away_since is not None:
        wait = away_watch
    elif look.quiet:
        wait = QUIET_WATCH
    elif look.idle is None:
        wait = natural_break
    else:
        wait = natural_break - timedelta(seconds=look.idle)
    return tracker, events, max(MIN_LOOK, min(wait, max(natural_break, QUIET_WATCH, away_watch)))
