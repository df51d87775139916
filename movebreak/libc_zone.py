"""Local time as the C library computes it: the zone tzlocal cannot name.

Its own module, below both the app and the calendar worker, which tells a child
process to use it too; neither has to import the other for it (see ``app.zone``).
"""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, tzinfo

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
