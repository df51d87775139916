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
from datetime import tzinfo
from functools import cache
from typing import TYPE_CHECKING

from movebreak.libc_zone import LIBC_ZONE_NAME, LibcLocalZone

if TYPE_CHECKING:
    from movebreak.config.model import Config

log = logging.getLogger(__name__)

__all__ = ["LIBC_ZONE_NAME", "LibcLocalZone", "local_zone", "resolve_timezone"]


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
