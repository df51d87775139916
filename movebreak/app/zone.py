"""The zone the working hours are read in: the configured one, or the computer's.

tzlocal finds the computer's zone as a zoneinfo name (``TZ``, ``/etc/localtime``, the
distribution's files). It refuses a ``TZ`` it cannot map to a name: a POSIX rule
such as ``CET-1CEST`` that the C library follows, or a typo. The app must still
start, so it then reads local time the way every other program on the computer
does, from the C library (``LibcLocalZone``), DST included, and says so once.
"""

from __future__ import annotations

import logging
import os
import time
from datetime import datetime, timedelta, tzinfo
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from movebreak.config.model import Config

log = logging.getLogger(__name__)

LIBC_ZONE_NAME = "libc-local"  # how the calendar worker is told to use it too


class LibcLocalZone(tzinfo):
    """Local time as the C library computes it for this process's ``TZ``.

    Right for any rule the C library accepts, DST included; an hour that occurs
    twice at the end of DST is read as its first occurrence.
    """

    def _struct(self, dt: datetime) -> time.struct_time:
        stamp = time.mktime((dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second,
                             dt.weekday(), 0, -1))
        return time.localtime(stamp)

    def utcoffset(self, dt: datetime | None) -> timedelta:
        local = time.localtime() if dt is None else self._struct(dt)
        return timedelta(seconds=local.tm_gmtoff)

    def dst(self, dt: datetime | None) -> timedelta:
        local = time.localtime() if dt is None else self._struct(dt)
        if local.tm_isdst <= 0:
            return timedelta(0)
        standard = -time.timezone  # the zone's offset outside DST, seconds east of UTC
        return timedelta(seconds=local.tm_gmtoff - standard)

    def tzname(self, dt: datetime | None) -> str:
        local = time.localtime() if dt is None else self._struct(dt)
        return local.tm_zone

    def fromutc(self, dt: datetime) -> datetime:
        epoch = datetime(1970, 1, 1, tzinfo=dt.tzinfo)
        local = time.localtime((dt - epoch) // timedelta(seconds=1))
        return datetime(*local[:6], dt.microsecond, tzinfo=self)

    def __repr__(self) -> str:
        return f"LibcLocalZone(TZ={os.environ.get('TZ', '')!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LibcLocalZone)

    def __hash__(self) -> int:
        return hash(LibcLocalZone)


def resolve_timezone(config: Config) -> tzinfo:
    """The configured zone (checked when the config was read), or the computer's."""
    from zoneinfo import ZoneInfo

    if config.timezone != "local":
        return ZoneInfo(config.timezone)
    return local_zone()


def local_zone() -> tzinfo:
    """The computer's zone; never raises (see the module's docstring)."""
    import tzlocal

    try:
        return tzlocal.get_localzone()
    except Exception as error:  # ZoneInfoNotFoundError, ValueError: a TZ it cannot name
        return _libc_zone(str(error))


@cache
def _libc_zone(problem: str) -> tzinfo:
    """The fallback, made (and its warning logged) once: config reloads ask again."""
    log.warning(
        "tzlocal cannot name the computer's time zone (TZ=%r: %s); following the C "
        'library\'s local time instead. Set timezone = "Area/City" in the config to choose.',
        os.environ.get("TZ", ""), problem.strip(),
    )
    return LibcLocalZone()
