"""Timetable rules: working windows and the candidate times of each kind of prompt.

All arithmetic on instants is done on aware datetimes (so 50 minutes are 50 real
minutes across a DST change), while "09:00 on a Monday" is resolved in the
configured zone for each date, so it stays 09:00 on the wall clock after the
clocks change.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from movebreak.core.config import Config

# How far ahead the rules look for the next working window (covers long holidays
# made of non-working weekdays in the config).
_HORIZON_DAYS = 15


def at_local(day: date, clock: time, tz: tzinfo) -> datetime:
    """``clock`` on ``day`` in zone ``tz``, as an instant in UTC.

    UTC, because Python adds timedeltas to datetimes of one zone on the wall clock:
    ``09:50 CET + 50 min`` across a DST change would be 50 wall minutes, not 50 real
    ones. Every instant the core computes is therefore UTC; only display converts back.
    """
    return datetime.combine(day, clock, tzinfo=tz).astimezone(UTC)


def windows(config: Config, tz: tzinfo, after: datetime) -> Iterator[tuple[datetime, datetime]]:
    """Working windows (start, end) that end after ``after``, in order."""
    first = after.astimezone(tz).date()
    for offset in range(_HORIZON_DAYS):
        day = first + timedelta(days=offset)
        if day.weekday() not in config.work.days:
            continue
        start, end = at_local(day, config.work.start, tz), at_local(day, config.work.end, tz)
        if end > after:
            yield start, end


def in_working_hours(config: Config, tz: tzinfo, moment: datetime) -> bool:
    """Whether ``moment`` lies inside a working window."""
    local = moment.astimezone(tz)
    if local.weekday() not in config.work.days:
        return False
    start = at_local(local.date(), config.work.start, tz)
    return start <= moment < at_local(local.date(), config.work.end, tz)


def next_reset(
    config: Config, tz: tzinfo, anchor: datetime | None, after: datetime
) -> datetime | None:
    """When the next reset falls due, given the moment the reset count last started.

    The count runs only inside working windows: a new window starts it afresh, so
    the first reset of the day comes one interval after the day starts.
    """
    if not config.reset.enabled:
        return None
    every = config.reset.every
    for start, end in windows(config, tz, after):
        base = max(anchor, start) if anchor is not None else start
        due = base.astimezone(UTC) + every  # real minutes, whatever zone ``anchor`` is in
        if due < end:
            return due
    return None


def next_morning(
    config: Config,
    tz: tzinfo,
    after: datetime,
    handled: date | None,
    not_before: datetime | None = None,
) -> datetime | None:
    """The first morning routine from ``after``'s day on that was not handled yet.

    It may lie before ``after``: an unhandled morning of today is still due (the
    engine then delivers it or, if too late, drops it), so a moment of bookkeeping
    in between can never make it vanish. ``not_before`` (the end of a pause) drops
    the mornings before it.
    """
    if not config.morning.enabled:
        return None
    first = after.astimezone(tz).date()
    for offset in range(_HORIZON_DAYS):
        day = first + timedelta(days=offset)
        if day.weekday() not in config.morning.days or day == handled:
            continue
        due = at_local(day, config.morning.at, tz)
        if not_before is None or due >= not_before:
            return due
    return None


def next_standing(config: Config, tz: tzinfo, after: datetime) -> datetime | None:
    """The next standing block: each window alternates ``sit`` then ``stand``, repeatedly."""
    if not config.standing.enabled:
        return None
    cycle = config.standing.sit + config.standing.stand
    for start, end in windows(config, tz, after):
        due = start + config.standing.sit
        if due <= after:
            cycles = (after - due) // cycle + 1
            due += cycle * cycles
        if due < end:
            return due
    return None
